import {
  DeleteMessageBatchCommand,
  SQSClient,
  type DeleteMessageBatchCommandInput,
  type DeleteMessageBatchCommandOutput,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchDeleter } from '../src/batch-deleter.ts';
import { captureLogger } from './support/local-stack.ts';

const sqsMock = mockClient(SQSClient);
const queueUrl = 'http://127.0.0.1:1/000000000000/q';

beforeEach(() => sqsMock.reset());

function deleter(onFailed?: (n: number) => void) {
  const { logger, lines } = captureLogger();
  const d = new BatchDeleter({ sqs: new SQSClient({}), queueUrl, logger, lingerMs: 10, onFailed });
  return { d, lines };
}

/** Answers every entry as deleted. */
function allDeleted(input: DeleteMessageBatchCommandInput): DeleteMessageBatchCommandOutput {
  return {
    Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id })),
    Failed: [],
    $metadata: {},
  };
}

/** DeleteMessageBatch calls that stay open until the test answers them, oldest first. */
function heldCalls() {
  const open: Array<() => void> = [];
  sqsMock
    .on(DeleteMessageBatchCommand)
    .callsFake(
      (input: DeleteMessageBatchCommandInput) =>
        new Promise((resolve) => open.push(() => resolve(allDeleted(input)))),
    );
  const sizes = () =>
    sqsMock.commandCalls(DeleteMessageBatchCommand).map((c) => c.args[0].input.Entries?.length);
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    sizes,
    get open() {
      return open.length;
    },
    async answerNext() {
      open.shift()?.();
      await settle();
    },
    settle,
  };
}

describe('BatchDeleter', () => {
  it('sends a lone delete at the end of its turn when no call is in flight: no linger by default', async () => {
    const calls = heldCalls();
    const { logger } = captureLogger();
    const d = new BatchDeleter({ sqs: new SQSClient({}), queueUrl, logger });
    const result = d.delete('rh-0', { messageId: 'm-0' });
    // No timer: the call leaves when the current turn ends.
    await calls.settle();
    expect(calls.sizes()).toEqual([1]);
    await calls.answerNext();
    await expect(result).resolves.toBe(true);
  });

  it('fills the next batch while every call slot is busy, 10 receipts at most', async () => {
    const calls = heldCalls();
    const { logger } = captureLogger();
    const d = new BatchDeleter({ sqs: new SQSClient({}), queueUrl, logger, maxInFlight: 1 });
    const results = [d.delete('rh-0', { messageId: 'm-0' })];
    await calls.settle();
    for (let i = 1; i <= 13; i += 1) results.push(d.delete(`rh-${i}`, { messageId: `m-${i}` }));
    await calls.settle();
    expect(calls.sizes()).toEqual([1]);
    expect(d.inFlightCount).toBe(1);
    await calls.answerNext();
    expect(calls.sizes()).toEqual([1, 10]);
    await calls.answerNext();
    expect(calls.sizes()).toEqual([1, 10, 3]);
    await calls.answerNext();
    await expect(Promise.all(results)).resolves.toEqual(results.map(() => true));
    const receipts = sqsMock
      .commandCalls(DeleteMessageBatchCommand)
      .flatMap((c) => c.args[0].input.Entries?.map((e) => e.ReceiptHandle));
    expect(receipts).toEqual(Array.from({ length: 14 }, (_, i) => `rh-${i}`));
  });

  it('keeps at most maxInFlight calls open (default 2)', async () => {
    const calls = heldCalls();
    const { logger } = captureLogger();
    const d = new BatchDeleter({ sqs: new SQSClient({}), queueUrl, logger });
    // Deletes from separate turns: each finds a free slot until both are busy.
    const results: Promise<boolean>[] = [];
    for (let i = 0; i < 2; i += 1) {
      results.push(d.delete(`rh-${i}`, { messageId: `${i}` }));
      await calls.settle();
    }
    for (let i = 2; i < 5; i += 1) results.push(d.delete(`rh-${i}`, { messageId: `${i}` }));
    await calls.settle();
    expect(calls.sizes()).toEqual([1, 1]);
    expect(calls.open).toBe(2);
    await calls.answerNext();
    expect(calls.sizes()).toEqual([1, 1, 3]);
    await calls.answerNext();
    await calls.answerNext();
    await expect(Promise.all(results)).resolves.toEqual([true, true, true, true, true]);
  });

  it('sends up to 10 receipts per DeleteMessageBatch', async () => {
    sqsMock.on(DeleteMessageBatchCommand).callsFake((input) => ({
      Successful: input.Entries.map((e: { Id: string }) => ({ Id: e.Id })),
      Failed: [],
    }));
    const { d } = deleter();
    const results = await Promise.all(
      Array.from({ length: 23 }, (_, i) => d.delete(`rh-${i}`, { messageId: `m-${i}` })),
    );
    expect(results.every(Boolean)).toBe(true);
    const calls = sqsMock.commandCalls(DeleteMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls[0].args[0].input.QueueUrl).toBe(queueUrl);
    expect(calls.flatMap((c) => c.args[0].input.Entries?.map((e) => e.ReceiptHandle))).toEqual(
      Array.from({ length: 23 }, (_, i) => `rh-${i}`),
    );
  });

  it('reports the Failed entries of a partial failure, and only those', async () => {
    sqsMock.on(DeleteMessageBatchCommand).resolves({
      Successful: [{ Id: '0' }, { Id: '2' }],
      Failed: [{ Id: '1', Code: 'ReceiptHandleIsInvalid', SenderFault: true, Message: 'expired' }],
    });
    const failedCounts: number[] = [];
    const { d, lines } = deleter((n) => failedCounts.push(n));
    const results = await Promise.all([
      d.delete('a', { messageId: 'm-a' }),
      d.delete('b', { messageId: 'm-b', notificationId: 'n-b' }),
      d.delete('c', { messageId: 'm-c' }),
    ]);
    expect(results).toEqual([true, false, true]);
    expect(d.failedCount).toBe(1);
    expect(failedCounts).toEqual([1]);
    expect(lines()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        messageId: 'm-b',
        notificationId: 'n-b',
        code: 'ReceiptHandleIsInvalid',
      }),
    );
  });

  it('retries a call that failed as a whole, so an SQS blip does not cause duplicates', async () => {
    sqsMock
      .on(DeleteMessageBatchCommand)
      .rejectsOnce(new Error('connect ECONNREFUSED'))
      .rejectsOnce(new Error('connect ECONNREFUSED'))
      .resolves({ Successful: [{ Id: '0' }], Failed: [] });
    const { logger } = captureLogger();
    const d = new BatchDeleter({
      sqs: new SQSClient({}),
      queueUrl,
      logger,
      lingerMs: 1,
      retryBaseMs: 5,
    });
    await expect(d.delete('a', { messageId: 'a' })).resolves.toBe(true);
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(3);
    expect(d.failedCount).toBe(0);
  });

  it('gives up after the retry window, and at once while flushing for shutdown', async () => {
    sqsMock.on(DeleteMessageBatchCommand).rejects(new Error('network down'));
    const { logger } = captureLogger();
    const d = new BatchDeleter({
      sqs: new SQSClient({}),
      queueUrl,
      logger,
      lingerMs: 1,
      retryBaseMs: 10,
      retryWindowMs: 50,
    });
    await expect(d.delete('a', { messageId: 'a' })).resolves.toBe(false);
    const attempts = sqsMock.commandCalls(DeleteMessageBatchCommand).length;
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThan(6);

    sqsMock.resetHistory();
    const pending = d.delete('b', { messageId: 'b' });
    await d.flush();
    await expect(pending).resolves.toBe(false);
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(1);
  });

  it('counts every entry as failed when the whole call fails, without throwing', async () => {
    sqsMock.on(DeleteMessageBatchCommand).rejects(new Error('network down'));
    const { logger } = captureLogger();
    const d = new BatchDeleter({
      sqs: new SQSClient({}),
      queueUrl,
      logger,
      lingerMs: 10,
      retryWindowMs: 0,
    });
    const results = await Promise.all([
      d.delete('a', { messageId: 'a' }),
      d.delete('b', { messageId: 'b' }),
    ]);
    expect(results).toEqual([false, false]);
    expect(d.failedCount).toBe(2);
  });

  it('counts the retry window from when a receipt was queued, not from when its call began', async () => {
    let now = 0;
    let releaseFirst: () => void = () => undefined;
    sqsMock
      .on(DeleteMessageBatchCommand)
      .callsFakeOnce(
        (input: DeleteMessageBatchCommandInput) =>
          new Promise((resolve) => (releaseFirst = () => resolve(allDeleted(input)))),
      )
      .rejects(new Error('network down'));
    const { logger } = captureLogger();
    const d = new BatchDeleter({
      sqs: new SQSClient({}),
      queueUrl,
      logger,
      maxInFlight: 1,
      retryBaseMs: 10,
      retryWindowMs: 50,
      now: () => now,
    });
    const first = d.delete('a', { messageId: 'a' });
    await new Promise((resolve) => setImmediate(resolve));
    // Queued at 0 behind a busy slot; its call only starts at 100, past the 50 ms window.
    const second = d.delete('b', { messageId: 'b' });
    now = 100;
    releaseFirst();
    await expect(first).resolves.toBe(true);
    await expect(second).resolves.toBe(false);
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(2);
  });

  it('flush() ends a retry backoff at once, so a drain does not wait for it', async () => {
    sqsMock.on(DeleteMessageBatchCommand).rejects(new Error('network down'));
    const { logger } = captureLogger();
    const d = new BatchDeleter({
      sqs: new SQSClient({}),
      queueUrl,
      logger,
      retryBaseMs: 60_000,
      retryWindowMs: 600_000,
    });
    const pending = d.delete('a', { messageId: 'a' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(1);
    const started = Date.now();
    await d.flush();
    await expect(pending).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(d.failedCount).toBe(1);
  });

  it('flush() sends what is pending without waiting for the linger', async () => {
    sqsMock.on(DeleteMessageBatchCommand).resolves({ Successful: [{ Id: '0' }], Failed: [] });
    const { logger } = captureLogger();
    const d = new BatchDeleter({ sqs: new SQSClient({}), queueUrl, logger, lingerMs: 60_000 });
    const pending = d.delete('a', { messageId: 'a' });
    await d.flush();
    await expect(pending).resolves.toBe(true);
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(1);
  });
});
