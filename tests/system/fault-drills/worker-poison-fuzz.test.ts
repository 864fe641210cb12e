// Bad input on the worker side, property-based: arbitrary message bodies (not JSON, any JSON,
// envelopes with one field broken or removed, wrong versions, oversized texts) put straight on
// the queue. The worker process must keep going and each message must end where the shared
// envelope contract says: valid ones delivered, every other one in the dead-letter queue as
// poison with its reason. The valid envelope put after them all proves the worker still works.
import { randomUUID } from 'node:crypto';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { parseEnvelope } from '@notify/shared';
import {
  deliveredSubjects,
  startDrillStack,
  waitUntilSettled,
  workerStatus,
  type DrillStack,
} from '../support/drill-stack.ts';

jest.setTimeout(90_000);

let stack: DrillStack;

beforeAll(async () => {
  stack = await startDrillStack('drill-poison');
});

afterAll(async () => {
  await stack?.stop();
});

const validEnvelope = (subject: string) => ({
  v: 1,
  id: randomUUID(),
  createdAt: new Date().toISOString(),
  requestId: `req-${randomUUID().slice(0, 8)}`,
  email: {
    to: ['poison-drill@example.com'],
    cc: [],
    bcc: [],
    replyTo: [],
    subject,
    text: 'valid body',
  },
});

/** An envelope with one field replaced by an arbitrary value or removed. */
const brokenEnvelope = fc
  .tuple(
    fc.constantFrom('v', 'id', 'createdAt', 'requestId', 'email', 'to', 'subject', 'text', 'extra'),
    fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
  )
  .map(([field, value]) => {
    const envelope: Record<string, unknown> = validEnvelope(`fuzz-${randomUUID()}`);
    const email = envelope.email as Record<string, unknown>;
    const holder = ['to', 'subject', 'text'].includes(field) ? email : envelope;
    if (value === undefined) delete holder[field];
    else holder[field] = value;
    return JSON.stringify(envelope);
  });

/** Characters fauxqs accepts in a message body (SQS also takes astral ones; fauxqs does not). */
const sqsAllowed = (code: number) =>
  code === 0x9 ||
  code === 0xa ||
  code === 0xd ||
  (code >= 0x20 && code <= 0xd7ff) ||
  (code >= 0xe000 && code <= 0xfffd);
const sqsSafe = (text: string) =>
  [...text].map((c) => (sqsAllowed(c.codePointAt(0) ?? 0) ? c : '?')).join('') || 'empty';

const body = fc.oneof(
  fc.string({ maxLength: 200 }).map(sqsSafe),
  fc.string({ unit: 'binary', maxLength: 100 }).map(sqsSafe),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  brokenEnvelope,
  fc.integer({ min: 0, max: 5 }).map((v) => JSON.stringify({ ...validEnvelope('version'), v })),
  fc.constant(
    JSON.stringify({
      ...validEnvelope('oversized'),
      email: { ...validEnvelope('x').email, text: 'x'.repeat(120 * 1024) },
    }),
  ),
);

it('delivers the valid, dead-letters every other body as poison with a reason, and keeps going', async () => {
  const bodies = fc.sample(body.map(sqsSafe), { numRuns: 60, seed: 20261122 });
  const sent: Array<{ messageId: string; body: string; valid: boolean; subject?: string }> = [];
  for (const messageBody of bodies) {
    const out = await stack.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.resources.queueUrl, MessageBody: messageBody }),
    );
    const parsed = parseEnvelope(messageBody);
    sent.push({
      messageId: out.MessageId ?? '',
      body: messageBody,
      valid: parsed.ok,
      ...(parsed.ok ? { subject: parsed.envelope.email.subject } : {}),
    });
  }
  const last = validEnvelope(`after-poison-${randomUUID()}`);
  await stack.sqs.send(
    new SendMessageCommand({
      QueueUrl: stack.resources.queueUrl,
      MessageBody: JSON.stringify(last),
    }),
  );
  const poison = sent.filter((s) => !s.valid);
  const valid = sent.filter((s) => s.valid);
  expect(poison.length).toBeGreaterThan(40);

  const worker = await stack.startWorker();
  const subjects = [...valid.map((s) => s.subject ?? ''), last.email.subject];
  // Poison messages have no deliverable subject; settle on the queue being empty.
  await waitUntilSettled(stack, subjects, 30_000);
  const deadline = Date.now() + 15_000;
  while ((await workerStatus(worker)).deadLettered < poison.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }

  const delivered = await deliveredSubjects(stack.sesUrl);
  expect(delivered).toContain(last.email.subject);
  expect(delivered).toHaveLength(valid.length + 1);

  const dead = new Map<string, { kind?: string; reason?: string }>();
  for (;;) {
    const out = await stack.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.resources.dlqUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    if (!out.Messages?.length) break;
    for (const m of out.Messages) {
      const source = m.MessageAttributes?.['source-message-id']?.StringValue ?? '';
      dead.set(source, {
        kind: m.MessageAttributes?.['failure-kind']?.StringValue,
        reason: m.MessageAttributes?.['failure-reason']?.StringValue,
      });
    }
  }
  const missing = poison.filter((p) => !dead.has(p.messageId)).map((p) => p.body.slice(0, 80));
  expect(missing).toEqual([]);
  for (const p of poison) {
    const entry = dead.get(p.messageId);
    expect(entry?.kind).toBe('poison');
    expect(entry?.reason).toEqual(expect.stringMatching(/\S/));
  }
  expect(dead.size).toBe(poison.length);
  const status = await workerStatus(worker);
  expect(status.ready).toBe(true);
  console.log(
    `worker poison fuzz: ${poison.length} poison dead-lettered with a reason, ` +
      `${valid.length + 1} valid delivered`,
  );
});
