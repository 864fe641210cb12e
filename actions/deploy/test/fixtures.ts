// Realistic AWS responses for a staging environment: cluster notify-staging, the API on
// CodeDeploy blue/green and the worker on ECS rolling updates.
import type {
  DeploymentConfigInfo,
  DeploymentGroupInfo,
  DeploymentInfo,
  ECSTarget,
} from '@aws-sdk/client-codedeploy';
import type { Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import { createManualClock } from '@notify/actions-shared';
import type { SmokeReport } from '../../smoke-test/src/smoke.ts';
import type { DeployInputs } from '../src/inputs.ts';

export const region = 'eu-west-1';
export const account = '123456789012';
export const cluster = 'notify-staging';
export const apiService = 'notify-staging-api';
export const workerService = 'notify-staging-worker';
export const taskDefArn = (family: string, revision: number) =>
  `arn:aws:ecs:${region}:${account}:task-definition/${family}:${revision}`;
export const apiImage = (tag: string) =>
  `${account}.dkr.ecr.${region}.amazonaws.com/notify-api:${tag}`;

export function liveTaskDefinition(
  family: string,
  revision: number,
  container: string,
): TaskDefinition {
  return {
    taskDefinitionArn: taskDefArn(family, revision),
    family,
    revision,
    status: 'ACTIVE',
    taskRoleArn: `arn:aws:iam::${account}:role/${family}-task`,
    executionRoleArn: `arn:aws:iam::${account}:role/${family}-exec`,
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    requiresCompatibilities: ['FARGATE'],
    compatibilities: ['EC2', 'FARGATE'],
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
    registeredAt: new Date('2026-01-01T10:00:00Z'),
    registeredBy: `arn:aws:sts::${account}:assumed-role/notify-deploy/gha`,
    runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
    containerDefinitions: [
      {
        name: container,
        image: apiImage('old-sha'),
        essential: true,
        portMappings: [{ containerPort: 3000, protocol: 'tcp' }],
        readonlyRootFilesystem: true,
        secrets: [
          {
            name: 'API_TOKENS',
            valueFrom: `arn:aws:secretsmanager:${region}:${account}:secret:tokens`,
          },
        ],
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': `/ecs/${family}`,
            'awslogs-region': region,
            'awslogs-stream-prefix': container,
          },
        },
      },
      {
        name: 'log-router',
        image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
        essential: false,
      },
    ],
  };
}

export function codeDeployService(overrides: Partial<Service> = {}): Service {
  return {
    serviceName: apiService,
    serviceArn: `arn:aws:ecs:${region}:${account}:service/${cluster}/${apiService}`,
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    platformVersion: 'LATEST',
    taskDefinition: taskDefArn(apiService, 41),
    deploymentController: { type: 'CODE_DEPLOY' },
    loadBalancers: [
      {
        targetGroupArn: `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/notify-staging-api-blue/abc`,
        containerName: 'api',
        containerPort: 3000,
      },
    ],
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: ['subnet-a', 'subnet-b'],
        securityGroups: ['sg-api'],
        assignPublicIp: 'DISABLED',
      },
    },
    taskSets: [
      { id: 'ecs-svc/1111', status: 'PRIMARY', taskDefinition: taskDefArn(apiService, 41) },
    ],
    deployments: [],
    events: [],
    ...overrides,
  };
}

export function rollingService(overrides: Partial<Service> = {}): Service {
  return {
    serviceName: workerService,
    serviceArn: `arn:aws:ecs:${region}:${account}:service/${cluster}/${workerService}`,
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    taskDefinition: taskDefArn(workerService, 7),
    deploymentController: { type: 'ECS' },
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    deployments: [
      {
        id: 'ecs-svc/old',
        status: 'PRIMARY',
        taskDefinition: taskDefArn(workerService, 7),
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        rolloutState: 'COMPLETED',
      },
    ],
    events: [],
    ...overrides,
  };
}

export function deploymentInfo(
  status: DeploymentInfo['status'],
  extra: Partial<DeploymentInfo> = {},
) {
  return {
    deploymentInfo: {
      deploymentId: 'd-NEWDEPLOY',
      applicationName: apiService,
      deploymentGroupName: apiService,
      computePlatform: 'ECS',
      status,
      deploymentOverview: {
        Pending: status === 'Created' ? 1 : 0,
        InProgress: status === 'InProgress' ? 1 : 0,
        Ready: status === 'Ready' ? 1 : 0,
        Succeeded: status === 'Succeeded' ? 1 : 0,
        Failed: status === 'Failed' ? 1 : 0,
        Skipped: 0,
      },
      ...extra,
    } satisfies DeploymentInfo,
  };
}

type EventStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped';

/** The ECS target as CodeDeploy reports it: lifecycle events in order, and both task sets. */
export function ecsTarget(
  events: Partial<Record<string, EventStatus>>,
  greenWeight: number,
  failure?: { event: string; message: string },
) {
  const names = [
    'BeforeInstall',
    'Install',
    'AfterInstall',
    'BeforeAllowTraffic',
    'AllowTraffic',
    'AfterAllowTraffic',
  ];
  const target: ECSTarget = {
    deploymentId: 'd-NEWDEPLOY',
    targetId: `${cluster}:${apiService}`,
    status: 'InProgress',
    lifecycleEvents: names.map((name) => ({
      lifecycleEventName: name,
      status: events[name] ?? 'Pending',
      diagnostics:
        failure?.event === name
          ? { errorCode: 'ScriptFailed', message: failure.message }
          : undefined,
    })),
    taskSetsInfo: [
      {
        identifer: 'ecs-svc/1111',
        taskSetLabel: 'Blue',
        trafficWeight: 100 - greenWeight,
        desiredCount: 2,
        runningCount: 2,
        status: 'PRIMARY',
      },
      {
        identifer: 'ecs-svc/2222',
        taskSetLabel: 'Green',
        trafficWeight: greenWeight,
        desiredCount: 2,
        runningCount: 2,
        status: 'ACTIVE',
      },
    ],
  };
  return { deploymentTargets: [{ deploymentTargetType: 'ECSTarget' as const, ecsTarget: target }] };
}

export function stoppedTask(
  id: string,
  revision: number,
  reason: string,
  containerReason?: string,
): Task {
  return {
    taskArn: `arn:aws:ecs:${region}:${account}:task/${cluster}/${id}`,
    taskDefinitionArn: taskDefArn(apiService, revision),
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    stopCode: 'EssentialContainerExited',
    stoppedReason: reason,
    stoppedAt: new Date('2026-01-01T12:03:00Z'),
    containers: [{ name: 'api', exitCode: 1, reason: containerReason }],
  };
}

export function apiInputs(overrides: Partial<DeployInputs> = {}): DeployInputs {
  return {
    region,
    cluster,
    service: apiService,
    image: apiImage('new-sha'),
    codeDeployApplication: apiService,
    codeDeployDeploymentGroup: apiService,
    testUrl: 'http://alb.internal:8443',
    smokeToken: 'token',
    smokeRecipient: 'success@simulator.amazonses.com',
    timeoutMs: 30 * 60_000,
    pollIntervalMs: 5_000,
    environment: 'staging',
    ...overrides,
  };
}

export const passingSmoke: SmokeReport = {
  passed: 2,
  failed: 0,
  checks: [
    { name: 'liveness', ok: true, latencyMs: 12, detail: 'GET /healthz 200' },
    { name: 'notification accepted', ok: true, latencyMs: 40, detail: '202 queued' },
  ],
};

export const failingSmoke: SmokeReport = {
  passed: 1,
  failed: 1,
  checks: [
    { name: 'liveness', ok: true, latencyMs: 12, detail: 'GET /healthz 200' },
    { name: 'readiness', ok: false, latencyMs: 30, detail: 'GET /readyz 503: queue unreachable' },
  ],
};

export function testDeps() {
  const clock = createManualClock(Date.parse('2026-01-01T12:00:00Z'));
  const lines: string[] = [];
  return { clock, lines, log: (line: string) => lines.push(line) };
}

/** GetDeploymentGroup for the API's group as Terraform creates it (modules/codedeploy). */
export function deploymentGroup(
  options: {
    actionOnTimeout?: 'STOP_DEPLOYMENT' | 'CONTINUE_DEPLOYMENT';
    readyWaitMinutes?: number;
    terminationWaitMinutes?: number;
    deploymentConfigName?: string;
  } = {},
) {
  const actionOnTimeout = options.actionOnTimeout ?? 'STOP_DEPLOYMENT';
  return {
    deploymentGroupInfo: {
      applicationName: apiService,
      deploymentGroupId: '6f1a2b3c-0000-4000-8000-000000000001',
      deploymentGroupName: apiService,
      deploymentConfigName: options.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce',
      computePlatform: 'ECS',
      serviceRoleArn: `arn:aws:iam::${account}:role/${apiService}-codedeploy`,
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      blueGreenDeploymentConfiguration: {
        // CONTINUE_DEPLOYMENT carries no wait time (Terraform sends null).
        deploymentReadyOption:
          actionOnTimeout === 'STOP_DEPLOYMENT'
            ? { actionOnTimeout, waitTimeInMinutes: options.readyWaitMinutes ?? 30 }
            : { actionOnTimeout },
        terminateBlueInstancesOnDeploymentSuccess: {
          action: 'TERMINATE',
          terminationWaitTimeInMinutes: options.terminationWaitMinutes ?? 5,
        },
      },
      ecsServices: [{ serviceName: apiService, clusterName: cluster }],
      autoRollbackConfiguration: {
        enabled: true,
        events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'],
      },
    } satisfies DeploymentGroupInfo,
  };
}

/** GetDeploymentConfig for the predefined ECS configs, with their documented routing. */
export function deploymentConfig(name: string) {
  const routing: Record<string, DeploymentConfigInfo['trafficRoutingConfig']> = {
    'CodeDeployDefault.ECSAllAtOnce': { type: 'AllAtOnce' },
    'CodeDeployDefault.ECSCanary10Percent5Minutes': {
      type: 'TimeBasedCanary',
      timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 },
    },
    'CodeDeployDefault.ECSCanary10Percent15Minutes': {
      type: 'TimeBasedCanary',
      timeBasedCanary: { canaryPercentage: 10, canaryInterval: 15 },
    },
    'CodeDeployDefault.ECSLinear10PercentEvery1Minutes': {
      type: 'TimeBasedLinear',
      timeBasedLinear: { linearPercentage: 10, linearInterval: 1 },
    },
    'CodeDeployDefault.ECSLinear10PercentEvery3Minutes': {
      type: 'TimeBasedLinear',
      timeBasedLinear: { linearPercentage: 10, linearInterval: 3 },
    },
  };
  if (!(name in routing)) {
    throw Object.assign(new Error(`The deployment configuration ${name} does not exist.`), {
      name: 'DeploymentConfigDoesNotExistException',
      $metadata: { httpStatusCode: 400 },
    });
  }
  return {
    deploymentConfigInfo: {
      deploymentConfigId: `id-${name}`,
      deploymentConfigName: name,
      computePlatform: 'ECS',
      trafficRoutingConfig: routing[name],
    } satisfies DeploymentConfigInfo,
  };
}
