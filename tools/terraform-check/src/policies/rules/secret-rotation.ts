// CKV2_AWS_57: secrets rotate automatically (aws_secretsmanager_secret_rotation).
import { companions } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const secretRotation: PolicyRule = {
  id: 'CKV2_AWS_57',
  description: 'Secrets Manager secrets have aws_secretsmanager_secret_rotation, or say why not.',
  check({ module }) {
    return resourcesOf(module, 'aws_secretsmanager_secret')
      .filter(
        (secret) =>
          companions(module, secret, 'aws_secretsmanager_secret_rotation', 'secret_id').length ===
          0,
      )
      .map((secret) => at(secret, 'no aws_secretsmanager_secret_rotation'));
  },
};
