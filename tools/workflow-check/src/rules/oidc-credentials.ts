// AWS access comes only from OIDC: a job that assumes a role needs `id-token: write`, a job that
// does not must not have it (the token could be exchanged elsewhere), and no long-lived keys.
import { roleAssumingSteps } from '../aws-roles.ts';
import type { Finding } from '../findings.ts';
import {
  describeStep,
  effectivePermissions,
  isMapping,
  jobsOf,
  lineOf,
  permissionLevel,
} from '../model.ts';
import type { WorkflowRule } from '../rule.ts';

const STATIC_KEY_INPUTS = ['aws-access-key-id', 'aws-secret-access-key', 'aws-session-token'];

export const oidcCredentials: WorkflowRule = {
  id: 'oidc-credentials',
  description:
    'Jobs that assume an AWS role have id-token: write (and only they do); no static AWS keys.',
  check(file, context) {
    if (file.kind !== 'workflow') return [];
    const findings: Finding[] = [];
    for (const job of jobsOf(file)) {
      const assuming = roleAssumingSteps(job, context.files);
      const idToken = permissionLevel(effectivePermissions(file, job), 'id-token');
      const line = lineOf(file, job.yamlPath);
      if (assuming.length > 0 && idToken !== 'write') {
        findings.push({
          rule: this.id,
          file: file.path,
          line,
          message: `job '${job.id}' assumes an AWS role (${describeStep(assuming[0])}) but its permissions do not grant id-token: write`,
        });
      }
      if (assuming.length === 0 && idToken === 'write' && typeof job.data.uses !== 'string') {
        findings.push({
          rule: this.id,
          file: file.path,
          line,
          message: `job '${job.id}' has id-token: write but assumes no AWS role: remove it (least privilege)`,
        });
      }
      for (const step of assuming) {
        const given = isMapping(step.data.with) ? Object.keys(step.data.with) : [];
        for (const key of given.filter((name) => STATIC_KEY_INPUTS.includes(name))) {
          findings.push({
            rule: this.id,
            file: file.path,
            line: lineOf(file, [...step.yamlPath, 'with', key]),
            message: `job '${job.id}' ${describeStep(step)} passes '${key}': use role-to-assume with OIDC, never long-lived keys`,
          });
        }
      }
    }
    return findings;
  },
};
