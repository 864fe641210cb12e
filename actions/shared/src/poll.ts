// Polling with a steady short interval, exponential backoff on retryable errors (throttling),
// jitter, and one overall deadline. Short steady polls detect completion quickly (the official
// deploy action's waiter backs off to 120 s); backing off only on errors keeps us polite.
import { systemClock, type Clock } from './clock.ts';

export type PollStep<T> = { done: true; value: T } | { done: false; nextDelayMs?: number };

export interface PollOptions {
  /** Delay between polls while nothing goes wrong (ms). */
  intervalMs: number;
  /** Absolute deadline (epoch ms on the given clock). */
  deadline: number;
  /** Upper bound for the backed-off delay after errors (ms). Default 60 s. */
  maxIntervalMs?: number;
  /** Multiplier per consecutive retryable error. Default 2. */
  backoffFactor?: number;
  /** Fraction of each delay randomised, 0..1 (0.2 = ±20 %). Default 0.1. */
  jitter?: number;
  /** Errors for which the loop backs off and tries again instead of failing. */
  isRetryableError?: (error: unknown) => boolean;
  /** Told about each retryable error and the delay chosen before the next try. */
  onRetryableError?: (error: unknown, delayMs: number) => void;
  signal?: AbortSignal;
  clock?: Clock;
  /** Source of randomness for jitter, 0 <= x < 1. Default Math.random. */
  random?: () => number;
}

/** Thrown when the deadline passes before the check reports done. */
export class DeadlineExceededError extends Error {
  readonly deadline: number;
  readonly attempts: number;
  constructor(deadline: number, attempts: number) {
    super(`deadline ${new Date(deadline).toISOString()} passed after ${attempts} polls`);
    this.name = 'DeadlineExceededError';
    this.deadline = deadline;
    this.attempts = attempts;
  }
}

export function applyJitter(delayMs: number, jitter: number, random: () => number): number {
  if (jitter <= 0) return delayMs;
  const spread = delayMs * Math.min(jitter, 1);
  return Math.max(0, Math.round(delayMs - spread + 2 * spread * random()));
}

/**
 * Calls `check` until it returns `{ done: true }`, sleeping between calls. Never sleeps past
 * the deadline: the last sleep is shortened so the final check happens right at it.
 */
export async function poll<T>(
  check: (attempt: number) => Promise<PollStep<T>>,
  options: PollOptions,
): Promise<T> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const jitter = options.jitter ?? 0.1;
  const maxInterval = options.maxIntervalMs ?? 60_000;
  const factor = options.backoffFactor ?? 2;
  let consecutiveErrors = 0;
  let attempt = 0;

  for (;;) {
    options.signal?.throwIfAborted();
    attempt += 1;
    let delay: number;
    try {
      const step = await check(attempt);
      if (step.done) return step.value;
      consecutiveErrors = 0;
      delay = step.nextDelayMs ?? options.intervalMs;
    } catch (error) {
      if (!options.isRetryableError?.(error)) throw error;
      consecutiveErrors += 1;
      delay = Math.min(maxInterval, options.intervalMs * factor ** consecutiveErrors);
      options.onRetryableError?.(error, delay);
    }
    const remaining = options.deadline - clock.now();
    if (remaining <= 0) throw new DeadlineExceededError(options.deadline, attempt);
    await clock.sleep(Math.min(applyJitter(delay, jitter, random), remaining), options.signal);
  }
}
