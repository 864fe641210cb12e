// The rollback action's inputs.
import {
  resolveRegion,
  createInputReader,
  InputError,
  type GetInput,
} from '@notify/actions-shared';
import { deploymentConfigName, readTimeoutMs } from '../../deploy/src/inputs.ts';
import { DEFAULT_RECIPIENT } from '../../smoke-test/src/smoke.ts';

/** A rollback restores service: every task at once, not the release's canary. */
export const ROLLBACK_DEPLOYMENT_CONFIG = 'CodeDeployDefault.ECSAllAtOnce';

export interface RollbackInputs {
  region: string;
  cluster: string;
  service: string;
  /** '' = the previous revision relative to the live one; a revision number; family:revision; or an ARN. */
  target: string;
  codeDeployApplication: string;
  codeDeployDeploymentGroup: string;
  testUrl?: string;
  smokeToken?: string;
  smokeRecipient: string;
  /** Given: overrides the deadline derived from the deployment group. */
  timeoutMs?: number;
  pollIntervalMs: number;
  /** Deployment config for a new rollback deployment; default all at once. */
  deploymentConfigName: string;
  environment?: string;
}

const resourceName = {
  pattern: /^[A-Za-z0-9_-]{1,255}$/,
  hint: 'a name of letters, digits, - and _',
};
const targetPattern =
  /^(\d+|[A-Za-z0-9_-]{1,255}:\d+|arn:aws[\w-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+)$/;

export function readRollbackInputs(
  getInput: GetInput,
  env: NodeJS.ProcessEnv = process.env,
): RollbackInputs {
  const inputs = createInputReader(getInput);
  const cluster = inputs.string('cluster', { required: true, ...resourceName });
  const service = inputs.string('service', { required: true, ...resourceName });
  const target = inputs.string('target', {
    pattern: targetPattern,
    hint: 'empty (previous revision), a revision number, family:revision, or a task definition ARN',
  });
  const testUrl = inputs.url('test-url');
  const smokeToken = inputs.optional('smoke-token');
  if (testUrl && !smokeToken)
    throw new InputError('smoke-token', "is required when 'test-url' is given");
  return {
    region: resolveRegion(inputs.optional('aws-region'), env),
    cluster,
    service,
    target,
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
    smokeRecipient: inputs.string('smoke-recipient', { fallback: DEFAULT_RECIPIENT }),
    timeoutMs: readTimeoutMs(inputs),
    deploymentConfigName: inputs.string('deployment-config', {
      fallback: ROLLBACK_DEPLOYMENT_CONFIG,
      ...deploymentConfigName,
    }),
    pollIntervalMs: inputs.int('poll-seconds', { fallback: 5, min: 1, max: 60 }) * 1_000,
    environment: inputs.optional('environment'),
  };
}
