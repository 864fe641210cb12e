// The worker's whole configuration, read once from the environment (the same variables locally
// and in AWS). A bad value stops the process at start with the variable and the rule named.
import { z } from 'zod';
import { env, readConfig } from '@notify/shared';

/** SQS caps a message's visibility timeout (and so any retry delay) at 12 hours. */
export const SQS_MAX_VISIBILITY_SECONDS = 43_200;

export const workerConfigSchema = z
  .object({
    QUEUE_URL: env.url('URL of the email queue'),
    DLQ_URL: env.url('URL of the dead-letter queue'),
    EMAIL_FROM: env.text(),
    SES_CONFIGURATION_SET: env.optionalText(),
    // The status consumer runs when both are set; STATUS_TABLE alone records give-ups only.
    EVENTS_QUEUE_URL: env.optionalText(),
    STATUS_TABLE: env.optionalText(),
    STATUS_RETENTION_DAYS: env.int(1, 3_650, 30),
    OPS_HOST: env.text('0.0.0.0'),
    OPS_PORT: env.int(0, 65_535, 3001),
    POLLERS: env.int(1, 50, 2),
    MAX_IN_FLIGHT: env.int(1, 10_000, 40),
    WAIT_TIME_SECONDS: env.int(0, 20, 20),
    // Capped at 2 s: the pause is added latency for every message arriving during it.
    RECEIVE_BATCH_WAIT_MS: env.int(0, 2_000, 0),
    VISIBILITY_TIMEOUT_SECONDS: env.int(2, SQS_MAX_VISIBILITY_SECONDS, 60),
    MAX_RECEIVE_COUNT: env.int(1, 1_000, 5),
    SEND_RATE_PER_SECOND: env.positive(14),
    SEND_RATE_FROM_ACCOUNT: env.bool(false),
    SEND_RATE_TASK_SHARE: env.int(1, 1_000, 1),
    RETRY_BASE_SECONDS: env.int(1, SQS_MAX_VISIBILITY_SECONDS, 5),
    RETRY_MAX_SECONDS: env.int(1, SQS_MAX_VISIBILITY_SECONDS, 900),
    ACCOUNT_PAUSE_PROBE_SECONDS: env.int(1, 3_600, 60),
    SHUTDOWN_TIMEOUT_MS: env.int(0, 120_000, 25_000),
    // One SES attempt (the queue retries); below the visibility timeout, so a hung send ends
    // before its message can reappear for another consumer.
    SES_TIMEOUT_MS: env.int(100, 60_000, 10_000),
    // Per attempt of every SQS call; a long poll gets WAIT_TIME_SECONDS on top.
    SQS_ATTEMPT_TIMEOUT_MS: env.int(100, 30_000, 3_000),
    // Per attempt of every DynamoDB call (the status consumer's writes, the give-ups), as in the
    // API; each call also carries its whole deadline, attempts and backoff included.
    DYNAMODB_ATTEMPT_TIMEOUT_MS: env.int(100, 10_000, 1_000),
    DYNAMODB_MAX_ATTEMPTS: env.int(1, 5, 2),
    ENVIRONMENT: env.text('local'),
    METRICS_NAMESPACE: env.text('Notify'),
    METRICS_FLUSH_SECONDS: env.int(0, 60, 10),
    LOG_LEVEL: env.logLevel(),
  })
  .superRefine((c, ctx) => {
    if (c.SES_TIMEOUT_MS >= c.VISIBILITY_TIMEOUT_SECONDS * 1000) {
      ctx.addIssue({
        code: 'custom',
        path: ['SES_TIMEOUT_MS'],
        message: `(${c.SES_TIMEOUT_MS}) must be below VISIBILITY_TIMEOUT_SECONDS (${c.VISIBILITY_TIMEOUT_SECONDS} s), or a hung send could overlap a second delivery of its message`,
      });
    }
    if (c.EVENTS_QUEUE_URL !== undefined && !isHttpUrl(c.EVENTS_QUEUE_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['EVENTS_QUEUE_URL'],
        message: `must be the URL of the SES events queue (an http or https URL; got "${c.EVENTS_QUEUE_URL}")`,
      });
    }
    if (c.EVENTS_QUEUE_URL !== undefined && c.STATUS_TABLE === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['EVENTS_QUEUE_URL'],
        message: 'needs STATUS_TABLE: the status consumer writes SES events there',
      });
    }
    if (c.RETRY_BASE_SECONDS > c.RETRY_MAX_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['RETRY_BASE_SECONDS'],
        message: `(${c.RETRY_BASE_SECONDS}) must not exceed RETRY_MAX_SECONDS (${c.RETRY_MAX_SECONDS})`,
      });
    }
  })
  // The rest of the worker sees settings, not variable names.
  .transform((c) => ({
    queueUrl: c.QUEUE_URL,
    dlqUrl: c.DLQ_URL,
    emailFrom: c.EMAIL_FROM,
    sesConfigurationSet: c.SES_CONFIGURATION_SET,
    eventsQueueUrl: c.EVENTS_QUEUE_URL,
    statusTable: c.STATUS_TABLE,
    statusRetentionDays: c.STATUS_RETENTION_DAYS,
    opsHost: c.OPS_HOST,
    opsPort: c.OPS_PORT,
    pollers: c.POLLERS,
    maxInFlight: c.MAX_IN_FLIGHT,
    waitTimeSeconds: c.WAIT_TIME_SECONDS,
    receiveBatchWaitMs: c.RECEIVE_BATCH_WAIT_MS,
    visibilityTimeoutSeconds: c.VISIBILITY_TIMEOUT_SECONDS,
    maxReceiveCount: c.MAX_RECEIVE_COUNT,
    sendRatePerSecond: c.SEND_RATE_PER_SECOND,
    sendRateFromAccount: c.SEND_RATE_FROM_ACCOUNT,
    sendRateTaskShare: c.SEND_RATE_TASK_SHARE,
    retryBaseSeconds: c.RETRY_BASE_SECONDS,
    retryMaxSeconds: c.RETRY_MAX_SECONDS,
    accountPauseProbeSeconds: c.ACCOUNT_PAUSE_PROBE_SECONDS,
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    sesTimeoutMs: c.SES_TIMEOUT_MS,
    sqsAttemptTimeoutMs: c.SQS_ATTEMPT_TIMEOUT_MS,
    dynamodbAttemptTimeoutMs: c.DYNAMODB_ATTEMPT_TIMEOUT_MS,
    dynamodbMaxAttempts: c.DYNAMODB_MAX_ATTEMPTS,
    environment: c.ENVIRONMENT,
    metricsNamespace: c.METRICS_NAMESPACE,
    metricsFlushMs: c.METRICS_FLUSH_SECONDS * 1000,
    logLevel: c.LOG_LEVEL,
  }));

function isHttpUrl(raw: string): boolean {
  try {
    const { protocol } = new URL(raw);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export function readWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return readConfig(workerConfigSchema, env);
}
