// Drill 2: the worker gets SIGTERM in the middle of a run (as ECS stops a task). It must finish
// the sends under way and hand the rest back within its stop timeout, exit 0, and lose and
// duplicate nothing: a second worker then delivers what the first one released.
import { isSesSendEmail, startFaultProxy, type FaultProxy } from '@notify/local-stack';
import {
  accepted,
  checkLedger,
  deliveredSubjects,
  DRILL_TIMINGS,
  postMany,
  startDrillStack,
  waitForDeliveries,
  waitUntilSettled,
  workerStatus,
  type DrillStack,
} from '../support/drill-stack.ts';

jest.setTimeout(90_000);

let stack: DrillStack;
let ses: FaultProxy;

beforeAll(async () => {
  stack = await startDrillStack('drill-term');
  ses = await startFaultProxy({
    target: stack.sesUrl,
    plan: { match: isSesSendEmail, delayMs: 300 },
  });
});

afterAll(async () => {
  await ses?.close();
  await stack?.stop();
});

it('drains within its stop timeout on SIGTERM, exits 0, and nothing is lost or sent twice', async () => {
  const api = await stack.startApi();
  const subjects = accepted(await postMany(api.url, 'term-', 120));
  expect(subjects).toHaveLength(120);

  const first = await stack.startWorker({ sesEndpoint: ses.url });
  await waitForDeliveries(stack.sesUrl, 20);
  // SIGTERM while sends are under way at SES (the moment between two sends would prove less).
  const sendsDeadline = Date.now() + 10_000;
  while (ses.stats().inFlight === 0 && Date.now() < sendsDeadline) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const before = await workerStatus(first);
  expect(before.inFlight).toBeGreaterThan(0);
  expect(ses.stats().inFlight).toBeGreaterThan(0);

  const signalled = Date.now();
  first.proc.child.kill('SIGTERM');
  const code = await first.proc.exited;
  const drainMs = Date.now() - signalled;
  expect(code).toBe(0);
  expect(drainMs).toBeLessThan(DRILL_TIMINGS.workerShutdownTimeoutMs);
  // Every send that reached SES had finished when the process exited.
  expect(ses.stats().inFlight).toBe(0);
  const deliveredByFirst = (await deliveredSubjects(stack.sesUrl)).length;

  await stack.startWorker({ sesEndpoint: ses.url });
  await waitUntilSettled(stack, subjects, 45_000);
  const ledger = await checkLedger(stack, subjects);
  console.log(
    `drill sigterm: drained in ${drainMs} ms (held ${before.inFlight}), first worker delivered ` +
      `${deliveredByFirst}, total ${ledger.delivered.length}/${subjects.length}, ` +
      `${ledger.duplicates} duplicates`,
  );
  expect(ledger.lost).toEqual([]);
  expect(ledger.deadLettered.size).toBe(0);
  expect(ledger.delivered).toHaveLength(subjects.length);
  expect(ledger.duplicates).toBe(0);
});
