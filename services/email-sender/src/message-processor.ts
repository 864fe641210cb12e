// What happens to one received message, from validation to its final state: sent and deleted,
// hidden for a retry, set aside in the dead-letter queue with its reason, or released for
// another consumer. Each message runs on its own; nothing here waits for another message.
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { parseEnvelope, type Envelope, type Logger, type MetricsEmitter } from '@notify/shared';
import { retryDelaySeconds, type Random, type RetryDelayOptions } from './backoff.ts';
import type { BatchDeleter, DeleteContext } from './batch-deleter.ts';
import type { DeadLetter, DeadLetterKind } from './dead-letter.ts';
import type { InFlightLimiter } from './in-flight-limiter.ts';
import type { GaveUpRecorder } from './status/gave-up.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { SendingGate } from './sending-gate.ts';
import type { EmailSender, SendResult } from './ses-adapter.ts';
import { changeVisibility, startVisibilityHeartbeat } from './visibility.ts';
import type { WorkerStatus } from './worker-status.ts';

export interface MessageProcessorOptions {
  sqs: SQSClient;
  queueUrl: string;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  retry: RetryDelayOptions;
  sender: EmailSender;
  rateLimiter: RateLimiter;
  gate: SendingGate;
  deleter: BatchDeleter;
  deadLetter: DeadLetter;
  limiter: InFlightLimiter;
  status: WorkerStatus;
  logger: Logger;
  metrics: MetricsEmitter;
  /** Aborted when the worker starts draining: messages not yet sending are released at once. */
  drainSignal: AbortSignal;
  random?: Random;
  /** Records `rejected` / `failed` for a message given up (when the status table is set). */
  gaveUp?: GaveUpRecorder;
}

interface MessageContext {
  message: Message;
  messageId: string;
  receiptHandle: string;
  receiveCount: number;
  notificationId?: string;
  /** The API request that queued it: from the envelope, or its SQS attribute when unparsable. */
  requestId?: string;
  /** Every line about this message carries its ids (messageId, notificationId, requestId). */
  log: Logger;
}

/** The API sets the SQS message attribute `requestId`; it is there even in a poison body. */
function requestIdAttribute(message: Message): string | undefined {
  const value = message.MessageAttributes?.requestId?.StringValue;
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined;
}

export class MessageProcessor {
  readonly #o: MessageProcessorOptions;
  #active = 0;
  #sending = 0;

  constructor(options: MessageProcessorOptions) {
    this.#o = options;
  }

  /** Messages currently being handled. */
  get active(): number {
    return this.#active;
  }

  /** Messages whose SES call is under way (these are finished, not released, on drain). */
  get sending(): number {
    return this.#sending;
  }

  /** Takes over a received message and its in-flight slot; returns at once. */
  handle(message: Message): void {
    this.#active += 1;
    void this.#process(message).finally(() => {
      this.#active -= 1;
      this.#o.limiter.release(1);
    });
  }

  async #process(message: Message): Promise<void> {
    const o = this.#o;
    const started = performance.now();
    const messageId = message.MessageId ?? '';
    // Parsed first (synchronous, cheap) so that every line, the heartbeat's included, carries
    // the request id and the notification id.
    const parsed = parseEnvelope(message.Body);
    const notificationId = parsed.ok ? parsed.envelope.id : undefined;
    const requestId = parsed.ok ? parsed.envelope.requestId : requestIdAttribute(message);
    const ctx: MessageContext = {
      message,
      messageId,
      receiptHandle: message.ReceiptHandle ?? '',
      receiveCount: Math.max(1, Number(message.Attributes?.ApproximateReceiveCount ?? 1) || 1),
      ...(notificationId !== undefined ? { notificationId } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
      log: o.logger.child({
        messageId,
        ...(notificationId !== undefined ? { notificationId } : {}),
        ...(requestId !== undefined ? { requestId } : {}),
      }),
    };
    const timing: Record<string, { value: number; unit: 'Milliseconds' }> = {};
    const sentTimestamp = Number(message.Attributes?.SentTimestamp);
    if (Number.isFinite(sentTimestamp) && sentTimestamp > 0) {
      timing.QueueLag = { value: Math.max(0, Date.now() - sentTimestamp), unit: 'Milliseconds' };
    }
    const stopHeartbeat = startVisibilityHeartbeat({
      sqs: o.sqs,
      queueUrl: o.queueUrl,
      receiptHandle: ctx.receiptHandle,
      visibilityTimeoutSeconds: o.visibilityTimeoutSeconds,
      logger: ctx.log,
      messageId: ctx.messageId,
    });
    try {
      if (!parsed.ok) {
        await this.#deadLetter(ctx, 'poison', parsed.reason);
        return;
      }
      const result = await this.#send(ctx, parsed.envelope);
      if (result === undefined) return;
      timing.SesLatency = { value: result.latencyMs, unit: 'Milliseconds' };
      await this.#settle(ctx, result);
    } catch (error) {
      // An SQS call failed (dead-letter send, visibility change). The message is left as it is
      // and reappears after its visibility timeout; nothing is deleted that was not handled.
      ctx.log.error(
        { err: error },
        'could not finish handling a message; it will be delivered again',
      );
    } finally {
      stopHeartbeat();
      timing.ProcessingTime = { value: performance.now() - started, unit: 'Milliseconds' };
      o.metrics.emit(timing);
    }
  }

  /** Waits for the account and a rate token, then sends; undefined when released instead. */
  async #send(ctx: MessageContext, envelope: Envelope): Promise<SendResult | undefined> {
    const o = this.#o;
    try {
      await o.gate.whenOpen(o.drainSignal);
      await o.rateLimiter.acquire(o.drainSignal);
    } catch (error) {
      if (!o.drainSignal.aborted) throw error;
    }
    if (o.drainSignal.aborted || !o.gate.isOpen) {
      // Not started: hand it back now rather than sit on it until the visibility timeout.
      await changeVisibility(o, ctx.receiptHandle, 0);
      ctx.log.info(
        o.drainSignal.aborted ? 'released unsent message (draining)' : 'released (account paused)',
      );
      return undefined;
    }
    this.#sending += 1;
    try {
      const result = await o.sender.send(envelope);
      o.status.sesAnswering = !(result.kind === 'retryable' && result.unanswered === true);
      return result;
    } finally {
      this.#sending -= 1;
    }
  }

  async #settle(ctx: MessageContext, result: SendResult): Promise<void> {
    const o = this.#o;
    const log = this.#ids(ctx);
    switch (result.kind) {
      case 'sent': {
        o.status.sent += 1;
        o.metrics.emit({ Sent: { value: 1, unit: 'Count' } });
        ctx.log.info(
          { sesMessageId: result.sesMessageId, receiveCount: ctx.receiveCount },
          'email sent',
        );
        await o.deleter.delete(ctx.receiptHandle, log);
        return;
      }
      case 'permanent': {
        this.#countFailure('permanent');
        await this.#deadLetter(ctx, 'permanent', result.reason);
        return;
      }
      case 'account-paused': {
        this.#countFailure('account-paused');
        o.gate.pause(result.reason);
        await changeVisibility(o, ctx.receiptHandle, 0);
        ctx.log.warn({ reason: result.reason }, 'account paused; message released');
        return;
      }
      case 'retryable': {
        this.#countFailure('retryable');
        if (result.throttled) o.rateLimiter.throttled();
        if (ctx.receiveCount >= o.maxReceiveCount) {
          // SQS would move it after this receive anyway, but without saying why.
          await this.#deadLetter(ctx, 'retries-exhausted', `retries exhausted: ${result.reason}`);
          return;
        }
        const delaySeconds = retryDelaySeconds(ctx.receiveCount, o.retry, o.random);
        await changeVisibility(o, ctx.receiptHandle, delaySeconds);
        o.status.retried += 1;
        o.metrics.emit({ Retried: { value: 1, unit: 'Count' } });
        ctx.log.warn(
          {
            receiveCount: ctx.receiveCount,
            retryInSeconds: delaySeconds,
            reason: result.reason,
          },
          'send failed; will retry',
        );
        return;
      }
    }
  }

  async #deadLetter(ctx: MessageContext, kind: DeadLetterKind, reason: string): Promise<void> {
    const o = this.#o;
    if (kind === 'poison') this.#countFailure('poison');
    await o.deadLetter.move({
      body: ctx.message.Body ?? '',
      sourceMessageId: ctx.messageId,
      receiveCount: ctx.receiveCount,
      kind,
      reason,
      notificationId: ctx.notificationId,
      requestId: ctx.requestId,
    });
    // SES publishes nothing for a message never sent, so its status is written here; a body
    // that did not parse names no notification.
    if (kind !== 'poison' && ctx.notificationId !== undefined) {
      await o.gaveUp?.record({
        notificationId: ctx.notificationId,
        kind,
        reason,
        sourceMessageId: ctx.messageId,
      });
    }
    // Moved with its reason: this message is given up on, whatever its attempts were.
    o.status.failedMessages += 1;
    o.status.deadLettered += 1;
    o.metrics.emit({ DeadLettered: { value: 1, unit: 'Count' } });
    await o.deleter.delete(ctx.receiptHandle, this.#ids(ctx));
  }

  /** The ids the batch deleter puts on its lines about this message. */
  #ids(ctx: MessageContext): DeleteContext {
    return {
      messageId: ctx.messageId,
      notificationId: ctx.notificationId,
      requestId: ctx.requestId,
    };
  }

  #countFailure(reasonKind: string): void {
    this.#o.status.failedAttempts += 1;
    this.#o.metrics.emit({ Failed: { value: 1, unit: 'Count' } }, { Reason: reasonKind });
  }
}
