// Drill 3: SES fails transiently (a share of 429 and 500 answers) and rejects some recipients
// for good. Every other notification is delivered exactly once after its retries; each
// rejected one ends in the dead-letter queue with SES's reason, nothing is lost.
import { isSesSendEmail, startFaultProxy, type FaultProxy } from '@notify/local-stack';
import {
  accepted,
  checkLedger,
  postMany,
  startDrillStack,
  waitUntilSettled,
  workerStatus,
  type DrillStack,
} from '../support/drill-stack.ts';
import {
  REJECTION_MESSAGE,
  startRecipientRejectingProxy,
  type RejectingProxy,
} from '../support/recipient-rejecting-proxy.ts';

jest.setTimeout(90_000);

const REJECTED = ['bounced-0@example.com', 'bounced-1@example.com'];

let stack: DrillStack;
let faults: FaultProxy;
let rejecting: RejectingProxy;

beforeAll(async () => {
  stack = await startDrillStack('drill-ses');
  // worker -> rejecting proxy (permanent, by recipient) -> fault proxy (transient) -> SES
  faults = await startFaultProxy({
    target: stack.sesUrl,
    plan: { match: isSesSendEmail, share: { throttle: 0.15, 'server-error': 0.15 } },
  });
  rejecting = await startRecipientRejectingProxy(faults.url, REJECTED);
});

afterAll(async () => {
  await rejecting?.close();
  await faults?.close();
  await stack?.stop();
});

it('delivers through 429s and 500s with retries, and dead-letters permanent rejections with the reason', async () => {
  const api = await stack.startApi();
  // Every tenth notification goes to a rejected address.
  const recipient = (i: number) =>
    i % 10 === 0 ? REJECTED[(i / 10) % 2] : `user-${i}@example.com`;
  const subjects = accepted(await postMany(api.url, 'ses-', 80, { recipient }));
  expect(subjects).toHaveLength(80);
  const rejectedSubjects = subjects.filter((s) => Number(s.slice('ses-'.length)) % 10 === 0);

  const worker = await stack.startWorker({ sesEndpoint: rejecting.url });
  await waitUntilSettled(stack, subjects, 60_000);
  const ledger = await checkLedger(stack, subjects);
  const status = await workerStatus(worker);
  const injected = faults.stats().faults;
  console.log(
    `drill ses faults: ${ledger.delivered.length} delivered, ${ledger.deadLettered.size} ` +
      `dead-lettered, injected ${JSON.stringify(injected)}, worker retried ${status.retried}, ` +
      `${ledger.duplicates} duplicates`,
  );
  expect(ledger.lost).toEqual([]);
  expect(ledger.duplicates).toBe(0);
  expect(ledger.delivered).toHaveLength(subjects.length - rejectedSubjects.length);
  expect([...ledger.deadLettered.keys()].sort()).toEqual([...rejectedSubjects].sort());
  for (const reason of ledger.deadLettered.values()) expect(reason).toContain(REJECTION_MESSAGE);
  // The transient faults really happened and each one was retried through the queue.
  const transient = (injected.throttle ?? 0) + (injected['server-error'] ?? 0);
  expect(transient).toBeGreaterThan(5);
  expect(status.retried).toBeGreaterThanOrEqual(transient);
  expect(rejecting.rejected()).toBe(rejectedSubjects.length);
});
