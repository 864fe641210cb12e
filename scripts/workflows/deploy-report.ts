// The deploy workflow's report job: `node scripts/workflows/deploy-report.ts`, configured by
// environment variables (see .github/workflows/deploy.yml). Writes the report to the job summary
// and to REPORT_FILE.
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDeployRecord, parseNeeds, renderDeployReport } from './src/deploy-report.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

const recordsDir = process.env.RECORDS_DIR ?? '';
const files =
  recordsDir && existsSync(recordsDir)
    ? readdirSync(recordsDir).filter((name) => /^deploy-record-.+\.json$/.test(name))
    : [];
const records = files
  .sort()
  .map((name) => parseDeployRecord(readFileSync(path.join(recordsDir, name), 'utf8'), name));
const report = renderDeployReport({
  run: {
    serverUrl: required('SERVER_URL'),
    repository: required('REPOSITORY'),
    runId: required('RUN_ID'),
    sha: required('SHA'),
  },
  records,
  needs: parseNeeds(process.env.NEEDS_JSON ?? '{}'),
});
if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, report);
if (process.env.REPORT_FILE) writeFileSync(process.env.REPORT_FILE, report);
process.stdout.write(report);
