// Wires the real AWS clients to the app and runs it on an HTTP server, with a shutdown that
// drains: stop accepting, report not ready, let in-flight requests finish, flush the batcher.
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { SQSClient, GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  awsClientConfig,
  createMetrics,
  StatusStore,
  withDeadline,
  withoutSdkLogger,
  type Logger,
} from '@notify/shared';
import { createApp } from './app.ts';
import { createAuthenticator } from './auth.ts';
import type { ApiConfig } from './config.ts';
import { apiDeadlines, READINESS_TIMEOUT_MS } from './deadlines.ts';
import { EnqueueBatcher } from './enqueue-batcher.ts';
import { noRetryWhenOutcomeUnknown } from './enqueue-outcome.ts';
import { DynamoIdempotencyStore } from './idempotency.ts';
import { TokenBucketRateLimiter } from './rate-limit.ts';
import { createReadinessProbe } from './readiness.ts';

export interface RunningApi {
  server: Server;
  /** http://host:port actually bound (PORT=0 picks a free one). */
  url: string;
  shutdown(): Promise<void>;
}

/**
 * Requests that Node's HTTP parser refuses never reach Koa, and Node's own answer is a bare
 * "400 Bad Request" without a body. Answer them in the API's JSON error format like any other
 * client mistake, then close: after a framing error the rest of the stream cannot be trusted.
 */
export function answerParserError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'the request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'the request did not arrive in time']
        : [400, 'MALFORMED_REQUEST', 'the request is not valid HTTP/1.1'];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/**
 * Node answers an `Expect` it cannot meet (anything but 100-continue) with a bare 417. Answer it
 * in the JSON error format like every other refusal.
 */
export function answerUnmetExpectation(req: IncomingMessage, res: ServerResponse): void {
  const body = JSON.stringify({
    error: {
      code: 'EXPECTATION_FAILED',
      message: 'only "Expect: 100-continue" is supported',
    },
  });
  res.writeHead(417, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    Connection: 'close',
  });
  res.end(body);
  req.resume();
}

export interface HttpServerOptions {
  /** Whole-request deadline: headers and body must have arrived within it (else 408). */
  requestTimeoutMs: number;
}

/**
 * The HTTP server around the app. Node enforces the whole-request deadline: headersTimeout and
 * requestTimeout both count from the request's first byte (an idle keep-alive connection is not
 * a request and lives for keepAliveTimeout), checked every connectionsCheckingInterval, which
 * defaults to 30 s and so let a slow-loris client hold a connection for up to twice the deadline.
 */
export function createHttpServer(listener: RequestListener, options: HttpServerOptions): Server {
  const deadline = options.requestTimeoutMs;
  const server = createServer(
    {
      requestTimeout: deadline,
      headersTimeout: deadline,
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(deadline / 10))),
    },
    listener,
  );
  server.on('clientError', answerParserError);
  server.on('checkExpectation', answerUnmetExpectation);
  // Longer than the ALB's 60 s idle timeout, so the ALB closes idle connections, not us.
  server.keepAliveTimeout = 65_000;
  return server;
}

export async function startApiServer(config: ApiConfig, logger: Logger): Promise<RunningApi> {
  // Short timeouts: a request holds its client while SQS answers, so fail fast into a 503.
  // Every call also carries its whole deadline (attempts and backoff) as an abort signal.
  const { timeouts } = config;
  const deadlines = apiDeadlines(timeouts);
  const sqs = withoutSdkLogger(
    new SQSClient(
      awsClientConfig({
        connectionTimeoutMs: 1_000,
        requestTimeoutMs: timeouts.sqsAttemptTimeoutMs,
        maxAttempts: timeouts.sqsMaxAttempts,
      }),
    ),
  );
  const dynamodb = DynamoDBDocumentClient.from(
    withoutSdkLogger(
      new DynamoDBClient(
        awsClientConfig({
          connectionTimeoutMs: 1_000,
          requestTimeoutMs: timeouts.dynamodbAttemptTimeoutMs,
          maxAttempts: timeouts.dynamodbMaxAttempts,
        }),
      ),
    ),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const metrics = createMetrics(
    logger,
    config.metricsNamespace,
    { Service: 'notification-api', Environment: config.environment },
    { flushIntervalMs: config.metricsFlushMs },
  );

  const batcher = new EnqueueBatcher({
    // Never retried by the SDK once an attempt may have queued the batch (enqueue-outcome.ts).
    send: (entries) =>
      sqs.send(
        noRetryWhenOutcomeUnknown(
          new SendMessageBatchCommand({ QueueUrl: config.queueUrl, Entries: entries }),
        ),
        withDeadline(deadlines.sqsCallMs),
      ),
    maxBatch: config.enqueueMaxBatch,
    maxInFlight: config.enqueueMaxInFlight,
    lingerMs: config.enqueueLingerMs,
    onBatch: (report) => {
      metrics.emit({
        BatchSize: { value: report.size, unit: 'Count' },
        BatchBytes: { value: report.bytes, unit: 'Bytes' },
        BatchLatency: { value: Math.round(report.latencyMs), unit: 'Milliseconds' },
      });
      if (report.error !== undefined) {
        logger.warn({ err: report.error, size: report.size }, 'SendMessageBatch failed');
      } else if (report.failedEntries > 0) {
        logger.warn({ failed: report.failedEntries, size: report.size }, 'SQS rejected entries');
      }
    },
  });

  // New records share BatchWriteItem calls (group commit, like the SQS batches), so a POST
  // waits for one DynamoDB call that it shares with its neighbours.
  const status = new StatusStore({
    client: dynamodb,
    table: config.statusTable,
    retentionDays: config.statusRetentionDays,
    callDeadlineMs: deadlines.dynamodbCallMs,
    createMaxInFlight: config.statusCreateMaxInFlight,
  });

  let shuttingDown = false;
  const readiness = createReadinessProbe({
    check: async () => {
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: config.queueUrl, AttributeNames: ['QueueArn'] }),
        { abortSignal: AbortSignal.timeout(READINESS_TIMEOUT_MS) },
      );
    },
    cacheMs: config.readinessCacheMs,
    isShuttingDown: () => shuttingDown,
  });

  const app = createApp({
    authenticator: createAuthenticator(config.clients),
    rateLimiter: new TokenBucketRateLimiter({
      ratePerSecond: config.rateLimitPerSecond,
      burst: config.rateLimitBurst,
    }),
    enqueue: (message) => batcher.enqueue(message),
    idempotency: new DynamoIdempotencyStore({
      client: dynamodb,
      table: config.idempotencyTable,
      ttlSeconds: config.idempotencyTtlSeconds,
      inProgressLeaseSeconds: config.idempotencyLeaseSeconds,
      callDeadlineMs: deadlines.dynamodbCallMs,
    }),
    status,
    readiness,
    logger,
    metrics,
    bodyLimitBytes: config.bodyLimitBytes,
    isShuttingDown: () => shuttingDown,
  });

  const server = createHttpServer(app.callback(), { requestTimeoutMs: config.requestTimeoutMs });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= (async () => {
      shuttingDown = true;
      // Stops accepting and closes idle keep-alive connections; resolves once in-flight
      // requests have answered (each waits for its own enqueue).
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // server.close() closes the connections idle at that moment only; connections whose
      // request finishes later are closed as they turn idle.
      const sweeper = setInterval(() => server.closeIdleConnections(), 50);
      try {
        await Promise.all([batcher.flush(), status.flush()]);
        await closed;
        await Promise.all([batcher.flush(), status.flush()]);
      } finally {
        clearInterval(sweeper);
      }
      sqs.destroy();
      dynamodb.destroy();
      metrics.close();
    })();
    return closing;
  };

  return { server, url, shutdown };
}
