// Runs a real worker in the test process against emulator endpoints (directly or through a
// fault proxy), with its operations endpoint on a free loopback port.
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig, createMetrics } from '@notify/shared';
import { createOpsServer } from '../../src/ops-server.ts';
import { createSesAdapter } from '../../src/ses-adapter.ts';
import {
  createWorker,
  type DrainResult,
  type Worker,
  type WorkerSettings,
} from '../../src/worker.ts';
import { captureLogger } from './local-stack.ts';

export const TEST_SENDER = 'Notify Test <notifications@example.com>';

export interface RunningWorker {
  worker: Worker;
  opsUrl: string;
  logs: () => Array<Record<string, unknown>>;
  stop: (timeoutMs?: number) => Promise<DrainResult>;
}

export interface HarnessOptions {
  sqsEndpoint: string;
  sesEndpoint: string;
  queueUrl: string;
  dlqUrl: string;
  settings?: Partial<WorkerSettings>;
  sqsMaxAttempts?: number;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function startWorker(options: HarnessOptions): Promise<RunningWorker> {
  const { logger, lines } = captureLogger();
  const settings: WorkerSettings = {
    queueUrl: options.queueUrl,
    dlqUrl: options.dlqUrl,
    pollers: 2,
    maxInFlight: 40,
    waitTimeSeconds: 1,
    visibilityTimeoutSeconds: 5,
    maxReceiveCount: 5,
    ratePerSecond: 200,
    retryBaseSeconds: 1,
    retryMaxSeconds: 2,
    accountPauseProbeSeconds: 1,
    deleteLingerMs: 20,
    ...options.settings,
  };
  const sqs = new SQSClient({
    ...awsClientConfig({
      maxAttempts: options.sqsMaxAttempts ?? 3,
      requestTimeoutMs: (settings.waitTimeSeconds + 5) * 1000,
    }),
    region: 'us-east-1',
    endpoint: options.sqsEndpoint,
    credentials,
  });
  const ses = new SESv2Client({
    ...awsClientConfig({ maxAttempts: 1 }),
    region: 'us-east-1',
    endpoint: options.sesEndpoint,
    credentials,
  });
  const worker = createWorker({
    settings,
    sqs,
    sender: createSesAdapter(ses, { from: TEST_SENDER }),
    logger,
    metrics: createMetrics(logger, 'NotifyTest', { Service: 'email-sender' }),
  });
  const server = createOpsServer(worker);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  worker.start();
  let stopped: Promise<DrainResult> | undefined;
  return {
    worker,
    opsUrl: `http://127.0.0.1:${port}`,
    logs: lines,
    stop(timeoutMs = 5_000) {
      stopped ??= (async () => {
        const result = await worker.drain(timeoutMs);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        sqs.destroy();
        ses.destroy();
        return result;
      })();
      return stopped;
    },
  };
}
