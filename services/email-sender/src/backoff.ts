// Exponential backoff with "full jitter" (a uniform draw between 0 and the exponential ceiling),
// which spreads retries of many messages that failed together instead of re-synchronising them.
import { SQS_MAX_VISIBILITY_SECONDS } from './config.ts';

export type Random = () => number;

/** A delay in [0, min(cap, base * 2^(attempt-1))]; attempt starts at 1. */
export function fullJitterDelay(
  attempt: number,
  base: number,
  cap: number,
  random: Random = Math.random,
): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // 2^exponent overflows to Infinity for large exponents; min() with the cap keeps it finite.
  const ceiling = Math.min(cap, base * 2 ** Math.min(exponent, 1_000));
  return random() * ceiling;
}

export interface RetryDelayOptions {
  baseSeconds: number;
  maxSeconds: number;
}

/**
 * Seconds a failed message stays invisible before its next attempt, from the receive count
 * SQS reports (1 on the first delivery). Whole seconds (ChangeMessageVisibility takes an
 * integer), at least 1 so a retry never spins, at most RETRY_MAX_SECONDS and SQS's 12 hours.
 */
export function retryDelaySeconds(
  receiveCount: number,
  options: RetryDelayOptions,
  random: Random = Math.random,
): number {
  const cap = Math.min(options.maxSeconds, SQS_MAX_VISIBILITY_SECONDS);
  const delay = Math.ceil(fullJitterDelay(receiveCount, options.baseSeconds, cap, random));
  return Math.min(cap, Math.max(1, delay));
}
