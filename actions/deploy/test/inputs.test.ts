import { readDeployInputs } from '../src/inputs.ts';

const valid: Record<string, string> = {
  'aws-region': 'eu-west-1',
  cluster: 'notify-staging',
  service: 'notify-staging-api',
  image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/notify-api:0123abc',
};
const read = (values: Record<string, string>) => readDeployInputs((name) => values[name] ?? '', {});

describe('deploy inputs', () => {
  it('applies the documented defaults', () => {
    expect(read(valid)).toEqual({
      region: 'eu-west-1',
      cluster: 'notify-staging',
      service: 'notify-staging-api',
      image: valid.image,
      containerName: undefined,
      codeDeployApplication: 'notify-staging-api',
      codeDeployDeploymentGroup: 'notify-staging-api',
      testUrl: undefined,
      smokeToken: undefined,
      smokeRecipient: 'success@simulator.amazonses.com',
      timeoutMs: undefined,
      deploymentConfigName: undefined,
      pollIntervalMs: 5_000,
      environment: undefined,
    });
  });

  it.each([
    [{ ...valid, cluster: '' }, "Input 'cluster' is required"],
    [{ ...valid, service: '' }, "Input 'service' is required"],
    [{ ...valid, image: '' }, "Input 'image' is required"],
    [
      { ...valid, image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/notify-api' },
      "Input 'image' must be a full image URI with a tag or digest",
    ],
    [{ ...valid, image: 'notify-api:latest' }, "Input 'image' must be a full image URI"],
    [
      { ...valid, 'test-url': 'http://alb:8443' },
      "Input 'smoke-token' is required when 'test-url' is given",
    ],
    [{ ...valid, 'test-url': 'alb:8443/x y' }, "Input 'test-url' must"],
    [{ ...valid, 'timeout-minutes': '0' }, "Input 'timeout-minutes' must be at least 1; got 0"],
    [
      { ...valid, 'deployment-config': 'CodeDeployDefault ECSAllAtOnce' },
      "Input 'deployment-config' must be a CodeDeploy deployment config name",
    ],
    [{ ...valid, 'poll-seconds': 'often' }, "Input 'poll-seconds' must be a whole number"],
    [{ ...valid, 'aws-region': 'Ireland' }, "Input 'aws-region' must be an AWS region"],
    [{ ...valid, 'smoke-recipient': 'nobody' }, "Input 'smoke-recipient' must be an email address"],
    [{ ...valid, cluster: 'notify staging' }, "Input 'cluster' must be a name of letters"],
  ])('rejects %j naming the input', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });

  it('accepts digests and explicit CodeDeploy names', () => {
    const digest = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/notify-api@sha256:${'a'.repeat(64)}`;
    const inputs = read({
      ...valid,
      image: digest,
      'codedeploy-application': 'notify-staging-api-app',
      'test-url': 'https://test.staging.example.com:8443/',
      'smoke-token': 't',
      'timeout-minutes': '45',
    });
    expect(inputs.image).toBe(digest);
    expect(inputs.codeDeployApplication).toBe('notify-staging-api-app');
    expect(inputs.testUrl).toBe('https://test.staging.example.com:8443');
    expect(inputs.timeoutMs).toBe(45 * 60_000);
  });
});
