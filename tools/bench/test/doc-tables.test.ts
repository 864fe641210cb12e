import { buildReport } from '../report.ts';
import {
  BEGIN_MARK,
  END_MARK,
  figure,
  renderDocTables,
  spliceFigures,
  type BenchDocument,
} from '../doc-tables.ts';
import { measurements } from './support/measurements.ts';

function benchDocument(): BenchDocument {
  const m = measurements();
  const perRequest = {
    service: 0.2,
    'sqs emulator': 0.02,
    'dynamodb emulator': 0.03,
    'load generator (bench)': 0.01,
  };
  const byConcurrency = { 1: perRequest, 16: perRequest, 64: perRequest };
  m.apiCpuMsPerRequest = { product: byConcurrency, naive: byConcurrency, ceiling: byConcurrency };
  const perEmail = { worker: 0.6, 'ses emulator': 0.1, 'sqs emulator': 0.05 };
  m.worker.product.cpuMsPerEmail = perEmail;
  m.worker.naive.cpuMsPerEmail = perEmail;
  m.apiPreviousDefaultC1 = { ...m.api.product[1], p50Ms: 2, p99Ms: 4 };
  m.previousApiDefault = { ENQUEUE_LINGER_MS: '2', ENQUEUE_MAX_IN_FLIGHT: '64' };
  m.apiDynamodb = {
    concurrency: 64,
    seconds: 15,
    accepted: 60_000,
    requests: { BatchWriteItem: 2_400 },
  };
  return {
    ...buildReport(m),
    run: {
      profile: { name: 'full', apiSeconds: 15, warmupSeconds: 3, workerMessages: 4000 },
      command: 'npm run bench',
      product_log_level: 'info',
      started_at: '2026-12-07T07:00:00.000Z',
      seconds: 200,
      machine: {
        nproc: 2,
        cpu_model: 'Xeon',
        memory_gib: 23.5,
        node: 'v24',
        platform: 'linux x64',
      },
    },
  };
}

describe('figure', () => {
  it('groups thousands with a space, keeps fractions, and says n/a for no value', () => {
    expect(figure(6197)).toBe('6 197');
    expect(figure(1_234_567.5)).toBe('1 234 567.5');
    expect(figure(0.3104, 3)).toBe('0.310');
    expect(figure(null)).toBe('n/a');
  });
});

describe('renderDocTables', () => {
  const text = renderDocTables(benchDocument());

  it('renders every figure from the JSON document: API, worker, end to end, targets', () => {
    expect(text).toMatch(/\| product\s+\|\s+64 \|\s+5 000 \|\s+2 \|\s+40 \|/);
    expect(text).toMatch(/\| bare Koa\s+\|\s+1 \|\s+9 000 \|/);
    expect(text).toMatch(/\| product ÷ naive\s+\|\s+1\.8 \|\s+4 \|\s+5 \|/);
    expect(text).toMatch(/\| product\s+\|\s+1 000 \| 1 000\/1 000 \|/);
    expect(text).toMatch(
      /\| product \(default\)\s+\|\s+100 \|\s+1 000 \|\s+1 000 \|\s+0 \|\s+0 \|\s+30 \|\s+80 \|\s+0\.350 \|/,
    );
    expect(text).toMatch(/\| product \(default\), low rate\s+\|\s+20 \|\s+100 \|\s+100 \|/);
    expect(text).toMatch(/\| product \(old fixed linger\)\s+\|/);
    expect(text).toContain('SendMessageBatch 100 (10.00 entries each)');
    expect(text).toContain('ReceiveMessage 110 (10 empty; the others 1.00 messages each)');
    expect(text).toContain('old fixed linger (ENQUEUE_LINGER_MS=20, RECEIVE_BATCH_WAIT_MS=200)');
    expect(text).toContain(
      'product p50 1 ms, p99 3 ms (naive API p50 2 ms; the default before group commit, ' +
        'ENQUEUE_LINGER_MS=2, ENQUEUE_MAX_IN_FLIGHT=64, p50 2 ms, p99 4 ms)',
    );
    expect(text).toMatch(
      /\| API throughput vs bare Koa \(c=64\)\s+\| >= 0\.25\s+\| 0\.5\s+\| yes \|/,
    );
    expect(text).toContain('took 200 s');
  });

  it('renders the pace of each end-to-end run and CPU by process, biggest first', () => {
    expect(text).toContain(
      '- Machine load, default product: delivered 100/s at 100/s posted, 0.19 cores busy; ' +
        'CPU per delivered notification 1.9 ms: worker 1.2, api 0.5, load generator (bench) 0.2.',
    );
    expect(text).toContain('- Machine load, naive: delivered 100/s at 100/s posted');
    const old = benchDocument();
    delete (old.e2e as Partial<typeof old.e2e>).cpu_ms_per_notification;
    expect(renderDocTables(old)).toContain(
      '- Machine load, default product: not metered in this run.',
    );
  });

  it('renders the status path: DynamoDB and events-queue requests per notification, by operation', () => {
    // SQS (notification path), empty receives, $, events-queue SQS, DynamoDB.
    expect(text).toMatch(
      /\| product \(default\)\s+\|(?:[^|]+\|){7}\s+0\.350 \|\s+0 \|\s+0\.140 \|\s+0\.400 \|\s+6\.100 \|/,
    );
    expect(text).toMatch(/\| naive\s+\|(?:[^|]+\|){10}\s+0\.000 \|\s+0\.000 \|/);
    expect(text).toContain('events-queue SQS requests / notification');
    expect(text).toContain('DynamoDB requests / notification');
    expect(text).toContain(
      '- Status path, default product: DynamoDB BatchWriteItem 100, PutItem 4 000, GetItem 2 000; ' +
        'SQS on bench-ses-events and bench-ses-events-dlq ReceiveMessage 200, DeleteMessageBatch 200 (1 empty receives); ' +
        "SES events published into it (EventBridge's part, not counted) Email Sent 1 000, Email Delivered 1 000; " +
        'every event applied 120 ms after the email queue was empty.',
    );
    expect(text).toContain('**300 events were still on the events queue when counted');
    expect(text).toContain(
      '- Status path, default product at 20/s: DynamoDB BatchWriteItem 100, PutItem 400',
    );
    expect(text).toContain(
      '- API alone, closed loop at concurrency 64 (15 s, DynamoDB through the counting proxy): ' +
        '0.040 DynamoDB requests per accepted request (BatchWriteItem 2 400 for 60 000 accepted).',
    );
  });

  it('writes no figure that is not in the document (no n/a where a value was measured)', () => {
    expect(text).not.toContain('n/a');
  });
});

describe('spliceFigures', () => {
  it('replaces only what is between the marks', () => {
    const doc = `# Title\n\nprose\n\n${BEGIN_MARK}\n\nold tables\n\n${END_MARK}\n\nmore prose\n`;
    const spliced = spliceFigures(doc, 'NEW');
    expect(spliced).toBe(`# Title\n\nprose\n\n${BEGIN_MARK}\n\nNEW\n\n${END_MARK}\n\nmore prose\n`);
    expect(spliceFigures(spliced, 'NEWER')).toContain(`${BEGIN_MARK}\n\nNEWER\n\n${END_MARK}`);
  });

  it('refuses a document without the marks', () => {
    expect(() => spliceFigures('# no marks', 'x')).toThrow(/bench-figures:begin/);
  });
});
