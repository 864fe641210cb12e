// CKV2_AWS_31: a WAF web ACL has a logging configuration (created whenever the web ACL is), so
// what its rules block can be investigated.
import { absentByDefault, companions } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const wafLogging: PolicyRule = {
  id: 'CKV2_AWS_31',
  description: 'WAF web ACLs have an aws_wafv2_web_acl_logging_configuration (created by default).',
  check({ module }) {
    return resourcesOf(module, 'aws_wafv2_web_acl')
      .filter((acl) => !absentByDefault(acl.body, module))
      .filter((acl) =>
        companions(module, acl, 'aws_wafv2_web_acl_logging_configuration', 'resource_arn').every(
          (logging) => absentByDefault(logging, module),
        ),
      )
      .map((acl) => at(acl, 'no aws_wafv2_web_acl_logging_configuration'));
  },
};
