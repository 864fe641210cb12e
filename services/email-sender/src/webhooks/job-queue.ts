// Enqueues webhook jobs on the webhooks queue, ten to a SendMessageBatch call. Used by the status
// consumer after the store applied an event: delivery happens from the queue, never inline.
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WebhookJob } from '@notify/shared';

export class WebhookJobQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  /** Throws when SQS did not take every job (naming how many), after the SDK's own retries. */
  async enqueue(jobs: readonly WebhookJob[]): Promise<void> {
    for (let start = 0; start < jobs.length; start += 10) {
      const batch = jobs.slice(start, start + 10);
      const out = await this.#sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.#queueUrl,
          Entries: batch.map((job, i) => ({ Id: String(i), MessageBody: JSON.stringify(job) })),
        }),
      );
      if (out.Failed !== undefined && out.Failed.length > 0) {
        const first = out.Failed[0]!;
        throw new Error(
          `webhooks queue refused ${out.Failed.length} of ${batch.length} jobs (${first.Code}: ${first.Message})`,
        );
      }
    }
  }
}
