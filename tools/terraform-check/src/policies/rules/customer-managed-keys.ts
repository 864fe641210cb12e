// Customer-managed KMS keys where the scanners ask for them: Secrets Manager (CKV_AWS_149 /
// AVD-AWS-0098), DynamoDB (CKV_AWS_119 / AVD-AWS-0025), SQS (AVD-AWS-0135) and ECR
// (AVD-AWS-0033; checkov's CKV_AWS_136 accepts the AWS-managed key). A key that is only
// optional (null by default) is reported, so that the default is annotated with its reason.
import { blocksOf, unsetByDefault, withDefaults } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const secretCustomerKey: PolicyRule = {
  id: 'CKV_AWS_149',
  trivy: 'AVD-AWS-0098',
  description: 'Secrets Manager secrets set kms_key_id (by default), or say why not.',
  check({ module }) {
    return resourcesOf(module, 'aws_secretsmanager_secret')
      .filter((secret) => unsetByDefault(secret.body.kms_key_id, module))
      .map((secret) =>
        at(secret, 'no customer-managed key (kms_key_id)', [{ name: 'kms_key_id' }]),
      );
  },
};

export const dynamodbCustomerKey: PolicyRule = {
  id: 'CKV_AWS_119',
  trivy: 'AVD-AWS-0025',
  description:
    'DynamoDB tables use a customer-managed key (server_side_encryption.kms_key_arn), or say why not.',
  check({ module }) {
    return resourcesOf(module, 'aws_dynamodb_table').flatMap((table) => {
      const sse = blocksOf(table.body, 'server_side_encryption')[0];
      if (sse && sse.enabled !== false && !unsetByDefault(sse.kms_key_arn, module)) return [];
      return [
        at(table, 'no customer-managed key (server_side_encryption.kms_key_arn)', [
          { name: 'server_side_encryption' },
          ...(sse ? [{ name: 'kms_key_arn' }] : []),
        ]),
      ];
    });
  },
};

export const sqsCustomerKey: PolicyRule = {
  id: 'AWS-0135',
  trivy: 'AVD-AWS-0135',
  description: 'SQS queues use a customer-managed key (kms_master_key_id), or say why not.',
  check({ module }) {
    return resourcesOf(module, 'aws_sqs_queue')
      .filter((queue) => unsetByDefault(queue.body.kms_master_key_id, module))
      .map((queue) =>
        at(queue, 'no customer-managed key (kms_master_key_id)', [{ name: 'kms_master_key_id' }]),
      );
  },
};

export const ecrCustomerKey: PolicyRule = {
  id: 'AWS-0033',
  trivy: 'AVD-AWS-0033',
  description:
    'ECR repositories use KMS with a customer-managed key (encryption_configuration.kms_key, by default), or say why not.',
  check({ module }) {
    return resourcesOf(module, 'aws_ecr_repository').flatMap((repository) => {
      const encryption = blocksOf(repository.body, 'encryption_configuration')[0];
      if (
        encryption &&
        withDefaults(encryption.encryption_type, module) === 'KMS' &&
        !unsetByDefault(encryption.kms_key, module)
      ) {
        return [];
      }
      return [
        at(repository, 'no customer-managed key (encryption_configuration.kms_key)', [
          { name: 'encryption_configuration' },
          ...(encryption ? [{ name: 'kms_key' }] : []),
        ]),
      ];
    });
  },
};
