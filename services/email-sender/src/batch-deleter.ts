// Deletes finished messages with DeleteMessageBatch by group commit (@notify/shared
// GroupCommitBatcher): a delete that finds a call slot free goes out at once, and while every
// slot is busy the next batch fills (up to 10 receipts), so a busy worker pays about one request
// per ten messages and an idle one pays no linger. SQS answers 200 even when some entries
// failed, so the `Failed` list is checked entry by entry; a failed delete is logged and counted,
// and the message will simply be delivered again (consumers tolerate duplicates).
// A call that fails as a whole (SQS unreachable, throttled, 5xx) is retried with backoff inside
// its slot for a bounded window, counted from when the oldest receipt in it was queued, so the
// retries end inside the visibility timeout: every undeleted message is an email sent twice.
// While a call retries, new deletes fill the next batch behind it.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteMessageBatchCommand,
  type DeleteMessageBatchCommandOutput,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { GroupCommitBatcher, type EntryOutcome, type Logger } from '@notify/shared';

export const SQS_BATCH_LIMIT = 10;

export interface DeleteContext {
  messageId: string;
  notificationId?: string | undefined;
  requestId?: string | undefined;
}

interface QueuedDelete {
  receiptHandle: string;
  context: DeleteContext;
  queuedAt: number;
}

export interface BatchDeleterOptions {
  sqs: SQSClient;
  queueUrl: string;
  logger: Logger;
  /** DeleteMessageBatch calls in flight at once; new deletes fill the next batch. Default 2. */
  maxInFlight?: number;
  /** How long a batch may wait for company while a slot is free (ms). Default 0. */
  lingerMs?: number;
  /** How long after a delete was queued its call keeps being retried (ms). Default 20 s. */
  retryWindowMs?: number;
  /** First retry delay (ms), doubled per attempt up to 5 s. Default 1 s: the SDK has already
   * retried the call quickly, so this covers outages of seconds, not milliseconds. */
  retryBaseMs?: number;
  onFailed?: (count: number) => void;
  now?: () => number;
}

export class BatchDeleter {
  readonly #options: BatchDeleterOptions;
  readonly #now: () => number;
  readonly #batcher: GroupCommitBatcher<QueuedDelete, boolean>;
  #failed = 0;
  /** Aborted by flush(): a shutdown does not wait out the retry window or a backoff. */
  readonly #flushing = new AbortController();

  constructor(options: BatchDeleterOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#batcher = new GroupCommitBatcher({
      send: (batch) => this.#deleteBatch(batch),
      maxEntries: SQS_BATCH_LIMIT,
      maxInFlight: options.maxInFlight ?? 2,
      lingerMs: options.lingerMs ?? 0,
    });
  }

  /** Deletes failed for these many messages since start (they will be redelivered). */
  get failedCount(): number {
    return this.#failed;
  }

  /** DeleteMessageBatch calls under way (including ones backing off between retries). */
  get inFlightCount(): number {
    return this.#batcher.inFlightCount;
  }

  /** Queues a delete; resolves true once SQS confirmed it, false if it failed. Never rejects. */
  delete(receiptHandle: string, context: DeleteContext): Promise<boolean> {
    return this.#batcher.add({ receiptHandle, context, queuedAt: this.#now() });
  }

  /** Sends whatever is queued now, stops retrying, and waits for every outstanding call. */
  async flush(): Promise<void> {
    this.#flushing.abort();
    await this.#batcher.flush();
  }

  /** Sends the batch, retrying whole-call failures until the retry window closes. */
  async #sendWithRetry(batch: QueuedDelete[]): Promise<DeleteMessageBatchCommandOutput> {
    const { sqs, queueUrl, logger } = this.#options;
    const oldest = Math.min(...batch.map((entry) => entry.queuedAt));
    const windowEnds = oldest + (this.#options.retryWindowMs ?? 20_000);
    const flushing = this.#flushing.signal;
    let delay = this.#options.retryBaseMs ?? 1_000;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((entry, index) => ({
              Id: String(index),
              ReceiptHandle: entry.receiptHandle,
            })),
          }),
        );
      } catch (error) {
        if (flushing.aborted || this.#now() + delay > windowEnds) throw error;
        logger.warn(
          { err: error, attempt, retryInMs: delay },
          'DeleteMessageBatch failed; retrying',
        );
        try {
          await sleep(delay, undefined, { signal: flushing });
        } catch {
          throw error;
        }
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }

  /** One outcome per receipt: true when deleted, false when SQS did not (never a rejection). */
  async #deleteBatch(batch: QueuedDelete[]): Promise<EntryOutcome<boolean>[]> {
    const { logger } = this.#options;
    let output: DeleteMessageBatchCommandOutput;
    try {
      output = await this.#sendWithRetry(batch);
    } catch (error) {
      logger.warn(
        {
          err: error,
          messageIds: batch.map((e) => e.context.messageId),
          requestIds: batch.map((e) => e.context.requestId),
        },
        'DeleteMessageBatch failed; these messages will be delivered again',
      );
      this.#countFailed(batch.length);
      return batch.map(() => ({ ok: true, value: false }));
    }
    const failedById = new Map((output.Failed ?? []).map((f) => [f.Id, f]));
    let failed = 0;
    const outcomes = batch.map((entry, index): EntryOutcome<boolean> => {
      const failure = failedById.get(String(index));
      if (failure) {
        failed += 1;
        logger.warn(
          {
            ...entry.context,
            code: failure.Code,
            senderFault: failure.SenderFault,
            error: failure.Message,
          },
          'delete failed for one message; it will be delivered again',
        );
      }
      return { ok: true, value: !failure };
    });
    this.#countFailed(failed);
    return outcomes;
  }

  #countFailed(count: number): void {
    if (count === 0) return;
    this.#failed += count;
    this.#options.onFailed?.(count);
  }
}
