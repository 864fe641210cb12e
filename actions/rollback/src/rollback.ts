// The rollback verb. CodeDeploy service with a deployment running: stop it with rollback and
// follow CodeDeploy's rollback. Otherwise: deploy the target revision with the same strategy
// and follower the deploy action uses.
import { GetDeploymentCommand, type DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import {
  awsErrorName,
  poll,
  DeadlineExceededError,
  type TimelineEntry,
} from '@notify/actions-shared';
import type { SmokeReport } from '../../smoke-test/src/smoke.ts';
import { findActiveDeployment } from '../../deploy/src/active-deployments.ts';
import {
  followCodeDeployDeployment,
  readDeploymentTarget,
  stopWithRollback,
} from '../../deploy/src/code-deploy.ts';
import {
  applyDeadline,
  createContext,
  pickStrategy,
  type DeployDependencies,
} from '../../deploy/src/deploy.ts';
import type { FailureReport } from '../../deploy/src/failure-report.ts';
import { describeService, liveTaskDefinitionArn } from '../../deploy/src/service.ts';
import type { DeployContext, DeployStatus, StrategyOutcome } from '../../deploy/src/strategy.ts';
import { describePollOptions } from '../../deploy/src/describe-poll.ts';
import { smokeGateFor } from '../../deploy/src/smoke-gate.ts';
import { familyRevision } from '../../deploy/src/task-definition.ts';
import type { RollbackInputs } from './inputs.ts';
import { resolveTarget } from './target.ts';

export type RollbackMode = 'stopped-running-deployment' | 'redeployed-previous-revision';

export interface RollbackResult {
  status: DeployStatus;
  message: string;
  mode: RollbackMode;
  strategy: string;
  fromTaskDefinitionArn: string;
  toTaskDefinitionArn: string;
  /** The deployment that carried the rollback (CodeDeploy's rollback deployment or ours). */
  deploymentId: string;
  /** The deployment that was stopped, in stopped-running-deployment mode. */
  stoppedDeploymentId?: string;
  startedAt: number;
  /** When production was back on the target revision (epoch ms), if it got there. */
  restoredAt?: number;
  finishedAt: number;
  timeline: TimelineEntry[];
  smoke?: SmokeReport;
  failure?: FailureReport;
}

const endedStatuses = new Set(['Succeeded', 'Failed', 'Stopped']);

/** Polls a deployment until CodeDeploy reports it ended. */
async function waitForEnd(context: DeployContext, deploymentId: string): Promise<DeploymentInfo> {
  return poll<DeploymentInfo>(async () => {
    const response = await context.codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
    const info = response.deploymentInfo ?? {};
    context.timeline.change('stopped-status', `${deploymentId} ${info.status ?? 'Unknown'}`);
    return endedStatuses.has(info.status ?? '') ? { done: true, value: info } : { done: false };
  }, describePollOptions(context));
}

/** The revision a running blue/green deployment is moving to: the non-PRIMARY task set's. */
function inFlightTaskDefinition(service: Service): string | undefined {
  return service.taskSets?.find((set) => set.status !== 'PRIMARY')?.taskDefinition;
}

/**
 * From (the running deployment's green task set) and to (its blue, the original). Once traffic
 * has shifted (termination wait) green is the service's PRIMARY task set, so PRIMARY alone would
 * swap them; CodeDeploy's target labels which set is which.
 */
async function runningRevisions(
  context: DeployContext,
  service: Service,
  deploymentId: string,
): Promise<{ from: string; to: string }> {
  const byId = new Map((service.taskSets ?? []).map((set) => [set.id, set.taskDefinition]));
  try {
    const sets = (await readDeploymentTarget(context, deploymentId))?.taskSetsInfo ?? [];
    const revisionOf = (label: string) =>
      byId.get(sets.find((set) => set.taskSetLabel === label)?.identifer);
    const from = revisionOf('Green');
    const to = revisionOf('Blue');
    if (from && to) return { from, to };
  } catch (error) {
    context.log(`Could not read ${deploymentId}'s task sets: ${(error as Error).message}`);
  }
  return {
    from: inFlightTaskDefinition(service) ?? liveTaskDefinitionArn(service),
    to: liveTaskDefinitionArn(service),
  };
}

async function stopRunningDeployment(
  context: DeployContext,
  service: Service,
  running: string,
): Promise<Omit<RollbackResult, 'startedAt' | 'finishedAt' | 'timeline' | 'strategy'> | undefined> {
  const { from, to } = await runningRevisions(context, service, running);
  try {
    await stopWithRollback(context, running, 'rollback requested');
  } catch (error) {
    // It finished between our check and the stop: roll back by deploying the previous revision.
    const cause = (error as Error).cause ?? error;
    if (awsErrorName(cause) === 'DeploymentAlreadyCompletedException') {
      context.timeline.add(
        `${running} completed before it could be stopped; redeploying instead`,
        'warning',
      );
      return undefined;
    }
    throw error;
  }
  let stopped: DeploymentInfo;
  try {
    stopped = await waitForEnd(context, running);
  } catch (error) {
    if (!(error instanceof DeadlineExceededError)) throw error;
    return {
      status: 'TimedOut',
      message: `${running} was asked to stop but had not stopped before the deadline.`,
      mode: 'stopped-running-deployment',
      fromTaskDefinitionArn: from,
      toTaskDefinitionArn: to,
      deploymentId: running,
      stoppedDeploymentId: running,
    };
  }
  const rollbackId = stopped.rollbackInfo?.rollbackDeploymentId;
  let outcome: StrategyOutcome;
  if (rollbackId) {
    context.timeline.add(`CodeDeploy started rollback deployment ${rollbackId}`, 'info');
    outcome = await followCodeDeployDeployment(context, {
      id: rollbackId,
      taskDefinitionArn: to,
      stopAtDeadline: false,
    });
  } else {
    // Stopped before traffic moved: the original task set never stopped serving.
    const ok = stopped.status === 'Stopped';
    outcome = {
      status: ok ? 'Succeeded' : stopped.status === 'Failed' ? 'Failed' : 'Stopped',
      deploymentId: running,
      trafficShiftedAt: ok ? context.clock.now() : undefined,
      message: ok
        ? `${running} stopped; production stayed on ${familyRevision(to)}.`
        : `${running} ended as ${stopped.status} instead of stopping.`,
    };
  }
  return {
    ...outcome,
    message:
      outcome.status === 'Succeeded'
        ? `Stopped ${running} and rolled back to ${familyRevision(to)}.`
        : outcome.message,
    mode: 'stopped-running-deployment',
    fromTaskDefinitionArn: from,
    toTaskDefinitionArn: to,
    stoppedDeploymentId: running,
    restoredAt: outcome.trafficShiftedAt,
  };
}

export async function rollback(
  inputs: RollbackInputs,
  deps: DeployDependencies,
): Promise<RollbackResult> {
  const context = createContext(inputs, deps);
  const startedAt = deps.clock.now();
  const service = await describeService(deps.ecs, inputs.region, inputs.cluster, inputs.service);
  const strategy = pickStrategy(service);
  const finish = (
    result: Omit<RollbackResult, 'startedAt' | 'finishedAt' | 'timeline' | 'strategy'>,
  ) => {
    context.timeline.add(result.message, result.status === 'Succeeded' ? 'success' : 'failure');
    return {
      ...result,
      strategy: strategy.label,
      startedAt,
      finishedAt: deps.clock.now(),
      timeline: context.timeline.entries,
    };
  };

  if (service.deploymentController?.type === 'CODE_DEPLOY') {
    const running = await findActiveDeployment(context);
    if (running) {
      // CodeDeploy's own rollback deployment; the group's timings bound it.
      const prepared = await strategy.prepare(context, service, { smokeGate: false });
      applyDeadline(context, startedAt, inputs.timeoutMs, prepared.deadline);
      context.timeline.add(
        `Deployment ${running} is in progress; stopping it with rollback`,
        'warning',
      );
      const stopped = await stopRunningDeployment(context, service, running);
      if (stopped) return finish(stopped);
    }
  }

  const from = liveTaskDefinitionArn(service);
  const to = await resolveTarget(deps.ecs, inputs.region, from, inputs.target);
  context.timeline.add(`Rolling back ${familyRevision(from)} → ${familyRevision(to)}`, 'info');
  const smokeGate = smokeGateFor(inputs, deps.runSmokeTests);
  const prepared = await strategy.prepare(context, service, {
    smokeGate: smokeGate !== undefined,
    deploymentConfigName: inputs.deploymentConfigName,
  });
  applyDeadline(context, startedAt, inputs.timeoutMs, prepared.deadline);
  const deploymentId = await strategy.start(context, service, to, {
    deploymentConfigName: inputs.deploymentConfigName,
  });
  const outcome = await strategy.follow(context, {
    id: deploymentId,
    taskDefinitionArn: to,
    previousTaskDefinitionArn: from,
    smokeGate,
    // Stopping a rollback at its deadline would return traffic to the revision being escaped.
    stopAtDeadline: false,
  });
  return finish({
    ...outcome,
    message:
      outcome.status === 'Succeeded'
        ? `Rolled back ${inputs.service} from ${familyRevision(from)} to ${familyRevision(to)}.`
        : outcome.message,
    mode: 'redeployed-previous-revision',
    fromTaskDefinitionArn: from,
    toTaskDefinitionArn: to,
    // ECS rolling reports no traffic share: restored when the rollout completed.
    restoredAt:
      outcome.trafficShiftedAt ?? (outcome.status === 'Succeeded' ? deps.clock.now() : undefined),
  });
}
