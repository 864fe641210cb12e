// The one status the worker writes itself: when it gives a message up (dead-letters it after a
// permanent SendEmail error or after its last retry), SES will publish no event for it, so
// the worker records `rejected` or `failed`. The send path itself never touches the store.
import type { ApplyOutcome, Logger, MetricsEmitter, StatusEvent } from '@notify/shared';

export interface StatusEventWriter {
  applyEvent(event: StatusEvent): Promise<ApplyOutcome>;
}

export type GaveUpKind = 'permanent' | 'retries-exhausted';

export interface GaveUp {
  notificationId: string;
  kind: GaveUpKind;
  /** The worker's reason (addresses already masked). */
  reason: string;
  /** The SQS message id: one give-up per message, so a repeat is the same event. */
  sourceMessageId: string;
}

/** The status event for a message the worker gave up on. */
export function gaveUpEvent(gaveUp: GaveUp, at: Date): StatusEvent {
  const everyone =
    gaveUp.kind === 'permanent'
      ? {
          status: 'rejected' as const,
          reason: {
            // SES's own refusal of the message, or any other request SES will refuse again.
            code: gaveUp.reason.startsWith('MessageRejected') ? 'message_rejected' : 'send_refused',
            retryable: false,
            detail: gaveUp.reason,
          },
        }
      : {
          status: 'failed' as const,
          reason: { code: 'retries_exhausted', retryable: true, detail: gaveUp.reason },
        };
  return {
    eventId: `worker-${gaveUp.kind}-${gaveUp.sourceMessageId}`,
    notificationId: gaveUp.notificationId,
    type: 'worker_gave_up',
    at: at.toISOString(),
    recipients: [],
    everyone,
  };
}

export interface GaveUpRecorderOptions {
  store: StatusEventWriter;
  logger: Logger;
  metrics: MetricsEmitter;
  now?: () => Date;
}

export class GaveUpRecorder {
  readonly #o: GaveUpRecorderOptions;

  constructor(options: GaveUpRecorderOptions) {
    this.#o = options;
  }

  /**
   * Never throws: the message is already in the dead-letter queue with its reason, which is
   * what an operator redrives from; a status that could not be written is logged and counted.
   */
  async record(gaveUp: GaveUp): Promise<void> {
    const { store, logger, metrics } = this.#o;
    const event = gaveUpEvent(gaveUp, (this.#o.now ?? (() => new Date()))());
    try {
      const result = await store.applyEvent(event);
      if (result.outcome === 'applied') {
        for (const t of result.transitions) {
          metrics.emit({ StatusTransitions: { value: 1, unit: 'Count' } }, { To: t.to });
        }
      }
      logger.info(
        {
          notificationId: gaveUp.notificationId,
          status: event.everyone?.status,
          outcome: result.outcome,
        },
        'status recorded for a message given up',
      );
    } catch (error) {
      metrics.emit({ StatusWriteFailed: { value: 1, unit: 'Count' } });
      logger.error(
        { err: error, notificationId: gaveUp.notificationId, status: event.everyone?.status },
        'could not record the status of a message given up',
      );
    }
  }
}
