// One long-poll loop. Several run side by side so the worker can hold more than the 10 messages
// one ReceiveMessage returns. Each loop reserves room first (never exceeding MAX_IN_FLIGHT), asks
// SQS for at most that many, hands every message over without waiting for it, and polls again:
// a slow message never delays the next poll.
//
// Stopping ends every wait at once and starts no new poll. A ReceiveMessage already under way gets
// a short grace before it is aborted: on a non-empty queue it answers within milliseconds, and
// aborting it would throw away messages SQS has already handed out (they would sit invisible
// for the whole visibility timeout). Messages that arrive during the grace are handed over as
// usual and released at once by the draining processor. Only a real long poll on an empty queue
// is still waiting after the grace, and that one is aborted.
//
// After a receive that came back short (the queue is drained), a loop receives again at once
// only when work is waiting: the loops share a ReceiveTurn (receive-turn.ts), so one long poll
// does the waiting on a quiet queue and the others join as soon as a receive comes back full.
//
// Receive batching (RECEIVE_BATCH_WAIT_MS, off by default): a ReceiveMessage that came back with
// fewer messages than it asked for means the queue is (nearly) drained, so polling again at once
// would mostly fetch one message per call. The loop then pauses for the batch wait, holding no
// in-flight slots, so messages pile up and the next call takes a fuller batch: fewer billed
// requests for at most that much added latency. A call that filled what it asked for never
// pauses (the queue may hold more), and stopping ends the pause at once.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ReceiveMessageCommand,
  type Message,
  type ReceiveMessageCommandOutput,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Logger } from '@notify/shared';
import { fullJitterDelay, type Random } from './backoff.ts';
import { SQS_BATCH_LIMIT } from './batch-deleter.ts';
import type { InFlightLimiter } from './in-flight-limiter.ts';
import type { ReceiveTurn } from './receive-turn.ts';
import type { SendingGate } from './sending-gate.ts';
import type { WorkerStatus } from './worker-status.ts';

export interface PollerOptions {
  id: number;
  sqs: SQSClient;
  queueUrl: string;
  waitTimeSeconds: number;
  visibilityTimeoutSeconds: number;
  limiter: InFlightLimiter;
  gate: SendingGate;
  status: WorkerStatus;
  logger: Logger;
  /** Takes ownership of one received message (including its in-flight slot). Must not throw. */
  onMessage: (message: Message) => void;
  /** Backoff after failed polls: first delay ceiling and cap (ms). */
  failureBaseMs?: number;
  failureMaxMs?: number;
  /** Shared by a worker's loops: who long-polls a drained queue (none: every loop does). */
  receiveTurn?: ReceiveTurn;
  /** Pause after a receive that returned fewer messages than it asked for (ms; 0 = none). */
  batchWaitMs?: number;
  random?: Random;
}

export class Poller {
  readonly #options: PollerOptions;
  readonly #abort = new AbortController();
  readonly #receiveAbort = new AbortController();
  #receiving: Promise<ReceiveMessageCommandOutput> | undefined;
  #receiveStartedAt = 0;
  #loop: Promise<void> | undefined;
  /** This loop holds the receive turn: it is the one long poll on a drained queue. */
  #watching = false;

  constructor(options: PollerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /**
   * Stops the loop: waits end now and no new poll starts. A poll under way may run to the end of
   * its long poll (SQS answers an empty one at WaitTimeSeconds), up to graceMs, then is aborted.
   */
  async stop(graceMs = 1_000): Promise<void> {
    this.#abort.abort(new Error('poller stopped'));
    if (this.#receiving) {
      // An aborted long poll stays registered at SQS and may still take a message, which then
      // waits out its visibility timeout; one that ends by itself hands it over to be released.
      const pollEndsInMs =
        this.#receiveStartedAt + this.#options.waitTimeSeconds * 1000 + 200 - Date.now();
      graceMs = Math.min(graceMs, Math.max(pollEndsInMs, 0));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.#receiving.catch(() => undefined),
        new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    this.#receiveAbort.abort(new Error('poller stopped'));
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { status, logger, id } = this.#options;
    status.pollersRunning += 1;
    try {
      await this.#pollUntilStopped();
    } catch (error) {
      // Only a bug gets here; /healthz turns 503 so the orchestrator replaces the task.
      logger.error({ err: error, poller: id }, 'poll loop crashed');
    } finally {
      this.#endTurn(false);
      status.pollersRunning -= 1;
    }
  }

  async #pollUntilStopped(): Promise<void> {
    const o = this.#options;
    const signal = this.#abort.signal;
    let lastWasShort = false;
    while (!signal.aborted) {
      if (lastWasShort && o.receiveTurn) {
        try {
          this.#watching = (await o.receiveTurn.enter(signal)) === 'watch';
        } catch {
          return;
        }
      }
      let reserved: number;
      o.status.pollersWaiting += 1;
      o.status.loopActive();
      try {
        await o.gate.whenOpen(signal);
        reserved = await o.limiter.reserve(SQS_BATCH_LIMIT, signal);
      } catch (error) {
        if (signal.aborted) return;
        throw error;
      } finally {
        o.status.pollersWaiting -= 1;
      }
      o.status.loopActive();
      let messages: Message[];
      try {
        this.#receiveStartedAt = Date.now();
        this.#receiving = o.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: o.queueUrl,
            MaxNumberOfMessages: reserved,
            WaitTimeSeconds: o.waitTimeSeconds,
            VisibilityTimeout: o.visibilityTimeoutSeconds,
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: this.#receiveAbort.signal },
        );
        const output = await this.#receiving;
        messages = output.Messages ?? [];
      } catch (error) {
        this.#receiving = undefined;
        o.limiter.release(reserved);
        lastWasShort = true;
        this.#endTurn(false);
        if (signal.aborted) return;
        o.status.pollFailed();
        const delayMs = fullJitterDelay(
          o.status.consecutivePollFailures,
          o.failureBaseMs ?? 500,
          o.failureMaxMs ?? 10_000,
          o.random,
        );
        o.logger.warn(
          { err: error, poller: o.id, retryInMs: Math.round(delayMs) },
          'ReceiveMessage failed; backing off',
        );
        try {
          await sleep(delayMs, undefined, { signal });
        } catch {
          return;
        }
        continue;
      }
      this.#receiving = undefined;
      o.status.pollSucceeded();
      o.limiter.release(reserved - messages.length);
      lastWasShort = messages.length < reserved;
      this.#endTurn(!lastWasShort);
      for (const message of messages) o.onMessage(message);
      const batchWaitMs = o.batchWaitMs ?? 0;
      if (batchWaitMs > 0 && lastWasShort) {
        try {
          await sleep(batchWaitMs, undefined, { signal });
        } catch {
          return;
        }
      }
    }
  }

  /** Gives the receive turn back (full: every waiting loop receives now). */
  #endTurn(cameBackFull: boolean): void {
    if (!this.#watching) return;
    this.#watching = false;
    this.#options.receiveTurn?.leave(cameBackFull);
  }
}
