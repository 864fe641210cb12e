// The deploy paths a team meets in its first weeks, each rehearsed end to end: the committed
// bundles, run as a runner runs them, against the ECS/CodeDeploy stand-in, with the real API
// as the green tasks. Each scenario states what must hold and reports every check.
import { CodeDeployClient, CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { startAwsJsonServer, type AwsJsonServer } from './aws-json-server.ts';
import { codeDeployStandIn, type CodeDeployStandIn } from './codedeploy.ts';
import { ecsHandlers } from './ecs.ts';
import type { GreenTasks } from './green-tasks.ts';
import { runAction, type ActionRun } from './run-action.ts';
import { World, type WorldOptions } from './world.ts';

const API = 'notify-staging-api';
const WORKER = 'notify-staging-worker';
const IMAGE = (service: string, tag: string) =>
  `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${service}:${tag}`;

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ScenarioResult {
  name: string;
  checks: Check[];
  /** The job summaries the runs wrote, in order. */
  summaries: string[];
  durationMs: number;
}

interface Stage {
  world: World;
  server: AwsJsonServer;
  codeDeploy: CodeDeployStandIn;
  run(action: string, inputs: Record<string, string>): Promise<ActionRun>;
  calls(operation: string): Record<string, unknown>[];
}

async function stage(options: WorldOptions): Promise<Stage> {
  const world = new World(options);
  const codeDeploy = codeDeployStandIn(world);
  const server = await startAwsJsonServer([ecsHandlers(world), codeDeploy.handlers]);
  return {
    world,
    server,
    codeDeploy,
    run: (action, inputs) =>
      runAction(action, inputs, { endpoint: server.url, region: world.region }),
    calls: (operation) =>
      server.calls.filter((c) => c.operation === operation && !c.error).map((c) => c.input),
  };
}

class Checks {
  readonly list: Check[] = [];
  that(name: string, ok: boolean, detail = ''): void {
    this.list.push({ name, ok, detail: ok ? '' : detail });
  }
  /** The run's exit code, with the end of its log when it is not the expected one. */
  exit(run: ActionRun, success: boolean): void {
    const ok = success ? run.exitCode === 0 : run.exitCode !== 0;
    this.that(
      success ? 'exit code 0' : 'exit code is a failure',
      ok,
      `exit ${run.exitCode}; log: ${run.log.slice(-1500)}`,
    );
  }
  equal(name: string, actual: unknown, expected: unknown): void {
    this.that(name, actual === expected, `expected ${String(expected)}, got ${String(actual)}`);
  }
}

function apiInputs(green: GreenTasks, overrides: Record<string, string> = {}) {
  return {
    cluster: 'notify-staging',
    service: API,
    image: IMAGE(API, 'c0ffee1'),
    'codedeploy-application': API,
    'codedeploy-deployment-group': API,
    'test-url': green.url,
    'smoke-token': green.token,
    'poll-seconds': '1',
    environment: 'staging',
    ...overrides,
  };
}

export interface Scenario {
  name: string;
  run(green: GreenTasks): Promise<ScenarioResult>;
}

function scenario(
  name: string,
  world: WorldOptions,
  body: (s: Stage, checks: Checks, summaries: string[], green: GreenTasks) => Promise<void>,
): Scenario {
  return {
    name,
    async run(green) {
      const started = Date.now();
      const s = await stage(world);
      const checks = new Checks();
      const summaries: string[] = [];
      try {
        await body(s, checks, summaries, green);
      } catch (error) {
        checks.that('scenario ran to the end', false, String(error));
      } finally {
        await s.server.close();
      }
      return { name, checks: checks.list, summaries, durationMs: Date.now() - started };
    },
  };
}

const FAST: WorldOptions = { minuteMs: 200, stepMs: 100, terminationWaitMinutes: 2 };

export const scenarios: Scenario[] = [
  scenario('deploy passes the smoke gate and shifts traffic', FAST, async (s, c, out, green) => {
    const live = s.world.services.get(API)!.taskDefinition;
    const run = await s.run('deploy', apiInputs(green));
    out.push(run.summary);
    c.exit(run, true);
    c.equal('status output', run.outputs.status, 'Succeeded');
    c.equal(
      'previous-task-definition-arn output',
      run.outputs['previous-task-definition-arn'],
      live,
    );
    c.equal(
      'service runs the new revision',
      s.world.services.get(API)!.taskDefinition,
      run.outputs['task-definition-arn'],
    );
    c.equal(
      'ContinueDeployment once, after the smoke test',
      s.calls('ContinueDeployment').length,
      1,
    );
    c.equal('no StopDeployment', s.calls('StopDeployment').length, 0);
    c.equal(
      'CreateDeployment sent once',
      s.server.calls.filter((x) => x.operation === 'CreateDeployment').length,
      1,
    );
    c.that(
      'job summary names the deployment',
      run.summary.includes(run.outputs['deployment-id'] ?? '?'),
      run.summary.slice(0, 300),
    );
  }),

  scenario('smoke test fails at Ready: stopped with rollback', FAST, async (s, c, out, green) => {
    const live = s.world.services.get(API)!.taskDefinition;
    const run = await s.run(
      'deploy',
      apiInputs(green, { 'smoke-token': 'not-the-token-of-the-green-tasks' }),
    );
    out.push(run.summary);
    c.exit(run, false);
    c.equal('status output', run.outputs.status, 'Stopped');
    const stops = s.calls('StopDeployment');
    c.equal('one StopDeployment', stops.length, 1);
    c.equal('StopDeployment asks for rollback', stops[0]?.autoRollbackEnabled, true);
    c.equal('no ContinueDeployment', s.calls('ContinueDeployment').length, 0);
    c.equal(
      'production stays on the live revision',
      s.world.services.get(API)!.taskDefinition,
      live,
    );
    c.that(
      'job summary says the smoke test failed',
      /smoke/i.test(run.summary),
      run.summary.slice(0, 300),
    );
  }),

  scenario(
    'deadline during the termination wait: left running, never rolled back',
    {
      minuteMs: 1_000,
      stepMs: 100,
      terminationWaitMinutes: 120,
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
    },
    async (s, c, out, green) => {
      const run = await s.run('deploy', apiInputs(green, { 'timeout-minutes': '1' }));
      out.push(run.summary);
      c.equal('status output', run.outputs.status, 'TimedOut');
      c.equal('no StopDeployment', s.calls('StopDeployment').length, 0);
      const deployment = s.codeDeploy.deployments[0];
      c.equal('deployment still InProgress (termination wait)', deployment?.status, 'InProgress');
      c.equal('green serves 100 %', deployment?.green?.trafficWeight, 100);
    },
  ),

  scenario(
    'rollback while a deployment waits at Ready',
    // A long ready wait: the deployment must still be waiting when the rollback job starts.
    { ...FAST, readyWaitMinutes: 600 },
    async (s, c, out) => {
      const live = s.world.services.get(API)!.taskDefinition;
      const next = s.world.registerTaskDefinition(
        { ...s.world.findTaskDefinition(live)!.body },
        [],
        true,
      );
      const client = new CodeDeployClient({
        region: s.world.region,
        endpoint: s.server.url,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
      const content = `{"version":0.0,"Resources":[{"TargetService":{"Type":"AWS::ECS::Service","Properties":{"TaskDefinition":"${next.arn}","LoadBalancerInfo":{"ContainerName":"api","ContainerPort":3000}}}}]}`;
      const created = await client.send(
        new CreateDeploymentCommand({
          applicationName: API,
          deploymentGroupName: API,
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content } },
        }),
      );
      client.destroy();
      for (let i = 0; i < 50 && s.codeDeploy.deployments[0]?.status !== 'Ready'; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        // The stand-in's state advances when it is read, as a poller would read it.
        s.codeDeploy.handlers.operations.GetDeployment!({ deploymentId: created.deploymentId });
      }
      c.equal('the running deployment reached Ready', s.codeDeploy.deployments[0]?.status, 'Ready');
      const run = await s.run('rollback', {
        cluster: 'notify-staging',
        service: API,
        'codedeploy-application': API,
        'codedeploy-deployment-group': API,
        'poll-seconds': '1',
        environment: 'staging',
      });
      out.push(run.summary);
      c.exit(run, true);
      c.equal(
        'StopDeployment of the running deployment',
        s.calls('StopDeployment')[0]?.deploymentId,
        created.deploymentId,
      );
      c.equal('production on the live revision', s.world.services.get(API)!.taskDefinition, live);
      c.equal('to-task-definition-arn output', run.outputs['to-task-definition-arn'], live);
      c.equal('from-task-definition-arn output', run.outputs['from-task-definition-arn'], next.arn);
    },
  ),

  scenario('rollback to the previous deploy-tagged revision', FAST, async (s, c, out, green) => {
    const first = s.world.services.get(API)!.taskDefinition;
    const deploy = await s.run('deploy', apiInputs(green));
    out.push(deploy.summary);
    c.equal('the deploy before it succeeded', deploy.outputs.status, 'Succeeded');
    // Terraform registers revisions too (a setting changed); those are not releases.
    s.world.registerTaskDefinition({ ...s.world.findTaskDefinition(first)!.body }, []);
    const run = await s.run('rollback', {
      cluster: 'notify-staging',
      service: API,
      'codedeploy-application': API,
      'codedeploy-deployment-group': API,
      'test-url': green.url,
      'smoke-token': green.token,
      'poll-seconds': '1',
      environment: 'staging',
    });
    out.push(run.summary);
    c.exit(run, true);
    c.equal('status output', run.outputs.status, 'Succeeded');
    c.equal('service back on the first release', s.world.services.get(API)!.taskDefinition, first);
    const created = s.calls('CreateDeployment').at(-1);
    c.equal(
      'rollback deploys all at once',
      created?.deploymentConfigName,
      'CodeDeployDefault.ECSAllAtOnce',
    );
  }),

  scenario(
    'a group without a Ready wait refuses a smoke gate before anything changes',
    { ...FAST, readyWaitMinutes: 0 },
    async (s, c, out, green) => {
      const run = await s.run('deploy', apiInputs(green));
      out.push(run.summary);
      c.exit(run, false);
      c.equal('nothing registered', s.calls('RegisterTaskDefinition').length, 0);
      c.equal('no deployment created', s.calls('CreateDeployment').length, 0);
      c.that('the message says why', /Ready/.test(run.log), run.log.slice(-400));
    },
  ),

  scenario('worker: ECS rolling update', FAST, async (s, c, out) => {
    const run = await s.run('deploy', {
      cluster: 'notify-staging',
      service: WORKER,
      image: IMAGE(WORKER, 'c0ffee1'),
      'poll-seconds': '1',
      environment: 'staging',
    });
    out.push(run.summary);
    c.exit(run, true);
    c.equal('status output', run.outputs.status, 'Succeeded');
    c.equal('one UpdateService', s.calls('UpdateService').length, 1);
    c.equal(
      'worker runs the new revision',
      s.world.services.get(WORKER)!.taskDefinition,
      run.outputs['task-definition-arn'],
    );
  }),
];

export async function runScenarios(
  green: GreenTasks,
  only?: (name: string) => boolean,
): Promise<ScenarioResult[]> {
  const chosen = scenarios.filter((s) => !only || only(s.name));
  // Independent worlds and servers: run them side by side (the slowest waits out a deadline).
  return Promise.all(chosen.map((s) => s.run(green)));
}
