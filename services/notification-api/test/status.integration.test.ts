// The status routes through the real app and server on the emulators (dynalite, fauxqs): what
// a client reads after a POST, as SES events are applied to the store the way the status
// consumer applies them, and what it is told for ids, cursors and outages it gets wrong.
import { randomUUID } from 'node:crypto';
import { StatusStore, type StatusEvent } from '@notify/shared';
import { freePort } from '@notify/local-stack';
import { readApiConfig } from '../src/config.ts';
import { startApiServer, type RunningApi } from '../src/server.ts';
import { API_TOKEN, startHarness, type Harness } from './emulator-harness.ts';
import { captureLogs, rawRequest, type RawResponse } from './support.ts';

jest.setTimeout(60_000);

const OTHER_TOKEN = 'integration-other-token-0123';
let harness: Harness;
let api: RunningApi;
let logs: ReturnType<typeof captureLogs>;
let store: StatusStore;
const extraServers: RunningApi[] = [];

const tokens = JSON.stringify({ billing: API_TOKEN, crm: OTHER_TOKEN });

function post(url: string, payload: unknown, token = API_TOKEN): Promise<RawResponse> {
  return rawRequest(url, {
    method: 'POST',
    path: '/v1/notifications',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
}

function get(url: string, path: string, token = API_TOKEN): Promise<RawResponse> {
  return rawRequest(url, { path, headers: { authorization: `Bearer ${token}` } });
}

const json = <T = Record<string, unknown>>(res: RawResponse) => res.json() as T;
const details = (res: RawResponse) =>
  (res.json() as { error: { details?: { field: string }[] } }).error.details?.map((d) => d.field);

function email(to: string | string[], extra: Record<string, unknown> = {}) {
  return { to, subject: 'Status', text: 'Hello', ...extra };
}

async function accepted(payload: unknown): Promise<string> {
  const res = await post(api.url, payload);
  expect(res.status).toBe(202);
  return json<{ id: string }>(res).id;
}

function sesEvent(
  id: string,
  type: StatusEvent['type'],
  recipients: StatusEvent['recipients'],
  extra: Partial<StatusEvent> = {},
): StatusEvent {
  return {
    eventId: randomUUID(),
    notificationId: id,
    type,
    at: new Date().toISOString(),
    sesMessageId: `ses-${id}`,
    recipients,
    ...extra,
  };
}

beforeAll(async () => {
  harness = await startHarness('status-it');
  Object.assign(process.env, harness.emulators.env);
  logs = captureLogs();
  api = await startApiServer(
    readApiConfig(harness.apiEnv({ API_TOKENS: tokens, METRICS_FLUSH_SECONDS: '0' })),
    logs.logger,
  );
  // The status consumer's side of the store, on the same table.
  store = new StatusStore({
    client: harness.dynamodb,
    table: harness.resources.statusTable,
    retentionDays: 30,
  });
});

afterAll(async () => {
  await Promise.all([api, ...extraServers].map((s) => s?.shutdown()));
  await harness?.stop();
});

describe('GET /v1/notifications/{id}', () => {
  it('finds the notification queued right after the 202, for its owner only', async () => {
    const id = await accepted(
      email(['Jane@Example.com', 'bob@example.com'], {
        cc: 'carol@example.com',
        bcc: ['dave@example.com'],
        reference: 'order-7',
      }),
    );
    const res = await get(api.url, `/v1/notifications/${id}`);
    expect(res.status).toBe(200);
    const view = json(res);
    expect(view).toEqual({
      id,
      status: 'queued',
      reference: 'order-7',
      createdAt: expect.any(String),
      updatedAt: view.createdAt,
      recipients: [
        'Jane@Example.com',
        'bob@example.com',
        'carol@example.com',
        'dave@example.com',
      ].map((address) => ({ address, status: 'queued' })),
    });
    // Upper-case ids are the same id.
    expect((await get(api.url, `/v1/notifications/${id.toUpperCase()}`)).status).toBe(200);

    const other = await get(api.url, `/v1/notifications/${id}`, OTHER_TOKEN);
    const unknown = await get(api.url, `/v1/notifications/${randomUUID()}`);
    for (const res of [other, unknown]) {
      expect(res.status).toBe(404);
      expect(json(res)).toEqual({ error: { code: 'NOT_FOUND', message: 'no such notification' } });
    }
    expect((await get(api.url, `/v1/notifications/${id}/events`, OTHER_TOKEN)).status).toBe(404);
    expect((await get(api.url, `/v1/notifications/${id}`, 'not-a-token-at-all-xyz')).status).toBe(
      401,
    );
  });

  it('400 naming `id` for a malformed id, never a 5xx', async () => {
    for (const bad of ['x', '123', `${randomUUID()}x`, '%E2%82%AC', 'N%23abc', "'%20OR%201=1"]) {
      for (const suffix of ['', '/events']) {
        const res = await get(api.url, `/v1/notifications/${bad}${suffix}`);
        expect(res.status).toBe(400);
        expect(details(res)).toEqual(['id']);
      }
    }
  });

  it('shows what SES events did, per recipient, and the timeline oldest first', async () => {
    const id = await accepted(email(['ok@example.com', 'gone@example.com']));
    // SES timestamps have millisecond precision; events of the same millisecond sort by id.
    const t0 = Date.now();
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const sent = sesEvent(id, 'send', [], { everyone: { status: 'sent' }, at: at(0) });
    const delivered = sesEvent(
      id,
      'delivery',
      [
        {
          address: 'ok@example.com',
          status: 'delivered',
          smtpStatus: '250 2.6.0 Message received',
        },
      ],
      { at: at(1) },
    );
    const bounced = sesEvent(
      id,
      'bounce',
      [
        {
          address: 'gone@example.com',
          status: 'bounced',
          reason: { code: 'mailbox_does_not_exist', retryable: false },
          smtpStatus: '5.1.1',
          diagnostic: 'smtp; 550 5.1.1 user unknown',
        },
      ],
      { bounceType: 'Permanent', bounceSubType: 'General', at: at(2) },
    );
    for (const event of [sent, delivered, bounced]) {
      expect(await store.applyEvent(event)).toMatchObject({ outcome: 'applied' });
    }
    // A redelivered event changes nothing and adds nothing to the timeline.
    expect(await store.applyEvent(delivered)).toEqual({ outcome: 'unchanged' });

    const view = json(await get(api.url, `/v1/notifications/${id}`));
    expect(view).toMatchObject({
      status: 'delivered',
      recipients: [
        { address: 'ok@example.com', status: 'delivered' },
        {
          address: 'gone@example.com',
          status: 'bounced',
          reason: { code: 'mailbox_does_not_exist', retryable: false },
        },
      ],
    });
    expect(view).not.toHaveProperty('version');
    expect(view).not.toHaveProperty('sesMessageId');

    const res = await get(api.url, `/v1/notifications/${id}/events`);
    expect(res.status).toBe(200);
    const { events } = json<{ events: Record<string, unknown>[] }>(res);
    expect(events).toEqual([
      {
        id: sent.eventId,
        type: 'send',
        at: sent.at,
        status: 'sent',
        sesMessageId: `ses-${id}`,
        recipients: [],
      },
      {
        id: delivered.eventId,
        type: 'delivery',
        at: delivered.at,
        sesMessageId: `ses-${id}`,
        recipients: [
          {
            address: 'ok@example.com',
            status: 'delivered',
            smtpStatus: '250 2.6.0 Message received',
          },
        ],
      },
      {
        id: bounced.eventId,
        type: 'bounce',
        at: bounced.at,
        sesMessageId: `ses-${id}`,
        bounceType: 'Permanent',
        bounceSubType: 'General',
        recipients: [
          {
            address: 'gone@example.com',
            status: 'bounced',
            reason: { code: 'mailbox_does_not_exist', retryable: false },
            smtpStatus: '5.1.1',
            diagnostic: 'smtp; 550 5.1.1 user unknown',
          },
        ],
      },
    ]);
    // The owner reads the addresses back; the logs never hold them.
    const logged = JSON.stringify(logs.lines());
    expect(logged).not.toContain('gone@example.com');
    expect(logged).not.toContain('ok@example.com');
  });
});

describe('GET /v1/notifications', () => {
  it('pages by reference with the cursor, and filters by status', async () => {
    const reference = `batch-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await accepted(email('a@example.com', { reference })));
    await accepted({ ...email('a@example.com'), reference: `${reference}-other` });
    const crm = await post(api.url, email('a@example.com', { reference }), OTHER_TOKEN);
    expect(crm.status).toBe(202);

    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams({
        reference,
        limit: '2',
        ...(next ? { cursor: next } : {}),
      });
      const res = await get(api.url, `/v1/notifications?${query}`);
      expect(res.status).toBe(200);
      const page = json<{ notifications: { id: string; reference: string }[]; next?: string }>(res);
      expect(page.notifications.every((n) => n.reference === reference)).toBe(true);
      seen.push(...page.notifications.map((n) => n.id));
      next = page.next;
      pages += 1;
    } while (next !== undefined && pages < 10);
    expect(seen).toEqual(ids);

    await store.applyEvent(sesEvent(ids[2]!, 'send', [], { everyone: { status: 'sent' } }));
    const sent = json<{ notifications: { id: string }[] }>(
      await get(api.url, `/v1/notifications?reference=${reference}&status=sent`),
    );
    expect(sent.notifications.map((n) => n.id)).toEqual([ids[2]]);
  });

  it('400 naming each malformed field, never a 5xx', async () => {
    const first = json<{ next?: string }>(await get(api.url, `/v1/notifications?limit=1`));
    expect(first.next).toBeDefined();
    const cases: [string, string[]][] = [
      ['cursor=not-a-cursor', ['cursor']],
      [
        'cursor=' + Buffer.from('{"i":"by-change","a":"x","q":"y"}').toString('base64url'),
        ['cursor'],
      ],
      // A cursor of a different query.
      [`reference=elsewhere&cursor=${first.next}`, ['cursor']],
      ['status=lost', ['status']],
      ['updatedSince=yesterday', ['updatedSince']],
      ['updatedSince=2026-13-45T99:00:00Z', ['updatedSince']],
      ['updatedSince=2026-01-01T00:00:00', ['updatedSince']],
      ['limit=0', ['limit']],
      ['limit=101', ['limit']],
      ['limit=ten', ['limit']],
      ['reference=', ['reference']],
      [`reference=${'r'.repeat(129)}`, ['reference']],
      ['status=sent&status=queued', ['status']],
      ['color=blue', ['color']],
      ['status=lost&limit=-1', ['status', 'limit']],
    ];
    for (const [query, fields] of cases) {
      const res = await get(api.url, `/v1/notifications?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(details(res)).toEqual(fields);
    }
  });

  it('the updatedSince feed misses no change while updates arrive, polled with `next`', async () => {
    // A client of its own, so the feed holds only this test's notifications.
    const feedToken = 'integration-feed-token-0123';
    const feedApi = await startApiServer(
      readApiConfig(harness.apiEnv({ API_TOKENS: JSON.stringify({ feed: feedToken }) })),
      captureLogs().logger,
    );
    extraServers.push(feedApi);
    const since = new Date(Date.now() - 1_000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await post(feedApi.url, email(`f${i}@example.com`), feedToken);
      ids.push(json<{ id: string }>(res).id);
    }
    const latest = new Map<string, string>();
    let next: string | undefined;
    let lastWrite = Date.now();
    let caughtUp = false;
    for (let poll = 0; !caughtUp && poll < 40; poll += 1) {
      const query = new URLSearchParams({
        updatedSince: since,
        limit: '2',
        ...(next ? { cursor: next } : {}),
      });
      const res = await get(feedApi.url, `/v1/notifications?${query}`, feedToken);
      expect(res.status).toBe(200);
      const page = json<{ notifications: { id: string; status: string }[]; next?: string }>(res);
      for (const n of page.notifications) latest.set(n.id, n.status);
      // Updates land behind and ahead of the reader's position while it pages.
      if (poll === 1) {
        for (const id of [ids[0]!, ids[5]!]) {
          await store.applyEvent(sesEvent(id, 'send', [], { everyone: { status: 'sent' } }));
        }
        lastWrite = Date.now();
      }
      expect(page.next).toBeDefined();
      next = page.next;
      if (page.notifications.length === 0) {
        // Changes younger than the settle time (2 s) are held back: caught up only once an
        // empty page comes after every write has settled.
        caughtUp = Date.now() - lastWrite > 2_500;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    expect([...latest.keys()].sort()).toEqual([...ids].sort());
    expect(latest.get(ids[0]!)).toBe('sent');
    expect(latest.get(ids[5]!)).toBe('sent');
  });
});

describe('outages and failed enqueues', () => {
  it('removes the record when the message definitely never reached the queue', async () => {
    const closedPort = await freePort();
    const down = await startApiServer(
      readApiConfig(
        harness.apiEnv({
          QUEUE_URL: `http://127.0.0.1:${closedPort}/000000000000/status-it-email`,
        }),
      ),
      captureLogs().logger,
    );
    extraServers.push(down);
    const reference = `never-queued-${randomUUID()}`;
    const res = await post(down.url, email('a@example.com', { reference }));
    expect(res.status).toBe(503);
    const listed = json<{ notifications: unknown[] }>(
      await get(api.url, `/v1/notifications?reference=${reference}`),
    );
    expect(listed.notifications).toEqual([]);
  });

  it('503 STATUS_UNAVAILABLE when DynamoDB refuses, and nothing is queued', async () => {
    await harness.drain();
    // The SDK resolves its endpoint per call, so a missing table stands for the outage here.
    const down = await startApiServer(
      readApiConfig(harness.apiEnv({ STATUS_TABLE: 'status-it-missing' })),
      captureLogs().logger,
    );
    extraServers.push(down);
    const posted = await post(down.url, email('a@example.com'));
    expect(posted.status).toBe(503);
    expect(posted.headers['retry-after']).toBe('5');
    expect(json<{ error: { code: string } }>(posted).error.code).toBe('STATUS_UNAVAILABLE');
    expect(await harness.drain()).toHaveLength(0);
    for (const path of [
      `/v1/notifications/${randomUUID()}`,
      `/v1/notifications/${randomUUID()}/events`,
      '/v1/notifications?reference=x',
    ]) {
      const res = await get(down.url, path);
      expect(res.status).toBe(503);
      expect(json<{ error: { code: string } }>(res).error.code).toBe('STATUS_UNAVAILABLE');
    }
  });
});
