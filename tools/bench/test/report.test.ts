import { buildReport, renderReport, sqsCost, type Measurements } from '../report.ts';
import { e2e, load, measurements } from './support/measurements.ts';

describe('buildReport', () => {
  it('reports the lone client (api.c1) and the low-rate run (e2e_low_rate.*)', () => {
    const r = buildReport(measurements());
    expect(r.api.c1).toEqual({
      accepted_per_second: 900,
      p50_ms: 1,
      p99_ms: 3,
      naive_p50_ms: 2,
      previous_default: null,
    });
    expect(r.e2e_low_rate).toMatchObject({
      rate_per_second: 20,
      sent: 100,
      delivered: 100,
      duplicates: 0,
      lost: 0,
      p50_ms: 25,
      p99_ms: 60,
      sqs_requests_per_notification: 3.1,
    });
    expect(r.e2e_low_rate.sqs.empty_receives).toBe(10);
    // The headline figures stay those of the full-rate run.
    expect(r.sqs_requests_per_notification).toBe(0.35);
  });

  it('compares the lone client with the API default before group commit, when measured', () => {
    const m = measurements();
    m.apiPreviousDefaultC1 = { ...load(700, 5), p50Ms: 2 };
    m.previousApiDefault = { ENQUEUE_LINGER_MS: '2' };
    const r = buildReport(m);
    expect(r.api.c1?.previous_default).toEqual({
      settings: { ENQUEUE_LINGER_MS: '2' },
      p50_ms: 2,
      p99_ms: 5,
      accepted_per_second: 700,
    });
    const target = r.targets.find((t) => t.name.startsWith('API p50 latency at c=1'));
    expect(target).toMatchObject({ target: '<= 2 ms', measured: '1 ms', met: true });
    m.api.product[1] = { ...load(600, 9), p50Ms: 3 };
    expect(
      buildReport(m).targets.find((t) => t.name.startsWith('API p50 latency at c=1'))?.met,
    ).toBe(false);
    // Without that run there is no such target, rather than a guessed one.
    expect(
      buildReport(measurements()).targets.some((t) => t.name.startsWith('API p50 latency at c=1')),
    ).toBe(false);
  });

  it('has no api.c1 when no concurrency-1 run was made', () => {
    const m = measurements();
    for (const target of ['product', 'naive', 'ceiling'] as const) delete m.api[target][1];
    expect(buildReport(m).api.c1).toBeNull();
  });

  it('counts losses and duplicates of every product run, the low-rate one included', () => {
    const m = measurements();
    m.e2e.lowRate = e2e({ sent: 100, delivered: 99, lost: 1, duplicates: 2 });
    const targets = Object.fromEntries(buildReport(m).targets.map((t) => [t.name, t]));
    expect(targets['lost notifications (202 but not delivered)']).toMatchObject({
      met: false,
      measured: '1',
    });
    expect(targets['duplicate deliveries (product runs)']).toMatchObject({
      met: false,
      measured: '2',
    });
  });

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

  it('keeps the cost-tuned run apart from the default one, under its own keys', () => {
    const r = buildReport(measurements());
    expect(r.sqs_requests_per_notification).toBe(0.35);
    expect(r.sqs_cost_tuned).toMatchObject({
      requests_per_notification: 0.32,
      usd_per_million_notifications: 0.128,
      empty_receives: 20,
      total: 320,
    });
    expect(r.e2e_cost_tuned).toMatchObject({
      settings: { ENQUEUE_LINGER_MS: '20', RECEIVE_BATCH_WAIT_MS: '200' },
      sent: 1000,
      delivered: 1000,
      p50_ms: 250,
      p99_ms: 400,
    });
    expect(r.e2e.p50_ms).toBe(30);
  });

  it('says which configuration met the SQS requests target', () => {
    const sqsTarget = (m: Measurements) =>
      buildReport(m).targets.find((t) => t.name === 'SQS requests per delivered notification');

    const both = sqsTarget(measurements());
    expect(both).toMatchObject({ met: true, met_by: ['default', 'cost-tuned'] });
    expect(both?.measured).toBe('default 0.35, cost-tuned 0.32: met by default and cost-tuned');

    const m = measurements();
    m.e2e.product = e2e({ sqsRequests: { SendMessageBatch: 500, ReceiveMessage: 800 } });
    expect(sqsTarget(m)).toMatchObject({
      met: true,
      met_by: ['cost-tuned'],
      measured: 'default 1.3, cost-tuned 0.32: met by cost-tuned',
    });

    m.e2e.costTuned = e2e({ sqsRequests: { ReceiveMessage: 400 } });
    expect(sqsTarget(m)).toMatchObject({ met: false, met_by: [] });
    expect(sqsTarget(m)?.measured).toContain('met by neither');
  });

  it('counts a notification lost in the cost-tuned run as lost', () => {
    const m = measurements();
    m.e2e.costTuned = e2e({ delivered: 998, lost: 2, sqsRequests: { ReceiveMessage: 100 } });
    const lost = buildReport(m).targets.find((t) => t.name.startsWith('lost notifications'));
    expect(lost).toMatchObject({ met: false, measured: '2' });
  });

  it('marks each target met or not from the measured figures', () => {
    const met = buildReport(measurements()).targets;
    expect(met.every((t) => t.met)).toBe(true);

    const m = measurements();
    m.api.product[64] = load(3000, 60);
    m.e2e.product = e2e({ delivered: 999, sqsRequests: { SendMessage: 999 } });
    m.e2e.costTuned = e2e({ sqsRequests: { SendMessageBatch: 400 } });
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
    expect(text).toMatch(/product \(default\)\s+1000\s+1000\s+0\s+30\s+80\s+0\.35/);
    expect(text).toMatch(/product \(old fixed linger\)\s+1000\s+1000\s+0\s+250\s+400\s+0\.32\s+20/);
    expect(text).toMatch(/product \(default, low rate\)\s+100\s+100\s+0\s+25\s+60\s+3\.1\s+10/);
    expect(text).toContain(
      'old fixed linger ("cost-tuned"): ENQUEUE_LINGER_MS=20 RECEIVE_BATCH_WAIT_MS=200',
    );
  });
});

describe('status tracking figures', () => {
  it('reports DynamoDB requests per notification next to SQS, by operation and table', () => {
    const r = buildReport(measurements());
    expect(r.dynamodb_requests_per_notification).toBe(6.1);
    expect(r.dynamodb.product).toMatchObject({
      requests: { BatchWriteItem: 100, PutItem: 4000, GetItem: 2000 },
      by_table: { 'bench-status': { BatchWriteItem: 100, PutItem: 4000, GetItem: 2000 } },
      total: 6100,
      delivered: 1000,
    });
    // The naive pair does no status tracking.
    expect(r.dynamodb.naive).toMatchObject({ requests: {}, total: 0, per_notification: 0 });
    expect(r.e2e_low_rate.dynamodb_requests_per_notification).toBe(7);
    expect(r.e2e_low_rate.dynamodb.requests).toEqual({
      BatchWriteItem: 100,
      PutItem: 400,
      GetItem: 200,
    });
    expect(r.e2e_cost_tuned.dynamodb_requests_per_notification).toBe(6.1);
  });

  it('keeps the events queue out of the SQS target and reports it apart', () => {
    const r = buildReport(measurements());
    expect(r.sqs_requests_per_notification).toBe(0.35);
    expect(r.sqs.product.status_events).toEqual({
      queues: ['bench-ses-events', 'bench-ses-events-dlq'],
      requests: { ReceiveMessage: 200, DeleteMessageBatch: 200 },
      empty_receives: 1,
      total: 400,
      per_notification: 0.4,
      events_published: { 'Email Sent': 1000, 'Email Delivered': 1000 },
      backlog: 0,
      settled_after_ms: 120,
    });
    expect(r.e2e_low_rate.sqs.status_events.per_notification).toBe(0.4);
    expect(r.sqs_cost_tuned.status_events).toMatchObject({ backlog: 300, settled_after_ms: null });
    const sqsTarget = r.targets.find((t) => t.name === 'SQS requests per delivered notification');
    expect(sqsTarget?.measured).toBe(
      'default 0.35, cost-tuned 0.32: met by default and cost-tuned',
    );
  });

  it("reports the API's DynamoDB requests per accepted request when that run was made", () => {
    expect(buildReport(measurements()).api.dynamodb).toBeNull();
    const m = measurements();
    m.apiDynamodb = {
      concurrency: 64,
      seconds: 15,
      accepted: 60_000,
      requests: { BatchWriteItem: 2_400 },
    };
    expect(buildReport(m).api.dynamodb).toEqual({
      concurrency: 64,
      seconds: 15,
      accepted: 60_000,
      requests: { BatchWriteItem: 2_400 },
      total: 2_400,
      per_accepted_request: 0.04,
    });
  });

  it('shows the status path in the printed table', () => {
    const text = renderReport(buildReport(measurements()));
    expect(text).toMatch(
      /product \(default\)\s+1000\s+1000\s+0\s+30\s+80\s+0\.35\s+0\s+0\.14\s+0\.4\s+6\.1/,
    );
    expect(text).toContain('bench-ses-events and bench-ses-events-dlq');
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
