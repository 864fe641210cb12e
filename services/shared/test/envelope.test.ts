import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  parseEnvelope,
  serializeEnvelope,
  type Envelope,
  MAX_RECIPIENTS,
} from '../src/envelope.ts';

const valid = (): Envelope => ({
  v: 1,
  id: randomUUID(),
  createdAt: new Date().toISOString(),
  requestId: 'req-1',
  email: { to: ['a@example.com'], cc: [], bcc: [], replyTo: [], subject: 'Hi', text: 'Hello' },
});

describe('queue envelope', () => {
  it('round-trips a valid envelope', () => {
    const env = valid();
    const parsed = parseEnvelope(serializeEnvelope(env));
    expect(parsed).toEqual({ ok: true, envelope: env });
  });

  // What the strictest SQS implementation we know takes (the local emulator: no astral
  // characters); real SQS's set is this plus #x10000-#x10FFFF.
  const STRICT_SQS_BODY = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd]*$/;

  it('writes a body of BMP characters SQS accepts, astral ones as escaped UTF-16 halves', () => {
    const env = valid();
    env.email.subject = 'Party 🎉 time \u{1f600} \ufffe';
    env.email.text = 'math 𝔸 and 😀, \uffff, \u0001';
    env.metadata = { 'emoji-🎉': 'value 👍' };
    const body = serializeEnvelope(env);
    expect(body).toMatch(STRICT_SQS_BODY);
    expect(body).toContain('\\ud83c\\udf89');
    expect(body).toContain('\\ufffe');
    expect(parseEnvelope(body)).toEqual({ ok: true, envelope: env });
  });

  it('round-trips any string in every free-text field through an SQS-safe body', () => {
    const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(text, text, (subject, body) => {
        const env = valid();
        env.email.subject = subject.replace(/[\r\n]/g, ' ');
        env.email.text = body;
        const serialized = serializeEnvelope(env);
        expect(serialized).toMatch(STRICT_SQS_BODY);
        expect(parseEnvelope(serialized)).toEqual({ ok: true, envelope: env });
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });

  it.each([
    [undefined, 'empty message body'],
    ['not json', 'message body is not JSON'],
    [JSON.stringify({ ...valid(), v: 2 }), 'unsupported envelope version 2'],
  ])('rejects %p with reason %p', (body, reason) => {
    expect(parseEnvelope(body)).toEqual({ ok: false, reason });
  });

  it('names the field and rule of an invalid envelope', () => {
    const env = valid();
    env.email.subject = 'a\r\nBcc: x@evil.com';
    const parsed = parseEnvelope(JSON.stringify(env));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain('email.subject: must not contain CR or LF');
  });

  it('limits recipients in total and requires a body', () => {
    const env = valid();
    env.email.to = Array.from({ length: MAX_RECIPIENTS }, (_, i) => `u${i}@example.com`);
    env.email.bcc = ['extra@example.com'];
    delete env.email.text;
    const parsed = parseEnvelope(JSON.stringify(env));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toContain('at most 50 recipients');
      expect(parsed.reason).toContain('one of text or html is required');
    }
  });

  it('rejects unknown fields', () => {
    const parsed = parseEnvelope(JSON.stringify({ ...valid(), extra: 1 }));
    expect(parsed.ok).toBe(false);
  });
});
