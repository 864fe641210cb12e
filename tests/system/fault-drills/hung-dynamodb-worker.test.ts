// Drill: the status table accepts the worker's connections and never answers. The status
// consumer's writes end at their call deadline (DYNAMODB_ATTEMPT_TIMEOUT_MS ×
// DYNAMODB_MAX_ATTEMPTS plus backoff), each SES event stays on the events queue and comes back
// after its visibility timeout, the consumer goes on receiving (redeliveries and new events
// alike), nothing reaches the events DLQ, and once the table answers every status is applied
// without a restart. The worker's own status write for a message it gives up ends at the same
// deadline: the message is in the DLQ with its reason and off the email queue all the same.
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { callDeadlineMs } from '@notify/shared';
import { DEV_CLIENT_ID as CLIENT, isSesSendEmail } from '@notify/local-stack';
import {
  drainQueue,
  queueCounts,
  waitFor,
} from '../../../services/email-sender/test/support/local-stack.ts';
import { startCuttableProxy, type CuttableProxy } from '../support/cuttable-proxy.ts';
import { startStatusPipeline, type StatusPipeline } from '../support/status-pipeline-stack.ts';

jest.setTimeout(90_000);

const ATTEMPT_TIMEOUT_MS = 200;
const MAX_ATTEMPTS = 2;
/** 2 × 200 ms + 1 s of backoff: the longest one status-store call may take. */
const CALL_DEADLINE_MS = callDeadlineMs(ATTEMPT_TIMEOUT_MS, MAX_ATTEMPTS);
/** Short, so a redelivery comes within the drill (the local default is 30 s, AWS's 60 s). */
const EVENTS_VISIBILITY_SECONDS = 2;
const APPLY_FAILED = 'could not apply a status event; it will come back';

let pipeline: StatusPipeline;
let tableLink: CuttableProxy;

beforeAll(async () => {
  pipeline = await startStatusPipeline(async (resources, stack) => {
    tableLink = await startCuttableProxy(stack.emulators.env.AWS_ENDPOINT_URL_DYNAMODB);
    await stack.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: resources.eventsQueueUrl,
        Attributes: { VisibilityTimeout: String(EVENTS_VISIBILITY_SECONDS) },
      }),
    );
    // Only the worker goes through the link; the drill reads and seeds the table directly.
    return {
      AWS_ENDPOINT_URL_DYNAMODB: tableLink.url,
      DYNAMODB_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
      DYNAMODB_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    };
  });
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
  await tableLink?.close();
});

interface LogLine {
  msg?: string;
  time?: string;
  messageId?: string;
  notificationId?: string;
}

function workerLines(): LogLine[] {
  return pipeline.worker
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** The consumer's failed applies for one notification, counted per SQS message. */
function failedApplies(id: string): { first?: LogLine; perMessage: Map<string, number> } {
  const lines = workerLines().filter((l) => l.msg === APPLY_FAILED && l.notificationId === id);
  const perMessage = new Map<string, number>();
  for (const l of lines) perMessage.set(l.messageId!, (perMessage.get(l.messageId!) ?? 0) + 1);
  return { first: lines[0], perMessage };
}

const depth = async (queueUrl: string) => {
  const { visible, notVisible } = await queueCounts(pipeline.stack.sqs, queueUrl);
  return visible + notVisible;
};

it('leaves events on the queue while DynamoDB hangs, keeps polling, and applies them once it answers', async () => {
  const { store, submit, resources } = pipeline;
  tableLink.hang();
  const first = await submit(['success@simulator.amazonses.com']);
  await waitFor('a failed apply', async () => failedApplies(first).first, 15_000);

  // Events that arrive after a failed batch are received and tried too.
  const second = await submit(['success@simulator.amazonses.com']);
  await waitFor(
    'an event of the first tried again, and one of the second tried',
    async () =>
      [...failedApplies(first).perMessage.values()].some((n) => n >= 2) &&
      failedApplies(second).first !== undefined,
    15_000,
  );

  // Each write ended at its call deadline, counted from the send whose events it applies.
  const sent = workerLines().find((l) => l.msg === 'email sent' && l.notificationId === first);
  const failedAfterMs = Date.parse(failedApplies(first).first!.time!) - Date.parse(sent!.time!);
  expect(failedAfterMs).toBeLessThan(CALL_DEADLINE_MS + 1_000);
  // Nothing applied, nothing deleted, nothing dead-lettered.
  expect((await store.get(CLIENT, first))?.status).toBe('queued');
  expect((await store.get(CLIENT, second))?.status).toBe('queued');
  expect(await depth(resources.eventsQueueUrl)).toBeGreaterThanOrEqual(4);
  expect(await depth(resources.eventsDlqUrl)).toBe(0);
  expect(tableLink.stats().hung).toBeGreaterThan(0);

  tableLink.restore();
  for (const id of [first, second]) {
    // Send and Delivery may come back in different receives: wait for both.
    const timeline = await waitFor(
      `both events of ${id} applied`,
      async () => {
        const events = await store.events(CLIENT, id);
        return events?.length === 2 ? events : undefined;
      },
      20_000,
    );
    expect(timeline.map((e) => e.type).sort()).toEqual(['delivery', 'send']);
    const record = await store.get(CLIENT, id);
    expect(record?.status).toBe('delivered');
    expect(record?.sesMessageId).toMatch(/^ses-/);
  }
  await waitFor(
    'the events queue empty',
    async () => (await depth(resources.eventsQueueUrl)) === 0,
  );
  expect(await depth(resources.eventsDlqUrl)).toBe(0);
  console.log(
    `drill dynamodb hung: a write failed ${failedAfterMs} ms after its send (deadline ` +
      `${CALL_DEADLINE_MS} ms), events redelivered ${JSON.stringify([
        ...failedApplies(first).perMessage.values(),
      ])} times before the table answered, ${tableLink.stats().hung} connections hung`,
  );
});

it("ends the worker's own status write for a message given up at its deadline", async () => {
  const { store, submit, resources, faults, stack } = pipeline;
  tableLink.hang();
  faults.setPlan({ match: isSesSendEmail, sequence: ['reject'] });
  try {
    const id = await submit(['jane@example.com']);
    const failed = await waitFor(
      'the give-up write to fail',
      async () =>
        workerLines().find(
          (l) =>
            l.msg === 'could not record the status of a message given up' &&
            l.notificationId === id,
        ),
      15_000,
    );
    const moved = workerLines().find(
      (l) => l.msg === 'message moved to the dead-letter queue' && l.notificationId === id,
    );
    const writeMs = Date.parse(failed.time!) - Date.parse(moved!.time!);
    expect(writeMs).toBeLessThan(CALL_DEADLINE_MS + 1_000);
    await waitFor('the email queue empty', async () => (await depth(resources.queueUrl)) === 0);
    const dead = (await drainQueue(stack.sqs, resources.dlqUrl)).filter(
      (m) => (JSON.parse(m.Body ?? '{}') as { id?: string }).id === id,
    );
    expect(dead.map((m) => m.MessageAttributes?.['failure-kind']?.StringValue)).toEqual([
      'permanent',
    ]);
    // The status was not recorded: the DLQ copy is what an operator redrives (README).
    expect((await store.get(CLIENT, id))?.status).toBe('queued');
    console.log(`drill dynamodb hung: the give-up's status write failed after ${writeMs} ms`);
  } finally {
    faults.setPlan({});
    tableLink.restore();
  }
});
