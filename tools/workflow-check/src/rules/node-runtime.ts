// The services, the actions and the tests run on Node 24; a setup-node step on another major
// would test something that is not shipped. Jobs that install with npm cache it (a job that
// installs nothing has no cache to save, and setup-node would fail saving it).
import type { Finding } from '../findings.ts';
import { describeStep, isMapping, jobsOf, lineOf, usesOf } from '../model.ts';
import type { WorkflowRule } from '../rule.ts';

export const NODE_MAJOR = '24';

export const nodeRuntime: WorkflowRule = {
  id: 'node-runtime',
  description:
    'Every actions/setup-node step installs Node 24; in jobs that run npm, with cache: npm.',
  check(file) {
    const findings: Finding[] = [];
    for (const job of jobsOf(file)) {
      const runsNpm = job.steps.some(
        (step) => typeof step.data.run === 'string' && /\bnpm (ci|install|i)\b/.test(step.data.run),
      );
      for (const step of job.steps) {
        if (usesOf(step)?.split('@')[0] !== 'actions/setup-node') continue;
        const inputs = isMapping(step.data.with) ? step.data.with : {};
        const version = String(inputs['node-version'] ?? '');
        const line = lineOf(file, step.yamlPath);
        if (version !== NODE_MAJOR && !version.startsWith(`${NODE_MAJOR}.`)) {
          findings.push({
            rule: this.id,
            file: file.path,
            line,
            message: `job '${job.id}' ${describeStep(step)}: node-version must be ${NODE_MAJOR} (got '${version || 'none'}')`,
          });
        }
        if (runsNpm && inputs.cache !== 'npm') {
          findings.push({
            rule: this.id,
            file: file.path,
            line,
            message: `job '${job.id}' ${describeStep(step)}: the job runs npm, so set cache: npm`,
          });
        }
      }
    }
    return findings;
  },
};
