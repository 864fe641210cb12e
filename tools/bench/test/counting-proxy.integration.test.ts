// The counting proxy as the bench runs it: a process of its own in front of a (stub) SQS or
// DynamoDB endpoint, counting calls by X-Amz-Target, in total and per queue or table, and
// forwarding bodies and answers unchanged.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { freePort, startNodeProcess, waitForPort } from '@notify/local-stack';

let upstream: Server;
let upstreamUrl: string;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      if (target.endsWith('ReceiveMessage')) {
        const body = Buffer.concat(chunks).toString();
        res.end(body.includes('"empty"') ? '{}' : '{"Messages":[{"Body":"x"}]}');
      } else {
        res.end(
          JSON.stringify({ echoed: Buffer.concat(chunks).toString(), host: req.headers.host }),
        );
      }
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const address = upstream.address();
  upstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

async function withProxy(check: (url: string) => Promise<void>): Promise<void> {
  const port = await freePort();
  const proxy = startNodeProcess({
    name: 'counting-proxy',
    args: [join(__dirname, '..', 'counting-proxy.ts')],
    env: { COUNTING_PROXY_TARGET: upstreamUrl, COUNTING_PROXY_PORT: String(port) },
  });
  try {
    await waitForPort(port, '127.0.0.1', 10_000, proxy);
    await check(`http://127.0.0.1:${port}`);
  } finally {
    await proxy.stop('SIGTERM', 3_000);
  }
}

const QUEUE = 'http://127.0.0.1:1/000000000000';

it('forwards SQS calls unchanged and counts them by action, empty receives apart', async () => {
  await withProxy(async (url) => {
    const call = (target: string, body: string) =>
      fetch(`${url}/000000000000/q`, {
        method: 'POST',
        headers: { 'x-amz-target': `AmazonSQS.${target}` },
        body,
      }).then((r) => r.json() as Promise<Record<string, unknown>>);

    const answer = await call('SendMessageBatch', '{"Entries":[1,2,3]}');
    // The Host header is kept, so fauxqs builds queue URLs that point at the proxy.
    expect(answer).toEqual({ echoed: '{"Entries":[1,2,3]}', host: new URL(url).host });
    await call('SendMessageBatch', `{"QueueUrl":"${QUEUE}/email"}`);
    await call('ReceiveMessage', `{"QueueUrl":"${QUEUE}/email","q":"full"}`);
    await call('ReceiveMessage', `{"QueueUrl":"${QUEUE}/events","q":"empty"}`);
    await call('DeleteMessageBatch', `{"QueueUrl":"${QUEUE}/events"}`);

    const counts = await fetch(`${url}/__counts`).then((r) => r.json());
    expect(counts).toEqual({
      counts: { SendMessageBatch: 2, ReceiveMessage: 2, DeleteMessageBatch: 1 },
      unknown: 0,
      emptyReceives: 1,
      byResource: {
        '(unknown)': { SendMessageBatch: 1 },
        email: { SendMessageBatch: 1, ReceiveMessage: 1 },
        events: { ReceiveMessage: 1, DeleteMessageBatch: 1 },
      },
      emptyReceivesByResource: { events: 1 },
    });
  });
});

it('counts DynamoDB calls by operation and by table', async () => {
  await withProxy(async (url) => {
    const call = (operation: string, body: string) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'x-amz-target': `DynamoDB_20120810.${operation}`,
          'content-type': 'application/x-amz-json-1.0',
        },
        body,
      }).then((r) => r.json() as Promise<Record<string, unknown>>);

    const batch = '{"RequestItems":{"status":[{"PutRequest":{"Item":{}}}]}}';
    expect(await call('BatchWriteItem', batch)).toMatchObject({ echoed: batch });
    await call('BatchWriteItem', batch);
    await call('GetItem', '{"TableName":"status","Key":{}}');
    await call('PutItem', '{"TableName":"idempotency","Item":{}}');
    await fetch(url, { method: 'POST', body: '{}' });

    const counts = await fetch(`${url}/__counts`).then((r) => r.json());
    expect(counts).toEqual({
      counts: { BatchWriteItem: 2, GetItem: 1, PutItem: 1 },
      unknown: 1,
      emptyReceives: 0,
      byResource: {
        status: { BatchWriteItem: 2, GetItem: 1 },
        idempotency: { PutItem: 1 },
      },
      emptyReceivesByResource: {},
    });
  });
});
