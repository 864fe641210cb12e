// Coalesces concurrent enqueues into SendMessageBatch calls: fewer SQS requests (cost and
// throughput) at the price of a short linger. Each caller waits for its OWN entry's result, so
// a 202 is only ever given for a message SQS acknowledged, and a failed entry fails only the
// request it belongs to.
import type {
  MessageAttributeValue,
  SendMessageBatchRequestEntry,
  SendMessageBatchResult,
} from '@aws-sdk/client-sqs';
import { mayHaveBeenQueued } from './enqueue-outcome.ts';

/** SQS's limit for the sum of all message payloads in one SendMessageBatch call. */
export const SQS_MAX_BATCH_BYTES = 1_048_576;
/** SQS's limit for the number of entries in one SendMessageBatch call. */
export const SQS_MAX_BATCH_ENTRIES = 10;

export type SendBatch = (
  entries: SendMessageBatchRequestEntry[],
) => Promise<SendMessageBatchResult>;

export interface OutgoingMessage {
  body: string;
  attributes?: Record<string, MessageAttributeValue>;
}

export interface EnqueueResult {
  messageId: string;
}

/** Why an enqueue failed; the API turns any of them into a 503 with Retry-After. */
export class EnqueueError extends Error {
  override name = 'EnqueueError';
  readonly kind: 'entry_failed' | 'batch_failed' | 'no_result';
  readonly sqsCode: string | undefined;
  /**
   * True when SQS may have queued the message although the call failed (a timeout or a lost
   * connection after the request went out): nothing may be retried or released on the
   * assumption that it is not queued.
   */
  readonly outcomeUnknown: boolean;

  constructor(
    kind: EnqueueError['kind'],
    message: string,
    options: { sqsCode?: string; cause?: unknown; outcomeUnknown?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.sqsCode = options.sqsCode;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
  }
}

export interface BatchReport {
  size: number;
  bytes: number;
  latencyMs: number;
  failedEntries: number;
  error?: unknown;
}

export interface EnqueueBatcherOptions {
  send: SendBatch;
  /** Entries per call, 1..10. */
  maxBatch: number;
  /** How long the first entry waits for company before the batch goes out. */
  lingerMs: number;
  maxBatchBytes?: number;
  /** Called after every SendMessageBatch call (metrics, logs). */
  onBatch?: (report: BatchReport) => void;
  now?: () => number;
}

interface Pending {
  message: OutgoingMessage;
  bytes: number;
  resolve: (result: EnqueueResult) => void;
  reject: (error: EnqueueError) => void;
}

/** Size as SQS counts it: the body plus each attribute's name, type and value. */
export function messageSize(message: OutgoingMessage): number {
  let bytes = Buffer.byteLength(message.body);
  for (const [name, attr] of Object.entries(message.attributes ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(attr.DataType ?? '');
    bytes += Buffer.byteLength(attr.StringValue ?? '') + (attr.BinaryValue?.byteLength ?? 0);
  }
  return bytes;
}

export class EnqueueBatcher {
  readonly #send: SendBatch;
  readonly #maxBatch: number;
  readonly #lingerMs: number;
  readonly #maxBytes: number;
  readonly #onBatch: ((report: BatchReport) => void) | undefined;
  readonly #now: () => number;
  #pending: Pending[] = [];
  #pendingBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  #draining = false;

  constructor(options: EnqueueBatcherOptions) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) {
      throw new RangeError('maxBatch must be an integer >= 1');
    }
    if (options.maxBatch > SQS_MAX_BATCH_ENTRIES) {
      throw new RangeError(`maxBatch must be at most ${SQS_MAX_BATCH_ENTRIES}`);
    }
    if (!(options.lingerMs >= 0)) throw new RangeError('lingerMs must be >= 0');
    this.#send = options.send;
    this.#maxBatch = options.maxBatch;
    this.#lingerMs = options.lingerMs;
    this.#maxBytes = options.maxBatchBytes ?? SQS_MAX_BATCH_BYTES;
    this.#onBatch = options.onBatch;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Entries waiting for their batch to leave (not yet sent). */
  get pendingCount(): number {
    return this.#pending.length;
  }

  enqueue(message: OutgoingMessage): Promise<EnqueueResult> {
    const bytes = messageSize(message);
    return new Promise<EnqueueResult>((resolve, reject) => {
      // An entry that cannot share a batch without crossing the byte limit goes after the
      // current batch instead of making it too large.
      if (this.#pending.length > 0 && this.#pendingBytes + bytes > this.#maxBytes) {
        this.#dispatch();
      }
      this.#pending.push({ message, bytes, resolve, reject });
      this.#pendingBytes += bytes;
      if (this.#pending.length >= this.#maxBatch || this.#draining || this.#lingerMs === 0) {
        this.#dispatch();
      } else if (this.#timer === undefined) {
        this.#timer = setTimeout(() => this.#dispatch(), this.#lingerMs);
      }
    });
  }

  /**
   * Sends what is pending now and waits for every call in flight. After a flush the batcher
   * stops lingering, so requests still finishing during shutdown are sent at once.
   */
  async flush(): Promise<void> {
    this.#draining = true;
    this.#dispatch();
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #dispatch(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    const bytes = this.#pendingBytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    const call = this.#sendBatch(batch, bytes);
    this.#inFlight.add(call);
    void call.finally(() => this.#inFlight.delete(call));
  }

  async #sendBatch(batch: Pending[], bytes: number): Promise<void> {
    const entries: SendMessageBatchRequestEntry[] = batch.map((p, index) => ({
      Id: String(index),
      MessageBody: p.message.body,
      ...(p.message.attributes ? { MessageAttributes: p.message.attributes } : {}),
    }));
    const started = this.#now();
    let result: SendMessageBatchResult;
    try {
      result = await this.#send(entries);
    } catch (error) {
      const outcomeUnknown = mayHaveBeenQueued(error);
      for (const p of batch) {
        p.reject(
          new EnqueueError('batch_failed', 'SendMessageBatch failed', {
            cause: error,
            outcomeUnknown,
          }),
        );
      }
      this.#report({ size: batch.length, bytes, started, failedEntries: batch.length, error });
      return;
    }
    const settled = new Set<number>();
    for (const ok of result.Successful ?? []) {
      const index = Number(ok.Id);
      const p = batch[index];
      if (p === undefined || settled.has(index) || !ok.MessageId) continue;
      settled.add(index);
      p.resolve({ messageId: ok.MessageId });
    }
    let failedEntries = 0;
    for (const failed of result.Failed ?? []) {
      const index = Number(failed.Id);
      const p = batch[index];
      if (p === undefined || settled.has(index)) continue;
      settled.add(index);
      failedEntries += 1;
      p.reject(
        new EnqueueError('entry_failed', `SQS rejected the entry: ${failed.Code ?? 'unknown'}`, {
          sqsCode: failed.Code,
        }),
      );
    }
    // An entry SQS reported on neither side cannot be called queued.
    batch.forEach((p, index) => {
      if (settled.has(index)) return;
      failedEntries += 1;
      // SQS answered but said nothing about this entry: it cannot be called queued, nor not.
      p.reject(
        new EnqueueError('no_result', 'SQS returned no result for the entry', {
          outcomeUnknown: true,
        }),
      );
    });
    this.#report({ size: batch.length, bytes, started, failedEntries });
  }

  #report(r: {
    size: number;
    bytes: number;
    started: number;
    failedEntries: number;
    error?: unknown;
  }) {
    if (!this.#onBatch) return;
    const report: BatchReport = {
      size: r.size,
      bytes: r.bytes,
      latencyMs: this.#now() - r.started,
      failedEntries: r.failedEntries,
    };
    if (r.error !== undefined) report.error = r.error;
    try {
      this.#onBatch(report);
    } catch {
      // Reporting must never change an enqueue's outcome.
    }
  }
}
