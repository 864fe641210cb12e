// ECS rolling deployments (controller ECS): UpdateService, then follow the deployment's
// rolloutState. The deployment circuit breaker rolls back by starting a new PRIMARY
// deployment of the old task definition; that counts as a failure here.
import { UpdateServiceCommand, type Deployment, type Service } from '@aws-sdk/client-ecs';
import {
  callAws,
  ecsServiceDeploymentsUrl,
  DeadlineExceededError,
  poll,
  formatDuration,
} from '@notify/actions-shared';
import { describePollOptions } from './describe-poll.ts';
import { collectStoppedTasks, recentServiceEvents, type FailureReport } from './failure-report.ts';
import { describeService } from './service.ts';
import { familyRevision } from './task-definition.ts';
import {
  DeploymentInProgressError,
  type DeployContext,
  type DeployStrategy,
  type StrategyOutcome,
} from './strategy.ts';

export async function startRollingDeployment(
  context: DeployContext,
  taskDefinitionArn: string,
): Promise<string> {
  const response = await callAws(
    {
      operation: 'ecs:UpdateService',
      resource: `${context.cluster}/${context.service}`,
      region: context.region,
    },
    () =>
      context.ecs.send(
        new UpdateServiceCommand({
          cluster: context.cluster,
          service: context.service,
          taskDefinition: taskDefinitionArn,
          forceNewDeployment: false,
        }),
      ),
  );
  const primary = response.service?.deployments?.find((d) => d.status === 'PRIMARY');
  if (!primary?.id) throw new Error('UpdateService returned no PRIMARY deployment.');
  context.timeline.add(
    `UpdateService: deployment ${primary.id} of ${familyRevision(taskDefinitionArn)}`,
    'info',
  );
  return primary.id;
}

const trimPeriod = (text: string) => text.replace(/\.+$/, '');

function describeCounts(deployment: Deployment): string {
  const failed = deployment.failedTasks ? `, ${deployment.failedTasks} failed` : '';
  return `${deployment.runningCount ?? 0}/${deployment.desiredCount ?? 0} running, ${deployment.pendingCount ?? 0} pending${failed}`;
}

export async function followRollingDeployment(
  context: DeployContext,
  deployment: { id: string; taskDefinitionArn: string; previousTaskDefinitionArn: string },
): Promise<StrategyOutcome> {
  const startedAt = context.clock.now();
  const seenEvents = new Set<string>();
  let lastService: Service | undefined;

  const finish = async (
    status: StrategyOutcome['status'],
    message: string,
  ): Promise<StrategyOutcome> => {
    let failure: FailureReport | undefined;
    if (status !== 'Succeeded') {
      failure = {
        failedLifecycleEvents: [],
        stoppedTasks: await collectStoppedTasks(context.ecs, context.cluster, context.service, {
          taskDefinitionArn: deployment.taskDefinitionArn,
          log: context.log,
        }),
        serviceEvents: recentServiceEvents(lastService, startedAt),
      };
    }
    return {
      status,
      deploymentId: deployment.id,
      message,
      trafficPercent: status === 'Succeeded' ? 100 : undefined,
      failure,
    };
  };

  try {
    return await poll<StrategyOutcome>(async () => {
      const service = await describeService(
        context.ecs,
        context.region,
        context.cluster,
        context.service,
      );
      lastService = service;
      // Service events arrive newest first; log new ones oldest first.
      for (const event of [...(service.events ?? [])].reverse()) {
        if (!event.id || seenEvents.has(event.id)) continue;
        seenEvents.add(event.id);
        if ((event.createdAt?.getTime() ?? 0) >= startedAt) {
          context.timeline.add(`Service event: ${event.message}`);
        }
      }
      const ours = service.deployments?.find((d) => d.id === deployment.id);
      const primary = service.deployments?.find((d) => d.status === 'PRIMARY');

      if (ours) {
        context.timeline.change(
          'rollout',
          `Rollout ${ours.rolloutState ?? 'unknown'}: ${describeCounts(ours)}`,
          ours.rolloutState === 'FAILED' ? 'failure' : 'running',
        );
      }
      if (ours?.status === 'PRIMARY' && ours.rolloutState === 'COMPLETED') {
        return {
          done: true,
          value: await finish('Succeeded', `Deployment ${deployment.id} completed.`),
        };
      }
      if (ours?.rolloutState === 'FAILED') {
        const rolledBack =
          primary && primary.id !== ours.id
            ? ` ECS rolled back to ${familyRevision(primary.taskDefinition ?? '')}.`
            : '';
        return {
          done: true,
          value: await finish(
            'Failed',
            `Deployment ${deployment.id} failed: ${trimPeriod(ours.rolloutStateReason ?? 'no reason given')}.${rolledBack}`,
          ),
        };
      }
      // Our deployment was replaced: the circuit breaker (or someone) rolled back.
      if (!ours || (primary && primary.id !== deployment.id)) {
        const backTo = primary?.taskDefinition
          ? familyRevision(primary.taskDefinition)
          : 'another revision';
        const why =
          primary?.rolloutStateReason && /circuit breaker/i.test(primary.rolloutStateReason)
            ? trimPeriod(primary.rolloutStateReason)
            : `deployment ${deployment.id} is no longer the service's primary deployment`;
        return {
          done: true,
          value: await finish('Failed', `Rolled back to ${backTo}: ${why}.`),
        };
      }
      return { done: false };
    }, describePollOptions(context));
  } catch (error) {
    if (!(error instanceof DeadlineExceededError)) throw error;
    const waited = formatDuration(context.clock.now() - startedAt);
    return finish(
      'TimedOut',
      `Deployment ${deployment.id} had not completed after ${waited}. ECS keeps rolling it out ` +
        `(the circuit breaker rolls back if tasks keep failing); check ` +
        ecsServiceDeploymentsUrl(context.region, context.cluster, context.service),
    );
  }
}

export const rollingStrategy: DeployStrategy = {
  label: 'ECS rolling update',
  appliesTo: (service) =>
    (service.deploymentController?.type ?? 'ECS') === 'ECS' &&
    (service.deploymentConfiguration?.strategy ?? 'ROLLING') === 'ROLLING',
  async assertIdle(context, service) {
    const deployments = service.deployments ?? [];
    const busy =
      deployments.find((d) => d.status === 'PRIMARY' && d.rolloutState === 'IN_PROGRESS') ??
      (deployments.length > 1 ? deployments.find((d) => d.status !== 'PRIMARY') : undefined);
    if (busy) {
      throw new DeploymentInProgressError(
        `service ${context.service} (${familyRevision(busy.taskDefinition ?? '')}, ${busy.rolloutState ?? busy.status})`,
        busy.id ?? 'unknown',
        ecsServiceDeploymentsUrl(context.region, context.cluster, context.service),
      );
    }
  },
  // ECS rolling has no deployment group to read; the deadline is the default or the input.
  prepare: async () => ({}),
  start: (context, _service, taskDefinitionArn) =>
    startRollingDeployment(context, taskDefinitionArn),
  follow: (context, deployment) => followRollingDeployment(context, deployment),
};
