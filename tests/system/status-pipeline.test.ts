// The status lifecycle on the local stack, through the real parts: the worker process sends
// through the SES event source to the SES emulator, the event source publishes what SES would
// (mailbox simulator) to the events queue, and the worker's status consumer writes the store.
// Each simulator address reaches its documented status; a permanent SendEmail error ends as
// `rejected` (written by the worker); a send SES keeps failing retryably ends as `failed`
// once the worker gives it up at MAX_RECEIVE_COUNT, with the message in the DLQ; a poison
// event lands in the events DLQ while the consumer keeps applying the events after it.
import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { StoredNotification } from '@notify/shared';
import { DEV_CLIENT_ID as CLIENT, isSesSendEmail } from '@notify/local-stack';
import {
  drainQueue,
  queueCounts,
  waitFor,
} from '../../services/email-sender/test/support/local-stack.ts';
import { startStatusPipeline, type StatusPipeline } from './support/status-pipeline-stack.ts';

jest.setTimeout(90_000);

let pipeline: StatusPipeline;
let stack: StatusPipeline['stack'];
let resources: StatusPipeline['resources'];
let faults: StatusPipeline['faults'];
let store: StatusPipeline['store'];
let worker: StatusPipeline['worker'];
let submit: StatusPipeline['submit'];

/** The worker's MAX_RECEIVE_COUNT, left at its default: the queue's redrive count (5). */
const MAX_RECEIVE_COUNT = 5;

beforeAll(async () => {
  // One second between retries, so a message that keeps failing is given up in seconds.
  pipeline = await startStatusPipeline(() => ({ RETRY_BASE_SECONDS: '1', RETRY_MAX_SECONDS: '1' }));
  ({ stack, resources, faults, store, worker, submit } = pipeline);
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
});

const settled = (id: string, done: (r: StoredNotification) => boolean) =>
  waitFor(
    `notification ${id} to settle`,
    async () => {
      const record = await store.get(CLIENT, id);
      return record !== undefined && done(record) ? record : undefined;
    },
    20_000,
    100,
  );

const final = (r: StoredNotification) =>
  r.recipients.every((p) =>
    ['delivered', 'bounced', 'suppressed', 'rejected', 'failed'].includes(p.status),
  );

it('a permanent SendEmail error ends as rejected, recorded by the worker', async () => {
  faults.setPlan({ match: isSesSendEmail, sequence: ['reject'] });
  const id = await submit(['jane@example.com']);
  const record = await settled(id, final);
  expect(record.status).toBe('rejected');
  expect(record.reason).toMatchObject({ code: 'message_rejected', retryable: false });
  const events = await store.events(CLIENT, id);
  expect(events?.map((e) => e.type)).toEqual(['worker_gave_up']);
});

it.each([
  ['answers 500 or 429', { 'server-error': 0.5, throttle: 0.5 }],
  ['drops the connection unanswered', { reset: 1 }],
] as const)(
  'a send SES keeps failing (%s) ends as failed at MAX_RECEIVE_COUNT, in the DLQ, recorded once',
  async (_, share) => {
    faults.resetStats();
    faults.setPlan({ match: isSesSendEmail, share });
    try {
      const id = await submit(['jane@example.com']);
      const record = await settled(id, final);
      expect(record.status).toBe('failed');
      expect(record.reason).toMatchObject({ code: 'retries_exhausted', retryable: true });
      expect(record.reason?.detail).toMatch(/^retries exhausted: /);
      expect(record.recipients).toEqual([
        expect.objectContaining({ address: 'jane@example.com', status: 'failed' }),
      ]);
      const events = await store.events(CLIENT, id);
      expect(events?.map((e) => e.type)).toEqual(['worker_gave_up']);
      // Every receive was one SendEmail, and SES never accepted one.
      expect(faults.stats().matched).toBe(MAX_RECEIVE_COUNT);
      expect(faults.stats().forwarded).toBe(0);

      // The message itself sits in the DLQ with the reason; the email queue holds nothing.
      const dead = (await drainQueue(stack.sqs, resources.dlqUrl)).filter(
        (m) => (JSON.parse(m.Body ?? '{}') as { id?: string }).id === id,
      );
      expect(dead).toHaveLength(1);
      const attributes = dead[0]!.MessageAttributes ?? {};
      expect(attributes['failure-kind']?.StringValue).toBe('retries-exhausted');
      expect(attributes['receive-count']?.StringValue).toBe(String(MAX_RECEIVE_COUNT));
      expect(attributes['failure-reason']?.StringValue).toBe(record.reason?.detail);
      expect(await queueCounts(stack.sqs, resources.queueUrl)).toEqual({
        visible: 0,
        notVisible: 0,
      });
    } finally {
      faults.setPlan({});
    }
  },
);

it.each([
  ['success@simulator.amazonses.com', 'delivered', undefined, false],
  ['ooto@simulator.amazonses.com', 'delivered', undefined, false],
  ['jane@example.com', 'delivered', undefined, false],
  ['bounce@simulator.amazonses.com', 'bounced', 'mailbox_does_not_exist', false],
  ['suppressionlist@simulator.amazonses.com', 'suppressed', 'on_suppression_list', false],
  ['complaint@simulator.amazonses.com', 'delivered', undefined, true],
])('%s reaches %s', async (address, status, reasonCode, complained) => {
  const id = await submit([address]);
  const record = await settled(
    id,
    (r) => final(r) && (!complained || r.complainedAt !== undefined),
  );
  expect(record.status).toBe(status);
  expect(record.reason?.code).toBe(reasonCode);
  expect(record.complainedAt !== undefined).toBe(complained);
  expect(record.sesMessageId).toMatch(/^ses-/);
});

it('keeps the status per recipient for an email to several', async () => {
  const to = ['success@simulator.amazonses.com', 'bounce@simulator.amazonses.com'];
  const id = await submit(to);
  const record = await settled(id, final);
  expect(record.recipients.map((r) => [r.address, r.status])).toEqual([
    [to[0], 'delivered'],
    [to[1], 'bounced'],
  ]);
  expect(record.status).toBe('delivered');
});

it('a poison event lands in the events DLQ; the consumer keeps applying the others', async () => {
  const poison = JSON.stringify({
    version: '0',
    id: randomUUID(),
    source: 'aws.ses',
    'detail-type': 'Email Delivered',
    detail: { eventType: 'Delivery', mail: { messageId: 'x' } },
  });
  await stack.sqs.send(
    new SendMessageCommand({ QueueUrl: resources.eventsQueueUrl, MessageBody: poison }),
  );
  const id = await submit(['success@simulator.amazonses.com']);
  expect((await settled(id, final)).status).toBe('delivered');
  const dead = await waitFor(
    'the poison event in the events DLQ',
    async () => {
      const messages = await drainQueue(stack.sqs, resources.eventsDlqUrl);
      return messages.length > 0 ? messages : undefined;
    },
    30_000,
    500,
  );
  expect(dead.map((m) => m.Body)).toEqual([poison]);
  expect(worker.output()).toContain('malformed SES event');
});
