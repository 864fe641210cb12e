import { MAX_BODY_BYTES, parseEnvelope, serializeEnvelope } from '@notify/shared';
import { buildEnvelope } from '../src/envelope-builder.ts';
import { ApiError } from '../src/errors.ts';
import { fieldName, parseNotificationRequest } from '../src/request-schema.ts';

const ok = { to: 'jane@example.com', subject: 'Hello', text: 'Hi' };

function problems(body: unknown) {
  const result = parseNotificationRequest(body);
  if (result.ok) throw new Error('expected the body to be rejected');
  return result.details;
}

describe('request schema', () => {
  it('accepts a single address or a list and normalises recipients to lists', () => {
    const single = parseNotificationRequest({
      ...ok,
      cc: 'c@example.com',
      replyTo: 'r@example.com',
    });
    expect(single).toEqual({
      ok: true,
      request: {
        email: {
          to: ['jane@example.com'],
          cc: ['c@example.com'],
          bcc: [],
          replyTo: ['r@example.com'],
          subject: 'Hello',
          text: 'Hi',
        },
      },
    });
    const list = parseNotificationRequest({
      ...ok,
      to: ['a@example.com', 'b@example.com'],
      bcc: ['x@example.com'],
      html: '<p>Hi</p>',
      reference: 'order-42',
      metadata: { tenant: 'acme' },
    });
    expect(list.ok && list.request).toMatchObject({
      email: { to: ['a@example.com', 'b@example.com'], bcc: ['x@example.com'] },
      reference: 'order-42',
      metadata: { tenant: 'acme' },
    });
  });

  it.each([
    [
      'invalid address in a list',
      { ...ok, to: ['jane@example.com', 'nope'] },
      'to[1]',
      'invalid_format',
    ],
    ['invalid single address', { ...ok, cc: 'not-an-address' }, 'cc[0]', 'invalid_format'],
    ['no recipient', { ...ok, to: [] }, 'to', 'too_small'],
    ['missing to', { subject: 'x', text: 'y' }, 'to', 'invalid_type'],
    ['subject with CR/LF', { ...ok, subject: 'Hi\r\nBcc: evil@example.com' }, 'subject', 'custom'],
    ['empty subject', { ...ok, subject: '' }, 'subject', 'too_small'],
    ['subject too long', { ...ok, subject: 'x'.repeat(999) }, 'subject', 'too_big'],
    ['neither text nor html', { to: 'a@example.com', subject: 's' }, 'text', 'custom'],
    ['text not a string', { ...ok, text: 42 }, 'text', 'invalid_type'],
    ['reference too long', { ...ok, reference: 'r'.repeat(129) }, 'reference', 'too_big'],
    ['empty reference', { ...ok, reference: '' }, 'reference', 'too_small'],
    ['metadata value not a string', { ...ok, metadata: { a: 1 } }, 'metadata.a', 'invalid_type'],
    ['unknown field', { ...ok, priority: 'high' }, 'priority', 'unknown_field'],
    ['a field named email', { ...ok, email: 'x' }, 'email', 'unknown_field'],
    ['an array body', [ok], '(body)', 'invalid_type'],
    ['a string body', 'hello', '(body)', 'invalid_type'],
    ['null body', null, '(body)', 'invalid_type'],
  ])('rejects %s, naming the field and the rule', (_name, body, field, rule) => {
    expect(problems(body)).toContainEqual(expect.objectContaining({ field, rule }));
  });

  it('limits recipients to 50 across to, cc and bcc', () => {
    const many = (n: number, p: string) =>
      Array.from({ length: n }, (_, i) => `${p}${i}@example.com`);
    expect(
      parseNotificationRequest({ ...ok, to: many(20, 't'), cc: many(20, 'c'), bcc: many(10, 'b') })
        .ok,
    ).toBe(true);
    expect(
      problems({ ...ok, to: many(20, 't'), cc: many(20, 'c'), bcc: many(11, 'b') }),
    ).toContainEqual(
      expect.objectContaining({ field: 'to', message: expect.stringContaining('at most 50') }),
    );
  });

  it('limits the size of text and html together', () => {
    const half = 'x'.repeat(MAX_BODY_BYTES / 2);
    expect(parseNotificationRequest({ ...ok, text: half, html: half }).ok).toBe(true);
    expect(problems({ ...ok, text: half, html: `${half}x` })).toContainEqual(
      expect.objectContaining({ field: 'html', message: expect.stringContaining('bytes') }),
    );
  });

  it('limits metadata keys', () => {
    const metadata = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));
    expect(problems({ ...ok, metadata })).toContainEqual(
      expect.objectContaining({ field: 'metadata' }),
    );
  });

  it('reports every problem at once', () => {
    const details = problems({ to: ['bad'], subject: 'a\nb', extra: true });
    expect(details.map((d) => d.field).sort()).toEqual(['extra', 'subject', 'text', 'to[0]']);
  });

  it('treats a __proto__ key as an unknown field without touching prototypes', () => {
    const details = problems(
      JSON.parse('{"to":"a@example.com","subject":"s","text":"t","__proto__":{"polluted":true}}'),
    );
    expect(details).toContainEqual(
      expect.objectContaining({ field: '__proto__', rule: 'unknown_field' }),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('formats paths as field names', () => {
    expect(fieldName(['email', 'to', 0])).toBe('to[0]');
    expect(fieldName(['metadata', 'tenant'])).toBe('metadata.tenant');
    expect(fieldName([])).toBe('(body)');
  });
});

describe('prototype keys', () => {
  const metadataJson = (entries: string) =>
    `{"to":"jane@example.com","subject":"Hello","text":"Hi","metadata":{${entries}}}`;

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses %s as a metadata key like any invalid key',
    (key) => {
      for (const value of ['12345', '"x"', '{"a":"b"}']) {
        expect(problems(JSON.parse(metadataJson(`"${key}":${value}`)))).toEqual([
          {
            field: `metadata.${key}`,
            rule: 'custom',
            message: 'keys must not be __proto__, constructor or prototype',
          },
        ]);
      }
    },
  );

  it('counts a __proto__ key towards the 20-key limit', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `"k${i}":"v"`).join(',');
    expect(problems(JSON.parse(metadataJson(`${twenty},"__proto__":"x"`)))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'metadata', message: 'must have at most 20 keys' }),
      ]),
    );
  });

  it('refuses a top-level __proto__ as an unknown field', () => {
    expect(
      problems(
        JSON.parse('{"to":"jane@example.com","subject":"Hi","text":"x","__proto__":{"a":1}}'),
      ),
    ).toEqual([{ field: '__proto__', rule: 'unknown_field', message: 'is not a known field' }]);
  });
});

describe('envelope builder', () => {
  const ids = {
    id: '6f1c1d47-8f2b-4a4a-9a53-0a4f3c1f2b11',
    requestId: 'req-1',
    createdAt: new Date('2026-01-02T03:04:05.000Z'),
  };

  it('builds a v1 envelope the worker accepts', () => {
    const parsed = parseNotificationRequest({ ...ok, reference: 'r-1', metadata: { a: 'b' } });
    if (!parsed.ok) throw new Error('valid body rejected');
    const envelope = buildEnvelope(parsed.request, { ...ids, idempotencyKey: 'key-1' });
    const roundTrip = parseEnvelope(serializeEnvelope(envelope));
    expect(roundTrip).toEqual({ ok: true, envelope });
    expect(envelope).toMatchObject({
      v: 1,
      id: ids.id,
      requestId: 'req-1',
      createdAt: '2026-01-02T03:04:05.000Z',
      idempotencyKey: 'key-1',
      reference: 'r-1',
      metadata: { a: 'b' },
      email: { to: ['jane@example.com'], subject: 'Hello', text: 'Hi' },
    });
  });

  it('turns an envelope problem into a 400 naming the client field', () => {
    const parsed = parseNotificationRequest(ok);
    if (!parsed.ok) throw new Error('valid body rejected');
    expect(() => buildEnvelope(parsed.request, { ...ids, requestId: '' })).toThrow(ApiError);
  });

  it('escapes the characters SQS refuses while keeping the same JSON', () => {
    const parsed = parseNotificationRequest({ ...ok, text: 'a\uffffb\ufffe\u0001' });
    if (!parsed.ok) throw new Error('valid body rejected');
    const body = serializeEnvelope(buildEnvelope(parsed.request, ids));
    expect([...body].filter((c) => c < ' ' || c === '\ufffe' || c === '\uffff')).toEqual([]);
    expect(body).toContain('\\uffff');
    const back = parseEnvelope(body);
    expect(back.ok && back.envelope.email.text).toBe('a\uffffb\ufffe\u0001');
  });
});
