// CKV_AWS_158 / AVD-AWS-0017: log groups are encrypted with a customer-managed KMS key.
import { unsetByDefault } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const logGroupKms: PolicyRule = {
  id: 'CKV_AWS_158',
  trivy: 'AVD-AWS-0017',
  description: 'CloudWatch log groups set kms_key_id (a customer-managed key), or say why not.',
  check({ module }) {
    return resourcesOf(module, 'aws_cloudwatch_log_group')
      .filter((group) => unsetByDefault(group.body.kms_key_id, module))
      .map((group) =>
        at(group, 'no customer-managed key (kms_key_id is unset by default)', [
          { name: 'kms_key_id' },
        ]),
      );
  },
};
