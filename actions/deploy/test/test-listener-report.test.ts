// The job summary's warning for a test-listener rule left open: the facts and the command that
// removes it (test-listener-report.integration.test.ts runs it through a real shell).
import type { DeployResult } from '../src/deploy.ts';
import { renderDeploySummary, renderErrorSummary } from '../src/report.ts';
import type { LeftOpenRule } from '../src/test-listener-access.ts';
import { revokeCommand, testListenerLeftOpenSection } from '../src/test-listener-report.ts';
import { apiService, cluster, region, taskDefArn } from './fixtures.ts';

const rule: LeftOpenRule = {
  securityGroupId: 'sg-0abc1234def567890',
  port: 8443,
  cidr: '203.0.113.7/32',
  region,
  description: 'deploy smoke test, acme/notify run 42 attempt 1 job deploy-staging',
  reason:
    'ec2:RevokeSecurityGroupIngress failed: UnauthorizedOperation: You are not authorized to perform this operation.\n→ The role this workflow assumed may not call it',
};

describe('revokeCommand', () => {
  it('is one line of aws ec2 revoke-security-group-ingress naming the group, region and rule', () => {
    expect(revokeCommand(rule)).toBe(
      'aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-0abc1234def567890 ' +
        `--ip-permissions '[{"IpProtocol":"tcp","FromPort":8443,"ToPort":8443,"IpRanges":[{"CidrIp":"203.0.113.7/32"}]}]'`,
    );
  });
});

describe('testListenerLeftOpenSection', () => {
  it('says nothing when every rule was removed', () => {
    expect(testListenerLeftOpenSection([])).toBeUndefined();
  });

  it('warns who can reach what, gives the group, port, CIDR, and the command', () => {
    const section = testListenerLeftOpenSection([rule])!;
    expect(section).toMatch(/^### ⚠️ Test listener left open to 203\.0\.113\.7\/32$/m);
    expect(section).toContain('reachable from that address');
    expect(section).toContain('not failed or rolled back for this');
    expect(section).toContain('Terraform manages only its own rules on this group');
    expect(section).toContain(
      '| `sg-0abc1234def567890` | `8443/tcp` | `203.0.113.7/32` | eu-west-1 | deploy smoke test, acme/notify run 42 attempt 1 job deploy-staging |',
    );
    // A multi-line reason stays inside its table cell.
    expect(section).toContain('this operation.<br>→ The role');
    expect(section).toContain(`\`\`\`sh\n${revokeCommand(rule)}\n\`\`\``);
  });
});

describe('summaries with the warning', () => {
  const result: DeployResult = {
    status: 'Succeeded',
    message: 'Deployment d-NEWDEPLOY succeeded.',
    strategy: 'CodeDeploy blue/green',
    taskDefinitionArn: taskDefArn(apiService, 42),
    previousTaskDefinitionArn: taskDefArn(apiService, 41),
    deploymentId: 'd-NEWDEPLOY',
    containerName: 'api',
    image: 'notify-api:abc',
    startedAt: 0,
    finishedAt: 60_000,
    timeline: [],
  };
  const target = { region, cluster, service: apiService, environment: 'staging' };

  it('puts it right under the verdict of a deploy that succeeded', () => {
    const summary = renderDeploySummary(target, result, [testListenerLeftOpenSection([rule])]);
    const verdict = summary.indexOf('Deploy notify-staging-api to staging: Succeeded');
    const warning = summary.indexOf('Test listener left open to 203.0.113.7/32');
    expect(verdict).toBeGreaterThanOrEqual(0);
    expect(warning).toBeGreaterThan(verdict);
    expect(warning).toBeLessThan(summary.indexOf('**Service**'));
    expect(summary).toContain(revokeCommand(rule));
  });

  it('adds it to the error summary of a run that failed after the smoke test', () => {
    const summary = renderErrorSummary('Deploy notify-staging-api failed', 'boom', [
      testListenerLeftOpenSection([rule]),
    ]);
    expect(summary).toContain('boom');
    expect(summary).toContain(revokeCommand(rule));
  });
});
