import { createReadinessProbe } from '../src/readiness.ts';

describe('readiness probe', () => {
  function setup(cacheMs = 1000) {
    let t = 0;
    let healthy = true;
    let shuttingDown = false;
    const check = jest.fn(async () => {
      if (!healthy) throw Object.assign(new Error('down'), { name: 'TimeoutError' });
    });
    const probe = createReadinessProbe({
      check,
      cacheMs,
      isShuttingDown: () => shuttingDown,
      now: () => t,
    });
    return {
      probe,
      check,
      advance: (ms: number) => (t += ms),
      setHealthy: (v: boolean) => (healthy = v),
      shutDown: () => (shuttingDown = true),
    };
  }

  it('caches the answer for the configured time', async () => {
    const s = setup(1000);
    await expect(s.probe.status()).resolves.toEqual({ ready: true });
    s.setHealthy(false);
    s.advance(999);
    await expect(s.probe.status()).resolves.toEqual({ ready: true });
    expect(s.check).toHaveBeenCalledTimes(1);
    s.advance(1);
    await expect(s.probe.status()).resolves.toEqual({
      ready: false,
      reason: 'queue unreachable (TimeoutError)',
    });
    s.setHealthy(true);
    s.advance(1000);
    await expect(s.probe.status()).resolves.toEqual({ ready: true });
  });

  it('shares one check between concurrent probes', async () => {
    const s = setup();
    await Promise.all([s.probe.status(), s.probe.status(), s.probe.status()]);
    expect(s.check).toHaveBeenCalledTimes(1);
  });

  it('is not ready while shutting down, without asking the queue', async () => {
    const s = setup();
    s.shutDown();
    await expect(s.probe.status()).resolves.toEqual({ ready: false, reason: 'shutting down' });
    expect(s.check).not.toHaveBeenCalled();
  });
});
