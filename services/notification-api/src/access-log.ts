// One access log line per request (method, path, status, duration, request id, client name;
// never the token or any address) and the request metrics as EMF. Health probes are logged at
// debug and not counted, so ALB and ECS checks do not drown the numbers.
import type { MetricsEmitter } from '@notify/shared';
import type { Middleware } from 'koa';
import type { ApiState } from './state.ts';

const PROBE_PATHS = new Set(['/healthz', '/readyz']);

export function accessLogMiddleware(metrics: MetricsEmitter): Middleware<ApiState> {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = Math.round((performance.now() - started) * 100) / 100;
      const line = {
        method: ctx.method,
        path: ctx.path.slice(0, 200),
        status: ctx.status,
        ms,
        ...(ctx.state.notificationId ? { notificationId: ctx.state.notificationId } : {}),
      };
      const probe = PROBE_PATHS.has(ctx.path);
      if (probe) ctx.state.log.debug(line, 'request');
      else ctx.state.log.info(line, 'request');
      if (!probe) emitRequestMetrics(metrics, ctx.state, ctx.status);
    }
  };
}

function emitRequestMetrics(metrics: MetricsEmitter, state: ApiState, status: number): void {
  if (state.outcome === 'accepted') {
    metrics.emit({
      Requests: { value: 1, unit: 'Count' },
      Accepted: { value: 1, unit: 'Count' },
      EnqueueLatency: { value: state.enqueueLatencyMs ?? 0, unit: 'Milliseconds' },
    });
    return;
  }
  if (state.outcome === 'replayed') {
    metrics.emit({ Requests: { value: 1, unit: 'Count' }, Replayed: { value: 1, unit: 'Count' } });
    return;
  }
  // Requests goes on its own line: sharing the Reason dimension would split the total.
  metrics.emit({ Requests: { value: 1, unit: 'Count' } });
  if (status >= 400) {
    metrics.emit(
      { Rejected: { value: 1, unit: 'Count' } },
      { Reason: state.rejectReason ?? `status_${status}` },
    );
  }
}
