// Entry script of the counting proxy: a process of its own between the services and fauxqs that
// forwards every request unchanged and counts SQS API calls by action (X-Amz-Target). The
// benchmark reads the counts with `GET /__counts`; nothing else listens on that path in SQS.
//   COUNTING_PROXY_TARGET=http://127.0.0.1:<fauxqs> COUNTING_PROXY_PORT=<port> node counting-proxy.ts
import { Agent, createServer, request } from 'node:http';
import { sqsAction, type SqsRequestCounts } from './sqs-request-counter.ts';

const targetText = process.env.COUNTING_PROXY_TARGET;
const port = Number(process.env.COUNTING_PROXY_PORT ?? 0);
if (!targetText || !URL.canParse(targetText)) {
  console.error('COUNTING_PROXY_TARGET must be the URL of the SQS emulator');
  process.exit(2);
}
const target = new URL(targetText);
const agent = new Agent({ keepAlive: true, maxSockets: 512 });
const counts: SqsRequestCounts = {};
let unknown = 0;
// Empty receives are billed like any other; counted apart because fauxqs answers them more often
// than SQS would (it wakes every waiting long poll for one new message; SQS keeps the others
// waiting), which the benchmark report needs to say.
let emptyReceives = 0;

const server = createServer((req, res) => {
  if (req.url === '/__counts') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ counts, unknown, emptyReceives }));
    return;
  }
  const action = sqsAction(req.headers, req.url ?? '/');
  if (action) counts[action] = (counts[action] ?? 0) + 1;
  else unknown += 1;
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
      if (action === 'ReceiveMessage') {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          if (!Buffer.concat(chunks).includes('"Messages"')) emptyReceives += 1;
        });
      }
      answer.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(
    `counting proxy on 127.0.0.1:${typeof address === 'object' && address ? address.port : port}`,
  );
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
