// Time as a dependency: the deploy follower sleeps for minutes in production, and tests must
// run those minutes in milliseconds. Everything that waits takes a Clock.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface ManualClock extends Clock {
  /** Every sleep requested so far, in order (ms). */
  readonly sleeps: number[];
  /** Moves time forward without sleeping (e.g. to simulate slow calls). */
  advance(ms: number): void;
}

/**
 * A clock whose sleep returns at once and moves time forward by the requested amount, so
 * code that polls for half an hour runs instantly and deterministically in tests.
 */
export function createManualClock(startMs = Date.UTC(2026, 0, 1, 12, 0, 0)): ManualClock {
  let current = startMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => current,
    advance(ms) {
      current += ms;
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      current += ms;
      // Yield to the event loop so that aborts and other promises get their turn.
      await Promise.resolve();
    },
  };
}
