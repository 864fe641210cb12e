// Drill 4: the queue becomes unreachable while the API takes traffic. Requests during the outage
// get 503 with Retry-After, never a 202 (a 202 would be a promise the API cannot keep); once the
// queue is back, the same API process accepts again, and every 202 is delivered.
import {
  accepted,
  checkLedger,
  postMany,
  startDrillStack,
  waitUntilSettled,
  type DrillStack,
} from '../support/drill-stack.ts';
import { startCuttableProxy, type CuttableProxy } from '../support/cuttable-proxy.ts';

jest.setTimeout(90_000);

let stack: DrillStack;
let link: CuttableProxy;

beforeAll(async () => {
  stack = await startDrillStack('drill-api-outage');
  link = await startCuttableProxy(stack.sqsUrl);
});

afterAll(async () => {
  await link?.close();
  await stack?.stop();
});

it('answers 503 with Retry-After and never 202 while SQS is cut off, then recovers by itself', async () => {
  const api = await stack.startApi({ sqsEndpoint: link.url });
  // The worker reaches SQS directly: only the API's path to the queue is cut.
  await stack.startWorker();

  const before = await postMany(api.url, 'before-', 30);
  expect(before.every((o) => o.status === 202)).toBe(true);

  link.cut();
  const during = await postMany(api.url, 'during-', 30);
  const statuses = [...new Set(during.map((o) => o.status))];
  expect(statuses).toEqual([503]);
  for (const outcome of during) {
    expect(outcome.retryAfter).toMatch(/^[1-9][0-9]*$/);
    expect(outcome.errorCode).toBe('QUEUE_UNAVAILABLE');
  }
  const readyDuring = await fetch(`${api.url}/readyz`);
  expect(readyDuring.status).toBe(503);

  link.restore();
  // No restart: the same process takes traffic again once its SQS connections work.
  let after = await postMany(api.url, 'after-', 30);
  const recoverBy = Date.now() + 15_000;
  while (!after.every((o) => o.status === 202) && Date.now() < recoverBy) {
    await new Promise((r) => setTimeout(r, 250));
    after = await postMany(api.url, 'after-', 30);
  }
  expect(after.every((o) => o.status === 202)).toBe(true);

  const subjects = [...accepted(before), ...accepted(after)];
  await waitUntilSettled(stack, subjects, 30_000);
  const ledger = await checkLedger(stack, subjects);
  const wrongly = await checkLedger(
    stack,
    during.map((o) => o.subject),
  );
  console.log(
    `drill api outage: ${during.length} requests during the cut all 503, ` +
      `${ledger.delivered.length}/${subjects.length} accepted delivered, ` +
      `${link.stats().refused} connections refused`,
  );
  expect(ledger.lost).toEqual([]);
  expect(ledger.delivered).toHaveLength(subjects.length);
  // Nothing refused during the outage slipped into the queue anyway.
  expect(wrongly.delivered).toEqual([]);
});
