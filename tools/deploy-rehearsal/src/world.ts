// What the stand-in knows about one AWS account: an ECS cluster with its services and task
// definitions, the CodeDeploy application, deployment groups and deployment configs that
// manage the blue/green service, and the test listener's security group. Seeded the way the repository's Terraform builds them
// (terraform/modules/delivery), with times scaled so a rehearsal takes seconds, not minutes.

export const ACCOUNT = '123456789012';

export interface TaskDefinitionRecord {
  family: string;
  revision: number;
  arn: string;
  status: 'ACTIVE' | 'INACTIVE';
  body: Record<string, unknown>;
  tags: { key: string; value: string }[];
  registeredAt: Date;
}

export interface TaskSetRecord {
  id: string;
  taskDefinition: string;
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING';
  desiredCount: number;
  runningCount: number;
  trafficWeight: number;
  targetGroup: string;
  label: 'Blue' | 'Green';
}

export interface RollingDeploymentRecord {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason?: string;
  desiredCount: number;
  runningCount: number;
  createdAt: Date;
  completesAt: number;
}

export interface ServiceRecord {
  name: string;
  controller: 'CODE_DEPLOY' | 'ECS';
  taskDefinition: string;
  desiredCount: number;
  containerName: string;
  containerPort: number;
  taskSets: TaskSetRecord[];
  deployments: RollingDeploymentRecord[];
  events: { id: string; createdAt: Date; message: string }[];
}

export interface DeploymentGroupRecord {
  application: string;
  name: string;
  service: string;
  deploymentConfigName: string;
  /** 0 with CONTINUE_DEPLOYMENT: the deployment never waits at Ready. */
  readyWaitMinutes: number;
  actionOnTimeout: 'STOP_DEPLOYMENT' | 'CONTINUE_DEPLOYMENT';
  terminationWaitMinutes: number;
  targetGroups: [string, string];
}

export interface IngressRuleRecord {
  id: string;
  protocol: string;
  fromPort: number;
  toPort: number;
  /** Canonical IPv4 CIDR, as EC2 stores it. */
  cidr: string;
  description?: string;
}

export interface SecurityGroupRecord {
  id: string;
  vpcId: string;
  ingress: IngressRuleRecord[];
  /** Every change, in order: when a rule was added or removed, and by which SDK attempt. */
  history: {
    at: number;
    change: 'authorized' | 'revoked';
    rule: IngressRuleRecord;
    attempt: number;
  }[];
}

/** The blue/green test listener's group (terraform/modules/load-balancer: no ingress). */
export const TEST_LISTENER_SECURITY_GROUP = 'sg-0a1b2c3d4e5f60718';

export type TrafficRouting =
  | { type: 'AllAtOnce' }
  | { type: 'TimeBasedCanary'; percentage: number; intervalMinutes: number }
  | { type: 'TimeBasedLinear'; percentage: number; intervalMinutes: number };

export interface WorldOptions {
  region?: string;
  cluster?: string;
  /** Real milliseconds per CodeDeploy minute (ready wait, canary interval, termination wait). */
  minuteMs?: number;
  /** Real milliseconds per lifecycle step (install, test traffic, ...). */
  stepMs?: number;
  /** Ready wait of the API's deployment group; 0 makes it a group without a Ready wait. */
  readyWaitMinutes?: number;
  terminationWaitMinutes?: number;
  deploymentConfigName?: string;
  /**
   * Standing rules of the test listener's group (Terraform's test_listener_cidr_blocks), each
   * on `testListenerPort`.
   */
  testListenerCidrBlocks?: string[];
  testListenerPort?: number;
}

export class World {
  readonly region: string;
  readonly cluster: string;
  readonly minuteMs: number;
  readonly stepMs: number;
  readonly taskDefinitions: TaskDefinitionRecord[] = [];
  readonly services = new Map<string, ServiceRecord>();
  readonly applications = new Set<string>();
  readonly deploymentGroups = new Map<string, DeploymentGroupRecord>();
  readonly securityGroups = new Map<string, SecurityGroupRecord>();
  readonly deploymentConfigs = new Map<string, TrafficRouting>([
    ['CodeDeployDefault.ECSAllAtOnce', { type: 'AllAtOnce' }],
    [
      'CodeDeployDefault.ECSCanary10Percent5Minutes',
      { type: 'TimeBasedCanary', percentage: 10, intervalMinutes: 5 },
    ],
    [
      'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      { type: 'TimeBasedLinear', percentage: 10, intervalMinutes: 1 },
    ],
  ]);
  #ids = 0;

  constructor(options: WorldOptions = {}) {
    this.region = options.region ?? 'eu-west-1';
    this.cluster = options.cluster ?? 'notify-staging';
    this.minuteMs = options.minuteMs ?? 1_000;
    this.stepMs = options.stepMs ?? 150;
    const api = 'notify-staging-api';
    const worker = 'notify-staging-worker';
    const apiV1 = this.registerTaskDefinition(baseTaskDefinition(api, 'api', 3000), [], true);
    this.registerTaskDefinition(baseTaskDefinition(worker, 'worker', 3001), [], true);
    this.services.set(api, {
      name: api,
      controller: 'CODE_DEPLOY',
      taskDefinition: apiV1.arn,
      desiredCount: 2,
      containerName: 'api',
      containerPort: 3000,
      taskSets: [
        {
          id: this.nextId('ecs-svc/'),
          taskDefinition: apiV1.arn,
          status: 'PRIMARY',
          desiredCount: 2,
          runningCount: 2,
          trafficWeight: 100,
          targetGroup: `${api}-blue`,
          label: 'Blue',
        },
      ],
      deployments: [],
      events: [],
    });
    const workerDef = this.latestActive(worker)!;
    this.services.set(worker, {
      name: worker,
      controller: 'ECS',
      taskDefinition: workerDef.arn,
      desiredCount: 1,
      containerName: 'worker',
      containerPort: 3001,
      taskSets: [],
      deployments: [
        {
          id: this.nextId('ecs-svc/'),
          status: 'PRIMARY',
          taskDefinition: workerDef.arn,
          rolloutState: 'COMPLETED',
          desiredCount: 1,
          runningCount: 1,
          createdAt: new Date(),
          completesAt: 0,
        },
      ],
      events: [],
    });
    this.applications.add(api);
    this.deploymentGroups.set(`${api}/${api}`, {
      application: api,
      name: api,
      service: api,
      deploymentConfigName:
        options.deploymentConfigName ?? 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      readyWaitMinutes: options.readyWaitMinutes ?? 30,
      actionOnTimeout:
        (options.readyWaitMinutes ?? 30) > 0 ? 'STOP_DEPLOYMENT' : 'CONTINUE_DEPLOYMENT',
      terminationWaitMinutes: options.terminationWaitMinutes ?? 2,
      targetGroups: [`${api}-blue`, `${api}-green`],
    });
    this.securityGroups.set(TEST_LISTENER_SECURITY_GROUP, {
      id: TEST_LISTENER_SECURITY_GROUP,
      vpcId: 'vpc-0123456789abcdef0',
      ingress: (options.testListenerCidrBlocks ?? []).map((cidr) => ({
        id: this.nextId('sgr-'),
        protocol: 'tcp',
        fromPort: options.testListenerPort ?? 8443,
        toPort: options.testListenerPort ?? 8443,
        cidr,
        description: 'Blue/green test listener',
      })),
      history: [],
    });
  }

  nextId(prefix: string): string {
    this.#ids += 1;
    return `${prefix}${String(this.#ids).padStart(6, '0')}${Math.random().toString(36).slice(2, 8)}`;
  }

  arn(resource: string): string {
    return `arn:aws:ecs:${this.region}:${ACCOUNT}:${resource}`;
  }

  registerTaskDefinition(
    body: Record<string, unknown>,
    tags: { key: string; value: string }[],
    deployTagged = false,
  ): TaskDefinitionRecord {
    const family = String(body.family);
    const revision =
      Math.max(
        0,
        ...this.taskDefinitions.filter((t) => t.family === family).map((t) => t.revision),
      ) + 1;
    const record: TaskDefinitionRecord = {
      family,
      revision,
      arn: this.arn(`task-definition/${family}:${revision}`),
      status: 'ACTIVE',
      body: { ...body, family },
      tags: deployTagged ? [...tags, { key: 'notify:deployed-by', value: 'deploy-action' }] : tags,
      registeredAt: new Date(),
    };
    this.taskDefinitions.push(record);
    return record;
  }

  latestActive(family: string): TaskDefinitionRecord | undefined {
    return this.taskDefinitions
      .filter((t) => t.family === family && t.status === 'ACTIVE')
      .sort((a, b) => b.revision - a.revision)[0];
  }

  /** A task definition by full ARN, family:revision or family (newest ACTIVE). */
  findTaskDefinition(ref: string): TaskDefinitionRecord | undefined {
    const name = ref.split('/').pop() ?? ref;
    const match = /^(.+):(\d+)$/.exec(name);
    if (!match) return this.latestActive(name);
    return this.taskDefinitions.find(
      (t) => t.family === match[1] && t.revision === Number(match[2]),
    );
  }
}

function baseTaskDefinition(family: string, container: string, port: number) {
  return {
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/${family}-execution`,
    taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/${family}-task`,
    containerDefinitions: [
      {
        name: container,
        image: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/${family}:v1`,
        essential: true,
        portMappings: [{ containerPort: port, protocol: 'tcp' }],
        readonlyRootFilesystem: true,
      },
    ],
  };
}
