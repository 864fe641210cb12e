// Counters and poll-loop state the operations endpoint reports, kept in one place so the
// poller, the processor and the worker agree on what "alive" and "ready" mean.

export interface StatusSnapshot {
  inFlight: number;
  sent: number;
  retried: number;
  /** Attempts that failed: every failed SES send (a message retried 5 times counts 5) and poison. */
  failedAttempts: number;
  /** Messages given up on (poison, permanent rejection, retries exhausted), once each. */
  failedMessages: number;
  deadLettered: number;
  deleteFailed: number;
  lastPollAt: string | null;
  ready: boolean;
  ratePerSecond: number;
  queueReachable: boolean;
  /** False while SES leaves sends unanswered (they time out and are released for retry). */
  sesAnswering: boolean;
  /** False when no poll has answered for longer than a long poll plus its deadline. */
  pollsCurrent: boolean;
  accountPaused: boolean;
  draining: boolean;
}

export class WorkerStatus {
  sent = 0;
  retried = 0;
  failedAttempts = 0;
  failedMessages = 0;
  deadLettered = 0;
  /** Last ReceiveMessage that answered (ms since epoch). */
  lastPollAt: number | undefined;
  /** Last sign of life of any poll loop: a poll started or ended, or a wait for room began. */
  lastLoopActivityAt: number | undefined;
  /** False from the first failed poll until the next one that succeeds; unknown before any. */
  queueReachable: boolean | undefined;
  consecutivePollFailures = 0;
  /** Pollers currently waiting for room or for the account to resume (a healthy, idle wait). */
  pollersWaiting = 0;
  pollersRunning = 0;
  draining = false;
  /**
   * False after a send SES did not answer (timeout, lost connection) until one it answers:
   * a worker whose sends all time out is not ready. Unknown before any send.
   */
  sesAnswering: boolean | undefined;
  /** When the worker started polling (ms since epoch). */
  startedAt: number | undefined;

  readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  loopActive(): void {
    this.lastLoopActivityAt = this.now();
  }

  pollSucceeded(): void {
    this.lastPollAt = this.now();
    this.lastLoopActivityAt = this.lastPollAt;
    this.queueReachable = true;
    this.consecutivePollFailures = 0;
  }

  /** Result of the start-up probe; never overrides what a poll has already found. */
  queueProbed(reachable: boolean): void {
    if (this.queueReachable === undefined) this.queueReachable = reachable;
  }

  pollFailed(): void {
    this.lastLoopActivityAt = this.now();
    this.queueReachable = false;
    this.consecutivePollFailures += 1;
  }

  /**
   * Polls are current when one answered within a long poll plus its deadline (or, before the
   * first, since the start), or when every poller waits legitimately for room or the account.
   */
  pollsCurrent(pollDeadlineMs: number): boolean {
    if (this.pollersWaiting > 0) return true;
    const since = this.lastPollAt ?? this.startedAt;
    return since === undefined || this.now() - since <= pollDeadlineMs;
  }

  /**
   * The poll loop is alive when a poller runs and either waits legitimately (no room, account
   * paused) or has shown activity within two long polls plus slack.
   */
  isAlive(waitTimeSeconds: number): boolean {
    if (this.pollersRunning === 0) return false;
    if (this.pollersWaiting > 0) return true;
    if (this.lastLoopActivityAt === undefined) return true;
    return this.now() - this.lastLoopActivityAt <= 2 * waitTimeSeconds * 1000 + 10_000;
  }
}
