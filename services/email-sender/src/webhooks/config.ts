// The dispatcher's configuration, read with the worker's: present only when WEBHOOKS_QUEUE_URL is
// set (a task without a webhooks queue runs no dispatcher). WEBHOOKS_ALLOW_LOOPBACK exists for
// the local stack and is refused in any other environment.
import { z } from 'zod';
import { env, parseWebhookClients, readConfig, type WebhookClients } from '@notify/shared';
import { DEFAULT_ATTEMPT_OPTIONS } from './attempt.ts';
import { SQS_MAX_VISIBILITY_SECONDS, WEBHOOK_RETRY_SCHEDULE_SECONDS } from './schedule.ts';
import type { DispatcherSettings } from './dispatcher.ts';

const schedule = z
  .string()
  .optional()
  .superRefine((raw, ctx) => {
    if (raw === undefined || raw.trim() === '') return;
    const delays = raw.split(',').map((d) => Number(d.trim()));
    if (delays.some((d) => !Number.isInteger(d) || d < 0 || d > SQS_MAX_VISIBILITY_SECONDS)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be comma-separated seconds from 0 to ${SQS_MAX_VISIBILITY_SECONDS} (got "${raw}")`,
      });
    }
  })
  .transform((raw) =>
    raw === undefined || raw.trim() === ''
      ? WEBHOOK_RETRY_SCHEDULE_SECONDS
      : raw.split(',').map((d) => Number(d.trim())),
  );

const clients = z
  .string()
  .optional()
  .superRefine((raw, ctx) => {
    try {
      parseWebhookClients(raw);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: (error as Error).message.replace(/^WEBHOOK_CLIENTS: /, ''),
      });
    }
  })
  .transform((raw) => raw);

export const webhookConfigSchema = z
  .object({
    WEBHOOKS_QUEUE_URL: env.url('URL of the webhooks queue'),
    WEBHOOKS_DLQ_URL: env.url('URL of the webhooks dead-letter queue'),
    WEBHOOK_CLIENTS: clients,
    WEBHOOKS_ALLOW_LOOPBACK: env.bool(false),
    WEBHOOKS_MAX_IN_FLIGHT: env.int(1, 1_000, 50),
    WEBHOOKS_PER_ENDPOINT_CONCURRENCY: env.int(1, 100, 4),
    WEBHOOKS_PER_ENDPOINT_WAITING: env.int(0, 1_000, 8),
    WEBHOOKS_DEFER_SECONDS: env.int(0, 900, 5),
    WEBHOOKS_ATTEMPT_TIMEOUT_MS: env.int(100, 30_000, DEFAULT_ATTEMPT_OPTIONS.timeoutMs),
    WEBHOOKS_VISIBILITY_TIMEOUT_SECONDS: env.int(2, 3_600, 60),
    WEBHOOKS_WAIT_TIME_SECONDS: env.int(0, 20, 20),
    WEBHOOKS_RETRY_SCHEDULE_SECONDS: schedule,
    ENVIRONMENT: env.text('local'),
  })
  .superRefine((c, ctx) => {
    if (c.WEBHOOKS_ALLOW_LOOPBACK && c.ENVIRONMENT !== 'local') {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOKS_ALLOW_LOOPBACK'],
        message: `is for the local stack only (ENVIRONMENT is "${c.ENVIRONMENT}")`,
      });
    }
    if (c.WEBHOOKS_ATTEMPT_TIMEOUT_MS >= c.WEBHOOKS_VISIBILITY_TIMEOUT_SECONDS * 1000) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOKS_ATTEMPT_TIMEOUT_MS'],
        message: `must be below WEBHOOKS_VISIBILITY_TIMEOUT_SECONDS (${c.WEBHOOKS_VISIBILITY_TIMEOUT_SECONDS} s)`,
      });
    }
  })
  .transform((c): { settings: DispatcherSettings; clients: WebhookClients } => ({
    settings: {
      queueUrl: c.WEBHOOKS_QUEUE_URL,
      dlqUrl: c.WEBHOOKS_DLQ_URL,
      waitTimeSeconds: c.WEBHOOKS_WAIT_TIME_SECONDS,
      visibilityTimeoutSeconds: c.WEBHOOKS_VISIBILITY_TIMEOUT_SECONDS,
      maxInFlight: c.WEBHOOKS_MAX_IN_FLIGHT,
      perEndpointConcurrency: c.WEBHOOKS_PER_ENDPOINT_CONCURRENCY,
      perEndpointWaiting: c.WEBHOOKS_PER_ENDPOINT_WAITING,
      deferSeconds: c.WEBHOOKS_DEFER_SECONDS,
      schedule: c.WEBHOOKS_RETRY_SCHEDULE_SECONDS,
      policy: { allowLoopback: c.WEBHOOKS_ALLOW_LOOPBACK },
      attempt: { ...DEFAULT_ATTEMPT_OPTIONS, timeoutMs: c.WEBHOOKS_ATTEMPT_TIMEOUT_MS },
    },
    clients: parseWebhookClients(c.WEBHOOK_CLIENTS),
  }));

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** The dispatcher's configuration, or undefined when this task has no webhooks queue. */
export function readWebhookConfig(
  environment: NodeJS.ProcessEnv = process.env,
): WebhookConfig | undefined {
  const queueUrl = environment.WEBHOOKS_QUEUE_URL;
  if (queueUrl === undefined || queueUrl.trim() === '') return undefined;
  return readConfig(webhookConfigSchema, environment);
}
