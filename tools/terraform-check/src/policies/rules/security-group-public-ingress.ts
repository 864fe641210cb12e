// AVD-AWS-0107 (checkov's CKV_AWS_260 is the port-80 case of it): no ingress rule from the whole
// internet, by literal or by a variable's default.
import { publicByDefault } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const securityGroupPublicIngress: PolicyRule = {
  id: 'AWS-0107',
  trivy: 'AVD-AWS-0107',
  description:
    'No security group ingress rule from 0.0.0.0/0 or ::/0 (also by default), unless annotated.',
  check({ module }) {
    return resourcesOf(module, 'aws_vpc_security_group_ingress_rule')
      .filter(
        (rule) =>
          publicByDefault(rule, 'cidr_ipv4', module) || publicByDefault(rule, 'cidr_ipv6', module),
      )
      .map((rule) =>
        at(rule, 'ingress from the whole internet', [
          { name: rule.body.cidr_ipv4 !== undefined ? 'cidr_ipv4' : 'cidr_ipv6' },
        ]),
      );
  },
};
