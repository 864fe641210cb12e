// Entry script of the counting proxy: a process of its own between the services and an AWS
// emulator (fauxqs for SQS, dynalite for DynamoDB) that forwards every request unchanged and
// counts API calls by operation (X-Amz-Target), in total and per queue or table. The benchmark
// reads the counts with `GET /__counts`; nothing else listens on that path in SQS or DynamoDB.
//   COUNTING_PROXY_TARGET=http://127.0.0.1:<emulator> COUNTING_PROXY_PORT=<port> node counting-proxy.ts
import { Agent, createServer, request } from 'node:http';
import {
  apiOperation,
  requestResource,
  type RequestCounts,
  type ResourceCounts,
} from './aws-request-counter.ts';

const targetText = process.env.COUNTING_PROXY_TARGET;
const port = Number(process.env.COUNTING_PROXY_PORT ?? 0);
if (!targetText || !URL.canParse(targetText)) {
  console.error('COUNTING_PROXY_TARGET must be the URL of the emulator to count requests to');
  process.exit(2);
}
const target = new URL(targetText);
const agent = new Agent({ keepAlive: true, maxSockets: 512 });
const counts: RequestCounts = {};
const byResource: ResourceCounts = {};
let unknown = 0;
// Empty receives are billed like any other; counted apart because fauxqs answers them more often
// than SQS would (it wakes every waiting long poll for one new message; SQS keeps the others
// waiting), which the benchmark report needs to say.
let emptyReceives = 0;
const emptyReceivesByResource: RequestCounts = {};

const server = createServer((req, res) => {
  if (req.url === '/__counts') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ counts, unknown, emptyReceives, byResource, emptyReceivesByResource }),
    );
    return;
  }
  const operation = apiOperation(req.headers, req.url ?? '/');
  // The body is read whole (the services' requests are a few KiB) to learn the queue or table.
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const resource = requestResource(body.toString('utf8'));
    if (operation) {
      counts[operation] = (counts[operation] ?? 0) + 1;
      const perResource = (byResource[resource] ??= {});
      perResource[operation] = (perResource[operation] ?? 0) + 1;
    } else {
      unknown += 1;
    }
    const upstream = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (operation === 'ReceiveMessage') {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            if (!Buffer.concat(answerChunks).includes('"Messages"')) {
              emptyReceives += 1;
              emptyReceivesByResource[resource] = (emptyReceivesByResource[resource] ?? 0) + 1;
            }
          });
        }
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(
    `counting proxy for ${target.origin} on 127.0.0.1:${typeof address === 'object' && address ? address.port : port}`,
  );
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
