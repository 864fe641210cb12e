// How POST writes the status record around the enqueue, and how the GET routes parse their
// input, with in-memory dependencies. The store itself runs on the emulator in
// status.integration.test.ts.
import { EnqueueError } from '../src/enqueue-batcher.ts';
import { parseListQuery } from '../src/routes/status.ts';
import { ApiError } from '../src/errors.ts';
import {
  fakeDeps,
  listen,
  postNotification,
  OTHER_TOKEN,
  rawRequest,
  TOKEN,
  validBody,
} from './support.ts';

describe('POST /v1/notifications and the status record', () => {
  it('writes the record before the message is queued, with every recipient', async () => {
    const f = fakeDeps();
    const enqueue = f.deps.enqueue;
    let recordAtEnqueue: unknown;
    f.deps.enqueue = async (message) => {
      recordAtEnqueue = [...f.status.records.values()][0];
      return enqueue(message);
    };
    const api = await listen(f.deps);
    try {
      const res = await postNotification(api.url, {
        ...validBody,
        to: ['a@example.com'],
        cc: 'b@example.com',
        bcc: ['c@example.com'],
        reference: 'r-1',
      });
      expect(res.status).toBe(202);
      const { id } = res.json() as { id: string };
      expect(recordAtEnqueue).toMatchObject({
        id,
        clientId: 'billing',
        reference: 'r-1',
        status: 'queued',
        recipients: [
          { address: 'a@example.com' },
          { address: 'b@example.com' },
          { address: 'c@example.com' },
        ],
      });
    } finally {
      await api.close();
    }
  });

  it('removes the record when the message was definitely not queued', async () => {
    const f = fakeDeps({
      enqueue: async () => {
        throw new EnqueueError('entry_failed', 'rejected', { sqsCode: 'InternalError' });
      },
    });
    const api = await listen(f.deps);
    try {
      expect((await postNotification(api.url, validBody)).status).toBe(503);
      expect(f.status.creates).toBe(1);
      expect(f.status.records.size).toBe(0);
    } finally {
      await api.close();
    }
  });

  it('keeps the record when SQS may hold the message', async () => {
    const f = fakeDeps({
      enqueue: async () => {
        throw new EnqueueError('batch_failed', 'timed out', { outcomeUnknown: true });
      },
    });
    const api = await listen(f.deps);
    try {
      expect((await postNotification(api.url, validBody)).status).toBe(503);
      expect(f.status.removes).toBe(0);
      expect(f.status.records.size).toBe(1);
    } finally {
      await api.close();
    }
  });

  it('answers 503 and queues nothing when the record cannot be written; the key is freed', async () => {
    const f = fakeDeps();
    f.deps.status = {
      ...f.status,
      create: async () => {
        throw new Error('DynamoDB is down');
      },
      remove: f.status.remove.bind(f.status),
      get: f.status.get.bind(f.status),
      events: f.status.events.bind(f.status),
      list: f.status.list.bind(f.status),
    };
    const api = await listen(f.deps);
    try {
      const res = await postNotification(api.url, validBody, { 'Idempotency-Key': 'k-status' });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect((res.json() as { error: { code: string } }).error.code).toBe('STATUS_UNAVAILABLE');
      expect(f.sent).toHaveLength(0);
      expect(f.idempotency.records.size).toBe(0);
    } finally {
      await api.close();
    }
  });

  it('a replayed request writes no second record', async () => {
    const f = fakeDeps();
    const api = await listen(f.deps);
    try {
      for (let i = 0; i < 2; i += 1) {
        expect(
          (await postNotification(api.url, validBody, { 'Idempotency-Key': 'k-r' })).status,
        ).toBe(202);
      }
      expect(f.status.creates).toBe(1);
    } finally {
      await api.close();
    }
  });
});

describe('parseListQuery', () => {
  const fields = (query: Record<string, string | string[]>) => {
    try {
      parseListQuery(query);
      return [];
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      expect(error.status).toBe(400);
      return error.details?.map((d) => d.field);
    }
  };

  it('reads every parameter and normalises updatedSince to UTC milliseconds', () => {
    expect(
      parseListQuery({
        reference: 'r',
        status: 'bounced',
        updatedSince: '2026-01-31T13:00:00+01:00',
        cursor: 'abc',
        limit: '7',
      }),
    ).toEqual({
      reference: 'r',
      status: 'bounced',
      updatedSince: '2026-01-31T12:00:00.000Z',
      cursor: 'abc',
      limit: 7,
    });
    expect(parseListQuery({})).toEqual({ limit: 50 });
  });

  it.each([
    [{ status: 'QUEUED' }, ['status']],
    [{ updatedSince: '2026-01-31' }, ['updatedSince']],
    [{ updatedSince: '2026-02-30T00:00:00Z' }, ['updatedSince']],
    [{ updatedSince: '2026-01-01T24:00:00Z' }, ['updatedSince']],
    [{ updatedSince: '2026-01-01T00:00:00+24:00' }, ['updatedSince']],
    [{ limit: '1e2' }, ['limit']],
    [{ limit: ['1', '2'] }, ['limit']],
    [{ reference: 'x'.repeat(129), extra: '1' }, ['extra', 'reference']],
  ])('400 naming the field for %j', (query, expected) => {
    expect(fields(query)).toEqual(expected);
  });

  it('GET answers the owner and 404 to another client', async () => {
    const f = fakeDeps();
    const api = await listen(f.deps);
    try {
      const { id } = (await postNotification(api.url, validBody)).json() as { id: string };
      const own = await rawRequest(api.url, {
        path: `/v1/notifications/${id}`,
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(own.status).toBe(200);
      const other = await rawRequest(api.url, {
        path: `/v1/notifications/${id}`,
        headers: { authorization: `Bearer ${OTHER_TOKEN}` },
      });
      expect(other.status).toBe(404);
    } finally {
      await api.close();
    }
  });
});
