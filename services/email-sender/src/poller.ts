// One long-poll loop. Several run side by side so the worker can hold more than the 10 messages
// one ReceiveMessage returns. Each loop reserves room first (never exceeding MAX_IN_FLIGHT), asks
// SQS for at most that many, hands every message over without waiting for it, and polls again:
// a slow message never delays the next poll. Stopping aborts the long poll at once.
import { setTimeout as sleep } from 'node:timers/promises';
import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '@notify/shared';
import { fullJitterDelay, type Random } from './backoff.ts';
import { SQS_BATCH_LIMIT } from './batch-deleter.ts';
import type { InFlightLimiter } from './in-flight-limiter.ts';
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
  random?: Random;
}

export class Poller {
  readonly #options: PollerOptions;
  readonly #abort = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(options: PollerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Aborts the current long poll and waits for the loop to end. */
  async stop(): Promise<void> {
    this.#abort.abort(new Error('poller stopped'));
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
      status.pollersRunning -= 1;
    }
  }

  async #pollUntilStopped(): Promise<void> {
    const o = this.#options;
    const signal = this.#abort.signal;
    while (!signal.aborted) {
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
        const output = await o.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: o.queueUrl,
            MaxNumberOfMessages: reserved,
            WaitTimeSeconds: o.waitTimeSeconds,
            VisibilityTimeout: o.visibilityTimeoutSeconds,
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: signal },
        );
        messages = output.Messages ?? [];
      } catch (error) {
        o.limiter.release(reserved);
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
      o.status.pollSucceeded();
      o.limiter.release(reserved - messages.length);
      for (const message of messages) o.onMessage(message);
    }
  }
}
