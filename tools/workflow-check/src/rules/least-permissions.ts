// The workflow token starts read-only; a job widens it only for what it does. Writing to pull
// requests is reserved for the job that posts the Terraform plan comment.
import type { Finding } from '../findings.ts';
import {
  effectivePermissions,
  isMapping,
  jobsOf,
  lineOf,
  permissionLevel,
  usesOf,
} from '../model.ts';
import type { WorkflowRule } from '../rule.ts';

export const PLAN_COMMENT_ACTION = './actions/plan-comment';

export const leastPermissions: WorkflowRule = {
  id: 'least-permissions',
  description:
    'Top-level permissions are read-only; pull-requests: write only on jobs that post the plan comment.',
  check(file) {
    if (file.kind !== 'workflow') return [];
    const findings: Finding[] = [];
    const topLevel = file.data.permissions;
    const topLine = lineOf(file, ['permissions']) ?? 1;
    if (topLevel === undefined) {
      findings.push({
        rule: this.id,
        file: file.path,
        line: 1,
        message:
          'no top-level permissions: declare `permissions: contents: read` (or {}) so jobs start read-only',
      });
    } else if (
      topLevel === 'write-all' ||
      (isMapping(topLevel) && Object.values(topLevel).includes('write'))
    ) {
      findings.push({
        rule: this.id,
        file: file.path,
        line: topLine,
        message: 'top-level permissions grant write access: keep them read-only and widen per job',
      });
    }
    for (const job of jobsOf(file)) {
      const postsPlanComment = job.steps.some((step) => usesOf(step) === PLAN_COMMENT_ACTION);
      const level = permissionLevel(effectivePermissions(file, job), 'pull-requests');
      if (level === 'write' && !postsPlanComment) {
        findings.push({
          rule: this.id,
          file: file.path,
          line: lineOf(file, [...job.yamlPath, 'permissions']) ?? lineOf(file, job.yamlPath),
          message: `job '${job.id}' can write to pull requests but does not post the plan comment (${PLAN_COMMENT_ACTION})`,
        });
      }
    }
    return findings;
  },
};
