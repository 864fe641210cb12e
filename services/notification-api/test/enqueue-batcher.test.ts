import type { SendMessageBatchRequestEntry, SendMessageBatchResult } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  EnqueueBatcher,
  EnqueueError,
  messageSize,
  type BatchReport,
  type SendBatch,
} from '../src/enqueue-batcher.ts';

type Call = SendMessageBatchRequestEntry[];

/** A send function that acknowledges every entry unless told otherwise. */
function fakeSend(
  respond?: (entries: Call, callIndex: number) => SendMessageBatchResult | Error | undefined,
) {
  const calls: Call[] = [];
  const send: SendBatch = async (entries) => {
    calls.push(entries);
    const answer = respond?.(entries, calls.length - 1) ?? {
      Successful: entries.map((e) => ({
        Id: e.Id,
        MessageId: `mid-${calls.length - 1}-${e.Id}`,
        MD5OfMessageBody: '',
      })),
      Failed: [],
    };
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { send, calls };
}

const msg = (body: string) => ({ body });

describe('enqueue batcher', () => {
  afterEach(() => jest.useRealTimers());

  it('coalesces concurrent enqueues into one SendMessageBatch with index ids', async () => {
    const { send, calls } = fakeSend();
    const batcher = new EnqueueBatcher({ send, maxBatch: 10, maxInFlight: 4, lingerMs: 5 });
    const results = await Promise.all(['a', 'b', 'c'].map((b) => batcher.enqueue(msg(b))));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual([
      { Id: '0', MessageBody: 'a' },
      { Id: '1', MessageBody: 'b' },
      { Id: '2', MessageBody: 'c' },
    ]);
    expect(results).toEqual([
      { messageId: 'mid-0-0' },
      { messageId: 'mid-0-1' },
      { messageId: 'mid-0-2' },
    ]);
  });

  it('sends a full batch at once and splits beyond maxBatch', async () => {
    const { send, calls } = fakeSend();
    const batcher = new EnqueueBatcher({ send, maxBatch: 10, maxInFlight: 4, lingerMs: 10_000 });
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => batcher.enqueue(msg(`m${i}`))).slice(0, 20),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(calls.map((c) => c.length)).toEqual([10, 10]);
    await batcher.flush();
    expect(calls.map((c) => c.length)).toEqual([10, 10, 5]);
  });

  it('waits for the linger before sending a partial batch', async () => {
    jest.useFakeTimers();
    const { send, calls } = fakeSend();
    const batcher = new EnqueueBatcher({ send, maxBatch: 10, maxInFlight: 4, lingerMs: 50 });
    const p1 = batcher.enqueue(msg('a'));
    jest.advanceTimersByTime(30);
    const p2 = batcher.enqueue(msg('b'));
    jest.advanceTimersByTime(19);
    expect(calls).toHaveLength(0);
    expect(batcher.pendingCount).toBe(2);
    jest.advanceTimersByTime(1);
    await Promise.all([p1, p2]);
    expect(calls).toEqual([
      [
        { Id: '0', MessageBody: 'a' },
        { Id: '1', MessageBody: 'b' },
      ],
    ]);
  });

  it('keeps every batch under the byte limit', async () => {
    const { send, calls } = fakeSend();
    const batcher = new EnqueueBatcher({
      send,
      maxBatch: 10,
      maxInFlight: 4,
      lingerMs: 5,
      maxBatchBytes: 1000,
    });
    const bodies = [400, 400, 400, 100, 900, 50].map((n, i) => String(i).repeat(n));
    await Promise.all(bodies.map((b) => batcher.enqueue(msg(b))));
    const sizes = calls.map((c) =>
      c.reduce((sum, e) => sum + Buffer.byteLength(e.MessageBody ?? ''), 0),
    );
    expect(sizes.every((s) => s <= 1000)).toBe(true);
    expect(calls.map((c) => c.length)).toEqual([2, 2, 2]);
    // Order is kept across the split.
    expect(calls.flat().map((e) => e.MessageBody)).toEqual(bodies);
  });

  it('counts attributes in the size, as SQS does', () => {
    expect(
      messageSize({
        body: 'ab',
        attributes: { requestId: { DataType: 'String', StringValue: 'xyz' } },
      }),
    ).toBe(2 + 'requestId'.length + 'String'.length + 3);
  });

  it('fails only the entry SQS rejected', async () => {
    const { send } = fakeSend((entries) => ({
      Successful: entries
        .filter((e) => e.MessageBody !== 'bad')
        .map((e) => ({ Id: e.Id, MessageId: `ok-${e.Id}`, MD5OfMessageBody: '' })),
      Failed: entries
        .filter((e) => e.MessageBody === 'bad')
        .map((e) => ({ Id: e.Id, SenderFault: false, Code: 'InternalError' })),
    }));
    const reports: BatchReport[] = [];
    const batcher = new EnqueueBatcher({
      send,
      maxBatch: 10,
      maxInFlight: 4,
      lingerMs: 5,
      onBatch: (r) => reports.push(r),
    });
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((b) => batcher.enqueue(msg(b))));
    expect(results[0]).toEqual({ status: 'fulfilled', value: { messageId: 'ok-0' } });
    expect(results[2]).toEqual({ status: 'fulfilled', value: { messageId: 'ok-2' } });
    expect(results[1].status).toBe('rejected');
    const error = (results[1] as PromiseRejectedResult).reason as EnqueueError;
    expect(error).toBeInstanceOf(EnqueueError);
    expect(error).toMatchObject({ kind: 'entry_failed', sqsCode: 'InternalError' });
    expect(reports).toEqual([expect.objectContaining({ size: 3, failedEntries: 1 })]);
  });

  it('fails an entry SQS did not report on, instead of calling it queued', async () => {
    const { send } = fakeSend((entries) => ({
      Successful: [{ Id: entries[0].Id, MessageId: 'only-first', MD5OfMessageBody: '' }],
      Failed: [],
    }));
    const batcher = new EnqueueBatcher({ send, maxBatch: 10, maxInFlight: 4, lingerMs: 5 });
    const results = await Promise.allSettled(['a', 'b'].map((b) => batcher.enqueue(msg(b))));
    expect(results[0].status).toBe('fulfilled');
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ kind: 'no_result' });
  });

  it('fails the whole batch when the call fails, and only that batch', async () => {
    const { send, calls } = fakeSend((_entries, callIndex) =>
      callIndex === 0 ? new Error('connect ECONNREFUSED') : undefined,
    );
    const batcher = new EnqueueBatcher({ send, maxBatch: 2, maxInFlight: 4, lingerMs: 5 });
    const results = await Promise.allSettled(['a', 'b', 'c'].map((b) => batcher.enqueue(msg(b))));
    expect(calls).toHaveLength(2);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    const error = (results[0] as PromiseRejectedResult).reason as EnqueueError;
    expect(error.kind).toBe('batch_failed');
    expect((error.cause as Error).message).toBe('connect ECONNREFUSED');
  });

  it('flush sends pending entries now and waits for calls in flight', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { send: ack, calls } = fakeSend();
    const send: SendBatch = async (entries) => {
      await gate;
      return ack(entries);
    };
    const batcher = new EnqueueBatcher({ send, maxBatch: 10, maxInFlight: 4, lingerMs: 60_000 });
    const pending = batcher.enqueue(msg('a'));
    let flushed = false;
    const flushing = batcher.flush().then(() => (flushed = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toHaveLength(0);
    expect(flushed).toBe(false);
    release();
    await flushing;
    expect(calls).toHaveLength(1);
    await expect(pending).resolves.toEqual({ messageId: 'mid-0-0' });
    // After a flush (shutdown) nothing lingers any more.
    await batcher.enqueue(msg('late'));
    expect(calls).toHaveLength(2);
  });

  it('works with the real SQS client command (aws-sdk-client-mock)', async () => {
    const sqsMock = mockClient(SQSClient);
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: Call }) => ({
      Successful: input.Entries.map((e) => ({
        Id: e.Id,
        MessageId: `sqs-${e.Id}`,
        MD5OfMessageBody: '',
      })),
      Failed: [],
    }));
    const sqs = new SQSClient({ region: 'us-east-1' });
    const batcher = new EnqueueBatcher({
      send: (entries) =>
        sqs.send(new SendMessageBatchCommand({ QueueUrl: 'http://q', Entries: entries })),
      maxBatch: 10,
      maxInFlight: 4,
      lingerMs: 2,
    });
    await expect(
      Promise.all([
        batcher.enqueue({
          body: 'x',
          attributes: { requestId: { DataType: 'String', StringValue: 'r1' } },
        }),
        batcher.enqueue({ body: 'y' }),
      ]),
    ).resolves.toEqual([{ messageId: 'sqs-0' }, { messageId: 'sqs-1' }]);
    const input = sqsMock.commandCalls(SendMessageBatchCommand)[0].args[0].input;
    expect(input.Entries?.[0]).toEqual({
      Id: '0',
      MessageBody: 'x',
      MessageAttributes: { requestId: { DataType: 'String', StringValue: 'r1' } },
    });
    sqsMock.restore();
  });

  it('group commit: a lone entry leaves at once, and batches fill while every slot is busy', async () => {
    const gates: (() => void)[] = [];
    const { send: ack } = fakeSend();
    const calls: Call[] = [];
    let inFlight = 0;
    let maxSeen = 0;
    const send: SendBatch = async (entries) => {
      calls.push(entries);
      inFlight += 1;
      maxSeen = Math.max(maxSeen, inFlight);
      await new Promise<void>((r) => gates.push(r));
      inFlight -= 1;
      return ack(entries);
    };
    const batcher = new EnqueueBatcher({ send, maxBatch: 10, maxInFlight: 1 });
    const first = batcher.enqueue(msg('lone'));
    // No linger: the call starts at the end of the turn, with the single entry.
    await new Promise((r) => setImmediate(r));
    expect(calls.map((c) => c.length)).toEqual([1]);
    // 25 arrive while the only slot is busy: none leaves until it frees.
    const rest = Array.from({ length: 25 }, (_, i) => batcher.enqueue(msg(`m${i}`)));
    expect(batcher.pendingCount).toBe(25);
    while (calls.length < 4 || gates.length > 0) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    await Promise.all([first, ...rest]);
    expect(calls.map((c) => c.length)).toEqual([1, 10, 10, 5]);
    expect(maxSeen).toBe(1);
  });

  it('never has more than maxInFlight calls under way', async () => {
    let inFlight = 0;
    let maxSeen = 0;
    const { send: ack } = fakeSend();
    const send: SendBatch = async (entries) => {
      inFlight += 1;
      maxSeen = Math.max(maxSeen, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      return ack(entries);
    };
    const batcher = new EnqueueBatcher({ send, maxBatch: 10, maxInFlight: 3 });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => batcher.enqueue(msg(`m${i}`))),
    );
    expect(results).toHaveLength(200);
    expect(maxSeen).toBe(3);
  });

  it('rejects invalid settings', () => {
    const { send } = fakeSend();
    expect(() => new EnqueueBatcher({ send, maxBatch: 11, maxInFlight: 4, lingerMs: 1 })).toThrow(
      RangeError,
    );
    expect(() => new EnqueueBatcher({ send, maxBatch: 0, maxInFlight: 4, lingerMs: 1 })).toThrow(
      RangeError,
    );
    expect(() => new EnqueueBatcher({ send, maxBatch: 10, maxInFlight: 0 })).toThrow(RangeError);
  });
});
