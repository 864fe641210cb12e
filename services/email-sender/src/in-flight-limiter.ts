// Bounds how many received messages this task holds at once (MAX_IN_FLIGHT, across all pollers).
// A poller reserves room before it polls and asks SQS for no more than it reserved, so the bound
// is never exceeded, and a slow message only holds its own slot, never the next poll.

interface RoomWaiter {
  resolve: (count: number) => void;
  reject: (error: unknown) => void;
  max: number;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class InFlightLimiter {
  readonly limit: number;
  #inFlight = 0;
  #waiters: RoomWaiter[] = [];
  #idleWaiters: Array<() => void> = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError('limit must be an integer >= 1');
    this.limit = limit;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get free(): number {
    return this.limit - this.#inFlight;
  }

  /** Waits until at least one slot is free, then takes up to `max` slots; resolves the count. */
  reserve(max: number, signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<number>((resolve, reject) => {
      const waiter: RoomWaiter = { resolve, reject, max: Math.max(1, max), signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.#waiters.indexOf(waiter);
          if (index !== -1) this.#waiters.splice(index, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
      this.#grant();
    });
  }

  /** Gives back `count` slots (a finished message, or reserved room a poll did not fill). */
  release(count = 1): void {
    if (count <= 0) return;
    this.#inFlight = Math.max(0, this.#inFlight - count);
    this.#grant();
    if (this.#inFlight === 0) {
      const idle = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of idle) resolve();
    }
  }

  /** Resolves once nothing is in flight. */
  whenIdle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #grant(): void {
    while (this.#waiters.length > 0 && this.free > 0) {
      const waiter = this.#waiters.shift() as RoomWaiter;
      const count = Math.min(waiter.max, this.free);
      this.#inFlight += count;
      if (waiter.signal && waiter.onAbort) {
        waiter.signal.removeEventListener('abort', waiter.onAbort);
      }
      waiter.resolve(count);
    }
  }
}
