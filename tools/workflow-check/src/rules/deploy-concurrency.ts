// One deploy per environment at a time. The group must be derived from the environment, and a
// running deploy must never be cancelled: killing it mid traffic-shift leaves CodeDeploy waiting
// at Ready and the service half-rolled.
import type { Finding } from '../findings.ts';
import { environmentOf, isMapping, jobsOf, lineOf } from '../model.ts';
import type { WorkflowRule } from '../rule.ts';

/** `${{ inputs.environment }}` -> `inputs.environment`; a literal stays as it is. */
function normalise(text: string): string {
  return text.replace(/\$\{\{\s*([\s\S]*?)\s*\}\}/g, '$1');
}

interface Concurrency {
  group?: string;
  cancelInProgress: unknown;
  yamlPath: Array<string | number>;
}

function concurrencyAt(value: unknown, yamlPath: Array<string | number>): Concurrency | undefined {
  if (typeof value === 'string') return { group: value, cancelInProgress: undefined, yamlPath };
  if (isMapping(value)) {
    return {
      group: typeof value.group === 'string' ? value.group : undefined,
      cancelInProgress: value['cancel-in-progress'],
      yamlPath,
    };
  }
  return undefined;
}

export const deployConcurrency: WorkflowRule = {
  id: 'deploy-concurrency',
  description:
    'Jobs that run in a GitHub environment are in a concurrency group per environment that does not cancel in progress.',
  check(file) {
    if (file.kind !== 'workflow') return [];
    const findings: Finding[] = [];
    for (const job of jobsOf(file)) {
      const environment = environmentOf(job);
      if (environment === undefined) continue;
      const concurrency =
        concurrencyAt(job.data.concurrency, [...job.yamlPath, 'concurrency']) ??
        concurrencyAt(file.data.concurrency, ['concurrency']);
      const line =
        (concurrency && lineOf(file, concurrency.yamlPath)) ?? lineOf(file, job.yamlPath);
      if (concurrency?.group === undefined) {
        findings.push({
          rule: this.id,
          file: file.path,
          line,
          message: `job '${job.id}' deploys to '${environment}' without a concurrency group: two runs could deploy it at once`,
        });
        continue;
      }
      if (!normalise(concurrency.group).includes(normalise(environment))) {
        findings.push({
          rule: this.id,
          file: file.path,
          line,
          message: `job '${job.id}': concurrency group '${concurrency.group}' is not per environment (it does not contain '${environment}')`,
        });
      }
      if (concurrency.cancelInProgress !== undefined && concurrency.cancelInProgress !== false) {
        findings.push({
          rule: this.id,
          file: file.path,
          line,
          message: `job '${job.id}': cancel-in-progress must be false for deploys (got ${JSON.stringify(concurrency.cancelInProgress)}): a cancelled deploy is left half-done`,
        });
      }
    }
    return findings;
  },
};
