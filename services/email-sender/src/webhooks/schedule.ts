// When to try a webhook again: about a day of retries, early ones close together (a receiver
// that blipped gets its delivery within seconds), later ones hours apart (one that is down for
// a deploy or an outage still gets it). Jitter spreads the retries of many deliveries that
// failed together, so a recovering receiver is not hit by all of them at once.
// Each delay becomes the job message's visibility timeout. SQS caps a message's visibility at
// 12 hours counted from its receive (a ChangeMessageVisibility beyond what is left is
// rejected), so the dispatcher also subtracts the time it has held the message.

/** Delays before retries 1..7 (attempts 2..8): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const WEBHOOK_RETRY_SCHEDULE_SECONDS: readonly number[] = [
  5, 300, 1800, 7200, 18_000, 36_000, 36_000,
];

export const SQS_MAX_VISIBILITY_SECONDS = 12 * 3600;
/** Each delay is drawn from [delay * (1 - JITTER), delay * (1 + JITTER)]. */
export const RETRY_JITTER = 0.2;

/**
 * Seconds to wait after failed attempt number `attempt` (1-based), or undefined when that was
 * the last one. `random` is in [0, 1).
 */
export function retryDelaySeconds(
  attempt: number,
  schedule: readonly number[] = WEBHOOK_RETRY_SCHEDULE_SECONDS,
  random: () => number = Math.random,
): number | undefined {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new Error(`attempt must be >= 1, got ${attempt}`);
  const base = schedule[attempt - 1];
  if (base === undefined) return undefined;
  const jittered = base * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random());
  return Math.min(SQS_MAX_VISIBILITY_SECONDS, Math.max(0, Math.round(jittered)));
}

/** How many attempts a schedule allows in all: the first plus one per delay. */
export function maxAttempts(schedule: readonly number[] = WEBHOOK_RETRY_SCHEDULE_SECONDS): number {
  return schedule.length + 1;
}
