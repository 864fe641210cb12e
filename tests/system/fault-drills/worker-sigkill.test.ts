// Drill 1: the worker is killed with SIGKILL in the middle of a run and started again. Every
// 202 must be delivered; a message sent to SES but not yet deleted when the process died comes
// back after its visibility timeout and is sent again, so duplicates are possible but at most
// the number of messages the worker held at the kill.
import { isSesSendEmail, startFaultProxy, type FaultProxy } from '@notify/local-stack';
import {
  accepted,
  checkLedger,
  DRILL_WORKER_MAX_IN_FLIGHT,
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
  stack = await startDrillStack('drill-kill');
  // Slow SES so that sends are under way when the kill lands.
  ses = await startFaultProxy({
    target: stack.sesUrl,
    plan: { match: isSesSendEmail, delayMs: 150 },
  });
});

afterAll(async () => {
  await ses?.close();
  await stack?.stop();
});

it('delivers every 202 after a SIGKILL and restart, with duplicates at most the in-flight count', async () => {
  const api = await stack.startApi();
  const outcomes = await postMany(api.url, 'kill-', 150);
  const subjects = accepted(outcomes);
  expect(subjects).toHaveLength(150);

  const first = await stack.startWorker({ sesEndpoint: ses.url });
  await waitForDeliveries(stack.sesUrl, 30);
  const before = await workerStatus(first);
  const inFlightAtKill = Math.max(before.inFlight, ses.stats().inFlight);
  expect(before.sent).toBeGreaterThan(0);
  expect(inFlightAtKill).toBeGreaterThan(0);
  first.proc.child.kill('SIGKILL');
  await first.proc.exited;

  await stack.startWorker({ sesEndpoint: ses.url });
  await waitUntilSettled(stack, subjects, 45_000);
  const ledger = await checkLedger(stack, subjects);
  console.log(
    `drill sigkill: ${subjects.length} accepted, ${ledger.delivered.length} delivered, ` +
      `${ledger.deadLettered.size} dead-lettered, ${ledger.duplicates} duplicates ` +
      `(in flight at the kill: ${inFlightAtKill})`,
  );
  expect(ledger.lost).toEqual([]);
  expect(ledger.deadLettered.size).toBe(0);
  expect(ledger.delivered).toHaveLength(subjects.length);
  // A duplicate is a message sent but not yet deleted when the process died: one it held. The
  // count read just before the signal can lag the kill by a few ms, so the hard bound is what
  // the worker can hold at any moment (MAX_IN_FLIGHT in the drill stack).
  expect(ledger.duplicates).toBeLessThanOrEqual(DRILL_WORKER_MAX_IN_FLIGHT);
  expect(inFlightAtKill).toBeLessThanOrEqual(DRILL_WORKER_MAX_IN_FLIGHT);
});
