// CKV_AWS_355 / AVD-AWS-0057: identity policies name their resources rather than "*".
import type { PolicyRule } from '../rule.ts';

export const iamWildcardResource: PolicyRule = {
  id: 'CKV_AWS_355',
  trivy: 'AVD-AWS-0057',
  description:
    'IAM Allow statements in identity policies name their resources; "*" only where the actions support nothing else (annotated).',
  check({ statements }) {
    return statements.flatMap((statement) => {
      if (statement.effect !== 'Allow' || statement.hasPrincipal) return [];
      if (!statement.resources.includes('*')) return [];
      return [
        {
          file: statement.file,
          line: statement.resourcesLine,
          message:
            `${statement.label}: resource "*" for ${statement.actions.join(', ') || 'its actions'}; name the ` +
            'resources, or annotate `#checkov:skip=CKV_AWS_355:<why>` and `#trivy:ignore:AVD-AWS-0057` when the actions support only "*"',
        },
      ];
    });
  },
};
