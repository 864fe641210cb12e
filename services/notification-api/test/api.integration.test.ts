// notification-api against the real emulators (fauxqs SQS, dynalite DynamoDB): what a client
// sees for each outcome, and what lands in the queue and the idempotency table.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { connect } from 'node:net';
import { parseEnvelope } from '@notify/shared';
import { readApiConfig } from '../src/config.ts';
import { startApiServer, type RunningApi } from '../src/server.ts';
import { freePort } from '@notify/local-stack';
import { API_TOKEN, startHarness, type Harness } from './emulator-harness.ts';
import { captureLogs, rawRequest, type RawResponse } from './support.ts';

jest.setTimeout(60_000);

const body = { to: 'jane@example.com', subject: 'Your receipt', text: 'Thanks for your order.' };

let harness: Harness;
let api: RunningApi;
let logs: ReturnType<typeof captureLogs>;
const extraServers: RunningApi[] = [];

async function startApi(overrides: Record<string, string> = {}): Promise<RunningApi> {
  const captured = captureLogs();
  const server = await startApiServer(readApiConfig(harness.apiEnv(overrides)), captured.logger);
  extraServers.push(server);
  return server;
}

function post(
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return rawRequest(url, {
    method: 'POST',
    path: '/v1/notifications',
    headers: {
      authorization: `Bearer ${API_TOKEN}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

const errorCode = (res: RawResponse) => (res.json() as { error: { code: string } }).error.code;

beforeAll(async () => {
  harness = await startHarness('napi-it');
  // The SDK reads AWS_ENDPOINT_URL_* and credentials from the environment, as in ECS.
  Object.assign(process.env, harness.emulators.env);
  logs = captureLogs();
  api = await startApiServer(
    readApiConfig(
      harness.apiEnv({
        READINESS_CACHE_MS: '100',
        ENQUEUE_LINGER_MS: '5',
        METRICS_FLUSH_SECONDS: '0',
      }),
    ),
    logs.logger,
  );
});

afterAll(async () => {
  await Promise.all([api, ...extraServers].map((s) => s?.shutdown()));
  await harness?.stop();
});

beforeEach(async () => {
  await harness.drain();
});

describe('POST /v1/notifications against the emulators', () => {
  it('answers 202 only with a message in SQS that the worker can parse', async () => {
    const res = await post(
      api.url,
      { ...body, reference: 'order-1' },
      { 'X-Request-Id': 'it-req-1' },
    );
    expect(res.status).toBe(202);
    const answer = res.json() as { id: string; status: string };
    expect(answer).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued' });
    expect(res.headers['x-request-id']).toBe('it-req-1');

    const messages = await harness.drain();
    expect(messages).toHaveLength(1);
    const parsed = parseEnvelope(messages[0].Body);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.envelope).toMatchObject({
      v: 1,
      id: answer.id,
      requestId: 'it-req-1',
      reference: 'order-1',
      email: { to: ['jane@example.com'], subject: 'Your receipt', text: 'Thanks for your order.' },
    });
    expect(messages[0].MessageAttributes?.requestId?.StringValue).toBe('it-req-1');
  });

  it('coalesces concurrent requests into batches and queues every one of them', async () => {
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => post(api.url, { ...body, reference: `bulk-${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(25).fill(202));
    const ids = results.map((r) => (r.json() as { id: string }).id).sort();
    const queued = (await harness.drain()).map((m) => {
      const parsed = parseEnvelope(m.Body);
      return parsed.ok ? parsed.envelope.id : 'invalid';
    });
    expect(queued.sort()).toEqual(ids);
    const batchSizes = logs
      .lines()
      .filter((l) => typeof l.BatchSize === 'number')
      .map((l) => l.BatchSize as number);
    expect(Math.max(...batchSizes)).toBeGreaterThan(1);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(10);
  });

  it('keeps characters SQS would refuse inside a valid message', async () => {
    const res = await post(api.url, { ...body, text: 'odd \uffff\ufffe chars \u0001' });
    expect(res.status).toBe(202);
    const [message] = await harness.drain();
    const parsed = parseEnvelope(message.Body);
    expect(parsed.ok && parsed.envelope.email.text).toBe('odd \uffff\ufffe chars \u0001');
  });

  it('queues characters outside the BMP (emoji) and they reach the worker unchanged', async () => {
    const subject = 'Party 🎉 at 8 — 𝔸𝔹ℂ';
    const text = 'See you there 😀👍🏽 (family: 👨‍👩‍👧)';
    const res = await post(api.url, {
      ...body,
      subject,
      text,
      html: '<p>🎉</p>',
      metadata: { 'tag-🎉': 'value 😀' },
    });
    expect(res.status).toBe(202);
    const [message] = await harness.drain();
    const parsed = parseEnvelope(message.Body);
    expect(parsed.ok && parsed.envelope).toMatchObject({
      id: (res.json() as { id: string }).id,
      metadata: { 'tag-🎉': 'value 😀' },
      email: { subject, text, html: '<p>🎉</p>' },
    });
  });
});

describe('error statuses', () => {
  it('400 with each problem named by field and rule', async () => {
    const res = await post(api.url, { to: ['jane@example.com', 'nope'], subject: 'a\r\nb', x: 1 });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'VALIDATION_ERROR',
        message: 'the request body is invalid',
        details: expect.arrayContaining([
          { field: 'to[1]', rule: 'invalid_format', message: 'must be a valid email address' },
          expect.objectContaining({ field: 'subject', rule: 'custom' }),
          expect.objectContaining({ field: 'text', rule: 'custom' }),
          { field: 'x', rule: 'unknown_field', message: 'is not a known field' },
        ]),
      },
    });
  });

  it('400 for malformed JSON and for an empty body', async () => {
    const malformed = await post(api.url, '{"to": "jane@example.com",');
    expect(malformed.status).toBe(400);
    expect(errorCode(malformed)).toBe('MALFORMED_JSON');
    const empty = await post(api.url, '');
    expect(empty.status).toBe(400);
    expect(errorCode(empty)).toBe('EMPTY_BODY');
  });

  it('400 for an invalid Idempotency-Key', async () => {
    const res = await post(api.url, body, { 'Idempotency-Key': 'k'.repeat(256) });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      error: { code: 'INVALID_IDEMPOTENCY_KEY', details: [{ field: 'Idempotency-Key' }] },
    });
  });

  it('401 with WWW-Authenticate for a missing or wrong token', async () => {
    const missing = await post(api.url, body, { authorization: '' });
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="notify"');
    expect(errorCode(missing)).toBe('UNAUTHORIZED');
    const wrong = await post(api.url, body, {
      authorization: 'Bearer integration-token-012345678X',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="notify", error="invalid_token"');
  });

  it('404 for an unknown route, 405 with Allow for a wrong method', async () => {
    const notFound = await rawRequest(api.url, { path: '/v2/things' });
    expect(notFound.status).toBe(404);
    expect(notFound.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no such route' } });
    const wrongMethod = await rawRequest(api.url, { path: '/v1/notifications', method: 'PUT' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST, HEAD, GET');
    expect(errorCode(wrongMethod)).toBe('METHOD_NOT_ALLOWED');
    const postHealth = await rawRequest(api.url, { path: '/healthz', method: 'DELETE' });
    expect(postHealth.status).toBe(405);
    expect(postHealth.headers.allow).toBe('HEAD, GET');
  });

  it('413 for a body over the limit, with or without Content-Length', async () => {
    const big = JSON.stringify({ ...body, text: 'x'.repeat(300 * 1024) });
    const res = await post(api.url, big);
    expect(res.status).toBe(413);
    expect(errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
    const chunked = await fetch(`${api.url}/v1/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('415 for anything but application/json', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=iso-8859-1',
    ]) {
      const res = await post(api.url, JSON.stringify(body), { 'content-type': type });
      expect(res.status).toBe(415);
      expect(errorCode(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('answers what the HTTP parser refuses in the JSON error format too (400, 431)', async () => {
    const exchange = (bytes: string) =>
      new Promise<string>((resolve, reject) => {
        const port = Number(new URL(api.url).port);
        const socket = connect({ port, host: '127.0.0.1' }, () => socket.end(bytes));
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString()));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
    const garbage = await exchange(
      'POST /v1/notifications HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n',
    );
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'MALFORMED_REQUEST', message: 'the request is not valid HTTP/1.1' },
    });
    const huge = await exchange(
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(huge).toContain('"code":"HEADERS_TOO_LARGE"');
  });

  it('429 with Retry-After once a client exceeds its bucket', async () => {
    const limited = await startApi({ RATE_LIMIT_BURST: '2', RATE_LIMIT_PER_SECOND: '0.5' });
    const statuses: number[] = [];
    let last: RawResponse | undefined;
    for (let i = 0; i < 3; i += 1) {
      last = await post(limited.url, body);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([202, 202, 429]);
    expect(last?.headers['retry-after']).toBe('2');
    expect(errorCode(last!)).toBe('RATE_LIMITED');
    expect(await harness.drain()).toHaveLength(2);
  });

  it('503 with Retry-After, and never a 202, when the queue is unreachable', async () => {
    const closedPort = await freePort();
    const down = await startApi({
      QUEUE_URL: `http://127.0.0.1:${closedPort}/000000000000/napi-it-email`,
    });
    const results = await Promise.all([1, 2, 3].map(() => post(down.url, body)));
    for (const res of results) {
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(errorCode(res)).toBe('QUEUE_UNAVAILABLE');
    }
    // A failed enqueue frees its idempotency key, so the client's retry can succeed.
    const keyed = await post(down.url, body, { 'Idempotency-Key': 'retry-after-outage' });
    expect(keyed.status).toBe(503);
    const record = await harness.dynamodb.send(
      new GetCommand({
        TableName: harness.resources.idempotencyTable,
        Key: { pk: 'billing#retry-after-outage' },
      }),
    );
    expect(record.Item).toBeUndefined();
    const retried = await post(api.url, body, { 'Idempotency-Key': 'retry-after-outage' });
    expect(retried.status).toBe(202);
    expect(await harness.drain()).toHaveLength(1);
  });
});

describe('idempotency (DynamoDB)', () => {
  it('replays the first answer for the same key and body, with exactly one message queued', async () => {
    const first = await post(api.url, body, { 'Idempotency-Key': 'order-42' });
    // Same request in another spelling: recipient list instead of a string, keys reordered.
    const again = await post(
      api.url,
      { text: body.text, subject: body.subject, to: [body.to] },
      { 'Idempotency-Key': 'order-42' },
    );
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(first.headers['idempotent-replay']).toBeUndefined();
    expect(await harness.drain()).toHaveLength(1);

    const record = await harness.dynamodb.send(
      new GetCommand({
        TableName: harness.resources.idempotencyTable,
        Key: { pk: 'billing#order-42' },
      }),
    );
    const nowSeconds = Date.now() / 1000;
    expect(record.Item).toMatchObject({
      state: 'completed',
      notificationId: (first.json() as { id: string }).id,
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      responseStatus: 202,
    });
    expect(record.Item?.expiresAt).toBeGreaterThan(nowSeconds + 24 * 3600 - 60);
    expect(record.Item?.expiresAt).toBeLessThan(nowSeconds + 24 * 3600 + 60);
  });

  it('refuses the same key with a different body (422) and queues nothing', async () => {
    expect((await post(api.url, body, { 'Idempotency-Key': 'order-43' })).status).toBe(202);
    await harness.drain();
    const changed = await post(
      api.url,
      { ...body, text: 'changed' },
      { 'Idempotency-Key': 'order-43' },
    );
    expect(changed.status).toBe(422);
    expect(errorCode(changed)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await harness.drain()).toHaveLength(0);
  });

  it('lets concurrent retries with one key produce one message', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => post(api.url, body, { 'Idempotency-Key': 'burst-key' })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 202 || s === 409)).toBe(true);
    const ids = new Set(
      results.filter((r) => r.status === 202).map((r) => (r.json() as { id: string }).id),
    );
    expect(ids.size).toBe(1);
    expect(await harness.drain()).toHaveLength(1);
  });
});

describe('health and readiness', () => {
  it('healthz is 200 while the process runs; readyz is 200 when the queue answers', async () => {
    const health = await rawRequest(api.url, { path: '/healthz' });
    expect(health.status).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await rawRequest(api.url, { path: '/readyz' });
    expect(ready.status).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('readyz goes 503 while the queue is missing and 200 once it exists', async () => {
    const name = `napi-it-late-${Date.now()}`;
    const lateUrl = harness.resources.queueUrl.replace(/[^/]+$/, name);
    const waiting = await startApi({ QUEUE_URL: lateUrl, READINESS_CACHE_MS: '100' });
    const before = await rawRequest(waiting.url, { path: '/readyz' });
    expect(before.status).toBe(503);
    expect(before.headers['retry-after']).toBe('5');
    expect(errorCode(before)).toBe('NOT_READY');
    expect((await rawRequest(waiting.url, { path: '/healthz' })).status).toBe(200);

    expect(await harness.createQueue(name)).toBe(lateUrl);
    await new Promise((r) => setTimeout(r, 150));
    expect((await rawRequest(waiting.url, { path: '/readyz' })).status).toBe(200);
  });

  it('readyz is 503 when the queue endpoint is unreachable', async () => {
    const closedPort = await freePort();
    const down = await startApi({ QUEUE_URL: `http://127.0.0.1:${closedPort}/000000000000/q` });
    const res = await rawRequest(down.url, { path: '/readyz' });
    expect(res.status).toBe(503);
    expect(res.json()).toEqual({
      error: { code: 'NOT_READY', message: expect.stringContaining('queue unreachable') },
    });
  });
});
