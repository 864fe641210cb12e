import { ConfigError } from '@notify/shared';
import { readWorkerConfig } from '../src/config.ts';

const required = {
  QUEUE_URL: 'http://127.0.0.1:4566/000000000000/notify-local-email',
  DLQ_URL: 'http://127.0.0.1:4566/000000000000/notify-local-email-dlq',
  EMAIL_FROM: 'Notify <notifications@example.com>',
};

describe('readWorkerConfig', () => {
  it('reads the status settings, and refuses an events queue without a status table', () => {
    const events = 'http://127.0.0.1:4566/000000000000/notify-local-ses-events';
    expect(
      readWorkerConfig({
        ...required,
        EVENTS_QUEUE_URL: events,
        STATUS_TABLE: 'notify-local-status',
        STATUS_RETENTION_DAYS: '7',
      }),
    ).toMatchObject({
      eventsQueueUrl: events,
      statusTable: 'notify-local-status',
      statusRetentionDays: 7,
    });
    expect(() => readWorkerConfig({ ...required, EVENTS_QUEUE_URL: events })).toThrow(
      /EVENTS_QUEUE_URL.*needs STATUS_TABLE/,
    );
    expect(() =>
      readWorkerConfig({ ...required, EVENTS_QUEUE_URL: 'not a url', STATUS_TABLE: 't' }),
    ).toThrow(/EVENTS_QUEUE_URL.*must be the URL of the SES events queue/);
  });

  it('applies the documented defaults', () => {
    expect(readWorkerConfig(required)).toEqual({
      queueUrl: required.QUEUE_URL,
      dlqUrl: required.DLQ_URL,
      emailFrom: required.EMAIL_FROM,
      sesConfigurationSet: undefined,
      eventsQueueUrl: undefined,
      statusTable: undefined,
      statusRetentionDays: 30,
      opsHost: '0.0.0.0',
      opsPort: 3001,
      pollers: 2,
      maxInFlight: 40,
      waitTimeSeconds: 20,
      receiveBatchWaitMs: 0,
      visibilityTimeoutSeconds: 60,
      maxReceiveCount: 5,
      sendRatePerSecond: 14,
      sendRateFromAccount: false,
      sendRateTaskShare: 1,
      retryBaseSeconds: 5,
      retryMaxSeconds: 900,
      accountPauseProbeSeconds: 60,
      shutdownTimeoutMs: 25_000,
      sesTimeoutMs: 10_000,
      sqsAttemptTimeoutMs: 3_000,
      dynamodbAttemptTimeoutMs: 1_000,
      dynamodbMaxAttempts: 2,
      environment: 'local',
      metricsNamespace: 'Notify',
      metricsFlushMs: 10_000,
      logLevel: 'info',
    });
  });

  it('reads every value from the environment', () => {
    const config = readWorkerConfig({
      ...required,
      SES_CONFIGURATION_SET: 'notify-production',
      POLLERS: '4',
      MAX_IN_FLIGHT: '100',
      WAIT_TIME_SECONDS: '10',
      RECEIVE_BATCH_WAIT_MS: '250',
      SEND_RATE_PER_SECOND: '2.5',
      SEND_RATE_FROM_ACCOUNT: 'true',
      SEND_RATE_TASK_SHARE: '3',
      DYNAMODB_ATTEMPT_TIMEOUT_MS: '400',
      DYNAMODB_MAX_ATTEMPTS: '3',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      sesConfigurationSet: 'notify-production',
      pollers: 4,
      maxInFlight: 100,
      waitTimeSeconds: 10,
      receiveBatchWaitMs: 250,
      sendRatePerSecond: 2.5,
      sendRateFromAccount: true,
      sendRateTaskShare: 3,
      dynamodbAttemptTimeoutMs: 400,
      dynamodbMaxAttempts: 3,
      logLevel: 'debug',
    });
  });

  it('names every missing required variable', () => {
    expect(() => readWorkerConfig({})).toThrow(ConfigError);
    expect(() => readWorkerConfig({})).toThrow(
      /QUEUE_URL: is required[\s\S]*DLQ_URL: is required[\s\S]*EMAIL_FROM: is required/,
    );
  });

  it.each([
    ['WAIT_TIME_SECONDS', '21', 'WAIT_TIME_SECONDS: must be an integer from 0 to 20 (got "21")'],
    [
      'RECEIVE_BATCH_WAIT_MS',
      '2001',
      'RECEIVE_BATCH_WAIT_MS: must be an integer from 0 to 2000 (got "2001")',
    ],
    ['MAX_IN_FLIGHT', 'lots', 'MAX_IN_FLIGHT: must be an integer from 1 to 10000'],
    [
      'VISIBILITY_TIMEOUT_SECONDS',
      '50000',
      'VISIBILITY_TIMEOUT_SECONDS: must be an integer from 2 to 43200',
    ],
    ['SEND_RATE_PER_SECOND', '0', 'SEND_RATE_PER_SECOND: must be a number above 0'],
    ['SEND_RATE_FROM_ACCOUNT', 'yes', 'SEND_RATE_FROM_ACCOUNT: must be true or false'],
    ['QUEUE_URL', 'not a url', 'QUEUE_URL: must be the URL of the email queue'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL: must be one of'],
    [
      'DYNAMODB_ATTEMPT_TIMEOUT_MS',
      '50',
      'DYNAMODB_ATTEMPT_TIMEOUT_MS: must be an integer from 100 to 10000 (got "50")',
    ],
    ['DYNAMODB_MAX_ATTEMPTS', '0', 'DYNAMODB_MAX_ATTEMPTS: must be an integer from 1 to 5'],
  ])('rejects a bad %s with the rule', (name, value, message) => {
    expect(() => readWorkerConfig({ ...required, [name]: value })).toThrow(message);
  });

  it('rejects a retry base above the retry cap', () => {
    expect(() =>
      readWorkerConfig({ ...required, RETRY_BASE_SECONDS: '60', RETRY_MAX_SECONDS: '30' }),
    ).toThrow('RETRY_BASE_SECONDS: (60) must not exceed RETRY_MAX_SECONDS (30)');
  });
});
