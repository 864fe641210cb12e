// Drill 5: the queue becomes unreachable for the worker. It must back off (a handful of
// attempts, not a hot loop), report not ready with the reason while staying healthy, and
// recover by itself when the queue returns, delivering what was accepted meanwhile.
import {
  accepted,
  checkLedger,
  postMany,
  startDrillStack,
  waitUntilSettled,
  workerStatus,
  type DrillStack,
} from '../support/drill-stack.ts';
import { startCuttableProxy, type CuttableProxy } from '../support/cuttable-proxy.ts';

jest.setTimeout(90_000);

let stack: DrillStack;
let link: CuttableProxy;

beforeAll(async () => {
  stack = await startDrillStack('drill-worker-outage');
  link = await startCuttableProxy(stack.sqsUrl);
});

afterAll(async () => {
  await link?.close();
  await stack?.stop();
});

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('backs off, reports not ready, and recovers by itself when SQS comes back', async () => {
  // The API reaches SQS directly and keeps accepting during the worker's outage.
  const api = await stack.startApi();
  const worker = await stack.startWorker({ sqsEndpoint: link.url });
  await waitFor(
    'worker ready',
    async () => (await fetch(`${worker.url}/readyz`)).status === 200,
    15_000,
  );

  const before = accepted(await postMany(api.url, 'before-', 20));
  link.cut();
  await waitFor(
    'readyz 503 queue unreachable',
    async () => {
      const res = await fetch(`${worker.url}/readyz`);
      const body = (await res.json()) as { status?: string };
      return res.status === 503 && body.status === 'queue unreachable';
    },
    20_000,
  );
  expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
  const during = accepted(await postMany(api.url, 'during-', 20));
  expect(during).toHaveLength(20);
  // Backing off: over three seconds, a handful of attempts, not a hot loop. Each failed SDK call
  // makes up to 3 connection attempts; the two pollers back off with full jitter (ceiling
  // 0.5 s doubling per failure), and the deleter retries its pending batches a second apart, so
  // about 10-25 attempts is expected. A loop without backoff would make hundreds.
  const attemptsBefore = link.stats().refused;
  await new Promise((r) => setTimeout(r, 3_000));
  const attempts = link.stats().refused - attemptsBefore;
  expect(attempts).toBeLessThan(30);
  expect((await workerStatus(worker)).queueReachable).toBe(false);

  link.restore();
  await waitFor(
    'ready again',
    async () => (await fetch(`${worker.url}/readyz`)).status === 200,
    30_000,
  );
  const subjects = [...before, ...during];
  await waitUntilSettled(stack, subjects, 40_000);
  const ledger = await checkLedger(stack, subjects);
  console.log(
    `drill worker outage: ${attempts} SQS connection attempts in 3 s while cut, ` +
      `${ledger.delivered.length}/${subjects.length} delivered, ${ledger.duplicates} duplicates`,
  );
  expect(ledger.lost).toEqual([]);
  expect(ledger.deadLettered.size).toBe(0);
  expect(ledger.delivered).toHaveLength(subjects.length);
});
