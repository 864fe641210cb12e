// What every deployment strategy (CodeDeploy blue/green, ECS rolling, and later ECS native
// blue/green) shares: the context it runs in and the outcome it reports. deploy.ts picks the
// strategy from the live service; each strategy lives in its own module.
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { type Clock } from '@notify/actions-shared';
import type { SmokeOptions, SmokeReport } from '../../smoke-test/src/smoke.ts';
import type { DeploymentDeadline } from './deployment-group.ts';
import type { FailureReport } from './failure-report.ts';
import type { Timeline } from './timeline.ts';

export type RunSmokeTests = (options: SmokeOptions) => Promise<SmokeReport>;

export interface SmokeGate {
  /** Base URL of the ALB test listener that routes to the replacement tasks. */
  baseUrl: string;
  token: string;
  recipient: string;
  run: RunSmokeTests;
}

export interface DeployContext {
  ecs: ECSClient;
  codeDeploy: CodeDeployClient;
  /** Single-attempt client for CreateDeployment, which is not idempotent. */
  codeDeployCreate: CodeDeployClient;
  clock: Clock;
  timeline: Timeline;
  log: (line: string) => void;
  region: string;
  cluster: string;
  service: string;
  /** Steady poll interval (ms). */
  pollIntervalMs: number;
  /** Absolute deadline for the whole deploy (epoch ms on `clock`). */
  deadline: number;
  /** CodeDeploy application and deployment group (CODE_DEPLOY services only). */
  codeDeployApplication: string;
  codeDeployDeploymentGroup: string;
}

export type DeployStatus = 'Succeeded' | 'Failed' | 'Stopped' | 'TimedOut';

export interface StrategyOutcome {
  status: DeployStatus;
  deploymentId: string;
  /** One sentence: what happened. */
  message: string;
  /** Share of production traffic on the new tasks when following ended, if known. */
  trafficPercent?: number;
  /** When all production traffic was first on the new tasks (epoch ms), if it got there. */
  trafficShiftedAt?: number;
  smoke?: SmokeReport;
  failure?: FailureReport;
}

/** Thrown when the service is already being deployed; names the running deployment. */
export class DeploymentInProgressError extends Error {
  readonly deploymentId: string;
  readonly url: string;
  constructor(what: string, deploymentId: string, url: string) {
    super(
      `Refusing to deploy: ${what} has a deployment in progress (${deploymentId}). ` +
        `Wait for it to finish or roll it back, then run again. ${url}`,
    );
    this.name = 'DeploymentInProgressError';
    this.deploymentId = deploymentId;
    this.url = url;
  }
}

export interface PrepareRequest {
  /** A smoke gate at Ready was asked for (test-url given). */
  smokeGate: boolean;
  /** Deployment config for this deployment instead of the deployment group's. */
  deploymentConfigName?: string;
}

export interface Prepared {
  /** The deadline the strategy derives from the live configuration, when it can. */
  deadline?: DeploymentDeadline;
}

export interface StartOptions {
  deploymentConfigName?: string;
}

export interface DeployStrategy {
  /** Shown in the summary, e.g. 'CodeDeploy blue/green'. */
  readonly label: string;
  appliesTo(service: Service): boolean;
  /** Throws DeploymentInProgressError when a deployment is already running. */
  assertIdle(context: DeployContext, service: Service): Promise<void>;
  /** Verifies the target can do what is asked (throws if not) and derives a deadline. */
  prepare(context: DeployContext, service: Service, request: PrepareRequest): Promise<Prepared>;
  /** Starts the deployment of `taskDefinitionArn` and returns its id. */
  start(
    context: DeployContext,
    service: Service,
    taskDefinitionArn: string,
    options?: StartOptions,
  ): Promise<string>;
  /** Follows a started deployment to its end or the deadline. */
  follow(
    context: DeployContext,
    deployment: {
      id: string;
      taskDefinitionArn: string;
      previousTaskDefinitionArn: string;
      smokeGate?: SmokeGate;
      /** CodeDeploy: stop with rollback at the deadline (default). Rollbacks leave it running. */
      stopAtDeadline?: boolean;
    },
  ): Promise<StrategyOutcome>;
}
