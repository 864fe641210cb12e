// The optional WAF web ACL in front of the API's load balancer (issue 12, CKV2_AWS_28): what it
// runs, what it logs, and where it is on.
import { join } from 'node:path';
import { MAX_BODY_BYTES } from '../../services/shared/src/envelope.ts';
import {
  actionsOf,
  blocks,
  loadModule,
  modulesDir,
  statements,
  terraformDir,
  type Hcl,
  type HclModule,
} from './hcl-module.ts';

/** The most of a body an ALB forwards to AWS WAF; body rules see nothing beyond it. */
const ALB_WAF_BODY_INSPECTION_BYTES = 8 * 1024;

let lb: HclModule;
let platform: HclModule;
beforeAll(async () => {
  lb = await loadModule(join(modulesDir, 'load-balancer'));
  platform = await loadModule(join(modulesDir, 'platform'));
});

function managedGroups(acl: Hcl): { rule: Hcl; group: Hcl }[] {
  return blocks(acl, 'rule').map((rule) => ({
    rule,
    group: blocks(blocks(rule, 'statement')[0], 'managed_rule_group_statement')[0],
  }));
}

describe('the web ACL', () => {
  test('runs the AWS managed common and known-bad-input groups with their own actions, regionally', () => {
    const acl = lb.resource('aws_wafv2_web_acl', 'this');
    expect(acl.scope).toBe('REGIONAL');
    expect(blocks(acl, 'default_action')).toEqual([{ allow: [{}] }]);
    const groups = managedGroups(acl);
    expect(groups.map(({ group }) => [group.vendor_name, group.name])).toEqual([
      ['AWS', 'AWSManagedRulesCommonRuleSet'],
      ['AWS', 'AWSManagedRulesKnownBadInputsRuleSet'],
    ]);
    for (const { rule } of groups) {
      expect(blocks(rule, 'override_action')).toEqual([{ none: [{}] }]);
      expect(blocks(rule, 'visibility_config')[0]).toMatchObject({
        cloudwatch_metrics_enabled: true,
        sampled_requests_enabled: true,
      });
    }
    expect(lb.resource('aws_wafv2_web_acl_association', 'this').resource_arn).toBe(
      '${aws_lb.this.arn}',
    );
  });

  test('only counts SizeRestrictions_BODY by default while the API accepts bodies WAF cannot inspect', () => {
    expect(MAX_BODY_BYTES).toBeGreaterThan(ALB_WAF_BODY_INSPECTION_BYTES);
    expect(lb.variable('waf_count_only_rules').default).toEqual(['SizeRestrictions_BODY']);
    const [common] = managedGroups(lb.resource('aws_wafv2_web_acl', 'this'));
    const overrides = common.group.dynamic as Record<string, Hcl[]>;
    expect(overrides.rule_action_override[0]).toMatchObject({
      for_each: '${toset(var.waf_count_only_rules)}',
      content: [{ name: '${rule_action_override.value}', action_to_use: [{ count: [{}] }] }],
    });
  });
});

describe('WAF logging', () => {
  test('goes to an aws-waf-logs-* group, without the bearer token, blocked and counted requests only', () => {
    expect(lb.resource('aws_cloudwatch_log_group', 'waf').name).toMatch(/^aws-waf-logs-/);
    const logging = lb.resource('aws_wafv2_web_acl_logging_configuration', 'this');
    expect(logging.log_destination_configs).toEqual(['${aws_cloudwatch_log_group.waf[0].arn}']);
    expect(blocks(logging, 'redacted_fields')).toEqual([
      { single_header: [{ name: 'authorization' }] },
    ]);
    const [filter] = blocks(blocks(logging, 'logging_filter')[0], 'filter');
    const actions = blocks(filter, 'condition').map(
      (condition) => blocks(condition, 'action_condition')[0].action,
    );
    expect(actions.sort()).toEqual(['BLOCK', 'EXCLUDED_AS_COUNT']);
  });
});

describe('where it is on', () => {
  test('on by default in the module and in production, off by default in staging', async () => {
    expect(lb.variable('create_waf').default).toBe(true);
    expect(platform.variable('create_waf').default).toBe(true);
    expect(platform.moduleCall('load_balancer').create_waf).toBe('${var.create_waf}');
    for (const [environment, enabled] of [
      ['production', true],
      ['staging', false],
    ] as const) {
      const root = await loadModule(join(terraformDir, 'environments', environment));
      expect(root.variable('create_waf').default).toBe(enabled);
      expect(root.moduleCall('platform').create_waf).toBe('${var.create_waf}');
    }
  });

  test('everything WAF creates exists exactly when create_waf is true', () => {
    const conditional = [
      lb.resource('aws_wafv2_web_acl', 'this'),
      lb.resource('aws_wafv2_web_acl_association', 'this'),
      lb.resource('aws_wafv2_web_acl_logging_configuration', 'this'),
      lb.resource('aws_cloudwatch_log_group', 'waf'),
    ];
    for (const resource of conditional) expect(resource.count).toBe('${var.create_waf ? 1 : 0}');
  });
});

describe('the CI roles', () => {
  test('the environment boundary lets Terraform apply it: wafv2, logs (log group and its delivery policy), the ALB association', async () => {
    const oidc = await loadModule(join(modulesDir, 'github-oidc'));
    const services = /managed_services = \[([^\]]*)\]/.exec(oidc.text)?.[1] ?? '';
    for (const service of ['wafv2', 'logs', 'elasticloadbalancing']) {
      expect(services).toContain(`"${service}"`);
    }
  });

  test("the plan role cannot read the WAF's sampled requests (their headers hold bearer tokens)", async () => {
    const oidc = await loadModule(join(modulesDir, 'github-oidc'));
    const denied = statements(oidc.data('aws_iam_policy_document', 'plan'))
      .filter((statement) => statement.effect === 'Deny')
      .flatMap(actionsOf);
    expect(denied).toContain('wafv2:GetSampledRequests');
  });
});
