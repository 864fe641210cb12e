import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  apiService,
  cluster,
  codeDeployService,
  deploymentConfig,
  deploymentGroup,
  deploymentInfo,
  ecsTarget,
  liveTaskDefinition,
  passingSmoke,
  region,
  rollingService,
  taskDefArn,
  testDeps,
  workerService,
} from '../../deploy/test/fixtures.ts';
import { DEPLOYED_BY_TAG } from '../../deploy/src/task-definition.ts';
import type { RollbackInputs } from '../src/inputs.ts';
import { renderRollbackSummary } from '../src/report.ts';
import { rollback } from '../src/rollback.ts';

const ecsMock = mockClient(ECSClient);
const codeDeployMock = mockClient(CodeDeployClient);
const ecs = new ECSClient({ region });
const codeDeploy = new CodeDeployClient({ region });
const codeDeployCreate = new CodeDeployClient({ region, maxAttempts: 1 });
const runSmokeTests = async () => passingSmoke;

const inputs = (overrides: Partial<RollbackInputs> = {}): RollbackInputs => ({
  region,
  cluster,
  service: apiService,
  target: '',
  codeDeployApplication: apiService,
  codeDeployDeploymentGroup: apiService,
  smokeRecipient: 'success@simulator.amazonses.com',
  timeoutMs: 30 * 60_000,
  pollIntervalMs: 5_000,
  deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
  environment: 'production',
  ...overrides,
});

/**
 * DescribeTaskDefinition answers for family:revision or ARN lookups. Revisions in
 * `registeredByTerraform` lack the deploy action's tag.
 */
function taskDefinitions(
  family: string,
  container: string,
  inactive: number[] = [],
  registeredByTerraform: number[] = [],
) {
  ecsMock
    .on(DescribeTaskDefinitionCommand)
    .callsFake(({ taskDefinition }: { taskDefinition: string }) => {
      const revision = Number(taskDefinition.split(':').pop());
      const definition = liveTaskDefinition(family, revision, container);
      return {
        taskDefinition: {
          ...definition,
          status: inactive.includes(revision) ? 'INACTIVE' : 'ACTIVE',
        },
        tags: registeredByTerraform.includes(revision) ? [] : [DEPLOYED_BY_TAG],
      };
    });
}

beforeEach(() => {
  ecsMock.reset();
  codeDeployMock.reset();
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
  codeDeployMock
    .on(ListDeploymentTargetsCommand)
    .resolves({ targetIds: ['notify-staging:notify-staging-api'] });
  codeDeployMock.on(GetDeploymentGroupCommand).resolves(deploymentGroup());
  codeDeployMock
    .on(GetDeploymentConfigCommand)
    .callsFake(({ deploymentConfigName }: { deploymentConfigName: string }) =>
      deploymentConfig(deploymentConfigName),
    );
});

describe('rollback of a CODE_DEPLOY service', () => {
  it('stops a running deployment with rollback and follows the rollback to the end', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        codeDeployService({
          taskSets: [
            { id: 'ecs-svc/1111', status: 'PRIMARY', taskDefinition: taskDefArn(apiService, 41) },
            { id: 'ecs-svc/2222', status: 'ACTIVE', taskDefinition: taskDefArn(apiService, 42) },
          ],
        }),
      ],
    });
    codeDeployMock.on(ListDeploymentsCommand).resolves({ deployments: ['d-RUNNING01'] });
    codeDeployMock.on(StopDeploymentCommand).resolves({ status: 'Pending' });
    codeDeployMock
      .on(GetDeploymentCommand, { deploymentId: 'd-RUNNING01' })
      .resolvesOnce(deploymentInfo('InProgress', { deploymentId: 'd-RUNNING01' }))
      .resolves(
        deploymentInfo('Stopped', {
          deploymentId: 'd-RUNNING01',
          rollbackInfo: {
            rollbackDeploymentId: 'd-ROLLBACK1',
            rollbackMessage: 'Deployment rolled back',
          },
        }),
      );
    codeDeployMock
      .on(GetDeploymentCommand, { deploymentId: 'd-ROLLBACK1' })
      .resolvesOnce(deploymentInfo('InProgress', { deploymentId: 'd-ROLLBACK1' }))
      .resolves(deploymentInfo('Succeeded', { deploymentId: 'd-ROLLBACK1' }));
    codeDeployMock
      .on(BatchGetDeploymentTargetsCommand)
      .resolves(ecsTarget({ AllowTraffic: 'Succeeded' }, 100));
    const deps = testDeps();

    const result = await rollback(inputs(), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...deps,
      runSmokeTests,
    });

    expect(result.status).toBe('Succeeded');
    expect(result.mode).toBe('stopped-running-deployment');
    expect(result.stoppedDeploymentId).toBe('d-RUNNING01');
    expect(result.deploymentId).toBe('d-ROLLBACK1');
    expect(result.fromTaskDefinitionArn).toBe(taskDefArn(apiService, 42));
    expect(result.toTaskDefinitionArn).toBe(taskDefArn(apiService, 41));
    expect(codeDeployMock.commandCalls(StopDeploymentCommand)[0].args[0].input).toEqual({
      deploymentId: 'd-RUNNING01',
      autoRollbackEnabled: true,
    });
    expect(codeDeployMock.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    // One poll of each deployment in progress: two short sleeps, nothing else.
    expect(deps.clock.sleeps).toHaveLength(2);
    expect(result.finishedAt - result.startedAt).toBe(deps.clock.sleeps[0] + deps.clock.sleeps[1]);

    const summary = renderRollbackSummary(
      { region, cluster, service: apiService, environment: 'production' },
      result,
    );
    expect(summary).toContain('Rollback notify-staging-api in production: Succeeded');
    expect(summary).toContain('Stopped running deployment [d-RUNNING01]');
    expect(summary).toMatch(/\| \*\*Took\*\* \| (9|10|11)s \|/);
    expect(summary).toMatch(/\*\*From\*\* \| \[notify-staging-api:42\]/);
    expect(summary).toMatch(/\*\*To\*\* \| \[notify-staging-api:41\]/);
  });

  it('keeps from/to right when stopping during the termination wait (green already PRIMARY)', async () => {
    // All traffic shifted: ECS made the replacement (green) set PRIMARY; blue waits to terminate.
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        codeDeployService({
          taskDefinition: taskDefArn(apiService, 42),
          taskSets: [
            { id: 'ecs-svc/2222', status: 'PRIMARY', taskDefinition: taskDefArn(apiService, 42) },
            { id: 'ecs-svc/1111', status: 'ACTIVE', taskDefinition: taskDefArn(apiService, 41) },
          ],
        }),
      ],
    });
    codeDeployMock.on(ListDeploymentsCommand).resolves({ deployments: ['d-RUNNING01'] });
    codeDeployMock.on(StopDeploymentCommand).resolves({ status: 'Pending' });
    codeDeployMock.on(GetDeploymentCommand, { deploymentId: 'd-RUNNING01' }).resolves(
      deploymentInfo('Stopped', {
        deploymentId: 'd-RUNNING01',
        rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK1', rollbackMessage: 'Rolled back' },
      }),
    );
    codeDeployMock
      .on(GetDeploymentCommand, { deploymentId: 'd-ROLLBACK1' })
      .resolvesOnce(deploymentInfo('InProgress', { deploymentId: 'd-ROLLBACK1' }))
      .resolves(deploymentInfo('Succeeded', { deploymentId: 'd-ROLLBACK1' }));
    codeDeployMock.on(BatchGetDeploymentTargetsCommand).resolves(
      ecsTarget(
        {
          BeforeInstall: 'Succeeded',
          Install: 'Succeeded',
          AfterInstall: 'Succeeded',
          BeforeAllowTraffic: 'Succeeded',
          AllowTraffic: 'Succeeded',
          AfterAllowTraffic: 'Succeeded',
        },
        100,
      ),
    );

    const result = await rollback(inputs(), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests,
    });

    expect(result.status).toBe('Succeeded');
    expect(result.fromTaskDefinitionArn).toBe(taskDefArn(apiService, 42));
    expect(result.toTaskDefinitionArn).toBe(taskDefArn(apiService, 41));
    expect(result.message).toBe('Stopped d-RUNNING01 and rolled back to notify-staging-api:41.');
  });

  it('redeploys all at once whatever the group releases with, and reports the time to restore', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        codeDeployService({
          taskSets: [
            { id: 'ecs-svc/1111', status: 'PRIMARY', taskDefinition: taskDefArn(apiService, 42) },
          ],
        }),
      ],
    });
    taskDefinitions(apiService, 'api');
    codeDeployMock.on(GetDeploymentGroupCommand).resolves(
      deploymentGroup({
        deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
        readyWaitMinutes: 30,
        terminationWaitMinutes: 15,
      }),
    );
    codeDeployMock.on(ListDeploymentsCommand).resolves({ deployments: [] });
    codeDeployMock.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEWDEPLOY' });
    // Two polls to the shift, then the 15-minute termination wait.
    codeDeployMock
      .on(GetDeploymentCommand)
      .resolvesOnce(deploymentInfo('InProgress'))
      .resolvesOnce(deploymentInfo('InProgress'))
      .resolves(deploymentInfo('Succeeded'));
    codeDeployMock
      .on(BatchGetDeploymentTargetsCommand)
      .resolvesOnce(ecsTarget({ Install: 'InProgress' }, 0))
      .resolves(ecsTarget({ AllowTraffic: 'Succeeded', AfterAllowTraffic: 'Succeeded' }, 100));
    const deps = testDeps();
    const defaults = inputs({ target: '40', timeoutMs: undefined });

    const result = await rollback(defaults, {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...deps,
      runSmokeTests,
    });

    expect(result.status).toBe('Succeeded');
    expect(
      codeDeployMock.commandCalls(CreateDeploymentCommand)[0].args[0].input.deploymentConfigName,
    ).toBe('CodeDeployDefault.ECSAllAtOnce');
    // Deadline from the group with the all-at-once config: 30 + 0 + 15 + 10.
    expect(result.timeline.map((entry) => entry.text)).toContain(
      'Deadline 55 min from the deployment group: ready wait 30 + traffic shift 0 ' +
        '(CodeDeployDefault.ECSAllAtOnce) + termination wait 15 + margin 10',
    );
    expect(result.restoredAt! - result.startedAt).toBe(deps.clock.sleeps[0]);
    const summary = renderRollbackSummary(
      { region, cluster, service: apiService, environment: 'production' },
      result,
    );
    expect(summary).toMatch(
      /\| \*\*Time to restore\*\* \| \d+s \(until all production traffic was on notify-staging-api:40\) \|/,
    );
  });

  it('deploys the previous ACTIVE revision when no deployment is running', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        codeDeployService({
          taskDefinition: taskDefArn(apiService, 42),
          taskSets: [
            { id: 'ecs-svc/2222', status: 'PRIMARY', taskDefinition: taskDefArn(apiService, 42) },
          ],
        }),
      ],
    });
    taskDefinitions(apiService, 'api', [], [41]);
    ecsMock.on(ListTaskDefinitionsCommand).resolves({
      taskDefinitionArns: [
        `arn:aws:ecs:${region}:123456789012:task-definition/notify-staging-api-canary:9`,
        taskDefArn(apiService, 43), // registered by a failed deploy, never live
        taskDefArn(apiService, 42),
        taskDefArn(apiService, 41), // registered by Terraform: its first-apply image, no release
        taskDefArn(apiService, 40), // 39 was deregistered
      ],
    });
    codeDeployMock.on(ListDeploymentsCommand).resolves({ deployments: [] });
    codeDeployMock.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEWDEPLOY' });
    codeDeployMock
      .on(GetDeploymentCommand)
      .resolvesOnce(deploymentInfo('InProgress'))
      .resolvesOnce(deploymentInfo('Ready'))
      .resolves(deploymentInfo('Succeeded'));
    codeDeployMock.on(BatchGetDeploymentTargetsCommand).resolves(ecsTarget({}, 0));

    const result = await rollback(inputs(), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests,
    });

    expect(result.status).toBe('Succeeded');
    expect(result.mode).toBe('redeployed-previous-revision');
    expect(result.fromTaskDefinitionArn).toBe(taskDefArn(apiService, 42));
    expect(result.toTaskDefinitionArn).toBe(taskDefArn(apiService, 40));
    expect(ecsMock.commandCalls(ListTaskDefinitionsCommand)[0].args[0].input).toMatchObject({
      familyPrefix: apiService,
      status: 'ACTIVE',
      sort: 'DESC',
    });
    const content =
      codeDeployMock.commandCalls(CreateDeploymentCommand)[0].args[0].input.revision?.appSpecContent
        ?.content;
    expect(JSON.parse(content ?? '').Resources[0].TargetService.Properties.TaskDefinition).toBe(
      taskDefArn(apiService, 40),
    );
    expect(result.message).toBe(
      'Rolled back notify-staging-api from notify-staging-api:42 to notify-staging-api:40.',
    );
  });

  it('redeploys when the running deployment completes before the stop lands', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [codeDeployService()] });
    taskDefinitions(apiService, 'api');
    codeDeployMock.on(ListDeploymentsCommand).resolves({ deployments: ['d-RUNNING01'] });
    codeDeployMock.on(StopDeploymentCommand).rejects(
      Object.assign(new Error('The deployment d-RUNNING01 is already completed.'), {
        name: 'DeploymentAlreadyCompletedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    codeDeployMock.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEWDEPLOY' });
    codeDeployMock.on(GetDeploymentCommand).resolves(deploymentInfo('Succeeded'));
    codeDeployMock.on(BatchGetDeploymentTargetsCommand).resolves(ecsTarget({}, 100));

    const result = await rollback(inputs({ target: '39' }), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests,
    });

    expect(result.status).toBe('Succeeded');
    expect(result.mode).toBe('redeployed-previous-revision');
    expect(result.toTaskDefinitionArn).toBe(taskDefArn(apiService, 39));
    expect(result.timeline.map((e) => e.text)).toContain(
      'd-RUNNING01 completed before it could be stopped; redeploying instead',
    );
  });

  it('creates its rollback deployment once, and follows it after a lost answer', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [codeDeployService()] });
    taskDefinitions(apiService, 'api');
    let created: string | undefined;
    codeDeployMock.on(CreateDeploymentCommand).callsFake((input) => {
      created = input.revision?.appSpecContent?.sha256;
      throw Object.assign(new Error('We encountered an internal error.'), {
        name: 'InternalFailure',
        $metadata: { httpStatusCode: 500 },
      });
    });
    codeDeployMock
      .on(ListDeploymentsCommand)
      .callsFake(() => ({ deployments: created ? ['d-NEWDEPLOY'] : [] }));
    codeDeployMock.on(GetDeploymentCommand).callsFake(() =>
      deploymentInfo('Succeeded', {
        revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: created } },
      }),
    );
    codeDeployMock.on(BatchGetDeploymentTargetsCommand).resolves(ecsTarget({}, 100));

    const result = await rollback(inputs({ target: '39' }), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests,
    });

    expect(result.status).toBe('Succeeded');
    expect(result.deploymentId).toBe('d-NEWDEPLOY');
    expect(codeDeployMock.commandCalls(CreateDeploymentCommand)).toHaveLength(1);
  });
});

describe('rollback of an ECS rolling service', () => {
  it('updates the service to the given revision and follows it', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({
        services: [rollingService({ taskDefinition: taskDefArn(workerService, 8) })],
      })
      .resolves({
        services: [
          rollingService({
            deployments: [
              {
                id: 'ecs-svc/rollback',
                status: 'PRIMARY',
                taskDefinition: taskDefArn(workerService, 5),
                desiredCount: 2,
                runningCount: 2,
                pendingCount: 0,
                rolloutState: 'COMPLETED',
              },
            ],
          }),
        ],
      });
    taskDefinitions(workerService, 'worker');
    ecsMock.on(UpdateServiceCommand).resolves({
      service: rollingService({
        deployments: [
          {
            id: 'ecs-svc/rollback',
            status: 'PRIMARY',
            taskDefinition: taskDefArn(workerService, 5),
          },
        ],
      }),
    });

    const result = await rollback(inputs({ service: workerService, target: '5' }), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests,
    });

    expect(result.status).toBe('Succeeded');
    expect(result.fromTaskDefinitionArn).toBe(taskDefArn(workerService, 8));
    expect(result.toTaskDefinitionArn).toBe(taskDefArn(workerService, 5));
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0].args[0].input.taskDefinition).toBe(
      taskDefArn(workerService, 5),
    );
    expect(codeDeployMock.commandCalls(ListDeploymentsCommand)).toHaveLength(0);
  });
});

describe('rollback target resolution', () => {
  beforeEach(() => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [rollingService({ taskDefinition: taskDefArn(workerService, 8) })],
    });
  });

  it.each([
    ['8', 'notify-staging-worker:8 is already live; nothing to roll back'],
    ['6', 'notify-staging-worker:6, which is INACTIVE'],
    [
      `arn:aws:ecs:${region}:123456789012:task-definition/other-family:3`,
      'names family other-family',
    ],
  ])("refuses target '%s'", async (target, message) => {
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .callsFake(({ taskDefinition }: { taskDefinition: string }) => {
        const [family, revision] = taskDefinition.split('/').pop()!.split(':');
        const definition = liveTaskDefinition(family, Number(revision), 'worker');
        return {
          taskDefinition: { ...definition, status: revision === '6' ? 'INACTIVE' : 'ACTIVE' },
        };
      });
    await expect(
      rollback(inputs({ service: workerService, target }), {
        ecs,
        codeDeploy,
        codeDeployCreate,
        ...testDeps(),
        runSmokeTests,
      }),
    ).rejects.toThrow(message);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('says so when no older ACTIVE revision exists', async () => {
    ecsMock
      .on(ListTaskDefinitionsCommand)
      .resolves({ taskDefinitionArns: [taskDefArn(workerService, 8)] });
    await expect(
      rollback(inputs({ service: workerService }), {
        ecs,
        codeDeploy,
        codeDeployCreate,
        ...testDeps(),
        runSmokeTests,
      }),
    ).rejects.toThrow(
      "No ACTIVE revision of notify-staging-worker older than the live revision 8 was registered by a deploy; give the 'target' input explicitly.",
    );
  });
});
