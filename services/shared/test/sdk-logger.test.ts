// withoutSdkLogger removes the SDK's logger middleware, which redacts a copy of every call's
// input and output even when nobody logs it; calls must still work without it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { awsClientConfig, withoutSdkLogger } from '../src/aws.ts';

let server: Server;
let endpoint: string;

beforeAll(async () => {
  // Answers every call as SQS's JSON protocol answers GetQueueAttributes.
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': 'test-request',
      });
      res.end(JSON.stringify({ Attributes: { QueueArn: 'arn:aws:sqs:us-east-1:0:q' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

function clientWithSpyLogger() {
  const info = jest.fn();
  const client = new SQSClient({
    ...awsClientConfig({ maxAttempts: 1 }),
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    logger: { debug: jest.fn(), info, warn: jest.fn(), error: jest.fn() },
  });
  return { client, info };
}

const call = (client: SQSClient) =>
  client.send(
    new GetQueueAttributesCommand({ QueueUrl: `${endpoint}/0/q`, AttributeNames: ['QueueArn'] }),
  );

it('the SDK builds a log entry of every call by default (what withoutSdkLogger removes)', async () => {
  const { client, info } = clientWithSpyLogger();
  await call(client);
  expect(info).toHaveBeenCalledTimes(1);
  expect(info.mock.calls[0][0]).toMatchObject({ commandName: 'GetQueueAttributesCommand' });
});

it('withoutSdkLogger removes the log entry and the call still answers', async () => {
  const { client, info } = clientWithSpyLogger();
  expect(withoutSdkLogger(client)).toBe(client);
  const answer = await call(client);
  expect(answer.Attributes?.QueueArn).toBe('arn:aws:sqs:us-east-1:0:q');
  expect(info).not.toHaveBeenCalled();
});
