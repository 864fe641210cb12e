// Reading the live ECS service: the starting point of every deploy and rollback.
import { DescribeServicesCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { callAws } from '@notify/actions-shared';

export type Controller = 'CODE_DEPLOY' | 'ECS' | 'EXTERNAL';

export async function describeService(
  ecs: ECSClient,
  region: string,
  cluster: string,
  service: string,
): Promise<Service> {
  const response = await callAws(
    { operation: 'ecs:DescribeServices', resource: `${cluster}/${service}`, region },
    () => ecs.send(new DescribeServicesCommand({ cluster, services: [service] })),
  );
  const found = response.services?.[0];
  if (!found) {
    const reason = response.failures?.[0]?.reason ?? 'MISSING';
    throw new Error(
      `Service '${service}' was not found in cluster '${cluster}' (${region}): ${reason}. ` +
        `Check the 'service' and 'cluster' inputs against the Terraform outputs.`,
    );
  }
  if (found.status !== 'ACTIVE') {
    throw new Error(`Service '${service}' is ${found.status}, not ACTIVE; it cannot be deployed.`);
  }
  return found;
}

export function controllerOf(service: Service): Controller {
  const type = service.deploymentController?.type ?? 'ECS';
  if (type === 'CODE_DEPLOY' || type === 'EXTERNAL') return type;
  return 'ECS';
}

/** The task definition serving production: the PRIMARY task set for CODE_DEPLOY, else the service's. */
export function liveTaskDefinitionArn(service: Service): string {
  const primarySet = service.taskSets?.find((set) => set.status === 'PRIMARY');
  const arn = primarySet?.taskDefinition ?? service.taskDefinition;
  if (!arn) throw new Error(`Service '${service.serviceName}' reports no task definition.`);
  return arn;
}
