// CKV2_AWS_6 / AVD-AWS-0094: buckets block every kind of public access.
import { companions, isTrueOrExpression } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

const SETTINGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

export const s3PublicAccessBlock: PolicyRule = {
  id: 'CKV2_AWS_6',
  trivy: 'AVD-AWS-0094',
  description: 'Every bucket has an aws_s3_bucket_public_access_block with all four settings true.',
  check({ module }) {
    return resourcesOf(module, 'aws_s3_bucket').flatMap((bucket) => {
      const blocked = companions(
        module,
        bucket,
        'aws_s3_bucket_public_access_block',
        'bucket',
      ).some((block) => SETTINGS.every((setting) => isTrueOrExpression(block[setting])));
      return blocked
        ? []
        : [
            at(
              bucket,
              'no aws_s3_bucket_public_access_block with all four settings true for this bucket',
            ),
          ];
    });
  },
};
