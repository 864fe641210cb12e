// CKV_AWS_18 / AVD-AWS-0089: buckets log their server access (aws_s3_bucket_logging).
import { companions } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const s3AccessLogging: PolicyRule = {
  id: 'CKV_AWS_18',
  trivy: 'AVD-AWS-0089',
  description: 'S3 buckets have aws_s3_bucket_logging, or say why not.',
  check({ module }) {
    return resourcesOf(module, 'aws_s3_bucket')
      .filter(
        (bucket) => companions(module, bucket, 'aws_s3_bucket_logging', 'bucket').length === 0,
      )
      .map((bucket) => at(bucket, 'no aws_s3_bucket_logging (server access logs)'));
  },
};
