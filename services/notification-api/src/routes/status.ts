// GET /v1/notifications/{id}, /v1/notifications/{id}/events and /v1/notifications?...: a
// client reads the status of its own notifications. Another client's id answers exactly like
// an unknown one (404), so ids reveal nothing. Every malformed input is a 400 naming its field;
// a store outage is a 503, never a 5xx for anything the client sent.
import { Router } from '@koa/router';
import {
  InvalidCursorError,
  MAX_REFERENCE_LENGTH,
  STATUSES,
  type ListQuery,
  type Status,
  type StatusStore,
} from '@notify/shared';
import { authMiddleware, type Authenticator } from '../auth.ts';
import { ApiError, statusUnavailable, validationError, type ErrorDetail } from '../errors.ts';
import { rateLimitMiddleware, type TokenBucketRateLimiter } from '../rate-limit.ts';
import type { ApiState } from '../state.ts';
import { eventView, notificationView } from '../status-view.ts';

export type StatusReader = Pick<StatusStore, 'get' | 'events' | 'list'>;

export interface StatusRouteDeps {
  authenticator: Authenticator;
  rateLimiter: Pick<TokenBucketRateLimiter, 'take'>;
  status: StatusReader;
  retryAfterSeconds?: number;
}

/** Notification ids are UUIDs (randomUUID); SES event tags carry them in lower case. */
const NOTIFICATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Epoch ms of an ISO 8601 instant with a zone, or undefined. Every field is range-checked:
 * Date.parse alone rolls 2026-02-30 over into March.
 */
export function parseInstant(text: string): number | undefined {
  const m = ISO_INSTANT.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[];
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth) return undefined;
  if (hour! > 23 || minute! > 59 || second! > 59) return undefined;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 100;
const LIST_PARAMETERS = new Set(['reference', 'status', 'updatedSince', 'cursor', 'limit']);

const notFound = () => new ApiError(404, 'NOT_FOUND', 'no such notification');

function readId(id: unknown): string {
  if (typeof id !== 'string' || !NOTIFICATION_ID.test(id)) {
    throw validationError('the notification id is invalid', [
      { field: 'id', rule: 'uuid', message: 'must be a notification id (a UUID)' },
    ]);
  }
  return id.toLowerCase();
}

/** The list query, or a 400 naming every field that is wrong. */
export function parseListQuery(query: Record<string, string | string[] | undefined>): ListQuery {
  const details: ErrorDetail[] = [];
  const single = (name: string): string | undefined => {
    const value = query[name];
    if (Array.isArray(value)) {
      details.push({ field: name, rule: 'single_value', message: 'must be given at most once' });
      return undefined;
    }
    return value;
  };
  for (const name of Object.keys(query)) {
    if (!LIST_PARAMETERS.has(name)) {
      details.push({ field: name, rule: 'unknown_field', message: 'is not a known parameter' });
    }
  }
  const result: ListQuery = { limit: DEFAULT_LIST_LIMIT };
  const reference = single('reference');
  if (reference !== undefined) {
    if (reference.length < 1 || reference.length > MAX_REFERENCE_LENGTH) {
      details.push({
        field: 'reference',
        rule: 'length',
        message: `must be 1..${MAX_REFERENCE_LENGTH} characters`,
      });
    } else result.reference = reference;
  }
  const status = single('status');
  if (status !== undefined) {
    if ((STATUSES as readonly string[]).includes(status)) result.status = status as Status;
    else {
      details.push({
        field: 'status',
        rule: 'enum',
        message: `must be one of ${STATUSES.join(', ')}`,
      });
    }
  }
  const updatedSince = single('updatedSince');
  if (updatedSince !== undefined) {
    const ms = parseInstant(updatedSince);
    if (ms === undefined || ms < 0 || ms > 253_402_300_799_999) {
      details.push({
        field: 'updatedSince',
        rule: 'iso_8601',
        message: 'must be an ISO 8601 instant with a time zone, e.g. 2026-01-31T12:00:00Z',
      });
    } else result.updatedSince = new Date(ms).toISOString();
  }
  const cursor = single('cursor');
  if (cursor !== undefined) result.cursor = cursor;
  const limit = single('limit');
  if (limit !== undefined) {
    const n = Number(limit);
    if (!/^\d{1,3}$/.test(limit) || n < 1 || n > MAX_LIST_LIMIT) {
      details.push({
        field: 'limit',
        rule: 'range',
        message: `must be an integer from 1 to ${MAX_LIST_LIMIT}`,
      });
    } else result.limit = n;
  }
  if (details.length > 0) throw validationError('the query is invalid', details);
  return result;
}

const invalidCursor = () =>
  validationError('the query is invalid', [
    {
      field: 'cursor',
      rule: 'cursor',
      message: 'must be a `next` value this API returned for the same query',
    },
  ]);

export function statusRoutes(deps: StatusRouteDeps): Router<ApiState> {
  const router = new Router<ApiState>();
  const retryAfter = deps.retryAfterSeconds ?? 5;
  const guard = [authMiddleware(deps.authenticator), rateLimitMiddleware(deps.rateLimiter)];

  /** Runs a store read; anything but a bad cursor means the store is not answering. */
  async function read<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof InvalidCursorError) throw invalidCursor();
      throw statusUnavailable(retryAfter, error);
    }
  }

  router.get('/v1/notifications', ...guard, async (ctx) => {
    const query = parseListQuery(ctx.query);
    const client = ctx.state.client ?? 'anonymous';
    const page = await read(() => deps.status.list(client, query));
    ctx.body = {
      notifications: page.items.map(notificationView),
      ...(page.next === undefined ? {} : { next: page.next }),
    };
  });

  router.get('/v1/notifications/:id', ...guard, async (ctx) => {
    const id = readId(ctx.params.id);
    const stored = await read(() => deps.status.get(ctx.state.client ?? 'anonymous', id));
    if (stored === undefined) throw notFound();
    ctx.state.notificationId = id;
    ctx.body = notificationView(stored);
  });

  router.get('/v1/notifications/:id/events', ...guard, async (ctx) => {
    const id = readId(ctx.params.id);
    const events = await read(() => deps.status.events(ctx.state.client ?? 'anonymous', id));
    if (events === undefined) throw notFound();
    ctx.state.notificationId = id;
    ctx.body = { events: events.map(eventView) };
  });

  return router;
}
