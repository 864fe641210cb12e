// Configuration of notification-api, read once from environment variables (the same names
// locally and in ECS). A bad value stops the start with every problem named.
import { env, readConfig } from '@notify/shared';
import { z } from 'zod';
import { parseApiTokens, TokenConfigError, type ApiClient } from './auth.ts';
import { apiDeadlines, LEASE_CLOCK_MARGIN_MS, type DependencyTimeouts } from './deadlines.ts';

/** SQS rejects a message over 1 MiB; the body limit keeps every envelope well under it. */
const MAX_BODY_LIMIT_BYTES = 512 * 1024;

export const configSchema = z
  .object({
    HOST: env.text('0.0.0.0'),
    PORT: env.int(0, 65535, 3000),
    QUEUE_URL: env.url('URL of the SQS queue'),
    API_TOKENS: env.optionalText(),
    ALLOW_DEV_TOKEN: env.bool(false),
    IDEMPOTENCY_TABLE: env.text(undefined, { min: 3, max: 255 }),
    IDEMPOTENCY_TTL_HOURS: env.positive(24, 24 * 365),
    STATUS_TABLE: env.text(undefined, { min: 3, max: 255 }),
    STATUS_RETENTION_DAYS: env.positive(30, 3650),
    STATUS_CREATE_MAX_IN_FLIGHT: env.int(1, 64, 8),
    RATE_LIMIT_PER_SECOND: env.positive(50),
    RATE_LIMIT_BURST: env.int(1, 1_000_000, 100),
    ENQUEUE_LINGER_MS: env.int(0, 1000, 0),
    ENQUEUE_MAX_IN_FLIGHT: env.int(1, 64, 4),
    ENQUEUE_MAX_BATCH: env.int(1, 10, 10),
    BODY_LIMIT_BYTES: env.int(1024, MAX_BODY_LIMIT_BYTES, 262_144),
    READINESS_CACHE_MS: env.int(0, 300_000, 5000),
    IDEMPOTENCY_LEASE_SECONDS: env.int(1, 3600, 120),
    SQS_ATTEMPT_TIMEOUT_MS: env.int(100, 30_000, 3_000),
    SQS_MAX_ATTEMPTS: env.int(1, 5, 2),
    DYNAMODB_ATTEMPT_TIMEOUT_MS: env.int(100, 10_000, 1_000),
    DYNAMODB_MAX_ATTEMPTS: env.int(1, 5, 2),
    SHUTDOWN_TIMEOUT_MS: env.int(100, 600_000, 25_000),
    REQUEST_TIMEOUT_MS: env.int(500, 300_000, 30_000),
    ENVIRONMENT: env.text('local'),
    METRICS_NAMESPACE: env.text('Notify'),
    METRICS_FLUSH_SECONDS: env.int(0, 60, 10),
    LOG_LEVEL: env.logLevel(),
  })
  // A refinement rather than a transform step, so token problems are reported together with
  // every other invalid variable.
  .superRefine((env, ctx) => {
    try {
      parseApiTokens(env.API_TOKENS, env.ALLOW_DEV_TOKEN === true);
    } catch (error) {
      if (!(error instanceof TokenConfigError)) throw error;
      ctx.addIssue({ code: 'custom', path: ['API_TOKENS'], message: error.message });
    }
    // The numbers that depend on the dependency deadlines must outlast them (README "Timeouts").
    const { requestMs } = apiDeadlines(dependencyTimeouts(env));
    if (env.IDEMPOTENCY_LEASE_SECONDS * 1000 < requestMs + LEASE_CLOCK_MARGIN_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['IDEMPOTENCY_LEASE_SECONDS'],
        message: `must cover the longest request (${requestMs} ms) plus ${LEASE_CLOCK_MARGIN_MS} ms, or a retry could overtake a running request`,
      });
    }
    if (env.SHUTDOWN_TIMEOUT_MS <= requestMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['SHUTDOWN_TIMEOUT_MS'],
        message: `must exceed the longest request (${requestMs} ms), so the drain lets it answer`,
      });
    }
  })
  .transform((env) => {
    const clients: ApiClient[] = parseApiTokens(env.API_TOKENS, env.ALLOW_DEV_TOKEN);
    return {
      host: env.HOST,
      port: env.PORT,
      queueUrl: env.QUEUE_URL,
      clients,
      idempotencyTable: env.IDEMPOTENCY_TABLE,
      idempotencyTtlSeconds: Math.round(env.IDEMPOTENCY_TTL_HOURS * 3600),
      statusTable: env.STATUS_TABLE,
      statusRetentionDays: env.STATUS_RETENTION_DAYS,
      statusCreateMaxInFlight: env.STATUS_CREATE_MAX_IN_FLIGHT,
      rateLimitPerSecond: env.RATE_LIMIT_PER_SECOND,
      rateLimitBurst: env.RATE_LIMIT_BURST,
      enqueueLingerMs: env.ENQUEUE_LINGER_MS,
      enqueueMaxBatch: env.ENQUEUE_MAX_BATCH,
      enqueueMaxInFlight: env.ENQUEUE_MAX_IN_FLIGHT,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      readinessCacheMs: env.READINESS_CACHE_MS,
      idempotencyLeaseSeconds: env.IDEMPOTENCY_LEASE_SECONDS,
      timeouts: dependencyTimeouts(env),
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
      environment: env.ENVIRONMENT,
      metricsNamespace: env.METRICS_NAMESPACE,
      metricsFlushMs: env.METRICS_FLUSH_SECONDS * 1000,
      logLevel: env.LOG_LEVEL,
    };
  });

function dependencyTimeouts(env: {
  SQS_ATTEMPT_TIMEOUT_MS: number;
  SQS_MAX_ATTEMPTS: number;
  DYNAMODB_ATTEMPT_TIMEOUT_MS: number;
  DYNAMODB_MAX_ATTEMPTS: number;
  ENQUEUE_LINGER_MS: number;
}): DependencyTimeouts {
  return {
    sqsAttemptTimeoutMs: env.SQS_ATTEMPT_TIMEOUT_MS,
    sqsMaxAttempts: env.SQS_MAX_ATTEMPTS,
    dynamodbAttemptTimeoutMs: env.DYNAMODB_ATTEMPT_TIMEOUT_MS,
    dynamodbMaxAttempts: env.DYNAMODB_MAX_ATTEMPTS,
    enqueueLingerMs: env.ENQUEUE_LINGER_MS,
  };
}

export type ApiConfig = z.infer<typeof configSchema>;

export function readApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return readConfig(configSchema, env);
}
