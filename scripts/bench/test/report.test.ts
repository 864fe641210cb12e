import type { LoadResult } from '../http-load.ts';
import { buildReport, renderReport, sqsCost, type E2eRun, type Measurements } from '../report.ts';

const load = (perSecond: number, p99 = 10): LoadResult => ({
  connections: 64,
  durationSeconds: 10,
  acceptedPerSecond: perSecond,
  accepted: perSecond * 10,
  non2xx: 0,
  errors: 0,
  p50Ms: 2,
  p99Ms: p99,
});

const e2e = (overrides: Partial<E2eRun>): E2eRun => ({
  ratePerSecond: 100,
  sent: 1000,
  delivered: 1000,
  duplicates: 0,
  lost: 0,
  rejected: 0,
  p50Ms: 30,
  p99Ms: 80,
  sqsRequests: {},
  emptyReceives: 0,
  ...overrides,
});

function measurements(): Measurements {
  return {
    api: {
      product: { 16: load(4000), 64: load(5000, 40) },
      naive: { 16: load(1000), 64: load(1000) },
      ceiling: { 16: load(10_000), 64: load(10_000) },
    },
    worker: {
      product: { messages: 1000, sent: 1000, seconds: 1, emailsPerSecond: 1000, cpuMsPerEmail: {} },
      naive: { messages: 1000, sent: 250, seconds: 1, emailsPerSecond: 250, cpuMsPerEmail: {} },
    },
    e2e: {
      product: e2e({
        sqsRequests: { SendMessageBatch: 100, ReceiveMessage: 150, DeleteMessageBatch: 100 },
      }),
      naive: e2e({ sqsRequests: { SendMessage: 1000, ReceiveMessage: 1000, DeleteMessage: 1000 } }),
    },
    memoryMiB: { 'product-api': 80 },
    readyMs: { 'product-api': 400 },
  };
}

describe('buildReport', () => {
  it('computes the ratios at the highest concurrency and exposes the dotted keys', () => {
    const r = buildReport(measurements());
    expect(r.api.concurrency).toBe(64);
    expect(r.api.ratio_vs_naive).toBe(5);
    expect(r.api.ratio_vs_ceiling).toBe(0.5);
    expect(r.api.p99_ms).toBe(40);
    expect(r.api.by_concurrency.c16.ratio_vs_naive).toBe(4);
    expect(r.worker.ratio_vs_naive).toBe(4);
    expect(r.sqs_requests_per_notification).toBe(0.35);
    expect(r.e2e).toMatchObject({ sent: 1000, delivered: 1000, duplicates: 0 });
    expect(r.sqs.naive.per_notification).toBe(3);
    expect(r.sqs.naive.usd_per_million_notifications).toBe(1.2);
    expect(r.sqs.product.usd_per_million_notifications).toBe(0.14);
  });

  it('marks each target met or not from the measured figures', () => {
    const met = buildReport(measurements()).targets;
    expect(met.every((t) => t.met)).toBe(true);

    const m = measurements();
    m.api.product[64] = load(3000, 60);
    m.e2e.product = e2e({ delivered: 999, sqsRequests: { SendMessage: 999 } });
    const missed = Object.fromEntries(buildReport(m).targets.map((t) => [t.name, t.met]));
    expect(missed['API throughput vs naive (c=64)']).toBe(false);
    expect(missed['API p99 latency (c=64)']).toBe(false);
    expect(missed['SQS requests per delivered notification']).toBe(false);
    expect(missed['lost notifications (202 but not delivered)']).toBe(false);
    expect(missed['worker emails/s vs naive']).toBe(true);
  });

  it('renders every section of the table', () => {
    const text = renderReport(buildReport(measurements()));
    for (const heading of [
      'API (closed loop',
      'Worker',
      'End to end',
      'Resident memory',
      'Targets',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toMatch(/product c64\s+5000/);
  });
});

describe('sqsCost', () => {
  it('has no per-notification figure when nothing was delivered', () => {
    expect(sqsCost(e2e({ delivered: 0, sqsRequests: { ReceiveMessage: 3 } }))).toMatchObject({
      total: 3,
      per_notification: null,
      usd_per_million_notifications: null,
    });
  });
});
