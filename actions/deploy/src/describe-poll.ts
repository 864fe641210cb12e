// How every follower polls AWS describe calls: the context's interval and deadline, backing off
// (and saying so) when AWS throttles.
import { isThrottlingError, formatDuration, type PollOptions } from '@notify/actions-shared';
import type { DeployContext } from './strategy.ts';

export function describePollOptions(context: DeployContext): PollOptions {
  return {
    intervalMs: context.pollIntervalMs,
    deadline: context.deadline,
    clock: context.clock,
    isRetryableError: isThrottlingError,
    onRetryableError: (_error, delay) =>
      context.log(`AWS throttled a describe call; backing off ${formatDuration(delay)}`),
  };
}
