// The notification status model: per-recipient state machine, forward-only by rank, and the
// rule that derives a notification's status from its recipients'. Pure functions, no I/O: the
// store applies them inside conditional writes, the API reads what they produced.

export const STATUSES = [
  'queued',
  'sent',
  'delayed',
  'delivered',
  'bounced',
  'suppressed',
  'rejected',
  'failed',
] as const;
export type Status = (typeof STATUSES)[number];

export const FINAL_STATUSES: readonly Status[] = [
  'delivered',
  'bounced',
  'suppressed',
  'rejected',
  'failed',
];

/** Final states share the top rank, so none replaces another; `delivered` -> `bounced` is the one exception. */
const RANK: Record<Status, number> = {
  queued: 0,
  sent: 1,
  delayed: 2,
  delivered: 3,
  bounced: 3,
  suppressed: 3,
  rejected: 3,
  failed: 3,
};

export function isFinal(status: Status): boolean {
  return FINAL_STATUSES.includes(status);
}

/**
 * Whether a recipient in `from` may move to `to`. Forward only by rank; a repeat or a late event
 * changes nothing. SES can report a bounce after a delivery, so `delivered` -> `bounced` is applied.
 */
export function canTransition(from: Status, to: Status): boolean {
  if (from === 'delivered' && to === 'bounced') return true;
  return RANK[to] > RANK[from];
}

export interface Reason {
  /** Machine-readable, stable: `mailbox_does_not_exist`, `on_suppression_list`, ... */
  code: string;
  /** Whether sending the same email again later could succeed. */
  retryable: boolean;
  /** What the receiving server or SES said, verbatim (SMTP diagnostic, reject reason). */
  detail?: string;
}

export interface RecipientState {
  address: string;
  status: Status;
  reason?: Reason;
  complainedAt?: string;
  updatedAt: string;
}

/** Every event the status lifecycle knows, from SES (through EventBridge) or from the worker. */
export type StatusEventType =
  | 'send'
  | 'delivery'
  | 'delivery_delay'
  | 'bounce'
  | 'complaint'
  | 'reject'
  | 'rendering_failure'
  | 'worker_gave_up';

export interface StatusEvent {
  /** Unique per event: the EventBridge event id, or the worker's own; duplicates share it. */
  eventId: string;
  notificationId: string;
  type: StatusEventType;
  /** When the event happened (SES's timestamp), ISO 8601. */
  at: string;
  sesMessageId?: string;
  /** The recipients the event is about, each with what it does to them. */
  recipients: EventRecipient[];
  /** What the event does to every recipient of the message (send, reject, the worker giving up). */
  everyone?: Omit<EventRecipient, 'address'>;
  bounceType?: string;
  bounceSubType?: string;
  complaintFeedbackType?: string;
  delayType?: string;
}

export interface EventRecipient {
  address: string;
  /** The status this event moves the recipient to; absent for a complaint (status stays). */
  status?: Status;
  reason?: Reason;
  smtpStatus?: string;
  diagnostic?: string;
}

export interface StatusRecord {
  id: string;
  status: Status;
  reason?: Reason;
  complainedAt?: string;
  sesMessageId?: string;
  createdAt: string;
  updatedAt: string;
  recipients: RecipientState[];
}

export interface Transition {
  address: string;
  from: Status;
  to: Status;
}

export interface ApplyResult {
  record: StatusRecord;
  /** Recipient status changes this event made (empty for a duplicate, late or complaint event). */
  transitions: Transition[];
  /** Whether anything in the record changed (a status, complainedAt or the SES message id). */
  changed: boolean;
}

/** A new record: every recipient `queued`. Addresses are kept as the client wrote them. */
export function newStatusRecord(id: string, addresses: string[], createdAt: string): StatusRecord {
  const seen = new Set<string>();
  const recipients: RecipientState[] = [];
  for (const address of addresses) {
    const key = address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    recipients.push({ address, status: 'queued', updatedAt: createdAt });
  }
  return { id, status: 'queued', createdAt, updatedAt: createdAt, recipients };
}

/**
 * Applies one event to a record. Pure and idempotent: applying the same event again returns
 * `changed: false`. Recipients the event names that the record does not hold are ignored.
 */
export function applyEvent(record: StatusRecord, event: StatusEvent): ApplyResult {
  const transitions: Transition[] = [];
  let changed = false;
  const byAddress = new Map(event.recipients.map((r) => [r.address.toLowerCase(), r]));

  const recipients = record.recipients.map((current) => {
    const hit = byAddress.get(current.address.toLowerCase()) ?? event.everyone;
    if (hit === undefined) return current;
    let next = current;
    if (hit.status !== undefined && canTransition(current.status, hit.status)) {
      next = { ...next, status: hit.status, updatedAt: event.at };
      if (hit.reason !== undefined) next.reason = hit.reason;
      else delete next.reason;
      transitions.push({ address: current.address, from: current.status, to: hit.status });
    }
    // A complaint that carries a status (SES suppressed the address after an earlier
    // complaint) reports no new complaint by this recipient.
    if (
      event.type === 'complaint' &&
      hit.status === undefined &&
      current.complainedAt === undefined
    ) {
      next = { ...next, complainedAt: event.at };
    }
    if (next !== current) changed = true;
    return next;
  });

  let sesMessageId = record.sesMessageId;
  if (sesMessageId === undefined && event.sesMessageId !== undefined) {
    sesMessageId = event.sesMessageId;
    changed = true;
  }
  if (!changed) return { record, transitions, changed };

  const derived = deriveStatus(recipients);
  const next: StatusRecord = {
    ...record,
    recipients,
    status: derived.status,
    updatedAt: maxTime(record.updatedAt, event.at),
  };
  if (derived.reason !== undefined) next.reason = derived.reason;
  else delete next.reason;
  const complainedAt = earliest(recipients.map((r) => r.complainedAt));
  if (complainedAt !== undefined) next.complainedAt = complainedAt;
  if (sesMessageId !== undefined) next.sesMessageId = sesMessageId;
  return { record: next, transitions, changed };
}

const FAILURE_PRECEDENCE: readonly Status[] = ['bounced', 'suppressed', 'rejected', 'failed'];

/**
 * The notification's status from its recipients':
 * - while any recipient is not final, the least advanced recipient's status (the notification
 *   is as far along as its slowest recipient);
 * - once all are final, `delivered` if any recipient was delivered (each recipient's own status
 *   says which were not), otherwise the first of bounced, suppressed, rejected, failed that a
 *   recipient holds, with that recipient's reason.
 */
export function deriveStatus(recipients: RecipientState[]): { status: Status; reason?: Reason } {
  if (recipients.length === 0) return { status: 'queued' };
  const pending = recipients.filter((r) => !isFinal(r.status));
  if (pending.length > 0) {
    const slowest = pending.reduce((a, b) => (RANK[b.status] < RANK[a.status] ? b : a));
    return slowest.reason === undefined
      ? { status: slowest.status }
      : { status: slowest.status, reason: slowest.reason };
  }
  if (recipients.some((r) => r.status === 'delivered')) return { status: 'delivered' };
  for (const status of FAILURE_PRECEDENCE) {
    const first = recipients.find((r) => r.status === status);
    if (first !== undefined)
      return first.reason === undefined ? { status } : { status, reason: first.reason };
  }
  return { status: recipients[0]!.status };
}

function maxTime(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function earliest(times: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const t of times) {
    if (t !== undefined && (best === undefined || Date.parse(t) < Date.parse(best))) best = t;
  }
  return best;
}
