// AWS SDK client set-up shared by both services. Endpoints are never set here: the SDK reads
// AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_SESV2 / AWS_ENDPOINT_URL_DYNAMODB itself, so the same
// code talks to the local emulators and to AWS.
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

export interface AwsClientOptions {
  /** Time to open a TCP connection before the attempt fails (ms). */
  connectionTimeoutMs?: number;
  /** Time for one attempt, connecting included (ms). Long polls need more than their wait. */
  requestTimeoutMs?: number;
  /** SDK retry attempts, including the first. */
  maxAttempts?: number;
}

export function awsClientConfig(options: AwsClientOptions = {}) {
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  const requestTimeout = options.requestTimeoutMs ?? 10_000;
  return {
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: Math.min(options.connectionTimeoutMs ?? 2_000, requestTimeout),
      requestTimeout,
      // Without this, smithy 4.x only logs a warning when requestTimeout passes and the call
      // waits forever on a dependency that accepted the connection and never answers.
      throwOnRequestTimeout: true,
      // requestTimeout ends when the response headers arrive; a body that stalls after them is
      // cut by this inactivity timeout instead.
      socketTimeout: requestTimeout,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    }),
  };
}

/** The SDK's longest backoff before retry i (0-based): throttling base 1 s doubling, full jitter. */
const THROTTLING_BACKOFF_BASE_MS = 1_000;

/**
 * The deadline of one SDK call, all attempts and the backoffs between them included: each
 * attempt may take its request timeout, each retry may wait up to the throttling backoff.
 * Passed to the call as an abort signal, so it holds even when the SDK's own arithmetic changes.
 */
export function callDeadlineMs(attemptTimeoutMs: number, maxAttempts: number): number {
  let backoff = 0;
  for (let retry = 0; retry < maxAttempts - 1; retry += 1) {
    backoff += THROTTLING_BACKOFF_BASE_MS * 2 ** retry;
  }
  return maxAttempts * attemptTimeoutMs + backoff;
}

/** Send options that abort the call at its deadline (see callDeadlineMs). */
export function withDeadline(deadlineMs: number): { abortSignal: AbortSignal } {
  return { abortSignal: AbortSignal.timeout(deadlineMs) };
}

/** The part of an SDK client (v3) this module touches. */
interface SdkClientStack {
  middlewareStack: { remove(toRemove: string): boolean };
}

/**
 * Removes the SDK's logger middleware from a client the services create. That middleware
 * builds a redacted copy of every call's input and output for the client's logger even when
 * there is none (the default NoOpLogger drops it): it walks every entry of a SendMessageBatch
 * or BatchWriteItem against the model, about a tenth of a call's CPU in the bench. The
 * services never give the SDK a logger (they log calls themselves), so the copy is waste.
 * Returns the client, so a call site reads `withoutSdkLogger(new SQSClient(...))`.
 */
export function withoutSdkLogger<Client extends SdkClientStack>(client: Client): Client {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
