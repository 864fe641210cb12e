import { TokenBucketRateLimiter } from '../src/rate-limit.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('token bucket rate limiter', () => {
  it('allows a burst, then refuses with Retry-After rounded up to whole seconds', () => {
    const c = clock();
    const limiter = new TokenBucketRateLimiter({ ratePerSecond: 2, burst: 3, clock: c });
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the configured rate, up to the burst', () => {
    const c = clock();
    const limiter = new TokenBucketRateLimiter({ ratePerSecond: 2, burst: 3, clock: c });
    for (let i = 0; i < 3; i += 1) limiter.take('a');
    c.advance(499);
    expect(limiter.take('a').allowed).toBe(false);
    c.advance(1);
    expect(limiter.take('a').allowed).toBe(true);
    c.advance(60_000);
    expect([1, 2, 3, 4].map(() => limiter.take('a').allowed)).toEqual([true, true, true, false]);
  });

  it('computes Retry-After for slow rates', () => {
    const c = clock();
    const limiter = new TokenBucketRateLimiter({ ratePerSecond: 0.2, burst: 1, clock: c });
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 5 });
    c.advance(2_500);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 3 });
  });

  it('keeps one bucket per client', () => {
    const limiter = new TokenBucketRateLimiter({ ratePerSecond: 1, burst: 1, clock: clock() });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('does not go wrong when the clock steps back', () => {
    const c = clock();
    const limiter = new TokenBucketRateLimiter({ ratePerSecond: 1, burst: 1, clock: c });
    limiter.take('a');
    c.advance(-10_000);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('rejects nonsense settings', () => {
    expect(() => new TokenBucketRateLimiter({ ratePerSecond: 0, burst: 1 })).toThrow(RangeError);
    expect(() => new TokenBucketRateLimiter({ ratePerSecond: 1, burst: 0 })).toThrow(RangeError);
  });
});
