import { writeFileSync } from 'node:fs';
import * as core from '@actions/core';
import { readDeployRecords } from './records.ts';
import { parseNeeds, renderDeployReport, type RunInfo } from './report.ts';

/** The run this report is about, from the variables every runner sets. */
function runInfo(env: NodeJS.ProcessEnv): RunInfo {
  const read = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set: the deploy report runs inside GitHub Actions`);
    return value;
  };
  return {
    serverUrl: read('GITHUB_SERVER_URL'),
    repository: read('GITHUB_REPOSITORY'),
    runId: read('GITHUB_RUN_ID'),
    sha: read('GITHUB_SHA'),
  };
}

export async function run(): Promise<void> {
  try {
    const needs = parseNeeds(core.getInput('needs', { required: true }));
    const records = readDeployRecords(core.getInput('records-directory'));
    const report = renderDeployReport({ run: runInfo(process.env), records, needs });
    const reportFile = core.getInput('report-file');
    if (reportFile) writeFileSync(reportFile, report);
    core.setOutput('report', report);
    await core.summary.addRaw(report).write();
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
