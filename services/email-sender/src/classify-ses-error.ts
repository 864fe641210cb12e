// Turns whatever SES v2 SendEmail threw into one of the worker's three kinds, following AWS's
// guidance: throttling, 5xx and network trouble are worth retrying; a request SES refused on its
// merits will be refused again; a paused or suspended account must stop all sending.
import { maskEmailsInText } from '@notify/shared';

export type SesFailure =
  | {
      kind: 'retryable';
      reason: string;
      throttled: boolean;
      /** SES gave no answer at all (timeout, lost connection): health reports it. */
      unanswered?: boolean;
    }
  | { kind: 'permanent'; reason: string }
  | { kind: 'account-paused'; reason: string };

const ACCOUNT_LEVEL = new Set(['SendingPausedException', 'AccountSuspendedException']);

const THROTTLING = new Set([
  'TooManyRequestsException',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

const PERMANENT = new Set([
  'MessageRejected',
  'BadRequestException',
  'MailFromDomainNotVerifiedException',
  'NotFoundException',
]);

// Codes Node and the SDK use for a connection that failed or timed out before an answer.
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'AbortError', 'NetworkingError']);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { statusCode?: unknown };
}

/**
 * The reason travels into logs and the dead-letter queue's failure-reason attribute, so the
 * addresses SES names in its messages (the sandbox lists every unverified recipient) are masked.
 */
function describe(name: string, message: string, status: number | undefined): string {
  const head = status === undefined ? name : `${name} (HTTP ${status})`;
  return maskEmailsInText(message && message !== name ? `${head}: ${message}` : head);
}

export function classifySesError(error: unknown): SesFailure {
  const e: ErrorShape = typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const rawStatus = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const status = typeof rawStatus === 'number' ? rawStatus : undefined;
  const reason = describe(name, message, status);

  if (ACCOUNT_LEVEL.has(name)) return { kind: 'account-paused', reason };
  if (THROTTLING.has(name) || status === 429) return { kind: 'retryable', reason, throttled: true };
  if (PERMANENT.has(name)) return { kind: 'permanent', reason };
  if (status !== undefined && status >= 500) return { kind: 'retryable', reason, throttled: false };
  if (status !== undefined && status >= 400) return { kind: 'permanent', reason };
  if ((code !== undefined && NETWORK_CODES.has(code)) || NETWORK_NAMES.has(name)) {
    return {
      kind: 'retryable',
      reason: code ? `${reason} [${code}]` : reason,
      throttled: false,
      unanswered: true,
    };
  }
  // No HTTP answer and no known cause: the request may never have reached SES. Retrying is the
  // safe side; maxReceiveCount still bounds it.
  return { kind: 'retryable', reason, throttled: false, unanswered: true };
}
