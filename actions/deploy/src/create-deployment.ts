// CreateDeployment, sent exactly once. It is not idempotent (no client token), so after a
// failure that leaves us unsure whether CodeDeploy created the deployment (no response, a
// timeout, a 5xx, or DeploymentLimitExceeded possibly naming our own deployment) we look for
// the active deployment carrying this run's AppSpec and follow it instead of creating again.
import { CreateDeploymentCommand, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import {
  ActionableAwsError,
  awsErrorName,
  awsHttpStatus,
  callAws,
  formatDuration,
} from '@notify/actions-shared';
import { listActiveDeployments } from './active-deployments.ts';
import { buildAppSpec } from './appspec.ts';
import type { DeployContext } from './strategy.ts';

/** Lookups for our deployment after an ambiguous failure, one poll interval apart. */
const recoveryLookups = 3;

export interface CreateDeploymentOptions {
  description: string;
  /** Overrides the deployment group's deployment config for this deployment. */
  deploymentConfigName?: string;
}

/** True when CreateDeployment may have created the deployment although the call failed. */
export function isAmbiguousCreateFailure(error: unknown): boolean {
  const cause = error instanceof ActionableAwsError ? error.cause : error;
  const name = awsErrorName(cause);
  if (name === 'DeploymentLimitExceededException' || name === 'TimeoutError') return true;
  const status = awsHttpStatus(cause);
  return status === undefined || status >= 500;
}

/** The active deployment of the group whose revision is the AppSpec with this sha256. */
async function findDeploymentOfRevision(
  context: DeployContext,
  sha256: string,
): Promise<string | undefined> {
  for (const deploymentId of await listActiveDeployments(context)) {
    const response = await callAws(
      { operation: 'codedeploy:GetDeployment', resource: deploymentId, region: context.region },
      () => context.codeDeploy.send(new GetDeploymentCommand({ deploymentId })),
    );
    // GetDeployment returns the AppSpec's sha256 but never its content.
    if (response.deploymentInfo?.revision?.appSpecContent?.sha256 === sha256) return deploymentId;
  }
  return undefined;
}

export async function createDeployment(
  context: DeployContext,
  service: Service,
  taskDefinitionArn: string,
  options: CreateDeploymentOptions,
): Promise<string> {
  const appSpec = buildAppSpec(service, taskDefinitionArn);
  const group = `${context.codeDeployApplication}/${context.codeDeployDeploymentGroup}`;
  try {
    const response = await callAws(
      {
        operation: 'codedeploy:CreateDeployment',
        resource: `deployment group ${group}`,
        region: context.region,
      },
      () =>
        context.codeDeployCreate.send(
          new CreateDeploymentCommand({
            applicationName: context.codeDeployApplication,
            deploymentGroupName: context.codeDeployDeploymentGroup,
            description: options.description.slice(0, 100),
            deploymentConfigName: options.deploymentConfigName,
            revision: {
              revisionType: 'AppSpecContent',
              appSpecContent: { content: appSpec.content, sha256: appSpec.sha256 },
            },
          }),
        ),
    );
    if (!response.deploymentId) throw new Error('CreateDeployment returned no deployment id.');
    return response.deploymentId;
  } catch (error) {
    if (!isAmbiguousCreateFailure(error)) throw error;
    const cause = error instanceof ActionableAwsError ? error.cause : error;
    context.timeline.add(
      `CreateDeployment failed without a clear answer (${awsErrorName(cause)}); ` +
        'looking for the deployment of this revision',
      'warning',
    );
    for (let lookup = 1; lookup <= recoveryLookups; lookup++) {
      const found = await findDeploymentOfRevision(context, appSpec.sha256);
      if (found) {
        context.timeline.add(`Found ${found} carrying this revision; following it`, 'info');
        return found;
      }
      if (lookup < recoveryLookups) await context.clock.sleep(context.pollIntervalMs);
    }
    // Somebody else's deployment holds the group: the explained limit error says so.
    if (awsErrorName(cause) === 'DeploymentLimitExceededException') throw error;
    const waited = formatDuration((recoveryLookups - 1) * context.pollIntervalMs);
    throw new Error(
      `CreateDeployment on ${group} failed without a clear answer ` +
        `(${(error as Error).message.split('\n')[0]}), and no active deployment of this ` +
        `revision (AppSpec sha256 ${appSpec.sha256.slice(0, 12)}…) appeared within ${waited}. ` +
        'It was not retried because CreateDeployment is not idempotent. Check the deployment ' +
        'group in the CodeDeploy console, then run the deploy again.',
      { cause: error },
    );
  }
}
