// Reading a dead-letter queue without taking anything out of it: receive with a short
// visibility timeout, then make every received message visible again at once
// (ChangeMessageVisibility 0). Each peek adds one to the messages' ApproximateReceiveCount,
// which matters only if the dead-letter queue had a redrive policy of its own (ours have none).
import {
  ChangeMessageVisibilityBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { maskEmailsInText } from '@notify/shared';
import { describeSqsError } from './sqs-errors.ts';
import type { QueueInfo } from './queues.ts';

/** Long enough to read up to MAX_PEEK messages; short, so a killed peek hides them briefly. */
export const PEEK_VISIBILITY_SECONDS = 15;
const SQS_BATCH = 10;

export interface PeekResult {
  messages: Message[];
  /** Messages SQS refused to make visible again: they reappear after the visibility timeout. */
  notReleased: number;
}

export async function peekMessages(
  sqs: SQSClient,
  queue: QueueInfo,
  max: number,
): Promise<PeekResult> {
  const messages: Message[] = [];
  let notReleased = 0;
  try {
    while (messages.length < max) {
      let batch: Message[];
      try {
        ({ Messages: batch = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queue.url,
            MaxNumberOfMessages: Math.min(SQS_BATCH, max - messages.length),
            VisibilityTimeout: PEEK_VISIBILITY_SECONDS,
            // A short wait: SQS's short poll samples a subset of servers and can answer empty.
            WaitTimeSeconds: 1,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
          }),
        ));
      } catch (error) {
        throw describeSqsError(error, { operation: 'ReceiveMessage', queue: queue.name });
      }
      if (batch.length === 0) break;
      messages.push(...batch);
    }
  } finally {
    // Released even when a later receive failed: what was read goes back either way.
    notReleased = await release(sqs, queue, messages);
  }
  return { messages, notReleased };
}

async function release(sqs: SQSClient, queue: QueueInfo, messages: Message[]): Promise<number> {
  let failed = 0;
  for (let i = 0; i < messages.length; i += SQS_BATCH) {
    const entries = messages.slice(i, i + SQS_BATCH).map((message, index) => ({
      Id: String(i + index),
      ReceiptHandle: message.ReceiptHandle,
      VisibilityTimeout: 0,
    }));
    try {
      const result = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({ QueueUrl: queue.url, Entries: entries }),
      );
      failed += result.Failed?.length ?? 0;
    } catch {
      failed += entries.length;
    }
  }
  return failed;
}

const SYSTEM_ATTRIBUTES_SHOWN = [
  'ApproximateReceiveCount',
  'SentTimestamp',
  'ApproximateFirstReceiveTimestamp',
  'DeadLetterQueueSourceArn',
];

function timestamp(value: string | undefined): string | undefined {
  return value && /^\d+$/.test(value) ? new Date(Number(value)).toISOString() : value;
}

/** One message as the operator reads it: id, system facts, the reason attributes, the body. */
export function formatMessage(message: Message, options: { showAddresses: boolean }): string {
  const mask = options.showAddresses ? (text: string) => text : maskEmailsInText;
  const lines = [`message ${message.MessageId ?? '(no id)'}`];
  for (const name of SYSTEM_ATTRIBUTES_SHOWN) {
    const raw = message.Attributes?.[name as keyof typeof message.Attributes];
    if (raw === undefined) continue;
    lines.push(`  ${name}: ${name.endsWith('Timestamp') ? timestamp(raw) : raw}`);
  }
  const attributes = Object.entries(message.MessageAttributes ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  for (const [name, value] of attributes) {
    const shown =
      value.StringValue !== undefined
        ? mask(value.StringValue)
        : `(${value.DataType ?? 'Binary'}, ${value.BinaryValue?.length ?? 0} bytes)`;
    lines.push(`  attribute ${name}: ${shown}`);
  }
  lines.push(`  body: ${mask(prettyBody(message.Body ?? ''))}`.replace(/\n/g, '\n  '));
  return lines.join('\n');
}

/** JSON bodies (our envelopes) are indented for reading; anything else is shown as it is. */
function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
