import * as core from '@actions/core';
import { readSmokeInputs } from './inputs.ts';
import { smokeSummaryMarkdown } from './report.ts';
import { runSmokeTests } from './smoke.ts';

export async function run(): Promise<void> {
  try {
    const inputs = readSmokeInputs((name) => core.getInput(name));
    core.setSecret(inputs.token);
    const report = await runSmokeTests({
      baseUrl: inputs.baseUrl,
      token: inputs.token,
      recipient: inputs.recipient,
      deadlineMs: inputs.deadlineMs,
      latencyBudgetMs: inputs.latencyBudgetMs,
      checkDelivery: inputs.checkDelivery,
      deliveryDeadlineMs: inputs.deliveryDeadlineMs,
      log: (line) => core.info(line),
    });
    core.setOutput('passed', report.passed);
    core.setOutput('failed', report.failed);
    for (const check of report.checks.filter((c) => !c.ok)) {
      core.error(`${check.name}: ${check.detail}`, { title: `Smoke test failed: ${check.name}` });
    }
    await writeSummary(smokeSummaryMarkdown(report, inputs.baseUrl));
    if (report.failed > 0) {
      core.setFailed(
        `${report.failed} of ${report.checks.length} smoke checks failed against ${inputs.baseUrl}: ` +
          report.checks
            .filter((c) => !c.ok)
            .map((c) => c.name)
            .join(', '),
      );
    }
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

/** A missing summary file (e.g. running outside Actions) must not hide the real result. */
async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    core.warning(`Job summary not written: ${error instanceof Error ? error.message : error}`);
  }
}
