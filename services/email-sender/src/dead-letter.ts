// Sets a message aside in the dead-letter queue with the reason it could not be sent, so nothing
// is dropped silently and an operator can see why, then the caller deletes it from the main
// queue. The body is copied unchanged; the reason travels as message attributes.
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { maskEmailsInText, type Logger } from '@notify/shared';

/** Kept well under SQS's limits; a reason longer than this is cut, not refused. */
const MAX_REASON_LENGTH = 1_000;

export type DeadLetterKind = 'poison' | 'permanent' | 'retries-exhausted';

export interface DeadLetterEntry {
  body: string;
  sourceMessageId: string;
  receiveCount: number;
  kind: DeadLetterKind;
  reason: string;
  notificationId?: string | undefined;
  requestId?: string | undefined;
}

export interface DeadLetterOptions {
  sqs: SQSClient;
  dlqUrl: string;
  logger: Logger;
}

export class DeadLetter {
  readonly #options: DeadLetterOptions;

  constructor(options: DeadLetterOptions) {
    this.#options = options;
  }

  /** Copies the message to the DLQ; throws if SQS did not take it (the caller must not delete). */
  async move(entry: DeadLetterEntry): Promise<void> {
    // Operators read the reason; recipients' addresses have no place in it (SES names them).
    const masked = maskEmailsInText(entry.reason);
    const reason =
      masked.length > MAX_REASON_LENGTH ? `${masked.slice(0, MAX_REASON_LENGTH - 1)}…` : masked;
    await this.#options.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.#options.dlqUrl,
        MessageBody: entry.body,
        MessageAttributes: {
          'failure-reason': { DataType: 'String', StringValue: reason },
          'failure-kind': { DataType: 'String', StringValue: entry.kind },
          'source-message-id': { DataType: 'String', StringValue: entry.sourceMessageId },
          'receive-count': { DataType: 'Number', StringValue: String(entry.receiveCount) },
        },
      }),
    );
    this.#options.logger.warn(
      {
        notificationId: entry.notificationId,
        requestId: entry.requestId,
        messageId: entry.sourceMessageId,
        receiveCount: entry.receiveCount,
        failureKind: entry.kind,
        reason,
      },
      'message moved to the dead-letter queue',
    );
  }
}
