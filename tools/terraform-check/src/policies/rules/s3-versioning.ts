// CKV_AWS_21 / AVD-AWS-0090: buckets are versioned.
import { isExpression } from '../../expressions.ts';
import { blockList } from '../../hcl-files.ts';
import { companions } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const s3Versioning: PolicyRule = {
  id: 'CKV_AWS_21',
  trivy: 'AVD-AWS-0090',
  description: 'Every bucket has aws_s3_bucket_versioning with status "Enabled".',
  check({ module }) {
    return resourcesOf(module, 'aws_s3_bucket').flatMap((bucket) => {
      const enabled = companions(module, bucket, 'aws_s3_bucket_versioning', 'bucket').some((v) =>
        blockList(v.versioning_configuration).some(
          (c) => c.status === 'Enabled' || isExpression(c.status),
        ),
      );
      return enabled
        ? []
        : [at(bucket, 'no aws_s3_bucket_versioning with status "Enabled" for this bucket')];
    });
  },
};
