// Assembles the worker from its parts (pollers, processor, rate limiter, sending gate, batch
// deleter, dead-letter mover) around injected clients. Nothing starts until start().
//
// The SQS consumer is written here on purpose instead of using bbc/sqs-consumer: that library
// holds at most 10 messages per consumer, lets a slow message hold up the next poll and has
// shutdown races, while this loop is the product's core (throughput, drain within ECS's stop
// timeout, no message left invisible).
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger, MetricsEmitter } from '@notify/shared';
import type { Random } from './backoff.ts';
import { BatchDeleter } from './batch-deleter.ts';
import { DeadLetter } from './dead-letter.ts';
import { InFlightLimiter } from './in-flight-limiter.ts';
import { MessageProcessor } from './message-processor.ts';
import { Poller } from './poller.ts';
import { RateLimiter } from './rate-limiter.ts';
import { ReceiveTurn } from './receive-turn.ts';
import { SendingGate } from './sending-gate.ts';
import type { EmailSender } from './ses-adapter.ts';
import { GaveUpRecorder, type StatusEventWriter } from './status/gave-up.ts';
import { WorkerStatus, type StatusSnapshot } from './worker-status.ts';

export interface WorkerSettings {
  queueUrl: string;
  dlqUrl: string;
  pollers: number;
  maxInFlight: number;
  waitTimeSeconds: number;
  /** Pause after a receive that was not full, so the next one takes a fuller batch (ms). */
  receiveBatchWaitMs?: number;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  ratePerSecond: number;
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  accountPauseProbeSeconds: number;
  /** Linger before a partial DeleteMessageBatch goes out while a call slot is free (ms; 0). */
  deleteLingerMs?: number;
  /** Deadline of one ReceiveMessage: the long poll plus the SQS attempt deadline (ms). */
  pollDeadlineMs?: number;
}

export interface WorkerDeps {
  settings: WorkerSettings;
  sqs: SQSClient;
  /** Client for the long polls (its own deadline); defaults to `sqs`. */
  receiveSqs?: SQSClient;
  sender: EmailSender;
  logger: Logger;
  metrics: MetricsEmitter;
  random?: Random;
  /** The status store: the worker records `rejected` / `failed` when it gives a message up. */
  statusStore?: StatusEventWriter;
}

export interface DrainResult {
  /** True when every in-flight send finished before the deadline. */
  completed: boolean;
  /** Messages still sending at the deadline; they reappear after their visibility timeout. */
  abandoned: number;
}

export interface Worker {
  start(): void;
  /** Stops polling, releases unsent messages, waits up to timeoutMs for sends, flushes deletes. */
  drain(timeoutMs: number): Promise<DrainResult>;
  isAlive(): boolean;
  isReady(): boolean;
  snapshot(): StatusSnapshot;
}

export function createWorker(deps: WorkerDeps): Worker {
  const { settings, sqs, logger, metrics } = deps;
  const status = new WorkerStatus();
  const drainController = new AbortController();
  const limiter = new InFlightLimiter(settings.maxInFlight);
  const rateLimiter = new RateLimiter({ ratePerSecond: settings.ratePerSecond });
  const gate = new SendingGate({
    probeIntervalMs: settings.accountPauseProbeSeconds * 1000,
    probe: () => deps.sender.probeSending(),
    onPause: (reason) => logger.error({ reason }, 'SES account paused: sending stopped'),
    onResume: (how) => logger.info({ probe: how }, 'sending resumed'),
  });
  const deleter = new BatchDeleter({
    sqs,
    queueUrl: settings.queueUrl,
    logger,
    lingerMs: settings.deleteLingerMs,
    // Past half the visibility timeout the receipt may no longer be ours to delete.
    retryWindowMs: Math.min(20_000, (settings.visibilityTimeoutSeconds * 1000) / 2),
    onFailed: (count) => metrics.emit({ DeleteFailed: { value: count, unit: 'Count' } }),
  });
  const deadLetter = new DeadLetter({ sqs, dlqUrl: settings.dlqUrl, logger });
  const processor = new MessageProcessor({
    sqs,
    queueUrl: settings.queueUrl,
    visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
    maxReceiveCount: settings.maxReceiveCount,
    retry: { baseSeconds: settings.retryBaseSeconds, maxSeconds: settings.retryMaxSeconds },
    sender: deps.sender,
    rateLimiter,
    gate,
    deleter,
    deadLetter,
    limiter,
    status,
    logger,
    metrics,
    drainSignal: drainController.signal,
    random: deps.random,
    ...(deps.statusStore !== undefined
      ? { gaveUp: new GaveUpRecorder({ store: deps.statusStore, logger, metrics }) }
      : {}),
  });
  const receiveTurn = new ReceiveTurn();
  const pollers = Array.from(
    { length: settings.pollers },
    (_, id) =>
      new Poller({
        id,
        sqs: deps.receiveSqs ?? sqs,
        queueUrl: settings.queueUrl,
        waitTimeSeconds: settings.waitTimeSeconds,
        visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
        limiter,
        gate,
        status,
        logger,
        onMessage: (message) => processor.handle(message),
        receiveTurn,
        batchWaitMs: settings.receiveBatchWaitMs,
        random: deps.random,
      }),
  );
  let started = false;
  const pollDeadlineMs = settings.pollDeadlineMs ?? settings.waitTimeSeconds * 1000 + 10_000;

  const isReady = () =>
    started &&
    !status.draining &&
    gate.isOpen &&
    status.queueReachable === true &&
    status.pollersRunning > 0 &&
    status.sesAnswering !== false &&
    status.pollsCurrent(pollDeadlineMs);

  const snapshot = (): StatusSnapshot => ({
    inFlight: processor.active,
    sent: status.sent,
    retried: status.retried,
    failedAttempts: status.failedAttempts,
    failedMessages: status.failedMessages,
    deadLettered: status.deadLettered,
    deleteFailed: deleter.failedCount,
    lastPollAt: status.lastPollAt === undefined ? null : new Date(status.lastPollAt).toISOString(),
    ready: isReady(),
    ratePerSecond: rateLimiter.ratePerSecond,
    queueReachable: status.queueReachable === true,
    sesAnswering: status.sesAnswering !== false,
    pollsCurrent: status.pollsCurrent(pollDeadlineMs),
    accountPaused: !gate.isOpen,
    draining: status.draining,
  });

  return {
    isReady,
    snapshot,

    start() {
      if (started) return;
      started = true;
      status.startedAt = status.now();
      for (const poller of pollers) poller.start();
      // The first long poll on an empty queue answers only after WAIT_TIME_SECONDS; a cheap
      // probe tells readiness at once whether the queue is there. Polls decide from then on.
      void sqs
        .send(
          new GetQueueAttributesCommand({
            QueueUrl: settings.queueUrl,
            AttributeNames: ['QueueArn'],
          }),
        )
        .then(
          () => status.queueProbed(true),
          (error: unknown) => {
            status.queueProbed(false);
            logger.warn({ err: error }, 'queue probe at start failed');
          },
        );
      logger.info(
        {
          pollers: settings.pollers,
          maxInFlight: settings.maxInFlight,
          receiveBatchWaitMs: settings.receiveBatchWaitMs ?? 0,
          ratePerSecond: settings.ratePerSecond,
        },
        'worker started',
      );
    },

    async drain(timeoutMs) {
      status.draining = true;
      drainController.abort(new Error('draining'));
      logger.info({ inFlight: limiter.inFlight, sending: processor.sending }, 'draining');
      // The whole drain fits timeoutMs even with SQS or SES hung: sends get all but a fifth of
      // it, the final deletes the rest; what is unfinished then reappears after its
      // visibility timeout (delayed, not lost).
      const deadline = Date.now() + timeoutMs;
      const within = <T>(work: Promise<T>, until: number, fallback: T): Promise<T> => {
        let timer: NodeJS.Timeout | undefined;
        return Promise.race([
          work,
          new Promise<T>((resolve) => {
            timer = setTimeout(() => resolve(fallback), Math.max(0, until - Date.now()));
          }),
        ]).finally(() => clearTimeout(timer));
      };
      // A long poll under way may end by itself (up to half the budget), so SQS does not hand a
      // message to a poll that is gone; what it returns is released at once.
      const pollGraceMs = Math.min(settings.waitTimeSeconds * 1000 + 200, timeoutMs / 2);
      await within(
        Promise.all(pollers.map((p) => p.stop(pollGraceMs))).then(() => undefined),
        deadline,
        undefined,
      );
      const completed = await within(
        limiter.whenIdle().then(() => true as const),
        deadline - timeoutMs / 5,
        false,
      );
      const flushed = await within(
        deleter.flush().then(() => true),
        deadline,
        false,
      );
      if (!flushed) logger.warn('drain deadline reached with deletes still pending');
      gate.close();
      rateLimiter.close();
      const abandoned = completed ? 0 : processor.active;
      if (abandoned > 0) {
        logger.warn({ abandoned }, 'drain deadline reached with sends still running');
      }
      logger.info({ ...snapshot(), completed }, 'drained');
      return { completed, abandoned };
    },

    isAlive() {
      return started && status.isAlive(settings.waitTimeSeconds);
    },
  };
}
