// ChangeMessageVisibility in the three ways the worker uses it: release a message at once (0),
// hide it for a retry delay, and keep it hidden while a slow send is still running (heartbeat).
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '@notify/shared';

export interface VisibilityTarget {
  sqs: SQSClient;
  queueUrl: string;
}

export async function changeVisibility(
  target: VisibilityTarget,
  receiptHandle: string,
  seconds: number,
): Promise<void> {
  await target.sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: target.queueUrl,
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: seconds,
    }),
  );
}

export interface HeartbeatOptions extends VisibilityTarget {
  receiptHandle: string;
  visibilityTimeoutSeconds: number;
  logger: Logger;
  messageId: string;
}

/**
 * Every half visibility timeout, pushes the message's visibility out by a whole timeout again, so
 * a send that takes longer than expected is not handed to another consumer meanwhile.
 * Returns the function that stops it.
 */
export function startVisibilityHeartbeat(options: HeartbeatOptions): () => void {
  const intervalMs = (options.visibilityTimeoutSeconds * 1000) / 2;
  const timer = setInterval(() => {
    changeVisibility(options, options.receiptHandle, options.visibilityTimeoutSeconds).then(
      () => options.logger.debug({ messageId: options.messageId }, 'visibility extended'),
      (error: unknown) =>
        options.logger.warn(
          { err: error, messageId: options.messageId },
          'could not extend visibility; the message may be delivered again',
        ),
    );
  }, intervalMs);
  return () => clearInterval(timer);
}
