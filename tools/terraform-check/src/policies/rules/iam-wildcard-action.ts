// CKV_AWS_63 / AVD-AWS-0057: no Allow statement grants every action.
import type { PolicyRule } from '../rule.ts';

export const iamWildcardAction: PolicyRule = {
  id: 'CKV_AWS_63',
  trivy: 'AVD-AWS-0057',
  description: 'IAM Allow statements list their actions: no "*" or "*:*".',
  check({ statements }) {
    return statements.flatMap((statement) => {
      if (statement.effect !== 'Allow') return [];
      const wildcard = statement.actions.find((action) => action === '*' || action === '*:*');
      if (!wildcard) return [];
      return [
        {
          file: statement.file,
          line: statement.actionsLine,
          message: `${statement.label}: allows action "${wildcard}"; list the actions needed`,
        },
      ];
    });
  },
};
