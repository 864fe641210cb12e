import { runAtFixedRate } from '../fixed-rate.ts';

describe('runAtFixedRate', () => {
  it('starts requests at the given rate, whatever their answers, and keeps every outcome', async () => {
    const startedAt: number[] = [];
    const t0 = performance.now();
    const result = await runAtFixedRate({
      count: 20,
      ratePerSecond: 200,
      maxOutstanding: 100,
      send: async (i) => {
        startedAt.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 30));
        if (i === 3) throw new Error('refused');
        return i * 2;
      },
    });
    expect(result.outcomes).toHaveLength(20);
    expect(result.outcomes[3]).toEqual({ error: 'refused' });
    expect(result.outcomes[19]).toBe(38);
    // 20 starts at 200/s span about 95 ms; the 30 ms answers do not hold the next start back.
    expect(startedAt[19]).toBeGreaterThanOrEqual(90);
    expect(startedAt[19]).toBeLessThan(400);
  });

  it('never has more than maxOutstanding requests open', async () => {
    let open = 0;
    let most = 0;
    await runAtFixedRate({
      count: 30,
      ratePerSecond: 10_000,
      maxOutstanding: 4,
      send: async () => {
        open += 1;
        most = Math.max(most, open);
        await new Promise((r) => setTimeout(r, 5));
        open -= 1;
      },
    });
    expect(most).toBe(4);
  });
});
