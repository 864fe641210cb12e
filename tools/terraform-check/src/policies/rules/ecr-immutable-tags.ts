// CKV_AWS_51 / AVD-AWS-0031: ECR image tags cannot be overwritten.
import { isExpression } from '../../expressions.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const ecrImmutableTags: PolicyRule = {
  id: 'CKV_AWS_51',
  trivy: 'AVD-AWS-0031',
  description: 'ECR repositories use IMMUTABLE image tags.',
  check({ module }) {
    return resourcesOf(module, 'aws_ecr_repository').flatMap((repository) => {
      const mutability = repository.body.image_tag_mutability;
      const immutable =
        isExpression(mutability) ||
        (typeof mutability === 'string' && mutability.startsWith('IMMUTABLE'));
      if (immutable) return [];
      return [
        at(repository, 'image tags must be IMMUTABLE (image_tag_mutability)', [
          { name: 'image_tag_mutability' },
        ]),
      ];
    });
  },
};
