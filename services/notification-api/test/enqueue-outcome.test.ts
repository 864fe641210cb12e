// A SendMessageBatch that timed out may have been queued: the API must not retry it (a second
// copy of the message) and must say the outcome is unknown; a call that never reached SQS, or
// that SQS refused, queued nothing and may be retried.
import { createServer, type Server } from 'node:net';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startHungServer, type HungServer } from '@notify/local-stack';
import { awsClientConfig } from '@notify/shared';
import {
  mayHaveBeenQueued,
  NotSentError,
  noRetryWhenOutcomeUnknown,
  OutcomeUnknownError,
} from '../src/enqueue-outcome.ts';

let hung: HungServer;
let refusing: HttpServer;
let hungRequests = 0;

const listen = (server: Server | HttpServer) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );

let hungPort: number;
let refusingPort: number;
let closedPort: number;

beforeAll(async () => {
  // Accepts, reads, never answers: counts requests that arrived.
  hung = await startHungServer({
    onData: (chunk) => {
      if (chunk.toString().startsWith('POST')) hungRequests += 1;
    },
  });
  hungPort = hung.port;
  // Answers like SQS refusing the call (throttled).
  refusing = createHttpServer((req, res) => {
    req.resume();
    res.writeHead(400, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-query-error': 'AWS.SimpleQueueService.RequestThrottled;Sender',
    });
    res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#RequestThrottled', message: 'slow down' }));
  });
  refusingPort = await listen(refusing);
  const closed = createServer();
  closedPort = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});

afterAll(async () => {
  await hung.close();
  await new Promise<void>((resolve) => refusing.close(() => resolve()));
});

function clientFor(port: number) {
  return new SQSClient({
    ...awsClientConfig({ requestTimeoutMs: 300, maxAttempts: 3 }),
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

const batch = (port: number) =>
  noRetryWhenOutcomeUnknown(
    new SendMessageBatchCommand({
      QueueUrl: `http://127.0.0.1:${port}/000000000000/q`,
      Entries: [{ Id: '0', MessageBody: 'hello' }],
    }),
  );

type Failure = Error & { $metadata?: { attempts?: number } };
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Failure) => error,
  );

it('does not retry a call that timed out after it was sent, and calls its outcome unknown', async () => {
  const sqs = clientFor(hungPort);
  const started = Date.now();
  const error = await failure(sqs.send(batch(hungPort)));
  sqs.destroy();
  expect(error).toBeInstanceOf(OutcomeUnknownError);
  expect(mayHaveBeenQueued(error)).toBe(true);
  expect(error?.$metadata?.attempts).toBe(1);
  expect(hungRequests).toBe(1);
  expect(Date.now() - started).toBeLessThan(2_000);
});

it('retries a call that never reached SQS, and knows nothing was queued', async () => {
  const sqs = clientFor(closedPort);
  const error = await failure(sqs.send(batch(closedPort)));
  sqs.destroy();
  expect(error).toBeInstanceOf(NotSentError);
  expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  expect(error?.$metadata?.attempts).toBe(3);
  expect(mayHaveBeenQueued(error)).toBe(false);
});

it('treats a refusal SQS answered as nothing queued', async () => {
  const sqs = clientFor(refusingPort);
  const error = await failure(sqs.send(batch(refusingPort)));
  sqs.destroy();
  expect(error?.name).toMatch(/RequestThrottled$/);
  expect(mayHaveBeenQueued(error)).toBe(false);
});

it('calls a 500 or an abort undecided', () => {
  expect(mayHaveBeenQueued({ name: 'InternalError', $metadata: { httpStatusCode: 500 } })).toBe(
    true,
  );
  expect(
    mayHaveBeenQueued({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }),
  ).toBe(false);
  expect(mayHaveBeenQueued(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe(true);
});
