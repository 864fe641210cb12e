// GET /healthz: the process runs (ECS container health check). GET /readyz: the task can reach
// its queue (ALB target health); 503 while it cannot or while shutting down.
import { Router } from '@koa/router';
import type { ReadinessProbe } from '../readiness.ts';
import type { ApiState } from '../state.ts';

export function healthRoutes(readiness: ReadinessProbe): Router<ApiState> {
  const router = new Router<ApiState>();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const status = await readiness.status();
    if (status.ready) {
      ctx.body = { status: 'ready' };
      return;
    }
    ctx.status = 503;
    ctx.set('Retry-After', '5');
    ctx.body = { error: { code: 'NOT_READY', message: status.reason ?? 'not ready' } };
  });
  return router;
}
