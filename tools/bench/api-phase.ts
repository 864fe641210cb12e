// API throughput: the product, the naive API and the bare-Koa ceiling, each in its own process,
// driven in turn at each concurrency with the same request. The queue is emptied between runs so
// the SQS emulator's memory does not grow across the phase.
import { setTimeout as sleep } from 'node:timers/promises';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { countsSince } from './aws-request-counter.ts';
import {
  BENCH_TOKEN,
  PREVIOUS_API_DEFAULT,
  readProxyCounts,
  type BenchStack,
  type Started,
} from './bench-stack.ts';
import { runLoad, type LoadResult } from './http-load.ts';
import { meterCpu } from './cpu-usage.ts';
import { sampleMemory } from './memory-sampler.ts';
import type { BenchProfile } from './options.ts';
import { purgeQueue } from './queue-tools.ts';
import type { ApiDynamodbRun, ApiTarget } from './report.ts';

export const API_REQUEST_BODY = JSON.stringify({
  to: 'bench-recipient@example.com',
  subject: 'Benchmark notification',
  text: 'Benchmark message body: a short transactional notification.',
});

export interface ApiPhaseResult {
  runs: Record<ApiTarget, Record<number, LoadResult>>;
  /** The product with the API default before group commit, at concurrency 1. */
  previousDefaultC1: LoadResult | undefined;
  /** The product's DynamoDB calls at the headline concurrency, counted in a run of its own. */
  dynamodb: ApiDynamodbRun;
  /** CPU milliseconds per accepted request, per process, for each run. */
  cpuMsPerRequest: Record<ApiTarget, Record<number, Record<string, number>>>;
  memoryMiB: Record<string, number>;
  readyMs: Record<string, number>;
}

export async function runApiPhase(
  stack: BenchStack,
  sqs: SQSClient,
  profile: BenchProfile,
  log: (line: string) => void,
): Promise<ApiPhaseResult> {
  const resources = await stack.provision('bench-api');
  const started: Record<ApiTarget, Started> = {
    ceiling: await stack.startCeilingApi(),
    naive: await stack.startNaiveApi(resources, false),
    product: await stack.startProductApi(resources, false),
  };
  const runs: ApiPhaseResult['runs'] = { product: {}, naive: {}, ceiling: {} };
  const cpuMsPerRequest: ApiPhaseResult['cpuMsPerRequest'] = {
    product: {},
    naive: {},
    ceiling: {},
  };
  const sqsEmulator = stack.emulators.processes.find((p) => p.name === 'sqs');
  // dynalite shares the two cores with the product (it holds the status table), while AWS runs
  // DynamoDB elsewhere: metered so a reader can see what it takes from the product's throughput.
  const dynamodbEmulator = stack.emulators.processes.find((p) => p.name === 'dynamodb');
  const memoryMiB: Record<string, number> = {};
  const load = (target: ApiTarget, connections: number, seconds: number) =>
    loadUrl(started[target].url, connections, seconds);
  const loadUrl = (baseUrl: string, connections: number, seconds: number) =>
    runLoad({
      url: `${baseUrl}/v1/notifications`,
      connections,
      durationSeconds: seconds,
      maxRequests: profile.apiMaxRequests,
      body: API_REQUEST_BODY,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
    });
  try {
    const targets: ApiTarget[] = ['ceiling', 'naive', 'product'];
    for (const target of targets) {
      await load(target, profile.concurrencies[0], profile.warmupSeconds);
      await purgeQueue(sqs, resources.queueUrl);
    }
    // Interleaved (all targets at one concurrency, then the next) so drift on a shared machine
    // touches every target alike.
    for (const connections of profile.concurrencies) {
      for (const target of targets) {
        const proc = started[target].process;
        const sampler = sampleMemory([{ name: proc.name, pid: proc.pid }]);
        const cpu = meterCpu([
          { name: 'service', pid: proc.pid },
          { name: 'sqs emulator', pid: sqsEmulator?.child.pid ?? -1 },
          { name: 'dynamodb emulator', pid: dynamodbEmulator?.child.pid ?? -1 },
        ]);
        const result = await load(target, connections, profile.apiSeconds);
        const cpuMs = cpu.stop();
        const peaks = sampler.stop();
        cpuMsPerRequest[target][connections] = Object.fromEntries(
          Object.entries(cpuMs).map(([name, ms]) => [
            name,
            Math.round((ms / Math.max(1, result.accepted)) * 1000) / 1000,
          ]),
        );
        memoryMiB[proc.name] = Math.max(memoryMiB[proc.name] ?? 0, peaks[proc.name] ?? 0);
        runs[target][connections] = result;
        log(
          `  api ${target} c=${connections}: ${result.acceptedPerSecond}/s, p50 ${result.p50Ms} ms, ` +
            `p99 ${result.p99Ms} ms, non-2xx ${result.non2xx}, errors ${result.errors}, ` +
            `CPU ms/request ${JSON.stringify(cpuMsPerRequest[target][connections])}`,
        );
        await purgeQueue(sqs, resources.queueUrl);
      }
    }
  } finally {
    await Promise.all(Object.values(started).map((s) => s.process.stop('SIGTERM', 15_000)));
  }
  let previousDefaultC1: LoadResult | undefined;
  if (profile.concurrencies.includes(1)) {
    const previous = await stack.startProductApi(resources, false, {
      suffix: '-previous-default',
      env: PREVIOUS_API_DEFAULT,
    });
    try {
      await loadUrl(previous.url, 1, profile.warmupSeconds);
      previousDefaultC1 = await loadUrl(previous.url, 1, profile.apiSeconds);
      log(
        `  api product with ${JSON.stringify(PREVIOUS_API_DEFAULT)} c=1: ` +
          `${previousDefaultC1.acceptedPerSecond}/s, p50 ${previousDefaultC1.p50Ms} ms, ` +
          `p99 ${previousDefaultC1.p99Ms} ms`,
      );
      await purgeQueue(sqs, resources.queueUrl);
    } finally {
      await previous.process.stop('SIGTERM', 15_000);
    }
  }
  // The API's DynamoDB calls (the status record's batched create at each POST), counted in a
  // run of its own: the measured runs above talk to dynalite directly, so the proxy's hop does
  // not touch their figures.
  const concurrency = Math.max(...profile.concurrencies);
  const counted = await stack.startProductApi(
    resources,
    { sqs: false, dynamodb: true },
    { suffix: '-dynamodb-counted', env: {} },
  );
  let dynamodb: ApiDynamodbRun;
  try {
    await loadUrl(counted.url, concurrency, profile.warmupSeconds);
    await purgeQueue(sqs, resources.queueUrl);
    const before = await readProxyCounts(stack.dynamodbProxyUrl);
    const result = await loadUrl(counted.url, concurrency, profile.apiSeconds);
    // Count the writes of requests still finishing when the load stopped.
    await sleep(200);
    const after = await readProxyCounts(stack.dynamodbProxyUrl);
    dynamodb = {
      concurrency,
      seconds: profile.apiSeconds,
      accepted: result.accepted,
      requests: countsSince(after.counts, before.counts),
    };
    log(
      `  api product c=${concurrency} with DynamoDB counted: ${result.acceptedPerSecond}/s, ` +
        `DynamoDB ${JSON.stringify(dynamodb.requests)} for ${result.accepted} accepted`,
    );
    await purgeQueue(sqs, resources.queueUrl);
  } finally {
    await counted.process.stop('SIGTERM', 15_000);
  }
  return {
    runs,
    previousDefaultC1,
    dynamodb,
    cpuMsPerRequest,
    memoryMiB,
    readyMs: Object.fromEntries(
      Object.values(started).map((s) => [s.process.name, s.readyMs] as const),
    ),
  };
}
