import { classifyOutcome } from '../../src/webhooks/classify.ts';

const response = (status: number, body = '') =>
  ({ kind: 'response', status, body, durationMs: 1 }) as const;

describe('classifyOutcome', () => {
  it.each([200, 201, 202, 204, 299])('HTTP %i is delivered', (status) => {
    expect(classifyOutcome(response(status))).toEqual({ verdict: 'delivered', status });
  });

  it.each([429, 500, 502, 503, 504, 599])('HTTP %i is retried', (status) => {
    expect(classifyOutcome(response(status, ' busy '))).toEqual({
      verdict: 'retry',
      reason: `HTTP ${status}: busy`,
    });
  });

  it.each([400, 401, 403, 404, 408, 410, 413, 422])('HTTP %i is given up', (status) => {
    expect(classifyOutcome(response(status))).toEqual({
      verdict: 'give_up',
      reason: `HTTP ${status}`,
    });
  });

  it('gives up on a redirect, naming where it pointed', () => {
    expect(classifyOutcome({ ...response(301), location: 'https://x.example/' })).toEqual({
      verdict: 'give_up',
      reason: 'HTTP 301 redirect to https://x.example/ (redirects are not followed)',
    });
  });

  it('retries timeouts and network errors', () => {
    expect(classifyOutcome({ kind: 'timeout', durationMs: 10_000 }).verdict).toBe('retry');
    expect(
      classifyOutcome({
        kind: 'network',
        code: 'ECONNRESET',
        message: 'socket hang up',
        durationMs: 3,
      }),
    ).toEqual({ verdict: 'retry', reason: 'network error ECONNRESET: socket hang up' });
  });

  it('keeps at most 200 characters of the answer in the reason', () => {
    const verdict = classifyOutcome(response(503, 'y'.repeat(4096)));
    expect(verdict.verdict === 'retry' && verdict.reason.length).toBe('HTTP 503: '.length + 200);
  });
});
