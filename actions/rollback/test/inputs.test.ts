import { readRollbackInputs } from '../src/inputs.ts';

const valid = {
  'aws-region': 'eu-west-1',
  cluster: 'notify-production',
  service: 'notify-production-api',
};
const read = (values: Record<string, string>) =>
  readRollbackInputs((name) => values[name] ?? '', {});

describe('rollback inputs', () => {
  it('defaults to the previous revision and names the CodeDeploy group after the service', () => {
    expect(read(valid)).toMatchObject({
      target: '',
      codeDeployApplication: 'notify-production-api',
      codeDeployDeploymentGroup: 'notify-production-api',
      // Derived from the deployment group unless given; all at once unless given.
      timeoutMs: undefined,
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
    });
  });

  it('takes a deployment config and a timeout override', () => {
    expect(
      read({
        ...valid,
        'deployment-config': 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
        'timeout-minutes': '20',
      }),
    ).toMatchObject({
      deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      timeoutMs: 20 * 60_000,
    });
  });

  it.each([
    '41',
    'notify-production-api:41',
    'arn:aws:ecs:eu-west-1:123456789012:task-definition/notify-production-api:41',
  ])('accepts target %s', (target) => expect(read({ ...valid, target }).target).toBe(target));

  it.each([
    [
      { ...valid, target: 'previous' },
      "Input 'target' must be empty (previous revision), a revision number",
    ],
    [{ ...valid, cluster: '' }, "Input 'cluster' is required"],
    [{ ...valid, 'timeout-minutes': '999' }, "Input 'timeout-minutes' must be at most 360"],
    [
      { ...valid, 'deployment-config': 'all at once' },
      "Input 'deployment-config' must be a CodeDeploy deployment config name",
    ],
  ])('rejects %j naming the input', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });
});
