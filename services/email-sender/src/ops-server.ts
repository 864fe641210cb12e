// The worker's operations endpoint (no load balancer in front: ECS health checks and Service
// Connect peers call it): /healthz = the poll loop is alive, /readyz = polling normally,
// /status = counters as JSON.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Worker } from './worker.ts';

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export function createOpsServer(worker: Pick<Worker, 'isAlive' | 'isReady' | 'snapshot'>): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://ops.local').pathname;
    const routes: Record<string, () => void> = {
      '/healthz': () => {
        const alive = worker.isAlive();
        sendJson(res, alive ? 200 : 503, { status: alive ? 'ok' : 'poll loop not running' });
      },
      '/readyz': () => {
        const s = worker.snapshot();
        const reason = s.draining
          ? 'draining'
          : s.accountPaused
            ? 'account paused'
            : !s.queueReachable || !s.pollsCurrent
              ? 'queue unreachable'
              : !s.sesAnswering
                ? 'SES not answering'
                : undefined;
        const ready = worker.isReady();
        sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : (reason ?? 'not ready') });
      },
      '/status': () => sendJson(res, 200, worker.snapshot()),
    };
    const route = routes[path];
    if (!route) {
      sendJson(res, 404, { error: { code: 'not_found', message: `no route ${path}` } });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(
        res,
        405,
        { error: { code: 'method_not_allowed', message: `${req.method} not allowed` } },
        { allow: 'GET, HEAD' },
      );
      return;
    }
    route();
  });
}
