// CodeDeploy blue/green for CODE_DEPLOY services: create the deployment from an AppSpec,
// follow it with short polls, and gate production traffic on the smoke test at Ready.
import {
  BatchGetDeploymentTargetsCommand,
  ContinueDeploymentCommand,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
  type DeploymentInfo,
  type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import {
  callAws,
  codeDeployDeploymentGroupUrl,
  codeDeployDeploymentUrl,
  DeadlineExceededError,
  poll,
  formatDuration,
  type PollStep,
} from '@notify/actions-shared';
import type { SmokeOptions, SmokeReport } from '../../smoke-test/src/smoke.ts';
import { findActiveDeployment } from './active-deployments.ts';
import { describePollOptions } from './describe-poll.ts';
import { createDeployment } from './create-deployment.ts';
import {
  assertSmokeGateCanRun,
  deploymentDeadline,
  readDeploymentGroup,
  readTrafficShiftMinutes,
} from './deployment-group.ts';
import { collectStoppedTasks, recentServiceEvents, type FailureReport } from './failure-report.ts';
import { describeService } from './service.ts';
import {
  DeploymentInProgressError,
  type DeployContext,
  type DeployStrategy,
  type SmokeGate,
  type StrategyOutcome,
} from './strategy.ts';

export async function stopWithRollback(
  context: DeployContext,
  deploymentId: string,
  why: string,
): Promise<void> {
  context.timeline.add(`StopDeployment with rollback: ${why}`, 'failure');
  await callAws(
    { operation: 'codedeploy:StopDeployment', resource: deploymentId, region: context.region },
    () =>
      context.codeDeploy.send(
        new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }),
      ),
  );
}

/** The deployment's single ECS target (the service), with lifecycle events and task sets. */
export async function readDeploymentTarget(
  context: DeployContext,
  deploymentId: string,
): Promise<ECSTarget | undefined> {
  const listed = await context.codeDeploy.send(new ListDeploymentTargetsCommand({ deploymentId }));
  const targetIds = listed.targetIds ?? [];
  if (targetIds.length === 0) return undefined;
  const batch = await context.codeDeploy.send(
    new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds }),
  );
  return batch.deploymentTargets?.find((target) => target.ecsTarget)?.ecsTarget;
}

/** Logs lifecycle-event and traffic changes once each; returns the green share of traffic. */
function recordTargetProgress(context: DeployContext, target: ECSTarget): number | undefined {
  for (const event of target.lifecycleEvents ?? []) {
    if (!event.lifecycleEventName || !event.status || event.status === 'Pending') continue;
    const failed = event.status === 'Failed';
    const detail = failed && event.diagnostics?.message ? ` — ${event.diagnostics.message}` : '';
    context.timeline.change(
      `event:${event.lifecycleEventName}`,
      `${event.lifecycleEventName}: ${event.status}${detail}`,
      failed ? 'failure' : event.status === 'Succeeded' ? 'success' : 'running',
    );
  }
  const sets = target.taskSetsInfo ?? [];
  const green = sets.find((set) => set.taskSetLabel === 'Green');
  const blue = sets.find((set) => set.taskSetLabel === 'Blue');
  if (!green) return undefined;
  const greenPercent = Math.round(green.trafficWeight ?? 0);
  const greenTasks = `${green.runningCount ?? 0}/${green.desiredCount ?? 0} running`;
  context.timeline.change(
    'traffic',
    `Traffic: green ${greenPercent}% (${greenTasks}), blue ${Math.round(blue?.trafficWeight ?? 0)}%`,
    'info',
  );
  return greenPercent;
}

function failedLifecycleEvents(
  target: ECSTarget | undefined,
): FailureReport['failedLifecycleEvents'] {
  return (target?.lifecycleEvents ?? [])
    .filter((event) => event.status === 'Failed')
    .map((event) => ({
      name: event.lifecycleEventName ?? '',
      status: event.status ?? '',
      errorCode: event.diagnostics?.errorCode,
      message: event.diagnostics?.message,
    }));
}

async function failureReport(
  context: DeployContext,
  info: DeploymentInfo | undefined,
  target: ECSTarget | undefined,
  taskDefinitionArn: string,
  startedAt: number,
): Promise<FailureReport> {
  const stoppedTasks = await collectStoppedTasks(context.ecs, context.cluster, context.service, {
    taskDefinitionArn,
    log: context.log,
  });
  let service: Service | undefined;
  try {
    service = await describeService(context.ecs, context.region, context.cluster, context.service);
  } catch (error) {
    context.log(`Could not read service events: ${(error as Error).message}`);
  }
  return {
    error: info?.errorInformation
      ? { code: info.errorInformation.code, message: info.errorInformation.message }
      : undefined,
    rollback: info?.rollbackInfo
      ? {
          deploymentId: info.rollbackInfo.rollbackDeploymentId,
          message: info.rollbackInfo.rollbackMessage,
        }
      : undefined,
    failedLifecycleEvents: failedLifecycleEvents(target),
    stoppedTasks,
    serviceEvents: recentServiceEvents(service, startedAt),
  };
}

/**
 * True once production traffic is on the replacement tasks: status Baking, AfterAllowTraffic
 * succeeded (the termination wait has started; the status still reads InProgress), or green
 * serving 100 %. From then on a stop would shift traffic back, so the deadline never stops it.
 */
export function trafficFullyShifted(
  status: string,
  target: ECSTarget | undefined,
  greenPercent: number | undefined,
): boolean {
  if (status === 'Baking') return true;
  const afterAllow = target?.lifecycleEvents?.find(
    (event) => event.lifecycleEventName === 'AfterAllowTraffic',
  );
  if (afterAllow?.status === 'Succeeded') return true;
  return greenPercent === 100;
}

/** A smoke run that throws counts as a failed check: the deployment must not sit at Ready. */
async function runGate(gate: SmokeGate, options: SmokeOptions): Promise<SmokeReport> {
  try {
    return await gate.run(options);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      passed: 0,
      failed: 1,
      checks: [{ name: 'smoke test run', ok: false, latencyMs: 0, detail }],
    };
  }
}

function describeSmokeFailure(report: SmokeReport): string {
  const failed = report.checks.filter((check) => !check.ok);
  return failed.map((check) => `${check.name}: ${check.detail}`).join('; ');
}

/** What following one deployment has seen so far; each state's step reads and updates it. */
interface Following {
  context: DeployContext;
  deployment: FollowedDeployment;
  startedAt: number;
  status: string;
  info?: DeploymentInfo;
  target?: ECSTarget;
  trafficPercent?: number;
  /** When all production traffic was first seen on the replacement tasks. */
  trafficShiftedAt?: number;
  smoke?: SmokeReport;
  gateDone: boolean;
  stopRequested: boolean;
}

export interface FollowedDeployment {
  id: string;
  taskDefinitionArn: string;
  smokeGate?: SmokeGate;
  stopAtDeadline?: boolean;
}

type Step = PollStep<StrategyOutcome>;
const keepPolling: Step = { done: false };

async function finish(
  following: Following,
  status: StrategyOutcome['status'],
  message: string,
  info?: DeploymentInfo,
): Promise<StrategyOutcome> {
  const { context, deployment, trafficPercent, trafficShiftedAt, smoke } = following;
  const failure =
    status === 'Succeeded'
      ? undefined
      : await failureReport(
          context,
          info,
          following.target,
          deployment.taskDefinitionArn,
          following.startedAt,
        );
  return {
    status,
    deploymentId: deployment.id,
    message,
    trafficPercent,
    trafficShiftedAt,
    smoke,
    failure,
  };
}

/** One poll: the deployment's status, then (once it has a target) its events and traffic. */
async function observe(following: Following): Promise<void> {
  const { context } = following;
  const deploymentId = following.deployment.id;
  const response = await callAws(
    { operation: 'codedeploy:GetDeployment', resource: deploymentId, region: context.region },
    () => context.codeDeploy.send(new GetDeploymentCommand({ deploymentId })),
  );
  const info = response.deploymentInfo;
  const status = info?.status ?? 'Unknown';
  following.info = info;
  following.status = status;
  const failedTargets = info?.deploymentOverview?.Failed;
  context.timeline.change(
    'status',
    `Deployment ${status}${failedTargets ? ` (${failedTargets} target failed)` : ''}`,
    status === 'Succeeded'
      ? 'success'
      : status === 'Failed' || status === 'Stopped'
        ? 'failure'
        : 'running',
  );
  if (status !== 'Created' && status !== 'Queued') {
    const target = await callAws(
      {
        operation: 'codedeploy:BatchGetDeploymentTargets',
        resource: deploymentId,
        region: context.region,
      },
      () => readDeploymentTarget(context, deploymentId),
    );
    if (target) {
      following.target = target;
      following.trafficPercent = recordTargetProgress(context, target) ?? following.trafficPercent;
    }
  }
  if (
    following.trafficShiftedAt === undefined &&
    trafficFullyShifted(status, following.target, following.trafficPercent)
  ) {
    following.trafficShiftedAt = context.clock.now();
  }
}

async function onSucceeded(following: Following): Promise<Step> {
  following.trafficPercent = 100;
  following.trafficShiftedAt ??= following.context.clock.now();
  const message = `Deployment ${following.deployment.id} succeeded.`;
  return { done: true, value: await finish(following, 'Succeeded', message) };
}

/** Failed or Stopped: by CodeDeploy, by alarms, or by our own stop. */
async function onEnded(following: Following): Promise<Step> {
  const { info, smoke, status } = following;
  const deploymentId = following.deployment.id;
  const reason = info?.errorInformation?.message ?? info?.rollbackInfo?.rollbackMessage;
  const message =
    smoke && smoke.failed > 0
      ? `Smoke test failed at Ready; deployment ${deploymentId} stopped and rolled back: ${describeSmokeFailure(smoke)}`
      : `Deployment ${deploymentId} ${status.toLowerCase()}${reason ? `: ${reason}` : ''}.`;
  const ended = following.stopRequested || status === 'Stopped' ? 'Stopped' : 'Failed';
  return { done: true, value: await finish(following, ended, message, info) };
}

/**
 * Ready: test traffic reaches the replacement tasks, production still the original. Runs the
 * smoke gate once; a pass (or no gate) continues, a failure stops with rollback.
 */
async function onReady(following: Following): Promise<Step> {
  if (following.gateDone) return keepPolling;
  following.gateDone = true;
  const gate = following.deployment.smokeGate;
  if (!gate) {
    following.context.timeline.add(
      'Ready: no test-url given, so no smoke test; continuing to shift production traffic',
      'warning',
    );
  } else if (!(await smokeGatePassed(following, gate))) {
    following.stopRequested = true;
    await stopWithRollback(
      following.context,
      following.deployment.id,
      'smoke test failed at Ready',
    );
    return keepPolling;
  }
  await continueDeployment(following.context, following.deployment.id);
  return keepPolling;
}

async function smokeGatePassed(following: Following, gate: SmokeGate): Promise<boolean> {
  const { context } = following;
  context.timeline.add(`Ready: smoke testing the replacement tasks at ${gate.baseUrl}`, 'running');
  const remaining = Math.max(1_000, context.deadline - context.clock.now());
  const smoke = await runGate(gate, {
    baseUrl: gate.baseUrl,
    token: gate.token,
    recipient: gate.recipient,
    deadlineMs: Math.min(remaining, 120_000),
    log: context.log,
  });
  following.smoke = smoke;
  if (smoke.failed > 0) {
    context.timeline.add(
      `Smoke test failed (${smoke.failed} of ${smoke.checks.length} checks): ${describeSmokeFailure(smoke)}`,
      'failure',
    );
    return false;
  }
  context.timeline.add(`Smoke test passed (${smoke.passed} checks)`, 'success');
  return true;
}

async function continueDeployment(context: DeployContext, deploymentId: string): Promise<void> {
  await callAws(
    { operation: 'codedeploy:ContinueDeployment', resource: deploymentId, region: context.region },
    () =>
      context.codeDeploy.send(
        new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'READY_WAIT' }),
      ),
  );
  context.timeline.add('ContinueDeployment: shifting production traffic', 'running');
}

/** The step for each status that needs one; every other status just polls again. */
const stateSteps: Partial<Record<string, (following: Following) => Promise<Step>>> = {
  Succeeded: onSucceeded,
  Failed: onEnded,
  Stopped: onEnded,
  Ready: onReady,
};

/** The deadline passed: stop with rollback unless that would move production traffic back. */
async function atDeadline(following: Following): Promise<StrategyOutcome> {
  const { context, deployment, status } = following;
  const deploymentId = deployment.id;
  const url = codeDeployDeploymentUrl(context.region, deploymentId);
  const waited = formatDuration(context.clock.now() - following.startedAt);
  if (trafficFullyShifted(status, following.target, following.trafficPercent)) {
    // Production traffic is already on the new tasks (Baking, or InProgress during the
    // termination wait): stopping now would move it back and be a fresh outage risk.
    return finish(
      following,
      'TimedOut',
      `Deployment ${deploymentId} shifted all traffic but was still ${status} after ${waited} ` +
        `(termination wait); it was left running (CodeDeploy still rolls back on alarms). ${url}`,
    );
  }
  if (deployment.stopAtDeadline === false) {
    return finish(
      following,
      'TimedOut',
      `Deployment ${deploymentId} had not finished after ${waited}; it was left running. ${url}`,
    );
  }
  if (!following.stopRequested) {
    await stopWithRollback(context, deploymentId, `deadline passed after ${waited}`);
  }
  return finish(
    following,
    'TimedOut',
    `Deployment ${deploymentId} did not finish before the deadline (${waited}); it was stopped with rollback. ${url}`,
  );
}

/**
 * Follows a CodeDeploy deployment until it ends or the deadline passes. At Ready (test
 * traffic on the replacement tasks, production still on the original) it runs the smoke gate
 * and continues or stops with rollback.
 */
export async function followCodeDeployDeployment(
  context: DeployContext,
  deployment: FollowedDeployment,
): Promise<StrategyOutcome> {
  const following: Following = {
    context,
    deployment,
    startedAt: context.clock.now(),
    status: '',
    gateDone: false,
    stopRequested: false,
  };
  try {
    return await poll<StrategyOutcome>(async () => {
      await observe(following);
      const step = stateSteps[following.status];
      return step ? step(following) : keepPolling;
    }, describePollOptions(context));
  } catch (error) {
    if (!(error instanceof DeadlineExceededError)) throw error;
    return atDeadline(following);
  }
}

export const codeDeployStrategy: DeployStrategy = {
  label: 'CodeDeploy blue/green',
  appliesTo: (service) => service.deploymentController?.type === 'CODE_DEPLOY',
  async assertIdle(context, service) {
    const active = await findActiveDeployment(context);
    if (active) {
      throw new DeploymentInProgressError(
        `deployment group ${context.codeDeployDeploymentGroup}`,
        active,
        codeDeployDeploymentUrl(context.region, active),
      );
    }
    // A second task set outside any listed deployment means a blue/green shift is mid-way.
    const sets = service.taskSets ?? [];
    const extra = sets.find((set) => set.status !== 'PRIMARY');
    if (extra) {
      throw new DeploymentInProgressError(
        `service ${context.service} (task set ${extra.id} is ${extra.status})`,
        extra.id ?? 'unknown task set',
        codeDeployDeploymentGroupUrl(
          context.region,
          context.codeDeployApplication,
          context.codeDeployDeploymentGroup,
        ),
      );
    }
  },
  async prepare(context, _service, request) {
    const group = await readDeploymentGroup(context);
    if (request.smokeGate) assertSmokeGateCanRun(context, group);
    const deploymentConfigName = request.deploymentConfigName ?? group.deploymentConfigName;
    return {
      deadline: deploymentDeadline({
        readyWaitMinutes: group.readyWaitMinutes,
        trafficShiftMinutes: await readTrafficShiftMinutes(context, deploymentConfigName),
        terminationWaitMinutes: group.terminationWaitMinutes,
        deploymentConfigName,
      }),
    };
  },
  async start(context, service, taskDefinitionArn, options = {}) {
    const id = await createDeployment(context, service, taskDefinitionArn, {
      description: `Deploy ${taskDefinitionArn.split('/').pop()}`,
      deploymentConfigName: options.deploymentConfigName,
    });
    context.timeline.add(`CreateDeployment ${id}`, 'info');
    return id;
  },
  follow: (context, deployment) => followCodeDeployDeployment(context, deployment),
};
