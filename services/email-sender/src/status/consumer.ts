// The status consumer: reads the SES events queue (EventBridge -> SQS) and applies each event
// to the status store. Runs in the worker process when EVENTS_QUEUE_URL and STATUS_TABLE are set.
//
// Per message:
// - a status event: applied (store.applyEvent), then deleted, whatever the store said
//   (applied, unchanged, or unknown: a record past its retention or another sender's);
// - ignored (opens, clicks, mail without our tag): deleted, logged at debug;
// - malformed: logged with the reason and made visible again at once, never deleted, so the
//   queue's redrive policy moves it to the events DLQ after maxReceiveCount receives. The DLQ
//   is the queue's own (no URL to configure, no send permission on it), and an operator finds
//   the reason in the log line carrying the SQS message id;
// - a store error: not deleted; the message comes back after its visibility timeout.
//
// A batch's events go to the store together (store.applyEventBatch), grouped by notification:
// one BatchWriteItem for the timeline items and one BatchGetItem for the records, then one
// conditional write per record, with a notification's events (SES's Send and Delivery often
// arrive together) applied in one write. Applied one at a time, two events of one record raced
// for its version, and each event paid its own put, read and write: about four DynamoDB calls
// per notification in the bench, against about 1.5 now.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  parseSesEvent,
  type EventGroupResult,
  type Logger,
  type MetricsEmitter,
  type StatusEvent,
} from '@notify/shared';

/** What the consumer needs of the status store (StatusStore, or it wrapped by withWebhooks). */
export interface StatusEventsWriter {
  /** Groups of one notification's events each; one result per group (StatusStore's). */
  applyEventBatch(groups: StatusEvent[][]): Promise<EventGroupResult[]>;
}

export interface StatusConsumerOptions {
  /** Deletes and visibility changes. */
  sqs: SQSClient;
  /** Long polls (its own deadline); defaults to `sqs`. */
  receiveSqs?: SQSClient;
  queueUrl: string;
  store: StatusEventsWriter;
  logger: Logger;
  metrics: MetricsEmitter;
  waitTimeSeconds: number;
  /** Pause after a failed receive (ms). */
  failureDelayMs?: number;
  /**
   * Receive loops side by side (default 2): one loop waits for each batch's writes before it
   * receives again, so a second keeps the queue moving meanwhile (SES publishes about two
   * events per email).
   */
  pollers?: number;
}

type Outcome = 'delete' | 'redrive' | 'retry';
type ParsedEvent = ReturnType<typeof parseSesEvent>;

export class StatusConsumer {
  readonly #o: StatusConsumerOptions;
  readonly #stop = new AbortController();
  #loops: Promise<void>[] | undefined;

  constructor(options: StatusConsumerOptions) {
    this.#o = options;
  }

  start(): void {
    const pollers = this.#o.pollers ?? 2;
    if (!Number.isInteger(pollers) || pollers < 1) throw new RangeError('pollers must be >= 1');
    this.#loops ??= Array.from({ length: pollers }, () => this.#run());
  }

  /**
   * Stops polling and waits for the batches under way to be applied and deleted: a batch's
   * store calls (its event items, its reads, one write per record) each end by their deadline,
   * so on a hung table the drain waits a few call deadlines per loop, not one per event. A long
   * poll is aborted; an event it may still have taken comes back after its visibility timeout.
   */
  async stop(): Promise<void> {
    this.#stop.abort(new Error('status consumer stopped'));
    await Promise.all(this.#loops ?? []);
  }

  async #run(): Promise<void> {
    const o = this.#o;
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      let messages: Message[];
      try {
        const output = await (o.receiveSqs ?? o.sqs).send(
          new ReceiveMessageCommand({
            QueueUrl: o.queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: o.waitTimeSeconds,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
          { abortSignal: signal },
        );
        messages = output.Messages ?? [];
      } catch (error) {
        if (signal.aborted) return;
        o.logger.warn({ err: error }, 'events queue: ReceiveMessage failed; backing off');
        try {
          await sleep(o.failureDelayMs ?? 1_000, undefined, { signal });
        } catch {
          return;
        }
        continue;
      }
      // Events begun are handled to the end even when stop() comes meanwhile: applied events
      // get deleted.
      await this.#handleBatch(messages);
    }
  }

  async #handleBatch(messages: Message[]): Promise<void> {
    const outcomes: Outcome[] = new Array<Outcome>(messages.length);
    // The events of each notification, by message index; other messages are decided at once.
    const byNotification = new Map<string, Array<{ index: number; event: StatusEvent }>>();
    messages.forEach((message, index) => {
      const parsed = parseSesEvent(message.Body ?? '');
      if (parsed.kind !== 'event') {
        outcomes[index] = this.#notAnEvent(message, parsed);
        return;
      }
      const group = byNotification.get(parsed.event.notificationId) ?? [];
      group.push({ index, event: parsed.event });
      byNotification.set(parsed.event.notificationId, group);
    });
    const groups = [...byNotification.values()];
    if (groups.length > 0) {
      const results = await this.#applyAll(groups.map((group) => group.map((g) => g.event)));
      groups.forEach((group, i) => {
        const outcome = this.#report(
          group.map((g) => g.event),
          group.map((g) => messages[g.index]?.MessageId),
          results[i],
        );
        for (const { index } of group) outcomes[index] = outcome;
      });
    }
    const toDelete = messages.filter((_, i) => outcomes[i] === 'delete');
    const toRedrive = messages.filter((_, i) => outcomes[i] === 'redrive');
    await Promise.all([
      this.#delete(toDelete),
      ...toRedrive.map((m) => this.#releaseForRedrive(m)),
    ]);
  }

  #notAnEvent(message: Message, parsed: Exclude<ParsedEvent, { kind: 'event' }>): Outcome {
    const { logger, metrics } = this.#o;
    const messageId = message.MessageId;
    if (parsed.kind === 'ignored') {
      metrics.emit({ StatusEvents: { value: 1, unit: 'Count' } }, { EventType: 'ignored' });
      logger.debug(
        { messageId, detailType: parsed.detailType, reason: parsed.reason },
        'SES event ignored',
      );
      return 'delete';
    }
    metrics.emit({ StatusEvents: { value: 1, unit: 'Count' } }, { EventType: 'malformed' });
    logger.warn(
      {
        messageId,
        receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
        reason: parsed.reason,
      },
      'malformed SES event: left for the events dead-letter queue',
    );
    return 'redrive';
  }

  /** The store's answer for every group; a store that throws fails every group alike. */
  async #applyAll(groups: StatusEvent[][]): Promise<EventGroupResult[]> {
    try {
      return await this.#o.store.applyEventBatch(groups);
    } catch (error) {
      return groups.map(() => ({ ok: false, error }));
    }
  }

  /** Logs one group's outcome: all its events deleted once applied, all kept if it failed. */
  #report(
    events: StatusEvent[],
    messageIds: Array<string | undefined>,
    answer: EventGroupResult | undefined,
  ): Outcome {
    const { logger, metrics } = this.#o;
    if (answer === undefined || !answer.ok) {
      const error = answer === undefined ? new Error('the store gave no answer') : answer.error;
      metrics.emit({ StatusWriteFailed: { value: events.length, unit: 'Count' } });
      // One line per event, as for an applied one: operators follow an SQS message id.
      events.forEach((event, i) => {
        logger.error(
          {
            messageId: messageIds[i],
            notificationId: event.notificationId,
            eventType: event.type,
            err: error,
          },
          'could not apply a status event; it will come back',
        );
      });
      return 'retry';
    }
    const results = answer.outcomes;
    events.forEach((event, i) => {
      const result = results[i];
      const log = {
        messageId: messageIds[i],
        notificationId: event.notificationId,
        eventType: event.type,
      };
      metrics.emit({ StatusEvents: { value: 1, unit: 'Count' } }, { EventType: event.type });
      if (result?.outcome === 'applied') {
        for (const t of result.transitions) {
          metrics.emit({ StatusTransitions: { value: 1, unit: 'Count' } }, { To: t.to });
        }
        logger.info(
          { ...log, status: result.record.status, transitions: result.transitions.length },
          'status event applied',
        );
      } else {
        logger.debug({ ...log, outcome: result?.outcome }, 'status event changed nothing');
      }
    });
    return 'delete';
  }

  async #delete(messages: Message[]): Promise<void> {
    if (messages.length === 0) return;
    const { sqs, queueUrl, logger } = this.#o;
    try {
      const answer = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
      for (const failed of answer.Failed ?? []) {
        logger.warn({ code: failed.Code }, 'events queue: delete failed; the event comes back');
      }
    } catch (error) {
      // Applied events that come back change nothing the second time.
      logger.warn({ err: error }, 'events queue: DeleteMessageBatch failed; events come back');
    }
  }

  /** Visible again at once: a malformed event reaches its maxReceiveCount in seconds. */
  async #releaseForRedrive(message: Message): Promise<void> {
    const { sqs, queueUrl, logger } = this.#o;
    try {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
    } catch (error) {
      logger.warn({ err: error, messageId: message.MessageId }, 'events queue: release failed');
    }
  }
}
