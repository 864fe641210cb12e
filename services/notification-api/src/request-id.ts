// Request ids: a caller's X-Request-Id is kept when it is sane (so ids can be followed across
// systems), otherwise a fresh UUID is used. The id is returned in the response, carried in the
// queue message and put on every log line of the request.
import { randomUUID } from 'node:crypto';
import type { Logger } from '@notify/shared';
import type { Middleware } from 'koa';
import type { ApiState } from './state.ts';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,200}$/;

export function resolveRequestId(
  header: string | string[] | undefined,
  generate: () => string = randomUUID,
): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : generate();
}

export function requestIdMiddleware(logger: Logger): Middleware<ApiState> {
  return async (ctx, next) => {
    const requestId = resolveRequestId(ctx.req.headers['x-request-id']);
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set(REQUEST_ID_HEADER, requestId);
    await next();
  };
}
