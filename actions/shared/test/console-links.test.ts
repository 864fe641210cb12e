import {
  cloudWatchLogsUrl,
  codeDeployDeploymentUrl,
  ecrImageUrl,
  ecsServiceUrl,
  ecsTaskUrl,
  taskDefinitionUrl,
} from '../src/console-links.ts';

describe('console links', () => {
  const region = 'eu-west-1';
  const console = 'https://eu-west-1.console.aws.amazon.com';

  it('points at ECS services, task definitions and tasks', () => {
    expect(ecsServiceUrl(region, 'notify-staging', 'notify-staging-api')).toBe(
      `${console}/ecs/v2/clusters/notify-staging/services/notify-staging-api/health?region=eu-west-1`,
    );
    expect(
      taskDefinitionUrl(region, 'arn:aws:ecs:eu-west-1:1:task-definition/notify-staging-api:42'),
    ).toBe(`${console}/ecs/v2/task-definitions/notify-staging-api/42/containers?region=eu-west-1`);
    expect(ecsTaskUrl(region, 'c', 'arn:aws:ecs:eu-west-1:1:task/c/abc123')).toBe(
      `${console}/ecs/v2/clusters/c/tasks/abc123/configuration?region=eu-west-1`,
    );
  });

  it('points at CodeDeploy deployments and ECR images', () => {
    expect(codeDeployDeploymentUrl(region, 'd-ABCDEFGHI')).toBe(
      `${console}/codesuite/codedeploy/deployments/d-ABCDEFGHI?region=eu-west-1`,
    );
    expect(ecrImageUrl(region, '123', 'notify-api', 'sha256:ab')).toBe(
      `${console}/ecr/repositories/private/123/notify-api/_/image/sha256:ab/details?region=eu-west-1`,
    );
  });

  it("encodes CloudWatch log groups the console's way", () => {
    expect(cloudWatchLogsUrl(region, '/ecs/notify-staging-api', 'api/api/abc')).toBe(
      `${console}/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Fecs$252Fnotify-staging-api/log-events/api$252Fapi$252Fabc`,
    );
  });
});
