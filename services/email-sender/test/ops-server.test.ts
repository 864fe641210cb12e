import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createOpsServer } from '../src/ops-server.ts';
import type { StatusSnapshot } from '../src/worker-status.ts';

const snapshot: StatusSnapshot = {
  inFlight: 3,
  sent: 10,
  retried: 1,
  failedAttempts: 2,
  failedMessages: 1,
  deadLettered: 1,
  deleteFailed: 0,
  lastPollAt: '2026-01-01T00:00:00.000Z',
  ready: true,
  ratePerSecond: 14,
  queueReachable: true,
  sesAnswering: true,
  pollsCurrent: true,
  accountPaused: false,
  draining: false,
};

const state = { alive: true, ready: true, snapshot };
let server: Server;
let base: string;

beforeAll(async () => {
  server = createOpsServer({
    isAlive: () => state.alive,
    isReady: () => state.ready,
    snapshot: () => state.snapshot,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('ops server', () => {
  it('answers /healthz and /readyz with 200 when alive and ready', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('answers 503 with the reason when not ready or not alive', async () => {
    Object.assign(state, { alive: false, ready: false, snapshot: { ...snapshot, draining: true } });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'draining' });
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    state.snapshot = { ...snapshot, accountPaused: true };
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'account paused' });
    Object.assign(state, { alive: true, ready: true, snapshot });
  });

  it('serves the status JSON', async () => {
    const res = await fetch(`${base}/status`);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual(snapshot);
  });

  it('answers unknown routes with 404 and other methods with 405, as JSON', async () => {
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
    const post = await fetch(`${base}/status`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
