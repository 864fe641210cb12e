import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ActionableAwsError,
  callAws,
  explainAwsError,
  isThrottlingError,
} from '../src/aws-errors.ts';
import { awsClientConfig, resolveRegion } from '../src/aws.ts';

const awsError = (name: string, message: string, httpStatusCode = 400) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });

describe('explainAwsError', () => {
  it('says which permission is missing on which resource', () => {
    const explanation = explainAwsError(
      awsError(
        'AccessDeniedException',
        'User: arn:aws:sts::123456789012:assumed-role/notify-deploy/gha is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:eu-west-1:123456789012:service/notify-staging/notify-staging-api because no identity-based policy allows the ecs:UpdateService action',
      ),
    );
    expect(explanation.kind).toBe('access-denied');
    expect(explanation.deniedAction).toBe('ecs:UpdateService');
    expect(explanation.deniedResource).toBe(
      'arn:aws:ecs:eu-west-1:123456789012:service/notify-staging/notify-staging-api',
    );
    expect(explanation.advice).toContain('ecs:UpdateService on arn:aws:ecs:eu-west-1');
  });

  it('recognises iam:PassRole denials hidden in a ClientException', () => {
    const explanation = explainAwsError(
      awsError(
        'ClientException',
        'User: arn:aws:sts::1:assumed-role/d/x is not authorized to perform: iam:PassRole on resource: arn:aws:iam::1:role/notify-staging-api-task',
      ),
    );
    expect(explanation.kind).toBe('access-denied');
    expect(explanation.deniedAction).toBe('iam:PassRole');
    expect(explanation.deniedResource).toBe('arn:aws:iam::1:role/notify-staging-api-task');
  });

  it('names the running deployment and links it on DeploymentLimitExceeded', () => {
    const explanation = explainAwsError(
      awsError(
        'DeploymentLimitExceededException',
        "The Deployment Group 'notify-staging-api' already has an active Deployment 'd-4X2ABCDEF'",
      ),
      { region: 'eu-west-1', resource: 'notify-staging-api' },
    );
    expect(explanation.kind).toBe('deployment-limit');
    expect(explanation.activeDeploymentId).toBe('d-4X2ABCDEF');
    expect(explanation.activeDeploymentUrl).toBe(
      'https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-4X2ABCDEF?region=eu-west-1',
    );
    expect(explanation.advice).toContain('Another deployment (d-4X2ABCDEF) is already running');
  });

  it('classifies throttling, not-found and credential errors', () => {
    expect(explainAwsError(awsError('ThrottlingException', 'Rate exceeded')).kind).toBe(
      'throttling',
    );
    expect(isThrottlingError(awsError('Whatever', 'slow down', 429))).toBe(true);
    expect(
      explainAwsError(awsError('ServiceNotFoundException', 'Service not found.'), {
        resource: 'notify-staging-api',
        region: 'eu-west-1',
      }).advice,
    ).toContain('notify-staging-api was not found in eu-west-1');
    expect(explainAwsError(awsError('ExpiredTokenException', 'expired')).kind).toBe('credentials');
  });

  it('callAws wraps failures in an error whose message says what to do', async () => {
    const error = await callAws({ operation: 'codedeploy:CreateDeployment' }, async () => {
      throw awsError('ThrottlingException', 'Rate exceeded');
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionableAwsError);
    expect((error as Error).message).toMatch(
      /^codedeploy:CreateDeployment failed: ThrottlingException: Rate exceeded\n→ AWS throttled/,
    );
    // The poll loop must still see it as throttling after wrapping.
    expect(isThrottlingError(error)).toBe(true);
  });
});

describe('aws client config', () => {
  it('uses adaptive retries and timeouts', () => {
    expect(awsClientConfig({ region: 'eu-west-1' })).toMatchObject({
      region: 'eu-west-1',
      retryMode: 'adaptive',
      maxAttempts: 6,
    });
  });

  it('resolves the region from the input or the environment and validates it', () => {
    expect(resolveRegion('eu-west-1', {})).toBe('eu-west-1');
    expect(resolveRegion('', { AWS_REGION: 'us-east-2' })).toBe('us-east-2');
    expect(() => resolveRegion('', {})).toThrow("Input 'aws-region' is required");
    expect(() => resolveRegion('Ireland', {})).toThrow("Input 'aws-region' must be an AWS region");
  });
});

describe('the advice in error messages', () => {
  it('names only repository paths that exist', () => {
    const source = readFileSync(join(process.cwd(), 'actions/shared/src/aws-errors.ts'), 'utf8');
    const paths = [
      ...source.matchAll(/(?<![\w/-])((?:terraform|actions|services)\/[\w./-]+)/g),
    ].map((m) => m[1]!.replace(/[.,]$/, ''));
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => !existsSync(join(process.cwd(), p)))).toEqual([]);
  });
});
