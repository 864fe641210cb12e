// The rollback action's inputs.
import { createInputReader, type GetInput } from '@notify/actions-shared';
import {
  deploymentConfigName,
  readServiceTargetInputs,
  type ServiceTargetInputs,
} from '../../deploy/src/inputs.ts';

/** A rollback restores service: every task at once, not the release's canary. */
export const ROLLBACK_DEPLOYMENT_CONFIG = 'CodeDeployDefault.ECSAllAtOnce';

export interface RollbackInputs extends ServiceTargetInputs {
  /** '' = the previous revision relative to the live one; a revision number; family:revision; or an ARN. */
  target: string;
  /** Deployment config for a new rollback deployment; default all at once. */
  deploymentConfigName: string;
}

const targetPattern =
  /^(\d+|[A-Za-z0-9_-]{1,255}:\d+|arn:aws[\w-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+)$/;

export function readRollbackInputs(
  getInput: GetInput,
  env: NodeJS.ProcessEnv = process.env,
): RollbackInputs {
  const inputs = createInputReader(getInput);
  return {
    ...readServiceTargetInputs(inputs, env),
    target: inputs.string('target', {
      pattern: targetPattern,
      hint: 'empty (previous revision), a revision number, family:revision, or a task definition ARN',
    }),
    deploymentConfigName: inputs.string('deployment-config', {
      fallback: ROLLBACK_DEPLOYMENT_CONFIG,
      ...deploymentConfigName,
    }),
  };
}
