// The deploy verb: read the live service, register the new revision, refuse if another
// deployment runs, then hand over to the strategy that matches the service's controller.
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { type Clock, type TimelineEntry } from '@notify/actions-shared';
import type { SmokeReport } from '../../smoke-test/src/smoke.ts';
import { codeDeployStrategy } from './code-deploy.ts';
import type { DeploymentDeadline } from './deployment-group.ts';
import type { FailureReport } from './failure-report.ts';
import type { DeployInputs } from './inputs.ts';
import { rollingStrategy } from './rolling.ts';
import { describeService, liveTaskDefinitionArn } from './service.ts';
import type { DeployContext, DeployStatus, DeployStrategy, RunSmokeTests } from './strategy.ts';
import { smokeGateFor } from './smoke-gate.ts';
import {
  describeTaskDefinition,
  taskDefinitionFamily,
  pickContainerName,
  registerTaskDefinition,
  renderTaskDefinition,
} from './task-definition.ts';
import { Timeline } from './timeline.ts';

/** Ordered: the first strategy that applies to the live service is used. */
export const strategies: DeployStrategy[] = [codeDeployStrategy, rollingStrategy];

export function pickStrategy(service: Service): DeployStrategy {
  const strategy = strategies.find((candidate) => candidate.appliesTo(service));
  if (!strategy) {
    const controller = service.deploymentController?.type ?? 'ECS';
    const ecsStrategy = service.deploymentConfiguration?.strategy;
    throw new Error(
      `Service '${service.serviceName}' uses deployment controller ${controller}` +
        `${ecsStrategy ? ` with strategy ${ecsStrategy}` : ''}, which this action does not deploy yet ` +
        '(supported: CODE_DEPLOY blue/green, ECS rolling).',
    );
  }
  return strategy;
}

export interface DeployDependencies {
  ecs: ECSClient;
  codeDeploy: CodeDeployClient;
  /** Single-attempt client for CreateDeployment (see clients.ts). */
  codeDeployCreate: CodeDeployClient;
  clock: Clock;
  log: (line: string) => void;
  runSmokeTests: RunSmokeTests;
}

export interface DeployResult {
  status: DeployStatus;
  message: string;
  strategy: string;
  taskDefinitionArn: string;
  previousTaskDefinitionArn: string;
  deploymentId: string;
  containerName: string;
  image: string;
  startedAt: number;
  finishedAt: number;
  timeline: TimelineEntry[];
  trafficPercent?: number;
  smoke?: SmokeReport;
  failure?: FailureReport;
}

/** Deadline when neither the input nor the strategy gives one (ECS rolling). */
export const defaultTimeoutMs = 30 * 60_000;

/** Sets the context's deadline: the input if given, else the strategy's, else the default. */
export function applyDeadline(
  context: DeployContext,
  startedAt: number,
  overrideMs: number | undefined,
  derived: DeploymentDeadline | undefined,
): void {
  if (overrideMs !== undefined) {
    context.deadline = startedAt + overrideMs;
    context.timeline.add(`Deadline ${overrideMs / 60_000} min (timeout-minutes input)`, 'info');
  } else if (derived) {
    context.deadline = startedAt + derived.timeoutMs;
    context.timeline.add(derived.explanation, 'info');
  } else {
    context.deadline = startedAt + defaultTimeoutMs;
  }
}

export function createContext(
  inputs: Pick<
    DeployInputs,
    | 'region'
    | 'cluster'
    | 'service'
    | 'codeDeployApplication'
    | 'codeDeployDeploymentGroup'
    | 'pollIntervalMs'
    | 'timeoutMs'
  >,
  deps: Omit<DeployDependencies, 'runSmokeTests'>,
): DeployContext {
  return {
    ecs: deps.ecs,
    codeDeploy: deps.codeDeploy,
    codeDeployCreate: deps.codeDeployCreate,
    clock: deps.clock,
    log: deps.log,
    timeline: new Timeline(deps.clock, deps.log),
    region: inputs.region,
    cluster: inputs.cluster,
    service: inputs.service,
    codeDeployApplication: inputs.codeDeployApplication,
    codeDeployDeploymentGroup: inputs.codeDeployDeploymentGroup,
    pollIntervalMs: inputs.pollIntervalMs,
    deadline: deps.clock.now() + (inputs.timeoutMs ?? defaultTimeoutMs),
  };
}

export async function deploy(
  inputs: DeployInputs,
  deps: DeployDependencies,
): Promise<DeployResult> {
  const context = createContext(inputs, deps);
  const startedAt = deps.clock.now();
  const service = await describeService(deps.ecs, inputs.region, inputs.cluster, inputs.service);
  const strategy = pickStrategy(service);
  await strategy.assertIdle(context, service);
  const smokeGate = smokeGateFor(inputs, deps.runSmokeTests);
  // Before anything is registered: a smoke gate the group cannot hold fails here.
  const prepared = await strategy.prepare(context, service, {
    smokeGate: smokeGate !== undefined,
    deploymentConfigName: inputs.deploymentConfigName,
  });
  applyDeadline(context, startedAt, inputs.timeoutMs, prepared.deadline);

  const previousTaskDefinitionArn = liveTaskDefinitionArn(service);
  // Render from the family's newest ACTIVE revision, not the live one: Terraform owns every
  // setting but the image and registers its changes as new revisions that the service (which
  // ignores task_definition) does not run yet. Rendering from the live revision would drop them.
  const live = await describeTaskDefinition(
    deps.ecs,
    inputs.region,
    taskDefinitionFamily(previousTaskDefinitionArn),
  );
  const containerName = pickContainerName(live.taskDefinition, inputs.containerName);
  const registered = await registerTaskDefinition(
    deps.ecs,
    inputs.region,
    renderTaskDefinition(live, { image: inputs.image, containerName }),
  );
  const taskDefinitionArn = registered.taskDefinitionArn ?? '';
  context.timeline.add(
    `Registered ${taskDefinitionArn.split('/').pop()} (${containerName} → ${inputs.image})`,
    'info',
  );

  const deploymentId = await strategy.start(context, service, taskDefinitionArn, {
    deploymentConfigName: inputs.deploymentConfigName,
  });
  const outcome = await strategy.follow(context, {
    id: deploymentId,
    taskDefinitionArn,
    previousTaskDefinitionArn,
    smokeGate,
  });
  context.timeline.add(outcome.message, outcome.status === 'Succeeded' ? 'success' : 'failure');

  return {
    ...outcome,
    strategy: strategy.label,
    taskDefinitionArn,
    previousTaskDefinitionArn,
    containerName,
    image: inputs.image,
    startedAt,
    finishedAt: deps.clock.now(),
    timeline: context.timeline.entries,
  };
}
