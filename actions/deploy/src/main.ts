// Action entry: inputs -> deploy -> outputs and job summary.
import { deploy } from './deploy.ts';
import { readDeployInputs } from './inputs.ts';
import { renderDeploySummary } from './report.ts';
import { runServiceAction } from './run-action.ts';

export function run(): Promise<void> {
  return runServiceAction({
    verb: 'Deploy',
    readInputs: (getInput) => readDeployInputs(getInput),
    perform: deploy,
    outputs: (result) => ({
      'task-definition-arn': result.taskDefinitionArn,
      'previous-task-definition-arn': result.previousTaskDefinitionArn,
      'deployment-id': result.deploymentId,
    }),
    renderSummary: renderDeploySummary,
  });
}
