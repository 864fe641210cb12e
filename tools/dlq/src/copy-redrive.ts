// The redrive for endpoints without StartMessageMoveTask (fauxqs, the local stack's SQS):
// receive a batch, send it to the destination, and delete from the dead-letter queue only what
// the destination confirmed. At least once: a crash between send and delete leaves a copy in
// both queues, never in neither. Body and message attributes are copied unchanged, as SQS's own
// move task does; the copy is a new message (new id, receive count 0).
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { DlqError, describeSqsError } from './sqs-errors.ts';
import type { QueueInfo } from './queues.ts';

const SQS_BATCH = 10;
/** Time to send and delete one batch before SQS would hand the messages out again. */
const MOVE_VISIBILITY_SECONDS = 60;

export interface CopyRedriveOptions {
  from: QueueInfo;
  to: QueueInfo;
  /** Messages to move at most: those visible when the redrive began, so re-dead-lettered ones wait. */
  limit: number;
  maxPerSecond?: number | undefined;
}

export interface CopyRedriveResult {
  moved: number;
  /** The destination refused them: still in the dead-letter queue, visible again. */
  sendFailed: number;
  /** Sent but not deleted: they will show in the dead-letter queue again (a second copy). */
  deleteFailed: number;
}

function copyAttributes(
  attributes: Message['MessageAttributes'],
): Record<string, MessageAttributeValue> | undefined {
  if (!attributes || Object.keys(attributes).length === 0) return undefined;
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      { DataType: value.DataType, StringValue: value.StringValue, BinaryValue: value.BinaryValue },
    ]),
  );
}

export async function copyRedrive(
  sqs: SQSClient,
  options: CopyRedriveOptions,
): Promise<CopyRedriveResult> {
  const { from, to } = options;
  if (from.name.endsWith('.fifo') || to.name.endsWith('.fifo')) {
    throw new DlqError(
      `the copy redrive moves standard queues only; ${from.name} or ${to.name} is FIFO`,
    );
  }
  const result: CopyRedriveResult = { moved: 0, sendFailed: 0, deleteFailed: 0 };
  const started = Date.now();
  while (result.moved + result.sendFailed + result.deleteFailed < options.limit) {
    const remaining = options.limit - (result.moved + result.sendFailed + result.deleteFailed);
    const batchSize = Math.min(SQS_BATCH, remaining, options.maxPerSecond ?? SQS_BATCH);
    let messages: Message[];
    try {
      ({ Messages: messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: from.url,
          MaxNumberOfMessages: batchSize,
          VisibilityTimeout: MOVE_VISIBILITY_SECONDS,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
        }),
      ));
    } catch (error) {
      throw describeSqsError(error, { operation: 'ReceiveMessage', queue: from.name });
    }
    if (messages.length === 0) break;
    await moveBatch(sqs, options, messages, result);
    if (options.maxPerSecond) await pace(started, result, options.maxPerSecond);
  }
  return result;
}

async function moveBatch(
  sqs: SQSClient,
  { from, to }: CopyRedriveOptions,
  messages: Message[],
  result: CopyRedriveResult,
): Promise<void> {
  const byId = new Map(messages.map((message, index) => [String(index), message]));
  let sent: string[];
  let refused: string[];
  try {
    const answer = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: to.url,
        Entries: [...byId].map(([id, message]) => ({
          Id: id,
          MessageBody: message.Body ?? '',
          MessageAttributes: copyAttributes(message.MessageAttributes),
        })),
      }),
    );
    sent = (answer.Successful ?? []).map((entry) => entry.Id ?? '');
    refused = (answer.Failed ?? []).map((entry) => entry.Id ?? '');
  } catch (error) {
    // Nothing is known to have arrived: put the whole batch back and stop.
    await makeVisible(sqs, from, messages);
    throw describeSqsError(error, { operation: 'SendMessage', queue: to.name });
  }
  if (refused.length > 0) {
    result.sendFailed += refused.length;
    await makeVisible(
      sqs,
      from,
      refused.map((id) => byId.get(id)).filter((m): m is Message => m !== undefined),
    );
  }
  if (sent.length === 0) return;
  try {
    const answer = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: from.url,
        Entries: sent.map((id) => ({ Id: id, ReceiptHandle: byId.get(id)?.ReceiptHandle })),
      }),
    );
    const notDeleted = answer.Failed?.length ?? 0;
    result.deleteFailed += notDeleted;
    result.moved += sent.length - notDeleted;
  } catch (error) {
    const reason = describeSqsError(error, { operation: 'DeleteMessage', queue: from.name });
    throw new DlqError(
      `${reason.message}; ${sent.length} message(s) already sent to ${to.name} are still in ` +
        `${from.name} and will be visible there again (a second redrive would send them twice)`,
    );
  }
}

async function makeVisible(sqs: SQSClient, queue: QueueInfo, messages: Message[]): Promise<void> {
  if (messages.length === 0) return;
  try {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queue.url,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
  } catch {
    // They stay in the queue regardless and come back when the visibility timeout ends.
  }
}

/** Waits until the messages handled so far fit the requested rate. */
async function pace(started: number, result: CopyRedriveResult, maxPerSecond: number) {
  const handled = result.moved + result.sendFailed + result.deleteFailed;
  const due = started + (handled / maxPerSecond) * 1000;
  const wait = due - Date.now();
  if (wait > 0) await sleep(wait);
}
