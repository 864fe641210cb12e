// Turns what SQS (or the local emulator) answers into sentences an operator can act on: which
// queue does not exist, which IAM permission is missing, which endpoint did not answer.

/** An error meant for the operator as it stands: the CLI prints its message, no stack. */
export class DlqError extends Error {
  override name = 'DlqError';
}

interface AwsErrorLike {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
}

function errorCodes(error: unknown): string[] {
  if (typeof error !== 'object' || error === null) return [];
  const e = error as AwsErrorLike;
  return [e.name, e.code, e.Code].filter((c): c is string => typeof c === 'string');
}

const QUEUE_MISSING = new Set([
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'ResourceNotFoundException',
]);
const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'KMS.AccessDeniedException',
  'AuthorizationError',
]);
/**
 * How an endpoint says it lacks an operation: SQS itself answers UnsupportedOperation; fauxqs
 * and other emulators answer InvalidAction ("Unknown action") or UnknownOperationException.
 */
const UNSUPPORTED = new Set(['UnsupportedOperation', 'InvalidAction', 'UnknownOperationException']);

export function isUnsupportedOperation(error: unknown): boolean {
  return errorCodes(error).some((code) => UNSUPPORTED.has(code));
}

export function isQueueMissing(error: unknown): boolean {
  return errorCodes(error).some((code) => QUEUE_MISSING.has(code));
}

/** What an operation needs beyond `sqs:<Operation>` itself (from SQS's redrive documentation). */
const EXTRA_PERMISSIONS: Record<string, string> = {
  StartMessageMoveTask:
    'sqs:StartMessageMoveTask plus sqs:ReceiveMessage, sqs:DeleteMessage and ' +
    'sqs:GetQueueAttributes on the dead-letter queue and sqs:SendMessage on the destination',
};

export interface SqsCallContext {
  /** The SQS operation, as in IAM: "ReceiveMessage" -> sqs:ReceiveMessage. */
  operation: string;
  /** The queue the call was about, by name. */
  queue?: string | undefined;
}

function endpointDescription(env: Record<string, string | undefined>): string {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return env.AWS_ENDPOINT_URL_SQS
    ? `${env.AWS_ENDPOINT_URL_SQS} (AWS_ENDPOINT_URL_SQS)`
    : `SQS in ${region}`;
}

/** The operator-facing error for a failed SQS call; anything unrecognised keeps SQS's words. */
export function describeSqsError(
  error: unknown,
  context: SqsCallContext,
  env: Record<string, string | undefined> = process.env,
): DlqError {
  if (error instanceof DlqError) return error;
  const codes = errorCodes(error);
  const message = error instanceof Error ? error.message : String(error);
  const on = context.queue ? ` on ${context.queue}` : '';
  if (codes.some((code) => QUEUE_MISSING.has(code))) {
    return new DlqError(
      `queue ${context.queue ?? '(unnamed)'} not found at ${endpointDescription(env)}`,
    );
  }
  if (codes.some((code) => ACCESS_DENIED.has(code))) {
    const needs = EXTRA_PERMISSIONS[context.operation] ?? `sqs:${context.operation}`;
    return new DlqError(
      `access denied: ${context.operation}${on} needs ${needs} (SQS said: ${message})`,
    );
  }
  if (codes.includes('CredentialsProviderError')) {
    return new DlqError(
      `no AWS credentials for ${context.operation}: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (${message})`,
    );
  }
  const cause = (error as { cause?: AwsErrorLike } | null)?.cause;
  const network = [...codes, ...errorCodes(cause)].find((code) =>
    ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'TimeoutError'].includes(code),
  );
  if (network) {
    return new DlqError(
      `cannot reach ${endpointDescription(env)} for ${context.operation} (${network}); ` +
        'for the local stack, is `npm start` running?',
    );
  }
  return new DlqError(`${context.operation}${on} failed: ${codes[0] ?? 'Error'}: ${message}`);
}
