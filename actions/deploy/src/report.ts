// The deploy's job summary: what was deployed where, how it went step by step, what the
// smoke test saw, and — on failure — every reason AWS gave.
import {
  codeDeployDeploymentUrl,
  ecsServiceUrl,
  ecsServiceEventsUrl,
  ecsTaskUrl,
  taskDefinitionUrl,
  details,
  escapeCell,
  formatClock,
  formatDuration,
  heading,
  joinSections,
  keyValueTable,
  link,
  progressBar,
  statusIcon,
  table,
  timeline,
  type TimelineEntry,
} from '@notify/actions-shared';
import type { SmokeReport } from '../../smoke-test/src/smoke.ts';
import type { DeployResult } from './deploy.ts';
import type { FailureReport } from './failure-report.ts';
import { familyRevision } from './task-definition.ts';

export interface SummaryTarget {
  region: string;
  cluster: string;
  service: string;
  environment?: string;
}

export function smokeTable(report: SmokeReport): string {
  return table(
    ['Check', 'Result', 'Latency', 'Detail'],
    report.checks.map((check) => [
      escapeCell(check.name),
      check.ok ? `${statusIcon('success')} pass` : `${statusIcon('failure')} fail`,
      `${Math.round(check.latencyMs)} ms`,
      escapeCell(check.detail),
    ]),
    { raw: true },
  );
}

export function failureSections(target: SummaryTarget, failure: FailureReport): string {
  const parts: string[] = [heading('Why it failed', 3)];
  if (failure.error) {
    parts.push(
      `**CodeDeploy:** \`${failure.error.code ?? 'error'}\` ${failure.error.message ?? ''}`,
    );
  }
  if (failure.rollback?.message || failure.rollback?.deploymentId) {
    const id = failure.rollback.deploymentId;
    parts.push(
      `**Rollback:** ${failure.rollback.message ?? ''}${
        id ? ` (${link(id, codeDeployDeploymentUrl(target.region, id))})` : ''
      }`,
    );
  }
  if (failure.failedLifecycleEvents.length > 0) {
    parts.push(
      table(
        ['Lifecycle event', 'Status', 'Error', 'Message'],
        failure.failedLifecycleEvents.map((event) => [
          event.name,
          event.status,
          event.errorCode ?? '',
          event.message ?? '',
        ]),
      ),
    );
  }
  if (failure.stoppedTasks.length > 0) {
    parts.push(
      table(
        ['Stopped task', 'Stopped', 'Reason', 'Containers'],
        failure.stoppedTasks.map((task) => [
          link(
            task.taskArn.split('/').pop() ?? task.taskArn,
            ecsTaskUrl(target.region, target.cluster, task.taskArn),
          ),
          task.stoppedAt ? formatClock(task.stoppedAt.getTime()) : '',
          escapeCell(`${task.stopCode ? `${task.stopCode}: ` : ''}${task.stoppedReason}`),
          escapeCell(
            task.containers
              .map(
                (c) =>
                  `${c.name}: ${c.reason ?? ''}${c.exitCode !== undefined ? ` (exit ${c.exitCode})` : ''}`,
              )
              .join('\n'),
          ),
        ]),
        { raw: true },
      ),
    );
  } else {
    parts.push('No stopped tasks of the new revision were found.');
  }
  if (failure.serviceEvents.length > 0) {
    parts.push(
      details(
        `Recent service events (${failure.serviceEvents.length})`,
        table(
          ['Time (UTC)', 'Event'],
          failure.serviceEvents.map((event) => [
            event.at ? formatClock(event.at.getTime()) : '',
            event.message,
          ]),
        ),
        true,
      ),
    );
  }
  parts.push(
    link('All service events', ecsServiceEventsUrl(target.region, target.cluster, target.service)),
  );
  return parts.join('\n\n');
}

/** Sections shown right under the verdict, e.g. a test-listener rule left open. */
export type SummaryNotices = Array<string | undefined>;

export function renderDeploySummary(
  target: SummaryTarget,
  result: DeployResult,
  notices: SummaryNotices = [],
): string {
  const ok = result.status === 'Succeeded';
  const where = target.environment ? ` to ${target.environment}` : '';
  const facts: Array<[string, string]> = [
    ['Service', link(target.service, ecsServiceUrl(target.region, target.cluster, target.service))],
    ['Cluster', `${target.cluster} (${target.region})`],
    ['Strategy', result.strategy],
    [
      'From',
      link(
        familyRevision(result.previousTaskDefinitionArn),
        taskDefinitionUrl(target.region, result.previousTaskDefinitionArn),
      ),
    ],
    [
      'To',
      link(
        familyRevision(result.taskDefinitionArn),
        taskDefinitionUrl(target.region, result.taskDefinitionArn),
      ),
    ],
    ['Image', `\`${result.containerName}\` → \`${result.image}\``],
    [
      'Deployment',
      result.deploymentId.startsWith('d-')
        ? link(result.deploymentId, codeDeployDeploymentUrl(target.region, result.deploymentId))
        : `\`${result.deploymentId}\``,
    ],
    ['Status', `${statusIcon(ok ? 'success' : 'failure')} ${result.status}`],
    ['Duration', formatDuration(result.finishedAt - result.startedAt)],
  ];
  if (result.trafficPercent !== undefined) {
    facts.push(['Production traffic on new tasks', `\`${progressBar(result.trafficPercent)}\``]);
  }
  return outcomeSummary(target, `Deploy ${target.service}${where}`, result, facts, notices);
}

/** What deploy and rollback summaries share: the verdict, facts, timeline, smoke and failure. */
export function outcomeSummary(
  target: SummaryTarget,
  title: string,
  result: {
    status: string;
    message: string;
    startedAt: number;
    timeline: TimelineEntry[];
    smoke?: SmokeReport;
    failure?: FailureReport;
  },
  facts: Array<[string, string]>,
  notices: SummaryNotices = [],
): string {
  const icon = statusIcon(result.status === 'Succeeded' ? 'success' : 'failure');
  return joinSections(
    heading(`${icon} ${title}: ${result.status}`),
    escapeCell(result.message),
    ...notices,
    keyValueTable(facts),
    heading('Timeline', 3),
    timeline(result.timeline, result.startedAt),
    result.smoke && heading('Smoke test at Ready (test listener)', 3),
    result.smoke && smokeTable(result.smoke),
    result.failure && failureSections(target, result.failure),
  );
}

/** For failures before a deployment started (bad input, refusal, AWS error). */
export function renderErrorSummary(
  title: string,
  message: string,
  notices: SummaryNotices = [],
): string {
  return joinSections(
    heading(`${statusIcon('failure')} ${title}`),
    message.replace(/\n/g, '  \n'),
    ...notices,
  );
}
