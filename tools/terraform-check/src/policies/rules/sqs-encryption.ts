// CKV_AWS_27 / AVD-AWS-0096: SQS queues are encrypted at rest.
import { isExpression } from '../../expressions.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const sqsEncryption: PolicyRule = {
  id: 'CKV_AWS_27',
  trivy: 'AVD-AWS-0096',
  description: 'SQS queues set sqs_managed_sse_enabled = true or a kms_master_key_id.',
  check({ module }) {
    return resourcesOf(module, 'aws_sqs_queue').flatMap((queue) => {
      const kms = queue.body.kms_master_key_id;
      const sse = queue.body.sqs_managed_sse_enabled;
      const encrypted = (kms !== undefined && kms !== null) || sse === true || isExpression(sse);
      if (encrypted) return [];
      return [
        at(queue, 'not encrypted: set sqs_managed_sse_enabled = true or kms_master_key_id', [
          { name: 'sqs_managed_sse_enabled' },
        ]),
      ];
    });
  },
};
