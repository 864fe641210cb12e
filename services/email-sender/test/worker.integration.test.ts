// The worker against the real emulators (fauxqs SQS, aws-ses-v2-local SES v2), with a
// fault-injecting proxy in front of SES (and of SQS for the outage test).
import { randomUUID } from 'node:crypto';
import type { Message } from '@aws-sdk/client-sqs';
import {
  isSesSendEmail,
  startFaultProxy,
  type FaultProxy,
  type LocalResources,
} from '@notify/local-stack';
import {
  clearSentEmails,
  drainQueue,
  enqueue,
  makeEnvelope,
  queueCounts,
  sentEmails,
  startTestStack,
  waitFor,
  type TestStack,
} from './support/local-stack.ts';
import {
  startWorker,
  TEST_SENDER,
  type HarnessOptions,
  type RunningWorker,
} from './support/worker-harness.ts';

jest.setTimeout(40_000);

let stack: TestStack;
let ses: FaultProxy;
let resources: LocalResources;
let running: RunningWorker | undefined;

beforeAll(async () => {
  stack = await startTestStack();
  ses = await startFaultProxy({ target: stack.sesUrl });
});

afterAll(async () => {
  await ses?.close();
  await stack?.stop();
});

beforeEach(async () => {
  resources = await stack.provision();
  await clearSentEmails(stack.sesUrl);
  ses.setPlan({ match: isSesSendEmail });
  ses.resetStats();
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function run(overrides: Partial<HarnessOptions> = {}): Promise<RunningWorker> {
  running = await startWorker({
    sqsEndpoint: stack.sqsUrl,
    sesEndpoint: ses.url,
    queueUrl: resources.queueUrl,
    dlqUrl: resources.dlqUrl,
    ...overrides,
  });
  return running;
}

async function status(worker: RunningWorker) {
  const res = await fetch(`${worker.opsUrl}/status`);
  return (await res.json()) as Record<string, unknown>;
}

const attr = (m: Message, name: string) => m.MessageAttributes?.[name]?.StringValue;

async function waitForQueueEmpty(queueUrl: string) {
  await waitFor('main queue empty', async () => {
    const c = await queueCounts(stack.sqs, queueUrl);
    return c.visible === 0 && c.notVisible === 0;
  });
}

it('sends a queued envelope with the right from, recipients, subject and bodies, then deletes it', async () => {
  const envelope = makeEnvelope(
    {
      to: ['jane@example.com', 'joe@example.com'],
      cc: ['carol@example.com'],
      bcc: ['audit@example.com'],
      replyTo: ['support@example.com'],
      subject: 'Your order 42 — shipped',
      text: 'Plain body ✓',
      html: '<p>HTML body ✓</p>',
    },
    { reference: 'order-42' },
  );
  await enqueue(stack.sqs, resources.queueUrl, envelope);
  const worker = await run();

  const [email] = await waitFor('email in the SES store', async () => {
    const emails = await sentEmails(stack.sesUrl);
    return emails.length > 0 ? emails : undefined;
  });
  expect(email).toMatchObject({
    from: TEST_SENDER,
    replyTo: ['support@example.com'],
    destination: {
      to: ['jane@example.com', 'joe@example.com'],
      cc: ['carol@example.com'],
      bcc: ['audit@example.com'],
    },
    subject: 'Your order 42 — shipped',
    body: { text: 'Plain body ✓', html: '<p>HTML body ✓</p>' },
  });
  await waitForQueueEmpty(resources.queueUrl);
  await waitFor('status shows it sent', async () => (await status(worker)).sent === 1);
  expect(await status(worker)).toMatchObject({
    inFlight: 0,
    failedAttempts: 0,
    failedMessages: 0,
    deadLettered: 0,
    ready: true,
  });
  expect(await fetch(`${worker.opsUrl}/healthz`).then((r) => r.status)).toBe(200);
  expect(await fetch(`${worker.opsUrl}/readyz`).then((r) => r.status)).toBe(200);

  const logText = JSON.stringify(worker.logs());
  expect(logText).toContain(envelope.id);
  expect(logText).not.toContain('jane@example.com');
  const emf = worker.logs().filter((l) => l._aws !== undefined);
  const metricNames = emf.flatMap((l) => Object.keys(l));
  expect(metricNames).toEqual(
    expect.arrayContaining(['Sent', 'SesLatency', 'ProcessingTime', 'QueueLag']),
  );
});

it('holds more than 10 messages in flight when SES is slow, and never more than MAX_IN_FLIGHT', async () => {
  ses.setPlan({ match: isSesSendEmail, delayMs: 1_200 });
  const envelopes = Array.from({ length: 30 }, (_, i) => makeEnvelope({ subject: `m${i}` }));
  await Promise.all(envelopes.map((e) => enqueue(stack.sqs, resources.queueUrl, e)));
  await run({ settings: { pollers: 3, maxInFlight: 25 } });

  await waitFor('30 emails', async () => (await sentEmails(stack.sesUrl)).length >= 30, 20_000);
  const stats = ses.stats();
  expect(stats.maxInFlight).toBeGreaterThan(10);
  expect(stats.maxInFlight).toBeLessThanOrEqual(25);
  const subjects = new Set((await sentEmails(stack.sesUrl)).map((e) => e.subject));
  expect(subjects.size).toBe(30);
  await waitForQueueEmpty(resources.queueUrl);
});

it('moves poison messages of every kind to the DLQ with the reason and keeps going', async () => {
  const valid = makeEnvelope();
  const poison: Array<[string, string]> = [
    ['not json', 'not JSON'],
    [JSON.stringify({ ...makeEnvelope(), v: 2 }), 'unsupported envelope version 2'],
    [JSON.stringify({ v: 1, id: randomUUID() }), 'invalid envelope'],
    [JSON.stringify(makeEnvelope({ text: 'x'.repeat(100 * 1024) })), 'at most'],
    [JSON.stringify(makeEnvelope({ to: ['not-an-address'] })), 'email.to.0'],
    [JSON.stringify(makeEnvelope({ subject: 'a\r\nBcc: x@evil.example' })), 'CR or LF'],
  ];
  for (const [body] of poison) await enqueue(stack.sqs, resources.queueUrl, body);
  await enqueue(stack.sqs, resources.queueUrl, valid);
  const worker = await run();

  await waitFor('valid email sent', async () => (await sentEmails(stack.sesUrl)).length === 1);
  await waitFor('all poison dead-lettered', async () => (await status(worker)).deadLettered === 6);
  await waitForQueueEmpty(resources.queueUrl);
  const dead = await drainQueue(stack.sqs, resources.dlqUrl);
  expect(dead).toHaveLength(6);
  for (const [body, reason] of poison) {
    const moved = dead.find((m) => m.Body === body);
    expect(moved).toBeDefined();
    expect(attr(moved as Message, 'failure-kind')).toBe('poison');
    expect(attr(moved as Message, 'failure-reason')).toContain(reason);
    expect(attr(moved as Message, 'source-message-id')).toMatch(/.+/);
    expect(attr(moved as Message, 'receive-count')).toBe('1');
  }
  expect(await status(worker)).toMatchObject({ sent: 1, failedAttempts: 6, failedMessages: 6 });
});

it('moves a permanently rejected message to the DLQ at once with the SES reason', async () => {
  ses.setPlan({ match: isSesSendEmail, sequence: ['reject'] });
  const envelope = makeEnvelope();
  await enqueue(stack.sqs, resources.queueUrl, envelope);
  const worker = await run();

  await waitFor('dead-lettered', async () => (await status(worker)).deadLettered === 1);
  await waitForQueueEmpty(resources.queueUrl);
  const [moved] = await drainQueue(stack.sqs, resources.dlqUrl);
  expect(JSON.parse(moved.Body ?? '')).toMatchObject({ id: envelope.id });
  expect(attr(moved, 'failure-kind')).toBe('permanent');
  expect(attr(moved, 'failure-reason')).toMatch(/^MessageRejected \(HTTP 400\): Email address/);
  expect(await sentEmails(stack.sesUrl)).toHaveLength(0);
  expect(ses.stats().matched).toBe(1);
  expect(await status(worker)).toMatchObject({ failedAttempts: 1, failedMessages: 1 });
  const failed = worker.logs().find((l) => l.Failed === 1);
  expect(failed).toMatchObject({ Reason: 'permanent' });
});

it('retries after throttling and a 500 from SES, slows down, and delivers exactly once', async () => {
  ses.setPlan({ match: isSesSendEmail, sequence: ['throttle', 'server-error'] });
  await enqueue(stack.sqs, resources.queueUrl, makeEnvelope({ subject: 'eventually' }));
  const worker = await run({ settings: { ratePerSecond: 20 } });

  await waitFor(
    'delivered after retries',
    async () => (await sentEmails(stack.sesUrl)).length === 1,
  );
  await waitForQueueEmpty(resources.queueUrl);
  const s = await status(worker);
  expect(s).toMatchObject({
    sent: 1,
    retried: 2,
    // Two attempts failed, but the one message was delivered: no message failed.
    failedAttempts: 2,
    failedMessages: 0,
    deadLettered: 0,
  });
  expect(s.ratePerSecond).toBeLessThan(20);
  expect(ses.stats().faults).toEqual({ throttle: 1, 'server-error': 1 });
  expect(await drainQueue(stack.sqs, resources.dlqUrl)).toHaveLength(0);
});

it('on the last allowed receive moves a still-failing message to the DLQ with "retries exhausted"', async () => {
  ses.setPlan({ match: isSesSendEmail, share: { 'server-error': 1 } });
  await enqueue(stack.sqs, resources.queueUrl, makeEnvelope());
  const worker = await run({ settings: { maxReceiveCount: 2 } });

  await waitFor('dead-lettered', async () => (await status(worker)).deadLettered === 1, 15_000);
  const [moved] = await drainQueue(stack.sqs, resources.dlqUrl);
  expect(attr(moved, 'failure-kind')).toBe('retries-exhausted');
  expect(attr(moved, 'failure-reason')).toMatch(
    /^retries exhausted: InternalServiceErrorException/,
  );
  expect(attr(moved, 'receive-count')).toBe('2');
  expect(ses.stats().matched).toBe(2);
});

it('stops sending while the account is paused, reports not ready, and resumes by itself', async () => {
  ses.setPlan({ match: isSesSendEmail, sequence: ['sending-paused'] });
  await enqueue(stack.sqs, resources.queueUrl, makeEnvelope({ subject: 'after pause' }));
  const worker = await run({ settings: { accountPauseProbeSeconds: 2 } });

  await waitFor('readyz 503 while paused', async () => {
    const res = await fetch(`${worker.opsUrl}/readyz`);
    const body = (await res.json()) as { status: string };
    return res.status === 503 && body.status === 'account paused';
  });
  expect(await sentEmails(stack.sesUrl)).toHaveLength(0);
  await waitFor(
    'delivered after resume',
    async () => (await sentEmails(stack.sesUrl)).length === 1,
  );
  await waitFor('ready again', async () => (await fetch(`${worker.opsUrl}/readyz`)).status === 200);
  expect(await status(worker)).toMatchObject({ sent: 1, deadLettered: 0, accountPaused: false });
  await waitForQueueEmpty(resources.queueUrl);
});

it('extends visibility while a send is slower than the visibility timeout (no duplicate send)', async () => {
  ses.setPlan({ match: isSesSendEmail, delayMs: 3_500 });
  await enqueue(stack.sqs, resources.queueUrl, makeEnvelope());
  await run({ settings: { visibilityTimeoutSeconds: 2 } });

  await waitFor('delivered', async () => (await sentEmails(stack.sesUrl)).length === 1, 10_000);
  await waitForQueueEmpty(resources.queueUrl);
  expect(ses.stats().matched).toBe(1);
});

it('reports not ready while the queue is unreachable, backs off, and recovers by itself', async () => {
  const sqsProxy = await startFaultProxy({ target: stack.sqsUrl, plan: { share: { reset: 1 } } });
  try {
    const port = new URL(stack.sqsUrl).port;
    const viaProxy = (url: string) => url.replace(`:${port}/`, `:${sqsProxy.port}/`);
    const worker = await run({
      sqsEndpoint: sqsProxy.url,
      queueUrl: viaProxy(resources.queueUrl),
      dlqUrl: viaProxy(resources.dlqUrl),
      sqsMaxAttempts: 1,
    });

    await waitFor('readyz 503', async () => {
      const res = await fetch(`${worker.opsUrl}/readyz`);
      return (
        res.status === 503 &&
        ((await res.json()) as { status: string }).status === 'queue unreachable'
      );
    });
    expect((await fetch(`${worker.opsUrl}/healthz`)).status).toBe(200);
    const failuresBefore = sqsProxy.stats().faults.reset ?? 0;
    await new Promise((r) => setTimeout(r, 1_500));
    // Backing off: two pollers, delays growing towards 10 s, so only a handful of attempts.
    expect((sqsProxy.stats().faults.reset ?? 0) - failuresBefore).toBeLessThan(12);

    sqsProxy.setPlan({});
    await enqueue(stack.sqs, resources.queueUrl, makeEnvelope({ subject: 'after outage' }));
    await waitFor(
      'ready again',
      async () => (await fetch(`${worker.opsUrl}/readyz`)).status === 200,
      20_000,
    );
    await waitFor('delivered', async () => (await sentEmails(stack.sesUrl)).length === 1, 15_000);
    await running?.stop();
    running = undefined;
  } finally {
    await sqsProxy.close();
  }
});
