// The HTTP server around the app (server.ts createHttpServer): the whole-request deadline and
// the answers Node gives before the app runs (unmet Expect), all in the JSON error format.
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { createApp } from '../src/app.ts';
import { createHttpServer } from '../src/server.ts';
import { fakeDeps, TOKEN, validBody } from './support.ts';

const DEADLINE_MS = 1_000;

async function start() {
  const f = fakeDeps();
  const server = createHttpServer(createApp(f.deps).callback(), { requestTimeoutMs: DEADLINE_MS });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { f, port, close };
}

interface Exchange {
  status: number;
  body: string;
  ms: number;
}

/** Writes `head` at once, then `drip` one byte every `everyMs`; resolves when the server closes. */
function slowExchange(
  port: number,
  head: string,
  drip: string,
  everyMs: number,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let i = 0;
    const timer = setInterval(() => {
      if (i < drip.length && socket.writable) socket.write(drip[i++]);
    }, everyMs);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      clearInterval(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      resolve({
        status: Number(text.split(' ')[1]),
        body: end < 0 ? '' : text.slice(end + 4),
        ms: Date.now() - started,
      });
    });
    socket.write(head);
  });
}

const payload = JSON.stringify(validBody);
const head = (extra = '') =>
  'POST /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
  `Authorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\n` +
  `Content-Length: ${Buffer.byteLength(payload)}\r\n${extra}\r\n`;

const TIMEOUT_BODY = {
  error: { code: 'REQUEST_TIMEOUT', message: 'the request did not arrive in time' },
};

describe('whole-request deadline', () => {
  it('cuts a body sent one byte at a time at the deadline with a JSON 408, queuing nothing', async () => {
    const { f, port, close } = await start();
    try {
      const answer = await slowExchange(port, head(), payload, 100);
      expect(answer.status).toBe(408);
      expect(JSON.parse(answer.body)).toEqual(TIMEOUT_BODY);
      expect(answer.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
      expect(answer.ms).toBeLessThan(DEADLINE_MS + 1_500);
      expect(f.sent).toHaveLength(0);
    } finally {
      await close();
    }
  });

  it('cuts headers that trickle in at the deadline with a JSON 408', async () => {
    const { port, close } = await start();
    try {
      const headers = 'X-Slow: ' + 'a'.repeat(100);
      const answer = await slowExchange(port, 'GET /healthz HTTP/1.1\r\n', headers, 50);
      expect(answer.status).toBe(408);
      expect(JSON.parse(answer.body)).toEqual(TIMEOUT_BODY);
      expect(answer.ms).toBeLessThan(DEADLINE_MS + 1_500);
    } finally {
      await close();
    }
  });

  it('still answers a request that arrives in time', async () => {
    const { f, port, close } = await start();
    try {
      const answer = await slowExchange(
        port,
        `${head('Connection: close\r\n')}${payload}`,
        '',
        100,
      );
      expect(answer.status).toBe(202);
      expect(f.sent).toHaveLength(1);
    } finally {
      await close();
    }
  });
});

describe('Expect', () => {
  it('answers an Expect other than 100-continue with 417 in the JSON error format', async () => {
    const { f, port, close } = await start();
    try {
      const answer = await slowExchange(port, `${head('Expect: 200-ok\r\n')}${payload}`, '', 100);
      expect(answer.status).toBe(417);
      expect(JSON.parse(answer.body)).toEqual({
        error: { code: 'EXPECTATION_FAILED', message: 'only "Expect: 100-continue" is supported' },
      });
      expect(f.sent).toHaveLength(0);
    } finally {
      await close();
    }
  });

  it('still honours Expect: 100-continue', async () => {
    const { port, close } = await start();
    try {
      const answer = await slowExchange(
        port,
        head('Expect: 100-continue\r\nConnection: close\r\n'),
        payload,
        1,
      );
      expect(answer.status).toBe(100);
      expect(answer.body).toContain('HTTP/1.1 202 Accepted');
    } finally {
      await close();
    }
  });
});
