// Third-party actions run with the job's token and credentials: a tag can be moved to other
// code, a commit SHA cannot. The version goes in a comment so people and Dependabot can read it.
import { isScalar } from 'yaml';
import type { Finding } from '../findings.ts';
import { describeStep, jobsOf, lineOf, usesOf } from '../model.ts';
import type { WorkflowRule } from '../rule.ts';
import type { AutomationFile } from '../workflow-files.ts';

const SHA = /^[0-9a-f]{40}$/;
const DOCKER_DIGEST = /@sha256:[0-9a-f]{64}$/;

function versionComment(file: AutomationFile, yamlPath: Array<string | number>): string {
  const node = file.document.getIn(yamlPath, true);
  return isScalar(node) && typeof node.comment === 'string' ? node.comment.trim() : '';
}

export function checkUsesReference(uses: string): string | undefined {
  if (uses.startsWith('./')) return undefined;
  if (uses.startsWith('docker://')) {
    return DOCKER_DIGEST.test(uses)
      ? undefined
      : `'${uses}' must be pinned by digest (docker://image@sha256:<64 hex>)`;
  }
  const at = uses.lastIndexOf('@');
  const ref = at < 0 ? '' : uses.slice(at + 1);
  if (!SHA.test(ref)) {
    return `'${uses}' must be pinned to a full 40-character commit SHA, e.g. owner/repo@<sha> # v1.2.3`;
  }
  return undefined;
}

export const pinnedActions: WorkflowRule = {
  id: 'pinned-actions',
  description:
    'Every third-party uses: is pinned to a full commit SHA with its version in a comment.',
  check(file) {
    const findings: Finding[] = [];
    const report = (yamlPath: Array<string | number>, where: string, uses: string) => {
      const problem = checkUsesReference(uses);
      const line = lineOf(file, yamlPath);
      if (problem !== undefined) {
        findings.push({ rule: this.id, file: file.path, line, message: `${where}: ${problem}` });
      } else if (!uses.startsWith('./') && !uses.startsWith('docker://')) {
        if (!/\bv?\d+(\.\d+)*\b/.test(versionComment(file, yamlPath))) {
          findings.push({
            rule: this.id,
            file: file.path,
            line,
            message: `${where}: '${uses}' needs the version it pins in a trailing comment, e.g. # v4.2.2`,
          });
        }
      }
    };
    for (const job of jobsOf(file)) {
      if (typeof job.data.uses === 'string') {
        report([...job.yamlPath, 'uses'], `job '${job.id}'`, job.data.uses);
      }
      for (const step of job.steps) {
        const uses = usesOf(step);
        if (uses !== undefined) {
          report([...step.yamlPath, 'uses'], `job '${job.id}' ${describeStep(step)}`, uses);
        }
      }
    }
    return findings;
  },
};
