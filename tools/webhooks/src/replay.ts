// Moves webhook jobs from the webhooks DLQ back to the webhooks queue, body unchanged, as new
// messages: each gets the full retry schedule again and keeps its webhook-id, so a receiver
// that already processed it can drop the repeat. A job is deleted from the DLQ only after SQS
// has taken its copy.
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export interface ReplayOptions {
  sqs: SQSClient;
  dlqUrl: string;
  queueUrl: string;
  /** At most this many jobs (default: all that are visible). */
  limit?: number;
  onJob?: (message: Message) => void;
}

export async function replayDeadLetters(options: ReplayOptions): Promise<number> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  let moved = 0;
  while (moved < limit) {
    const { Messages = [] } = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.dlqUrl,
        MaxNumberOfMessages: Math.min(10, limit - moved),
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      await options.sqs.send(
        new SendMessageCommand({ QueueUrl: options.queueUrl, MessageBody: message.Body }),
      );
      await options.sqs.send(
        new DeleteMessageCommand({
          QueueUrl: options.dlqUrl,
          ReceiptHandle: message.ReceiptHandle,
        }),
      );
      options.onJob?.(message);
      moved++;
    }
  }
  return moved;
}
