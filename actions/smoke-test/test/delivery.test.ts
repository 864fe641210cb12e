// The delivery check against a local stand-in that plays the documented status answers.
import { readSmokeInputs } from '../src/inputs.ts';
import { smokeSummaryMarkdown } from '../src/report.ts';
import { runSmokeTests, type SmokeOptions, type SmokeReport } from '../src/smoke.ts';
import {
  notFound,
  notificationStatus,
  startFakeApi,
  TOKEN,
  withStatusAnswers,
  type FakeApi,
} from './fake-api.ts';

let api: FakeApi | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

const delivered = (report: SmokeReport) => {
  const check = report.checks.find((c) => c.name === 'notification delivered');
  if (!check) throw new Error('no delivery check in the report');
  return check;
};

const statusReads = (fake: FakeApi) =>
  fake.requests.filter((r) => r.method === 'GET' && r.path === '/v1/notifications/ntf_123');

async function smokeAgainst(
  answers: Array<[number, unknown]>,
  options: Partial<SmokeOptions> = {},
): Promise<SmokeReport> {
  api = await startFakeApi(withStatusAnswers(answers));
  return runSmokeTests({
    baseUrl: api.url,
    token: TOKEN,
    deadlineMs: 5_000,
    checkDelivery: true,
    deliveryDeadlineMs: 5_000,
    deliveryIntervalMs: 20,
    ...options,
  });
}

describe('the delivery check', () => {
  it('passes once the notification goes queued, sent, delivered', async () => {
    const report = await smokeAgainst([
      [200, notificationStatus('queued')],
      [200, notificationStatus('sent')],
      [200, notificationStatus('delivered')],
    ]);
    expect(report).toMatchObject({ passed: 7, failed: 0 });
    expect(report.checks.at(-1)?.name).toBe('notification delivered');
    expect(delivered(report).detail).toBe('ntf_123: queued → sent → delivered');
    const reads = statusReads(api as FakeApi);
    expect(reads).toHaveLength(3);
    expect(reads[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('keeps reading through delayed and a 503 while the status is still moving', async () => {
    const report = await smokeAgainst([
      [200, notificationStatus('queued')],
      [503, { error: { code: 'unavailable', message: 'try again' } }],
      [200, notificationStatus('delayed')],
      [200, notificationStatus('delivered')],
    ]);
    expect(delivered(report)).toMatchObject({
      ok: true,
      detail: 'ntf_123: queued → delayed → delivered',
    });
  });

  it('fails at once on bounced, with the reason, in the job summary', async () => {
    const report = await smokeAgainst([
      [200, notificationStatus('queued')],
      [
        200,
        notificationStatus('bounced', { reason: { code: 'BOUNCE_PERMANENT', retryable: false } }),
      ],
    ]);
    const check = delivered(report);
    expect(check.ok).toBe(false);
    expect(check.detail).toBe(
      'ntf_123 ended bounced (reason BOUNCE_PERMANENT) instead of delivered (statuses: queued → bounced)',
    );
    expect(statusReads(api as FakeApi)).toHaveLength(2);
    expect(report.failed).toBe(1);
    const summary = smokeSummaryMarkdown(report, (api as FakeApi).url);
    expect(summary).toContain('Smoke test failed');
    expect(summary).toContain('ntf_123 ended bounced (reason BOUNCE_PERMANENT)');
  });

  it('fails at once on 404 and says how to turn the check off', async () => {
    const report = await smokeAgainst([[404, notFound]]);
    const check = delivered(report);
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('GET /v1/notifications/ntf_123 answered 404');
    expect(check.detail).toContain('NOT_FOUND');
    expect(check.detail).toContain('set check-delivery: false');
    expect(statusReads(api as FakeApi)).toHaveLength(1);
  });

  it('gives up at its deadline when the notification stays sent', async () => {
    const started = Date.now();
    const report = await smokeAgainst(
      [
        [200, notificationStatus('queued')],
        [200, notificationStatus('sent')],
      ],
      { deliveryDeadlineMs: 1_000, deliveryIntervalMs: 50 },
    );
    const check = delivered(report);
    expect(check.ok).toBe(false);
    expect(check.detail).toBe('ntf_123 still sent after 1 s (statuses: queued → sent)');
    expect(check.latencyMs).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('fails on an answer for another notification or without a status', async () => {
    const other = await smokeAgainst([[200, { ...notificationStatus('delivered'), id: 'ntf_9' }]]);
    expect(delivered(other).detail).toContain('200 for id "ntf_9" instead of ntf_123');
    await api?.close();
    const shapeless = await smokeAgainst([[200, { id: 'ntf_123' }]]);
    expect(delivered(shapeless).detail).toContain('200 without a status');
  });

  it('is not run when the notification was not accepted', async () => {
    api = await startFakeApi((request, reply) =>
      request.method === 'POST' && request.headers['idempotency-key']
        ? reply(202, { status: 'queued' })
        : withStatusAnswers([[200, notificationStatus('delivered')]])(request, reply),
    );
    const report = await runSmokeTests({
      baseUrl: api.url,
      token: TOKEN,
      deadlineMs: 5_000,
      checkDelivery: true,
    });
    expect(delivered(report)).toMatchObject({
      ok: false,
      detail: 'not checked: no notification was accepted',
    });
    expect(statusReads(api)).toHaveLength(0);
  });

  it('is left out when checkDelivery is off', async () => {
    const report = await smokeAgainst([[200, notificationStatus('delivered')]], {
      checkDelivery: false,
    });
    expect(report.checks.map((c) => c.name)).not.toContain('notification delivered');
    expect(statusReads(api as FakeApi)).toHaveLength(0);
  });
});

describe('the check-delivery input', () => {
  const read = (values: Record<string, string>) =>
    readSmokeInputs(
      (name) => ({ 'base-url': 'http://127.0.0.1:1', token: 't', ...values })[name] ?? '',
    );

  it('is on by default with a 120 s deadline', () => {
    expect(read({})).toMatchObject({ checkDelivery: true, deliveryDeadlineMs: 120_000 });
  });

  it('can be turned off and given another deadline', () => {
    expect(read({ 'check-delivery': 'false', 'delivery-timeout-seconds': '2m' })).toMatchObject({
      checkDelivery: false,
      deliveryDeadlineMs: 120_000,
    });
    expect(read({ 'delivery-timeout-seconds': '30' }).deliveryDeadlineMs).toBe(30_000);
  });

  it('names the input when it is not a boolean', () => {
    expect(() => read({ 'check-delivery': 'yes' })).toThrow(/check-delivery.*true or false/);
  });
});
