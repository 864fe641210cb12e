// CKV_AWS_66: log groups do not keep logs forever.
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const logRetention: PolicyRule = {
  id: 'CKV_AWS_66',
  description: 'CloudWatch log groups set retention_in_days.',
  check({ module }) {
    return resourcesOf(module, 'aws_cloudwatch_log_group').flatMap((group) => {
      const retention = group.body.retention_in_days;
      if (retention !== undefined && retention !== null && retention !== 0) return [];
      return [
        at(group, 'set retention_in_days (logs are kept forever otherwise)', [
          { name: 'retention_in_days' },
        ]),
      ];
    });
  },
};
