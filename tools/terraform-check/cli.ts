// `npm run terraform:check [-- <dir>]`: the offline stand-in for `terraform validate` plus the
// checkov/trivy-style policy checks. Prints `file:line [check] message`; exits 1 on findings.
import { join } from 'node:path';
import { checkTerraformTree } from './src/check-tree.ts';
import { formatFinding } from './src/findings.ts';
import { loadSchemaSnapshot } from './src/schema.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const root = process.argv[2] ? join(process.cwd(), process.argv[2]) : join(repoRoot, 'terraform');
const snapshotPath = join(repoRoot, 'terraform', 'schema', 'aws-provider-schema.json');

const started = Date.now();
const snapshot = loadSchemaSnapshot(snapshotPath);
const result = await checkTerraformTree(root, snapshot);
for (const finding of result.findings) console.log(formatFinding(finding));
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  `${result.findings.length} finding(s) in ${result.files} file(s), ${result.modules} module(s); ` +
    `AWS provider schema ${snapshot.providerVersion} (${snapshot.source}); ${seconds}s`,
);
process.exitCode = result.findings.length > 0 ? 1 : 0;
