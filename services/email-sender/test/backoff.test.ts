import { fullJitterDelay, retryDelaySeconds } from '../src/backoff.ts';

const options = { baseSeconds: 5, maxSeconds: 900 };

describe('fullJitterDelay', () => {
  it('draws between 0 and base * 2^(attempt-1)', () => {
    expect(fullJitterDelay(1, 100, 10_000, () => 0)).toBe(0);
    expect(fullJitterDelay(1, 100, 10_000, () => 0.999999)).toBeCloseTo(100, 3);
    expect(fullJitterDelay(4, 100, 10_000, () => 0.5)).toBe(400);
  });

  it('never exceeds the cap, even for huge attempt numbers', () => {
    expect(fullJitterDelay(50, 100, 10_000, () => 0.999999)).toBeLessThanOrEqual(10_000);
    expect(Number.isFinite(fullJitterDelay(5_000, 100, 10_000, () => 1))).toBe(true);
  });
});

describe('retryDelaySeconds', () => {
  it('grows exponentially with the receive count (upper bound)', () => {
    const top = (count: number) => retryDelaySeconds(count, options, () => 1);
    expect([1, 2, 3, 4, 5].map(top)).toEqual([5, 10, 20, 40, 80]);
  });

  it('is capped by RETRY_MAX_SECONDS and by SQS 12 hours', () => {
    expect(retryDelaySeconds(30, options, () => 1)).toBe(900);
    expect(retryDelaySeconds(60, { baseSeconds: 5, maxSeconds: 100_000 }, () => 1)).toBe(43_200);
  });

  it('is a whole number of seconds, at least 1', () => {
    expect(retryDelaySeconds(1, options, () => 0)).toBe(1);
    for (let i = 0; i < 200; i++) {
      const delay = retryDelaySeconds(3, options);
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(1);
      expect(delay).toBeLessThanOrEqual(20);
    }
  });

  it('spreads retries (full jitter): many draws are not all the same', () => {
    const delays = new Set(Array.from({ length: 200 }, () => retryDelaySeconds(5, options)));
    expect(delays.size).toBeGreaterThan(20);
  });
});
