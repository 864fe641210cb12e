import { ConfigError } from '@notify/shared';
import { readApiConfig } from '../src/config.ts';

const minimal = {
  QUEUE_URL: 'http://127.0.0.1:4566/000000000000/notify-local-email',
  IDEMPOTENCY_TABLE: 'notify-local-idempotency',
  STATUS_TABLE: 'notify-local-status',
  API_TOKENS: JSON.stringify({ billing: 'a-long-enough-token-1' }),
};

describe('configuration', () => {
  it('applies the documented defaults', () => {
    expect(readApiConfig(minimal)).toEqual({
      host: '0.0.0.0',
      port: 3000,
      queueUrl: minimal.QUEUE_URL,
      clients: [{ name: 'billing', token: 'a-long-enough-token-1' }],
      idempotencyTable: 'notify-local-idempotency',
      idempotencyTtlSeconds: 86_400,
      statusTable: 'notify-local-status',
      statusRetentionDays: 30,
      statusCreateMaxInFlight: 8,
      rateLimitPerSecond: 50,
      rateLimitBurst: 100,
      enqueueLingerMs: 0,
      enqueueMaxBatch: 10,
      enqueueMaxInFlight: 4,
      bodyLimitBytes: 262_144,
      readinessCacheMs: 5000,
      idempotencyLeaseSeconds: 120,
      timeouts: {
        sqsAttemptTimeoutMs: 3_000,
        sqsMaxAttempts: 2,
        dynamodbAttemptTimeoutMs: 1_000,
        dynamodbMaxAttempts: 2,
        enqueueLingerMs: 0,
      },
      shutdownTimeoutMs: 25_000,
      requestTimeoutMs: 30_000,
      environment: 'local',
      metricsNamespace: 'Notify',
      metricsFlushMs: 10_000,
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const config = readApiConfig({
      ...minimal,
      HOST: '127.0.0.1',
      PORT: '8080',
      IDEMPOTENCY_TTL_HOURS: '48',
      STATUS_RETENTION_DAYS: '7',
      RATE_LIMIT_PER_SECOND: '5',
      RATE_LIMIT_BURST: '7',
      ENQUEUE_LINGER_MS: '0',
      ENQUEUE_MAX_BATCH: '3',
      BODY_LIMIT_BYTES: '4096',
      READINESS_CACHE_MS: '100',
      IDEMPOTENCY_LEASE_SECONDS: '30',
      SQS_ATTEMPT_TIMEOUT_MS: '500',
      SQS_MAX_ATTEMPTS: '1',
      DYNAMODB_ATTEMPT_TIMEOUT_MS: '200',
      DYNAMODB_MAX_ATTEMPTS: '1',
      SHUTDOWN_TIMEOUT_MS: '2000',
      ENVIRONMENT: 'production',
      METRICS_NAMESPACE: 'X',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      idempotencyTtlSeconds: 172_800,
      statusRetentionDays: 7,
      rateLimitPerSecond: 5,
      rateLimitBurst: 7,
      enqueueLingerMs: 0,
      enqueueMaxBatch: 3,
      bodyLimitBytes: 4096,
      readinessCacheMs: 100,
      idempotencyLeaseSeconds: 30,
      timeouts: {
        sqsAttemptTimeoutMs: 500,
        sqsMaxAttempts: 1,
        dynamodbAttemptTimeoutMs: 200,
        dynamodbMaxAttempts: 1,
        enqueueLingerMs: 0,
      },
      shutdownTimeoutMs: 2000,
      environment: 'production',
      metricsNamespace: 'X',
      logLevel: 'warn',
    });
  });

  it('refuses a lease or a shutdown deadline shorter than the longest request', () => {
    // 5 DynamoDB calls of 2 x 5 s + 1 s backoff, and SQS 2 x 3 s + 1 s: 62 s.
    const slow = { ...minimal, DYNAMODB_ATTEMPT_TIMEOUT_MS: '5000' };
    expect(() => readApiConfig({ ...slow, IDEMPOTENCY_LEASE_SECONDS: '60' })).toThrow(
      /IDEMPOTENCY_LEASE_SECONDS: must cover the longest request \(62000 ms\)/,
    );
    expect(() => readApiConfig({ ...slow, SHUTDOWN_TIMEOUT_MS: '50000' })).toThrow(
      /SHUTDOWN_TIMEOUT_MS: must exceed the longest request \(62000 ms\)/,
    );
  });

  it('refuses to start without tokens, naming the variable', () => {
    expect(() => readApiConfig({ ...minimal, API_TOKENS: undefined })).toThrow(ConfigError);
    expect(() => readApiConfig({ ...minimal, API_TOKENS: '' })).toThrow(
      /API_TOKENS: API_TOKENS is required/,
    );
  });

  it('accepts the development token only with ALLOW_DEV_TOKEN=true', () => {
    const dev = { ...minimal, API_TOKENS: '["local-dev-token"]' };
    expect(() => readApiConfig(dev)).toThrow(/ALLOW_DEV_TOKEN=true/);
    expect(readApiConfig({ ...dev, ALLOW_DEV_TOKEN: 'true' }).clients).toHaveLength(1);
  });

  it('names every invalid variable at once', () => {
    let message = '';
    try {
      readApiConfig({
        QUEUE_URL: 'not a url',
        API_TOKENS: '["short"]',
        ENQUEUE_MAX_BATCH: '11',
        PORT: 'http',
        ALLOW_DEV_TOKEN: 'yes',
      });
    } catch (error) {
      message = String(error);
    }
    for (const name of [
      'QUEUE_URL',
      'IDEMPOTENCY_TABLE',
      'STATUS_TABLE',
      'ENQUEUE_MAX_BATCH',
      'PORT',
      'ALLOW_DEV_TOKEN',
    ]) {
      expect(message).toContain(name);
    }
  });

  it('reports token problems together with other problems', () => {
    expect(() =>
      readApiConfig({ ...minimal, API_TOKENS: '["short"]', ENQUEUE_MAX_BATCH: '0' }),
    ).toThrow(/ENQUEUE_MAX_BATCH[\s\S]*API_TOKENS|API_TOKENS[\s\S]*ENQUEUE_MAX_BATCH/);
  });
});
