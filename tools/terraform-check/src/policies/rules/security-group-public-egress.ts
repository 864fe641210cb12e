// AVD-AWS-0104: no egress rule to the whole internet, by literal or by a variable's default.
import { publicByDefault } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const securityGroupPublicEgress: PolicyRule = {
  id: 'AWS-0104',
  trivy: 'AVD-AWS-0104',
  description:
    'No security group egress rule to 0.0.0.0/0 or ::/0 (also by default), unless annotated.',
  check({ module }) {
    return resourcesOf(module, 'aws_vpc_security_group_egress_rule')
      .filter(
        (rule) =>
          publicByDefault(rule, 'cidr_ipv4', module) || publicByDefault(rule, 'cidr_ipv6', module),
      )
      .map((rule) =>
        at(rule, 'egress to the whole internet', [
          { name: rule.body.cidr_ipv4 !== undefined ? 'cidr_ipv4' : 'cidr_ipv6' },
        ]),
      );
  },
};
