// The webhook job: the queue message between the status consumer (producer) and the webhook
// dispatcher (consumer). It names the client, not the endpoint or secrets: the dispatcher reads
// the client's configuration at send time, so a rotated secret or a changed URL applies to the
// retries and replays of jobs enqueued before the change.
import { z } from 'zod';
import { webhookEventSchema, webhookMessageId, type WebhookEvent } from './event.ts';

export const WEBHOOK_JOB_VERSION = 1 as const;

export const webhookJobSchema = z.object({
  v: z.literal(WEBHOOK_JOB_VERSION),
  clientId: z.string().min(1),
  /** The `webhook-id` header: stable across attempts and replays. */
  messageId: z.string().min(1),
  event: webhookEventSchema,
});
export type WebhookJob = z.infer<typeof webhookJobSchema>;

export function newWebhookJob(clientId: string, event: WebhookEvent): WebhookJob {
  return { v: WEBHOOK_JOB_VERSION, clientId, messageId: webhookMessageId(event), event };
}

export type ParsedWebhookJob = { ok: true; job: WebhookJob } | { ok: false; reason: string };

/** Parses an SQS body; never throws (a job that does not parse is poison, for the DLQ). */
export function parseWebhookJob(body: string): ParsedWebhookJob {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const result = webhookJobSchema.safeParse(raw);
  if (!result.success) {
    const first = result.error.issues[0];
    return {
      ok: false,
      reason: `invalid job: ${first?.path.join('.') || '(root)'}: ${first?.message}`,
    };
  }
  return { ok: true, job: result.data };
}
