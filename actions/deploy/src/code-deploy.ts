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
  isThrottlingError,
  codeDeployDeploymentGroupUrl,
  codeDeployDeploymentUrl,
  DeadlineExceededError,
  poll,
  formatDuration,
} from '@notify/actions-shared';
import type { SmokeOptions, SmokeReport } from '../../smoke-test/src/smoke.ts';
import { findActiveDeployment } from './active-deployments.ts';
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

/**
 * Follows a CodeDeploy deployment until it ends or the deadline passes. At Ready (test
 * traffic on the replacement tasks, production still on the original) it runs the smoke gate
 * and continues or stops with rollback.
 */
export async function followCodeDeployDeployment(
  context: DeployContext,
  deployment: {
    id: string;
    taskDefinitionArn: string;
    smokeGate?: SmokeGate;
    stopAtDeadline?: boolean;
  },
): Promise<StrategyOutcome> {
  const startedAt = context.clock.now();
  const deploymentId = deployment.id;
  const url = codeDeployDeploymentUrl(context.region, deploymentId);
  let trafficPercent: number | undefined;
  let smoke: SmokeReport | undefined;
  let gateDone = false;
  let stopRequested = false;
  let lastTarget: ECSTarget | undefined;
  let lastStatus = '';
  /** When all production traffic was first seen on the replacement tasks. */
  let trafficShiftedAt: number | undefined;

  const finish = async (
    status: StrategyOutcome['status'],
    message: string,
    info?: DeploymentInfo,
  ): Promise<StrategyOutcome> => {
    const failure =
      status === 'Succeeded'
        ? undefined
        : await failureReport(context, info, lastTarget, deployment.taskDefinitionArn, startedAt);
    return { status, deploymentId, message, trafficPercent, trafficShiftedAt, smoke, failure };
  };

  try {
    return await poll<StrategyOutcome>(
      async () => {
        const response = await callAws(
          { operation: 'codedeploy:GetDeployment', resource: deploymentId, region: context.region },
          () => context.codeDeploy.send(new GetDeploymentCommand({ deploymentId })),
        );
        const info = response.deploymentInfo;
        const status = info?.status ?? 'Unknown';
        lastStatus = status;
        const overview = info?.deploymentOverview;
        context.timeline.change(
          'status',
          `Deployment ${status}${overview?.Failed ? ` (${overview.Failed} target failed)` : ''}`,
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
            lastTarget = target;
            trafficPercent = recordTargetProgress(context, target) ?? trafficPercent;
          }
        }

        if (
          trafficShiftedAt === undefined &&
          trafficFullyShifted(status, lastTarget, trafficPercent)
        ) {
          trafficShiftedAt = context.clock.now();
        }
        if (status === 'Succeeded') {
          trafficPercent = 100;
          trafficShiftedAt ??= context.clock.now();
          return {
            done: true,
            value: await finish('Succeeded', `Deployment ${deploymentId} succeeded.`),
          };
        }
        if (status === 'Failed' || status === 'Stopped') {
          const reason = info?.errorInformation?.message ?? info?.rollbackInfo?.rollbackMessage;
          const message =
            smoke && smoke.failed > 0
              ? `Smoke test failed at Ready; deployment ${deploymentId} stopped and rolled back: ${describeSmokeFailure(smoke)}`
              : `Deployment ${deploymentId} ${status.toLowerCase()}${reason ? `: ${reason}` : ''}.`;
          return {
            done: true,
            value: await finish(
              stopRequested || status === 'Stopped' ? 'Stopped' : 'Failed',
              message,
              info,
            ),
          };
        }
        if (status === 'Ready' && !gateDone) {
          gateDone = true;
          if (!deployment.smokeGate) {
            context.timeline.add(
              'Ready: no test-url given, so no smoke test; continuing to shift production traffic',
              'warning',
            );
          } else {
            const gate = deployment.smokeGate;
            context.timeline.add(
              `Ready: smoke testing the replacement tasks at ${gate.baseUrl}`,
              'running',
            );
            const remaining = Math.max(1_000, context.deadline - context.clock.now());
            smoke = await runGate(gate, {
              baseUrl: gate.baseUrl,
              token: gate.token,
              recipient: gate.recipient,
              deadlineMs: Math.min(remaining, 120_000),
              log: context.log,
            });
            if (smoke.failed > 0) {
              stopRequested = true;
              context.timeline.add(
                `Smoke test failed (${smoke.failed} of ${smoke.checks.length} checks): ${describeSmokeFailure(smoke)}`,
                'failure',
              );
              await stopWithRollback(context, deploymentId, 'smoke test failed at Ready');
              return { done: false };
            }
            context.timeline.add(`Smoke test passed (${smoke.passed} checks)`, 'success');
          }
          await callAws(
            {
              operation: 'codedeploy:ContinueDeployment',
              resource: deploymentId,
              region: context.region,
            },
            () =>
              context.codeDeploy.send(
                new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'READY_WAIT' }),
              ),
          );
          context.timeline.add('ContinueDeployment: shifting production traffic', 'running');
        }
        return { done: false };
      },
      {
        intervalMs: context.pollIntervalMs,
        deadline: context.deadline,
        clock: context.clock,
        isRetryableError: isThrottlingError,
        onRetryableError: (_error, delay) =>
          context.log(`AWS throttled a describe call; backing off ${formatDuration(delay)}`),
      },
    );
  } catch (error) {
    if (!(error instanceof DeadlineExceededError)) throw error;
    const waited = formatDuration(context.clock.now() - startedAt);
    if (trafficFullyShifted(lastStatus, lastTarget, trafficPercent)) {
      // Production traffic is already on the new tasks (Baking, or InProgress during the
      // termination wait): stopping now would move it back and be a fresh outage risk.
      return finish(
        'TimedOut',
        `Deployment ${deploymentId} shifted all traffic but was still ${lastStatus} after ${waited} ` +
          `(termination wait); it was left running (CodeDeploy still rolls back on alarms). ${url}`,
      );
    }
    if (deployment.stopAtDeadline === false) {
      return finish(
        'TimedOut',
        `Deployment ${deploymentId} had not finished after ${waited}; it was left running. ${url}`,
      );
    }
    if (!stopRequested) {
      await stopWithRollback(context, deploymentId, `deadline passed after ${waited}`);
    }
    return finish(
      'TimedOut',
      `Deployment ${deploymentId} did not finish before the deadline (${waited}); it was stopped with rollback. ${url}`,
    );
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
