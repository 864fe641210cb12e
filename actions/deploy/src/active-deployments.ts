// The deployments that hold a CodeDeploy deployment group: at most one runs at a time, and a
// second CreateDeployment fails with DeploymentLimitExceededException while one does.
import { ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { callAws } from '@notify/actions-shared';
import type { DeployContext } from './strategy.ts';

/** Statuses in which a deployment still holds the deployment group. */
export const activeStatuses = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'] as const;

/** Every active deployment of the context's group, all pages. */
export async function listActiveDeployments(context: DeployContext): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws(
      {
        operation: 'codedeploy:ListDeployments',
        resource: `deployment group ${context.codeDeployApplication}/${context.codeDeployDeploymentGroup}`,
        region: context.region,
      },
      () =>
        context.codeDeploy.send(
          new ListDeploymentsCommand({
            applicationName: context.codeDeployApplication,
            deploymentGroupName: context.codeDeployDeploymentGroup,
            includeOnlyStatuses: [...activeStatuses],
            nextToken,
          }),
        ),
    );
    ids.push(...(page.deployments ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return ids;
}

export async function findActiveDeployment(context: DeployContext): Promise<string | undefined> {
  return (await listActiveDeployments(context))[0];
}
