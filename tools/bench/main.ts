// `npm run bench [-- --quick] [-- --json <path>]`: measures the product against its baselines
// in one run (API throughput and latency, worker throughput, end-to-end latency, SQS requests
// per notification, memory, time to ready), prints a table and writes every figure as JSON.
// Every participant is a process of its own; the load comes from this one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runApiPhase } from './api-phase.ts';
import {
  COST_TUNED,
  PREVIOUS_API_DEFAULT,
  startBenchStack,
  type BenchStack,
} from './bench-stack.ts';
import { runE2ePhase } from './e2e-phase.ts';
import { parseBenchArgs, UsageError } from './options.ts';
import { benchSqsClient } from './queue-tools.ts';
import { buildReport, renderReport } from './report.ts';
import { runWorkerPhase } from './worker-phase.ts';

let options;
try {
  options = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

const root = join(import.meta.dirname, '..', '..');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const logDir = join(root, 'bench-results', `logs-${stamp}`);
mkdirSync(logDir, { recursive: true });
// Production log level: the product pays for its access logs and metrics lines here too.
const logLevel = process.env.BENCH_LOG_LEVEL ?? 'info';
const log = (line: string) => console.log(line);
const began = performance.now();

let stack: BenchStack | undefined;
const stop = async () => {
  await stack?.stop();
};
process.once('SIGINT', () => void stop().then(() => process.exit(130)));

try {
  log(`bench (${options.profile.name}): process logs in ${logDir}`);
  stack = await startBenchStack(logDir, logLevel);
  const sqs = benchSqsClient(stack.sqsDirect);
  log('API throughput...');
  const api = await runApiPhase(stack, sqs, options.profile, log);
  log('worker throughput...');
  const worker = await runWorkerPhase(stack, sqs, options.profile, log);
  log('end to end and SQS cost...');
  const e2e = await runE2ePhase(stack, sqs, options.profile, log);
  sqs.destroy();

  const report = buildReport({
    api: api.runs,
    worker: { product: worker.product, naive: worker.naive },
    e2e: {
      product: e2e.product,
      lowRate: e2e.lowRate,
      costTuned: e2e.costTuned,
      naive: e2e.naive,
    },
    costTunedSettings: { ...COST_TUNED.api, ...COST_TUNED.worker },
    memoryMiB: { ...api.memoryMiB, ...worker.memoryMiB, ...e2e.memoryMiB },
    readyMs: { ...api.readyMs, ...worker.readyMs },
    apiCpuMsPerRequest: api.cpuMsPerRequest,
    apiPreviousDefaultC1: api.previousDefaultC1,
    apiDynamodb: api.dynamodb,
    previousApiDefault: PREVIOUS_API_DEFAULT,
  });
  const cpu = cpus();
  const document = {
    ...report,
    run: {
      profile: options.profile,
      command: `npm run bench${options.profile.name === 'quick' ? ' -- --quick' : ''}`,
      product_log_level: logLevel,
      started_at: new Date(Date.now() - (performance.now() - began)).toISOString(),
      seconds: Math.round((performance.now() - began) / 1000),
      machine: {
        nproc: cpu.length,
        cpu_model: cpu[0]?.model ?? 'unknown',
        memory_gib: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
      },
    },
  };
  console.log(`\n${renderReport(report)}\n`);
  console.log(`run took ${document.run.seconds} s`);
  if (options.jsonPath) {
    const path = resolve(options.jsonPath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
    console.log(`figures written to ${path}`);
  }
  await stop();
  process.exit(0);
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  await stop();
  process.exit(1);
}
