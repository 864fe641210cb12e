// End to end and SQS cost: for each pair (product API + worker, naive API + worker), both
// talking to SQS through the counting proxy, N notifications are posted at a fixed rate, each
// with a unique subject; latency runs from the 202 to the email's first appearance in the SES
// emulator's store (resolution: the poll interval). The SQS requests counted at the proxy from
// the first post until the queue is empty are divided by the notifications delivered.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { BENCH_TOKEN, readProxyCounts, type BenchStack, type Started } from './bench-stack.ts';
import { clearStore, trackDeliveries } from './delivery-tracker.ts';
import { runAtFixedRate } from './fixed-rate.ts';
import { sampleMemory } from './memory-sampler.ts';
import type { BenchProfile } from './options.ts';
import { percentile } from './percentiles.ts';
import { queueDepth } from './queue-tools.ts';
import { countsSince } from './sqs-request-counter.ts';
import type { E2eRun } from './report.ts';

export const E2E_POLL_INTERVAL_MS = 50;

export interface E2ePhaseResult {
  product: E2eRun;
  naive: E2eRun;
  memoryMiB: Record<string, number>;
}

async function runPair(
  pair: 'product' | 'naive',
  stack: BenchStack,
  sqs: SQSClient,
  profile: BenchProfile,
  memoryMiB: Record<string, number>,
): Promise<E2eRun> {
  const resources = await stack.provision(`bench-e2e-${pair}`);
  let api: Started | undefined;
  let worker: Started | undefined;
  try {
    api =
      pair === 'product'
        ? await stack.startProductApi(resources, true)
        : await stack.startNaiveApi(resources, true);
    worker =
      pair === 'product'
        ? await stack.startProductWorker(resources, true)
        : await stack.startNaiveWorker(resources, true);
    await clearStore(stack.sesUrl);
    const prefix = `e2e-${pair}-${randomUUID().slice(0, 8)}-`;
    const tracker = trackDeliveries(stack.sesUrl, {
      intervalMs: E2E_POLL_INTERVAL_MS,
      subjectPrefix: prefix,
    });
    const processes = [api.process, worker.process].map((p) => ({ name: p.name, pid: p.pid }));
    const sampler = sampleMemory(processes);
    const before = await readProxyCounts(stack.proxyUrl);
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
      count: profile.e2eCount,
      ratePerSecond: profile.e2eRatePerSecond,
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
    await sleep(200);
    const after = await readProxyCounts(stack.proxyUrl);
    const peaks = sampler.stop();
    for (const [name, mib] of Object.entries(peaks)) {
      memoryMiB[`${name} (e2e)`] = mib;
    }
    tracker.stop();

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
    return {
      ratePerSecond: profile.e2eRatePerSecond,
      sent: acceptedAt.size,
      delivered,
      duplicates,
      lost: acceptedAt.size - delivered,
      rejected,
      p50Ms: percentile(latencies, 50) ?? null,
      p99Ms: percentile(latencies, 99) ?? null,
      sqsRequests: countsSince(after.counts, before.counts),
      emptyReceives: after.emptyReceives - before.emptyReceives,
    };
  } finally {
    await api?.process.stop('SIGTERM', 15_000);
    await worker?.process.stop('SIGTERM', 30_000);
  }
}

export async function runE2ePhase(
  stack: BenchStack,
  sqs: SQSClient,
  profile: BenchProfile,
  log: (line: string) => void,
): Promise<E2ePhaseResult> {
  const memoryMiB: Record<string, number> = {};
  const product = await runPair('product', stack, sqs, profile, memoryMiB);
  log(
    `  e2e product: ${product.delivered}/${product.sent} delivered, ${product.duplicates} dups, ` +
      `p50 ${product.p50Ms} ms, p99 ${product.p99Ms} ms, SQS ${JSON.stringify(product.sqsRequests)} (${product.emptyReceives} empty receives)`,
  );
  const naive = await runPair('naive', stack, sqs, profile, memoryMiB);
  log(
    `  e2e naive: ${naive.delivered}/${naive.sent} delivered, ${naive.duplicates} dups, ` +
      `p50 ${naive.p50Ms} ms, p99 ${naive.p99Ms} ms, SQS ${JSON.stringify(naive.sqsRequests)} (${naive.emptyReceives} empty receives)`,
  );
  return { product, naive, memoryMiB };
}
