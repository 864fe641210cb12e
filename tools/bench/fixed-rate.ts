// Open-loop load: N requests started at a fixed rate whatever the answers (unlike autocannon's
// closed loop), so end-to-end latency is measured at a known offered load. Bounded by N and by
// the number of requests allowed to be outstanding at once.
import { setTimeout as sleep } from 'node:timers/promises';

export interface FixedRateResult<T> {
  /** One entry per request, in start order. */
  outcomes: Array<T | { error: string }>;
  elapsedMs: number;
}

export async function runAtFixedRate<T>(options: {
  count: number;
  ratePerSecond: number;
  maxOutstanding: number;
  send: (index: number) => Promise<T>;
}): Promise<FixedRateResult<T>> {
  const outcomes: Array<T | { error: string }> = new Array(options.count);
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < options.count; i += 1) {
    const due = started + (i * 1000) / options.ratePerSecond;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    while (inFlight.size >= options.maxOutstanding) await Promise.race(inFlight);
    const task = options.send(i).then(
      (value) => {
        outcomes[i] = value;
      },
      (error: unknown) => {
        outcomes[i] = { error: error instanceof Error ? error.message : String(error) };
      },
    );
    const tracked = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  return { outcomes, elapsedMs: performance.now() - started };
}
