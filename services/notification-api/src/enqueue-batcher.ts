// Coalesces concurrent enqueues into SendMessageBatch calls by group commit
// (@notify/shared GroupCommitBatcher): a request that finds a call slot free goes out at once,
// and while every slot is busy the next batch fills, so batches grow with load and an idle API
// pays no linger. Each caller waits for its OWN entry's result, so a 202 is only ever given for
// a message SQS acknowledged, and a failed entry fails only the request it belongs to.
import { GroupCommitBatcher, type EntryOutcome } from '@notify/shared';
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

/**
 * Why an enqueue failed. The API answers 503 with Retry-After, except for an entry SQS refused
 * for its content (errors.ts, enqueueFailure), which no retry can fix.
 */
export class EnqueueError extends Error {
  override name = 'EnqueueError';
  readonly kind: 'entry_failed' | 'batch_failed' | 'no_result';
  readonly sqsCode: string | undefined;
  /** SQS's own explanation of a failed entry (BatchResultErrorEntry.Message). */
  readonly sqsMessage: string | undefined;
  /**
   * True when SQS may have queued the message although the call failed (a timeout or a lost
   * connection after the request went out): nothing may be retried or released on the
   * assumption that it is not queued.
   */
  readonly outcomeUnknown: boolean;

  constructor(
    kind: EnqueueError['kind'],
    message: string,
    options: {
      sqsCode?: string;
      sqsMessage?: string;
      cause?: unknown;
      outcomeUnknown?: boolean;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.sqsCode = options.sqsCode;
    this.sqsMessage = options.sqsMessage;
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
  /** SendMessageBatch calls in flight at once; new entries fill the next batch meanwhile. */
  maxInFlight: number;
  /** How long a batch may wait for company while a slot is free (0: never). */
  lingerMs?: number;
  maxBatchBytes?: number;
  /** Called after every SendMessageBatch call (metrics, logs). */
  onBatch?: (report: BatchReport) => void;
  now?: () => number;
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
  readonly #onBatch: ((report: BatchReport) => void) | undefined;
  readonly #now: () => number;
  readonly #batcher: GroupCommitBatcher<OutgoingMessage, EnqueueResult>;

  constructor(options: EnqueueBatcherOptions) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) {
      throw new RangeError('maxBatch must be an integer >= 1');
    }
    if (options.maxBatch > SQS_MAX_BATCH_ENTRIES) {
      throw new RangeError(`maxBatch must be at most ${SQS_MAX_BATCH_ENTRIES}`);
    }
    this.#send = options.send;
    this.#onBatch = options.onBatch;
    this.#now = options.now ?? (() => performance.now());
    this.#batcher = new GroupCommitBatcher({
      send: (messages) => this.#sendBatch(messages),
      maxEntries: options.maxBatch,
      maxInFlight: options.maxInFlight,
      maxBytes: options.maxBatchBytes ?? SQS_MAX_BATCH_BYTES,
      sizeOf: messageSize,
      lingerMs: options.lingerMs ?? 0,
      batchError: (cause) =>
        new EnqueueError('batch_failed', 'SendMessageBatch failed', {
          cause,
          outcomeUnknown: mayHaveBeenQueued(cause),
        }),
    });
  }

  /** Entries waiting for a call slot or their linger (not yet sent). */
  get pendingCount(): number {
    return this.#batcher.waitingCount;
  }

  /** SendMessageBatch calls under way. */
  get inFlightCount(): number {
    return this.#batcher.inFlightCount;
  }

  enqueue(message: OutgoingMessage): Promise<EnqueueResult> {
    return this.#batcher.add(message);
  }

  /**
   * Sends what is pending now and waits for every call in flight. After a flush the batcher
   * stops lingering, so requests still finishing during shutdown are sent at once.
   */
  flush(): Promise<void> {
    return this.#batcher.flush();
  }

  async #sendBatch(messages: OutgoingMessage[]): Promise<EntryOutcome<EnqueueResult>[]> {
    const entries: SendMessageBatchRequestEntry[] = messages.map((message, index) => ({
      Id: String(index),
      MessageBody: message.body,
      ...(message.attributes ? { MessageAttributes: message.attributes } : {}),
    }));
    const bytes = messages.reduce((sum, message) => sum + messageSize(message), 0);
    const started = this.#now();
    let result: SendMessageBatchResult;
    try {
      result = await this.#send(entries);
    } catch (error) {
      this.#report({
        size: messages.length,
        bytes,
        started,
        failedEntries: messages.length,
        error,
      });
      throw error;
    }
    const outcomes: (EntryOutcome<EnqueueResult> | undefined)[] = messages.map(() => undefined);
    for (const ok of result.Successful ?? []) {
      const index = Number(ok.Id);
      if (index in outcomes && outcomes[index] === undefined && ok.MessageId) {
        outcomes[index] = { ok: true, value: { messageId: ok.MessageId } };
      }
    }
    let failedEntries = 0;
    for (const failed of result.Failed ?? []) {
      const index = Number(failed.Id);
      if (!(index in outcomes) || outcomes[index] !== undefined) continue;
      failedEntries += 1;
      outcomes[index] = {
        ok: false,
        error: new EnqueueError(
          'entry_failed',
          `SQS rejected the entry: ${failed.Code ?? 'unknown'}`,
          { sqsCode: failed.Code, sqsMessage: failed.Message },
        ),
      };
    }
    // An entry SQS reported on neither side cannot be called queued.
    const settled = outcomes.map((outcome): EntryOutcome<EnqueueResult> => {
      if (outcome) return outcome;
      failedEntries += 1;
      // SQS answered but said nothing about this entry: it cannot be called queued, nor not.
      return {
        ok: false,
        error: new EnqueueError('no_result', 'SQS returned no result for the entry', {
          outcomeUnknown: true,
        }),
      };
    });
    this.#report({ size: messages.length, bytes, started, failedEntries });
    return settled;
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
