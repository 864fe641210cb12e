// Group commit, as databases do it for their log: when a call slot is free, whatever is waiting
// goes out at once (a lone request pays no linger); while every slot is busy, new entries wait
// and fill the next batch, which leaves the moment a slot frees or the batch is full. Under load
// batches fill by themselves; when idle, latency is one call. A fixed linger stays available
// for callers who want fuller batches at low rates, but defaults to 0.
//
// "At once" means at the end of the current event-loop turn (setImmediate), not inside add():
// entries that arrive in the same turn (requests parsed from one poll of the sockets, or the
// callers a previous batch call released together) share one call instead of taking one slot
// each. A lone entry waits only for the rest of its own turn, no timer.
//
// Each entry gets its own outcome: the batch call reports per-entry success or failure, and a
// call that fails as a whole fails every entry in it. The batcher never retries; callers that
// need retries put them inside `send`.

export type EntryOutcome<R> = { ok: true; value: R } | { ok: false; error: Error };

export interface GroupCommitOptions<T, R> {
  /** Sends one batch; returns one outcome per item, in order. Throwing fails the whole batch. */
  send: (items: T[]) => Promise<EntryOutcome<R>[]>;
  /** Items per call (the API's limit, e.g. 10 for SQS and 25 for DynamoDB BatchWriteItem). */
  maxEntries: number;
  /** Calls in flight at once. Fewer slots fill batches sooner; more lower the queueing delay. */
  maxInFlight: number;
  /** Byte limit for one call, with `sizeOf`; an item alone over it still goes out, alone. */
  maxBytes?: number;
  sizeOf?: (item: T) => number;
  /** How long a batch may wait for company while a slot is free (ms). Default 0. */
  lingerMs?: number;
  /** Turns a whole-call failure into the error each of its entries gets. */
  batchError?: (cause: unknown) => Error;
}

interface Waiting<T, R> {
  item: T;
  bytes: number;
  resolve: (value: R) => void;
  reject: (error: Error) => void;
}

export class GroupCommitBatcher<T, R> {
  readonly #options: GroupCommitOptions<T, R>;
  readonly #lingerMs: number;
  readonly #maxBytes: number;
  #waiting: Waiting<T, R>[] = [];
  #waitingBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #lingerDone = false;
  #flushing = false;
  /** The end-of-turn pump, while one is scheduled. */
  #endOfTurn: NodeJS.Immediate | undefined;
  readonly #calls = new Set<Promise<void>>();

  constructor(options: GroupCommitOptions<T, R>) {
    for (const key of ['maxEntries', 'maxInFlight'] as const) {
      if (!Number.isInteger(options[key]) || options[key] < 1) {
        throw new RangeError(`${key} must be an integer >= 1`);
      }
    }
    const lingerMs = options.lingerMs ?? 0;
    if (!(lingerMs >= 0)) throw new RangeError('lingerMs must be >= 0');
    this.#options = options;
    this.#lingerMs = lingerMs;
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  }

  /** Items waiting for a slot or for their linger (not yet handed to `send`). */
  get waitingCount(): number {
    return this.#waiting.length;
  }

  /** Calls under way now. */
  get inFlightCount(): number {
    return this.#calls.size;
  }

  /** Resolves with the item's own result once its batch call reported it; rejects otherwise. */
  add(item: T): Promise<R> {
    const bytes = this.#options.sizeOf?.(item) ?? 0;
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ item, bytes, resolve, reject });
      this.#waitingBytes += bytes;
      // A full batch need not wait for the turn to end; a partial one gathers until then.
      this.#pump({ onlyFull: true });
      if (this.#waiting.length > 0 && this.#endOfTurn === undefined) {
        this.#endOfTurn = setImmediate(() => {
          this.#endOfTurn = undefined;
          this.#pump();
        });
      }
    });
  }

  /**
   * Sends everything waiting, ignoring the linger, and resolves when every call has finished.
   * Items added after a flush began go out at once too (shutdown must not wait out a linger).
   */
  async flush(): Promise<void> {
    this.#flushing = true;
    this.#pump();
    while (this.#calls.size > 0 || this.#waiting.length > 0) {
      await Promise.allSettled([...this.#calls]);
      this.#pump();
    }
  }

  #pump(options: { onlyFull?: boolean } = {}): void {
    while (this.#waiting.length > 0 && this.#calls.size < this.#options.maxInFlight) {
      if (options.onlyFull === true && !this.#batchIsFull()) return;
      if (!this.#mayLeave()) return;
      this.#startCall(this.#takeBatch());
    }
  }

  /** A batch may leave when full, when flushing, or when its linger (if any) has passed. */
  #mayLeave(): boolean {
    if (this.#lingerMs === 0 || this.#flushing || this.#lingerDone) return true;
    if (this.#batchIsFull()) return true;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#lingerDone = true;
      this.#pump();
    }, this.#lingerMs);
    return false;
  }

  #batchIsFull(): boolean {
    return this.#waiting.length >= this.#options.maxEntries || this.#waitingBytes >= this.#maxBytes;
  }

  #takeBatch(): Waiting<T, R>[] {
    let count = 0;
    let bytes = 0;
    for (const entry of this.#waiting) {
      if (count === this.#options.maxEntries) break;
      // An item that would push the batch over the byte limit goes in the next batch, unless
      // it is the first (then it is alone and SQS or the caller's own check judges it).
      if (count > 0 && bytes + entry.bytes > this.#maxBytes) break;
      count += 1;
      bytes += entry.bytes;
    }
    const batch = this.#waiting.splice(0, count);
    this.#waitingBytes -= bytes;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#lingerDone = false;
    return batch;
  }

  #startCall(batch: Waiting<T, R>[]): void {
    const call = this.#run(batch).finally(() => {
      this.#calls.delete(call);
      this.#pump();
    });
    this.#calls.add(call);
  }

  async #run(batch: Waiting<T, R>[]): Promise<void> {
    let outcomes: EntryOutcome<R>[];
    try {
      outcomes = await this.#options.send(batch.map((entry) => entry.item));
    } catch (cause) {
      const error =
        this.#options.batchError?.(cause) ??
        (cause instanceof Error ? cause : new Error(String(cause)));
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, index) => {
      const outcome = outcomes[index];
      if (outcome === undefined) entry.reject(new Error('the batch call reported no outcome'));
      else if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
  }
}
