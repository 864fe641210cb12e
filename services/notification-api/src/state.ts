// What one request carries through the middleware chain (Koa's ctx.state).
import type { Logger } from '@notify/shared';
import type { ParameterizedContext } from 'koa';

export interface ApiState {
  requestId: string;
  /** Child logger: every line carries the request id. */
  log: Logger;
  /** Authenticated client name (never the token). */
  client?: string;
  /** Metrics dimension of a rejection, set by the error middleware. */
  rejectReason?: string;
  outcome?: 'accepted' | 'replayed';
  /** Id of the queued (or replayed) notification, for the access log line. */
  notificationId?: string;
  enqueueLatencyMs?: number;
}

export type ApiContext = ParameterizedContext<ApiState>;
