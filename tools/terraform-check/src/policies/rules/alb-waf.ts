// CKV2_AWS_28: an internet-facing application load balancer has a WAF web ACL associated.
import { companions } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const albWaf: PolicyRule = {
  id: 'CKV2_AWS_28',
  description: 'Internet-facing ALBs have an aws_wafv2_web_acl_association, or say why not.',
  check({ module }) {
    return resourcesOf(module, 'aws_lb', 'aws_alb')
      .filter(
        (lb) =>
          lb.body.internal !== true &&
          (lb.body.load_balancer_type ?? 'application') === 'application',
      )
      .filter(
        (lb) =>
          companions(module, lb, 'aws_wafv2_web_acl_association', 'resource_arn').length === 0,
      )
      .map((lb) => at(lb, 'internet-facing without a WAF web ACL', [{ name: 'internal' }]));
  },
};
