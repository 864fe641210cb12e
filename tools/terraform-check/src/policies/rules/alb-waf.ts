// CKV2_AWS_28: an internet-facing application load balancer has a WAF web ACL associated. An
// association whose count is 0 with the module's defaults does not count: checkov drops it too.
import { absentByDefault, companions } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const albWaf: PolicyRule = {
  id: 'CKV2_AWS_28',
  description:
    'Internet-facing ALBs have an aws_wafv2_web_acl_association (created by default), or say why not.',
  check({ module }) {
    return resourcesOf(module, 'aws_lb', 'aws_alb')
      .filter(
        (lb) =>
          lb.body.internal !== true &&
          (lb.body.load_balancer_type ?? 'application') === 'application',
      )
      .filter((lb) =>
        companions(module, lb, 'aws_wafv2_web_acl_association', 'resource_arn').every(
          (association) => absentByDefault(association, module),
        ),
      )
      .map((lb) => at(lb, 'internet-facing without a WAF web ACL', [{ name: 'internal' }]));
  },
};
