// Test doubles and helpers for notification-api tests: in-memory dependencies for createApp,
// captured log lines, and a raw HTTP client that can send what fetch refuses to.
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import {
  createLogger,
  createMetrics,
  InvalidCursorError,
  newStatusRecord,
  type ListPage,
  type ListQuery,
  type Logger,
  type NewNotification,
  type StoredEvent,
  type StoredNotification,
} from '@notify/shared';
import { createApp, type AppDeps } from '../src/app.ts';
import { createAuthenticator } from '../src/auth.ts';
import type { EnqueueResult, OutgoingMessage } from '../src/enqueue-batcher.ts';
import {
  judgeExisting,
  type ClaimInput,
  type ClaimResult,
  type IdempotencyRecord,
  type IdempotencyStore,
} from '../src/idempotency.ts';
import { TokenBucketRateLimiter } from '../src/rate-limit.ts';

export const TOKEN = 'test-token-0123456789';
export const OTHER_TOKEN = 'other-token-0123456789';

export function captureLogs(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      raw.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger({ service: 'notification-api', level: 'debug', destination });
  return {
    logger,
    lines: () =>
      raw
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** The idempotency store's decision logic over a Map, for tests without DynamoDB. */
export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly records = new Map<string, IdempotencyRecord>();
  calls = 0;

  async claim(input: ClaimInput): Promise<ClaimResult> {
    this.calls += 1;
    const pk = `${input.scope}#${input.key}`;
    const existing = this.records.get(pk);
    if (existing) {
      const verdict = judgeExisting(existing, input.fingerprint, Math.floor(Date.now() / 1000));
      if (verdict.outcome !== 'expired') return verdict;
    }
    this.records.set(pk, {
      fingerprint: input.fingerprint,
      state: 'in_progress',
      notificationId: input.notificationId,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
    return { outcome: 'claimed' };
  }

  async complete(input: ClaimInput, response: { status: number; body: unknown }) {
    this.calls += 1;
    const record = this.records.get(`${input.scope}#${input.key}`);
    if (record) {
      record.state = 'completed';
      record.responseStatus = response.status;
      record.responseBody = JSON.stringify(response.body);
    }
  }

  async release(input: ClaimInput) {
    this.calls += 1;
    this.records.delete(`${input.scope}#${input.key}`);
  }

  async markUnknown(input: ClaimInput) {
    this.calls += 1;
    const record = this.records.get(`${input.scope}#${input.key}`);
    if (record?.notificationId === input.notificationId) record.state = 'unknown';
  }
}

/**
 * Status records over a Map, for tests without DynamoDB. It issues no cursors, so any cursor is
 * refused, as the real store refuses one it did not issue; the real store's paging, retention
 * and event handling are tested on the emulator (status store and API integration tests).
 */
export class MemoryStatusStore {
  readonly records = new Map<string, StoredNotification>();
  creates = 0;
  removes = 0;

  async create(n: NewNotification): Promise<void> {
    this.creates += 1;
    const record = newStatusRecord(n.id, n.addresses, n.createdAt);
    this.records.set(n.id, {
      ...record,
      clientId: n.clientId,
      version: 1,
      changedAt: n.createdAt,
      expiresAt: Math.floor(Date.parse(n.createdAt) / 1000) + 86_400,
      ...(n.reference === undefined ? {} : { reference: n.reference }),
    });
  }

  async remove(id: string): Promise<boolean> {
    this.removes += 1;
    return this.records.delete(id);
  }

  async get(clientId: string, id: string): Promise<StoredNotification | undefined> {
    const record = this.records.get(id);
    return record?.clientId === clientId ? record : undefined;
  }

  async events(clientId: string, id: string): Promise<StoredEvent[] | undefined> {
    return (await this.get(clientId, id)) === undefined ? undefined : [];
  }

  async list(clientId: string, query: ListQuery): Promise<ListPage> {
    if (query.cursor !== undefined) throw new InvalidCursorError('this store issues no cursors');
    const items = [...this.records.values()].filter(
      (r) =>
        r.clientId === clientId &&
        (query.reference === undefined || r.reference === query.reference) &&
        (query.status === undefined || r.status === query.status),
    );
    return { items: items.slice(0, query.limit) };
  }
}

export interface FakeDeps {
  deps: AppDeps;
  sent: OutgoingMessage[];
  idempotency: MemoryIdempotencyStore;
  status: MemoryStatusStore;
  logs: () => Record<string, unknown>[];
}

export function fakeDeps(overrides: Partial<AppDeps> = {}): FakeDeps {
  const sent: OutgoingMessage[] = [];
  const { logger, lines } = captureLogs();
  const idempotency = new MemoryIdempotencyStore();
  const status = new MemoryStatusStore();
  let n = 0;
  const deps: AppDeps = {
    authenticator: createAuthenticator([
      { name: 'billing', token: TOKEN },
      { name: 'crm', token: OTHER_TOKEN },
    ]),
    rateLimiter: new TokenBucketRateLimiter({ ratePerSecond: 1000, burst: 1000 }),
    enqueue: async (message): Promise<EnqueueResult> => {
      sent.push(message);
      n += 1;
      return { messageId: `m-${n}` };
    },
    idempotency,
    status,
    readiness: { status: async () => ({ ready: true }) },
    logger,
    metrics: createMetrics(logger, 'Notify', { Service: 'notification-api', Environment: 'test' }),
    bodyLimitBytes: 262_144,
    ...overrides,
  };
  return { deps, sent, idempotency, status, logs: lines };
}

export async function listen(
  deps: AppDeps,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => unknown;
}

/** A plain node:http request: any method, any header, any bytes. */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  },
): Promise<RawResponse> {
  const target = new URL(url);
  // Without a length Node sends a GET's body unframed, which is not HTTP.
  const headers = { ...options.headers };
  if (options.body !== undefined)
    headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: options.path ?? '/',
        method: options.method ?? 'GET',
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as unknown,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export const validBody = {
  to: 'jane@example.com',
  subject: 'Your receipt',
  text: 'Thanks for your order.',
};

export function postNotification(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return rawRequest(url, {
    method: 'POST',
    path: '/v1/notifications',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
