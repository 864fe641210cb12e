// What a webhook tells a client: one recipient's status change (or complaint) on one of its
// notifications, as the JSON body of a Standard Webhooks delivery. Built by the status consumer
// when it enqueues the job, so every retry and replay sends the same bytes under the same id.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FINAL_STATUSES, STATUSES, type Reason, type Status } from '../status/model.ts';

/** Event types a client can subscribe to; `notification.delayed` and `.complained` are opt-in. */
export const WEBHOOK_EVENT_TYPES = [
  ...FINAL_STATUSES.map((s) => `notification.${s}` as const),
  'notification.delayed',
  'notification.complained',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What a client receives when its configuration names no event types: every final status. */
export const DEFAULT_WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = FINAL_STATUSES.map(
  (s) => `notification.${s}` as const,
);

const status = z.enum(STATUSES);
const reason = z.object({
  code: z.string().min(1),
  retryable: z.boolean(),
  detail: z.string().optional(),
});

/** The body: the Standard Webhooks recommended `{type, timestamp, data}` shape. */
export const webhookEventSchema = z.object({
  type: z.enum(WEBHOOK_EVENT_TYPES),
  /** When the change happened (the SES event time), ISO 8601. */
  timestamp: z.iso.datetime({ offset: true }),
  data: z.object({
    /** The notification id returned by POST /v1/notifications. */
    id: z.string().min(1),
    reference: z.string().optional(),
    /** The notification's status after this change (derived from all recipients). */
    status,
    reason: reason.optional(),
    /** The recipient whose status changed (or who complained). */
    recipient: z.object({
      address: z.string().min(1),
      status,
      previousStatus: status.optional(),
      reason: reason.optional(),
      complainedAt: z.iso.datetime({ offset: true }).optional(),
    }),
    /**
     * The status record's version after this change; grows with every change. A receiver that
     * has seen a higher version for this notification can drop the delivery as stale.
     */
    version: z.number().int().nonnegative(),
  }),
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

export interface RecipientChange {
  notificationId: string;
  reference?: string;
  /** The notification's derived status and reason after the change. */
  notificationStatus: Status;
  notificationReason?: Reason;
  address: string;
  /** The recipient's status before and after; equal for a complaint (status stays). */
  from: Status;
  to: Status;
  recipientReason?: Reason;
  /** Set for a complaint: when the recipient complained. */
  complainedAt?: string;
  at: string;
  version: number;
}

/** The event type a change reports: the new status, or `complained` when the status stayed. */
export function webhookEventType(change: RecipientChange): WebhookEventType {
  if (change.complainedAt !== undefined && change.from === change.to) {
    return 'notification.complained';
  }
  const type = `notification.${change.to}`;
  if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)) {
    throw new Error(`status ${change.to} has no webhook event type`);
  }
  return type as WebhookEventType;
}

export function buildWebhookEvent(change: RecipientChange): WebhookEvent {
  const recipient: WebhookEvent['data']['recipient'] = {
    address: change.address,
    status: change.to,
  };
  if (change.from !== change.to) recipient.previousStatus = change.from;
  if (change.recipientReason !== undefined) recipient.reason = change.recipientReason;
  if (change.complainedAt !== undefined) recipient.complainedAt = change.complainedAt;
  const data: WebhookEvent['data'] = {
    id: change.notificationId,
    status: change.notificationStatus,
    recipient,
    version: change.version,
  };
  if (change.reference !== undefined) data.reference = change.reference;
  if (change.notificationReason !== undefined) data.reason = change.notificationReason;
  return { type: webhookEventType(change), timestamp: change.at, data };
}

/**
 * The `webhook-id`: the same for every attempt and replay of one change (the spec's idempotency
 * key), and also for a duplicate job enqueued for the same change, so receivers dedupe both.
 */
export function webhookMessageId(event: WebhookEvent): string {
  const key = [event.data.id, event.data.recipient.address.toLowerCase(), event.type].join('\n');
  return `msg_${createHash('sha256').update(key).digest('base64url').slice(0, 27)}`;
}
