// Worker throughput: a queue pre-filled with N envelopes, drained to the SES emulator by the
// product worker, then (on a fresh queue) by the naive worker. Progress is read from each
// worker's own sent counter (cheap, so polling does not steal the SES emulator's CPU); the SES
// store is checked once at the end for what the product delivered.
import { setTimeout as sleep } from 'node:timers/promises';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { BenchStack, Started } from './bench-stack.ts';
import { clearStore, fetchStore } from './delivery-tracker.ts';
import { meterCpu } from './cpu-usage.ts';
import { sampleMemory } from './memory-sampler.ts';
import type { BenchProfile } from './options.ts';
import { prefillQueue, purgeQueue } from './queue-tools.ts';
import type { WorkerRun } from './report.ts';

export interface WorkerPhaseResult {
  product: WorkerRun;
  naive: WorkerRun;
  memoryMiB: Record<string, number>;
  readyMs: Record<string, number>;
}

async function sentSoFar(opsUrl: string): Promise<number> {
  const res = await fetch(`${opsUrl}/status`);
  return ((await res.json()) as { sent: number }).sent;
}

async function drainRun(
  stack: BenchStack,
  start: () => Promise<Started>,
  messages: number,
  timeLimitSeconds: number,
  memoryMiB: Record<string, number>,
): Promise<{ run: WorkerRun; started: Started }> {
  const started = await start();
  const { process: proc, url } = started;
  const sampler = sampleMemory([{ name: proc.name, pid: proc.pid }]);
  const emulator = (name: string) => stack.emulators.processes.find((p) => p.name === name);
  const cpu = meterCpu([
    { name: 'worker', pid: proc.pid },
    { name: 'ses emulator', pid: emulator('ses')?.child.pid ?? -1 },
    { name: 'sqs emulator', pid: emulator('sqs')?.child.pid ?? -1 },
  ]);
  const t0 = performance.now();
  const sentAtReady = await sentSoFar(url);
  const deadline = t0 + timeLimitSeconds * 1000;
  let sent = sentAtReady;
  while (sent < messages && performance.now() < deadline) {
    await sleep(100);
    sent = await sentSoFar(url);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpuMs = cpu.stop();
  delete cpuMs['load generator (bench)'];
  memoryMiB[proc.name] = Math.max(memoryMiB[proc.name] ?? 0, sampler.stop()[proc.name] ?? 0);
  await proc.stop('SIGTERM', 15_000);
  return {
    started,
    run: {
      messages,
      sent,
      seconds: Math.round(seconds * 100) / 100,
      emailsPerSecond: Math.round((sent - sentAtReady) / seconds),
      cpuMsPerEmail: Object.fromEntries(
        Object.entries(cpuMs).map(([name, ms]) => [
          name,
          Math.round((ms / Math.max(1, sent - sentAtReady)) * 1000) / 1000,
        ]),
      ),
    },
  };
}

export async function runWorkerPhase(
  stack: BenchStack,
  sqs: SQSClient,
  profile: BenchProfile,
  log: (line: string) => void,
): Promise<WorkerPhaseResult> {
  const memoryMiB: Record<string, number> = {};
  const n = profile.workerMessages;

  const productQueue = await stack.provision('bench-worker-product');
  await clearStore(stack.sesUrl);
  await prefillQueue(sqs, productQueue.queueUrl, n, 'worker-product-');
  const product = await drainRun(
    stack,
    () => stack.startProductWorker(productQueue, false),
    n,
    // The product must drain everything; its limit only stops a hung run.
    Math.max(60, profile.workerTimeLimitSeconds * 4),
    memoryMiB,
  );
  const delivered = new Set(
    (await fetchStore(stack.sesUrl))
      .map((e) => e.subject)
      .filter((s) => s.startsWith('worker-product-')),
  ).size;
  log(
    `  worker product: ${product.run.emailsPerSecond} emails/s (${product.run.sent}/${n} sent, ` +
      `${delivered} distinct in the SES store, ${product.run.seconds} s, CPU ms/email ` +
      `${JSON.stringify(product.run.cpuMsPerEmail)})`,
  );
  if (delivered < product.run.sent) {
    throw new Error(`the SES store holds ${delivered} of the ${product.run.sent} emails sent`);
  }

  const naiveQueue = await stack.provision('bench-worker-naive');
  await clearStore(stack.sesUrl);
  await prefillQueue(sqs, naiveQueue.queueUrl, n, 'worker-naive-');
  const naive = await drainRun(
    stack,
    () => stack.startNaiveWorker(naiveQueue, false),
    n,
    profile.workerTimeLimitSeconds,
    memoryMiB,
  );
  log(
    `  worker naive: ${naive.run.emailsPerSecond} emails/s (${naive.run.sent}/${n} sent in ` +
      `${naive.run.seconds} s, CPU ms/email ${JSON.stringify(naive.run.cpuMsPerEmail)})`,
  );
  await purgeQueue(sqs, naiveQueue.queueUrl);
  await clearStore(stack.sesUrl);
  return {
    product: product.run,
    naive: naive.run,
    memoryMiB,
    readyMs: {
      [product.started.process.name]: product.started.readyMs,
      [naive.started.process.name]: naive.started.readyMs,
    },
  };
}
