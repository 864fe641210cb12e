import * as crypto from 'node:crypto';
import { createAuthenticator, DEV_TOKEN, parseApiTokens, TokenConfigError } from '../src/auth.ts';

jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

const LONG_A = 'aaaaaaaaaaaaaaaaaaaa';
const LONG_B = 'bbbbbbbbbbbbbbbbbbbb';

describe('parseApiTokens', () => {
  it('reads a JSON array and names each token by a stable hash prefix, not the token', () => {
    const clients = parseApiTokens(JSON.stringify([LONG_A, LONG_B]), false);
    expect(clients.map((c) => c.token)).toEqual([LONG_A, LONG_B]);
    expect(clients[0].name).toMatch(/^token-[0-9a-f]{8}$/);
    expect(clients[0].name).not.toContain(LONG_A);
    expect(parseApiTokens(JSON.stringify([LONG_A]), false)[0].name).toBe(clients[0].name);
  });

  it('reads a JSON object of client names, with one token or several for rotation', () => {
    const clients = parseApiTokens(
      JSON.stringify({ billing: LONG_A, crm: [LONG_B, `${LONG_B}2`] }),
      false,
    );
    expect(clients).toEqual([
      { name: 'billing', token: LONG_A },
      { name: 'crm', token: LONG_B },
      { name: 'crm', token: `${LONG_B}2` },
    ]);
  });

  it.each([
    [undefined, /API_TOKENS is required/],
    ['', /API_TOKENS is required/],
    ['[]', /holds no token/],
    ['{}', /holds no token/],
    ['not json', /must be JSON/],
    ['42', /array of tokens or a JSON object/],
    ['["short"]', /API_TOKENS\[0\] must be at least 16 characters/],
    ['[123]', /API_TOKENS\[0\] must be a string/],
    [JSON.stringify(['has a space in the token']), /without spaces/],
    [JSON.stringify({ 'bad name!': LONG_A }), /key "bad name!"/],
    [JSON.stringify({ a: [] }), /API_TOKENS.a has no token/],
    [JSON.stringify([LONG_A, LONG_A]), /same token twice/],
  ])('refuses %p with a clear message', (raw, message) => {
    expect(() => parseApiTokens(raw, false)).toThrow(TokenConfigError);
    expect(() => parseApiTokens(raw, false)).toThrow(message);
  });

  it('accepts the development token only when ALLOW_DEV_TOKEN is set', () => {
    expect(() => parseApiTokens(JSON.stringify([DEV_TOKEN]), false)).toThrow(
      /ALLOW_DEV_TOKEN=true/,
    );
    expect(parseApiTokens(JSON.stringify({ 'local-dev': DEV_TOKEN }), true)).toEqual([
      { name: 'local-dev', token: DEV_TOKEN },
    ]);
    // The flag admits the documented token only, not short tokens in general.
    expect(() => parseApiTokens(JSON.stringify(['local-dev-tokeX']), true)).toThrow(/at least 16/);
  });

  it('never echoes a token in its messages', () => {
    const secret = 'secret-but-short';
    try {
      parseApiTokens(JSON.stringify(['x', secret]), false);
    } catch (error) {
      expect(String(error)).not.toContain(secret);
    }
  });
});

describe('authenticator', () => {
  const auth = createAuthenticator([
    { name: 'billing', token: LONG_A },
    { name: 'crm', token: LONG_B },
  ]);

  it('accepts every configured token (rotation) and returns the client name', () => {
    expect(auth.authenticate(`Bearer ${LONG_A}`)).toEqual({ ok: true, client: 'billing' });
    expect(auth.authenticate(`bearer ${LONG_B}`)).toEqual({ ok: true, client: 'crm' });
  });

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['Basic dXNlcjpwYXNz', 'malformed'],
    ['Bearer', 'malformed'],
    [`Bearer ${LONG_A} extra`, 'malformed'],
    [`Bearer ${LONG_A}x`, 'invalid'],
    [`Bearer ${LONG_A.slice(1)}`, 'invalid'],
  ])('rejects %p as %s', (header, reason) => {
    expect(auth.authenticate(header)).toEqual({ ok: false, reason });
  });

  it('compares equal-length digests against every token, without stopping at a match', () => {
    const spy = crypto.timingSafeEqual as jest.Mock;
    spy.mockClear();
    expect(auth.authenticate(`Bearer ${LONG_A}`)).toEqual({ ok: true, client: 'billing' });
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockClear();
    auth.authenticate('Bearer x');
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [a, b] of spy.mock.calls as [Buffer, Buffer][]) {
      expect(a.length).toBe(32);
      expect(b.length).toBe(32);
    }
  });
});
