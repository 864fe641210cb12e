// Finding the dead-letter queues and what feeds them. A queue is a dead-letter queue when
// another queue's RedrivePolicy names it, or when its name ends in `-dlq` (the worker also sends
// there itself); its sources come from ListDeadLetterSourceQueues where the endpoint has it, and
// from the redrive policies of the queues under the prefix where it does not (fauxqs).
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DlqError, describeSqsError, isUnsupportedOperation } from './sqs-errors.ts';

export interface QueueInfo {
  name: string;
  url: string;
  arn: string;
  attributes: Record<string, string>;
}

export interface DeadLetterQueue {
  queue: QueueInfo;
  /** Queues whose RedrivePolicy sends here. */
  sources: QueueInfo[];
}

export function queueNameFromUrl(url: string): string {
  return new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? url;
}

function isQueueUrl(value: string): boolean {
  return /^https?:\/\//.test(value);
}

/** The ARN a queue's RedrivePolicy dead-letters to, if it has one. */
export function redriveTargetArn(queue: QueueInfo): string | undefined {
  const policy = queue.attributes.RedrivePolicy;
  if (!policy) return undefined;
  try {
    const parsed = JSON.parse(policy) as { deadLetterTargetArn?: unknown };
    return typeof parsed.deadLetterTargetArn === 'string' ? parsed.deadLetterTargetArn : undefined;
  } catch {
    return undefined;
  }
}

async function describeQueue(sqs: SQSClient, url: string, name: string): Promise<QueueInfo> {
  try {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    if (!Attributes.QueueArn) throw new Error(`GetQueueAttributes returned no QueueArn`);
    return { name, url, arn: Attributes.QueueArn, attributes: Attributes };
  } catch (error) {
    throw describeSqsError(error, { operation: 'GetQueueAttributes', queue: name });
  }
}

/** A queue by name or URL, with its attributes; a missing queue is an error naming it. */
export async function resolveQueue(sqs: SQSClient, nameOrUrl: string): Promise<QueueInfo> {
  if (isQueueUrl(nameOrUrl)) return describeQueue(sqs, nameOrUrl, queueNameFromUrl(nameOrUrl));
  let url: string | undefined;
  try {
    ({ QueueUrl: url } = await sqs.send(new GetQueueUrlCommand({ QueueName: nameOrUrl })));
  } catch (error) {
    throw describeSqsError(error, { operation: 'GetQueueUrl', queue: nameOrUrl });
  }
  if (!url) throw describeSqsError(new Error('no QueueUrl returned'), { operation: 'GetQueueUrl' });
  return describeQueue(sqs, url, nameOrUrl);
}

/** Every queue whose name starts with `prefix`, all pages. */
export async function listQueues(sqs: SQSClient, prefix: string): Promise<QueueInfo[]> {
  const urls: string[] = [];
  let nextToken: string | undefined;
  do {
    try {
      const page = await sqs.send(
        new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 1000, NextToken: nextToken }),
      );
      urls.push(...(page.QueueUrls ?? []));
      nextToken = page.NextToken;
    } catch (error) {
      throw describeSqsError(error, { operation: 'ListQueues', queue: `${prefix}*` });
    }
  } while (nextToken);
  return Promise.all(urls.map((url) => describeQueue(sqs, url, queueNameFromUrl(url))));
}

/**
 * The queues that dead-letter into `dlq`. ListDeadLetterSourceQueues sees every queue in the
 * account; where the endpoint lacks it, the candidates' redrive policies answer instead.
 */
export async function deadLetterSources(
  sqs: SQSClient,
  dlq: QueueInfo,
  candidates: () => Promise<QueueInfo[]>,
): Promise<QueueInfo[]> {
  const urls: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await sqs.send(
        new ListDeadLetterSourceQueuesCommand({
          QueueUrl: dlq.url,
          MaxResults: 1000,
          NextToken: nextToken,
        }),
      );
      urls.push(...(page.queueUrls ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
  } catch (error) {
    if (!isUnsupportedOperation(error)) {
      throw describeSqsError(error, { operation: 'ListDeadLetterSourceQueues', queue: dlq.name });
    }
    return (await candidates()).filter((queue) => redriveTargetArn(queue) === dlq.arn);
  }
  return Promise.all(urls.map((url) => describeQueue(sqs, url, queueNameFromUrl(url))));
}

/** Every dead-letter queue under `<prefix>-`, with its sources, sorted by name. */
export async function findDeadLetterQueues(
  sqs: SQSClient,
  prefix: string,
): Promise<DeadLetterQueue[]> {
  const queues = await listQueues(sqs, `${prefix}-`);
  const targets = new Set(queues.map(redriveTargetArn).filter(Boolean));
  const dlqs = queues
    .filter((queue) => targets.has(queue.arn) || /-dlq(\.fifo)?$/.test(queue.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  return Promise.all(
    dlqs.map(async (queue) => ({
      queue,
      sources: await deadLetterSources(sqs, queue, async () => queues),
    })),
  );
}

export function approximateCount(queue: QueueInfo, attribute: string): number {
  return Number(queue.attributes[attribute] ?? 0);
}

/**
 * Refuses a queue that dead-letters somewhere itself (a source queue, not a DLQ): a peek there
 * would hide messages from the worker and count toward their maxReceiveCount, and a redrive
 * would move live traffic.
 */
export function assertDeadLetterQueue(queue: QueueInfo, command: string): void {
  const target = redriveTargetArn(queue);
  if (target === undefined) return;
  const targetName = target.split(':').at(-1);
  throw new DlqError(
    `${queue.name} is not a dead-letter queue (its redrive policy sends to ${targetName}); ` +
      `${command} works on dead-letter queues only: try ${command} ${targetName}`,
  );
}
