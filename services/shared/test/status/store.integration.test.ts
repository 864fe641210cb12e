// StatusStore against dynalite, on the table the local stack provisions (indexes included).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  type BatchGetCommandOutput,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  freePort,
  provisionLocalResources,
  startEmulators,
  type Emulators,
} from '@notify/local-stack';
import {
  InvalidCursorError,
  StatusStore,
  type StoredNotification,
} from '../../src/status/store.ts';
import type { StatusEvent } from '../../src/status/model.ts';

let emulators: Emulators;
let client: DynamoDBDocumentClient;
let table: string;

beforeAll(async () => {
  emulators = await startEmulators({
    sqs: await freePort(),
    ses: await freePort(),
    dynamodb: await freePort(),
  });
  const resources = await provisionLocalResources({
    prefix: 'store-test',
    endpoints: {
      sqs: emulators.env.AWS_ENDPOINT_URL_SQS,
      dynamodb: emulators.env.AWS_ENDPOINT_URL_DYNAMODB,
    },
  });
  table = resources.statusTable;
  client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'us-east-1',
      endpoint: emulators.env.AWS_ENDPOINT_URL_DYNAMODB,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await emulators?.stop();
});

const store = (options: Partial<ConstructorParameters<typeof StatusStore>[0]> = {}) =>
  new StatusStore({ client, table, retentionDays: 30, feedSettleMs: 0, ...options });

/** The test client, recording the name of every command sent through it. */
function countingClient() {
  const calls: string[] = [];
  const counting = {
    send: (command: { constructor: { name: string } }, options?: unknown) => {
      calls.push(command.constructor.name);
      return (client.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options);
    },
  } as unknown as DynamoDBDocumentClient;
  return { calls, counting };
}

/** Every item stored under a notification (its record and its events), read straight. */
async function itemsOf(id: string) {
  const answer = await client.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `N#${id}` },
    }),
  );
  return answer.Items ?? [];
}

function newNotification(
  clientId: string,
  extra: { reference?: string; addresses?: string[] } = {},
) {
  return {
    id: randomUUID(),
    clientId,
    createdAt: new Date().toISOString(),
    addresses: extra.addresses ?? ['jane@example.com'],
    ...(extra.reference === undefined ? {} : { reference: extra.reference }),
  };
}

function event(
  id: string,
  type: StatusEvent['type'],
  status: StatusEvent['recipients'][0]['status'],
  at: string,
  address = 'jane@example.com',
): StatusEvent {
  return {
    eventId: randomUUID(),
    notificationId: id,
    type,
    at,
    sesMessageId: 'ses-' + id,
    recipients:
      status === undefined && type !== 'complaint'
        ? []
        : [{ address, ...(status === undefined ? {} : { status }) }],
  };
}

describe('create and get', () => {
  it('finds a new record queued, for its own client only', async () => {
    const s = store();
    const n = newNotification('billing', {
      reference: 'inv-1',
      addresses: ['a@x.com', 'A@x.com', 'b@x.com'],
    });
    await s.create(n);
    const got = await s.get('billing', n.id);
    expect(got).toMatchObject({
      id: n.id,
      status: 'queued',
      reference: 'inv-1',
      createdAt: n.createdAt,
      recipients: [
        { address: 'a@x.com', status: 'queued' },
        { address: 'b@x.com', status: 'queued' },
      ],
    });
    expect(await s.get('marketing', n.id)).toBeUndefined();
    expect(await s.get('billing', randomUUID())).toBeUndefined();
    expect(await s.events('marketing', n.id)).toBeUndefined();
    expect(await s.events('billing', n.id)).toEqual([]);
  });

  it('batches concurrent creates and every one of them is readable', async () => {
    const s = store();
    const many = Array.from({ length: 60 }, () => newNotification('billing'));
    await Promise.all(many.map((n) => s.create(n)));
    const read = await Promise.all(many.map((n) => s.get('billing', n.id)));
    expect(read.every((r) => r?.status === 'queued')).toBe(true);
  });

  it('never serves a record past its retention, before the TTL sweep removes it', async () => {
    let now = Date.now();
    const s = store({ retentionDays: 1, nowMs: () => now });
    const n = newNotification('billing', { reference: 'ttl' });
    await s.create(n);
    expect(await s.get('billing', n.id)).toBeDefined();
    now += 86_400_000 + 1_000;
    expect(await s.get('billing', n.id)).toBeUndefined();
    expect(await s.events('billing', n.id)).toBeUndefined();
    expect((await s.list('billing', { reference: 'ttl', limit: 10 })).items).toEqual([]);
    expect(await s.applyEvent(event(n.id, 'send', 'sent', new Date().toISOString()))).toEqual({
      outcome: 'unknown_notification',
    });
  });

  it('remove deletes a record', async () => {
    const s = store();
    const n = newNotification('billing');
    await s.create(n);
    expect(await s.remove(n.id)).toBe(true);
    expect(await s.get('billing', n.id)).toBeUndefined();
  });
});

describe('applyEvent', () => {
  it('applies forward moves, drops duplicates and late events, and keeps the timeline', async () => {
    const s = store();
    const n = newNotification('billing');
    await s.create(n);
    const t0 = Date.now();
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const send = event(n.id, 'send', 'sent', at(1));
    const delivery = event(n.id, 'delivery', 'delivered', at(2));

    // Out of order: the delivery arrives first, the send after it changes nothing.
    expect(await s.applyEvent(delivery)).toMatchObject({
      outcome: 'applied',
      transitions: [{ address: 'jane@example.com', from: 'queued', to: 'delivered' }],
    });
    expect(await s.applyEvent(send)).toEqual({ outcome: 'unchanged' });
    expect(await s.applyEvent(delivery)).toEqual({ outcome: 'unchanged' });
    // SES reports a bounce after the delivery: applied, kept in the history.
    const bounce = event(n.id, 'bounce', 'bounced', at(3));
    bounce.recipients[0]!.reason = { code: 'mailbox_does_not_exist', retryable: false };
    expect(await s.applyEvent(bounce)).toMatchObject({ outcome: 'applied' });
    const complaint = event(n.id, 'complaint', undefined, at(4));
    expect(await s.applyEvent(complaint)).toMatchObject({ outcome: 'applied', transitions: [] });

    const got = await s.get('billing', n.id);
    expect(got).toMatchObject({
      status: 'bounced',
      reason: { code: 'mailbox_does_not_exist', retryable: false },
      complainedAt: at(4),
      sesMessageId: 'ses-' + n.id,
    });
    const timeline = await s.events('billing', n.id);
    expect(timeline?.map((e) => e.type)).toEqual(['send', 'delivery', 'bounce', 'complaint']);
    expect(timeline?.map((e) => e.eventId)).toEqual([
      send.eventId,
      delivery.eventId,
      bounce.eventId,
      complaint.eventId,
    ]);
  });

  it('applyEvents: the events of one notification in one read and one record write', async () => {
    const { calls, counting } = countingClient();
    const s = store({ client: counting });
    const n = newNotification('billing');
    await s.create(n);
    const t0 = Date.now();
    const send = event(n.id, 'send', 'sent', new Date(t0 + 1).toISOString());
    const delivery = event(n.id, 'delivery', 'delivered', new Date(t0 + 2).toISOString());
    calls.length = 0;

    const outcomes = await s.applyEvents([send, delivery]);
    expect(outcomes).toMatchObject([
      {
        outcome: 'applied',
        transitions: [{ address: 'jane@example.com', from: 'queued', to: 'sent' }],
        record: { status: 'sent', version: 2 },
      },
      {
        outcome: 'applied',
        transitions: [{ address: 'jane@example.com', from: 'sent', to: 'delivered' }],
        record: { status: 'delivered', version: 2 },
      },
    ]);
    // Both event items in one call, one read, one record write.
    expect(calls.sort()).toEqual(['BatchGetCommand', 'BatchWriteCommand', 'PutCommand']);
    const got = await s.get('billing', n.id);
    expect(got).toMatchObject({ status: 'delivered', version: 2 });
    expect((await s.events('billing', n.id))?.map((e) => e.type)).toEqual(['send', 'delivery']);

    // Again (a redelivered batch): nothing changes and the record is not written.
    calls.length = 0;
    expect(await s.applyEvents([send, delivery])).toEqual([
      { outcome: 'unchanged' },
      { outcome: 'unchanged' },
    ]);
    expect(calls.sort()).toEqual(['BatchGetCommand', 'BatchWriteCommand']);
    expect((await s.get('billing', n.id))?.version).toBe(2);
  });

  it('applyEventBatch: a batch of notifications in one event write, one read and a write per record', async () => {
    const { calls, counting } = countingClient();
    const s = store({ client: counting });
    const known = Array.from({ length: 6 }, () => newNotification('billing'));
    await Promise.all(known.map((n) => s.create(n)));
    const unknownId = randomUUID();
    const t0 = Date.now();
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const groups = known.map((n) => [
      event(n.id, 'send', 'sent', at(1)),
      event(n.id, 'delivery', 'delivered', at(2)),
    ]);
    // SQS (or EventBridge) can hand one event over twice in a batch: DynamoDB refuses a key
    // twice in one BatchWriteItem, so the store must write it once.
    const send = groups[0]![0]!;
    groups[0]!.push({ ...send });
    groups.push([event(unknownId, 'send', 'sent', at(1))]);
    calls.length = 0;

    const results = await s.applyEventBatch(groups);
    expect(calls.sort()).toEqual([
      'BatchGetCommand',
      'BatchWriteCommand',
      'DeleteCommand',
      ...known.map(() => 'PutCommand'),
    ]);
    expect(results.map((r) => r.ok)).toEqual(groups.map(() => true));
    const first = results[0];
    expect(first?.ok && first.outcomes.map((o) => o.outcome)).toEqual([
      'applied',
      'applied',
      'unchanged',
    ]);
    expect(results.at(-1)).toEqual({ ok: true, outcomes: [{ outcome: 'unknown_notification' }] });
    for (const n of known) {
      expect(await s.get('billing', n.id)).toMatchObject({ status: 'delivered', version: 2 });
      expect((await s.events('billing', n.id))?.map((e) => e.type)).toEqual(['send', 'delivery']);
    }
    expect(await itemsOf(unknownId)).toHaveLength(0);
  });

  it('applyEventBatch retries what DynamoDB leaves unprocessed, and fails the batch at the deadline', async () => {
    // DynamoDB answers part of a batch call with UnprocessedItems / UnprocessedKeys (throttling,
    // size limits) without an error. This client passes one item or key to dynalite per call
    // and hands the rest back as unprocessed, for the first `partialCalls` batch calls, each
    // answered after `delayMs` (a throttled table is a slow one too).
    const partial = (partialCalls: number, delayMs = 0) => {
      let left = partialCalls;
      return {
        send: async (command: BatchWriteCommand | BatchGetCommand, options?: unknown) => {
          const real = <T>(c: unknown) =>
            (client.send as (c: unknown, o?: unknown) => Promise<T>)(c, options);
          if (
            left <= 0 ||
            !(command instanceof BatchWriteCommand || command instanceof BatchGetCommand)
          ) {
            return real(command);
          }
          left -= 1;
          await sleep(delayMs);
          if (command instanceof BatchWriteCommand) {
            const [head, ...rest] = command.input.RequestItems?.[table] ?? [];
            await real(new BatchWriteCommand({ RequestItems: { [table]: [head!] } }));
            return { UnprocessedItems: rest.length > 0 ? { [table]: rest } : {} };
          }
          const { Keys = [], ...read } = command.input.RequestItems?.[table] ?? {};
          const [head, ...rest] = Keys;
          const got = await real<BatchGetCommandOutput>(
            new BatchGetCommand({ RequestItems: { [table]: { ...read, Keys: [head!] } } }),
          );
          return {
            Responses: got.Responses,
            UnprocessedKeys: rest.length > 0 ? { [table]: { ...read, Keys: rest } } : {},
          };
        },
      } as unknown as DynamoDBDocumentClient;
    };
    const setup = async () => {
      const notifications = Array.from({ length: 3 }, () => newNotification('billing'));
      await Promise.all(notifications.map((n) => store().create(n)));
      const at = new Date().toISOString();
      return notifications.map((n) => [
        event(n.id, 'send', 'sent', at),
        event(n.id, 'delivery', 'delivered', at),
      ]);
    };

    const groups = await setup();
    const results = await store({ client: partial(20), createDeadlineMs: 10_000 }).applyEventBatch(
      groups,
    );
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    for (const [send] of groups) {
      expect((await store().get('billing', send!.notificationId))?.status).toBe('delivered');
      expect(await store().events('billing', send!.notificationId)).toHaveLength(2);
    }

    const starved = await setup();
    // Six event items one per call, 150 ms a call: a 300 ms deadline cannot see them through.
    const failed = await store({
      client: partial(1_000, 150),
      createDeadlineMs: 300,
    }).applyEventBatch(starved);
    expect(failed.map((r) => r.ok)).toEqual([false, false, false]);
    // Unprocessed at the deadline, or the last retry cut by what was left of it.
    expect(failed[0]).toMatchObject({
      ok: false,
      error: { name: expect.stringMatching(/^(StatusStoreUnavailableError|AbortError)$/) },
    });
    // Nothing was applied: the batch comes back whole.
    for (const [send] of starved) {
      expect((await store().get('billing', send!.notificationId))?.status).toBe('queued');
    }
  });

  it('applyEvents refuses events of different notifications, and keeps none of an unknown one', async () => {
    const s = store();
    const a = event(randomUUID(), 'send', 'sent', new Date().toISOString());
    const b = event(randomUUID(), 'send', 'sent', new Date().toISOString());
    await expect(s.applyEvents([a, b])).rejects.toThrow(RangeError);
    const id = randomUUID();
    const at = new Date().toISOString();
    expect(
      await s.applyEvents([event(id, 'send', 'sent', at), event(id, 'delivery', 'delivered', at)]),
    ).toEqual([{ outcome: 'unknown_notification' }, { outcome: 'unknown_notification' }]);
    expect(await itemsOf(id)).toHaveLength(0);
  });

  it('applies an event already in the timeline whose record update was lost', async () => {
    const s = store();
    const n = newNotification('billing');
    await s.create(n);
    const send = event(n.id, 'send', 'sent', new Date().toISOString());
    // A consumer that died after writing the event item and before updating the record.
    await client.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: `N#${n.id}`,
          sk: `E#${send.at}#${send.eventId}`,
          eventId: send.eventId,
          type: send.type,
          at: send.at,
          recipients: send.recipients,
          expiresAt: 2_000_000_000,
        },
      }),
    );
    expect(await s.applyEvent(send)).toMatchObject({ outcome: 'applied' });
    expect((await s.get('billing', n.id))?.status).toBe('sent');
    expect(await s.events('billing', n.id)).toHaveLength(1);
  });

  it('does not keep events of a notification it does not hold', async () => {
    const s = store();
    const id = randomUUID();
    expect(await s.applyEvent(event(id, 'send', 'sent', new Date().toISOString()))).toEqual({
      outcome: 'unknown_notification',
    });
  });

  it('loses no update when writers race on one record (version conflicts are retried)', async () => {
    const s = store({ maxUpdateAttempts: 50 });
    const addresses = Array.from({ length: 20 }, (_, i) => `r${i}@example.com`);
    const n = newNotification('billing', { addresses });
    await s.create(n);
    const at = new Date().toISOString();
    const outcomes = await Promise.all(
      addresses.map((address) => s.applyEvent(event(n.id, 'delivery', 'delivered', at, address))),
    );
    expect(outcomes.every((o) => o.outcome === 'applied')).toBe(true);
    const got = await s.get('billing', n.id);
    expect(got?.recipients.every((r) => r.status === 'delivered')).toBe(true);
    expect(got?.status).toBe('delivered');
    expect(got?.version).toBe(1 + addresses.length);
  });
});

describe('list', () => {
  it('pages by reference, oldest first, with an opaque cursor bound to its query', async () => {
    const s = store();
    const reference = 'order-' + randomUUID();
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const n = {
        ...newNotification('billing', { reference }),
        createdAt: new Date(Date.now() + i).toISOString(),
      };
      await s.create(n);
      created.push(n.id);
    }
    await s.create(newNotification('marketing', { reference }));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await s.list('billing', { reference, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.next;
    } while (cursor !== undefined);
    expect(seen).toEqual(created);

    const first = await s.list('billing', { reference, limit: 2 });
    await expect(
      s.list('billing', { reference: 'other', limit: 2, cursor: first.next! }),
    ).rejects.toThrow(InvalidCursorError);
    await expect(s.list('billing', { limit: 2, cursor: first.next! })).rejects.toThrow(
      InvalidCursorError,
    );
    await expect(s.list('billing', { reference, limit: 2, cursor: 'garbage!' })).rejects.toThrow(
      InvalidCursorError,
    );
  });

  it('filters by status across pages the filter leaves short', async () => {
    const s = store();
    const reference = 'mixed-' + randomUUID();
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const n = {
        ...newNotification('billing', { reference }),
        createdAt: new Date(Date.now() + i).toISOString(),
      };
      await s.create(n);
      ids.push(n.id);
      if (i % 3 === 0) await s.applyEvent(event(n.id, 'send', 'sent', new Date().toISOString()));
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await s.list('billing', {
        reference,
        status: 'sent',
        limit: 1,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.items.every((i) => i.status === 'sent')).toBe(true);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.next;
    } while (cursor !== undefined);
    expect(seen).toEqual([ids[0], ids[3]]);
  });

  it('the updatedSince feed misses no change while updates arrive during paging', async () => {
    const clientId = 'feed-' + randomUUID();
    const s = store();
    const since = new Date(Date.now() - 1000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const n = newNotification(clientId);
      await s.create(n);
      ids.push(n.id);
    }
    // Page through the feed; after the first page, update records both behind and ahead.
    const lastSeenStatus = new Map<string, string>();
    let cursor: string | undefined;
    let pages = 0;
    let emptyPages = 0;
    while (emptyPages < 2 && pages < 50) {
      const page: { items: StoredNotification[]; next?: string } = await s.list(clientId, {
        updatedSince: since,
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      pages += 1;
      for (const item of page.items) lastSeenStatus.set(item.id, item.status);
      if (pages === 1) {
        for (const id of [ids[0]!, ids[7]!]) {
          await s.applyEvent(event(id, 'send', 'sent', new Date().toISOString()));
        }
      }
      expect(page.next).toBeDefined();
      cursor = page.next;
      emptyPages = page.items.length === 0 ? emptyPages + 1 : 0;
    }
    expect([...lastSeenStatus.keys()].sort()).toEqual([...ids].sort());
    // The updated records came round again with their new status.
    expect(lastSeenStatus.get(ids[0]!)).toBe('sent');
    expect(lastSeenStatus.get(ids[7]!)).toBe('sent');

    // Polling later with the last cursor returns only what changed since.
    await s.applyEvent(event(ids[3]!, 'send', 'sent', new Date().toISOString()));
    const later = await s.list(clientId, { updatedSince: since, limit: 10, cursor: cursor! });
    expect(later.items.map((i) => i.id)).toEqual([ids[3]]);
  });

  it('narrows the feed to one reference, and spells every time the same way', async () => {
    const clientId = 'feedref-' + randomUUID();
    const noMilliseconds = new Date(Date.now() - 5_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const s = store();
    const wanted = {
      ...newNotification(clientId, { reference: 'keep' }),
      createdAt: noMilliseconds,
    };
    await s.create(wanted);
    await s.create(newNotification(clientId, { reference: 'drop' }));
    expect((await s.get(clientId, wanted.id))?.createdAt).toBe(
      noMilliseconds.replace('Z', '.000Z'),
    );
    const page = await s.list(clientId, {
      reference: 'keep',
      updatedSince: new Date(Date.now() - 60_000).toISOString(),
      limit: 10,
    });
    expect(page.items.map((i) => i.id)).toEqual([wanted.id]);
    // The by-reference order with a creation time written without milliseconds pages too.
    const byReference = await s.list(clientId, { reference: 'keep', limit: 1 });
    expect(byReference.items.map((i) => i.id)).toEqual([wanted.id]);
    if (byReference.next !== undefined) {
      expect(
        (await s.list(clientId, { reference: 'keep', limit: 1, cursor: byReference.next })).items,
      ).toEqual([]);
    }
  });

  it('holds back changes younger than the settle time', async () => {
    const clientId = 'settle-' + randomUUID();
    const s = store({ feedSettleMs: 60_000 });
    await s.create(newNotification(clientId));
    const page = await s.list(clientId, {
      updatedSince: new Date(Date.now() - 5000).toISOString(),
      limit: 10,
    });
    expect(page.items).toEqual([]);
    expect(page.next).toBeDefined();
    const plain = await s.list(clientId, { limit: 10 });
    expect(plain.items).toHaveLength(1);
    expect(plain.next).toBeUndefined();
  });
});
