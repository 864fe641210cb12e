// Stops all sending while SES reports the account paused or suspended. Pollers stop receiving
// (every receive would count towards maxReceiveCount and push good mail into the dead-letter
// queue), messages already held are released, and a probe decides when to open again: GetAccount
// saying sending is enabled, or, when GetAccount cannot tell, the next real send after the delay.

export type SendingProbeResult = 'enabled' | 'paused' | 'unknown';

export interface SendingGateOptions {
  probeIntervalMs: number;
  probe: () => Promise<SendingProbeResult>;
  onPause?: (reason: string) => void;
  onResume?: (how: SendingProbeResult) => void;
}

export class SendingGate {
  readonly #options: SendingGateOptions;
  #pausedReason: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #openWaiters: Array<() => void> = [];
  #closed = false;

  constructor(options: SendingGateOptions) {
    this.#options = options;
  }

  get isOpen(): boolean {
    return this.#pausedReason === undefined;
  }

  get pausedReason(): string | undefined {
    return this.#pausedReason;
  }

  pause(reason: string): void {
    if (this.#closed) return;
    const wasOpen = this.isOpen;
    this.#pausedReason = reason;
    if (wasOpen) {
      this.#options.onPause?.(reason);
      this.#scheduleProbe();
    }
  }

  /** Resolves when sending is allowed; rejects with the signal's reason on abort. */
  whenOpen(signal?: AbortSignal): Promise<void> {
    if (this.isOpen) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#openWaiters = this.#openWaiters.filter((w) => w !== open);
        reject(signal?.reason);
      };
      const open = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#openWaiters.push(open);
    });
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #scheduleProbe(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => void this.#runProbe(), this.#options.probeIntervalMs);
  }

  async #runProbe(): Promise<void> {
    this.#timer = undefined;
    let result: SendingProbeResult;
    try {
      result = await this.#options.probe();
    } catch {
      result = 'unknown';
    }
    if (this.#closed) return;
    if (result === 'paused') {
      this.#scheduleProbe();
      return;
    }
    this.#pausedReason = undefined;
    this.#options.onResume?.(result);
    const waiters = this.#openWaiters;
    this.#openWaiters = [];
    for (const open of waiters) open();
  }
}
