// Action entry: inputs -> rollback -> outputs and job summary.
import { runServiceAction } from '../../deploy/src/run-action.ts';
import { readRollbackInputs } from './inputs.ts';
import { renderRollbackSummary } from './report.ts';
import { rollback } from './rollback.ts';

const seconds = (ms: number) => String(Math.round(ms / 1000));

export function run(): Promise<void> {
  return runServiceAction({
    verb: 'Rollback',
    readInputs: (getInput) => readRollbackInputs(getInput),
    perform: rollback,
    outputs: (result) => ({
      'from-task-definition-arn': result.fromTaskDefinitionArn,
      'to-task-definition-arn': result.toTaskDefinitionArn,
      'duration-seconds': seconds(result.finishedAt - result.startedAt),
      'restore-seconds':
        result.restoredAt === undefined ? '' : seconds(result.restoredAt - result.startedAt),
    }),
    renderSummary: renderRollbackSummary,
  });
}
