// Slow-loris clients against the real API process: a body sent one byte a second and headers
// that trickle in are both cut at the whole-request deadline (REQUEST_TIMEOUT_MS, 2 s here) with
// the JSON 408, nothing is queued for them, and the API keeps serving everyone else meanwhile.
import { connect } from 'node:net';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DEV_TOKEN } from '@notify/local-stack';
import {
  postNotification,
  startDrillStack,
  type DrillStack,
  type ServiceHandle,
} from '../support/drill-stack.ts';

jest.setTimeout(60_000);

const DEADLINE_MS = 2_000;
let stack: DrillStack;
let api: ServiceHandle;

beforeAll(async () => {
  stack = await startDrillStack('drill-loris');
  api = await stack.startApi({ env: { REQUEST_TIMEOUT_MS: String(DEADLINE_MS) } });
});

afterAll(async () => {
  await stack?.stop();
});

interface Cut {
  status: number;
  code: string | undefined;
  ms: number;
  bytesSent: number;
}

/** Sends `head` at once, then `drip` one byte every `everyMs`, until the server closes. */
function loris(head: string, drip: string, everyMs: number): Promise<Cut> {
  const port = Number(new URL(api.url).port);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < drip.length && socket.writable) socket.write(drip[sent++]);
    }, everyMs);
    socket.setTimeout(20_000, () => socket.destroy(new Error('never cut off')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      clearInterval(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      let code: string | undefined;
      try {
        code = (JSON.parse(body) as { error?: { code?: string } }).error?.code;
      } catch {
        code = undefined;
      }
      resolve({
        status: Number(text.split(' ')[1]),
        code,
        ms: Date.now() - started,
        bytesSent: sent,
      });
    });
    socket.write(head);
  });
}

it('cuts slow bodies and slow headers at the deadline, queues nothing for them, serves others', async () => {
  const body = JSON.stringify({
    to: 'loris@example.com',
    subject: 'slow',
    text: 'one byte a second',
  });
  const head =
    'POST /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
    `Authorization: Bearer ${DEV_TOKEN}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  const slowBodies = Array.from({ length: 5 }, () => loris(head, body, 1_000));
  const slowHeaders = Array.from({ length: 5 }, () =>
    loris('POST /v1/notifications HTTP/1.1\r\n', `X-Slow: ${'a'.repeat(60)}\r\n`, 1_000),
  );
  // While they hang on, an ordinary client is served at once.
  const normal = await postNotification(api.url, 'served during the slow-loris');
  expect(normal.status).toBe(202);

  const cuts = await Promise.all([...slowBodies, ...slowHeaders]);
  for (const cut of cuts) {
    expect(cut).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT' });
    expect(cut.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 100);
    expect(cut.ms).toBeLessThan(DEADLINE_MS + 1_500);
    expect(cut.bytesSent).toBeLessThan(body.length);
  }

  // Only the ordinary request reached the queue.
  const out = await stack.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: stack.resources.queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
    }),
  );
  const subjects = (out.Messages ?? []).map(
    (m) => (JSON.parse(m.Body ?? '{}') as { email: { subject: string } }).email.subject,
  );
  expect(subjects).toEqual(['served during the slow-loris']);
  expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  console.log(
    `api slow-loris: ${cuts.length} connections cut at ${cuts.map((c) => c.ms).join(', ')} ms`,
  );
});
