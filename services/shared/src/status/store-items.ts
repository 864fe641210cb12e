// How status records and events map to DynamoDB items of the status table, and the opaque
// cursor of the list queries. Pure functions, no I/O, so the mapping is unit-tested on its own.
// Table design (services/notification-api/README.md, "Status table"): one table, keys pk + sk.
// - state item   pk `N#<id>`, sk `STATE`; index keys gsi1 (client + reference), gsi2 (SES
//   message id, once known), gsi3 (client + change time: the change feed and plain listing);
// - event item   pk `N#<id>`, sk `E#<at>#<eventId>`: the timeline, oldest first under the pk.
import type {
  EventRecipient,
  Reason,
  RecipientState,
  Status,
  StatusEvent,
  StatusEventType,
  StatusRecord,
} from './model.ts';
import { STATUSES } from './model.ts';

export const STATE_SK = 'STATE';
export const EVENT_SK_PREFIX = 'E#';
export const INDEX_BY_REFERENCE = 'by-reference';
export const INDEX_BY_SES_MESSAGE = 'by-ses-message';
export const INDEX_BY_CHANGE = 'by-change';

export const notificationPk = (id: string) => `N#${id}`;
export const referencePk = (clientId: string, reference: string) => `C#${clientId}#R#${reference}`;
export const clientPk = (clientId: string) => `C#${clientId}`;
export const sesMessagePk = (sesMessageId: string) => `M#${sesMessageId}`;

/** A state record as stored: the model's record plus ownership, retention and concurrency. */
export interface StoredNotification extends StatusRecord {
  clientId: string;
  reference?: string;
  /** Optimistic concurrency: every update is conditional on the version it read. */
  version: number;
  /** When the store last wrote the record (not when SES saw the event): the change feed's order. */
  changedAt: string;
  /** Epoch seconds; DynamoDB's TTL attribute, also checked on every read. */
  expiresAt: number;
}

export type StateItem = Record<string, unknown>;

export function toStateItem(stored: StoredNotification): StateItem {
  const item: StateItem = {
    pk: notificationPk(stored.id),
    sk: STATE_SK,
    id: stored.id,
    clientId: stored.clientId,
    status: stored.status,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    recipients: stored.recipients,
    version: stored.version,
    changedAt: stored.changedAt,
    expiresAt: stored.expiresAt,
    gsi3pk: clientPk(stored.clientId),
    gsi3sk: `${stored.changedAt}#${stored.id}`,
  };
  if (stored.reference !== undefined) {
    item.reference = stored.reference;
    item.gsi1pk = referencePk(stored.clientId, stored.reference);
    item.gsi1sk = `${stored.createdAt}#${stored.id}`;
  }
  if (stored.reason !== undefined) item.reason = stored.reason;
  if (stored.complainedAt !== undefined) item.complainedAt = stored.complainedAt;
  if (stored.sesMessageId !== undefined) {
    item.sesMessageId = stored.sesMessageId;
    item.gsi2pk = sesMessagePk(stored.sesMessageId);
  }
  return item;
}

/** The stored record of a state item, or undefined when the item is not one we wrote. */
export function fromStateItem(item: StateItem | undefined): StoredNotification | undefined {
  if (item === undefined || item.sk !== STATE_SK) return undefined;
  const { id, clientId, status, createdAt, updatedAt, recipients, version, changedAt, expiresAt } =
    item;
  if (
    typeof id !== 'string' ||
    typeof clientId !== 'string' ||
    !isStatus(status) ||
    typeof createdAt !== 'string' ||
    typeof updatedAt !== 'string' ||
    !Array.isArray(recipients) ||
    typeof version !== 'number' ||
    typeof changedAt !== 'string' ||
    typeof expiresAt !== 'number'
  ) {
    return undefined;
  }
  const stored: StoredNotification = {
    id,
    clientId,
    status,
    createdAt,
    updatedAt,
    recipients: recipients as RecipientState[],
    version,
    changedAt,
    expiresAt,
  };
  if (typeof item.reference === 'string') stored.reference = item.reference;
  if (item.reason !== undefined) stored.reason = item.reason as Reason;
  if (typeof item.complainedAt === 'string') stored.complainedAt = item.complainedAt;
  if (typeof item.sesMessageId === 'string') stored.sesMessageId = item.sesMessageId;
  return stored;
}

function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/** One entry of a notification's timeline, as stored and read back by its owner. */
export interface StoredEvent {
  eventId: string;
  type: StatusEventType;
  at: string;
  sesMessageId?: string;
  recipients: EventRecipient[];
  everyone?: Omit<EventRecipient, 'address'>;
  bounceType?: string;
  bounceSubType?: string;
  complaintFeedbackType?: string;
  delayType?: string;
}

const EVENT_FIELDS = [
  'sesMessageId',
  'everyone',
  'bounceType',
  'bounceSubType',
  'complaintFeedbackType',
  'delayType',
] as const;

export function eventSk(event: Pick<StatusEvent, 'at' | 'eventId'>): string {
  return `${EVENT_SK_PREFIX}${event.at}#${event.eventId}`;
}

export function toEventItem(event: StatusEvent, expiresAt: number): Record<string, unknown> {
  const item: Record<string, unknown> = {
    pk: notificationPk(event.notificationId),
    sk: eventSk(event),
    eventId: event.eventId,
    type: event.type,
    at: event.at,
    recipients: event.recipients,
    expiresAt,
  };
  for (const field of EVENT_FIELDS) {
    if (event[field] !== undefined) item[field] = event[field];
  }
  return item;
}

export function fromEventItem(item: Record<string, unknown>): StoredEvent | undefined {
  const { eventId, type, at, recipients } = item;
  if (
    typeof item.sk !== 'string' ||
    !item.sk.startsWith(EVENT_SK_PREFIX) ||
    typeof eventId !== 'string' ||
    typeof type !== 'string' ||
    typeof at !== 'string' ||
    !Array.isArray(recipients)
  ) {
    return undefined;
  }
  const event: StoredEvent = {
    eventId,
    type: type as StatusEventType,
    at,
    recipients: recipients as EventRecipient[],
  };
  for (const field of EVENT_FIELDS) {
    if (item[field] !== undefined)
      (event as unknown as Record<string, unknown>)[field] = item[field];
  }
  return event;
}

// --- cursor ------------------------------------------------------------------------------

/** A list cursor was not one this store issued for this query. The API answers 400 `cursor`. */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

export type ListIndex = typeof INDEX_BY_REFERENCE | typeof INDEX_BY_CHANGE;

/**
 * Where a list query continues: after `after` in the index's sort order. `query` binds the cursor
 * to the filters it was issued for, so it cannot be replayed against a different query.
 */
export interface ListCursor {
  index: ListIndex;
  after: string;
  query: string;
}

const MAX_CURSOR_CHARS = 2048;
const ISO_MS = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';
/** A sort key of the by-change and by-reference indexes (`<time>#<id>`) or a bare time. */
const SORT_POSITION = new RegExp(`^${ISO_MS}(#[^#]{1,200})?$`);

export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(
    JSON.stringify({ i: cursor.index, a: cursor.after, q: cursor.query }),
  ).toString('base64url');
}

/** Decodes and checks a cursor; throws InvalidCursorError for anything this store did not issue. */
export function decodeCursor(text: string): ListCursor {
  if (text.length === 0 || text.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(text)) {
    throw new InvalidCursorError('cursor is not a cursor this API returned');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not a cursor this API returned');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidCursorError('cursor is not a cursor this API returned');
  }
  const { i, a, q } = parsed as Record<string, unknown>;
  if (
    (i !== INDEX_BY_REFERENCE && i !== INDEX_BY_CHANGE) ||
    typeof a !== 'string' ||
    !SORT_POSITION.test(a) ||
    typeof q !== 'string' ||
    q.length > 1024
  ) {
    throw new InvalidCursorError('cursor is not a cursor this API returned');
  }
  return { index: i, after: a, query: q };
}
