// The runner side both deploy and rollback share: read the inputs, hide the token, build the
// AWS clients and the runner's smoke test, then write outputs and the job summary, failing the
// step with the result's message (or the error's) when it did not succeed. A test-listener rule
// left open is a warning section in the summary (and an error annotation), never a failure of
// a deploy that succeeded: failing it would stop the workflow between the API and the worker,
// and re-running would deploy again, while the rule stays open either way until removed.
import * as core from '@actions/core';
import { systemClock, type GetInput } from '@notify/actions-shared';
import { createDeployClients } from './clients.ts';
import type { DeployDependencies } from './deploy.ts';
import type { ServiceTargetInputs } from './inputs.ts';
import { renderErrorSummary, type SummaryNotices } from './report.ts';
import { runnerSmokeTests, type RunnerSmokeTests } from './runner-smoke-tests.ts';
import { testListenerLeftOpenSection } from './test-listener-report.ts';
import type { DeployStatus } from './strategy.ts';

export interface ServiceAction<Inputs extends ServiceTargetInputs, Result> {
  /** 'Deploy' or 'Rollback': the first word of the error summary's title. */
  verb: string;
  readInputs: (getInput: GetInput) => Inputs;
  perform: (inputs: Inputs, deps: DeployDependencies) => Promise<Result>;
  /** Every output but status, which is always set. */
  outputs: (result: Result) => Record<string, string>;
  /** Notices go right under the verdict. */
  renderSummary: (inputs: Inputs, result: Result, notices: SummaryNotices) => string;
}

export async function runServiceAction<
  Inputs extends ServiceTargetInputs,
  Result extends { status: DeployStatus; message: string },
>(action: ServiceAction<Inputs, Result>): Promise<void> {
  let inputs: Inputs | undefined;
  let smoke: RunnerSmokeTests | undefined;
  const notices = () => [testListenerLeftOpenSection(smoke?.leftOpen ?? [])];
  try {
    inputs = action.readInputs((name) => core.getInput(name));
    if (inputs.smokeToken) core.setSecret(inputs.smokeToken);
    smoke = runnerSmokeTests(inputs.region, inputs.testUrl);
    const result = await action.perform(inputs, {
      ...createDeployClients(inputs.region),
      clock: systemClock,
      log: (line) => core.info(line),
      runSmokeTests: smoke.run,
    });
    for (const [name, value] of Object.entries(action.outputs(result))) {
      core.setOutput(name, value);
    }
    core.setOutput('status', result.status);
    await core.summary.addRaw(action.renderSummary(inputs, result, notices())).write();
    if (result.status !== 'Succeeded') core.setFailed(result.message);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.setOutput('status', 'Error');
    const title = inputs
      ? `${action.verb} ${inputs.service} failed`
      : `${action.verb}: invalid input`;
    try {
      await core.summary.addRaw(renderErrorSummary(title, message, notices())).write();
    } catch {
      // No summary file outside GitHub Actions; the failure message below still says it all.
    }
    core.setFailed(message);
  }
}
