// Drill 6: the API gets SIGTERM while under load (as ECS or a deployment stops a task). Requests
// it already answered 202 are in the queue and get delivered; requests it could not take any
// more fail visibly (connection refused or 503), never a silent 202 that is then dropped.
import {
  checkLedger,
  postNotification,
  startDrillStack,
  waitUntilSettled,
  type DrillStack,
  type PostOutcome,
} from '../support/drill-stack.ts';

jest.setTimeout(90_000);

let stack: DrillStack;

beforeAll(async () => {
  stack = await startDrillStack('drill-api-term');
});

afterAll(async () => {
  await stack?.stop();
});

it('delivers every notification it answered 202 before and during its shutdown', async () => {
  // A longer linger keeps entries waiting in the batcher when the signal lands.
  const api = await stack.startApi({ env: { ENQUEUE_LINGER_MS: '20' } });
  await stack.startWorker();

  const outcomes: PostOutcome[] = [];
  let next = 0;
  const total = 600;
  const lane = async () => {
    while (next < total) {
      const subject = `api-term-${next++}`;
      outcomes.push(await postNotification(api.url, subject));
    }
  };
  const load = Promise.all(Array.from({ length: 16 }, lane));
  while (outcomes.filter((o) => o.status === 202).length < 100) {
    await new Promise((r) => setTimeout(r, 10));
  }
  api.proc.child.kill('SIGTERM');
  const code = await api.proc.exited;
  await load;

  expect(code).toBe(0);
  const accepted = outcomes.filter((o) => o.status === 202).map((o) => o.subject);
  const refused = outcomes.filter((o) => o.status !== 202);
  // Some requests were still coming when it stopped; none of them got an answer that lies.
  expect(refused.length).toBeGreaterThan(0);
  for (const o of refused) expect([0, 503]).toContain(o.status);

  await waitUntilSettled(stack, accepted, 30_000);
  const ledger = await checkLedger(stack, accepted);
  console.log(
    `drill api sigterm: exit ${code}, ${accepted.length} accepted, ${refused.length} refused, ` +
      `${ledger.delivered.length} delivered, ${ledger.duplicates} duplicates`,
  );
  expect(ledger.lost).toEqual([]);
  expect(ledger.delivered).toHaveLength(accepted.length);
});
