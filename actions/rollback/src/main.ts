// Action entry: inputs -> rollback -> outputs and job summary.
import * as core from '@actions/core';
import { systemClock } from '@notify/actions-shared';
import { createDeployClients } from '../../deploy/src/clients.ts';
import { renderErrorSummary } from '../../deploy/src/report.ts';
import { runnerSmokeTests } from '../../deploy/src/runner-smoke-tests.ts';
import { readRollbackInputs, type RollbackInputs } from './inputs.ts';
import { renderRollbackSummary } from './report.ts';
import { rollback } from './rollback.ts';

export async function run(): Promise<void> {
  let inputs: RollbackInputs | undefined;
  try {
    inputs = readRollbackInputs((name) => core.getInput(name));
    if (inputs.smokeToken) core.setSecret(inputs.smokeToken);
    const result = await rollback(inputs, {
      ...createDeployClients(inputs.region),
      clock: systemClock,
      log: (line) => core.info(line),
      runSmokeTests: runnerSmokeTests(inputs.region, inputs.testUrl),
    });
    core.setOutput('from-task-definition-arn', result.fromTaskDefinitionArn);
    core.setOutput('to-task-definition-arn', result.toTaskDefinitionArn);
    core.setOutput('status', result.status);
    core.setOutput(
      'duration-seconds',
      String(Math.round((result.finishedAt - result.startedAt) / 1000)),
    );
    core.setOutput(
      'restore-seconds',
      result.restoredAt === undefined
        ? ''
        : String(Math.round((result.restoredAt - result.startedAt) / 1000)),
    );
    await core.summary.addRaw(renderRollbackSummary(inputs, result)).write();
    if (result.status !== 'Succeeded') core.setFailed(result.message);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.setOutput('status', 'Error');
    const title = inputs ? `Rollback ${inputs.service} failed` : 'Rollback: invalid input';
    try {
      await core.summary.addRaw(renderErrorSummary(title, message)).write();
    } catch {
      // No summary file outside GitHub Actions; the failure message below still says it all.
    }
    core.setFailed(message);
  }
}
