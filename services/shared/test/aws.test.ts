// The request deadline must be enforced, not only logged: a dependency that accepts the
// connection and never answers is the usual way a network dependency fails.
import { SQSClient, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { startHungServer, type HungServer } from '@notify/local-stack';
import { awsClientConfig } from '../src/aws.ts';

let hung: HungServer;
let port: number;

beforeAll(async () => {
  // Accepts every connection and never answers.
  hung = await startHungServer();
  port = hung.port;
});

afterAll(() => hung.close());

it('fails a call to a hung endpoint at requestTimeoutMs instead of waiting forever', async () => {
  const sqs = new SQSClient({
    ...awsClientConfig({ requestTimeoutMs: 300, maxAttempts: 1 }),
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const started = Date.now();
  const call = sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: `http://127.0.0.1:${port}/000000000000/q` }),
  );
  // Without the enforced deadline the call never settles; race it against a generous bound.
  const outcome = await Promise.race([
    call.then(
      () => 'answered',
      (error: Error) => error.name,
    ),
    new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5_000)),
  ]);
  sqs.destroy();
  expect(outcome).toBe('TimeoutError');
  expect(Date.now() - started).toBeLessThan(2_000);
});

it('applies every attempt its own deadline, so maxAttempts bounds the total', async () => {
  const sqs = new SQSClient({
    ...awsClientConfig({ requestTimeoutMs: 200, maxAttempts: 2 }),
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const started = Date.now();
  const error = await sqs
    .send(new GetQueueAttributesCommand({ QueueUrl: `http://127.0.0.1:${port}/000000000000/q` }))
    .then(
      () => undefined,
      (e: Error & { $metadata?: { attempts?: number } }) => e,
    );
  sqs.destroy();
  expect(error?.name).toBe('TimeoutError');
  expect(error?.$metadata?.attempts).toBe(2);
  // Two attempts of 200 ms plus the SDK's retry backoff, far from "never".
  expect(Date.now() - started).toBeLessThan(4_000);
});
