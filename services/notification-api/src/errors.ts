// The one JSON error format of the API, `{ "error": { "code", "message", "details"? } }`, and the
// mapping from anything thrown to it. Client input maps to a 4xx; only our own failures are 5xx
// (503 when a dependency is down, 500 with a generic message for bugs, which are logged).
import type { Middleware } from 'koa';
import type { ApiState } from './state.ts';

export interface ErrorDetail {
  field: string;
  rule: string;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetail[] };
}

export interface ApiErrorOptions {
  details?: ErrorDetail[];
  headers?: Record<string, string>;
  /** Metrics dimension; defaults to the code in lower case. */
  reason?: string;
  cause?: unknown;
}

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[] | undefined;
  readonly headers: Record<string, string>;
  readonly reason: string;

  constructor(status: number, code: string, message: string, options: ApiErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
    this.reason = options.reason ?? code.toLowerCase();
  }
}

export const validationError = (message: string, details: ErrorDetail[]) =>
  new ApiError(400, 'VALIDATION_ERROR', message, { details });

export const queueUnavailable = (
  retryAfterSeconds: number,
  cause?: unknown,
  outcomeUnknown = false,
) =>
  new ApiError(
    503,
    'QUEUE_UNAVAILABLE',
    outcomeUnknown
      ? 'the queue did not confirm the message in time; it may have been queued, so a retry may deliver it twice (under the same Idempotency-Key it never does)'
      : 'the queue is unavailable; retry later',
    {
      headers: { 'Retry-After': String(retryAfterSeconds) },
      cause,
    },
  );

export const statusUnavailable = (retryAfterSeconds: number, cause?: unknown) =>
  new ApiError(503, 'STATUS_UNAVAILABLE', 'the status store is unavailable; retry later', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
    cause,
  });

/**
 * Per-entry SQS refusals caused by the message itself. Retrying the same request cannot help,
 * so they are the client's 4xx, naming the problem; every other enqueue failure is a 503.
 */
const SQS_CONTENT_REJECTIONS: Record<string, { status: number; code: string; what: string }> = {
  InvalidMessageContents: {
    status: 422,
    code: 'INVALID_MESSAGE_CONTENTS',
    what: 'the queue refused characters in this message',
  },
  InvalidParameterValue: {
    status: 422,
    code: 'MESSAGE_REJECTED',
    what: 'the queue refused this message',
  },
  MessageTooLong: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    what: 'the message is larger than the queue accepts',
  },
};

/** An enqueue failure as the client sees it: its own content (4xx) or our queue (503). */
export function enqueueFailure(
  error: unknown,
  retryAfterSeconds: number,
  outcomeUnknown = false,
): ApiError {
  const { sqsCode, sqsMessage } = (typeof error === 'object' && error !== null ? error : {}) as {
    sqsCode?: unknown;
    sqsMessage?: unknown;
  };
  const rejection = typeof sqsCode === 'string' ? SQS_CONTENT_REJECTIONS[sqsCode] : undefined;
  if (rejection === undefined) return queueUnavailable(retryAfterSeconds, error, outcomeUnknown);
  const detail = typeof sqsMessage === 'string' && sqsMessage !== '' ? `: ${sqsMessage}` : '';
  return new ApiError(
    rejection.status,
    rejection.code,
    `${rejection.what} (SQS ${String(sqsCode)}${detail}); nothing was queued`,
    { cause: error },
  );
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  reason: string;
  /** True when the error is ours (5xx other than a known dependency outage): log it loudly. */
  unexpected: boolean;
}

/** Errors thrown by raw-body and Koa's http-errors carry a status and sometimes a type. */
interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  expose?: unknown;
  message?: unknown;
}

const BODY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.too.large': {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'request body is larger than the limit',
  },
  'request.aborted': { status: 400, code: 'REQUEST_ABORTED', message: 'request was aborted' },
  'request.size.invalid': {
    status: 400,
    code: 'INVALID_BODY_LENGTH',
    message: 'request body length does not match Content-Length',
  },
  'encoding.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'unsupported Content-Encoding; send identity-encoded application/json',
  },
  'charset.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'unsupported charset; send application/json in UTF-8',
  },
};

const GENERIC_CLIENT_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  411: 'LENGTH_REQUIRED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof ApiError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    return {
      status: error.status,
      body,
      headers: error.headers,
      reason: error.reason,
      unexpected: error.status === 500,
    };
  }
  const e = (typeof error === 'object' && error !== null ? error : {}) as HttpLikeError;
  const known = typeof e.type === 'string' ? BODY_ERRORS[e.type] : undefined;
  if (known) {
    return {
      status: known.status,
      body: { error: { code: known.code, message: known.message } },
      headers: {},
      reason: known.code.toLowerCase(),
      unexpected: false,
    };
  }
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // A client error raised by Koa or a library (e.g. a malformed URL): keep the status, use
    // the library's message only if it marked it safe to show.
    const code = GENERIC_CLIENT_CODES[status] ?? 'BAD_REQUEST';
    const message = e.expose === true && typeof e.message === 'string' ? e.message : 'bad request';
    return {
      status,
      body: { error: { code, message } },
      headers: {},
      reason: code.toLowerCase(),
      unexpected: false,
    };
  }
  return {
    status: 500,
    body: { error: { code: 'INTERNAL_ERROR', message: 'internal error' } },
    headers: {},
    reason: 'internal_error',
    unexpected: true,
  };
}

/** Renders every thrown error in the JSON format; unexpected ones are logged with their stack. */
export function errorMiddleware(): Middleware<ApiState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const response = toErrorResponse(error);
      if (response.unexpected) {
        ctx.state.log.error({ err: error }, 'unexpected error');
      } else if (response.status >= 500) {
        ctx.state.log.warn(
          {
            err: error instanceof Error && error.cause ? error.cause : error,
            code: response.body.error.code,
          },
          'dependency unavailable',
        );
      }
      ctx.state.rejectReason = response.reason;
      ctx.status = response.status;
      ctx.set(response.headers);
      ctx.body = response.body;
    }
  };
}

export function notFoundMiddleware(): Middleware<ApiState> {
  return async (ctx) => {
    // @koa/router records the routes whose path matched even when the method did not.
    const matched = (ctx as { matched?: { methods: string[] }[] }).matched ?? [];
    const allowed = [...new Set(matched.flatMap((layer) => layer.methods))];
    if (allowed.length > 0) {
      throw new ApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `method ${ctx.method} is not allowed on this route`,
        {
          headers: { Allow: allowed.join(', ') },
        },
      );
    }
    throw new ApiError(404, 'NOT_FOUND', 'no such route');
  };
}
