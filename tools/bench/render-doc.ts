// `npm run bench:doc -- <bench.json> [docs/performance.md]`: writes the figures of one
// `npm run bench -- --json` run into the document, between its bench-figures marks, and
// formats it with the repository's prettier. The prose around the marks is the reader's to
// keep true; this only makes sure every table comes from the same run.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDocTables, spliceFigures, type BenchDocument } from './doc-tables.ts';

const [jsonPath, docArg] = process.argv.slice(2);
if (!jsonPath) {
  console.error('usage: npm run bench:doc -- <bench.json> [docs/performance.md]');
  process.exit(2);
}
const root = join(import.meta.dirname, '..', '..');
const docPath = docArg ?? join(root, 'docs', 'performance.md');
const document = JSON.parse(readFileSync(jsonPath, 'utf8')) as BenchDocument;
writeFileSync(docPath, spliceFigures(readFileSync(docPath, 'utf8'), renderDocTables(document)));
execFileSync(join(root, 'node_modules', '.bin', 'prettier'), ['--write', docPath], {
  stdio: 'inherit',
});
console.log(`figures of ${jsonPath} written to ${docPath}`);
