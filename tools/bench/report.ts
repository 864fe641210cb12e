// Turns the measurements of one run into the figures the issue asks for (ratios, cost, targets
// met or not) and renders them as a table. Pure functions: the bench's numbers in, JSON out.
import type { LoadResult } from './http-load.ts';
import { totalRequests, type RequestCounts, type ResourceCounts } from './aws-request-counter.ts';

/** SQS list price per request (standard queue); the first million free each month is ignored. */
export const SQS_USD_PER_MILLION_REQUESTS = 0.4;

export type ApiTarget = 'product' | 'naive' | 'ceiling';

export interface WorkerRun {
  messages: number;
  sent: number;
  seconds: number;
  emailsPerSecond: number;
  /** CPU milliseconds per email sent, per process (worker, SES and SQS emulators). */
  cpuMsPerEmail: Record<string, number>;
}

export interface E2eRun {
  ratePerSecond: number;
  sent: number;
  delivered: number;
  duplicates: number;
  lost: number;
  rejected: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** SQS calls on the notification path: every queue but the status path's. */
  sqsRequests: RequestCounts;
  /** ReceiveMessage calls (included in sqsRequests) that returned no message. */
  emptyReceives: number;
  /** SQS calls on the status path (statusQueues: the SES events queue and its DLQ). */
  statusSqsRequests: RequestCounts;
  statusEmptyReceives: number;
  statusQueues: string[];
  /** SES events the event source published into the events queue, by detail-type. */
  eventsPublished: Record<string, number>;
  /** Events still on the events queue when the counts were read (0 when the path settled). */
  statusBacklog: number;
  /** Milliseconds from the email queue's draining to the status path's (null: it did not). */
  statusSettledMs: number | null;
  /** DynamoDB calls by operation, and by table then operation. */
  dynamodbRequests: RequestCounts;
  dynamodbByTable: ResourceCounts;
  /**
   * Notifications delivered per second, from the first POST to the last first delivery: below
   * the posting rate when the machine cannot keep up.
   */
  deliveredPerSecond: number | null;
  /**
   * CPU ms per delivered notification of every process of the run (services, event source,
   * emulators, counting proxies, the bench itself), from the first POST until the status path
   * settled.
   */
  cpuMsPerNotification: Record<string, number>;
  /** The CPU all of them used over that time ÷ its length: cores kept busy. */
  busyCores: number | null;
}

/** The product API's DynamoDB calls in a closed-loop run at the headline concurrency. */
export interface ApiDynamodbRun {
  concurrency: number;
  seconds: number;
  accepted: number;
  requests: RequestCounts;
}

export interface Measurements {
  api: Record<ApiTarget, Record<number, LoadResult>>;
  worker: { product: WorkerRun; naive: WorkerRun };
  /**
   * The product as configured by default (at the profile's rate and at a low rate), the same
   * with the old fixed linger and receive pause ("cost-tuned"), and naive.
   */
  e2e: { product: E2eRun; lowRate: E2eRun; costTuned: E2eRun; naive: E2eRun };
  /** The environment that makes the cost-tuned (old fixed-linger) configuration. */
  costTunedSettings: Record<string, string>;
  memoryMiB: Record<string, number>;
  readyMs: Record<string, number>;
  /** CPU ms per accepted request by process, per API target and concurrency. */
  apiCpuMsPerRequest?: Record<ApiTarget, Record<number, Record<string, number>>>;
  /** The product with the API default before group commit, at concurrency 1, and that setting. */
  apiPreviousDefaultC1?: LoadResult;
  previousApiDefault?: Record<string, string>;
  apiDynamodb?: ApiDynamodbRun;
}

export interface SqsCost {
  requests: RequestCounts;
  empty_receives: number;
  total: number;
  delivered: number;
  per_notification: number | null;
  usd_per_million_notifications: number | null;
  /**
   * The status path, apart: the worker's status consumer on the SES events queue and its DLQ.
   * `events_published` are EventBridge's deliveries into that queue (the event source's
   * sends), not counted as requests of ours.
   */
  status_events: {
    queues: string[];
    requests: RequestCounts;
    empty_receives: number;
    total: number;
    per_notification: number | null;
    events_published: Record<string, number>;
    /**
     * Events not yet applied when the counts were read: above 0, the status consumer fell
     * behind and every status figure of the run is a lower bound.
     */
    backlog: number;
    settled_after_ms: number | null;
  };
}

export interface DynamodbCost {
  requests: RequestCounts;
  by_table: ResourceCounts;
  total: number;
  delivered: number;
  per_notification: number | null;
}

export interface Target {
  name: string;
  target: string;
  measured: string;
  met: boolean;
  /** Which product configurations met it, when more than one was measured. */
  met_by?: string[];
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : null);

const perDelivered = (total: number, delivered: number) =>
  delivered > 0 ? round(total / delivered, 3) : null;

export function sqsCost(run: E2eRun): SqsCost {
  const total = totalRequests(run.sqsRequests);
  const perNotification = run.delivered > 0 ? total / run.delivered : null;
  const statusTotal = totalRequests(run.statusSqsRequests);
  return {
    requests: run.sqsRequests,
    empty_receives: run.emptyReceives,
    total,
    delivered: run.delivered,
    per_notification: perNotification === null ? null : round(perNotification, 3),
    usd_per_million_notifications:
      perNotification === null ? null : round(perNotification * SQS_USD_PER_MILLION_REQUESTS, 3),
    status_events: {
      queues: run.statusQueues,
      requests: run.statusSqsRequests,
      empty_receives: run.statusEmptyReceives,
      total: statusTotal,
      per_notification: perDelivered(statusTotal, run.delivered),
      events_published: run.eventsPublished,
      backlog: run.statusBacklog,
      settled_after_ms: run.statusSettledMs,
    },
  };
}

export function dynamodbCost(run: E2eRun): DynamodbCost {
  const total = totalRequests(run.dynamodbRequests);
  return {
    requests: run.dynamodbRequests,
    by_table: run.dynamodbByTable,
    total,
    delivered: run.delivered,
    per_notification: perDelivered(total, run.delivered),
  };
}

/** A run's figures under the report's snake_case keys. */
function e2eFigures(run: E2eRun) {
  return {
    rate_per_second: run.ratePerSecond,
    sent: run.sent,
    delivered: run.delivered,
    duplicates: run.duplicates,
    lost: run.lost,
    p50_ms: run.p50Ms,
    p99_ms: run.p99Ms,
    delivered_per_second: run.deliveredPerSecond,
    cpu_ms_per_notification: run.cpuMsPerNotification,
    busy_cores: run.busyCores,
  };
}

/** The headline concurrency: the highest one measured (64 in both profiles). */
export function headlineConcurrency(m: Measurements): number {
  return Math.max(...Object.keys(m.api.product).map(Number));
}

export function buildReport(m: Measurements) {
  const c = headlineConcurrency(m);
  const product = m.api.product[c];
  const byConcurrency = Object.fromEntries(
    Object.keys(m.api.product).map((key) => {
      const n = Number(key);
      return [
        `c${n}`,
        {
          product: m.api.product[n],
          naive: m.api.naive[n],
          ceiling: m.api.ceiling[n],
          ratio_vs_naive: ratio(
            m.api.product[n].acceptedPerSecond,
            m.api.naive[n].acceptedPerSecond,
          ),
          ratio_vs_ceiling: ratio(
            m.api.product[n].acceptedPerSecond,
            m.api.ceiling[n].acceptedPerSecond,
          ),
          cpu_ms_per_request: {
            product: m.apiCpuMsPerRequest?.product[n] ?? null,
            naive: m.apiCpuMsPerRequest?.naive[n] ?? null,
            ceiling: m.apiCpuMsPerRequest?.ceiling[n] ?? null,
          },
        },
      ];
    }),
  );
  const productCost = sqsCost(m.e2e.product);
  const tunedCost = sqsCost(m.e2e.costTuned);
  const naiveCost = sqsCost(m.e2e.naive);
  const lowRateCost = sqsCost(m.e2e.lowRate);
  const productDynamodb = dynamodbCost(m.e2e.product);
  const tunedDynamodb = dynamodbCost(m.e2e.costTuned);
  const lowRateDynamodb = dynamodbCost(m.e2e.lowRate);
  const apiDynamodb = m.apiDynamodb;
  const lone = m.api.product[1];
  const report = {
    api: {
      concurrency: c,
      accepted_per_second: product.acceptedPerSecond,
      ratio_vs_naive: ratio(product.acceptedPerSecond, m.api.naive[c].acceptedPerSecond),
      ratio_vs_ceiling: ratio(product.acceptedPerSecond, m.api.ceiling[c].acceptedPerSecond),
      p50_ms: product.p50Ms,
      p99_ms: product.p99Ms,
      /** A lone client (concurrency 1): the latency batching must not add to. */
      c1: lone
        ? {
            accepted_per_second: lone.acceptedPerSecond,
            p50_ms: lone.p50Ms,
            p99_ms: lone.p99Ms,
            naive_p50_ms: m.api.naive[1]?.p50Ms ?? null,
            previous_default: m.apiPreviousDefaultC1
              ? {
                  settings: m.previousApiDefault ?? {},
                  p50_ms: m.apiPreviousDefaultC1.p50Ms,
                  p99_ms: m.apiPreviousDefaultC1.p99Ms,
                  accepted_per_second: m.apiPreviousDefaultC1.acceptedPerSecond,
                }
              : null,
          }
        : null,
      by_concurrency: byConcurrency,
      /** The product API's DynamoDB calls per accepted request (its own run, through the proxy). */
      dynamodb: apiDynamodb
        ? {
            concurrency: apiDynamodb.concurrency,
            seconds: apiDynamodb.seconds,
            accepted: apiDynamodb.accepted,
            requests: apiDynamodb.requests,
            total: totalRequests(apiDynamodb.requests),
            per_accepted_request:
              apiDynamodb.accepted > 0
                ? round(totalRequests(apiDynamodb.requests) / apiDynamodb.accepted, 3)
                : null,
          }
        : null,
    },
    worker: {
      emails_per_second: m.worker.product.emailsPerSecond,
      ratio_vs_naive: ratio(m.worker.product.emailsPerSecond, m.worker.naive.emailsPerSecond),
      product: m.worker.product,
      naive: m.worker.naive,
    },
    e2e: {
      ...e2eFigures(m.e2e.product),
      naive: m.e2e.naive,
    },
    e2e_low_rate: {
      ...e2eFigures(m.e2e.lowRate),
      sqs_requests_per_notification: lowRateCost.per_notification,
      sqs: lowRateCost,
      dynamodb_requests_per_notification: lowRateDynamodb.per_notification,
      dynamodb: lowRateDynamodb,
    },
    e2e_cost_tuned: {
      settings: m.costTunedSettings,
      ...e2eFigures(m.e2e.costTuned),
      dynamodb_requests_per_notification: tunedDynamodb.per_notification,
      dynamodb: tunedDynamodb,
    },
    /** The default configuration's figure; the cost-tuned one is sqs_cost_tuned. */
    sqs_requests_per_notification: productCost.per_notification,
    sqs_cost_tuned: {
      requests_per_notification: tunedCost.per_notification,
      usd_per_million_notifications: tunedCost.usd_per_million_notifications,
      requests: tunedCost.requests,
      empty_receives: tunedCost.empty_receives,
      total: tunedCost.total,
      delivered: tunedCost.delivered,
      status_events: tunedCost.status_events,
    },
    sqs: { product: productCost, naive: naiveCost },
    /** The default product's figure (e2e run); the naive pair does no status tracking. */
    dynamodb_requests_per_notification: productDynamodb.per_notification,
    dynamodb: { product: productDynamodb, naive: dynamodbCost(m.e2e.naive) },
    memory_mib: m.memoryMiB,
    ready_ms: m.readyMs,
    targets: [] as Target[],
  };
  report.targets = evaluateTargets(report);
  return report;
}

export type BenchReport = ReturnType<typeof buildReport>;

export function evaluateTargets(r: Omit<BenchReport, 'targets'>): Target[] {
  const show = (value: number | null, unit = '') => (value === null ? 'n/a' : `${value}${unit}`);
  const perNotification = r.sqs_requests_per_notification;
  const perNotificationTuned = r.sqs_cost_tuned.requests_per_notification;
  const sqsMetBy = [
    ['default', perNotification],
    ['cost-tuned', perNotificationTuned],
  ]
    .filter(([, value]) => value !== null && (value as number) <= 0.35)
    .map(([name]) => name as string);
  // Every product run counts: a knob that saves requests must not lose notifications.
  const lostProduct = r.e2e.sent - r.e2e.delivered + r.e2e_cost_tuned.lost + r.e2e_low_rate.lost;
  const sentProduct = r.e2e.sent + r.e2e_cost_tuned.sent + r.e2e_low_rate.sent;
  const duplicatesProduct =
    r.e2e.duplicates + r.e2e_cost_tuned.duplicates + r.e2e_low_rate.duplicates;
  return [
    {
      name: `API throughput vs naive (c=${r.api.concurrency})`,
      target: '>= 4x',
      measured: show(r.api.ratio_vs_naive, 'x'),
      met: (r.api.ratio_vs_naive ?? 0) >= 4,
    },
    {
      name: `API throughput vs bare Koa (c=${r.api.concurrency})`,
      target: '>= 0.25',
      measured: show(r.api.ratio_vs_ceiling),
      met: (r.api.ratio_vs_ceiling ?? 0) >= 0.25,
    },
    {
      name: `API p99 latency (c=${r.api.concurrency})`,
      target: '< 50 ms',
      measured: show(r.api.p99_ms, ' ms'),
      met: r.api.p99_ms < 50,
    },
    ...(r.api.c1?.previous_default
      ? [
          {
            name: 'API p50 latency at c=1 vs the default before group commit',
            target: `<= ${r.api.c1.previous_default.p50_ms} ms`,
            measured: show(r.api.c1.p50_ms, ' ms'),
            met: r.api.c1.p50_ms <= r.api.c1.previous_default.p50_ms,
          },
        ]
      : []),
    {
      name: 'worker emails/s vs naive',
      target: '>= 4x',
      measured: show(r.worker.ratio_vs_naive, 'x'),
      met: (r.worker.ratio_vs_naive ?? 0) >= 4,
    },
    {
      name: 'SQS requests per delivered notification',
      target: '<= 0.35',
      measured:
        `default ${show(perNotification)}, cost-tuned ${show(perNotificationTuned)}: ` +
        (sqsMetBy.length > 0 ? `met by ${sqsMetBy.join(' and ')}` : 'met by neither'),
      met: sqsMetBy.length > 0,
      met_by: sqsMetBy,
    },
    {
      name: 'lost notifications (202 but not delivered)',
      target: '0',
      measured: String(lostProduct),
      met: lostProduct === 0 && sentProduct > 0,
    },
    {
      name: 'duplicate deliveries (product runs)',
      target: '0',
      measured: String(duplicatesProduct),
      met: duplicatesProduct === 0 && sentProduct > 0,
    },
  ];
}

function table(headers: string[], rows: Array<Array<string | number | null>>): string {
  const cells = rows.map((row) => row.map((v) => (v === null ? 'n/a' : String(v))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]) =>
    values.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export function renderReport(r: BenchReport): string {
  const apiRows: Array<Array<string | number | null>> = [];
  for (const [key, run] of Object.entries(r.api.by_concurrency)) {
    for (const target of ['product', 'naive', 'ceiling'] as const) {
      const load = run[target];
      apiRows.push([
        `${target} ${key}`,
        load.acceptedPerSecond,
        load.p50Ms,
        load.p99Ms,
        load.non2xx,
        load.errors,
      ]);
    }
    apiRows.push([`  ratio ${key}`, `${run.ratio_vs_naive}x naive`, '', '', '', '']);
    apiRows.push(['', `${run.ratio_vs_ceiling} of ceiling`, '', '', '', '']);
  }
  const tuned = r.e2e_cost_tuned;
  const e2eRows = [
    [
      'product (default)',
      r.e2e.sent,
      r.e2e.delivered,
      r.e2e.duplicates,
      r.e2e.p50_ms,
      r.e2e.p99_ms,
      r.sqs.product.per_notification,
      r.sqs.product.empty_receives,
      r.sqs.product.usd_per_million_notifications,
      r.sqs.product.status_events.per_notification,
      r.dynamodb.product.per_notification,
      r.e2e.rate_per_second,
    ],
    [
      'product (default, low rate)',
      r.e2e_low_rate.sent,
      r.e2e_low_rate.delivered,
      r.e2e_low_rate.duplicates,
      r.e2e_low_rate.p50_ms,
      r.e2e_low_rate.p99_ms,
      r.e2e_low_rate.sqs.per_notification,
      r.e2e_low_rate.sqs.empty_receives,
      r.e2e_low_rate.sqs.usd_per_million_notifications,
      r.e2e_low_rate.sqs.status_events.per_notification,
      r.e2e_low_rate.dynamodb.per_notification,
      r.e2e_low_rate.rate_per_second,
    ],
    [
      'product (old fixed linger)',
      tuned.sent,
      tuned.delivered,
      tuned.duplicates,
      tuned.p50_ms,
      tuned.p99_ms,
      r.sqs_cost_tuned.requests_per_notification,
      r.sqs_cost_tuned.empty_receives,
      r.sqs_cost_tuned.usd_per_million_notifications,
      r.sqs_cost_tuned.status_events.per_notification,
      tuned.dynamodb.per_notification,
      tuned.rate_per_second,
    ],
    [
      'naive',
      r.e2e.naive.sent,
      r.e2e.naive.delivered,
      r.e2e.naive.duplicates,
      r.e2e.naive.p50Ms,
      r.e2e.naive.p99Ms,
      r.sqs.naive.per_notification,
      r.sqs.naive.empty_receives,
      r.sqs.naive.usd_per_million_notifications,
      r.sqs.naive.status_events.per_notification,
      r.dynamodb.naive.per_notification,
      r.e2e.naive.ratePerSecond,
    ],
  ];
  return [
    'API (closed loop, accepted = 202)',
    table(['target', 'accepted/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'], apiRows),
    '',
    'Worker (drain a pre-filled queue to the SES emulator)',
    table(
      ['worker', 'emails/s', 'sent', 'seconds'],
      [
        [
          'product',
          r.worker.product.emailsPerSecond,
          r.worker.product.sent,
          r.worker.product.seconds,
        ],
        ['naive', r.worker.naive.emailsPerSecond, r.worker.naive.sent, r.worker.naive.seconds],
        ['ratio', `${r.worker.ratio_vs_naive}x`, '', ''],
      ],
    ),
    '',
    'End to end (fixed rate, 202 -> SES emulator) and SQS cost',
    table(
      [
        'pair',
        'sent',
        'delivered',
        'dups',
        'p50 ms',
        'p99 ms',
        'SQS req/notif',
        'empty rcv',
        '$/M notif',
        'events-queue req/notif',
        'DynamoDB req/notif',
        'rate/s',
      ],
      e2eRows,
    ),
    `old fixed linger ("cost-tuned"): ${Object.entries(tuned.settings)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')}`,
    `SQS req/notif: the notification path (every queue but the SES events queue); events-queue req/notif: the status consumer on ${r.sqs.product.status_events.queues.join(' and ')}`,
    `DynamoDB calls, default product: ${JSON.stringify(r.dynamodb.product.requests)}` +
      (r.api.dynamodb
        ? `; API alone at c=${r.api.dynamodb.concurrency}: ${r.api.dynamodb.per_accepted_request} per accepted request ${JSON.stringify(r.api.dynamodb.requests)}`
        : ''),
    '',
    'Resident memory under load (peak MiB) and time to ready (ms)',
    table(
      ['process', 'RSS MiB', 'ready ms'],
      [...new Set([...Object.keys(r.memory_mib), ...Object.keys(r.ready_ms)])].map((name) => [
        name,
        r.memory_mib[name] ?? null,
        r.ready_ms[name] ?? null,
      ]),
    ),
    '',
    'Targets',
    table(
      ['target', 'wanted', 'measured', 'met'],
      r.targets.map((t) => [t.name, t.target, t.measured, t.met ? 'yes' : 'NO']),
    ),
  ].join('\n');
}
