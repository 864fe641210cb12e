// Entry point: reads the configuration, wires the real AWS clients, starts the pollers and the
// operations endpoint, and drains on SIGTERM/SIGINT within SHUTDOWN_TIMEOUT_MS (ECS's stopTimeout
// is set above it), then exits 0.
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  awsClientConfig,
  callDeadlineMs,
  withoutSdkLogger,
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
import { readWebhookConfig, type WebhookConfig } from './webhooks/config.ts';
import { createWebhookDispatcher } from './webhooks/dispatcher.ts';
import { WebhookJobQueue } from './webhooks/job-queue.ts';
import { withWebhooks } from './webhooks/status-hook.ts';

let config: WorkerConfig;
let webhookConfig: WebhookConfig | undefined;
try {
  config = readWorkerConfig();
  webhookConfig = readWebhookConfig();
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
const sqs = withoutSdkLogger(
  new SQSClient(awsClientConfig({ requestTimeoutMs: config.sqsAttemptTimeoutMs })),
);
// A long poll holds its request open for WAIT_TIME_SECONDS, so its deadline is that plus the
// attempt deadline; one attempt, since the poller retries with its own backoff (SDK retries
// would multiply the time a hung SQS stalls the poller before readiness learns of it).
const pollDeadlineMs = config.waitTimeSeconds * 1000 + config.sqsAttemptTimeoutMs;
const receiveSqs = withoutSdkLogger(
  new SQSClient(awsClientConfig({ requestTimeoutMs: pollDeadlineMs, maxAttempts: 1 })),
);
// One attempt only: the worker retries through the queue with its own backoff, and the rate
// limiter must see every throttling answer to slow down.
const ses = withoutSdkLogger(
  new SESv2Client(awsClientConfig({ maxAttempts: 1, requestTimeoutMs: config.sesTimeoutMs })),
);

// The status store: give-ups are written by the worker, SES events by the consumer. Only those
// paths call DynamoDB; a send does not. DynamoDB has its own attempt timeout and attempts, and
// every call carries its whole deadline, so a hung table ends each write in bounded time: the
// event stays on its queue for redelivery and the consumer polls on.
const { statusTable, eventsQueueUrl } = config;
const dynamodb =
  statusTable === undefined
    ? undefined
    : DynamoDBDocumentClient.from(
        withoutSdkLogger(
          new DynamoDBClient(
            awsClientConfig({
              requestTimeoutMs: config.dynamodbAttemptTimeoutMs,
              maxAttempts: config.dynamodbMaxAttempts,
            }),
          ),
        ),
        { marshallOptions: { removeUndefinedValues: true } },
      );
const store =
  dynamodb === undefined || statusTable === undefined
    ? undefined
    : new StatusStore({
        client: dynamodb,
        table: statusTable,
        retentionDays: config.statusRetentionDays,
        callDeadlineMs: callDeadlineMs(config.dynamodbAttemptTimeoutMs, config.dynamodbMaxAttempts),
      });
// Every applied status change (SES events and the worker's give-ups) enqueues its webhook jobs.
const statusStore =
  store === undefined || webhookConfig === undefined
    ? store
    : withWebhooks(store, {
        clients: () => webhookConfig.clients,
        queue: new WebhookJobQueue(sqs, webhookConfig.settings.queueUrl),
        logger: logger.child({ component: 'webhooks' }),
        metrics,
      });
const statusConsumer =
  statusStore === undefined || eventsQueueUrl === undefined
    ? undefined
    : new StatusConsumer({
        sqs,
        receiveSqs,
        queueUrl: eventsQueueUrl,
        store: statusStore,
        logger: logger.child({ component: 'status-consumer' }),
        metrics,
        waitTimeSeconds: config.waitTimeSeconds,
      });

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
  ...(statusStore !== undefined ? { statusStore } : {}),
});

// Webhook deliveries run beside the sends, from their own queue, with their own SQS client: a
// slow receiver never holds up an email.
const webhooks =
  webhookConfig === undefined
    ? undefined
    : createWebhookDispatcher({
        settings: webhookConfig.settings,
        sqs: withoutSdkLogger(
          new SQSClient(
            awsClientConfig({
              requestTimeoutMs:
                webhookConfig.settings.waitTimeSeconds * 1000 + config.sqsAttemptTimeoutMs,
            }),
          ),
        ),
        clients: () => webhookConfig.clients,
        logger: logger.child({ component: 'webhooks' }),
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
statusConsumer?.start();
webhooks?.start();

let draining = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (draining) {
    logger.warn({ signal }, 'already draining');
    return;
  }
  draining = true;
  logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutdown requested');
  const [result] = await Promise.all([
    worker.drain(config.shutdownTimeoutMs),
    statusConsumer?.stop(),
    webhooks?.stop(config.shutdownTimeoutMs),
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
