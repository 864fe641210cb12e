// AWS console URLs for what the actions touch, so summaries and errors link straight to it.

const base = (region: string) => `https://${region}.console.aws.amazon.com`;

export function ecsServiceUrl(region: string, cluster: string, service: string): string {
  return `${base(region)}/ecs/v2/clusters/${cluster}/services/${service}/health?region=${region}`;
}

export function ecsServiceDeploymentsUrl(region: string, cluster: string, service: string): string {
  return `${base(region)}/ecs/v2/clusters/${cluster}/services/${service}/deployments?region=${region}`;
}

export function ecsServiceEventsUrl(region: string, cluster: string, service: string): string {
  return `${base(region)}/ecs/v2/clusters/${cluster}/services/${service}/events?region=${region}`;
}

/** Accepts a task definition ARN or `family:revision`. */
export function taskDefinitionUrl(region: string, taskDefinition: string): string {
  const familyRevision = taskDefinition.split('/').pop() ?? taskDefinition;
  const [family, revision] = familyRevision.split(':');
  return `${base(region)}/ecs/v2/task-definitions/${family}/${revision ?? ''}/containers?region=${region}`;
}

/** Accepts a task ARN or a task id. */
export function ecsTaskUrl(region: string, cluster: string, task: string): string {
  const taskId = task.split('/').pop() ?? task;
  return `${base(region)}/ecs/v2/clusters/${cluster}/tasks/${taskId}/configuration?region=${region}`;
}

export function codeDeployDeploymentUrl(region: string, deploymentId: string): string {
  return `${base(region)}/codesuite/codedeploy/deployments/${deploymentId}?region=${region}`;
}

export function codeDeployDeploymentGroupUrl(
  region: string,
  application: string,
  deploymentGroup: string,
): string {
  return `${base(region)}/codesuite/codedeploy/applications/${application}/deployment-groups/${deploymentGroup}?region=${region}`;
}

export function ecrImageUrl(
  region: string,
  registryId: string,
  repository: string,
  digest: string,
): string {
  return `${base(region)}/ecr/repositories/private/${registryId}/${repository}/_/image/${digest}/details?region=${region}`;
}

export function ecrRepositoryUrl(region: string, registryId: string, repository: string): string {
  return `${base(region)}/ecr/repositories/private/${registryId}/${repository}?region=${region}`;
}

/** CloudWatch's fragment encoding: percent-encode, then write '%' as '$25'. */
function cloudWatchEncode(text: string): string {
  return encodeURIComponent(encodeURIComponent(text)).replace(/%/g, '$');
}

export function cloudWatchLogsUrl(region: string, logGroup: string, logStream?: string): string {
  const group = `${base(region)}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${cloudWatchEncode(logGroup)}`;
  return logStream ? `${group}/log-events/${cloudWatchEncode(logStream)}` : group;
}
