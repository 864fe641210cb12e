// Least privilege, read from the modules' own HCL: what each CI role may do, and which doors are
// closed by default. Each test here failed against the code before the matching fix (issue 12).
import { join } from 'node:path';
import {
  actionsOf,
  blocks,
  loadModule,
  modulesDir,
  statements,
  type HclModule,
} from './hcl-module.ts';

let oidc: HclModule;
let lb: HclModule;
beforeAll(async () => {
  oidc = await loadModule(join(modulesDir, 'github-oidc'));
  lb = await loadModule(join(modulesDir, 'load-balancer'));
});

function deployStatements() {
  return statements(oidc.data('aws_iam_policy_document', 'deploy'));
}

describe('deploy role', () => {
  test('reads no secret: the smoke test brings its own token', () => {
    const secretActions = deployStatements()
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('secretsmanager:'));
    expect(secretActions).toEqual([]);
    expect(oidc.text).not.toMatch(/readable_secret_arns/);
  });

  test("may open and close ingress only on the test listener's security group of its environment", () => {
    const ec2 = deployStatements().filter((s) => actionsOf(s).some((a) => a.startsWith('ec2:')));
    expect(ec2).toHaveLength(1);
    expect([...actionsOf(ec2[0])].sort()).toEqual([
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:RevokeSecurityGroupIngress',
    ]);
    expect(ec2[0].resources).toEqual(['${var.test_listener_security_group_arn}']);
    expect(blocks(ec2[0], 'condition')).toEqual([
      {
        test: 'StringEquals',
        variable: 'aws:ResourceTag/Environment',
        values: ['${var.environment_tag}'],
      },
    ]);
  });
});

describe('blue/green test listener', () => {
  test('is closed by default: no CIDR may reach it unless listed, and never 0.0.0.0/0', () => {
    expect(lb.variable('test_listener_cidr_blocks').default).toEqual([]);
    const condition = String(
      blocks(lb.variable('test_listener_cidr_blocks'), 'validation')[0].condition,
    );
    expect(condition).toContain('"0.0.0.0/0"');
  });

  test('its port is opened only in its own security group, which the ALB carries', () => {
    const alb = lb.resource('aws_lb', 'this');
    expect(alb.security_groups).toEqual([
      '${aws_security_group.this.id}',
      '${aws_security_group.test_listener.id}',
    ]);
    const rules = lb.resourcesOf('aws_vpc_security_group_ingress_rule');
    for (const [name, rule] of Object.entries(rules)) {
      const opensTestPort = String(rule.from_port).includes('test_port');
      const onTestGroup = rule.security_group_id === '${aws_security_group.test_listener.id}';
      expect({ name, opensTestPort }).toEqual({ name, opensTestPort: onTestGroup });
    }
    expect(rules.test_listener.for_each).toBe('${toset(var.test_listener_cidr_blocks)}');
    expect(lb.text).not.toMatch(/"test-\$\{cidr\}"/);
    // Terraform manages rules as separate resources, so the pipeline's /32 is not drift.
    expect(lb.resource('aws_security_group', 'test_listener').ingress).toBeUndefined();
  });
});
