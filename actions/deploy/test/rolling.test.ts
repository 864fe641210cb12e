import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Deployment,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { deploy } from '../src/deploy.ts';
import { renderDeploySummary } from '../src/report.ts';
import {
  apiInputs,
  cluster,
  liveTaskDefinition,
  passingSmoke,
  region,
  rollingService,
  stoppedTask,
  taskDefArn,
  testDeps,
  workerService,
} from './fixtures.ts';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region });
const codeDeploy = new CodeDeployClient({ region });
const codeDeployCreate = new CodeDeployClient({ region, maxAttempts: 1 });
const workerInputs = () =>
  apiInputs({
    service: workerService,
    image: `123456789012.dkr.ecr.${region}.amazonaws.com/notify-worker:new-sha`,
    testUrl: undefined,
    smokeToken: undefined,
  });
const runSmokeTests = async () => passingSmoke;

const oldDeployment: Deployment = {
  id: 'ecs-svc/old',
  status: 'ACTIVE',
  taskDefinition: taskDefArn(workerService, 7),
  desiredCount: 2,
  runningCount: 2,
  pendingCount: 0,
  rolloutState: 'COMPLETED',
};
const newDeployment = (extra: Partial<Deployment>): Deployment => ({
  id: 'ecs-svc/new',
  status: 'PRIMARY',
  taskDefinition: taskDefArn(workerService, 8),
  desiredCount: 2,
  runningCount: 0,
  pendingCount: 2,
  rolloutState: 'IN_PROGRESS',
  ...extra,
});

beforeEach(() => {
  ecsMock.reset();
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: liveTaskDefinition(workerService, 7, 'worker'),
  });
  ecsMock.on(RegisterTaskDefinitionCommand).callsFake((input) => ({
    taskDefinition: { ...input, taskDefinitionArn: taskDefArn(workerService, 8), revision: 8 },
  }));
  ecsMock.on(UpdateServiceCommand).resolves({
    service: rollingService({ deployments: [newDeployment({}), oldDeployment] }),
  });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
});

describe('deploy to an ECS rolling service', () => {
  it('updates the service and succeeds when the rollout completes', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [rollingService()] })
      .resolvesOnce({
        services: [rollingService({ deployments: [newDeployment({}), oldDeployment] })],
      })
      .resolvesOnce({
        services: [
          rollingService({
            deployments: [newDeployment({ runningCount: 2, pendingCount: 0 }), oldDeployment],
          }),
        ],
      })
      .resolves({
        services: [
          rollingService({
            deployments: [
              newDeployment({ runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED' }),
            ],
          }),
        ],
      });

    const result = await deploy(workerInputs(), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests,
    });

    expect(result.status).toBe('Succeeded');
    expect(result.deploymentId).toBe('ecs-svc/new');
    expect(result.previousTaskDefinitionArn).toBe(taskDefArn(workerService, 7));
    // Rendered from the family's newest ACTIVE revision, so Terraform's own changes carry over.
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand)[0].args[0].input).toEqual({
      taskDefinition: workerService,
      include: ['TAGS'],
    });
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0].args[0].input).toEqual({
      cluster,
      service: workerService,
      taskDefinition: taskDefArn(workerService, 8),
      forceNewDeployment: false,
    });
    expect(result.timeline.map((e) => e.text)).toEqual(
      expect.arrayContaining([
        'Rollout IN_PROGRESS: 0/2 running, 2 pending',
        'Rollout IN_PROGRESS: 2/2 running, 0 pending',
        'Rollout COMPLETED: 2/2 running, 0 pending',
      ]),
    );
  });

  it('fails with stopped task reasons and service events when the circuit breaker rolls back', async () => {
    const tripped = newDeployment({
      status: 'ACTIVE',
      runningCount: 0,
      pendingCount: 0,
      failedTasks: 3,
      rolloutState: 'FAILED',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    const rollback: Deployment = {
      id: 'ecs-svc/rollback',
      status: 'PRIMARY',
      taskDefinition: taskDefArn(workerService, 7),
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason:
        'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/old.',
    };
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [rollingService()] })
      .resolvesOnce({
        services: [
          rollingService({ deployments: [newDeployment({ failedTasks: 1 }), oldDeployment] }),
        ],
      })
      .resolves({
        services: [
          rollingService({
            deployments: [rollback, tripped],
            events: [
              {
                id: 'e2',
                createdAt: new Date('2026-01-01T12:00:20Z'),
                message:
                  '(service notify-staging-worker) (deployment ecs-svc/new) deployment failed: tasks failed to start.',
              },
              {
                id: 'e1',
                createdAt: new Date('2026-01-01T12:00:10Z'),
                message:
                  '(service notify-staging-worker) has started 2 tasks: (task aaa) (task bbb).',
              },
            ],
          }),
        ],
      });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: ['aaa'] });
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [
        {
          ...stoppedTask(
            'aaa',
            8,
            'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
          ),
          taskDefinitionArn: taskDefArn(workerService, 8),
        },
      ],
    });

    const result = await deploy(workerInputs(), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests,
    });

    expect(result.status).toBe('Failed');
    expect(result.message).toBe(
      'Deployment ecs-svc/new failed: ECS deployment circuit breaker: tasks failed to start. ECS rolled back to notify-staging-worker:7.',
    );
    expect(result.failure?.stoppedTasks[0].stoppedReason).toContain('CannotPullContainerError');
    expect(result.failure?.serviceEvents.map((e) => e.message)).toEqual([
      '(service notify-staging-worker) (deployment ecs-svc/new) deployment failed: tasks failed to start.',
      '(service notify-staging-worker) has started 2 tasks: (task aaa) (task bbb).',
    ]);
    // Service events appear in the timeline oldest first.
    const texts = result.timeline.map((e) => e.text);
    expect(texts.findIndex((t) => t.includes('has started 2 tasks'))).toBeLessThan(
      texts.findIndex((t) => t.includes('deployment failed')),
    );
    const summary = renderDeploySummary({ region, cluster, service: workerService }, result);
    expect(summary).toContain('CannotPullContainerError');
    expect(summary).toContain('Recent service events (2)');
  });

  it('treats a vanished deployment replaced by the old revision as a rollback', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [rollingService()] })
      .resolves({
        services: [
          rollingService({
            deployments: [
              {
                id: 'ecs-svc/rollback',
                status: 'PRIMARY',
                taskDefinition: taskDefArn(workerService, 7),
                rolloutState: 'IN_PROGRESS',
                rolloutStateReason:
                  'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/old.',
              },
            ],
          }),
        ],
      });
    const result = await deploy(workerInputs(), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests,
    });
    expect(result.status).toBe('Failed');
    expect(result.message).toBe(
      'Rolled back to notify-staging-worker:7: ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/old.',
    );
  });

  it('refuses while a rollout is in progress', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [rollingService({ deployments: [newDeployment({}), oldDeployment] })],
    });
    await expect(
      deploy(workerInputs(), { ecs, codeDeploy, codeDeployCreate, ...testDeps(), runSmokeTests }),
    ).rejects.toThrow(
      /Refusing to deploy: service notify-staging-worker \(notify-staging-worker:8, IN_PROGRESS\) has a deployment in progress \(ecs-svc\/new\)/,
    );
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('times out with a clear message, leaving ECS to finish or roll back', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [rollingService()] })
      .resolves({
        services: [rollingService({ deployments: [newDeployment({}), oldDeployment] })],
      });
    const result = await deploy(workerInputs(), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests,
    });
    expect(result.status).toBe('TimedOut');
    expect(result.message).toContain('had not completed after 30m 00s');
  });

  it('refuses strategies it does not implement yet, naming them', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [rollingService({ deploymentConfiguration: { strategy: 'BLUE_GREEN' } })],
    });
    await expect(
      deploy(workerInputs(), { ecs, codeDeploy, codeDeployCreate, ...testDeps(), runSmokeTests }),
    ).rejects.toThrow(
      'uses deployment controller ECS with strategy BLUE_GREEN, which this action does not deploy yet',
    );
  });
});
