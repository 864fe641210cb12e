// NOTIFY_ROLE_BOUNDARY (project rule; checkov and trivy have none for roles): every IAM role sets
// permissions_boundary. The environment boundary of modules/github-oidc is what keeps staging's
// roles off production's resources in a shared account, and a role created without it would be
// the way around it (the boundary also refuses to create one).
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const iamRolePermissionsBoundary: PolicyRule = {
  id: 'NOTIFY_ROLE_BOUNDARY',
  description:
    'Every aws_iam_role sets permissions_boundary (the environment boundary), so no role reaches past its environment.',
  check({ module }) {
    return resourcesOf(module, 'aws_iam_role')
      .filter((role) => role.body.permissions_boundary === undefined)
      .map((role) =>
        at(
          role,
          'no permissions_boundary; set it to the environment boundary (module github-oidc output permissions_boundary_arn)',
        ),
      );
  },
};
