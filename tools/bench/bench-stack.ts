// The pieces the bench runs, each as a process of its own on free loopback ports: the
// emulators (tools/local-stack), the counting proxies in front of SQS and DynamoDB, the SES
// event source, the product services configured as in AWS (tools/local-stack/src/stack-config.ts)
// and the baselines.
import { join } from 'node:path';
import {
  startEmulators,
  type Emulators,
  freePort,
  waitForPort,
  provisionLocalResources,
  type LocalResources,
  apiEnv,
  DEV_TOKEN,
  workerEnv,
} from '@notify/local-stack';
import type { RequestCounts, ResourceCounts } from './aws-request-counter.ts';
import { startServiceProcess, type ServiceProcess } from './service-process.ts';

const ROOT = join(import.meta.dirname, '..', '..');
export const SCRIPTS = {
  productApi: join(ROOT, 'services/notification-api/src/main.ts'),
  productWorker: join(ROOT, 'services/email-sender/src/main.ts'),
  naiveApi: join(import.meta.dirname, 'baselines/naive-api.ts'),
  naiveWorker: join(import.meta.dirname, 'baselines/naive-worker.ts'),
  ceilingApi: join(import.meta.dirname, 'baselines/ceiling-api.ts'),
  countingProxy: join(import.meta.dirname, 'counting-proxy.ts'),
  sesEventSource: join(import.meta.dirname, 'ses-event-source-process.ts'),
};

export const BENCH_TOKEN = DEV_TOKEN;

/**
 * What the bench changes in the product's configuration, and why. Everything else is the
 * production default.
 * - API: the per-client rate limit is raised so the load generator measures the service, not the
 *   limiter (production: 50/s, burst 100 per client).
 * - Worker: the send rate (production: the SES account's MaxSendRate, 14/s in the sandbox) is
 *   raised so the worker is measured, not its token bucket.
 */
export const PRODUCT_API_TUNING = {
  RATE_LIMIT_PER_SECOND: '1000000',
  RATE_LIMIT_BURST: '1000000',
};
export const PRODUCT_WORKER_TUNING = { SEND_RATE_PER_SECOND: '100000' };

/**
 * The "cost-tuned" product configuration measured next to the default one in the end-to-end
 * run: the same code, with the two batching knobs turned up to trade latency for fewer SQS
 * requests (docs/performance.md says why these values).
 * - API: ENQUEUE_LINGER_MS=25: at the full run's 400/s, ten requests arrive in about 22 ms, so
 *   a batch leaves full with its tenth entry and the linger only bounds quieter moments.
 * - Worker: RECEIVE_BATCH_WAIT_MS=250 pauses a poller after a receive that was not full, so
 *   about 100 messages (at 400/s) wait for the next receives, which then come back full,
 *   instead of racing for each message as it arrives. A quarter second is what email
 *   notifications can afford; the quick run (200/s) fills batches less.
 */
export const COST_TUNED = {
  api: { ENQUEUE_LINGER_MS: '25' },
  worker: { RECEIVE_BATCH_WAIT_MS: '250' },
};

/**
 * The API's default before group commit (issue 15): a 2 ms linger and no bound on calls in
 * flight (64 is more than a lone client ever uses). Measured at concurrency 1 only, so the
 * report can say whether a lone request got slower.
 */
export const PREVIOUS_API_DEFAULT = { ENQUEUE_LINGER_MS: '2', ENQUEUE_MAX_IN_FLIGHT: '64' };

/** A product process's name suffix and environment on top of the bench's own settings. */
export interface ProductVariant {
  suffix: string;
  env: Record<string, string>;
}

/**
 * Which of a process's AWS calls go through the counting proxies: `true` both SQS and DynamoDB,
 * `false` neither (straight to the emulators, as the throughput phases measure).
 */
export type Routing = boolean | { sqs: boolean; dynamodb: boolean };

const routes = (routing: Routing) =>
  typeof routing === 'boolean' ? { sqs: routing, dynamodb: routing } : routing;

/** The SES event source in front of the SES emulator, publishing to one events queue. */
export interface StartedEventSource {
  process: ServiceProcess;
  /** Where the worker's AWS_ENDPOINT_URL_SESV2 points. */
  url: string;
  /** Events published so far, by detail-type. */
  published(): Promise<Record<string, number>>;
}

export interface BenchStack {
  emulators: Emulators;
  sqsDirect: string;
  sesUrl: string;
  proxy: ServiceProcess;
  dynamodbProxy: ServiceProcess;
  /** The SQS counting proxy. */
  proxyUrl: string;
  /** The DynamoDB counting proxy. */
  dynamodbProxyUrl: string;
  logDir: string;
  provision(prefix: string): Promise<LocalResources>;
  /** The same resources, every queue addressed through the SQS counting proxy. */
  viaProxy(resources: LocalResources): LocalResources;
  startProductApi(
    resources: LocalResources,
    routing: Routing,
    variant?: ProductVariant,
  ): Promise<Started>;
  /** `sesUrl`: the worker's SES endpoint (default: the SES emulator itself). */
  startProductWorker(
    resources: LocalResources,
    routing: Routing,
    variant?: ProductVariant,
    sesUrl?: string,
  ): Promise<Started>;
  /**
   * The SES event source for the resources' events queue (as `npm start` runs it). It sends
   * to the queue straight to fauxqs: its SendMessageBatch stands in for EventBridge's delivery,
   * which is not one of the services' requests (docs/performance.md).
   */
  startSesEventSource(resources: LocalResources): Promise<StartedEventSource>;
  startNaiveApi(resources: LocalResources, viaProxy: boolean): Promise<Started>;
  startNaiveWorker(resources: LocalResources, viaProxy: boolean): Promise<Started>;
  startCeilingApi(): Promise<Started>;
  stop(): Promise<void>;
}

/**
 * With BENCH_CPU_PROF_DIR set, the product's processes run with V8's sampling profiler and
 * write a .cpuprofile there when they stop (read it with `node tools/bench/profile-summary.ts`).
 */
function profileArgs(name: string): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  if (!dir || !name.startsWith('product-')) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-\${pid}.cpuprofile`];
}

export interface Started {
  process: ServiceProcess;
  url: string;
  readyMs: number;
}

export async function startBenchStack(logDir: string, logLevel: string): Promise<BenchStack> {
  const ports = { sqs: await freePort(), ses: await freePort(), dynamodb: await freePort() };
  const emulators = await startEmulators(ports);
  const sqsDirect = emulators.env.AWS_ENDPOINT_URL_SQS;
  const proxyPort = await freePort();
  const proxy = startServiceProcess({
    name: 'sqs-counting-proxy',
    script: SCRIPTS.countingProxy,
    env: { COUNTING_PROXY_TARGET: sqsDirect, COUNTING_PROXY_PORT: String(proxyPort) },
    logDir,
  });
  await waitForPort(proxyPort, '127.0.0.1', 15_000);
  const proxyUrl = `http://127.0.0.1:${proxyPort}`;
  const dynamodbDirect = emulators.env.AWS_ENDPOINT_URL_DYNAMODB;
  const dynamodbProxyPort = await freePort();
  const dynamodbProxy = startServiceProcess({
    name: 'dynamodb-counting-proxy',
    script: SCRIPTS.countingProxy,
    env: {
      COUNTING_PROXY_TARGET: dynamodbDirect,
      COUNTING_PROXY_PORT: String(dynamodbProxyPort),
    },
    logDir,
  });
  await waitForPort(dynamodbProxyPort, '127.0.0.1', 15_000);
  const dynamodbProxyUrl = `http://127.0.0.1:${dynamodbProxyPort}`;
  const services: ServiceProcess[] = [];

  const rewrite = (url: string) =>
    url.replace(`127.0.0.1:${ports.sqs}/`, `127.0.0.1:${proxyPort}/`);
  const viaProxy = (r: LocalResources): LocalResources => ({
    ...r,
    queueUrl: rewrite(r.queueUrl),
    dlqUrl: rewrite(r.dlqUrl),
    eventsQueueUrl: rewrite(r.eventsQueueUrl),
    eventsDlqUrl: rewrite(r.eventsDlqUrl),
    webhooksQueueUrl: rewrite(r.webhooksQueueUrl),
    webhooksDlqUrl: rewrite(r.webhooksDlqUrl),
  });
  const awsEnv = (routing: Routing) => ({
    ...emulators.env,
    AWS_ENDPOINT_URL_SQS: routes(routing).sqs ? proxyUrl : sqsDirect,
    AWS_ENDPOINT_URL_DYNAMODB: routes(routing).dynamodb ? dynamodbProxyUrl : dynamodbDirect,
  });
  const queues = (resources: LocalResources, routing: Routing) =>
    routes(routing).sqs ? viaProxy(resources) : resources;
  const launch = async (
    name: string,
    script: string,
    env: Record<string, string>,
    readyUrl: (port: number) => string,
    portVariable: string,
  ): Promise<Started> => {
    const port = await freePort();
    const process = startServiceProcess({
      name,
      script,
      env: { ...env, [portVariable]: String(port) },
      logDir,
      nodeArgs: profileArgs(name),
    });
    services.push(process);
    const readyMs = await process.waitReady(readyUrl(port));
    return { process, url: `http://127.0.0.1:${port}`, readyMs };
  };

  return {
    emulators,
    sqsDirect,
    sesUrl: emulators.env.AWS_ENDPOINT_URL_SESV2,
    proxy,
    dynamodbProxy,
    proxyUrl,
    dynamodbProxyUrl,
    logDir,
    provision: (prefix) =>
      provisionLocalResources({
        prefix,
        endpoints: { sqs: sqsDirect, dynamodb: emulators.env.AWS_ENDPOINT_URL_DYNAMODB },
      }),
    viaProxy,
    startProductApi: (resources, routing, variant) => {
      return launch(
        `product-api${variant?.suffix ?? ''}`,
        SCRIPTS.productApi,
        {
          ...apiEnv(awsEnv(routing), queues(resources, routing), 0),
          ...PRODUCT_API_TUNING,
          LOG_LEVEL: logLevel,
          ...variant?.env,
        },
        (port) => `http://127.0.0.1:${port}/readyz`,
        'PORT',
      );
    },
    startProductWorker: (resources, routing, variant, sesUrl) => {
      return launch(
        `product-worker${variant?.suffix ?? ''}`,
        SCRIPTS.productWorker,
        {
          ...workerEnv(
            {
              ...awsEnv(routing),
              ...(sesUrl === undefined ? {} : { AWS_ENDPOINT_URL_SESV2: sesUrl }),
            },
            queues(resources, routing),
            0,
          ),
          ...PRODUCT_WORKER_TUNING,
          LOG_LEVEL: logLevel,
          ...variant?.env,
        },
        (port) => `http://127.0.0.1:${port}/readyz`,
        'OPS_PORT',
      );
    },
    async startSesEventSource(resources) {
      const port = await freePort();
      const started = await launch(
        'ses-event-source',
        SCRIPTS.sesEventSource,
        {
          SES_EVENTS_SES_URL: emulators.env.AWS_ENDPOINT_URL_SESV2,
          SES_EVENTS_PORT: String(port),
          SES_EVENTS_SQS_ENDPOINT: sqsDirect,
          SES_EVENTS_QUEUE_URL: resources.eventsQueueUrl,
        },
        (statusPort) => `http://127.0.0.1:${statusPort}/published`,
        'SES_EVENTS_STATUS_PORT',
      );
      return {
        process: started.process,
        url: `http://127.0.0.1:${port}`,
        async published() {
          const res = await fetch(`${started.url}/published`);
          return (await res.json()) as Record<string, number>;
        },
      };
    },
    startNaiveApi: (resources, proxied) =>
      launch(
        'naive-api',
        SCRIPTS.naiveApi,
        {
          ...awsEnv(proxied),
          QUEUE_URL: (proxied ? viaProxy(resources) : resources).queueUrl,
        },
        (port) => `http://127.0.0.1:${port}/readyz`,
        'PORT',
      ),
    startNaiveWorker: (resources, proxied) =>
      launch(
        'naive-worker',
        SCRIPTS.naiveWorker,
        {
          ...awsEnv(proxied),
          QUEUE_URL: (proxied ? viaProxy(resources) : resources).queueUrl,
          EMAIL_FROM: 'Notify Bench <notifications@notify.local>',
        },
        (port) => `http://127.0.0.1:${port}/readyz`,
        'OPS_PORT',
      ),
    startCeilingApi: () =>
      launch(
        'ceiling-api',
        SCRIPTS.ceilingApi,
        {},
        (port) => `http://127.0.0.1:${port}/readyz`,
        'PORT',
      ),
    async stop() {
      await Promise.all(services.map((s) => s.stop('SIGTERM', 15_000)));
      await proxy.stop('SIGTERM', 3_000);
      await dynamodbProxy.stop('SIGTERM', 3_000);
      await emulators.stop();
    },
  };
}

/** What a counting proxy has seen so far (see counting-proxy.ts). */
export interface ProxyCounts {
  /** Calls by operation, every queue or table together. */
  counts: RequestCounts;
  /** ReceiveMessage calls that returned no message. */
  emptyReceives: number;
  /** Calls by queue or table name, then by operation. */
  byResource: ResourceCounts;
  emptyReceivesByResource: RequestCounts;
}

export async function readProxyCounts(proxyUrl: string): Promise<ProxyCounts> {
  const res = await fetch(`${proxyUrl}/__counts`);
  return (await res.json()) as ProxyCounts;
}
