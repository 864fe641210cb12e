// Entry point: reads the configuration, wires the real AWS clients, starts the pollers and the
// operations endpoint, and drains on SIGTERM/SIGINT within SHUTDOWN_TIMEOUT_MS (ECS's stopTimeout
// is set above it), then exits 0.
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig, ConfigError, createLogger, createMetrics } from '@notify/shared';
import { readWorkerConfig, type WorkerConfig } from './config.ts';
import { createOpsServer } from './ops-server.ts';
import { resolveSendRate } from './send-rate.ts';
import { createSesAdapter, readMaxSendRate } from './ses-adapter.ts';
import { createWorker } from './worker.ts';

let config: WorkerConfig;
try {
  config = readWorkerConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`email-sender: ${error.message}`);
  process.exit(1);
}

const logger = createLogger({ service: 'email-sender', level: config.logLevel });
const metrics = createMetrics(
  logger,
  config.metricsNamespace,
  { Service: 'email-sender', Environment: config.environment },
  { flushIntervalMs: config.metricsFlushMs },
);

process.on('uncaughtException', (error) => {
  logger.fatal({ err: error }, 'uncaught exception');
  process.exit(1);
});
process.on('unhandledRejection', (error) => {
  logger.fatal({ err: error }, 'unhandled rejection');
  process.exit(1);
});

// Deletes, visibility changes and dead-letter sends: SQS_ATTEMPT_TIMEOUT_MS per attempt.
const sqs = new SQSClient(awsClientConfig({ requestTimeoutMs: config.sqsAttemptTimeoutMs }));
// A long poll holds its request open for WAIT_TIME_SECONDS, so its deadline is that plus the
// attempt deadline; one attempt, since the poller retries with its own backoff (SDK retries
// would multiply the time a hung SQS stalls the poller before readiness learns of it).
const pollDeadlineMs = config.waitTimeSeconds * 1000 + config.sqsAttemptTimeoutMs;
const receiveSqs = new SQSClient(
  awsClientConfig({ requestTimeoutMs: pollDeadlineMs, maxAttempts: 1 }),
);
// One attempt only: the worker retries through the queue with its own backoff, and the rate
// limiter must see every throttling answer to slow down.
const ses = new SESv2Client(
  awsClientConfig({ maxAttempts: 1, requestTimeoutMs: config.sesTimeoutMs }),
);

const ratePerSecond = await resolveSendRate({
  fromAccount: config.sendRateFromAccount,
  configuredRate: config.sendRatePerSecond,
  taskShare: config.sendRateTaskShare,
  readMaxSendRate: () => readMaxSendRate(ses),
  logger,
});

const worker = createWorker({
  settings: {
    queueUrl: config.queueUrl,
    dlqUrl: config.dlqUrl,
    pollers: config.pollers,
    maxInFlight: config.maxInFlight,
    waitTimeSeconds: config.waitTimeSeconds,
    receiveBatchWaitMs: config.receiveBatchWaitMs,
    visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
    maxReceiveCount: config.maxReceiveCount,
    ratePerSecond,
    retryBaseSeconds: config.retryBaseSeconds,
    retryMaxSeconds: config.retryMaxSeconds,
    accountPauseProbeSeconds: config.accountPauseProbeSeconds,
    pollDeadlineMs,
  },
  sqs,
  receiveSqs,
  sender: createSesAdapter(ses, {
    from: config.emailFrom,
    configurationSet: config.sesConfigurationSet,
  }),
  logger,
  metrics,
});

const server = createOpsServer(worker);
server.on('error', (error) => {
  logger.fatal({ err: error }, 'operations endpoint failed');
  process.exit(1);
});
server.listen(config.opsPort, config.opsHost, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.opsPort;
  logger.info({ host: config.opsHost, port }, 'operations endpoint listening');
});
worker.start();

let draining = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (draining) {
    logger.warn({ signal }, 'already draining');
    return;
  }
  draining = true;
  logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutdown requested');
  const result = await worker.drain(config.shutdownTimeoutMs);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  sqs.destroy();
  receiveSqs.destroy();
  ses.destroy();
  metrics.close();
  logger.info({ ...result }, 'stopped');
  process.exit(0);
}
process.on('SIGTERM', (signal) => void shutdown(signal));
process.on('SIGINT', (signal) => void shutdown(signal));
