// The redrive's choices against a mocked SQS: the move task with the exact SQS request shape
// where the endpoint has it, the copy only when it answers "unsupported", and the copy deleting
// nothing the destination did not confirm.
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  SQSServiceException,
  StartMessageMoveTaskCommand,
  UnsupportedOperation,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { redrive } from '../src/redrive.ts';

const sqsMock = mockClient(SQSClient);
const sqs = new SQSClient({ region: 'us-east-1' });
const base = 'https://sqs.us-east-1.amazonaws.com/123456789012';
const arn = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;

function queues(depth: number) {
  sqsMock
    .on(GetQueueUrlCommand)
    .callsFake(({ QueueName }: { QueueName: string }) => ({ QueueUrl: `${base}/${QueueName}` }));
  sqsMock.on(GetQueueAttributesCommand).callsFake(({ QueueUrl }: { QueueUrl: string }) => {
    const name = QueueUrl.split('/').at(-1) as string;
    return {
      Attributes: {
        QueueArn: arn(name),
        ApproximateNumberOfMessages: name.endsWith('-dlq') ? String(depth) : '0',
        ...(name.endsWith('-dlq')
          ? {}
          : {
              RedrivePolicy: JSON.stringify({
                deadLetterTargetArn: arn(`${name}-dlq`),
                maxReceiveCount: 5,
              }),
            }),
      },
    };
  });
  sqsMock
    .on(ListDeadLetterSourceQueuesCommand)
    .resolves({ queueUrls: [`${base}/notify-prod-email`] });
}

function messages(count: number, from = 0) {
  return Array.from({ length: count }, (_, i) => ({
    MessageId: `m-${from + i}`,
    ReceiptHandle: `rh-${from + i}`,
    Body: `body-${from + i}`,
    MessageAttributes: { 'failure-kind': { DataType: 'String', StringValue: 'poison' } },
  }));
}

const unsupported = new UnsupportedOperation({ message: 'not here', $metadata: {} });

beforeEach(() => sqsMock.reset());

it('starts an SQS message move task from the DLQ to its source queue, at the asked rate', async () => {
  queues(3);
  sqsMock.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
  const outcome = await redrive(sqs, {
    queue: 'notify-prod-email-dlq',
    prefix: 'notify-prod',
    maxPerSecond: 20,
  });
  expect(outcome).toMatchObject({ mode: 'move-task', taskHandle: 'task-1' });
  expect(sqsMock.commandCalls(StartMessageMoveTaskCommand).map((c) => c.args[0].input)).toEqual([
    {
      SourceArn: arn('notify-prod-email-dlq'),
      DestinationArn: arn('notify-prod-email'),
      MaxNumberOfMessagesPerSecond: 20,
    },
  ]);
  // SQS moves the messages itself: the tool receives nothing.
  expect(sqsMock.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
});

it('never falls back to copying when SQS refuses for another reason', async () => {
  queues(3);
  sqsMock.on(StartMessageMoveTaskCommand).rejects(
    new SQSServiceException({
      name: 'AccessDenied',
      message: 'denied',
      $fault: 'client',
      $metadata: {},
    }),
  );
  await expect(
    redrive(sqs, { queue: 'notify-prod-email-dlq', prefix: 'notify-prod' }),
  ).rejects.toThrow(
    /^access denied: StartMessageMoveTask on notify-prod-email-dlq needs sqs:StartMessageMoveTask plus/,
  );
  expect(sqsMock.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
});

it('copies when the endpoint has no move task, deleting only what the destination took', async () => {
  queues(3);
  sqsMock.on(StartMessageMoveTaskCommand).rejects(unsupported);
  sqsMock
    .on(ReceiveMessageCommand)
    .resolvesOnce({ Messages: messages(3) })
    .resolves({});
  sqsMock.on(SendMessageBatchCommand).resolves({
    Successful: [
      { Id: '0', MessageId: 'n-0', MD5OfMessageBody: '' },
      { Id: '2', MessageId: 'n-2', MD5OfMessageBody: '' },
    ],
    Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }],
  });
  sqsMock
    .on(DeleteMessageBatchCommand)
    .resolves({ Successful: [{ Id: '0' }, { Id: '2' }], Failed: [] });
  const outcome = await redrive(sqs, { queue: 'notify-prod-email-dlq', prefix: 'notify-prod' });
  expect(outcome).toMatchObject({
    mode: 'copy',
    result: { moved: 2, sendFailed: 1, deleteFailed: 0 },
    unsupported: 'UnsupportedOperation: not here',
  });
  const sent = sqsMock.commandCalls(SendMessageBatchCommand)[0]!.args[0].input;
  expect(sent.QueueUrl).toBe(`${base}/notify-prod-email`);
  expect(sent.Entries?.[0]).toEqual({
    Id: '0',
    MessageBody: 'body-0',
    MessageAttributes: { 'failure-kind': { DataType: 'String', StringValue: 'poison' } },
  });
  expect(sqsMock.commandCalls(DeleteMessageBatchCommand)[0]!.args[0].input.Entries).toEqual([
    { Id: '0', ReceiptHandle: 'rh-0' },
    { Id: '2', ReceiptHandle: 'rh-2' },
  ]);
  // The refused one is made visible again at once, not left hidden.
  expect(
    sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand)[0]!.args[0].input.Entries,
  ).toEqual([{ Id: '0', ReceiptHandle: 'rh-1', VisibilityTimeout: 0 }]);
  // The limit is the depth at the start: the refused message is not retried forever.
  expect(sqsMock.commandCalls(ReceiveMessageCommand)).toHaveLength(1);
});

it('deletes nothing when the send itself fails, and puts the batch back', async () => {
  queues(2);
  sqsMock.on(StartMessageMoveTaskCommand).rejects(unsupported);
  sqsMock.on(ReceiveMessageCommand).resolves({ Messages: messages(2) });
  sqsMock.on(SendMessageBatchCommand).rejects(
    new SQSServiceException({
      name: 'AccessDenied',
      message: 'denied',
      $fault: 'client',
      $metadata: {},
    }),
  );
  await expect(
    redrive(sqs, { queue: 'notify-prod-email-dlq', prefix: 'notify-prod' }),
  ).rejects.toThrow('access denied: SendMessage on notify-prod-email needs sqs:SendMessage');
  expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  expect(sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(1);
});

it('asks for --to when the DLQ has no single source queue', async () => {
  queues(1);
  sqsMock.on(ListDeadLetterSourceQueuesCommand).resolves({
    queueUrls: [`${base}/notify-prod-email`, `${base}/notify-prod-other`],
  });
  await expect(
    redrive(sqs, { queue: 'notify-prod-email-dlq', prefix: 'notify-prod' }),
  ).rejects.toThrow(
    'notify-prod-email-dlq is the dead-letter queue of notify-prod-email, notify-prod-other: choose one with --to <queue>',
  );
  sqsMock.on(ListDeadLetterSourceQueuesCommand).rejects(unsupported);
  sqsMock.on(ListQueuesCommand).resolves({ QueueUrls: [] });
  await expect(
    redrive(sqs, { queue: 'notify-prod-email-dlq', prefix: 'notify-prod' }),
  ).rejects.toThrow(
    'no queue has notify-prod-email-dlq as its dead-letter queue (searched notify-prod-*): name the destination with --to <queue>',
  );
  expect(sqsMock.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
});

it('refuses to redrive a queue that is not a dead-letter queue', async () => {
  queues(0);
  await expect(redrive(sqs, { queue: 'notify-prod-email', prefix: 'notify-prod' })).rejects.toThrow(
    'notify-prod-email is not a dead-letter queue (its redrive policy sends to notify-prod-email-dlq)',
  );
  expect(sqsMock.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  expect(sqsMock.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
});
