// Drill 9: SQS and DynamoDB accept the API's connections and never answer (the usual way a
// network dependency fails). Every request still gets its answer within the dependency
// deadline, 503 with Retry-After; nothing refused is queued; an Idempotency-Key retried through
// the outage never yields a second email, even when SQS took the message and only its answer
// was lost; and the same process takes traffic again when the dependency answers.
import {
  accepted,
  checkLedger,
  DRILL_API_TIMEOUTS,
  postMany,
  postNotification,
  startDrillStack,
  waitUntilSettled,
  type DrillStack,
} from '../support/drill-stack.ts';
import { startCuttableProxy, type CuttableProxy } from '../support/cuttable-proxy.ts';

jest.setTimeout(60_000);

// SQS: 2 attempts x 500 ms + 1 s backoff; an attempt that may have queued is never retried.
const SQS_CALL_MS = 2 * 500 + 1_000;
// DynamoDB: 2 attempts x 300 ms + 1 s backoff.
const DYNAMODB_CALL_MS = 2 * 300 + 1_000;
/** Scheduling slack on a shared 2-core machine. */
const SLACK_MS = 1_500;

let stack: DrillStack;
let sqsLink: CuttableProxy;
let dynamoLink: CuttableProxy;

beforeAll(async () => {
  stack = await startDrillStack('drill-api-hung');
  sqsLink = await startCuttableProxy(stack.sqsUrl);
  dynamoLink = await startCuttableProxy(stack.emulators.env.AWS_ENDPOINT_URL_DYNAMODB);
});

afterAll(async () => {
  await sqsLink?.close();
  await dynamoLink?.close();
  await stack?.stop();
});

async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await call();
  return { value, ms: Date.now() - started };
}

it('answers 503 within the deadline while SQS hangs, and one key never becomes two emails', async () => {
  const api = await stack.startApi({ sqsEndpoint: sqsLink.url, env: DRILL_API_TIMEOUTS });
  await stack.startWorker();
  const before = accepted(await postMany(api.url, 'hung-before-', 5));
  expect(before).toHaveLength(5);

  sqsLink.hang();
  const during = await timed(() => postMany(api.url, 'hung-during-', 6, { concurrency: 6 }));
  expect(during.value.map((o) => o.status)).toEqual(Array(6).fill(503));
  for (const o of during.value) {
    expect(o.errorCode).toBe('QUEUE_UNAVAILABLE');
    expect(o.retryAfter).toMatch(/^[1-9][0-9]*$/);
  }
  expect(during.ms).toBeLessThan(SQS_CALL_MS + SLACK_MS);
  const ready = await timed(() => fetch(`${api.url}/readyz`));
  expect(ready.value.status).toBe(503);
  expect(ready.ms).toBeLessThan(2_000 + SLACK_MS);

  // SQS takes the message, its answer is lost: the API cannot know, so the key is spent.
  sqsLink.hang({ forwardRequests: true });
  const key = { 'Idempotency-Key': 'drill-hung-key' };
  const first = await timed(() => postNotification(api.url, 'hung-key', 'drill@example.com', key));
  expect(first.value.status).toBe(503);
  expect(first.ms).toBeLessThan(SQS_CALL_MS + SLACK_MS);
  const retryDuring = await postNotification(api.url, 'hung-key', 'drill@example.com', key);
  expect(retryDuring.errorCode).toBe('IDEMPOTENCY_KEY_OUTCOME_UNKNOWN');

  sqsLink.restore();
  let after = await postMany(api.url, 'hung-after-', 5);
  const recoverBy = Date.now() + 10_000;
  while (!after.every((o) => o.status === 202) && Date.now() < recoverBy) {
    await new Promise((r) => setTimeout(r, 200));
    after = await postMany(api.url, 'hung-after-', 5);
  }
  expect(after.every((o) => o.status === 202)).toBe(true);
  const retryAfter = await postNotification(api.url, 'hung-key', 'drill@example.com', key);
  expect(retryAfter.status).toBe(409);
  expect(retryAfter.errorCode).toBe('IDEMPOTENCY_KEY_OUTCOME_UNKNOWN');

  const subjects = [...before, ...accepted(after), 'hung-key'];
  await waitUntilSettled(stack, subjects, 20_000);
  const ledger = await checkLedger(stack, subjects);
  const wrongly = await checkLedger(
    stack,
    during.value.map((o) => o.subject),
  );
  console.log(
    `drill api sqs hung: 6 requests answered 503 in ${during.ms} ms, keyed retry ` +
      `${retryAfter.errorCode}, ${ledger.delivered.length}/${subjects.length} delivered, ` +
      `${ledger.duplicates} duplicates, ${sqsLink.stats().hung} connections hung`,
  );
  expect(ledger.lost).toEqual([]);
  expect(ledger.duplicates).toBe(0);
  expect(wrongly.delivered).toEqual([]);
});

it('answers 503 (IDEMPOTENCY_UNAVAILABLE, STATUS_UNAVAILABLE) within the deadline while DynamoDB hangs', async () => {
  const api = await stack.startApi({ dynamodbEndpoint: dynamoLink.url, env: DRILL_API_TIMEOUTS });
  dynamoLink.hang();
  const key = { 'Idempotency-Key': 'drill-dynamo-key' };
  const hung = await timed(() => postNotification(api.url, 'dynamo-key', 'drill@example.com', key));
  expect(hung.value.status).toBe(503);
  expect(hung.value.errorCode).toBe('IDEMPOTENCY_UNAVAILABLE');
  expect(hung.ms).toBeLessThan(DYNAMODB_CALL_MS + SLACK_MS);
  // Requests without a key still write their status record first: no record, nothing queued.
  const unkeyed = await timed(() => postNotification(api.url, 'dynamo-nokey-hung'));
  expect(unkeyed.value.status).toBe(503);
  expect(unkeyed.value.errorCode).toBe('STATUS_UNAVAILABLE');
  expect(unkeyed.ms).toBeLessThan(DYNAMODB_CALL_MS + SLACK_MS);

  dynamoLink.restore();
  expect((await postNotification(api.url, 'dynamo-nokey')).status).toBe(202);
  const retry = await postNotification(api.url, 'dynamo-key', 'drill@example.com', key);
  expect(retry.status).toBe(202);
  const replay = await postNotification(api.url, 'dynamo-key', 'drill@example.com', key);
  expect(replay.status).toBe(202);

  const subjects = ['dynamo-key', 'dynamo-nokey'];
  await waitUntilSettled(stack, subjects, 20_000);
  const ledger = await checkLedger(stack, subjects);
  const wrongly = await checkLedger(stack, ['dynamo-nokey-hung']);
  console.log(
    `drill api dynamodb hung: 503 in ${hung.ms} ms (unkeyed ${unkeyed.ms} ms), retry ` +
      `${retry.status}, replay ${replay.status}, ${ledger.duplicates} duplicates`,
  );
  expect(ledger.lost).toEqual([]);
  expect(ledger.duplicates).toBe(0);
  expect(wrongly.delivered).toEqual([]);
});
