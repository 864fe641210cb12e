// CKV_AWS_145 / AVD-AWS-0088: buckets have a default encryption configuration.
import { companions } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const s3Encryption: PolicyRule = {
  id: 'CKV_AWS_145',
  trivy: 'AVD-AWS-0088',
  description: 'Every bucket has an aws_s3_bucket_server_side_encryption_configuration.',
  check({ module }) {
    return resourcesOf(module, 'aws_s3_bucket').flatMap((bucket) =>
      companions(module, bucket, 'aws_s3_bucket_server_side_encryption_configuration', 'bucket')
        .length > 0
        ? []
        : [at(bucket, 'no aws_s3_bucket_server_side_encryption_configuration for this bucket')],
    );
  },
};
