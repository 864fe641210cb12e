// The assembled app with in-memory dependencies: routing, error format, request ids, logs and
// metrics. The same behaviours against the real emulators are in api.integration.test.ts.
import { parseEnvelope } from '@notify/shared';
import { EnqueueError } from '../src/enqueue-batcher.ts';
import { TokenBucketRateLimiter } from '../src/rate-limit.ts';
import {
  fakeDeps,
  listen,
  OTHER_TOKEN,
  postNotification,
  rawRequest,
  TOKEN,
  validBody,
} from './support.ts';

describe('notification-api app (in-memory dependencies)', () => {
  it('queues a notification and returns 202 with the id that is in the envelope', async () => {
    const f = fakeDeps();
    const api = await listen(f.deps);
    try {
      const res = await postNotification(api.url, validBody, { 'X-Request-Id': 'trace-abc-123' });
      expect(res.status).toBe(202);
      const body = res.json() as { id: string; status: string };
      expect(body.status).toBe('queued');
      expect(res.headers['x-request-id']).toBe('trace-abc-123');
      expect(f.sent).toHaveLength(1);
      const parsed = parseEnvelope(f.sent[0].body);
      expect(parsed.ok && parsed.envelope).toMatchObject({
        id: body.id,
        requestId: 'trace-abc-123',
      });
      expect(f.sent[0].attributes?.requestId?.StringValue).toBe('trace-abc-123');
      // Without the header the idempotency store is never touched.
      expect(f.idempotency.calls).toBe(0);
    } finally {
      await api.close();
    }
  });

  it('generates a request id when the given one is missing or not sane', async () => {
    const f = fakeDeps();
    const api = await listen(f.deps);
    try {
      for (const header of [undefined, 'has spaces', 'x'.repeat(201)]) {
        const res = await postNotification(
          api.url,
          validBody,
          header ? { 'X-Request-Id': header } : {},
        );
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      }
    } finally {
      await api.close();
    }
  });

  it('writes one access line per request with request id and client, never the token or addresses', async () => {
    const f = fakeDeps();
    const api = await listen(f.deps);
    try {
      await postNotification(
        api.url,
        { ...validBody, cc: 'secret.person@example.org' },
        { 'X-Request-Id': 'r-1' },
      );
      await postNotification(api.url, { to: 'bad' }, { 'X-Request-Id': 'r-2' });
    } finally {
      await api.close();
    }
    const lines = f.logs();
    const access = lines.filter((l) => l.msg === 'request');
    expect(access).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/v1/notifications',
        status: 202,
        requestId: 'r-1',
        client: 'billing',
      }),
      expect.objectContaining({ status: 400, requestId: 'r-2', client: 'billing' }),
    ]);
    expect(typeof access[0].ms).toBe('number');
    const all = JSON.stringify(lines);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('jane@example.com');
    expect(all).not.toContain('secret.person@example.org');
    // The accepted request's one line names the notification it queued.
    expect(access[0].notificationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(access[1]).not.toHaveProperty('notificationId');
  });

  it('emits EMF metrics: accepted with enqueue latency, rejected by reason, batch-free requests', async () => {
    const f = fakeDeps();
    const api = await listen(f.deps);
    try {
      await postNotification(api.url, validBody);
      await postNotification(api.url, validBody, { authorization: 'Bearer wrong-token-000000000' });
      await rawRequest(api.url, { path: '/healthz' });
    } finally {
      await api.close();
    }
    const metrics = f.logs().filter((l) => l._aws);
    expect(metrics).toEqual([
      expect.objectContaining({
        Requests: 1,
        Accepted: 1,
        EnqueueLatency: expect.any(Number),
        Environment: 'test',
      }),
      expect.objectContaining({ Requests: 1 }),
      expect.objectContaining({ Rejected: 1, Reason: 'unauthorized_invalid' }),
    ]);
    const declared = (metrics[2]._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] })
      .CloudWatchMetrics[0];
    expect(declared.Dimensions).toEqual([['Service', 'Environment', 'Reason']]);
  });

  it('answers 503 with Retry-After when the entry fails, and frees the idempotency key', async () => {
    const f = fakeDeps({
      enqueue: async () => {
        throw new EnqueueError('entry_failed', 'rejected', { sqsCode: 'InternalError' });
      },
    });
    const api = await listen(f.deps);
    try {
      const res = await postNotification(api.url, validBody, { 'Idempotency-Key': 'k-503' });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toEqual({
        error: { code: 'QUEUE_UNAVAILABLE', message: 'the queue is unavailable; retry later' },
      });
      expect(f.idempotency.records.size).toBe(0);
    } finally {
      await api.close();
    }
  });

  it.each([
    ['InvalidMessageContents', 422, 'INVALID_MESSAGE_CONTENTS'],
    ['InvalidParameterValue', 422, 'MESSAGE_REJECTED'],
    ['MessageTooLong', 413, 'PAYLOAD_TOO_LARGE'],
  ])(
    'answers a content rejection (%s) with %i naming it, never 5xx, and frees the key',
    async (sqsCode, status, code) => {
      const sqsMessage = 'Invalid characters found.';
      const f = fakeDeps({
        enqueue: async () => {
          throw new EnqueueError('entry_failed', 'rejected', { sqsCode, sqsMessage });
        },
      });
      const api = await listen(f.deps);
      try {
        const res = await postNotification(api.url, validBody, { 'Idempotency-Key': 'k-4xx' });
        expect(res.status).toBe(status);
        expect(res.headers['retry-after']).toBeUndefined();
        expect(res.json()).toEqual({
          error: {
            code,
            message: expect.stringContaining(`(SQS ${sqsCode}: ${sqsMessage}); nothing was queued`),
          },
        });
        expect(f.idempotency.records.size).toBe(0);
      } finally {
        await api.close();
      }
    },
  );

  it('refuses a body labelled UTF-8 that is not UTF-8 (415), and queues nothing', async () => {
    const f = fakeDeps();
    const api = await listen(f.deps);
    try {
      // "café" with é as the Latin-1 byte 0xE9: SES would have received U+FFFD.
      const json = Buffer.from(
        '{"to":"jane@example.com","subject":"caf\u00e9","text":"x"}',
        'latin1',
      );
      for (const type of ['application/json', 'application/json; charset=utf-8']) {
        const res = await rawRequest(api.url, {
          method: 'POST',
          path: '/v1/notifications',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': type },
          body: json,
        });
        expect(res.status).toBe(415);
        expect(res.json()).toEqual({
          error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'the request body is not valid UTF-8' },
        });
      }
      expect(f.sent).toHaveLength(0);
      // The same text in UTF-8 (with or without a BOM) is accepted.
      for (const prefix of ['', '\ufeff']) {
        const res = await rawRequest(api.url, {
          method: 'POST',
          path: '/v1/notifications',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: Buffer.from(`${prefix}{"to":"jane@example.com","subject":"café","text":"x"}`),
        });
        expect(res.status).toBe(202);
      }
      expect(parseEnvelope(f.sent[0].body)).toMatchObject({
        envelope: { email: { subject: 'café' } },
      });
    } finally {
      await api.close();
    }
  });

  it('spends the key when SQS may have queued the message: a retry never queues a second copy', async () => {
    let sqsAnswers = false;
    const f = fakeDeps();
    const enqueue = f.deps.enqueue;
    f.deps.enqueue = async (message) => {
      if (sqsAnswers) return enqueue(message);
      throw new EnqueueError('batch_failed', 'SendMessageBatch failed', { outcomeUnknown: true });
    };
    const api = await listen(f.deps);
    try {
      const first = await postNotification(api.url, validBody, { 'Idempotency-Key': 'k-hung' });
      expect(first.status).toBe(503);
      expect(first.json()).toMatchObject({
        error: { code: 'QUEUE_UNAVAILABLE', message: expect.stringContaining('may have been') },
      });
      expect([...f.idempotency.records.values()][0]?.state).toBe('unknown');
      // SQS answers again: the retry under the same key is refused, not queued.
      sqsAnswers = true;
      const retry = await postNotification(api.url, validBody, { 'Idempotency-Key': 'k-hung' });
      expect(retry.status).toBe(409);
      const error = (retry.json() as { error: { code: string; message: string } }).error;
      expect(error.code).toBe('IDEMPOTENCY_KEY_OUTCOME_UNKNOWN');
      expect(error.message).toContain([...f.idempotency.records.values()][0]?.notificationId);
      expect(retry.headers['retry-after']).toBeUndefined();
      expect(f.sent).toHaveLength(0);
      // A new key is a new notification, as the answer says.
      const fresh = await postNotification(api.url, validBody, { 'Idempotency-Key': 'k-new' });
      expect(fresh.status).toBe(202);
      expect(f.sent).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  it('answers 503 when the idempotency store is down, without enqueueing', async () => {
    const f = fakeDeps();
    f.deps.idempotency.claim = async () => {
      throw new Error('ECONNREFUSED');
    };
    const api = await listen(f.deps);
    try {
      const res = await postNotification(api.url, validBody, { 'Idempotency-Key': 'k' });
      expect(res.status).toBe(503);
      expect((res.json() as { error: { code: string } }).error.code).toBe(
        'IDEMPOTENCY_UNAVAILABLE',
      );
      expect(res.headers['retry-after']).toBe('5');
      expect(f.sent).toHaveLength(0);
    } finally {
      await api.close();
    }
  });

  it('keys idempotency per client: the same key from two clients is two notifications', async () => {
    const f = fakeDeps();
    const api = await listen(f.deps);
    try {
      const a = await postNotification(api.url, validBody, { 'Idempotency-Key': 'shared' });
      const b = await postNotification(api.url, validBody, {
        'Idempotency-Key': 'shared',
        authorization: `Bearer ${OTHER_TOKEN}`,
      });
      expect(a.status).toBe(202);
      expect(b.status).toBe(202);
      expect(b.headers['idempotent-replay']).toBeUndefined();
      expect(f.sent).toHaveLength(2);
    } finally {
      await api.close();
    }
  });

  it('answers 409 while the same key is still in progress', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const f = fakeDeps({
      enqueue: async () => {
        await gate;
        return { messageId: 'm' };
      },
    });
    const api = await listen(f.deps);
    try {
      const first = postNotification(api.url, validBody, { 'Idempotency-Key': 'slow' });
      await new Promise((r) => setTimeout(r, 50));
      const second = await postNotification(api.url, validBody, { 'Idempotency-Key': 'slow' });
      expect(second.status).toBe(409);
      expect((second.json() as { error: { code: string } }).error.code).toBe(
        'IDEMPOTENCY_KEY_IN_PROGRESS',
      );
      release();
      expect((await first).status).toBe(202);
      const third = await postNotification(api.url, validBody, { 'Idempotency-Key': 'slow' });
      expect(third.status).toBe(202);
      expect(third.headers['idempotent-replay']).toBe('true');
    } finally {
      await api.close();
    }
  });

  it('rate-limits per client after auth with 429 and Retry-After', async () => {
    const f = fakeDeps({
      rateLimiter: new TokenBucketRateLimiter({ ratePerSecond: 0.5, burst: 2 }),
    });
    const api = await listen(f.deps);
    try {
      const statuses = [];
      for (let i = 0; i < 3; i += 1)
        statuses.push((await postNotification(api.url, validBody)).status);
      expect(statuses).toEqual([202, 202, 429]);
      const limited = await postNotification(api.url, validBody);
      expect(limited.headers['retry-after']).toBe('2');
      expect((limited.json() as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
      // Another client has its own bucket; bad tokens are refused before the limiter.
      expect(
        (await postNotification(api.url, validBody, { authorization: `Bearer ${OTHER_TOKEN}` }))
          .status,
      ).toBe(202);
      expect(
        (
          await postNotification(api.url, validBody, {
            authorization: 'Bearer nope-nope-nope-nope',
          })
        ).status,
      ).toBe(401);
    } finally {
      await api.close();
    }
  });

  it('hides unexpected errors behind a generic 500 and logs them', async () => {
    const f = fakeDeps();
    f.deps.readiness = {
      status: async () => {
        throw new TypeError('a bug with a secret detail');
      },
    };
    const api = await listen(f.deps);
    try {
      const res = await rawRequest(api.url, { path: '/readyz' });
      expect(res.status).toBe(500);
      expect(res.json()).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'internal error' } });
      expect(res.text).not.toContain('secret');
    } finally {
      await api.close();
    }
    expect(f.logs()).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'unexpected error' }),
    );
  });

  it('answers 400 for a POST without a body and 415 for a compressed one', async () => {
    const f = fakeDeps();
    const api = await listen(f.deps);
    try {
      const noBody = await rawRequest(api.url, {
        method: 'POST',
        path: '/v1/notifications',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      });
      expect(noBody.status).toBe(400);
      expect((noBody.json() as { error: { code: string } }).error.code).toBe('EMPTY_BODY');
      const gzip = await postNotification(api.url, validBody, { 'content-encoding': 'gzip' });
      expect(gzip.status).toBe(415);
      expect(gzip.headers['accept-encoding']).toBe('identity');
    } finally {
      await api.close();
    }
  });

  it('closes the connection of a request that was running when the shutdown began', async () => {
    let shuttingDown = false;
    const f = fakeDeps({
      isShuttingDown: () => shuttingDown,
      enqueue: async () => {
        shuttingDown = true;
        return { messageId: 'm' };
      },
    });
    const api = await listen(f.deps);
    try {
      const res = await postNotification(api.url, validBody);
      expect(res.status).toBe(202);
      expect(res.headers.connection).toBe('close');
    } finally {
      await api.close();
    }
  });

  it('asks clients to close connections while shutting down', async () => {
    const f = fakeDeps({ isShuttingDown: () => true });
    const api = await listen(f.deps);
    try {
      const res = await rawRequest(api.url, { path: '/healthz' });
      expect(res.status).toBe(200);
      expect(res.headers.connection).toBe('close');
    } finally {
      await api.close();
    }
  });
});
