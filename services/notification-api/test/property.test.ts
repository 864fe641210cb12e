// Property: whatever arrives (method, path, headers, body), the API never answers 5xx, never
// crashes, always answers in one of its JSON formats, and never enqueues an envelope that the
// worker would reject.
import fc from 'fast-check';
import { parseEnvelope } from '@notify/shared';
import { fakeDeps, listen, rawRequest, TOKEN } from './support.ts';

/** Characters Node's HTTP client lets through in a header value. */
const headerValue = fc.string({
  unit: fc
    .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }))
    .map((c) => String.fromCharCode(c)),
  maxLength: 300,
});

const address = fc.oneof(fc.emailAddress(), fc.string({ maxLength: 30 }));
const recipients = fc.oneof(
  address,
  fc.array(address, { maxLength: 4 }),
  fc.anything({ maxDepth: 1 }),
);

/** Mostly plausible notification bodies, with every field optionally wrong. */
const notificationBody = fc.record(
  {
    to: recipients,
    cc: recipients,
    bcc: recipients,
    replyTo: recipients,
    subject: fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.integer(),
    ),
    text: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.constant(''),
      fc.constant(null),
    ),
    html: fc.string({ maxLength: 100 }),
    reference: fc.oneof(fc.string({ maxLength: 140 }), fc.integer()),
    metadata: fc.oneof(
      fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })),
      fc.anything(),
    ),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  notificationBody.map((b) => JSON.stringify(b)),
  fc.json(),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', '{', '{"to":', 'null', '[]', '"x"', '{"__proto__":{"a":1}}', '\u0000'),
);

const path = fc.oneof(
  fc.constantFrom(
    '/v1/notifications',
    '/v1/notifications/',
    '/healthz',
    '/readyz',
    '/',
    '/v1',
    '/%E0%A4%A',
    '/v1/notifications?x=1',
  ),
  fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
);

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
  path,
  contentType: fc.option(
    fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'application/json; charset=latin1',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ),
      headerValue,
    ),
  ),
  authorization: fc.option(fc.oneof(fc.constant(`Bearer ${TOKEN}`), headerValue)),
  idempotencyKey: fc.option(headerValue),
  requestId: fc.option(headerValue),
  contentEncoding: fc.option(fc.constantFrom('gzip', 'identity', 'br')),
  body: fc.option(body),
});

const simpleAddress = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,15}[a-z0-9]$/),
    fc.constantFrom('example.com', 'mail.example.org'),
  )
  .filter(([local]) => !local.includes('..'))
  .map(([local, domain]) => `${local}@${domain}`);

/** Well-formed requests with arbitrary content, so the accepting path is exercised too. */
const plausibleRequest = fc.record({
  method: fc.constant('POST'),
  path: fc.constant('/v1/notifications'),
  contentType: fc.constant('application/json'),
  authorization: fc.constant(`Bearer ${TOKEN}`),
  idempotencyKey: fc.option(fc.string({ minLength: 1, maxLength: 8 })),
  requestId: fc.option(headerValue),
  contentEncoding: fc.constant(null),
  body: fc
    .record(
      {
        to: fc.oneof(simpleAddress, fc.array(simpleAddress, { minLength: 1, maxLength: 3 })),
        subject: fc
          .string({ unit: 'binary', minLength: 1, maxLength: 30 })
          .filter((t) => !/[\r\n]/.test(t)),
        text: fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
        reference: fc.string({ minLength: 1, maxLength: 20 }),
        metadata: fc.dictionary(
          fc.string({ minLength: 1, maxLength: 5 }),
          fc.string({ maxLength: 5 }),
          { maxKeys: 3 },
        ),
      },
      { requiredKeys: ['to', 'subject', 'text'] },
    )
    .map((b) => JSON.stringify(b)),
});

function isErrorFormat(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; message?: unknown; details?: unknown };
  if (typeof e.code !== 'string' || typeof e.message !== 'string') return false;
  if (e.details === undefined) return Object.keys(e).length === 2;
  return (
    Array.isArray(e.details) &&
    e.details.every(
      (d: { field?: unknown; rule?: unknown }) =>
        typeof d.field === 'string' && typeof d.rule === 'string',
    )
  );
}

describe('property: arbitrary requests', () => {
  it('never get a 5xx and always get a response in the API formats', async () => {
    const f = fakeDeps();
    const api = await listen(f.deps);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof({ arbitrary: request, weight: 3 }, { arbitrary: plausibleRequest, weight: 1 }),
          async (r) => {
            const headers: Record<string, string> = {};
            if (r.contentType !== null) headers['content-type'] = r.contentType;
            if (r.authorization !== null) headers.authorization = r.authorization;
            if (r.idempotencyKey !== null) headers['idempotency-key'] = r.idempotencyKey;
            if (r.requestId !== null) headers['x-request-id'] = r.requestId;
            if (r.contentEncoding !== null) headers['content-encoding'] = r.contentEncoding;
            const res = await rawRequest(api.url, {
              method: r.method,
              path: r.path,
              headers,
              body: r.body ?? undefined,
            });
            expect(res.status).toBeLessThan(500);
            expect(res.headers['x-request-id']).toEqual(expect.any(String));
            if (r.method === 'HEAD') return;
            const parsed: unknown = JSON.parse(res.text);
            if (res.status === 202) {
              expect(parsed).toEqual({
                id: expect.stringMatching(/^[0-9a-f-]{36}$/),
                status: 'queued',
              });
            } else if (res.status === 200 && r.path.startsWith('/v1/notifications')) {
              // The status reads: a list, one notification, or its events.
              expect(parsed).toEqual(
                expect.objectContaining(
                  'notifications' in (parsed as object)
                    ? { notifications: expect.any(Array) }
                    : 'events' in (parsed as object)
                      ? { events: expect.any(Array) }
                      : { id: expect.any(String), recipients: expect.any(Array) },
                ),
              );
            } else if (res.status === 200) {
              expect([{ status: 'ok' }, { status: 'ready' }]).toContainEqual(parsed);
            } else {
              expect(isErrorFormat(parsed)).toBe(true);
            }
          },
        ),
        { numRuns: 200 },
      );
      // Whatever was accepted is an envelope the worker accepts.
      for (const message of f.sent) expect(parseEnvelope(message.body)).toMatchObject({ ok: true });
      // The generator does reach the happy path, or the property would prove little.
      expect(f.sent.length).toBeGreaterThan(0);
    } finally {
      await api.close();
    }
  });
});
