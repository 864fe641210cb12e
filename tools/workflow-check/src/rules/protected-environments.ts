// Deploy credentials are per GitHub environment: the deploy role trusts only that environment's
// OIDC subject, and the environment's protection rules (required reviewers for production) run
// before the job gets them. So a job that deploys must name its environment, and anything that
// touches production must name `production`.
import { jobMentionsVariable } from '../aws-roles.ts';
import type { Finding } from '../findings.ts';
import { environmentOf, isMapping, jobsOf, lineOf, type Job } from '../model.ts';
import type { WorkflowRule } from '../rule.ts';

export const PRODUCTION = 'production';
export const DEPLOY_ROLE_VARIABLE = 'AWS_DEPLOY_ROLE_ARN';

/** A job targets production when its id or name says so or it passes `production` to a step. */
export function targetsProduction(job: Job): boolean {
  const mentions = (value: unknown) =>
    typeof value === 'string' && value.toLowerCase().includes(PRODUCTION);
  if (mentions(job.id) || mentions(job.data.name)) return true;
  return job.steps.some(
    (step) =>
      (isMapping(step.data.with) && Object.values(step.data.with).includes(PRODUCTION)) ||
      (isMapping(step.data.env) && Object.values(step.data.env).includes(PRODUCTION)),
  );
}

export const protectedEnvironments: WorkflowRule = {
  id: 'protected-environments',
  description:
    'Jobs using the deploy role name their GitHub environment; production jobs use `environment: production`.',
  check(file) {
    if (file.kind !== 'workflow') return [];
    const findings: Finding[] = [];
    for (const job of jobsOf(file)) {
      const environment = environmentOf(job);
      const line = lineOf(file, [...job.yamlPath, 'environment']) ?? lineOf(file, job.yamlPath);
      if (jobMentionsVariable(job, DEPLOY_ROLE_VARIABLE) && environment === undefined) {
        findings.push({
          rule: this.id,
          file: file.path,
          line,
          message: `job '${job.id}' uses vars.${DEPLOY_ROLE_VARIABLE} without an environment: the role's trust and the protection rules need one`,
        });
      }
      if (targetsProduction(job) && environment !== PRODUCTION) {
        findings.push({
          rule: this.id,
          file: file.path,
          line,
          message: `job '${job.id}' deploys production but its environment is ${environment === undefined ? 'not set' : `'${environment}'`}: use environment: ${PRODUCTION} (required reviewers)`,
        });
      }
    }
    return findings;
  },
};
