// SDK client configuration for the actions. Adaptive retries make the SDK itself slow down
// under throttling (CodeDeploy and ECS describe APIs throttle at a few calls per second per
// account, shared with every other pipeline), and timeouts keep a hung call from eating the
// deploy deadline.

export interface ActionAwsClientOptions {
  region: string;
  /** Attempts per call including the first. Default 6: control-plane calls are cheap to retry. */
  maxAttempts?: number;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export function awsClientConfig(options: ActionAwsClientOptions) {
  return {
    region: options.region,
    maxAttempts: options.maxAttempts ?? 6,
    retryMode: 'adaptive',
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      // smithy 4.x only warns at requestTimeout unless told to throw: a hung control-plane
      // call would otherwise eat the whole deploy deadline.
      throwOnRequestTimeout: true,
    },
    customUserAgent: 'notify-platform-actions',
  };
}

/** Region from the input, else the variables configure-aws-credentials sets. */
export function resolveRegion(input: string | undefined, env: NodeJS.ProcessEnv = process.env) {
  const region = input || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new Error(
      "Input 'aws-region' is required when neither AWS_REGION nor AWS_DEFAULT_REGION is set",
    );
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new Error(`Input 'aws-region' must be an AWS region like eu-west-1; got '${region}'`);
  }
  return region;
}
