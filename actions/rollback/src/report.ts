// The rollback's job summary: from what to what, how, and how long it took.
import {
  codeDeployDeploymentUrl,
  ecsServiceUrl,
  taskDefinitionUrl,
  formatDuration,
  link,
  statusIcon,
} from '@notify/actions-shared';
import {
  outcomeSummary,
  type SummaryNotices,
  type SummaryTarget,
} from '../../deploy/src/report.ts';
import { familyRevision } from '../../deploy/src/task-definition.ts';
import type { RollbackResult } from './rollback.ts';

const deploymentLink = (region: string, id: string) =>
  id.startsWith('d-') ? link(id, codeDeployDeploymentUrl(region, id)) : `\`${id}\``;

export function renderRollbackSummary(
  target: SummaryTarget,
  result: RollbackResult,
  notices: SummaryNotices = [],
): string {
  const ok = result.status === 'Succeeded';
  const where = target.environment ? ` in ${target.environment}` : '';
  const facts: Array<[string, string]> = [
    ['Service', link(target.service, ecsServiceUrl(target.region, target.cluster, target.service))],
    [
      'From',
      link(
        familyRevision(result.fromTaskDefinitionArn),
        taskDefinitionUrl(target.region, result.fromTaskDefinitionArn),
      ),
    ],
    [
      'To',
      link(
        familyRevision(result.toTaskDefinitionArn),
        taskDefinitionUrl(target.region, result.toTaskDefinitionArn),
      ),
    ],
    [
      'How',
      result.mode === 'stopped-running-deployment'
        ? `Stopped running deployment ${deploymentLink(target.region, result.stoppedDeploymentId ?? '')} with rollback`
        : `New ${result.strategy} deployment of the target revision`,
    ],
    ['Deployment', deploymentLink(target.region, result.deploymentId)],
    ['Status', `${statusIcon(ok ? 'success' : 'failure')} ${result.status}`],
    [
      'Time to restore',
      result.restoredAt !== undefined
        ? `${formatDuration(result.restoredAt - result.startedAt)} (until all production traffic was on ${familyRevision(result.toTaskDefinitionArn)})`
        : 'not restored',
    ],
    ['Took', formatDuration(result.finishedAt - result.startedAt)],
  ];
  return outcomeSummary(target, `Rollback ${target.service}${where}`, result, facts, notices);
}
