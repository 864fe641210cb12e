// What the CodeDeploy deployment group promises before we deploy to it: whether it waits at
// Ready (the only moment a smoke gate can hold production traffic back), and how long a
// deployment can take, from its ready wait, its deployment config's traffic shifting and its
// termination wait. Read once per deploy, like ecspresso's `verify`.
import {
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  type TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';
import { callAws, codeDeployDeploymentGroupUrl } from '@notify/actions-shared';
import type { DeployContext } from './strategy.ts';

export interface DeploymentGroupSettings {
  deploymentConfigName: string;
  /** STOP_DEPLOYMENT at Ready with a wait: CodeDeploy holds production traffic for us. */
  waitsAtReady: boolean;
  actionOnTimeout: string;
  /** Minutes CodeDeploy waits at Ready (0 when it does not wait). */
  readyWaitMinutes: number;
  /** Minutes the original task set keeps running after all traffic moved. */
  terminationWaitMinutes: number;
}

/** Time for replacement tasks to start and pass health checks, and for the last polls. */
export const deadlineMarginMinutes = 10;

export async function readDeploymentGroup(
  context: DeployContext,
): Promise<DeploymentGroupSettings> {
  const group = `${context.codeDeployApplication}/${context.codeDeployDeploymentGroup}`;
  const response = await callAws(
    {
      operation: 'codedeploy:GetDeploymentGroup',
      resource: `deployment group ${group}`,
      region: context.region,
    },
    () =>
      context.codeDeploy.send(
        new GetDeploymentGroupCommand({
          applicationName: context.codeDeployApplication,
          deploymentGroupName: context.codeDeployDeploymentGroup,
        }),
      ),
  );
  const info = response.deploymentGroupInfo;
  const blueGreen = info?.blueGreenDeploymentConfiguration;
  const ready = blueGreen?.deploymentReadyOption;
  const actionOnTimeout = ready?.actionOnTimeout ?? 'CONTINUE_DEPLOYMENT';
  const waitsAtReady = actionOnTimeout === 'STOP_DEPLOYMENT' && (ready?.waitTimeInMinutes ?? 0) > 0;
  return {
    deploymentConfigName: info?.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce',
    waitsAtReady,
    actionOnTimeout,
    readyWaitMinutes: waitsAtReady ? (ready?.waitTimeInMinutes ?? 0) : 0,
    terminationWaitMinutes:
      blueGreen?.terminateBlueInstancesOnDeploymentSuccess?.terminationWaitTimeInMinutes ?? 0,
  };
}

/** Refuses a smoke gate the group cannot hold: without a Ready wait it would never run. */
export function assertSmokeGateCanRun(
  context: DeployContext,
  settings: DeploymentGroupSettings,
): void {
  if (settings.waitsAtReady) return;
  const group = `${context.codeDeployApplication}/${context.codeDeployDeploymentGroup}`;
  throw new Error(
    `Refusing to deploy: 'test-url' asks for a smoke test at Ready, but deployment group ${group} ` +
      `does not wait at Ready (deploymentReadyOption.actionOnTimeout ${settings.actionOnTimeout}` +
      `${settings.actionOnTimeout === 'STOP_DEPLOYMENT' ? ' with no wait time' : ''}), so ` +
      'production traffic would shift before any smoke test. Set ready_wait_time_in_minutes above ' +
      "0 in the environment's Terraform (STOP_DEPLOYMENT with a wait), or leave 'test-url' empty. " +
      codeDeployDeploymentGroupUrl(
        context.region,
        context.codeDeployApplication,
        context.codeDeployDeploymentGroup,
      ),
  );
}

/** Minutes from the first traffic shift to the last under a deployment config. */
export function trafficShiftMinutes(routing: TrafficRoutingConfig | undefined): number {
  if (routing?.type === 'TimeBasedCanary') return routing.timeBasedCanary?.canaryInterval ?? 0;
  if (routing?.type === 'TimeBasedLinear') {
    const percent = routing.timeBasedLinear?.linearPercentage ?? 100;
    const interval = routing.timeBasedLinear?.linearInterval ?? 0;
    return Math.max(0, Math.ceil(100 / Math.max(percent, 1)) - 1) * interval;
  }
  return 0;
}

export async function readTrafficShiftMinutes(
  context: DeployContext,
  deploymentConfigName: string,
): Promise<number> {
  const response = await callAws(
    {
      operation: 'codedeploy:GetDeploymentConfig',
      resource: `deployment config ${deploymentConfigName}`,
      region: context.region,
    },
    () => context.codeDeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName })),
  );
  return trafficShiftMinutes(response.deploymentConfigInfo?.trafficRoutingConfig);
}

export interface DeploymentDeadline {
  timeoutMs: number;
  /** How it was derived, for the timeline. */
  explanation: string;
}

export function deploymentDeadline(parts: {
  readyWaitMinutes: number;
  trafficShiftMinutes: number;
  terminationWaitMinutes: number;
  deploymentConfigName: string;
}): DeploymentDeadline {
  const minutes =
    parts.readyWaitMinutes +
    parts.trafficShiftMinutes +
    parts.terminationWaitMinutes +
    deadlineMarginMinutes;
  return {
    timeoutMs: minutes * 60_000,
    explanation:
      `Deadline ${minutes} min from the deployment group: ready wait ${parts.readyWaitMinutes} + ` +
      `traffic shift ${parts.trafficShiftMinutes} (${parts.deploymentConfigName}) + ` +
      `termination wait ${parts.terminationWaitMinutes} + margin ${deadlineMarginMinutes}`,
  };
}
