import { InFlightLimiter } from '../src/in-flight-limiter.ts';

describe('InFlightLimiter', () => {
  it('grants up to the free room, never more than the limit', async () => {
    const limiter = new InFlightLimiter(25);
    expect(await limiter.reserve(10)).toBe(10);
    expect(await limiter.reserve(10)).toBe(10);
    expect(await limiter.reserve(10)).toBe(5);
    expect(limiter.inFlight).toBe(25);
    expect(limiter.free).toBe(0);
  });

  it('makes a reserve wait until room is released', async () => {
    const limiter = new InFlightLimiter(2);
    await limiter.reserve(10);
    let granted: number | undefined;
    const waiting = limiter.reserve(10).then((n) => (granted = n));
    await Promise.resolve();
    expect(granted).toBeUndefined();
    limiter.release(1);
    await waiting;
    expect(granted).toBe(1);
    expect(limiter.inFlight).toBe(2);
  });

  it('rejects a waiting reserve when its signal aborts, leaving the count unchanged', async () => {
    const limiter = new InFlightLimiter(1);
    await limiter.reserve(1);
    const controller = new AbortController();
    const waiting = limiter.reserve(1, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    limiter.release(1);
    expect(limiter.inFlight).toBe(0);
  });

  it('whenIdle resolves once everything is released', async () => {
    const limiter = new InFlightLimiter(5);
    await limiter.reserve(3);
    let idle = false;
    const done = limiter.whenIdle().then(() => (idle = true));
    limiter.release(2);
    await Promise.resolve();
    expect(idle).toBe(false);
    limiter.release(1);
    await done;
    expect(idle).toBe(true);
  });
});
