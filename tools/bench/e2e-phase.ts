// End to end and request cost: for each pair (product API + worker as configured by default, at
// the profile's rate and at a low rate; the same product with the old fixed linger and receive
// pause; naive API + worker), each talking to SQS and DynamoDB through the counting proxies, N
// notifications are posted at a fixed rate, each with a unique subject; latency runs from the
// 202 to the email's first appearance in the SES emulator's store (resolution: the poll
// interval). The product pairs run as in production, with status tracking: the worker sends
// through the SES event source, which publishes each email's Send and Delivery events to the
// events queue, and the worker's status consumer writes them to the status table. The requests
// counted from the first post until both queues are empty are divided by the notifications
// delivered; SQS calls on the events queue (the status path) are counted apart from the
// notification path's.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  BENCH_TOKEN,
  COST_TUNED,
  readProxyCounts,
  type BenchStack,
  type ProductVariant,
  type Started,
  type StartedEventSource,
} from './bench-stack.ts';
import { countsOf, countsSince, queueName, resourceCountsSince } from './aws-request-counter.ts';
import { clearStore, trackDeliveries } from './delivery-tracker.ts';
import { runAtFixedRate } from './fixed-rate.ts';
import { meterCpu } from './cpu-usage.ts';
import { sampleMemory } from './memory-sampler.ts';
import type { BenchProfile } from './options.ts';
import { percentile } from './percentiles.ts';
import { queueDepth } from './queue-tools.ts';
import type { E2eRun } from './report.ts';

export const E2E_POLL_INTERVAL_MS = 50;

export interface E2ePhaseResult {
  product: E2eRun;
  /** The default product at profile.e2eLowRatePerSecond. */
  lowRate: E2eRun;
  costTuned: E2eRun;
  naive: E2eRun;
  memoryMiB: Record<string, number>;
}

type Pair = 'product' | 'product-low-rate' | 'product-cost-tuned' | 'naive';

const COST_TUNED_API: ProductVariant = { suffix: '-cost-tuned', env: COST_TUNED.api };
const COST_TUNED_WORKER: ProductVariant = { suffix: '-cost-tuned', env: COST_TUNED.worker };

async function runPair(
  pair: Pair,
  stack: BenchStack,
  sqs: SQSClient,
  profile: BenchProfile,
  memoryMiB: Record<string, number>,
): Promise<E2eRun> {
  const lowRate = pair === 'product-low-rate';
  const count = lowRate ? profile.e2eLowRateCount : profile.e2eCount;
  const ratePerSecond = lowRate ? profile.e2eLowRatePerSecond : profile.e2eRatePerSecond;
  const resources = await stack.provision(`bench-e2e-${pair}`);
  // The naive pair does no status tracking: no event source, no DynamoDB.
  const statusTracking = pair !== 'naive';
  const statusQueues = [resources.eventsQueueUrl, resources.eventsDlqUrl].map(queueName);
  let api: Started | undefined;
  let worker: Started | undefined;
  let events: StartedEventSource | undefined;
  try {
    if (statusTracking) events = await stack.startSesEventSource(resources);
    api =
      pair === 'naive'
        ? await stack.startNaiveApi(resources, true)
        : await stack.startProductApi(
            resources,
            true,
            pair === 'product-cost-tuned' ? COST_TUNED_API : undefined,
          );
    worker =
      pair === 'naive'
        ? await stack.startNaiveWorker(resources, true)
        : await stack.startProductWorker(
            resources,
            true,
            pair === 'product-cost-tuned' ? COST_TUNED_WORKER : undefined,
            events?.url,
          );
    await clearStore(stack.sesUrl);
    const prefix = `e2e-${pair}-${randomUUID().slice(0, 8)}-`;
    const tracker = trackDeliveries(stack.sesUrl, {
      intervalMs: E2E_POLL_INTERVAL_MS,
      subjectPrefix: prefix,
    });
    const processes = [api.process, worker.process].map((p) => ({ name: p.name, pid: p.pid }));
    const sampler = sampleMemory(processes);
    // Every process of the run shares the two cores: metered together, they say whether the
    // machine kept up with the rate.
    const cpu = meterCpu([
      { name: 'api', pid: api.process.pid },
      { name: 'worker', pid: worker.process.pid },
      ...(events ? [{ name: 'ses event source', pid: events.process.pid }] : []),
      ...stack.emulators.processes.map((p) => ({
        name: `${p.name} emulator`,
        pid: p.child.pid ?? -1,
      })),
      { name: 'sqs counting proxy', pid: stack.proxy.pid },
      { name: 'dynamodb counting proxy', pid: stack.dynamodbProxy.pid },
    ]);
    const firstPostAt = Date.now();
    const before = await readProxyCounts(stack.proxyUrl);
    const dynamodbBefore = await readProxyCounts(stack.dynamodbProxyUrl);
    const acceptedAt = new Map<string, number>();
    let rejected = 0;
    // Deliveries are polled while posting, so latency is measured as the emails arrive.
    let posting = true;
    const watcher = (async () => {
      while (posting) {
        await tracker.poll();
        await sleep(E2E_POLL_INTERVAL_MS);
      }
    })();
    const apiUrl = `${api.url}/v1/notifications`;
    await runAtFixedRate({
      count,
      ratePerSecond,
      maxOutstanding: 256,
      send: async (i) => {
        const subject = `${prefix}${i}`;
        const res = await fetch(apiUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
          body: JSON.stringify({
            to: 'bench-recipient@example.com',
            subject,
            text: `End-to-end benchmark notification ${i}.`,
          }),
        });
        await res.arrayBuffer();
        if (res.status === 202) acceptedAt.set(subject, Date.now());
        else rejected += 1;
      },
    });
    posting = false;
    await watcher;
    await tracker.waitUntil(
      () => [...acceptedAt.keys()].every((s) => tracker.firstSeen.has(s)),
      profile.e2eTimeLimitSeconds * 1000,
    );
    // Count until the queue is empty and the deletes are flushed (the proxy sees every call).
    const emptyBy = Date.now() + 15_000;
    while ((await queueDepth(sqs, resources.queueUrl)) > 0 && Date.now() < emptyBy) {
      await sleep(100);
    }
    // Then until every delivery's events are published and the status consumer has applied
    // (and deleted) them all: its DynamoDB writes come before its deletes. A status path that
    // has not caught up by the time limit is reported with its backlog, not waited for.
    let eventsPublished: Record<string, number> = {};
    let statusBacklog = 0;
    let statusSettledMs: number | null = null;
    if (events) {
      const delivered = [...acceptedAt.keys()].filter((s) => tracker.firstSeen.has(s)).length;
      const waitFrom = Date.now();
      const settledBy = waitFrom + profile.e2eTimeLimitSeconds * 1000;
      for (;;) {
        eventsPublished = await events.published();
        statusBacklog = await queueDepth(sqs, resources.eventsQueueUrl);
        if ((eventsPublished['Email Delivered'] ?? 0) >= delivered && statusBacklog === 0) {
          statusSettledMs = Date.now() - waitFrom;
          break;
        }
        if (Date.now() > settledBy) break;
        await sleep(100);
      }
    }
    const cpuMs = cpu.stop();
    const meteredMs = Date.now() - firstPostAt;
    await sleep(200);
    const after = await readProxyCounts(stack.proxyUrl);
    const dynamodbAfter = await readProxyCounts(stack.dynamodbProxyUrl);
    const peaks = sampler.stop();
    // The low-rate run's processes have the same names; the peaks at the full rate are kept.
    if (!lowRate) {
      for (const [name, mib] of Object.entries(peaks)) memoryMiB[`${name} (e2e)`] = mib;
    }
    tracker.stop();

    const sqsAll = countsSince(after.counts, before.counts);
    const statusSqs = countsOf(
      resourceCountsSince(after.byResource, before.byResource),
      statusQueues,
    );
    const statusEmpty = statusQueues.reduce(
      (sum, q) =>
        sum + (after.emptyReceivesByResource[q] ?? 0) - (before.emptyReceivesByResource[q] ?? 0),
      0,
    );
    const latencies: number[] = [];
    let delivered = 0;
    let duplicates = 0;
    for (const [subject, at] of acceptedAt) {
      const seen = tracker.firstSeen.get(subject);
      if (seen === undefined) continue;
      delivered += 1;
      latencies.push(Math.max(0, seen - at));
      duplicates += (tracker.copies.get(subject) ?? 1) - 1;
    }
    const lastDeliveryAt = Math.max(
      ...[...acceptedAt.keys()].map((s) => tracker.firstSeen.get(s) ?? 0),
    );
    const totalCpuMs = Object.values(cpuMs).reduce((a, b) => a + b, 0);
    return {
      ratePerSecond,
      deliveredPerSecond:
        delivered > 0 && lastDeliveryAt > firstPostAt
          ? Math.round((delivered * 1000) / (lastDeliveryAt - firstPostAt))
          : null,
      cpuMsPerNotification: Object.fromEntries(
        Object.entries(cpuMs).map(([name, ms]) => [
          name,
          Math.round((ms / Math.max(1, delivered)) * 1000) / 1000,
        ]),
      ),
      busyCores: meteredMs > 0 ? Math.round((totalCpuMs / meteredMs) * 100) / 100 : null,
      sent: acceptedAt.size,
      delivered,
      duplicates,
      lost: acceptedAt.size - delivered,
      rejected,
      p50Ms: percentile(latencies, 50) ?? null,
      p99Ms: percentile(latencies, 99) ?? null,
      // The notification path: every SQS call but the status path's.
      sqsRequests: countsSince(sqsAll, statusSqs),
      emptyReceives: after.emptyReceives - before.emptyReceives - statusEmpty,
      statusSqsRequests: statusSqs,
      statusEmptyReceives: statusEmpty,
      statusQueues,
      eventsPublished,
      statusBacklog,
      statusSettledMs,
      dynamodbRequests: countsSince(dynamodbAfter.counts, dynamodbBefore.counts),
      dynamodbByTable: resourceCountsSince(dynamodbAfter.byResource, dynamodbBefore.byResource),
    };
  } finally {
    await api?.process.stop('SIGTERM', 15_000);
    await worker?.process.stop('SIGTERM', 30_000);
    await events?.process.stop('SIGTERM', 5_000);
  }
}

export async function runE2ePhase(
  stack: BenchStack,
  sqs: SQSClient,
  profile: BenchProfile,
  log: (line: string) => void,
): Promise<E2ePhaseResult> {
  const memoryMiB: Record<string, number> = {};
  const show = (name: string, run: E2eRun) =>
    log(
      `  e2e ${name}: ${run.delivered}/${run.sent} delivered, ${run.duplicates} dups, ` +
        `p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, SQS ${JSON.stringify(run.sqsRequests)} (${run.emptyReceives} empty receives), ` +
        (Object.keys(run.eventsPublished).length === 0
          ? 'no status tracking'
          : `events queue ${JSON.stringify(run.statusSqsRequests)} (${run.statusEmptyReceives} empty), ` +
            `DynamoDB ${JSON.stringify(run.dynamodbRequests)}, events published ${JSON.stringify(run.eventsPublished)}, ` +
            (run.statusSettledMs === null
              ? `${run.statusBacklog} events not applied by the time limit`
              : `status settled ${run.statusSettledMs} ms after the email queue`)),
    );
  const product = await runPair('product', stack, sqs, profile, memoryMiB);
  show('product', product);
  const lowRate = await runPair('product-low-rate', stack, sqs, profile, memoryMiB);
  show(`product at ${profile.e2eLowRatePerSecond}/s`, lowRate);
  const costTuned = await runPair('product-cost-tuned', stack, sqs, profile, memoryMiB);
  show(
    `product cost-tuned ${JSON.stringify({ ...COST_TUNED.api, ...COST_TUNED.worker })}`,
    costTuned,
  );
  const naive = await runPair('naive', stack, sqs, profile, memoryMiB);
  show('naive', naive);
  return { product, lowRate, costTuned, naive, memoryMiB };
}
