// The runner side both deploy and rollback share: read the inputs, hide the token, build the
// AWS clients and the runner's smoke test, then write outputs and the job summary, failing the
// step with the result's message (or the error's) when it did not succeed.
import * as core from '@actions/core';
import { systemClock, type GetInput } from '@notify/actions-shared';
import { createDeployClients } from './clients.ts';
import type { DeployDependencies } from './deploy.ts';
import type { ServiceTargetInputs } from './inputs.ts';
import { renderErrorSummary } from './report.ts';
import { runnerSmokeTests } from './runner-smoke-tests.ts';
import type { DeployStatus } from './strategy.ts';

export interface ServiceAction<Inputs extends ServiceTargetInputs, Result> {
  /** 'Deploy' or 'Rollback': the first word of the error summary's title. */
  verb: string;
  readInputs: (getInput: GetInput) => Inputs;
  perform: (inputs: Inputs, deps: DeployDependencies) => Promise<Result>;
  /** Every output but status, which is always set. */
  outputs: (result: Result) => Record<string, string>;
  renderSummary: (inputs: Inputs, result: Result) => string;
}

export async function runServiceAction<
  Inputs extends ServiceTargetInputs,
  Result extends { status: DeployStatus; message: string },
>(action: ServiceAction<Inputs, Result>): Promise<void> {
  let inputs: Inputs | undefined;
  try {
    inputs = action.readInputs((name) => core.getInput(name));
    if (inputs.smokeToken) core.setSecret(inputs.smokeToken);
    const result = await action.perform(inputs, {
      ...createDeployClients(inputs.region),
      clock: systemClock,
      log: (line) => core.info(line),
      runSmokeTests: runnerSmokeTests(inputs.region, inputs.testUrl),
    });
    for (const [name, value] of Object.entries(action.outputs(result))) {
      core.setOutput(name, value);
    }
    core.setOutput('status', result.status);
    await core.summary.addRaw(action.renderSummary(inputs, result)).write();
    if (result.status !== 'Succeeded') core.setFailed(result.message);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.setOutput('status', 'Error');
    const title = inputs
      ? `${action.verb} ${inputs.service} failed`
      : `${action.verb}: invalid input`;
    try {
      await core.summary.addRaw(renderErrorSummary(title, message)).write();
    } catch {
      // No summary file outside GitHub Actions; the failure message below still says it all.
    }
    core.setFailed(message);
  }
}
