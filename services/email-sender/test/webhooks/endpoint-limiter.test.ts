import { EndpointLimiter } from '../../src/webhooks/endpoint-limiter.ts';

describe('EndpointLimiter', () => {
  it('runs at most `concurrency` per endpoint, queues `waiting` more and refuses the rest', async () => {
    const limiter = new EndpointLimiter({ concurrency: 2, waiting: 1 });
    const a1 = await limiter.enter('https://a.example')!;
    await limiter.enter('https://a.example')!;
    const third = limiter.enter('https://a.example');
    expect(third).toBeDefined();
    expect(limiter.enter('https://a.example')).toBeUndefined();
    expect(limiter.load('https://a.example')).toEqual({ running: 2, waiting: 1 });

    // Another endpoint is not held up by the saturated one.
    const b = limiter.enter('https://b.example');
    await expect(b).resolves.toEqual(expect.any(Function));

    let thirdRan = false;
    void third!.then(() => (thirdRan = true));
    await Promise.resolve();
    expect(thirdRan).toBe(false);
    a1();
    await new Promise((resolve) => setImmediate(resolve));
    expect(thirdRan).toBe(true);
    expect(limiter.load('https://a.example')).toEqual({ running: 2, waiting: 0 });
  });

  it('ignores a second release of the same slot', async () => {
    const limiter = new EndpointLimiter({ concurrency: 1, waiting: 0 });
    const release = await limiter.enter('e')!;
    release();
    release();
    const again = await limiter.enter('e')!;
    expect(limiter.load('e')).toEqual({ running: 1, waiting: 0 });
    expect(limiter.enter('e')).toBeUndefined();
    again();
    expect(limiter.load('e')).toEqual({ running: 0, waiting: 0 });
  });
});
