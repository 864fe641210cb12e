// Which jobs obtain AWS credentials: directly through aws-actions/configure-aws-credentials or
// through one of the repository's composite actions that does.
import { jobsOf, usesOf, type Job, type Step } from './model.ts';
import { localActionDir } from './local-actions.ts';
import type { AutomationFile } from './workflow-files.ts';

export const CONFIGURE_AWS_CREDENTIALS = 'aws-actions/configure-aws-credentials';

export function isConfigureAwsCredentials(step: Step): boolean {
  return usesOf(step)?.split('@')[0] === CONFIGURE_AWS_CREDENTIALS;
}

function compositeFor(uses: string, files: AutomationFile[]): AutomationFile | undefined {
  const dir = localActionDir(uses);
  if (dir === undefined) return undefined;
  return files.find(
    (file) =>
      file.kind === 'composite-action' &&
      (file.path === `${dir}/action.yml` || file.path === `${dir}/action.yaml`),
  );
}

/** Steps of `job` that assume an AWS role, following local composite actions. */
export function roleAssumingSteps(
  job: Job,
  files: AutomationFile[],
  seen = new Set<string>(),
): Step[] {
  return job.steps.filter((step) => {
    if (isConfigureAwsCredentials(step)) return true;
    const uses = usesOf(step);
    const composite = uses === undefined ? undefined : compositeFor(uses, files);
    if (composite === undefined || seen.has(composite.path)) return false;
    seen.add(composite.path);
    return jobsOf(composite).some((inner) => roleAssumingSteps(inner, files, seen).length > 0);
  });
}

/** True when any text in the job refers to the given repository/environment variable. */
export function jobMentionsVariable(job: Job, variable: string): boolean {
  return JSON.stringify(job.data).includes(`vars.${variable}`);
}
