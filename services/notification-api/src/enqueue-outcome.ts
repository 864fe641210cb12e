// Whether a failed SendMessageBatch may still have queued its messages. A call that SQS
// answered with a refusal, or that never reached SQS, queued nothing; a call that timed out or
// lost its connection after the request went out may have been carried out with only the answer
// lost. The API treats the second kind as "outcome unknown": it never retries such a call itself
// (a retry could queue the message a second time) and it never frees the Idempotency-Key.
import type { SendMessageBatchCommand } from '@aws-sdk/client-sqs';

/** Errors that happen before a byte reaches SQS (nothing can have been queued). */
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** smithy's connect timeout has no code; its message says no connection was made. */
const CONNECT_TIMEOUT = /did not establish a connection/;

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** True when SQS may have carried out the call although it failed on our side. */
export function mayHaveBeenQueued(error: unknown): boolean {
  if (error instanceof OutcomeUnknownError) return true;
  if (error instanceof NotSentError) return false;
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const status = e.$metadata?.httpStatusCode;
  // An answer from SQS: a 4xx (throttling included) or 503 means the call was refused. Other
  // 5xx (500 InternalError, 502/504 from something in between) do not say either way.
  if (typeof status === 'number') return status >= 500 && status !== 503;
  if (typeof e.code === 'string' && NEVER_CONNECTED.has(e.code)) return false;
  if (typeof e.message === 'string' && CONNECT_TIMEOUT.test(e.message)) return false;
  return true;
}

const describe = (error: unknown) => {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  return `${String(e.name ?? 'Error')}: ${String(e.message ?? error)}`;
};

/**
 * An attempt that may have been carried out without SQS confirming it. Deliberately without
 * `cause`: the SDK's retry classification follows causes, and this one must not be retried.
 */
export class OutcomeUnknownError extends Error {
  override name = 'OutcomeUnknownError';
  readonly original: unknown;
  constructor(original: unknown) {
    super(`SQS may have queued the batch but did not confirm it (${describe(original)})`);
    this.original = original;
  }
}

/** An attempt that never reached SQS; keeps the network code so the SDK still retries it. */
export class NotSentError extends Error {
  override name = 'NotSentError';
  readonly code: string | undefined;
  constructor(original: unknown) {
    super(`the batch never reached SQS (${describe(original)})`, { cause: original });
    const code = (original as ErrorShape | undefined)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/**
 * Stops the SDK from retrying this command after an attempt that may have been carried out:
 * the attempt's error is replaced by one the retry strategy does not consider retryable.
 * Attempts refused by SQS or never sent are still retried as usual.
 */
export function noRetryWhenOutcomeUnknown(
  command: SendMessageBatchCommand,
): SendMessageBatchCommand {
  command.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        // SQS's own answers pass unchanged; a transport failure is named for what it means.
        const answered = (error as ErrorShape | undefined)?.$metadata?.httpStatusCode;
        if (typeof answered === 'number' && !mayHaveBeenQueued(error)) throw error;
        if (mayHaveBeenQueued(error)) throw new OutcomeUnknownError(error);
        throw new NotSentError(error);
      }
    },
    // Inside the retry middleware (finalizeRequest, priority high): it runs once per attempt.
    { step: 'finalizeRequest', priority: 'low', name: 'noRetryWhenOutcomeUnknown' },
  );
  return command;
}
