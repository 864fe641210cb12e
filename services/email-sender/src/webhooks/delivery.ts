// One delivery of a job to its client's endpoint: check the destination at send time, sign with
// every live secret (timestamp = now, so a late retry is not refused as too old), attempt, and
// classify. Secrets and URL come from the client's current configuration, not from the job.
import { signWebhook, type ClientWebhook, type WebhookJob } from '@notify/shared';
import { attemptDelivery, type AttemptOptions, type AttemptOutcome } from './attempt.ts';
import { classifyOutcome, type Verdict } from './classify.ts';
import {
  resolveDestination,
  UnsafeDestinationError,
  type DestinationPolicy,
  type ResolveAll,
} from './destination.ts';

export interface DeliveryOptions {
  policy: DestinationPolicy;
  attempt: AttemptOptions;
  now?: () => Date;
  resolveAll?: ResolveAll;
}

export interface DeliveryResult {
  verdict: Verdict;
  outcome?: AttemptOutcome;
}

export async function deliverJob(
  job: WebhookJob,
  client: ClientWebhook,
  options: DeliveryOptions,
): Promise<DeliveryResult> {
  let destination;
  try {
    destination = await resolveDestination(client.url, options.policy, options.resolveAll);
  } catch (error) {
    if (!(error instanceof UnsafeDestinationError)) throw error;
    const reason = `destination refused: ${error.message}`;
    return {
      verdict: error.retryable ? { verdict: 'retry', reason } : { verdict: 'give_up', reason },
    };
  }
  const body = JSON.stringify(job.event);
  const now = options.now?.() ?? new Date();
  const headers = signWebhook(client.secrets, job.messageId, now, body);
  const outcome = await attemptDelivery(destination, { ...headers }, body, options.attempt);
  return { verdict: classifyOutcome(outcome), outcome };
}
