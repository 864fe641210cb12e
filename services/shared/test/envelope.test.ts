import { randomUUID } from 'node:crypto';
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
