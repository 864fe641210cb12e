// The deploy action's inputs, validated up front so a typo fails in a second, not after a
// task definition was registered.
import {
  resolveRegion,
  createInputReader,
  InputError,
  type GetInput,
  type InputReader,
} from '@notify/actions-shared';
import { DEFAULT_RECIPIENT } from '../../smoke-test/src/smoke.ts';

/** What deploy and rollback both read: the service, its CodeDeploy names, the smoke gate, timing. */
export interface ServiceTargetInputs {
  region: string;
  cluster: string;
  service: string;
  codeDeployApplication: string;
  codeDeployDeploymentGroup: string;
  testUrl?: string;
  smokeToken?: string;
  smokeRecipient: string;
  /** Given: overrides the deadline derived from the deployment group. */
  timeoutMs?: number;
  pollIntervalMs: number;
  /** Label for the summary header, e.g. 'staging'. */
  environment?: string;
}

export interface DeployInputs extends ServiceTargetInputs {
  image: string;
  containerName?: string;
  /** CodeDeploy deployment config for this deployment instead of the group's. */
  deploymentConfigName?: string;
}

const resourceName = {
  pattern: /^[A-Za-z0-9_-]{1,255}$/,
  hint: 'a name of letters, digits, - and _',
};
// registry/repository with a tag and/or a sha256 digest; never a bare repository.
const imagePattern =
  /^[a-z0-9.-]+(?::\d+)?\/[a-z0-9._/-]+(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export const deploymentConfigName = {
  pattern: /^[A-Za-z0-9._+=,@-]{1,100}$/,
  hint: 'a CodeDeploy deployment config name like CodeDeployDefault.ECSAllAtOnce',
};

/** timeout-minutes, or undefined to derive the deadline from the deployment group. */
export function readTimeoutMs(inputs: InputReader): number | undefined {
  if (inputs.optional('timeout-minutes') === undefined) return undefined;
  return inputs.int('timeout-minutes', { min: 1, max: 360 }) * 60_000;
}

export function readServiceTargetInputs(
  inputs: InputReader,
  env: NodeJS.ProcessEnv,
): ServiceTargetInputs {
  const cluster = inputs.string('cluster', { required: true, ...resourceName });
  const service = inputs.string('service', { required: true, ...resourceName });
  const testUrl = inputs.url('test-url');
  const smokeToken = inputs.optional('smoke-token');
  if (testUrl && !smokeToken) {
    throw new InputError('smoke-token', "is required when 'test-url' is given");
  }
  return {
    region: resolveRegion(inputs.optional('aws-region'), env),
    cluster,
    service,
    codeDeployApplication: inputs.string('codedeploy-application', {
      fallback: service,
      ...resourceName,
    }),
    codeDeployDeploymentGroup: inputs.string('codedeploy-deployment-group', {
      fallback: service,
      ...resourceName,
    }),
    testUrl,
    smokeToken,
    smokeRecipient: inputs.string('smoke-recipient', {
      fallback: DEFAULT_RECIPIENT,
      pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
      hint: 'an email address',
    }),
    timeoutMs: readTimeoutMs(inputs),
    pollIntervalMs: inputs.int('poll-seconds', { fallback: 5, min: 1, max: 60 }) * 1_000,
    environment: inputs.optional('environment'),
  };
}

export function readDeployInputs(
  getInput: GetInput,
  env: NodeJS.ProcessEnv = process.env,
): DeployInputs {
  const inputs = createInputReader(getInput);
  const target = readServiceTargetInputs(inputs, env);
  const image = inputs.string('image', { required: true });
  if (
    !imagePattern.test(image) ||
    !/(:[\w][\w.-]*|@sha256:[a-f0-9]{64})$/.test(image.replace(/^[^/]+\//, ''))
  ) {
    throw new InputError(
      'image',
      `must be a full image URI with a tag or digest, like 123456789012.dkr.ecr.eu-west-1.amazonaws.com/notify-api:<sha>; got '${image}'`,
    );
  }
  return {
    ...target,
    image,
    containerName: inputs.optional('container-name', resourceName),
    deploymentConfigName: inputs.optional('deployment-config', deploymentConfigName),
  };
}
