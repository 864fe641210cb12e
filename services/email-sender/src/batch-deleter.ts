// Deletes finished messages with DeleteMessageBatch: up to 10 receipts per call, gathered over a
// short linger so a busy worker pays one request per ten messages. SQS answers 200 even when
// some entries failed, so the `Failed` list is checked entry by entry; a failed delete is logged
// and counted, and the message will simply be delivered again (consumers tolerate duplicates).
// A call that fails as a whole (SQS unreachable, throttled, 5xx) is retried with backoff for a
// bounded window inside the visibility timeout: every undeleted message is an email sent twice.
import { DeleteMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '@notify/shared';

export const SQS_BATCH_LIMIT = 10;

export interface DeleteContext {
  messageId: string;
  notificationId?: string | undefined;
  requestId?: string | undefined;
}

interface PendingDelete {
  receiptHandle: string;
  context: DeleteContext;
  resolve: (deleted: boolean) => void;
}

export interface BatchDeleterOptions {
  sqs: SQSClient;
  queueUrl: string;
  logger: Logger;
  lingerMs?: number;
  /** How long a batch whose call failed as a whole keeps being retried (ms). Default 20 s. */
  retryWindowMs?: number;
  /** First retry delay (ms), doubled per attempt up to 5 s. Default 1 s: the SDK has already
   * retried the call quickly, so this covers outages of seconds, not milliseconds. */
  retryBaseMs?: number;
  onFailed?: (count: number) => void;
}

export class BatchDeleter {
  readonly #options: BatchDeleterOptions;
  readonly #lingerMs: number;
  #pending: PendingDelete[] = [];
  #timer: NodeJS.Timeout | undefined;
  #calls = new Set<Promise<void>>();
  #failed = 0;
  /** Set by flush(): a shutdown does not wait out the retry window. */
  #flushing = false;

  constructor(options: BatchDeleterOptions) {
    this.#options = options;
    this.#lingerMs = options.lingerMs ?? 50;
  }

  /** Deletes failed for these many messages since start (they will be redelivered). */
  get failedCount(): number {
    return this.#failed;
  }

  /** Queues a delete; resolves true once SQS confirmed it, false if it failed. Never rejects. */
  delete(receiptHandle: string, context: DeleteContext): Promise<boolean> {
    return new Promise((resolve) => {
      this.#pending.push({ receiptHandle, context, resolve });
      if (this.#pending.length >= SQS_BATCH_LIMIT) this.#send();
      else this.#timer ??= setTimeout(() => this.#send(), this.#lingerMs);
    });
  }

  /** Sends whatever is queued now and waits for every outstanding call. */
  async flush(): Promise<void> {
    this.#flushing = true;
    while (this.#pending.length > 0) this.#send();
    while (this.#calls.size > 0) await Promise.all([...this.#calls]);
  }

  #send(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending.splice(0, SQS_BATCH_LIMIT);
    if (this.#pending.length > 0) this.#timer = setTimeout(() => this.#send(), this.#lingerMs);
    if (batch.length === 0) return;
    const call = this.#deleteBatch(batch).finally(() => this.#calls.delete(call));
    this.#calls.add(call);
  }

  /** Sends the batch, retrying whole-call failures until the retry window closes. */
  async #sendWithRetry(batch: PendingDelete[]) {
    const { sqs, queueUrl, logger } = this.#options;
    const windowEnds = Date.now() + (this.#options.retryWindowMs ?? 20_000);
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
        if (this.#flushing || Date.now() + delay > windowEnds) throw error;
        logger.warn(
          { err: error, attempt, retryInMs: delay },
          'DeleteMessageBatch failed; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }

  async #deleteBatch(batch: PendingDelete[]): Promise<void> {
    const { logger } = this.#options;
    try {
      const output = await this.#sendWithRetry(batch);
      const failedById = new Map((output.Failed ?? []).map((f) => [f.Id, f]));
      let failed = 0;
      batch.forEach((entry, index) => {
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
        entry.resolve(!failure);
      });
      this.#countFailed(failed);
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
      for (const entry of batch) entry.resolve(false);
    }
  }

  #countFailed(count: number): void {
    if (count === 0) return;
    this.#failed += count;
    this.#options.onFailed?.(count);
  }
}
