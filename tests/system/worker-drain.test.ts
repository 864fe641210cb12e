// `node services/email-sender/src/main.ts` as ECS runs it, stopped with SIGTERM mid-work: it
// must exit 0 quickly, finish the sends under way, and hand every other message back to the
// queue at once (visible, not stuck invisible until the visibility timeout).
import { join } from 'node:path';
import {
  isSesSendEmail,
  startFaultProxy,
  type FaultProxy,
  freePort,
  startNodeProcess,
  waitForHttp,
  type ManagedProcess,
} from '@notify/local-stack';
import {
  drainQueue,
  enqueue,
  makeEnvelope,
  queueCounts,
  sentEmails,
  startTestStack,
  waitFor,
  type TestStack,
} from '../../services/email-sender/test/support/local-stack.ts';

jest.setTimeout(60_000);

const MAIN = join(__dirname, '..', '..', 'services', 'email-sender', 'src', 'main.ts');

let stack: TestStack;
let ses: FaultProxy;
let worker: ManagedProcess | undefined;

beforeAll(async () => {
  stack = await startTestStack();
  ses = await startFaultProxy({ target: stack.sesUrl });
});

afterAll(async () => {
  await worker?.stop('SIGKILL');
  await ses?.close();
  await stack?.stop();
});

it('drains on SIGTERM: exits 0, finishes sends under way, releases the rest at once', async () => {
  // A long visibility timeout: a message the worker failed to release would stay hidden.
  const resources = await stack.provision({ visibilityTimeoutSeconds: 60 });
  ses.setPlan({ match: isSesSendEmail, delayMs: 1_500 });
  const subjects = Array.from({ length: 40 }, (_, i) => `drain-${i}`);
  await Promise.all(
    subjects.map((subject) => enqueue(stack.sqs, resources.queueUrl, makeEnvelope({ subject }))),
  );
  const opsPort = await freePort();
  worker = startNodeProcess({
    name: 'email-sender',
    args: [MAIN],
    env: {
      ...stack.emulators.env,
      AWS_ENDPOINT_URL_SESV2: ses.url,
      QUEUE_URL: resources.queueUrl,
      DLQ_URL: resources.dlqUrl,
      EMAIL_FROM: 'Notify <notifications@example.com>',
      OPS_HOST: '127.0.0.1',
      OPS_PORT: String(opsPort),
      POLLERS: '2',
      MAX_IN_FLIGHT: '20',
      WAIT_TIME_SECONDS: '2',
      VISIBILITY_TIMEOUT_SECONDS: '60',
      SEND_RATE_PER_SECOND: '4',
      SHUTDOWN_TIMEOUT_MS: '10000',
      LOG_LEVEL: 'info',
    },
  });
  await waitForHttp(`http://127.0.0.1:${opsPort}/readyz`, 200, 15_000);
  // Sends under way at SES, and messages held that have not started (waiting for rate tokens).
  await waitFor('sends under way', async () => ses.stats().inFlight >= 3, 10_000, 20);
  const status = (await fetch(`http://127.0.0.1:${opsPort}/status`).then((r) => r.json())) as {
    inFlight: number;
  };
  expect(status.inFlight).toBeGreaterThan(ses.stats().inFlight);

  const stoppedAt = Date.now();
  worker.child.kill('SIGTERM');
  const code = await worker.exited;
  const drainMs = Date.now() - stoppedAt;

  expect(code).toBe(0);
  expect(drainMs).toBeLessThan(8_000);
  expect(worker.output()).toContain('released unsent message (draining)');
  // Every send that reached SES finished and none is still open.
  expect(ses.stats().inFlight).toBe(0);
  const delivered = (await sentEmails(stack.sesUrl)).map((e) => e.subject);
  expect(delivered.length).toBe(ses.stats().forwarded);
  expect(delivered.length).toBeGreaterThanOrEqual(3);

  // Nothing stuck invisible, nothing lost: each message is either delivered or back in the queue.
  const counts = await queueCounts(stack.sqs, resources.queueUrl);
  expect(counts.notVisible).toBe(0);
  const remaining = (await drainQueue(stack.sqs, resources.queueUrl)).map(
    (m) => (JSON.parse(m.Body ?? '{}') as { email: { subject: string } }).email.subject,
  );
  expect(new Set([...delivered, ...remaining])).toEqual(new Set(subjects));
  expect(delivered.length + remaining.length).toBe(subjects.length);
  expect(await drainQueue(stack.sqs, resources.dlqUrl)).toHaveLength(0);
});

it('drains at once while a poller pauses for RECEIVE_BATCH_WAIT_MS', async () => {
  const resources = await stack.provision({ visibilityTimeoutSeconds: 60 });
  ses.setPlan({ match: isSesSendEmail });
  const subjects = ['batch-wait-0', 'batch-wait-1', 'batch-wait-2'];
  await Promise.all(
    subjects.map((subject) => enqueue(stack.sqs, resources.queueUrl, makeEnvelope({ subject }))),
  );
  const opsPort = await freePort();
  worker = startNodeProcess({
    name: 'email-sender-batch-wait',
    args: [MAIN],
    env: {
      ...stack.emulators.env,
      AWS_ENDPOINT_URL_SESV2: ses.url,
      QUEUE_URL: resources.queueUrl,
      DLQ_URL: resources.dlqUrl,
      EMAIL_FROM: 'Notify <notifications@example.com>',
      OPS_HOST: '127.0.0.1',
      OPS_PORT: String(opsPort),
      // One poller with short polls: after each receive (never full here) it pauses for 2 s, so
      // the SIGTERM lands in a pause, and nothing else polls.
      POLLERS: '1',
      WAIT_TIME_SECONDS: '0',
      RECEIVE_BATCH_WAIT_MS: '2000',
      SEND_RATE_PER_SECOND: '100',
      SHUTDOWN_TIMEOUT_MS: '10000',
      LOG_LEVEL: 'info',
    },
  });
  await waitForHttp(`http://127.0.0.1:${opsPort}/readyz`, 200, 15_000);
  await waitFor(
    'the three sends',
    async () =>
      (await sentEmails(stack.sesUrl)).filter((e) => e.subject.startsWith('batch-wait')).length ===
      3,
    10_000,
    20,
  );

  const stoppedAt = Date.now();
  worker.child.kill('SIGTERM');
  const code = await worker.exited;
  const drainMs = Date.now() - stoppedAt;

  expect(code).toBe(0);
  // Well under the 2 s pause the poller was in.
  expect(drainMs).toBeLessThan(900);
  expect(worker.output()).toContain('"receiveBatchWaitMs":2000');
  const counts = await queueCounts(stack.sqs, resources.queueUrl);
  expect(counts).toMatchObject({ visible: 0, notVisible: 0 });
});
