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
let platform: HclModule;
beforeAll(async () => {
  oidc = await loadModule(join(modulesDir, 'github-oidc'));
  lb = await loadModule(join(modulesDir, 'load-balancer'));
  platform = await loadModule(join(modulesDir, 'platform'));
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

describe('one account shared by staging and production', () => {
  test("the deploy role releases or stops only its own deployment group's deployments", () => {
    const codedeploy = deployStatements().filter((s) =>
      actionsOf(s).some((a) => a.startsWith('codedeploy:')),
    );
    const releasing = codedeploy.filter((s) =>
      actionsOf(s).some((a) => /^codedeploy:(ContinueDeployment|StopDeployment)$/.test(a)),
    );
    expect(releasing).toHaveLength(1);
    expect(releasing[0].resources).toEqual(['${local.codedeploy_deployment_group_arn}']);
    for (const statement of codedeploy) expect(statement.resources).not.toContain('*');
  });

  test('the Terraform role has no AdministratorAccess: the environment boundary is its policy and its boundary', () => {
    expect(oidc.text).not.toMatch(/policy\/AdministratorAccess/);
    expect(oidc.variable('terraform_role_policy_arns').default).toEqual([]);
    expect(oidc.resource('aws_iam_role_policy_attachment', 'terraform_scope').policy_arn).toBe(
      '${aws_iam_policy.boundary.arn}',
    );
    for (const role of ['plan', 'deploy', 'terraform']) {
      expect(oidc.resource('aws_iam_role', role).permissions_boundary).toBe(
        '${aws_iam_policy.boundary.arn}',
      );
    }
  });

  test("the boundary refuses other environments' resources and tags, and roles created without it", () => {
    const boundary = statements(oidc.data('aws_iam_policy_document', 'boundary'));
    const denies = boundary.filter((s) => s.effect === 'Deny');
    for (const key of ['aws:ResourceTag/Environment', 'aws:RequestTag/Environment']) {
      const deny = denies.find((s) =>
        blocks(s, 'condition').some((c) => c.variable === key && c.test === 'StringNotEquals'),
      );
      expect(deny).toBeDefined();
      expect(actionsOf(deny!)).toEqual(['*']);
      // Only when the tag is present: untagged resources (the shared state bucket) stay usable.
      expect(blocks(deny!, 'condition')).toContainEqual({
        test: 'Null',
        variable: key,
        values: ['false'],
      });
      expect(blocks(deny!, 'condition')).toContainEqual({
        test: 'StringNotEquals',
        variable: key,
        values: ['${var.environment_tag}'],
      });
    }
    const createRole = denies.find((s) => actionsOf(s).includes('iam:CreateRole'));
    expect(blocks(createRole!, 'condition')).toEqual([
      {
        test: 'StringNotEquals',
        variable: 'iam:PermissionsBoundary',
        values: ['${local.boundary_policy_arn}'],
      },
    ]);
    expect(denies.some((s) => actionsOf(s).includes('iam:DeleteRolePermissionsBoundary'))).toBe(
      true,
    );
    // IAM writes only on this environment's own names.
    const iamAllows = boundary.filter(
      (s) => s.effect !== 'Deny' && Array.isArray(s.actions) && actionsOf(s).includes('iam:*'),
    );
    expect(iamAllows).toHaveLength(1);
    for (const arn of iamAllows[0].resources as string[])
      expect(arn).toMatch(/\$\{var\.name\}-\*$|oidc-provider/);
  });

  test('every module that creates roles is given the boundary, and every resource carries its Environment tag', async () => {
    for (const call of ['network', 'api', 'worker', 'codedeploy']) {
      expect({ call, boundary: platform.moduleCall(call).permissions_boundary_arn }).toEqual({
        call,
        boundary: '${module.github_oidc.permissions_boundary_arn}',
      });
    }
    for (const environment of ['staging', 'production']) {
      const root = await loadModule(join(modulesDir, '..', 'environments', environment));
      expect(root.text).toMatch(new RegExp(`Environment\\s*=\\s*"${environment}"`));
    }
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
