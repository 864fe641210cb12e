// The worker's whole configuration, read once from the environment (the same variables locally
// and in AWS). A bad value stops the process at start with the variable and the rule named.
import { z } from 'zod';
import { readConfig } from '@notify/shared';

/** SQS caps a message's visibility timeout (and so any retry delay) at 12 hours. */
export const SQS_MAX_VISIBILITY_SECONDS = 43_200;

function integer(name: string, fallback: number, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be an integer from ${min} to ${max} (got "${raw}")`,
        });
        return z.NEVER;
      }
      return value;
    });
}

function positiveNumber(name: string, fallback: number) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw);
      if (!Number.isFinite(value) || value <= 0) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be a number above 0 (got "${raw}")`,
        });
        return z.NEVER;
      }
      return value;
    });
}

function boolean(name: string, fallback: boolean) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const normalized = raw.trim().toLowerCase();
      if (normalized === 'true' || normalized === '1') return true;
      if (normalized === 'false' || normalized === '0') return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be true or false (got "${raw}")` });
      return z.NEVER;
    });
}

const requiredText = (name: string) =>
  z
    .string({ error: `${name} is required` })
    .trim()
    .min(1, { error: `${name} is required` });

const optionalText = z
  .string()
  .optional()
  .transform((raw) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim()));

export const workerConfigSchema = z
  .object({
    QUEUE_URL: requiredText('QUEUE_URL').pipe(z.url({ error: 'QUEUE_URL must be a URL' })),
    DLQ_URL: requiredText('DLQ_URL').pipe(z.url({ error: 'DLQ_URL must be a URL' })),
    EMAIL_FROM: requiredText('EMAIL_FROM'),
    SES_CONFIGURATION_SET: optionalText,
    // The status consumer runs when both are set; STATUS_TABLE alone records give-ups only.
    EVENTS_QUEUE_URL: optionalText.pipe(
      z.url({ error: 'EVENTS_QUEUE_URL must be a URL' }).optional(),
    ),
    STATUS_TABLE: optionalText,
    STATUS_RETENTION_DAYS: integer('STATUS_RETENTION_DAYS', 30, 1, 3_650),
    OPS_HOST: z.string().trim().min(1).default('0.0.0.0'),
    OPS_PORT: integer('OPS_PORT', 3001, 0, 65_535),
    POLLERS: integer('POLLERS', 2, 1, 50),
    MAX_IN_FLIGHT: integer('MAX_IN_FLIGHT', 40, 1, 10_000),
    WAIT_TIME_SECONDS: integer('WAIT_TIME_SECONDS', 20, 0, 20),
    // Capped at 2 s: the pause is added latency for every message arriving during it.
    RECEIVE_BATCH_WAIT_MS: integer('RECEIVE_BATCH_WAIT_MS', 0, 0, 2_000),
    VISIBILITY_TIMEOUT_SECONDS: integer(
      'VISIBILITY_TIMEOUT_SECONDS',
      60,
      2,
      SQS_MAX_VISIBILITY_SECONDS,
    ),
    MAX_RECEIVE_COUNT: integer('MAX_RECEIVE_COUNT', 5, 1, 1_000),
    SEND_RATE_PER_SECOND: positiveNumber('SEND_RATE_PER_SECOND', 14),
    SEND_RATE_FROM_ACCOUNT: boolean('SEND_RATE_FROM_ACCOUNT', false),
    SEND_RATE_TASK_SHARE: integer('SEND_RATE_TASK_SHARE', 1, 1, 1_000),
    RETRY_BASE_SECONDS: integer('RETRY_BASE_SECONDS', 5, 1, SQS_MAX_VISIBILITY_SECONDS),
    RETRY_MAX_SECONDS: integer('RETRY_MAX_SECONDS', 900, 1, SQS_MAX_VISIBILITY_SECONDS),
    ACCOUNT_PAUSE_PROBE_SECONDS: integer('ACCOUNT_PAUSE_PROBE_SECONDS', 60, 1, 3_600),
    SHUTDOWN_TIMEOUT_MS: integer('SHUTDOWN_TIMEOUT_MS', 25_000, 0, 120_000),
    // One SES attempt (the queue retries); below the visibility timeout, so a hung send ends
    // before its message can reappear for another consumer.
    SES_TIMEOUT_MS: integer('SES_TIMEOUT_MS', 10_000, 100, 60_000),
    // Per attempt of every SQS call; a long poll gets WAIT_TIME_SECONDS on top.
    SQS_ATTEMPT_TIMEOUT_MS: integer('SQS_ATTEMPT_TIMEOUT_MS', 3_000, 100, 30_000),
    ENVIRONMENT: z.string().trim().min(1).default('local'),
    METRICS_NAMESPACE: z.string().trim().min(1).default('Notify'),
    METRICS_FLUSH_SECONDS: integer('METRICS_FLUSH_SECONDS', 10, 0, 60),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  })
  .superRefine((c, ctx) => {
    if (c.SES_TIMEOUT_MS >= c.VISIBILITY_TIMEOUT_SECONDS * 1000) {
      ctx.addIssue({
        code: 'custom',
        path: ['SES_TIMEOUT_MS'],
        message: `SES_TIMEOUT_MS (${c.SES_TIMEOUT_MS}) must be below VISIBILITY_TIMEOUT_SECONDS (${c.VISIBILITY_TIMEOUT_SECONDS} s), or a hung send could overlap a second delivery of its message`,
      });
    }
    if (c.EVENTS_QUEUE_URL !== undefined && c.STATUS_TABLE === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['EVENTS_QUEUE_URL'],
        message: 'EVENTS_QUEUE_URL needs STATUS_TABLE: the status consumer writes SES events there',
      });
    }
    if (c.RETRY_BASE_SECONDS > c.RETRY_MAX_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['RETRY_BASE_SECONDS'],
        message: `RETRY_BASE_SECONDS (${c.RETRY_BASE_SECONDS}) must not exceed RETRY_MAX_SECONDS (${c.RETRY_MAX_SECONDS})`,
      });
    }
  });

export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export function readWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return readConfig(workerConfigSchema, env);
}
