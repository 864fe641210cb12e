import { RateLimiter } from '../src/rate-limiter.ts';

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

/** Starts n acquires and records the fake time each one was granted. */
function acquireMany(limiter: RateLimiter, n: number, signal?: AbortSignal) {
  const grantedAt: number[] = [];
  const all = Array.from({ length: n }, () =>
    limiter.acquire(signal).then(() => grantedAt.push(Date.now())),
  );
  return { grantedAt, all };
}

describe('RateLimiter', () => {
  it('allows a burst of one second, then the configured rate', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 10 });
    const { grantedAt } = acquireMany(limiter, 30);
    await jest.advanceTimersByTimeAsync(0);
    expect(grantedAt).toHaveLength(10);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(grantedAt).toHaveLength(20);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(grantedAt).toHaveLength(30);
    limiter.close();
  });

  it('serves waiters first come, first served', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 1 });
    const order: number[] = [];
    const all = [0, 1, 2].map((i) => limiter.acquire().then(() => order.push(i)));
    await jest.advanceTimersByTimeAsync(3_000);
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2]);
  });

  it('halves the rate on throttling and recovers gradually to the target', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 10, recoveryIntervalMs: 1_000 });
    limiter.throttled();
    expect(limiter.ratePerSecond).toBe(5);
    limiter.throttled();
    expect(limiter.ratePerSecond).toBe(2.5);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(limiter.ratePerSecond).toBe(3.5);
    await jest.advanceTimersByTimeAsync(3_000);
    expect(limiter.ratePerSecond).toBeCloseTo(6.5);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(limiter.ratePerSecond).toBe(10);
  });

  it('never slows below the minimum rate', () => {
    const limiter = new RateLimiter({ ratePerSecond: 8, minRatePerSecond: 2 });
    for (let i = 0; i < 10; i++) limiter.throttled();
    expect(limiter.ratePerSecond).toBe(2);
  });

  it('drops the saved-up burst when throttled', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 10, recoveryIntervalMs: 60_000 });
    limiter.throttled(); // 5/s, bucket emptied
    const { grantedAt } = acquireMany(limiter, 5);
    await jest.advanceTimersByTimeAsync(0);
    expect(grantedAt).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(grantedAt).toHaveLength(5);
    limiter.close();
  });

  it('rejects an aborted acquire and keeps serving the others', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 1 });
    await limiter.acquire(); // spend the burst
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    const other = limiter.acquire();
    controller.abort(new Error('draining'));
    await expect(aborted).rejects.toThrow('draining');
    expect(limiter.waiting).toBe(1);
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(other).resolves.toBeUndefined();
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RateLimiter({ ratePerSecond: 0 })).toThrow('ratePerSecond');
  });
});
