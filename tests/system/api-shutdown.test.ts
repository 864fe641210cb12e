// The real entry point as a child process: refuses to start without tokens, and on SIGTERM
// drains (every request that got a 202 is in the queue) and exits 0.
import { request } from 'node:http';
import { join } from 'node:path';
import { parseEnvelope } from '@notify/shared';
import { freePort, startNodeProcess, waitForHttp } from '@notify/local-stack';
import {
  API_TOKEN,
  startHarness,
  type Harness,
} from '../../services/notification-api/test/emulator-harness.ts';

jest.setTimeout(60_000);

const MAIN = join(__dirname, '..', '..', 'services', 'notification-api', 'src', 'main.ts');

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness('napi-drain');
});

afterAll(async () => {
  await harness?.stop();
});

describe('main.ts', () => {
  it('refuses to start without tokens, with a clear message', async () => {
    const proc = startNodeProcess({
      name: 'api-no-tokens',
      args: [MAIN],
      env: { ...harness.apiEnv(), API_TOKENS: '' },
    });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('refusing to start');
    expect(proc.output()).toContain('API_TOKENS');
  });

  it('refuses the development token unless ALLOW_DEV_TOKEN=true', async () => {
    const proc = startNodeProcess({
      name: 'api-dev-token',
      args: [MAIN],
      env: { ...harness.apiEnv(), API_TOKENS: '["local-dev-token"]' },
    });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('ALLOW_DEV_TOKEN=true');
  });

  it('drains on SIGTERM: every 202 is in the queue, and it exits 0', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = startNodeProcess({
      name: 'api',
      args: [MAIN],
      // The longest linger keeps requests waiting in the batcher when SIGTERM arrives; only an
      // explicit flush lets the process finish well before that linger would have run out.
      env: harness.apiEnv({
        PORT: String(port),
        ENQUEUE_LINGER_MS: '1000',
        SHUTDOWN_TIMEOUT_MS: '25000',
      }),
    });
    try {
      await waitForHttp(`${url}/healthz`);
      await harness.drain();

      // 25 = two full batches (sent at once) + 5 that linger until SIGTERM's flush sends them.
      const written: Promise<void>[] = [];
      const inFlight = Array.from({ length: 25 }, (_, i) => {
        const sent = post(port, { to: 'jane@example.com', subject: 'drain', text: `message ${i}` });
        written.push(sent.written);
        return sent.result;
      });
      // Barrier instead of a fixed sleep (which raced under CI load): every request is on the
      // wire on a connected socket, and a later connection's probe was answered: the server accepts
      // in order, so it has accepted and read all of them before SIGTERM.
      await Promise.all(written);
      expect(await probeOnNewConnection(port)).toBe(200);
      const signalled = Date.now();
      proc.child.kill('SIGTERM');
      const results = await Promise.all(inFlight);
      const code = await proc.exited;
      expect(Date.now() - signalled).toBeLessThan(800);

      expect(code).toBe(0);
      expect(proc.output()).toContain('shutdown complete');
      // Requests already in flight were finished, not dropped.
      const accepted = results.filter((r) => r.status === 202).map((r) => r.body.id);
      expect(accepted.length).toBe(25);
      const queued = (await harness.drain()).map((m) => {
        const parsed = parseEnvelope(m.Body);
        return parsed.ok ? parsed.envelope.id : 'invalid';
      });
      expect(queued.sort()).toEqual([...accepted].sort());
      // After the exit nothing listens any more.
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      await proc.stop('SIGKILL', 1_000);
    }
  });
});

/** GET /healthz on a connection of its own (fetch would reuse a kept-alive one). */
function probeOnNewConnection(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

/** One POST on its own connection; `written` resolves once the whole request is on the socket. */
function post(
  port: number,
  payload: object,
): { written: Promise<void>; result: Promise<{ status: number; body: { id?: string } }> } {
  const body = JSON.stringify(payload);
  let onWritten!: () => void;
  const written = new Promise<void>((resolve) => (onWritten = resolve));
  const result = new Promise<{ status: number; body: { id?: string } }>((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/notifications',
        agent: false,
        headers: {
          authorization: `Bearer ${API_TOKEN}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        res.on('error', () => resolve({ status: 0, body: {} }));
      },
    );
    // Written AND connected: 'finish' alone can fire while the socket is still connecting.
    let connected = false;
    let finished = false;
    const check = () => connected && finished && onWritten();
    req.on('socket', (socket) => {
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => ((connected = true), check()));
    });
    req.on('finish', () => ((finished = true), check()));
    req.on('error', () => {
      onWritten();
      resolve({ status: 0, body: {} });
    });
    req.end(body);
  });
  return { written, result };
}
