// Group commit for receives, shared by a worker's pollers. A receive that came back with fewer
// messages than it asked for means the queue is drained; then one long poll is enough to wait
// for the next message, and every further poller waiting too would only race it (the losers
// come back empty, each a billed request). So after a short receive a poller becomes the one
// "watcher" if there is none, and otherwise waits, holding no slots, until the watcher's
// receive comes back full (work is waiting: everyone receives again at once) or the watcher
// hands its turn on. Under load receives come back full and all pollers run; when the queue is
// quiet, one long poll does the waiting.

export type ReceiveRole = 'watch' | 'join';

export class ReceiveTurn {
  #watching = false;
  #waiting: Array<(role: ReceiveRole) => void> = [];

  /** Pollers waiting for the watcher (not receiving). */
  get waitingCount(): number {
    return this.#waiting.length;
  }

  /**
   * Called by a poller whose last receive was short: resolves 'watch' when it is to do the
   * waiting long poll, 'join' when work is waiting; rejects when the signal aborts.
   */
  enter(signal: AbortSignal): Promise<ReceiveRole> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    if (!this.#watching) {
      this.#watching = true;
      return Promise.resolve('watch');
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#waiting = this.#waiting.filter((w) => w !== wake);
        reject(signal.reason as Error);
      };
      const wake = (role: ReceiveRole) => {
        signal.removeEventListener('abort', onAbort);
        resolve(role);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(wake);
    });
  }

  /**
   * The watcher's receive ended. Full: everyone waiting receives now. Otherwise (short, failed,
   * stopped) the turn passes to the first poller waiting, so no poller is left waiting on a
   * watcher that is gone.
   */
  leave(cameBackFull: boolean): void {
    if (cameBackFull) {
      this.#watching = false;
      for (const wake of this.#waiting.splice(0)) wake('join');
      return;
    }
    const next = this.#waiting.shift();
    if (next) next('watch');
    else this.#watching = false;
  }
}
