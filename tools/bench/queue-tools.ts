// Direct SQS calls the bench makes itself (straight to fauxqs, never through the counting proxy,
// so they are not billed to the services): pre-filling a queue, emptying it, reading its depth.
import { randomUUID } from 'node:crypto';
import {
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { ENVELOPE_VERSION, serializeEnvelope, type Envelope } from '@notify/shared';

export function benchSqsClient(endpoint: string): SQSClient {
  return new SQSClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export function benchEnvelope(subject: string): Envelope {
  return {
    v: ENVELOPE_VERSION,
    id: randomUUID(),
    createdAt: new Date().toISOString(),
    requestId: randomUUID(),
    email: {
      to: ['bench-recipient@example.com'],
      cc: [],
      bcc: [],
      replyTo: [],
      subject,
      text: 'Benchmark message body: a short transactional notification.',
    },
  };
}

/** Puts `count` envelopes with subjects `<prefix><i>` in the queue, 10 per call, 8 calls at once. */
export async function prefillQueue(
  sqs: SQSClient,
  queueUrl: string,
  count: number,
  subjectPrefix: string,
): Promise<void> {
  const batches: number[][] = [];
  for (let i = 0; i < count; i += 10) {
    batches.push(Array.from({ length: Math.min(10, count - i) }, (_, k) => i + k));
  }
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      const out = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((i) => ({
            Id: String(i),
            MessageBody: serializeEnvelope(benchEnvelope(`${subjectPrefix}${i}`)),
          })),
        }),
      );
      if (out.Failed?.length) throw new Error(`prefill: ${out.Failed.length} entries failed`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
}

export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

export async function purgeQueue(sqs: SQSClient, queueUrl: string): Promise<void> {
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
}
