// Drill 10: SES or SQS accept the worker's connections and never answer. Hung sends time out
// and their messages are released for a retry; readiness says what is wrong while it lasts and
// turns ready again by itself; a SIGTERM during a hung call still exits 0 within the shutdown
// deadline; and every accepted notification is delivered once the dependency answers.
import {
  accepted,
  checkLedger,
  DRILL_TIMINGS,
  postMany,
  startDrillStack,
  waitUntilSettled,
  workerStatus,
  type DrillStack,
} from '../support/drill-stack.ts';
import { startCuttableProxy, type CuttableProxy } from '../support/cuttable-proxy.ts';

jest.setTimeout(60_000);

/** Small deadlines: a hung SES send ends after 1 s, a hung long poll after 1 s + 0.5 s. */
const HUNG_ENV = { SES_TIMEOUT_MS: '1000', SQS_ATTEMPT_TIMEOUT_MS: '500', WAIT_TIME_SECONDS: '1' };

let stack: DrillStack;
let sesLink: CuttableProxy;
let sqsLink: CuttableProxy;

beforeAll(async () => {
  stack = await startDrillStack('drill-worker-hung');
  sesLink = await startCuttableProxy(stack.sesUrl);
  sqsLink = await startCuttableProxy(stack.sqsUrl);
});

afterAll(async () => {
  await sesLink?.close();
  await sqsLink?.close();
  await stack?.stop();
});

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const readiness = async (url: string) => {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, reason: ((await res.json()) as { status?: string }).status };
};

it('releases hung sends for retry, reports SES not answering, and recovers without a restart', async () => {
  const api = await stack.startApi();
  sesLink.hang();
  const worker = await stack.startWorker({ sesEndpoint: sesLink.url, env: HUNG_ENV });
  const subjects = accepted(await postMany(api.url, 'ses-hung-', 10));
  expect(subjects).toHaveLength(10);
  await waitFor(
    'readyz 503 SES not answering',
    async () => (await readiness(worker.url)).reason === 'SES not answering',
    10_000,
  );
  expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
  await waitFor(
    'hung sends released for retry',
    async () => (await workerStatus(worker)).retried >= 10,
    10_000,
  );

  sesLink.restore();
  await waitUntilSettled(stack, subjects, 30_000);
  await waitFor('ready again', async () => (await readiness(worker.url)).status === 200, 10_000);
  const ledger = await checkLedger(stack, subjects);
  const status = await workerStatus(worker);
  console.log(
    `drill worker ses hung: retried ${status.retried}, ${ledger.delivered.length}/${subjects.length} ` +
      `delivered, ${ledger.duplicates} duplicates, ${sesLink.stats().hung} connections hung`,
  );
  expect(ledger.lost).toEqual([]);
  expect(ledger.deadLettered.size).toBe(0);
  expect(ledger.duplicates).toBe(0);
  await worker.proc.stop('SIGKILL', 2_000);
});

it('times out hung polls, reports the queue unreachable, and recovers without a restart', async () => {
  const api = await stack.startApi();
  const worker = await stack.startWorker({ sqsEndpoint: sqsLink.url, env: HUNG_ENV });
  await waitFor('ready', async () => (await readiness(worker.url)).status === 200, 10_000);
  sqsLink.hang();
  const hungAt = Date.now();
  await waitFor(
    'readyz 503 queue unreachable',
    async () => (await readiness(worker.url)).reason === 'queue unreachable',
    10_000,
  );
  const notReadyMs = Date.now() - hungAt;
  const subjects = accepted(await postMany(api.url, 'sqs-hung-', 10));
  sqsLink.restore();
  await waitFor('ready again', async () => (await readiness(worker.url)).status === 200, 15_000);
  await waitUntilSettled(stack, subjects, 30_000);
  const ledger = await checkLedger(stack, subjects);
  console.log(
    `drill worker sqs hung: not ready after ${notReadyMs} ms, ` +
      `${ledger.delivered.length}/${subjects.length} delivered after recovery`,
  );
  // A long poll (1 s) plus its deadline (0.5 s), and a readiness check's own scheduling.
  expect(notReadyMs).toBeLessThan(5_000);
  expect(ledger.lost).toEqual([]);
  await worker.proc.stop('SIGKILL', 2_000);
});

it('exits 0 within the shutdown deadline on SIGTERM while SQS hangs', async () => {
  const worker = await stack.startWorker({ sqsEndpoint: sqsLink.url, env: HUNG_ENV });
  await waitFor('ready', async () => (await readiness(worker.url)).status === 200, 10_000);
  sqsLink.hang();
  // A poll is now under way on a hung connection.
  await new Promise((r) => setTimeout(r, 300));
  const signalled = Date.now();
  worker.proc.child.kill('SIGTERM');
  const code = await worker.proc.exited;
  const drainMs = Date.now() - signalled;
  console.log(`drill worker sigterm while sqs hung: exit ${code} after ${drainMs} ms`);
  expect(code).toBe(0);
  expect(drainMs).toBeLessThan(DRILL_TIMINGS.workerShutdownTimeoutMs + 1_000);
  sqsLink.restore();
});

it('hands a message that arrives during the drain to the next worker at once, not after the visibility timeout', async () => {
  // Long polls of 2 s on an empty queue: the drain begins while one is waiting at SQS.
  const env = { WAIT_TIME_SECONDS: '2', POLLERS: '1' };
  const api = await stack.startApi();
  const first = await stack.startWorker({ env });
  await waitFor('ready', async () => (await readiness(first.url)).status === 200, 10_000);
  await new Promise((r) => setTimeout(r, 300));
  first.proc.child.kill('SIGTERM');
  // The message arrives while the first worker's long poll is still registered at SQS.
  const subjects = accepted(await postMany(api.url, 'drain-race-', 1));
  expect(await first.proc.exited).toBe(0);
  const posted = Date.now();
  await stack.startWorker({ env });
  await waitUntilSettled(stack, subjects, 20_000);
  const latencyMs = Date.now() - posted;
  console.log(`drill drain race: delivered ${latencyMs} ms after the second worker started`);
  // Well under the 3 s visibility timeout plus the second worker's start.
  expect(latencyMs).toBeLessThan(DRILL_TIMINGS.visibilityTimeoutSeconds * 1000 + 2_500);
});
