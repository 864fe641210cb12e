// The status consumer's decisions per message, and the worker's give-up events, with an
// in-process SQS stand-in and store: applied and ignored events are deleted, a malformed one
// is released for the redrive and never deleted, a store error leaves the event on the queue.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ApplyOutcome, EventGroupResult, MetricsEmitter, StatusEvent } from '@notify/shared';
import { StatusConsumer } from '../../src/status/consumer.ts';
import { GaveUpRecorder, gaveUpEvent } from '../../src/status/gave-up.ts';
import { captureLogger } from '../support/local-stack.ts';

const fixture = (name: string) =>
  readFileSync(
    join(__dirname, '..', '..', '..', 'shared', 'test', 'status', 'fixtures', `${name}.json`),
    'utf8',
  );

interface Call {
  command: string;
  input: Record<string, unknown>;
}

/** Hands out the given bodies on the first receive, then empty receives; records every call. */
function fakeSqs(bodies: string[]) {
  const calls: Call[] = [];
  let served = false;
  const sqs = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      calls.push({ command: command.constructor.name, input: command.input });
      if (command.constructor.name === 'ReceiveMessageCommand') {
        if (served) {
          await sleep(5);
          return { Messages: [] };
        }
        served = true;
        return {
          Messages: bodies.map((Body, i) => ({ MessageId: `m${i}`, ReceiptHandle: `r${i}`, Body })),
        };
      }
      return {};
    },
  };
  return { sqs: sqs as unknown as SQSClient, calls };
}

const metrics = (): MetricsEmitter & { seen: Array<[string, Record<string, string>]> } => {
  const seen: Array<[string, Record<string, string>]> = [];
  return {
    seen,
    emit: (m, d = {}) => Object.keys(m).forEach((name) => seen.push([name, d])),
    flush: () => undefined,
    close: () => undefined,
  };
};

const FIRST = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const OTHER = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
/** A fixture event of another notification than the fixtures' own (FIRST). */
const forOther = (name: string) => fixture(name).replaceAll(FIRST, OTHER);

/**
 * The store applies each event of a group in turn with `apply` (a throw fails that group
 * alone, as StatusStore's record write does); `groups` records the groups, `batches` the calls.
 */
async function runOnce(bodies: string[], apply: (e: StatusEvent) => Promise<ApplyOutcome>) {
  const { sqs, calls } = fakeSqs(bodies);
  const m = metrics();
  const applied: StatusEvent[] = [];
  const groups: StatusEvent[][] = [];
  let batches = 0;
  const consumer = new StatusConsumer({
    sqs,
    queueUrl: 'http://127.0.0.1:1/q',
    store: {
      async applyEventBatch(batch) {
        batches += 1;
        return Promise.all(
          batch.map(async (events): Promise<EventGroupResult> => {
            groups.push(events);
            try {
              const outcomes: ApplyOutcome[] = [];
              for (const e of events) {
                applied.push(e);
                outcomes.push(await apply(e));
              }
              return { ok: true, outcomes };
            } catch (error) {
              return { ok: false, error };
            }
          }),
        );
      },
    },
    logger: captureLogger().logger,
    metrics: m,
    waitTimeSeconds: 0,
  });
  consumer.start();
  await sleep(50);
  await consumer.stop();
  return { calls, applied, groups, batches, metrics: m.seen };
}

const deleted = (calls: Call[]) =>
  calls
    .filter((c) => c.command === 'DeleteMessageBatchCommand')
    .flatMap((c) => (c.input.Entries as { ReceiptHandle: string }[]).map((e) => e.ReceiptHandle));
const released = (calls: Call[]) =>
  calls
    .filter((c) => c.command === 'ChangeMessageVisibilityCommand')
    .map((c) => [c.input.ReceiptHandle, c.input.VisibilityTimeout]);

it('applies events, deletes them and the ignored ones, releases the malformed one', async () => {
  const ignored = JSON.stringify({ ...JSON.parse(fixture('delivery')), source: 'aws.other' });
  const {
    calls,
    applied,
    metrics: seen,
  } = await runOnce(
    [fixture('bounce-permanent-general'), ignored, 'not json', fixture('complaint')],
    async (e) =>
      e.type === 'bounce'
        ? {
            outcome: 'applied',
            transitions: [{ address: 'recipient@example.com', from: 'sent', to: 'bounced' }],
            record: {} as never,
          }
        : { outcome: 'unchanged' },
  );
  expect(applied.map((e) => e.type)).toEqual(['bounce', 'complaint']);
  expect(deleted(calls).sort()).toEqual(['r0', 'r1', 'r3']);
  expect(released(calls)).toEqual([['r2', 0]]);
  expect(seen).toEqual(
    expect.arrayContaining([
      ['StatusEvents', { EventType: 'bounce' }],
      ['StatusEvents', { EventType: 'ignored' }],
      ['StatusEvents', { EventType: 'malformed' }],
      ['StatusEvents', { EventType: 'complaint' }],
      ['StatusTransitions', { To: 'bounced' }],
    ]),
  );
});

it('keeps every event of a notification on the queue when the store failed them', async () => {
  const { calls } = await runOnce(
    [fixture('send'), fixture('delivery'), forOther('send')],
    async (e) => {
      if (e.notificationId === FIRST && e.type === 'delivery') throw new Error('throttled');
      return { outcome: 'unchanged' };
    },
  );
  expect(deleted(calls)).toEqual(['r2']);
});

it('leaves an event the store could not apply on the queue (retried by visibility)', async () => {
  const { calls } = await runOnce([fixture('delivery'), forOther('send')], async (e) => {
    if (e.type === 'delivery') throw new Error('ProvisionedThroughputExceededException');
    return { outcome: 'unknown_notification' };
  });
  expect(deleted(calls)).toEqual(['r1']);
  expect(released(calls)).toEqual([]);
});

it('hands a batch to the store in one call, one group per notification', async () => {
  const running = new Map<string, number>();
  let mostOfOne = 0;
  let mostOverall = 0;
  const { calls, applied, groups, batches } = await runOnce(
    [fixture('send'), forOther('send'), fixture('delivery'), forOther('delivery')],
    async (e) => {
      const now = (running.get(e.notificationId) ?? 0) + 1;
      running.set(e.notificationId, now);
      mostOfOne = Math.max(mostOfOne, now);
      mostOverall = Math.max(
        mostOverall,
        [...running.values()].reduce((a, b) => a + b, 0),
      );
      await sleep(5);
      running.set(e.notificationId, now - 1);
      return { outcome: 'unchanged' };
    },
  );
  expect(applied.map((e) => [e.notificationId, e.type])).toEqual(
    expect.arrayContaining([
      [FIRST, 'send'],
      [FIRST, 'delivery'],
      [OTHER, 'send'],
      [OTHER, 'delivery'],
    ]),
  );
  expect(applied).toHaveLength(4);
  // In the order received within one notification.
  expect(applied.filter((e) => e.notificationId === FIRST).map((e) => e.type)).toEqual([
    'send',
    'delivery',
  ]);
  expect(groups.map((g) => g.map((e) => [e.notificationId, e.type]))).toEqual(
    expect.arrayContaining([
      [
        [FIRST, 'send'],
        [FIRST, 'delivery'],
      ],
      [
        [OTHER, 'send'],
        [OTHER, 'delivery'],
      ],
    ]),
  );
  expect(groups).toHaveLength(2);
  expect(batches).toBe(1);
  expect(mostOfOne).toBe(1);
  expect(mostOverall).toBe(2);
  expect(deleted(calls).sort()).toEqual(['r0', 'r1', 'r2', 'r3']);
});

it('on stop, waits for one store call: the events of a batch share it', async () => {
  // Three events of one notification and one of another; the store call takes as long as a
  // hung table's call deadline. Applied one by one, the drain would wait for four of them.
  const WRITE_MS = 300;
  const { sqs, calls } = fakeSqs([
    fixture('send'),
    fixture('delivery'),
    forOther('send'),
    fixture('delivery-delay'),
  ]);
  let started = 0;
  const seenGroups: number[][] = [];
  const consumer = new StatusConsumer({
    sqs,
    queueUrl: 'http://127.0.0.1:1/q',
    store: {
      applyEventBatch: async (groups) => {
        started += 1;
        seenGroups.push(groups.map((g) => g.length));
        await sleep(WRITE_MS);
        return groups.map((g) => ({ ok: true, outcomes: g.map(() => ({ outcome: 'unchanged' })) }));
      },
    },
    logger: captureLogger().logger,
    metrics: metrics(),
    waitTimeSeconds: 0,
  });
  consumer.start();
  while (started === 0) await sleep(5);
  const stopping = performance.now();
  await consumer.stop();
  const stopMs = performance.now() - stopping;
  expect(started).toBe(1);
  expect(seenGroups).toEqual([[3, 1]]);
  expect(stopMs).toBeLessThan(2 * WRITE_MS);
  expect(deleted(calls).sort()).toEqual(['r0', 'r1', 'r2', 'r3']);
  expect(released(calls)).toEqual([]);
});

it('keeps two receives under way by default, so the writes of one batch do not stop the queue', async () => {
  let open = 0;
  let most = 0;
  const sqs = {
    async send(command: { constructor: { name: string } }) {
      if (command.constructor.name !== 'ReceiveMessageCommand') return {};
      open += 1;
      most = Math.max(most, open);
      await sleep(10);
      open -= 1;
      return { Messages: [] };
    },
  } as unknown as SQSClient;
  const consumer = new StatusConsumer({
    sqs,
    queueUrl: 'http://127.0.0.1:1/q',
    store: {
      applyEventBatch: async (groups) =>
        groups.map((g) => ({ ok: true, outcomes: g.map(() => ({ outcome: 'unchanged' })) })),
    },
    logger: captureLogger().logger,
    metrics: metrics(),
    waitTimeSeconds: 0,
  });
  consumer.start();
  await sleep(40);
  await consumer.stop();
  expect(most).toBe(2);
});

describe('worker give-ups', () => {
  const gaveUp = {
    notificationId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
    reason: 'MessageRejected (HTTP 400): Email address is not verified.',
    sourceMessageId: 'sqs-1',
  };
  const at = new Date('2026-12-07T10:00:00.000Z');

  it('a permanent error is rejected, not retryable; exhausted retries are failed', () => {
    expect(gaveUpEvent({ ...gaveUp, kind: 'permanent' }, at)).toEqual({
      eventId: 'worker-permanent-sqs-1',
      notificationId: gaveUp.notificationId,
      type: 'worker_gave_up',
      at: at.toISOString(),
      recipients: [],
      everyone: {
        status: 'rejected',
        reason: { code: 'message_rejected', retryable: false, detail: gaveUp.reason },
      },
    });
    expect(
      gaveUpEvent({ ...gaveUp, kind: 'permanent', reason: 'BadRequestException' }, at).everyone
        ?.reason?.code,
    ).toBe('send_refused');
    expect(
      gaveUpEvent({ ...gaveUp, kind: 'retries-exhausted', reason: 'retries exhausted: 500' }, at)
        .everyone,
    ).toEqual({
      status: 'failed',
      reason: { code: 'retries_exhausted', retryable: true, detail: 'retries exhausted: 500' },
    });
  });

  it('a store failure is logged and counted, never thrown', async () => {
    const { logger, lines } = captureLogger();
    const m = metrics();
    const recorder = new GaveUpRecorder({
      store: { applyEvent: async () => Promise.reject(new Error('dynamodb down')) },
      logger,
      metrics: m,
    });
    await expect(recorder.record({ ...gaveUp, kind: 'permanent' })).resolves.toBeUndefined();
    expect(m.seen).toEqual([['StatusWriteFailed', {}]]);
    expect(lines().map((l) => l.msg)).toContain(
      'could not record the status of a message given up',
    );
  });
});
