// Action entry: inputs -> deploy -> outputs and job summary.
import * as core from '@actions/core';
import { systemClock } from '@notify/actions-shared';
import { createDeployClients } from './clients.ts';
import { deploy } from './deploy.ts';
import { readDeployInputs, type DeployInputs } from './inputs.ts';
import { renderDeploySummary, renderErrorSummary } from './report.ts';
import { runnerSmokeTests } from './runner-smoke-tests.ts';

export async function run(): Promise<void> {
  let inputs: DeployInputs | undefined;
  try {
    inputs = readDeployInputs((name) => core.getInput(name));
    if (inputs.smokeToken) core.setSecret(inputs.smokeToken);
    const result = await deploy(inputs, {
      ...createDeployClients(inputs.region),
      clock: systemClock,
      log: (line) => core.info(line),
      runSmokeTests: runnerSmokeTests(inputs.region, inputs.testUrl),
    });
    core.setOutput('task-definition-arn', result.taskDefinitionArn);
    core.setOutput('previous-task-definition-arn', result.previousTaskDefinitionArn);
    core.setOutput('deployment-id', result.deploymentId);
    core.setOutput('status', result.status);
    await core.summary.addRaw(renderDeploySummary(inputs, result)).write();
    if (result.status !== 'Succeeded') core.setFailed(result.message);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.setOutput('status', 'Error');
    const title = inputs ? `Deploy ${inputs.service} failed` : 'Deploy: invalid input';
    try {
      await core.summary.addRaw(renderErrorSummary(title, message)).write();
    } catch {
      // No summary file outside GitHub Actions; the failure message below still says it all.
    }
    core.setFailed(message);
  }
}
