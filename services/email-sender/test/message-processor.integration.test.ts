// One message's fate with SQS mocked (no network): the decisions the integration tests cannot
// provoke on the emulators, such as the dead-letter queue refusing a message.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createMetrics } from '@notify/shared';
import { BatchDeleter } from '../src/batch-deleter.ts';
import { DeadLetter } from '../src/dead-letter.ts';
import { InFlightLimiter } from '../src/in-flight-limiter.ts';
import { MessageProcessor } from '../src/message-processor.ts';
import { RateLimiter } from '../src/rate-limiter.ts';
import { SendingGate } from '../src/sending-gate.ts';
import type { EmailSender, SendResult } from '../src/ses-adapter.ts';
import { WorkerStatus } from '../src/worker-status.ts';
import { captureLogger, makeEnvelope } from './support/local-stack.ts';

const sqsMock = mockClient(SQSClient);
beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(DeleteMessageBatchCommand).resolves({ Successful: [{ Id: '0' }], Failed: [] });
  sqsMock.on(ChangeMessageVisibilityCommand).resolves({});
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
});

function setup(result: SendResult, options: { maxReceiveCount?: number } = {}) {
  const { logger, lines } = captureLogger();
  const sqs = new SQSClient({ region: 'us-east-1' });
  const queueUrl = 'http://q';
  const limiter = new InFlightLimiter(10);
  const status = new WorkerStatus();
  const sender: EmailSender = {
    send: jest.fn(async () => result),
    probeSending: async () => 'enabled',
  };
  const gate = new SendingGate({ probeIntervalMs: 60_000, probe: async () => 'enabled' });
  const rateLimiter = new RateLimiter({ ratePerSecond: 100 });
  const drain = new AbortController();
  const processor = new MessageProcessor({
    sqs,
    queueUrl,
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: options.maxReceiveCount ?? 5,
    retry: { baseSeconds: 10, maxSeconds: 900 },
    sender,
    rateLimiter,
    gate,
    deleter: new BatchDeleter({ sqs, queueUrl, logger, lingerMs: 1 }),
    deadLetter: new DeadLetter({ sqs, dlqUrl: 'http://dlq', logger }),
    limiter,
    status,
    logger,
    metrics: createMetrics(logger, 'Test', {}),
    drainSignal: drain.signal,
    random: () => 1,
  });
  const handle = async (message: Message) => {
    await limiter.reserve(1);
    processor.handle(message);
    await limiter.whenIdle();
    await sleep(5);
  };
  return {
    handle,
    status,
    gate,
    sender,
    drain,
    lines,
    cleanup: () => (gate.close(), rateLimiter.close()),
  };
}

const message = (body: string, receiveCount = 1): Message => ({
  MessageId: 'm-1',
  ReceiptHandle: 'rh-1',
  Body: body,
  Attributes: {
    ApproximateReceiveCount: String(receiveCount),
    SentTimestamp: String(Date.now() - 250),
  },
});

const sent: SendResult = { kind: 'sent', sesMessageId: 's-1', latencyMs: 5 };

describe('MessageProcessor', () => {
  it('does not delete a poison message the dead-letter queue refused', async () => {
    sqsMock.on(SendMessageCommand).rejects(new Error('DLQ unavailable'));
    const t = setup(sent);
    await t.handle(message('not json'));
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
    expect(t.status.deadLettered).toBe(0);
    expect(t.lines()).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: 'could not finish handling a message; it will be delivered again',
      }),
    );
    t.cleanup();
  });

  it('hides a retryable failure for the backoff delay and does not delete it', async () => {
    const t = setup({
      kind: 'retryable',
      reason: 'InternalServiceErrorException (HTTP 500)',
      throttled: false,
      latencyMs: 3,
    });
    await t.handle(message(JSON.stringify(makeEnvelope()), 3));
    const change = sqsMock.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input);
    // receive 3, base 10 s, random 1 -> the ceiling 10 * 2^2
    expect(change).toEqual([
      { QueueUrl: 'http://q', ReceiptHandle: 'rh-1', VisibilityTimeout: 40 },
    ]);
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
    expect(t.status).toMatchObject({ retried: 1, failedAttempts: 1, failedMessages: 0 });
    t.cleanup();
  });

  it('on account pause, closes the gate and releases the message at once', async () => {
    const t = setup({ kind: 'account-paused', reason: 'SendingPausedException', latencyMs: 3 });
    await t.handle(message(JSON.stringify(makeEnvelope())));
    expect(t.gate.isOpen).toBe(false);
    const change = sqsMock.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input);
    expect(change).toEqual([expect.objectContaining({ VisibilityTimeout: 0 })]);
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
    t.cleanup();
  });

  it('releases instead of sending once draining has begun', async () => {
    const t = setup(sent);
    t.drain.abort(new Error('draining'));
    await t.handle(message(JSON.stringify(makeEnvelope())));
    expect(t.sender.send).not.toHaveBeenCalled();
    const change = sqsMock.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input);
    expect(change).toEqual([expect.objectContaining({ VisibilityTimeout: 0 })]);
    t.cleanup();
  });

  it.each<[string, SendResult]>([
    ['sent', sent],
    [
      'retryable',
      { kind: 'retryable', reason: 'ServiceUnavailable', throttled: false, latencyMs: 1 },
    ],
    ['permanent', { kind: 'permanent', reason: 'MessageRejected', latencyMs: 1 }],
    ['account-paused', { kind: 'account-paused', reason: 'SendingPausedException', latencyMs: 1 }],
  ])('puts the envelope requestId on every line about a %s message', async (_kind, result) => {
    const t = setup(result, { maxReceiveCount: 2 });
    const envelope = makeEnvelope();
    await t.handle(message(JSON.stringify(envelope)));
    const about = t.lines().filter((l) => l.messageId === 'm-1');
    expect(about.length).toBeGreaterThan(0);
    for (const line of about) {
      expect(line).toMatchObject({ requestId: envelope.requestId, notificationId: envelope.id });
    }
    t.cleanup();
  });

  it('takes the requestId from the SQS attribute for poison and a failed DLQ send', async () => {
    sqsMock.on(SendMessageCommand).rejectsOnce(new Error('DLQ unavailable'));
    const t = setup(sent);
    const poison: Message = {
      ...message('not json'),
      MessageAttributes: { requestId: { DataType: 'String', StringValue: 'req-from-attr' } },
    };
    await t.handle(poison);
    await t.handle(poison);
    const about = t.lines().filter((l) => l.messageId === 'm-1');
    expect(about.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        'could not finish handling a message; it will be delivered again',
        'message moved to the dead-letter queue',
      ]),
    );
    for (const line of about) expect(line.requestId).toBe('req-from-attr');
    t.cleanup();
  });

  const SANDBOX_REASON =
    'MessageRejected (HTTP 400): Email address is not verified. The following identities ' +
    'failed the check in region US-EAST-1: a@b.com, c@d.org';

  it('masks the addresses in an SES reason in the dead-letter attribute and every log line', async () => {
    const t = setup({ kind: 'permanent', reason: SANDBOX_REASON, latencyMs: 3 });
    await t.handle(message(JSON.stringify(makeEnvelope())));
    const [dlq] = sqsMock.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(dlq?.MessageAttributes?.['failure-reason']?.StringValue).toBe(
      'MessageRejected (HTTP 400): Email address is not verified. The following identities ' +
        'failed the check in region US-EAST-1: a***@b.com, c***@d.org',
    );
    const logged = JSON.stringify(t.lines());
    expect(logged).toContain('a***@b.com, c***@d.org');
    expect(logged).not.toMatch(/a@b\.com|c@d\.org/);
    t.cleanup();
  });

  it('masks the addresses in a retryable reason and an account pause reason in the logs', async () => {
    const retry = setup({
      kind: 'retryable',
      reason: SANDBOX_REASON,
      throttled: false,
      latencyMs: 3,
    });
    await retry.handle(message(JSON.stringify(makeEnvelope())));
    const pause = setup({ kind: 'account-paused', reason: SANDBOX_REASON, latencyMs: 3 });
    await pause.handle(message(JSON.stringify(makeEnvelope())));
    for (const t of [retry, pause]) {
      const logged = JSON.stringify(t.lines());
      expect(logged).toContain('a***@b.com, c***@d.org');
      expect(logged).not.toMatch(/a@b\.com|c@d\.org/);
      t.cleanup();
    }
  });

  it('emits QueueLag from the SentTimestamp and deletes a sent message', async () => {
    const t = setup(sent);
    await t.handle(message(JSON.stringify(makeEnvelope())));
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(1);
    const timing = t.lines().find((l) => l.ProcessingTime !== undefined);
    expect(timing?.QueueLag).toBeGreaterThanOrEqual(250);
    expect(timing?.SesLatency).toBe(5);
    t.cleanup();
  });
});
