// The real entry point as a child process: refuses to start without tokens, and on SIGTERM
// drains (every request that got a 202 is in the queue) and exits 0.
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
        SHUTDOWN_TIMEOUT_MS: '10000',
      }),
    });
    try {
      await waitForHttp(`${url}/healthz`);
      await harness.drain();

      const send = (i: number) =>
        fetch(`${url}/v1/notifications`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            to: 'jane@example.com',
            subject: 'drain',
            text: `message ${i}`,
          }),
        }).then(
          async (res) => ({ status: res.status, body: (await res.json()) as { id?: string } }),
          () => ({ status: 0, body: {} as { id?: string } }),
        );
      const inFlight = Array.from({ length: 30 }, (_, i) => send(i));
      await new Promise((r) => setTimeout(r, 100));
      const signalled = Date.now();
      proc.child.kill('SIGTERM');
      const results = await Promise.all(inFlight);
      const code = await proc.exited;
      expect(Date.now() - signalled).toBeLessThan(800);

      expect(code).toBe(0);
      expect(proc.output()).toContain('shutdown complete');
      // Requests already in flight were finished, not dropped.
      const accepted = results.filter((r) => r.status === 202).map((r) => r.body.id);
      expect(accepted.length).toBe(30);
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
