// `redrive` and `status`: SQS's own message move task wherever the endpoint has one (AWS), the
// copy redrive only when the endpoint answers that it does not (the local emulator).
import {
  ListMessageMoveTasksCommand,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { copyRedrive, type CopyRedriveResult } from './copy-redrive.ts';
import {
  approximateCount,
  assertDeadLetterQueue,
  deadLetterSources,
  listQueues,
  resolveQueue,
  type QueueInfo,
} from './queues.ts';
import { DlqError, describeSqsError, isUnsupportedOperation } from './sqs-errors.ts';

export type RedriveOutcome =
  | { mode: 'move-task'; from: QueueInfo; to: QueueInfo; taskHandle: string }
  | {
      mode: 'copy';
      from: QueueInfo;
      to: QueueInfo;
      result: CopyRedriveResult;
      unsupported: string;
    };

export interface RedriveOptions {
  queue: string;
  to?: string | undefined;
  prefix: string;
  maxPerSecond?: number | undefined;
}

/** Where the messages go: --to, else the one queue whose redrive policy feeds this one. */
export async function redriveDestination(
  sqs: SQSClient,
  dlq: QueueInfo,
  options: Pick<RedriveOptions, 'to' | 'prefix'>,
): Promise<QueueInfo> {
  if (options.to) return resolveQueue(sqs, options.to);
  const sources = await deadLetterSources(sqs, dlq, () => listQueues(sqs, `${options.prefix}-`));
  if (sources.length === 1) return sources[0] as QueueInfo;
  if (sources.length === 0) {
    throw new DlqError(
      `no queue has ${dlq.name} as its dead-letter queue (searched ${options.prefix}-*): ` +
        'name the destination with --to <queue>',
    );
  }
  throw new DlqError(
    `${dlq.name} is the dead-letter queue of ${sources.map((s) => s.name).join(', ')}: ` +
      'choose one with --to <queue>',
  );
}

export async function redrive(sqs: SQSClient, options: RedriveOptions): Promise<RedriveOutcome> {
  const from = await resolveQueue(sqs, options.queue);
  assertDeadLetterQueue(from, 'redrive');
  const to = await redriveDestination(sqs, from, options);
  if (to.arn === from.arn) throw new DlqError(`cannot redrive ${from.name} into itself`);
  try {
    const { TaskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: from.arn,
        DestinationArn: to.arn,
        MaxNumberOfMessagesPerSecond: options.maxPerSecond,
      }),
    );
    return { mode: 'move-task', from, to, taskHandle: TaskHandle ?? '(no handle returned)' };
  } catch (error) {
    if (!isUnsupportedOperation(error)) {
      throw describeSqsError(error, { operation: 'StartMessageMoveTask', queue: from.name });
    }
    const result = await copyRedrive(sqs, {
      from,
      to,
      limit: approximateCount(from, 'ApproximateNumberOfMessages'),
      maxPerSecond: options.maxPerSecond,
    });
    return { mode: 'copy', from, to, result, unsupported: errorText(error) };
  }
}

function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return [e.name, e.message].filter(Boolean).join(': ');
}

export type StatusOutcome =
  | { supported: true; queue: QueueInfo; tasks: ListMessageMoveTasksResultEntry[] }
  | { supported: false; queue: QueueInfo; unsupported: string };

export async function moveTaskStatus(sqs: SQSClient, queue: string): Promise<StatusOutcome> {
  const dlq = await resolveQueue(sqs, queue);
  try {
    const { Results = [] } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: dlq.arn, MaxResults: 10 }),
    );
    return { supported: true, queue: dlq, tasks: Results };
  } catch (error) {
    if (!isUnsupportedOperation(error)) {
      throw describeSqsError(error, { operation: 'ListMessageMoveTasks', queue: dlq.name });
    }
    return { supported: false, queue: dlq, unsupported: errorText(error) };
  }
}
