// AWS SDK client set-up shared by both services. Endpoints are never set here: the SDK reads
// AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_SESV2 / AWS_ENDPOINT_URL_DYNAMODB itself, so the same
// code talks to the local emulators and to AWS.
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

export interface AwsClientOptions {
  /** Time to open a TCP connection before the attempt fails (ms). */
  connectionTimeoutMs?: number;
  /** Time for a whole request (ms). Long polls need more than their WaitTimeSeconds. */
  requestTimeoutMs?: number;
  /** SDK retry attempts, including the first. */
  maxAttempts?: number;
}

export function awsClientConfig(options: AwsClientOptions = {}) {
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  return {
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: options.connectionTimeoutMs ?? 2_000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      // Without this, smithy 4.x only logs a warning when requestTimeout passes and the call
      // waits forever on a dependency that accepted the connection and never answers.
      throwOnRequestTimeout: true,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    }),
  };
}
