// A `uses: ./actions/<name>` step is checked against that action's action.yml, so a renamed or
// newly required input fails here instead of in the middle of a production deploy.
import type { Finding } from '../findings.ts';
import { describeStep, isMapping, jobsOf, lineOf, usesOf } from '../model.ts';
import type { WorkflowRule } from '../rule.ts';

export const localActionInputs: WorkflowRule = {
  id: 'local-action-inputs',
  description:
    'Every local action exists and gets all of its required inputs and no inputs it does not declare.',
  check(file, context) {
    const findings: Finding[] = [];
    for (const job of jobsOf(file)) {
      for (const step of job.steps) {
        const uses = usesOf(step);
        if (uses === undefined || !uses.startsWith('./')) continue;
        const where = `job '${job.id}' ${describeStep(step)}`;
        const line = lineOf(file, [...step.yamlPath, 'uses']);
        const metadata = context.readLocalAction(uses);
        if (metadata === undefined) {
          findings.push({
            rule: this.id,
            file: file.path,
            line,
            message: `${where}: '${uses}' has no action.yml (expected ${uses.slice(2)}/action.yml)`,
          });
          continue;
        }
        const given = isMapping(step.data.with) ? Object.keys(step.data.with) : [];
        for (const [name, input] of metadata.inputs) {
          if (input.mustBeGiven && !given.includes(name)) {
            findings.push({
              rule: this.id,
              file: file.path,
              line,
              message: `${where}: required input '${name}' of ${metadata.file} is not given`,
            });
          }
        }
        for (const name of given) {
          if (!metadata.inputs.has(name)) {
            findings.push({
              rule: this.id,
              file: file.path,
              line: lineOf(file, [...step.yamlPath, 'with', name]) ?? line,
              message: `${where}: input '${name}' is not declared in ${metadata.file} (declared: ${[...metadata.inputs.keys()].join(', ') || 'none'})`,
            });
          }
        }
      }
    }
    return findings;
  },
};
