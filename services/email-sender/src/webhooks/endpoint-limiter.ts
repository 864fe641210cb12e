// A per-endpoint concurrency cap, so one slow receiver cannot take every delivery slot of the
// task: at most `concurrency` deliveries to one endpoint run at once and at most `waiting` more
// wait for a slot here; beyond that the caller defers the job (back to the queue) instead of
// holding it, which leaves the task's slots to the other endpoints.

export interface EndpointLimiterOptions {
  concurrency: number;
  waiting: number;
}

interface EndpointState {
  running: number;
  queue: (() => void)[];
}

export class EndpointLimiter {
  readonly #options: EndpointLimiterOptions;
  readonly #endpoints = new Map<string, EndpointState>();

  constructor(options: EndpointLimiterOptions) {
    this.#options = options;
  }

  /**
   * A promise of a slot (resolve -> call the returned release when done), or undefined when the
   * endpoint already has its running and waiting deliveries.
   */
  enter(endpoint: string): Promise<() => void> | undefined {
    const state = this.#endpoints.get(endpoint) ?? { running: 0, queue: [] };
    this.#endpoints.set(endpoint, state);
    let released = false;
    const release = () => {
      if (released) return; // a second call must not free someone else's slot
      released = true;
      this.#release(endpoint, state);
    };
    if (state.running < this.#options.concurrency) {
      state.running++;
      return Promise.resolve(release);
    }
    if (state.queue.length >= this.#options.waiting) return undefined;
    return new Promise((resolve) => state.queue.push(() => resolve(release)));
  }

  /** Running and waiting deliveries of one endpoint (for metrics and tests). */
  load(endpoint: string): { running: number; waiting: number } {
    const state = this.#endpoints.get(endpoint);
    return { running: state?.running ?? 0, waiting: state?.queue.length ?? 0 };
  }

  #release(endpoint: string, state: EndpointState): void {
    const next = state.queue.shift();
    if (next !== undefined) {
      next(); // the slot passes straight to the next waiter
      return;
    }
    state.running--;
    if (state.running === 0) this.#endpoints.delete(endpoint);
  }
}
