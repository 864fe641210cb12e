// What GET /v1/notifications... answers: the stored status records and events in the API's
// shape (architecture.md, "Notification status"). Store internals (keys, version, change time,
// retention) never leave the service. Addresses are the owner's own data and are returned as
// written; they are never logged.
import type { Reason, StoredEvent, StoredNotification } from '@notify/shared';

export interface NotificationView {
  id: string;
  status: string;
  reference?: string;
  createdAt: string;
  updatedAt: string;
  recipients: { address: string; status: string; reason?: Reason }[];
  reason?: Reason;
  complainedAt?: string;
}

export function notificationView(stored: StoredNotification): NotificationView {
  const view: NotificationView = {
    id: stored.id,
    status: stored.status,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    recipients: stored.recipients.map((r) =>
      r.reason === undefined
        ? { address: r.address, status: r.status }
        : { address: r.address, status: r.status, reason: r.reason },
    ),
  };
  if (stored.reference !== undefined) view.reference = stored.reference;
  if (stored.reason !== undefined) view.reason = stored.reason;
  if (stored.complainedAt !== undefined) view.complainedAt = stored.complainedAt;
  return view;
}

export interface EventView {
  id: string;
  type: string;
  at: string;
  /** What the event did to every recipient (send, reject, the worker giving up). */
  status?: string;
  reason?: Reason;
  sesMessageId?: string;
  bounceType?: string;
  bounceSubType?: string;
  complaintFeedbackType?: string;
  delayType?: string;
  recipients: {
    address: string;
    status?: string;
    reason?: Reason;
    smtpStatus?: string;
    diagnostic?: string;
  }[];
}

const EVENT_DETAIL_FIELDS = [
  'sesMessageId',
  'bounceType',
  'bounceSubType',
  'complaintFeedbackType',
  'delayType',
] as const;

export function eventView(event: StoredEvent): EventView {
  const view: EventView = {
    id: event.eventId,
    type: event.type,
    at: event.at,
    recipients: event.recipients.map((r) => {
      const out: EventView['recipients'][number] = { address: r.address };
      if (r.status !== undefined) out.status = r.status;
      if (r.reason !== undefined) out.reason = r.reason;
      if (r.smtpStatus !== undefined) out.smtpStatus = r.smtpStatus;
      if (r.diagnostic !== undefined) out.diagnostic = r.diagnostic;
      return out;
    }),
  };
  if (event.everyone?.status !== undefined) view.status = event.everyone.status;
  if (event.everyone?.reason !== undefined) view.reason = event.everyone.reason;
  for (const field of EVENT_DETAIL_FIELDS) {
    if (event[field] !== undefined) view[field] = event[field];
  }
  return view;
}
