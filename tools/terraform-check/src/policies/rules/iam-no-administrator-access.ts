// CKV_AWS_274: no role, user or group gets AWS's AdministratorAccess, whether it is attached
// directly (policy_arn, managed_policy_arns) or through a variable's default that feeds them.
import type { HclValue } from '../../hcl-files.ts';
import { at, type Candidate, type PolicyRule } from '../rule.ts';

const ADMINISTRATOR_ACCESS = /:iam::aws:policy\/AdministratorAccess\b/;

function namesAdministratorAccess(value: HclValue | undefined): boolean {
  return value !== undefined && ADMINISTRATOR_ACCESS.test(JSON.stringify(value));
}

const ATTACHING = [
  'aws_iam_role_policy_attachment',
  'aws_iam_policy_attachment',
  'aws_iam_user_policy_attachment',
  'aws_iam_group_policy_attachment',
  'aws_iam_role_policy_attachments_exclusive',
];

export const iamNoAdministratorAccess: PolicyRule = {
  id: 'CKV_AWS_274',
  description:
    'No IAM role, user or group is given AdministratorAccess (attachments, managed_policy_arns, or a variable default feeding them).',
  check({ module }) {
    const candidates: Candidate[] = [];
    for (const resource of module.resources) {
      const argument =
        resource.type === 'aws_iam_role'
          ? 'managed_policy_arns'
          : ATTACHING.includes(resource.type)
            ? resource.type === 'aws_iam_role_policy_attachments_exclusive'
              ? 'policy_arns'
              : 'policy_arn'
            : undefined;
      if (argument && namesAdministratorAccess(resource.body[argument])) {
        candidates.push(
          at(
            resource,
            `${argument} grants AdministratorAccess; scope it to what the role manages`,
            [{ name: argument }],
          ),
        );
      }
    }
    for (const variable of module.variables) {
      if (!namesAdministratorAccess(variable.body.default)) continue;
      candidates.push({
        file: variable.file,
        line: variable.range?.start,
        message: `variable.${variable.name}: default grants AdministratorAccess; scope it to what the role manages`,
      });
    }
    return candidates;
  },
};
