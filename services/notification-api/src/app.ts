// Assembles the Koa application from its middleware and routes, in one visible order. Starts
// nothing and creates no AWS client: main.ts (or a test) passes every dependency in.
import Koa from 'koa';
import type { Logger, MetricsEmitter, StatusStore } from '@notify/shared';
import { accessLogMiddleware } from './access-log.ts';
import type { Authenticator } from './auth.ts';
import type { EnqueueResult, OutgoingMessage } from './enqueue-batcher.ts';
import { errorMiddleware, notFoundMiddleware } from './errors.ts';
import type { IdempotencyStore } from './idempotency.ts';
import type { TokenBucketRateLimiter } from './rate-limit.ts';
import type { ReadinessProbe } from './readiness.ts';
import { requestIdMiddleware } from './request-id.ts';
import { healthRoutes } from './routes/health.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { statusRoutes } from './routes/status.ts';
import type { ApiState } from './state.ts';

export interface AppDeps {
  authenticator: Authenticator;
  rateLimiter: Pick<TokenBucketRateLimiter, 'take'>;
  enqueue: (message: OutgoingMessage) => Promise<EnqueueResult>;
  idempotency: IdempotencyStore;
  /** Notification status records: written by POST, read by the GET routes. */
  status: Pick<StatusStore, 'create' | 'remove' | 'get' | 'events' | 'list'>;
  readiness: ReadinessProbe;
  logger: Logger;
  metrics: MetricsEmitter;
  bodyLimitBytes: number;
  /** Milliseconds since the epoch (envelope createdAt). */
  now?: () => number;
  newId?: () => string;
  /** While true, responses ask clients to close their connection so the task can drain. */
  isShuttingDown?: () => boolean;
}

export function createApp(deps: AppDeps): Koa<ApiState> {
  const app = new Koa<ApiState>({ proxy: true });
  const isShuttingDown = deps.isShuttingDown ?? (() => false);
  const health = healthRoutes(deps.readiness);
  const notifications = notificationRoutes({
    authenticator: deps.authenticator,
    rateLimiter: deps.rateLimiter,
    enqueue: deps.enqueue,
    idempotency: deps.idempotency,
    status: deps.status,
    bodyLimitBytes: deps.bodyLimitBytes,
    now: deps.now ?? Date.now,
    ...(deps.newId ? { newId: deps.newId } : {}),
  });
  const status = statusRoutes({
    authenticator: deps.authenticator,
    rateLimiter: deps.rateLimiter,
    status: deps.status,
  });

  app.use(requestIdMiddleware(deps.logger));
  app.use(accessLogMiddleware(deps.metrics));
  app.use(async (ctx, next) => {
    try {
      await next();
    } finally {
      // Decided when the response goes out, so that requests already running when the
      // shutdown began do not leave keep-alive connections open behind them.
      if (isShuttingDown()) ctx.set('Connection', 'close');
    }
  });
  app.use(errorMiddleware());
  app.use(health.routes());
  app.use(notifications.routes());
  app.use(status.routes());
  app.use(notFoundMiddleware());

  // Errors are rendered by errorMiddleware; what still reaches Koa is a failed socket write.
  app.on('error', (error: unknown) => {
    deps.logger.warn({ err: error }, 'response could not be written');
  });
  return app;
}
