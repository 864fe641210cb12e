import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  ContinueDeploymentCommand,
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
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import type { SmokeOptions, SmokeReport } from '../../smoke-test/src/smoke.ts';
import { deploy } from '../src/deploy.ts';
import { trafficShiftMinutes } from '../src/deployment-group.ts';
import { renderDeploySummary } from '../src/report.ts';
import { DeploymentInProgressError } from '../src/strategy.ts';
import {
  apiInputs,
  apiService,
  codeDeployService,
  deploymentConfig,
  deploymentGroup,
  deploymentInfo,
  ecsTarget,
  failingSmoke,
  liveTaskDefinition,
  passingSmoke,
  region,
  stoppedTask,
  taskDefArn,
  testDeps,
} from './fixtures.ts';

const ecsMock = mockClient(ECSClient);
const codeDeployMock = mockClient(CodeDeployClient);
const ecs = new ECSClient({ region });
const codeDeploy = new CodeDeployClient({ region });
const codeDeployCreate = new CodeDeployClient({ region, maxAttempts: 1 });

const awsError = (name: string, message: string) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

function liveApi() {
  ecsMock.on(DescribeServicesCommand).resolves({ services: [codeDeployService()] });
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: liveTaskDefinition(apiService, 41, 'api'),
    tags: [{ key: 'project', value: 'notify' }],
  });
  ecsMock.on(RegisterTaskDefinitionCommand).callsFake((input) => ({
    taskDefinition: { ...input, taskDefinitionArn: taskDefArn(apiService, 42), revision: 42 },
  }));
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
  codeDeployMock.on(ListDeploymentsCommand).resolves({ deployments: [] });
  codeDeployMock.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEWDEPLOY' });
  codeDeployMock.on(GetDeploymentGroupCommand).resolves(deploymentGroup());
  codeDeployMock
    .on(GetDeploymentConfigCommand)
    .callsFake(({ deploymentConfigName }: { deploymentConfigName: string }) =>
      deploymentConfig(deploymentConfigName),
    );
  codeDeployMock
    .on(ListDeploymentTargetsCommand)
    .resolves({ targetIds: ['notify-staging:notify-staging-api'] });
}

function smokeRunner(report: SmokeReport) {
  const calls: SmokeOptions[] = [];
  return {
    calls,
    run: async (options: SmokeOptions) => {
      calls.push(options);
      return report;
    },
  };
}

beforeEach(() => {
  ecsMock.reset();
  codeDeployMock.reset();
});

describe('deploy to a CODE_DEPLOY service', () => {
  it('gates traffic on the smoke test at Ready, continues, and follows to Succeeded', async () => {
    liveApi();
    codeDeployMock
      .on(GetDeploymentCommand)
      .resolvesOnce(deploymentInfo('Created'))
      .resolvesOnce(deploymentInfo('InProgress'))
      .resolvesOnce(deploymentInfo('Ready'))
      .resolvesOnce(deploymentInfo('InProgress'))
      .resolves(deploymentInfo('Succeeded'));
    codeDeployMock
      .on(BatchGetDeploymentTargetsCommand)
      .resolvesOnce(ecsTarget({ BeforeInstall: 'Succeeded', Install: 'InProgress' }, 0))
      .resolvesOnce(
        ecsTarget(
          { BeforeInstall: 'Succeeded', Install: 'Succeeded', AfterInstall: 'Succeeded' },
          0,
        ),
      )
      .resolvesOnce(
        ecsTarget(
          {
            BeforeInstall: 'Succeeded',
            Install: 'Succeeded',
            AfterInstall: 'Succeeded',
            AllowTraffic: 'InProgress',
          },
          50,
        ),
      )
      .resolves(
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
    const smoke = smokeRunner(passingSmoke);
    const deps = testDeps();

    const result = await deploy(apiInputs(), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...deps,
      runSmokeTests: smoke.run,
    });

    expect(result.status).toBe('Succeeded');
    expect(result.deploymentId).toBe('d-NEWDEPLOY');
    expect(result.taskDefinitionArn).toBe(taskDefArn(apiService, 42));
    expect(result.previousTaskDefinitionArn).toBe(taskDefArn(apiService, 41));
    expect(result.trafficPercent).toBe(100);

    // The AppSpec comes from the live service and names the new revision.
    const create = codeDeployMock.commandCalls(CreateDeploymentCommand)[0].args[0].input;
    const appSpec = create.revision?.appSpecContent;
    expect(create.revision?.revisionType).toBe('AppSpecContent');
    expect(JSON.parse(appSpec?.content ?? '')).toEqual({
      version: 0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: taskDefArn(apiService, 42),
              LoadBalancerInfo: { ContainerName: 'api', ContainerPort: 3000 },
              PlatformVersion: 'LATEST',
              NetworkConfiguration: {
                AwsvpcConfiguration: {
                  Subnets: ['subnet-a', 'subnet-b'],
                  SecurityGroups: ['sg-api'],
                  AssignPublicIp: 'DISABLED',
                },
              },
            },
          },
        },
      ],
    });
    expect(appSpec?.content).toContain('"version":0.0');
    expect(appSpec?.sha256).toBe(
      createHash('sha256')
        .update(appSpec?.content ?? '')
        .digest('hex'),
    );

    // Smoke test against the test listener, then production traffic released.
    expect(smoke.calls).toHaveLength(1);
    expect(smoke.calls[0]).toMatchObject({ baseUrl: 'http://alb.internal:8443', token: 'token' });
    expect(codeDeployMock.commandCalls(ContinueDeploymentCommand)[0].args[0].input).toEqual({
      deploymentId: 'd-NEWDEPLOY',
      deploymentWaitType: 'READY_WAIT',
    });
    expect(codeDeployMock.commandCalls(StopDeploymentCommand)).toHaveLength(0);

    // Timeline: every change once, in order, with short polls (5 s).
    const events = result.timeline.map((entry) => entry.text);
    expect(events).toEqual(
      expect.arrayContaining([
        'Deployment Created',
        'Deployment InProgress',
        'Install: InProgress',
        'Deployment Ready',
        'Smoke test passed (2 checks)',
        'ContinueDeployment: shifting production traffic',
        'Traffic: green 50% (2/2 running), blue 50%',
        'Deployment Succeeded',
      ]),
    );
    expect(events.filter((text) => text === 'Deployment InProgress')).toHaveLength(2);
    expect(events.indexOf('Smoke test passed (2 checks)')).toBeLessThan(
      events.indexOf('Traffic: green 50% (2/2 running), blue 50%'),
    );
    expect(deps.clock.sleeps.every((ms) => ms <= 5_500)).toBe(true);

    const summary = renderDeploySummary(
      { region, cluster: 'notify-staging', service: apiService, environment: 'staging' },
      result,
    );
    expect(summary).toContain('Deploy notify-staging-api to staging: Succeeded');
    expect(summary).toContain('notify-staging-api:41');
    expect(summary).toContain('notify-staging-api:42');
    expect(summary).toContain('| liveness | ✅ pass | 12 ms |');
    expect(summary).toContain(
      'https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-NEWDEPLOY',
    );
  });

  it('stops with rollback when the smoke test fails at Ready, and reports the failed checks', async () => {
    liveApi();
    codeDeployMock
      .on(GetDeploymentCommand)
      .resolvesOnce(deploymentInfo('InProgress'))
      .resolvesOnce(deploymentInfo('Ready'))
      .resolves(
        deploymentInfo('Stopped', {
          errorInformation: {
            code: 'MANUAL_STOP',
            message: 'The deployment was stopped by the user.',
          },
          rollbackInfo: {
            rollbackDeploymentId: 'd-ROLLBACK1',
            rollbackMessage: 'Rolled back by d-ROLLBACK1',
          },
        }),
      );
    codeDeployMock
      .on(BatchGetDeploymentTargetsCommand)
      .resolves(ecsTarget({ Install: 'Succeeded' }, 0));
    codeDeployMock.on(StopDeploymentCommand).resolves({ status: 'Pending' });
    const smoke = smokeRunner(failingSmoke);

    const result = await deploy(apiInputs(), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests: smoke.run,
    });

    expect(result.status).toBe('Stopped');
    expect(codeDeployMock.commandCalls(StopDeploymentCommand)[0].args[0].input).toEqual({
      deploymentId: 'd-NEWDEPLOY',
      autoRollbackEnabled: true,
    });
    expect(codeDeployMock.commandCalls(ContinueDeploymentCommand)).toHaveLength(0);
    expect(result.message).toContain('Smoke test failed at Ready');
    expect(result.message).toContain('readiness: GET /readyz 503: queue unreachable');
    expect(result.trafficPercent).toBe(0);
    const summary = renderDeploySummary(
      { region, cluster: 'notify-staging', service: apiService },
      result,
    );
    expect(summary).toContain(
      '| readiness | ❌ fail | 30 ms | GET /readyz 503: queue unreachable |',
    );
    expect(summary).toContain('d-ROLLBACK1');
  });

  it('reports errorInformation, failed lifecycle events and stopped task reasons on Failed', async () => {
    liveApi();
    codeDeployMock
      .on(GetDeploymentCommand)
      .resolvesOnce(deploymentInfo('InProgress'))
      .resolves(
        deploymentInfo('Failed', {
          errorInformation: {
            code: 'ECS_UPDATE_ERROR',
            message:
              'The ECS service cannot be updated: the replacement tasks failed to become healthy.',
          },
        }),
      );
    codeDeployMock.on(BatchGetDeploymentTargetsCommand).resolves(
      ecsTarget({ BeforeInstall: 'Succeeded', Install: 'Failed' }, 0, {
        event: 'Install',
        message: 'Replacement task set did not become healthy',
      }),
    );
    ecsMock.on(ListTasksCommand).resolves({ taskArns: ['t1', 't2', 't3'] });
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [
        stoppedTask('aaa', 42, 'Essential container in task exited', 'Error: Missing API_TOKENS'),
        stoppedTask(
          'bbb',
          42,
          'Task failed ELB health checks in (target-group notify-staging-api-green)',
        ),
        stoppedTask('old', 41, 'Scaling activity initiated by deployment'),
      ],
    });
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [codeDeployService()] })
      .resolves({
        services: [
          codeDeployService({
            events: [
              {
                id: 'e1',
                createdAt: new Date('2026-01-01T12:02:00Z'),
                message: '(service notify-staging-api, taskSet ecs-svc/2222) has started 2 tasks',
              },
            ],
          }),
        ],
      });

    const result = await deploy(apiInputs(), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests: smokeRunner(passingSmoke).run,
    });

    expect(result.status).toBe('Failed');
    expect(result.message).toContain('replacement tasks failed to become healthy');
    expect(result.failure?.error?.code).toBe('ECS_UPDATE_ERROR');
    expect(result.failure?.failedLifecycleEvents).toEqual([
      {
        name: 'Install',
        status: 'Failed',
        errorCode: 'ScriptFailed',
        message: 'Replacement task set did not become healthy',
      },
    ]);
    // Only tasks of the failed revision, with their container reasons.
    expect(result.failure?.stoppedTasks.map((t) => t.stoppedReason)).toEqual([
      'Essential container in task exited',
      'Task failed ELB health checks in (target-group notify-staging-api-green)',
    ]);
    expect(result.failure?.stoppedTasks[0].containers).toEqual([
      { name: 'api', exitCode: 1, reason: 'Error: Missing API_TOKENS' },
    ]);
    expect(result.failure?.serviceEvents[0].message).toContain('has started 2 tasks');
    const summary = renderDeploySummary(
      { region, cluster: 'notify-staging', service: apiService },
      result,
    );
    expect(summary).toContain('Why it failed');
    expect(summary).toContain('api: Error: Missing API_TOKENS (exit 1)');
    expect(summary).toContain('`ECS_UPDATE_ERROR`');
  });

  it('refuses to start while another deployment runs, naming it', async () => {
    liveApi();
    codeDeployMock.on(ListDeploymentsCommand).resolves({ deployments: ['d-RUNNING01'] });

    const error = await deploy(apiInputs(), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests: smokeRunner(passingSmoke).run,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DeploymentInProgressError);
    expect((error as Error).message).toContain('deployment in progress (d-RUNNING01)');
    expect((error as Error).message).toContain(
      'https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-RUNNING01',
    );
    expect(
      codeDeployMock.commandCalls(ListDeploymentsCommand)[0].args[0].input.includeOnlyStatuses,
    ).toEqual(['Created', 'Queued', 'InProgress', 'Baking', 'Ready']);
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it('refuses when a second task set shows a blue/green shift mid-way', async () => {
    liveApi();
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
    await expect(
      deploy(apiInputs(), {
        ecs,
        codeDeploy,
        codeDeployCreate,
        ...testDeps(),
        runSmokeTests: smokeRunner(passingSmoke).run,
      }),
    ).rejects.toThrow('task set ecs-svc/2222 is ACTIVE');
  });

  it('translates DeploymentLimitExceededException into the running deployment and a link', async () => {
    liveApi();
    codeDeployMock
      .on(CreateDeploymentCommand)
      .rejects(
        awsError(
          'DeploymentLimitExceededException',
          "The Deployment Group 'notify-staging-api' already has an active Deployment 'd-OTHER0001'",
        ),
      );
    await expect(
      deploy(apiInputs(), {
        ecs,
        codeDeploy,
        codeDeployCreate,
        ...testDeps(),
        runSmokeTests: smokeRunner(passingSmoke).run,
      }),
    ).rejects.toThrow(
      /Another deployment \(d-OTHER0001\) is already running .*https:\/\/eu-west-1\.console\.aws\.amazon\.com\/codesuite\/codedeploy\/deployments\/d-OTHER0001/,
    );
  });

  describe('verifies the deployment group before deploying', () => {
    it.each([
      [
        'continues at Ready on its own',
        deploymentGroup({ actionOnTimeout: 'CONTINUE_DEPLOYMENT' }),
      ],
      ['has no Ready wait time', deploymentGroup({ readyWaitMinutes: 0 })],
    ])('refuses a smoke gate when the group %s', async (_what, group) => {
      liveApi();
      codeDeployMock.on(GetDeploymentGroupCommand).resolves(group);
      const error = await deploy(apiInputs(), {
        ecs,
        codeDeploy,
        codeDeployCreate,
        ...testDeps(),
        runSmokeTests: smokeRunner(passingSmoke).run,
      }).catch((e: unknown) => e as Error);
      expect(error.message).toContain(
        "Refusing to deploy: 'test-url' asks for a smoke test at Ready, but deployment group " +
          'notify-staging-api/notify-staging-api does not wait at Ready',
      );
      expect(error.message).toContain('ready_wait_time_in_minutes');
      // Nothing was registered or created.
      expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
      expect(codeDeployMock.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    });

    it('deploys to a group without a Ready wait when no smoke gate is asked for', async () => {
      liveApi();
      codeDeployMock
        .on(GetDeploymentGroupCommand)
        .resolves(deploymentGroup({ actionOnTimeout: 'CONTINUE_DEPLOYMENT' }));
      codeDeployMock
        .on(GetDeploymentCommand)
        .resolvesOnce(deploymentInfo('InProgress'))
        .resolves(deploymentInfo('Succeeded'));
      codeDeployMock
        .on(BatchGetDeploymentTargetsCommand)
        .resolves(ecsTarget({ AllowTraffic: 'Succeeded' }, 100));
      const result = await deploy(apiInputs({ testUrl: undefined, smokeToken: undefined }), {
        ecs,
        codeDeploy,
        codeDeployCreate,
        ...testDeps(),
        runSmokeTests: smokeRunner(passingSmoke).run,
      });
      expect(result.status).toBe('Succeeded');
    });
  });

  describe('derives its deadline from the deployment group', () => {
    function stuckBeforeTrafficShift() {
      codeDeployMock.on(GetDeploymentCommand).resolves(deploymentInfo('InProgress'));
      codeDeployMock
        .on(BatchGetDeploymentTargetsCommand)
        .resolves(ecsTarget({ Install: 'InProgress' }, 0));
      codeDeployMock.on(StopDeploymentCommand).resolves({});
    }

    it('ready wait + canary interval + termination wait + margin (production)', async () => {
      liveApi();
      codeDeployMock.on(GetDeploymentGroupCommand).resolves(
        deploymentGroup({
          deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
          readyWaitMinutes: 30,
          terminationWaitMinutes: 15,
        }),
      );
      stuckBeforeTrafficShift();
      const deps = testDeps();
      const start = deps.clock.now();
      const result = await deploy(apiInputs({ timeoutMs: undefined }), {
        ecs,
        codeDeploy,
        codeDeployCreate,
        ...deps,
        runSmokeTests: smokeRunner(passingSmoke).run,
      });
      expect(result.status).toBe('TimedOut');
      expect(deps.clock.now() - start).toBe((30 + 5 + 15 + 10) * 60_000);
      expect(result.timeline.map((entry) => entry.text)).toContain(
        'Deadline 60 min from the deployment group: ready wait 30 + traffic shift 5 ' +
          '(CodeDeployDefault.ECSCanary10Percent5Minutes) + termination wait 15 + margin 10',
      );
      expect(codeDeployMock.commandCalls(GetDeploymentConfigCommand)[0].args[0].input).toEqual({
        deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      });
    });

    it('uses the deployment-config input for the traffic shift, and passes it to CreateDeployment', async () => {
      liveApi();
      stuckBeforeTrafficShift();
      const deps = testDeps();
      const start = deps.clock.now();
      const result = await deploy(
        apiInputs({
          timeoutMs: undefined,
          deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
        }),
        {
          ecs,
          codeDeploy,
          codeDeployCreate,
          ...deps,
          runSmokeTests: smokeRunner(passingSmoke).run,
        },
      );
      expect(result.status).toBe('TimedOut');
      // Ten 10 % steps three minutes apart: 27 minutes from first to last shift.
      expect(deps.clock.now() - start).toBe((30 + 27 + 5 + 10) * 60_000);
      expect(
        codeDeployMock.commandCalls(CreateDeploymentCommand)[0].args[0].input.deploymentConfigName,
      ).toBe('CodeDeployDefault.ECSLinear10PercentEvery3Minutes');
    });

    it('names an unknown deployment-config before registering anything', async () => {
      liveApi();
      await expect(
        deploy(apiInputs({ deploymentConfigName: 'CodeDeployDefault.ECSHalfAtOnce' }), {
          ecs,
          codeDeploy,
          codeDeployCreate,
          ...testDeps(),
          runSmokeTests: smokeRunner(passingSmoke).run,
        }),
      ).rejects.toThrow('DeploymentConfigDoesNotExistException');
      expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    });

    it.each([
      [{ type: 'AllAtOnce' as const }, 0],
      [
        {
          type: 'TimeBasedCanary' as const,
          timeBasedCanary: { canaryPercentage: 10, canaryInterval: 15 },
        },
        15,
      ],
      [
        {
          type: 'TimeBasedLinear' as const,
          timeBasedLinear: { linearPercentage: 10, linearInterval: 1 },
        },
        9,
      ],
      [
        {
          type: 'TimeBasedLinear' as const,
          timeBasedLinear: { linearPercentage: 30, linearInterval: 2 },
        },
        6,
      ],
      [undefined, 0],
    ])('traffic shift of %j takes %i minutes', (routing, minutes) => {
      expect(trafficShiftMinutes(routing)).toBe(minutes);
    });
  });

  describe('CreateDeployment is sent once', () => {
    /** CodeDeploy that creates the deployment and then loses the answer with `error`. */
    function createsThenFails(error: Error) {
      let created: string | undefined;
      codeDeployMock.on(CreateDeploymentCommand).callsFake((input) => {
        created = input.revision?.appSpecContent?.sha256;
        throw error;
      });
      codeDeployMock
        .on(ListDeploymentsCommand)
        .callsFake(() => ({ deployments: created ? ['d-OTHER0001', 'd-NEWDEPLOY'] : [] }));
      codeDeployMock.on(GetDeploymentCommand, { deploymentId: 'd-OTHER0001' }).resolves(
        deploymentInfo('InProgress', {
          deploymentId: 'd-OTHER0001',
          revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: 'f'.repeat(64) } },
        }),
      );
      codeDeployMock.on(GetDeploymentCommand, { deploymentId: 'd-NEWDEPLOY' }).callsFake(() =>
        deploymentInfo('Succeeded', {
          // GetDeployment returns the AppSpec's sha256, never its content.
          revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: created } },
        }),
      );
      codeDeployMock
        .on(BatchGetDeploymentTargetsCommand)
        .resolves(ecsTarget({ AllowTraffic: 'Succeeded' }, 100));
    }
    const serverError = () =>
      Object.assign(new Error('We encountered an internal error. Please try again.'), {
        name: 'InternalFailure',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
      });

    it.each([
      ['a 500', serverError()],
      [
        'no response (connection reset)',
        Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      ],
      ['a timeout', Object.assign(new Error('Request timed out'), { name: 'TimeoutError' })],
      [
        'DeploymentLimitExceeded naming its own deployment',
        awsError(
          'DeploymentLimitExceededException',
          "The Deployment Group 'notify-staging-api' already has an active Deployment 'd-NEWDEPLOY'",
        ),
      ],
    ])('after %s, follows the deployment carrying its own revision', async (_what, error) => {
      liveApi();
      createsThenFails(error);
      const result = await deploy(apiInputs({ testUrl: undefined, smokeToken: undefined }), {
        ecs,
        codeDeploy,
        codeDeployCreate,
        ...testDeps(),
        runSmokeTests: smokeRunner(passingSmoke).run,
      });
      expect(result.status).toBe('Succeeded');
      expect(result.deploymentId).toBe('d-NEWDEPLOY');
      expect(codeDeployMock.commandCalls(CreateDeploymentCommand)).toHaveLength(1);
      expect(result.timeline.map((entry) => entry.text)).toContain(
        'Found d-NEWDEPLOY carrying this revision; following it',
      );
    });

    it('fails clearly, without creating again, when no deployment of its revision appears', async () => {
      liveApi();
      codeDeployMock.on(CreateDeploymentCommand).rejects(serverError());
      const deps = testDeps();
      const error = await deploy(apiInputs(), {
        ecs,
        codeDeploy,
        codeDeployCreate,
        ...deps,
        runSmokeTests: smokeRunner(passingSmoke).run,
      }).catch((e: unknown) => e as Error);
      expect(error.message).toContain('failed without a clear answer');
      expect(error.message).toContain('no active deployment of this revision');
      expect(error.message).toContain('not retried because CreateDeployment is not idempotent');
      expect(codeDeployMock.commandCalls(CreateDeploymentCommand)).toHaveLength(1);
      // Looked three times, a poll interval apart.
      expect(codeDeployMock.commandCalls(ListDeploymentsCommand)).toHaveLength(1 + 3);
    });

    it('fails at once on a clear refusal (4xx), without looking for a deployment', async () => {
      liveApi();
      codeDeployMock
        .on(CreateDeploymentCommand)
        .rejects(
          awsError(
            'InvalidDeploymentConfigNameException',
            'The deployment configuration name was specified in an invalid format.',
          ),
        );
      await expect(
        deploy(apiInputs(), {
          ecs,
          codeDeploy,
          codeDeployCreate,
          ...testDeps(),
          runSmokeTests: smokeRunner(passingSmoke).run,
        }),
      ).rejects.toThrow('InvalidDeploymentConfigNameException');
      // Only assertIdle's listing; no recovery lookups.
      expect(codeDeployMock.commandCalls(ListDeploymentsCommand)).toHaveLength(1);
    });
  });

  it('backs off and carries on when GetDeployment is throttled', async () => {
    liveApi();
    codeDeployMock
      .on(GetDeploymentCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .resolves(deploymentInfo('Succeeded'));
    codeDeployMock
      .on(BatchGetDeploymentTargetsCommand)
      .resolves(ecsTarget({ AllowTraffic: 'Succeeded' }, 100));
    const deps = testDeps();

    const result = await deploy(apiInputs({ testUrl: undefined, smokeToken: undefined }), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...deps,
      runSmokeTests: smokeRunner(passingSmoke).run,
    });

    expect(result.status).toBe('Succeeded');
    expect(deps.lines.filter((line) => line.includes('throttled'))).toHaveLength(2);
    // Backed off beyond the steady 5 s interval (10 s, then 20 s, ±10 % jitter).
    expect(deps.clock.sleeps[0]).toBeGreaterThanOrEqual(9_000);
    expect(deps.clock.sleeps[1]).toBeGreaterThanOrEqual(18_000);
  });

  it('continues at Ready without a smoke test when no test-url is given, and says so', async () => {
    liveApi();
    codeDeployMock
      .on(GetDeploymentCommand)
      .resolvesOnce(deploymentInfo('Ready'))
      .resolves(deploymentInfo('Succeeded'));
    codeDeployMock.on(BatchGetDeploymentTargetsCommand).resolves(ecsTarget({}, 0));
    const smoke = smokeRunner(passingSmoke);
    const result = await deploy(apiInputs({ testUrl: undefined, smokeToken: undefined }), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests: smoke.run,
    });
    expect(result.status).toBe('Succeeded');
    expect(smoke.calls).toHaveLength(0);
    expect(codeDeployMock.commandCalls(ContinueDeploymentCommand)).toHaveLength(1);
    expect(result.timeline.map((e) => e.text)).toContain(
      'Ready: no test-url given, so no smoke test; continuing to shift production traffic',
    );
  });

  it('stops with rollback when the deadline passes', async () => {
    liveApi();
    codeDeployMock.on(GetDeploymentCommand).resolves(deploymentInfo('InProgress'));
    codeDeployMock
      .on(BatchGetDeploymentTargetsCommand)
      .resolves(ecsTarget({ Install: 'InProgress' }, 0));
    codeDeployMock.on(StopDeploymentCommand).resolves({ status: 'Pending' });
    const deps = testDeps();
    const start = deps.clock.now();

    const result = await deploy(apiInputs({ timeoutMs: 2 * 60_000 }), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...deps,
      runSmokeTests: smokeRunner(passingSmoke).run,
    });

    expect(result.status).toBe('TimedOut');
    expect(result.message).toContain('did not finish before the deadline (2m 00s)');
    expect(codeDeployMock.commandCalls(StopDeploymentCommand)[0].args[0].input).toEqual({
      deploymentId: 'd-NEWDEPLOY',
      autoRollbackEnabled: true,
    });
    expect(deps.clock.now() - start).toBe(2 * 60_000);
  });

  it('treats a smoke run that throws as a failure and stops with rollback', async () => {
    liveApi();
    codeDeployMock
      .on(GetDeploymentCommand)
      .resolvesOnce(deploymentInfo('Ready'))
      .resolves(deploymentInfo('Stopped'));
    codeDeployMock.on(BatchGetDeploymentTargetsCommand).resolves(ecsTarget({}, 0));
    codeDeployMock.on(StopDeploymentCommand).resolves({ status: 'Pending' });
    const result = await deploy(apiInputs(), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests: async () => {
        throw new Error('getaddrinfo ENOTFOUND alb.internal');
      },
    });
    expect(result.status).toBe('Stopped');
    expect(result.message).toContain('smoke test run: getaddrinfo ENOTFOUND alb.internal');
    expect(codeDeployMock.commandCalls(StopDeploymentCommand)).toHaveLength(1);
    expect(codeDeployMock.commandCalls(ContinueDeploymentCommand)).toHaveLength(0);
  });

  it('does not stop a deployment that is Baking with all traffic shifted when the deadline passes', async () => {
    liveApi();
    codeDeployMock.on(GetDeploymentCommand).resolves(deploymentInfo('Baking'));
    codeDeployMock
      .on(BatchGetDeploymentTargetsCommand)
      .resolves(ecsTarget({ AllowTraffic: 'Succeeded' }, 100));
    const result = await deploy(apiInputs({ timeoutMs: 60_000 }), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests: smokeRunner(passingSmoke).run,
    });
    expect(result.status).toBe('TimedOut');
    expect(result.message).toContain('shifted all traffic but was still Baking');
    expect(result.trafficPercent).toBe(100);
    expect(codeDeployMock.commandCalls(StopDeploymentCommand)).toHaveLength(0);
  });

  it('does not stop at the deadline during the termination wait, while the status still reads InProgress', async () => {
    liveApi();
    // CodeDeploy's sequence for ECS blue/green: AllowTraffic and AfterAllowTraffic succeed,
    // green takes 100 %, and the deployment stays InProgress through the termination wait.
    codeDeployMock
      .on(GetDeploymentCommand)
      .resolvesOnce(deploymentInfo('Ready'))
      .resolves(deploymentInfo('InProgress'));
    codeDeployMock
      .on(BatchGetDeploymentTargetsCommand)
      .resolvesOnce(ecsTarget({ Install: 'Succeeded', AfterInstall: 'Succeeded' }, 0))
      .resolves(
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
    codeDeployMock.on(ContinueDeploymentCommand).resolves({});
    const result = await deploy(apiInputs({ timeoutMs: 60_000 }), {
      ecs,
      codeDeploy,
      codeDeployCreate,
      ...testDeps(),
      runSmokeTests: smokeRunner(passingSmoke).run,
    });
    expect(result.status).toBe('TimedOut');
    expect(result.message).toContain('shifted all traffic but was still InProgress');
    expect(codeDeployMock.commandCalls(StopDeploymentCommand)).toHaveLength(0);
  });

  it('fails with the missing permission when GetDeployment is denied', async () => {
    liveApi();
    codeDeployMock
      .on(GetDeploymentCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          'User: arn:aws:sts::123456789012:assumed-role/notify-deploy/gha is not authorized to perform: codedeploy:GetDeployment on resource: arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:notify-staging-api/notify-staging-api because no identity-based policy allows the codedeploy:GetDeployment action',
        ),
      );
    await expect(
      deploy(apiInputs(), {
        ecs,
        codeDeploy,
        codeDeployCreate,
        ...testDeps(),
        runSmokeTests: smokeRunner(passingSmoke).run,
      }),
    ).rejects.toThrow(
      'may not call codedeploy:GetDeployment on arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:notify-staging-api/notify-staging-api',
    );
  });
});
