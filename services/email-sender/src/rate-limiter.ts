// Send-rate limit for one task: a token bucket holding at most one second's worth of tokens,
// refilled continuously, with callers served first come, first served. When SES answers
// "too many requests" the rate is halved at once (multiplicative decrease) and then climbs back
// by a tenth of the target per recovery interval without throttling (additive increase), so a
// task settles just under what SES accepts instead of oscillating.

export interface RateLimiterOptions {
  ratePerSecond: number;
  /** Lowest rate adaptive slowdown may reach. Default: a tenth of the target, at most 1/s. */
  minRatePerSecond?: number;
  /** Time without throttling between two recovery steps (ms). */
  recoveryIntervalMs?: number;
  now?: () => number;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class RateLimiter {
  readonly targetRate: number;
  readonly minRate: number;
  readonly #recoveryIntervalMs: number;
  readonly #now: () => number;
  #rate: number;
  #tokens: number;
  #lastRefill: number;
  #lastAdjust: number;
  #waiters: Waiter[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(options: RateLimiterOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be above 0');
    this.targetRate = options.ratePerSecond;
    this.minRate = Math.min(
      this.targetRate,
      options.minRatePerSecond ?? Math.min(1, this.targetRate / 10),
    );
    this.#recoveryIntervalMs = options.recoveryIntervalMs ?? 2_000;
    this.#now = options.now ?? Date.now;
    this.#rate = this.targetRate;
    this.#tokens = this.#capacity();
    this.#lastRefill = this.#now();
    this.#lastAdjust = this.#lastRefill;
  }

  /** The rate currently allowed (below the target while recovering from throttling). */
  get ratePerSecond(): number {
    this.#refill();
    return this.#rate;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  /** Resolves when the caller may send one message; rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.#waiters.indexOf(waiter);
          if (index !== -1) this.#waiters.splice(index, 1);
          reject(signal.reason);
          this.#schedule();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
      this.#pump();
    });
  }

  /** SES said "too many requests": halve the rate and drop any saved-up burst. */
  throttled(): void {
    this.#refill();
    this.#rate = Math.max(this.minRate, this.#rate / 2);
    this.#tokens = Math.min(this.#tokens, 0);
    this.#lastAdjust = this.#now();
  }

  /** Stops timers; pending callers stay pending until their signals abort. */
  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #capacity(): number {
    return Math.max(1, this.#rate);
  }

  #refill(): void {
    const now = this.#now();
    if (this.#rate < this.targetRate) {
      const steps = Math.floor((now - this.#lastAdjust) / this.#recoveryIntervalMs);
      if (steps > 0) {
        this.#rate = Math.min(this.targetRate, this.#rate + (steps * this.targetRate) / 10);
        this.#lastAdjust += steps * this.#recoveryIntervalMs;
      }
    } else {
      this.#lastAdjust = now;
    }
    const elapsed = Math.max(0, now - this.#lastRefill) / 1000;
    this.#tokens = Math.min(this.#capacity(), this.#tokens + elapsed * this.#rate);
    this.#lastRefill = now;
  }

  #pump(): void {
    this.#refill();
    while (this.#waiters.length > 0 && this.#tokens >= 1) {
      const waiter = this.#waiters.shift() as Waiter;
      this.#tokens -= 1;
      if (waiter.signal && waiter.onAbort) {
        waiter.signal.removeEventListener('abort', waiter.onAbort);
      }
      waiter.resolve();
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#waiters.length === 0) return;
    const waitMs = Math.max(1, Math.ceil(((1 - this.#tokens) / this.#rate) * 1000));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, waitMs);
  }
}
