// Renders the figures section of docs/performance.md from one `npm run bench -- --json` file,
// so the document's numbers all come from one run and a new run is one command away
// (tools/bench/render-doc.ts). Pure: the JSON document in, Markdown out.
import type { BenchReport } from './report.ts';

export interface BenchDocument extends BenchReport {
  run: {
    profile: { name: string; apiSeconds: number; warmupSeconds: number; workerMessages: number };
    command: string;
    product_log_level: string;
    started_at: string;
    seconds: number;
    machine: {
      nproc: number;
      cpu_model: string;
      memory_gib: number;
      node: string;
      platform: string;
    };
  };
}

/** 6197 -> "6 197", as the document writes numbers; null -> "n/a". */
export function figure(value: number | null | undefined, digits?: number): string {
  if (value === null || value === undefined) return 'n/a';
  const text = digits === undefined ? String(value) : value.toFixed(digits);
  const [whole, fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

function markdownTable(headers: string[], align: Array<'l' | 'r'>, rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i].length)));
  const pad = (v: string, i: number) =>
    align[i] === 'r' ? v.padStart(widths[i]) : v.padEnd(widths[i]);
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

const cpu = (byProcess: Record<string, number> | null | undefined, names: string[]) =>
  byProcess ? names.map((n) => figure(byProcess[n] ?? null)).join(' / ') : 'n/a';

/** An end-to-end run's pace and CPU: delivered/s against the rate, CPU by process, busy cores. */
function machineLoad(run: {
  rate_per_second: number;
  delivered_per_second?: number | null;
  cpu_ms_per_notification?: Record<string, number>;
  busy_cores?: number | null;
}): string {
  const byProcess = Object.entries(run.cpu_ms_per_notification ?? {})
    .filter(([, ms]) => ms > 0)
    .sort(([, a], [, b]) => b - a);
  if (byProcess.length === 0) return 'not metered in this run';
  const total = byProcess.reduce((sum, [, ms]) => sum + ms, 0);
  return (
    `delivered ${figure(run.delivered_per_second ?? null)}/s at ${figure(run.rate_per_second)}/s posted, ` +
    `${figure(run.busy_cores ?? null)} cores busy; CPU per delivered notification ${figure(Math.round(total * 100) / 100)} ms: ` +
    byProcess.map(([name, ms]) => `${name} ${figure(ms)}`).join(', ')
  );
}

/** "SendMessageBatch 402 (9.95 each)" lines for one run's SQS calls. */
function sqsCalls(
  requests: Record<string, number>,
  sent: number,
  delivered: number,
  empty: number,
) {
  const per = (n: number, d: number | undefined) => (d ? figure(n / d, 2) : 'n/a');
  const parts = Object.entries(requests).map(([action, count]) => {
    if (action === 'SendMessageBatch')
      return `${action} ${figure(count)} (${per(sent, count)} entries each)`;
    if (action === 'ReceiveMessage') {
      return `${action} ${figure(count)} (${figure(empty)} empty; the others ${per(delivered, count - empty)} messages each)`;
    }
    if (action === 'DeleteMessageBatch')
      return `${action} ${figure(count)} (${per(delivered, count)} receipts each)`;
    return `${action} ${figure(count)}`;
  });
  return parts.join(', ');
}

/** "BatchWriteItem 1 188, PutItem 3 000", or "none". */
function operationCalls(requests: Record<string, number>): string {
  const parts = Object.entries(requests).map(([op, count]) => `${op} ${figure(count)}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** One run's status path: DynamoDB calls by operation, the events queue's SQS calls, events. */
function statusCalls(
  sqs: BenchReport['sqs']['product']['status_events'],
  dynamodb: BenchReport['dynamodb']['product'],
): string {
  const published = Object.entries(sqs.events_published)
    .map(([type, n]) => `${type} ${figure(n)}`)
    .join(', ');
  const settled =
    sqs.backlog > 0
      ? `**${figure(sqs.backlog)} events were still on the events queue when counted (the status consumer fell behind), so these are lower bounds**`
      : sqs.settled_after_ms === null
        ? 'not measured whether every event was applied'
        : `every event applied ${figure(sqs.settled_after_ms)} ms after the email queue was empty`;
  return (
    `DynamoDB ${operationCalls(dynamodb.requests)}; ` +
    `SQS on ${sqs.queues.join(' and ')} ${operationCalls(sqs.requests)} (${figure(sqs.empty_receives)} empty receives); ` +
    `SES events published into it (EventBridge's part, not counted) ${published || 'none'}; ${settled}`
  );
}

export function renderDocTables(d: BenchDocument): string {
  const m = d.run.machine;
  const out: string[] = [];
  out.push(
    `- Command: \`${d.run.command}${d.run.command.includes(' -- ') ? '' : ' --'} --json <file>\` (profile \`${d.run.profile.name}\`); started ${d.run.started_at}, took ${d.run.seconds} s.`,
    `- Machine: ${m.nproc} CPUs, "${m.cpu_model}", ${m.memory_gib} GiB, ${m.platform}, Node ${m.node}; product log level \`${d.run.product_log_level}\`.`,
    '',
    `### API (closed loop, ${d.run.profile.apiSeconds} s per run after a ${d.run.profile.warmupSeconds} s warm-up)`,
    '',
  );
  const apiRows: string[][] = [];
  const names = { product: 'product', naive: 'naive API', ceiling: 'bare Koa' } as const;
  for (const [key, run] of Object.entries(d.api.by_concurrency)) {
    for (const target of ['product', 'naive', 'ceiling'] as const) {
      const load = run[target];
      const cpuByProcess = run.cpu_ms_per_request?.[target];
      apiRows.push([
        names[target],
        key.slice(1),
        figure(load.acceptedPerSecond),
        figure(load.p50Ms),
        figure(load.p99Ms),
        figure(load.non2xx + load.errors),
        cpu(cpuByProcess, [
          'service',
          'sqs emulator',
          'dynamodb emulator',
          'load generator (bench)',
        ]),
      ]);
    }
  }
  out.push(
    markdownTable(
      [
        'target',
        'concurrency',
        'accepted/s',
        'p50 ms',
        'p99 ms',
        'non-2xx + errors',
        'CPU ms/request: service / SQS emulator / DynamoDB emulator / load generator',
      ],
      ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
      apiRows,
    ),
    '',
  );
  const keys = Object.keys(d.api.by_concurrency);
  out.push(
    markdownTable(
      ['ratio', ...keys.map((k) => `c=${k.slice(1)}`)],
      ['l', ...keys.map(() => 'r' as const)],
      [
        ['product ÷ naive', ...keys.map((k) => figure(d.api.by_concurrency[k].ratio_vs_naive))],
        [
          'product ÷ bare Koa',
          ...keys.map((k) => figure(d.api.by_concurrency[k].ratio_vs_ceiling)),
        ],
      ],
    ),
    '',
    `### Worker (drain a queue pre-filled with ${figure(d.run.profile.workerMessages)} envelopes to the SES emulator)`,
    '',
    markdownTable(
      [
        'worker',
        'emails/s',
        'sent',
        'seconds',
        'CPU ms per email: worker / SES emulator / SQS emulator',
      ],
      ['l', 'r', 'l', 'r', 'l'],
      (['product', 'naive'] as const).map((w) => {
        const run = d.worker[w];
        return [
          w,
          figure(run.emailsPerSecond),
          `${figure(run.sent)}/${figure(run.messages)}`,
          figure(run.seconds),
          cpu(run.cpuMsPerEmail, ['worker', 'ses emulator', 'sqs emulator']),
        ];
      }),
    ),
    '',
    `The product is ${figure(d.worker.ratio_vs_naive)} times the naive worker.`,
    '',
    `### End to end and request cost (SQS and DynamoDB through the counting proxies)`,
    '',
  );
  const low = d.e2e_low_rate;
  const tuned = d.e2e_cost_tuned;
  const naive = d.e2e.naive;
  const e2eRow = (
    name: string,
    r: {
      rate_per_second: number;
      sent: number;
      delivered: number;
      duplicates: number;
      lost: number;
      p50_ms: number | null;
      p99_ms: number | null;
    },
    perNotification: number | null,
    empty: number,
    usd: number | null,
    statusPerNotification: number | null,
    dynamodbPerNotification: number | null,
  ) => [
    name,
    figure(r.rate_per_second),
    figure(r.sent),
    figure(r.delivered),
    figure(r.duplicates),
    figure(r.lost),
    figure(r.p50_ms),
    figure(r.p99_ms),
    figure(perNotification, 3),
    figure(empty),
    figure(usd, 3),
    figure(statusPerNotification, 3),
    figure(dynamodbPerNotification, 3),
  ];
  const previous = d.api.c1?.previous_default;
  const previousSettings = Object.entries(previous?.settings ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const settings = Object.entries(tuned.settings)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  out.push(
    markdownTable(
      [
        'pair',
        'rate/s',
        'sent (202)',
        'delivered',
        'duplicates',
        'lost',
        'p50 ms',
        'p99 ms',
        'SQS requests / notification',
        'empty receives',
        '$ / million notifications',
        'events-queue SQS requests / notification',
        'DynamoDB requests / notification',
      ],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      [
        e2eRow(
          'product (default)',
          d.e2e,
          d.sqs.product.per_notification,
          d.sqs.product.empty_receives,
          d.sqs.product.usd_per_million_notifications,
          d.sqs.product.status_events.per_notification,
          d.dynamodb.product.per_notification,
        ),
        e2eRow(
          'product (old fixed linger)',
          tuned,
          d.sqs_cost_tuned.requests_per_notification,
          d.sqs_cost_tuned.empty_receives,
          d.sqs_cost_tuned.usd_per_million_notifications,
          d.sqs_cost_tuned.status_events.per_notification,
          tuned.dynamodb.per_notification,
        ),
        e2eRow(
          'naive',
          {
            rate_per_second: naive.ratePerSecond,
            sent: naive.sent,
            delivered: naive.delivered,
            duplicates: naive.duplicates,
            lost: naive.lost,
            p50_ms: naive.p50Ms,
            p99_ms: naive.p99Ms,
          },
          d.sqs.naive.per_notification,
          d.sqs.naive.empty_receives,
          d.sqs.naive.usd_per_million_notifications,
          d.sqs.naive.status_events.per_notification,
          d.dynamodb.naive.per_notification,
        ),
        e2eRow(
          'product (default), low rate',
          low,
          low.sqs.per_notification,
          low.sqs.empty_receives,
          low.sqs.usd_per_million_notifications,
          low.sqs.status_events.per_notification,
          low.dynamodb.per_notification,
        ),
      ],
    ),
    '',
    `- SQS calls, default product: ${sqsCalls(d.sqs.product.requests, d.e2e.sent, d.e2e.delivered, d.sqs.product.empty_receives)}.`,
    `- SQS calls, old fixed linger (${settings}): ${sqsCalls(d.sqs_cost_tuned.requests, tuned.sent, tuned.delivered, d.sqs_cost_tuned.empty_receives)}.`,
    `- SQS calls, default product at ${figure(low.rate_per_second)}/s: ${sqsCalls(low.sqs.requests, low.sent, low.delivered, low.sqs.empty_receives)}.`,
    `- SQS calls, naive: ${sqsCalls(d.sqs.naive.requests, naive.sent, naive.delivered, d.sqs.naive.empty_receives)}.`,
    `- Status path, default product: ${statusCalls(d.sqs.product.status_events, d.dynamodb.product)}.`,
    `- Status path, old fixed linger: ${statusCalls(d.sqs_cost_tuned.status_events, tuned.dynamodb)}.`,
    `- Status path, default product at ${figure(low.rate_per_second)}/s: ${statusCalls(low.sqs.status_events, low.dynamodb)}.`,
    ...(d.api.dynamodb
      ? [
          `- API alone, closed loop at concurrency ${figure(d.api.dynamodb.concurrency)} (${figure(d.api.dynamodb.seconds)} s, DynamoDB through the counting proxy): ${figure(d.api.dynamodb.per_accepted_request, 3)} DynamoDB requests per accepted request (${operationCalls(d.api.dynamodb.requests)} for ${figure(d.api.dynamodb.accepted)} accepted).`,
        ]
      : []),
    `- Machine load, default product: ${machineLoad(d.e2e)}.`,
    `- Machine load, old fixed linger: ${machineLoad(tuned)}.`,
    `- Machine load, default product at ${figure(low.rate_per_second)}/s: ${machineLoad(low)}.`,
    `- Machine load, naive: ${machineLoad({ rate_per_second: naive.ratePerSecond, delivered_per_second: naive.deliveredPerSecond, cpu_ms_per_notification: naive.cpuMsPerNotification, busy_cores: naive.busyCores })}.`,
    `- API at concurrency 1 (a lone client): product p50 ${figure(d.api.c1?.p50_ms)} ms, p99 ${figure(d.api.c1?.p99_ms)} ms (naive API p50 ${figure(d.api.c1?.naive_p50_ms)} ms; the default before group commit, ${previousSettings}, p50 ${figure(previous?.p50_ms)} ms, p99 ${figure(previous?.p99_ms)} ms).`,
    '',
    '### Targets',
    '',
    markdownTable(
      ['target', 'wanted', 'measured', 'met'],
      ['l', 'l', 'l', 'l'],
      d.targets.map((t) => [t.name, t.target, t.measured, t.met ? 'yes' : 'no']),
    ),
  );
  return out.join('\n');
}

export const BEGIN_MARK = '<!-- bench-figures:begin (tools/bench/render-doc.ts) -->';
export const END_MARK = '<!-- bench-figures:end -->';

/** Replaces the text between the marks with the rendered tables; the marks must be there. */
export function spliceFigures(doc: string, tables: string): string {
  const begin = doc.indexOf(BEGIN_MARK);
  const end = doc.indexOf(END_MARK);
  if (begin < 0 || end < begin) {
    throw new Error(`the document has no "${BEGIN_MARK}" ... "${END_MARK}" section`);
  }
  return `${doc.slice(0, begin + BEGIN_MARK.length)}\n\n${tables}\n\n${doc.slice(end)}`;
}
