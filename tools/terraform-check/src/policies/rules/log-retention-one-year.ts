// CKV_AWS_338: log groups keep their logs for at least a year (0 = forever also passes).
import { withDefaults } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const logRetentionOneYear: PolicyRule = {
  id: 'CKV_AWS_338',
  description:
    'CloudWatch log groups retain logs for at least 365 days (by default), or say why not.',
  check({ module }) {
    return resourcesOf(module, 'aws_cloudwatch_log_group').flatMap((group) => {
      const days = withDefaults(group.body.retention_in_days, module);
      if (typeof days !== 'number' || days === 0 || days >= 365) return [];
      return [
        at(group, `retention_in_days is ${days} by default, under a year`, [
          { name: 'retention_in_days' },
        ]),
      ];
    });
  },
};
