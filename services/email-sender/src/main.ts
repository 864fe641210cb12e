// Entry point: reads the configuration, wires the real AWS clients, starts the pollers and the
// operations endpoint, and drains on SIGTERM/SIGINT within SHUTDOWN_TIMEOUT_MS (ECS's stopTimeout
// is set above it), then exits 0.
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  awsClientConfig,
  ConfigError,
  createLogger,
  createMetrics,
  StatusStore,
} from '@notify/shared';
import { readWorkerConfig, type WorkerConfig } from './config.ts';
import { createOpsServer } from './ops-server.ts';
import { resolveSendRate } from './send-rate.ts';
import { createSesAdapter, readMaxSendRate } from './ses-adapter.ts';
import { StatusConsumer } from './status/consumer.ts';
import { createWorker } from './worker.ts';

let config: WorkerConfig;
try {
  config = readWorkerConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`email-sender: ${error.message}`);
  process.exit(1);
}

const logger = createLogger({ service: 'email-sender', level: config.LOG_LEVEL });
const metrics = createMetrics(
  logger,
  config.METRICS_NAMESPACE,
  { Service: 'email-sender', Environment: config.ENVIRONMENT },
  { flushIntervalMs: config.METRICS_FLUSH_SECONDS * 1000 },
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
const sqs = new SQSClient(awsClientConfig({ requestTimeoutMs: config.SQS_ATTEMPT_TIMEOUT_MS }));
// A long poll holds its request open for WAIT_TIME_SECONDS, so its deadline is that plus the
// attempt deadline; one attempt, since the poller retries with its own backoff (SDK retries
// would multiply the time a hung SQS stalls the poller before readiness learns of it).
const pollDeadlineMs = config.WAIT_TIME_SECONDS * 1000 + config.SQS_ATTEMPT_TIMEOUT_MS;
const receiveSqs = new SQSClient(
  awsClientConfig({ requestTimeoutMs: pollDeadlineMs, maxAttempts: 1 }),
);
// One attempt only: the worker retries through the queue with its own backoff, and the rate
// limiter must see every throttling answer to slow down.
const ses = new SESv2Client(
  awsClientConfig({ maxAttempts: 1, requestTimeoutMs: config.SES_TIMEOUT_MS }),
);

// The status store: give-ups are written by the worker, SES events by the consumer. Only those
// paths call DynamoDB; a send does not.
const dynamodb =
  config.STATUS_TABLE === undefined
    ? undefined
    : DynamoDBDocumentClient.from(
        new DynamoDBClient(awsClientConfig({ requestTimeoutMs: config.SQS_ATTEMPT_TIMEOUT_MS })),
        { marshallOptions: { removeUndefinedValues: true } },
      );
const statusStore =
  dynamodb === undefined || config.STATUS_TABLE === undefined
    ? undefined
    : new StatusStore({
        client: dynamodb,
        table: config.STATUS_TABLE,
        retentionDays: config.STATUS_RETENTION_DAYS,
      });
const statusConsumer =
  statusStore === undefined || config.EVENTS_QUEUE_URL === undefined
    ? undefined
    : new StatusConsumer({
        sqs,
        receiveSqs,
        queueUrl: config.EVENTS_QUEUE_URL,
        store: statusStore,
        logger: logger.child({ component: 'status-consumer' }),
        metrics,
        waitTimeSeconds: config.WAIT_TIME_SECONDS,
      });

const ratePerSecond = await resolveSendRate({
  fromAccount: config.SEND_RATE_FROM_ACCOUNT,
  configuredRate: config.SEND_RATE_PER_SECOND,
  taskShare: config.SEND_RATE_TASK_SHARE,
  readMaxSendRate: () => readMaxSendRate(ses),
  logger,
});

const worker = createWorker({
  settings: {
    queueUrl: config.QUEUE_URL,
    dlqUrl: config.DLQ_URL,
    pollers: config.POLLERS,
    maxInFlight: config.MAX_IN_FLIGHT,
    waitTimeSeconds: config.WAIT_TIME_SECONDS,
    receiveBatchWaitMs: config.RECEIVE_BATCH_WAIT_MS,
    visibilityTimeoutSeconds: config.VISIBILITY_TIMEOUT_SECONDS,
    maxReceiveCount: config.MAX_RECEIVE_COUNT,
    ratePerSecond,
    retryBaseSeconds: config.RETRY_BASE_SECONDS,
    retryMaxSeconds: config.RETRY_MAX_SECONDS,
    accountPauseProbeSeconds: config.ACCOUNT_PAUSE_PROBE_SECONDS,
    pollDeadlineMs,
  },
  sqs,
  receiveSqs,
  sender: createSesAdapter(ses, {
    from: config.EMAIL_FROM,
    configurationSet: config.SES_CONFIGURATION_SET,
  }),
  logger,
  metrics,
  ...(statusStore !== undefined ? { statusStore } : {}),
});

const server = createOpsServer(worker);
server.on('error', (error) => {
  logger.fatal({ err: error }, 'operations endpoint failed');
  process.exit(1);
});
server.listen(config.OPS_PORT, config.OPS_HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.OPS_PORT;
  logger.info({ host: config.OPS_HOST, port }, 'operations endpoint listening');
});
worker.start();
statusConsumer?.start();

let draining = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (draining) {
    logger.warn({ signal }, 'already draining');
    return;
  }
  draining = true;
  logger.info({ signal, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown requested');
  const [result] = await Promise.all([
    worker.drain(config.SHUTDOWN_TIMEOUT_MS),
    statusConsumer?.stop(),
  ]);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  sqs.destroy();
  receiveSqs.destroy();
  ses.destroy();
  dynamodb?.destroy();
  metrics.close();
  logger.info({ ...result }, 'stopped');
  process.exit(0);
}
process.on('SIGTERM', (signal) => void shutdown(signal));
process.on('SIGINT', (signal) => void shutdown(signal));
