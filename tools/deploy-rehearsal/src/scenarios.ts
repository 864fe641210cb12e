// The deploy paths a team meets in its first weeks, each rehearsed end to end: the committed
// bundles, run as a runner runs them, against the ECS/CodeDeploy and EC2 stand-ins, with the
// real API as the green tasks behind a test listener that only admits the runner while its
// security group says so. Each scenario states what must hold and reports every check.
import { CodeDeployClient, CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import {
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { freePort } from '@notify/local-stack';
import { startAwsJsonServer, type AwsJsonServer } from './aws-json-server.ts';
import { startAwsQueryServer, type AwsQueryServer } from './aws-query-server.ts';
import { codeDeployStandIn, type CodeDeployStandIn } from './codedeploy.ts';
import { ec2StandIn, type Ec2StandIn } from './ec2.ts';
import { ecsHandlers } from './ecs.ts';
import type { GreenTasks } from './green-tasks.ts';
import { runAction, type ActionRun } from './run-action.ts';
import {
  RUNNER_PUBLIC_IP,
  startCheckIp,
  startTestListener,
  type TestListener,
} from './test-listener.ts';
import {
  TEST_LISTENER_SECURITY_GROUP,
  World,
  type SecurityGroupRecord,
  type WorldOptions,
} from './world.ts';

const API = 'notify-staging-api';
const WORKER = 'notify-staging-worker';
const IMAGE = (service: string, tag: string) =>
  `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${service}:${tag}`;
const RUNNER_RULE = `${RUNNER_PUBLIC_IP}/32`;

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
  ec2Server: AwsQueryServer;
  ec2: Ec2StandIn;
  /** The ALB test listener in front of the green tasks. */
  listener: TestListener;
  checkipUrl: string;
  testListenerGroup(): SecurityGroupRecord;
  run(action: string, inputs: Record<string, string>): Promise<ActionRun>;
  /** Successful calls of one operation, on either stand-in. */
  calls(operation: string): Record<string, unknown>[];
  close(): Promise<void>;
}

async function stage(options: WorldOptions, green: GreenTasks): Promise<Stage> {
  // The World seeds standing rules on the listener's port, so the port comes first.
  const listenerPort = await freePort();
  const world = new World({ ...options, testListenerPort: listenerPort });
  const codeDeploy = codeDeployStandIn(world);
  const ec2 = ec2StandIn(world);
  const testListenerGroup = () => world.securityGroups.get(TEST_LISTENER_SECURITY_GROUP)!;
  const server = await startAwsJsonServer([ecsHandlers(world), codeDeploy.handlers]);
  const ec2Server = await startAwsQueryServer({ region: world.region, operations: ec2.operations });
  const listener = await startTestListener({
    port: listenerPort,
    group: testListenerGroup,
    upstream: green.url,
  });
  const checkip = await startCheckIp();
  return {
    world,
    server,
    codeDeploy,
    ec2Server,
    ec2,
    listener,
    checkipUrl: checkip.url,
    testListenerGroup,
    run: (action, inputs) =>
      runAction(action, inputs, {
        endpoint: server.url,
        ec2Endpoint: ec2Server.url,
        region: world.region,
      }),
    calls: (operation) => [
      ...server.calls.filter((c) => c.operation === operation && !c.error).map((c) => c.input),
      ...ec2Server.calls.filter((c) => c.operation === operation && !c.error).map((c) => c.input),
    ],
    async close() {
      await Promise.all([server.close(), ec2Server.close(), listener.close(), checkip.close()]);
    },
  };
}

/** The answers EC2 gave one operation, in order ('ok' or the error code); '' for no call. */
function ec2Answers(s: Stage, operation: string): string {
  return s.ec2Server.calls
    .filter((call) => call.operation === operation)
    .map((call) => call.error ?? 'ok')
    .join(', ');
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

/** The smoke gate's inputs as deploy.yml and rollback.yml give them: closed test listener. */
function smokeGateInputs(s: Stage, green: GreenTasks) {
  return {
    'test-url': s.listener.url,
    'test-listener-security-group-id': TEST_LISTENER_SECURITY_GROUP,
    'test-listener-port': String(s.listener.port),
    'checkip-url': s.checkipUrl,
    'smoke-token': green.token,
  };
}

function apiInputs(s: Stage, green: GreenTasks, overrides: Record<string, string> = {}) {
  return {
    cluster: 'notify-staging',
    service: API,
    image: IMAGE(API, 'c0ffee1'),
    'codedeploy-application': API,
    'codedeploy-deployment-group': API,
    ...smokeGateInputs(s, green),
    'poll-seconds': '1',
    environment: 'staging',
    ...overrides,
  };
}

/**
 * The test listener around a smoke test this run opened itself: the runner's /32 added once
 * before the first smoke request, every request admitted, and the rule removed after the last.
 */
function checkListenerOpenedOnlyForSmoke(
  s: Stage,
  c: Checks,
  /** Where the records stood before this run, so a second run is checked on its own. */
  since = { requests: 0, history: 0 },
): void {
  const requests = s.listener.requests.slice(since.requests);
  const history = s
    .testListenerGroup()
    .history.slice(since.history)
    .filter((h) => h.rule.cidr === RUNNER_RULE);
  const opened = history.filter((h) => h.change === 'authorized');
  const closed = history.filter((h) => h.change === 'revoked');
  c.that('smoke test went through the test listener', requests.length > 0, 'no request arrived');
  c.that(
    "every smoke request found the runner's /32 open",
    requests.every((r) => r.admitted) && s.listener.refusedConnections === 0,
    `${requests.filter((r) => !r.admitted).length} request(s) and ${s.listener.refusedConnections} connection(s) refused`,
  );
  c.equal('the /32 rule added once', opened.length, 1);
  c.equal('and removed once', closed.length, 1);
  c.that(
    'added before the first smoke request, removed after the last',
    opened.length === 1 &&
      closed.length === 1 &&
      requests.length > 0 &&
      opened[0]!.at <= requests[0]!.at &&
      closed[0]!.at >= requests.at(-1)!.at,
    JSON.stringify({ opened: opened[0]?.at, closed: closed[0]?.at, first: requests[0]?.at }),
  );
  c.that(
    'the test listener is closed again',
    !s.testListenerGroup().ingress.some((rule) => rule.cidr === RUNNER_RULE),
    JSON.stringify(s.testListenerGroup().ingress),
  );
  c.that(
    "the rule's description names the workflow run",
    /run 4242 attempt 1 job /.test(opened[0]?.rule.description ?? ''),
    String(opened[0]?.rule.description),
  );
}

export interface Scenario {
  name: string;
  run(green: GreenTasks): Promise<ScenarioResult>;
}

/** The API deploy with the workflow's inputs, its summary kept, checked to have succeeded. */
async function deploySucceeds(s: Stage, c: Checks, out: string[], green: GreenTasks) {
  const run = await s.run('deploy', apiInputs(s, green));
  out.push(run.summary);
  c.exit(run, true);
  c.equal('status output', run.outputs.status, 'Succeeded');
  return run;
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
      const s = await stage(world, green);
      const checks = new Checks();
      const summaries: string[] = [];
      try {
        await body(s, checks, summaries, green);
      } catch (error) {
        checks.that('scenario ran to the end', false, String(error));
      } finally {
        await s.close();
      }
      return { name, checks: checks.list, summaries, durationMs: Date.now() - started };
    },
  };
}

/**
 * The job summary of a run that could not close the test listener: right under the verdict, a
 * warning naming the security group, port and the runner's /32, and the command that removes it.
 */
function checkLeftOpenWarning(s: Stage, c: Checks, summary: string): void {
  const port = s.listener.port;
  const warning = summary.indexOf(`### ⚠️ Test listener left open to ${RUNNER_RULE}`);
  c.that(
    'the summary warns that the test listener was left open to the /32',
    warning >= 0,
    summary.slice(0, 1500),
  );
  c.that(
    'the warning comes right under the verdict',
    summary.indexOf(': Succeeded') < warning && warning < summary.indexOf('**Service**'),
    summary.slice(0, 1500),
  );
  c.that(
    'it says who can reach what',
    summary.includes('reachable from that address while they wait at Ready'),
    summary.slice(0, 1500),
  );
  c.that(
    'it names the security group, port and CIDR',
    summary.includes(
      `| \`${TEST_LISTENER_SECURITY_GROUP}\` | \`${port}/tcp\` | \`${RUNNER_RULE}\` | ${s.world.region} |`,
    ),
    summary.slice(0, 2000),
  );
  const command =
    `aws ec2 revoke-security-group-ingress --region ${s.world.region} --group-id ${TEST_LISTENER_SECURITY_GROUP} ` +
    `--ip-permissions '[{"IpProtocol":"tcp","FromPort":${port},"ToPort":${port},"IpRanges":[{"CidrIp":"${RUNNER_RULE}"}]}]'`;
  c.that(
    'it gives the revoke command to paste',
    summary.includes(`\`\`\`sh\n${command}\n\`\`\``),
    summary.slice(0, 2500),
  );
}

const FAST: WorldOptions = { minuteMs: 200, stepMs: 100, terminationWaitMinutes: 2 };

export const scenarios: Scenario[] = [
  scenario('deploy passes the smoke gate and shifts traffic', FAST, async (s, c, out, green) => {
    const live = s.world.services.get(API)!.taskDefinition;
    const run = await deploySucceeds(s, c, out, green);
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
    checkListenerOpenedOnlyForSmoke(s, c);
  }),

  scenario('smoke test fails at Ready: stopped with rollback', FAST, async (s, c, out, green) => {
    const live = s.world.services.get(API)!.taskDefinition;
    const run = await s.run(
      'deploy',
      apiInputs(s, green, { 'smoke-token': 'not-the-token-of-the-green-tasks' }),
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
    checkListenerOpenedOnlyForSmoke(s, c);
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
      const run = await s.run('deploy', apiInputs(s, green, { 'timeout-minutes': '1' }));
      out.push(run.summary);
      c.equal('status output', run.outputs.status, 'TimedOut');
      c.equal('no StopDeployment', s.calls('StopDeployment').length, 0);
      const deployment = s.codeDeploy.deployments[0];
      c.equal('deployment still InProgress (termination wait)', deployment?.status, 'InProgress');
      c.equal('green serves 100 %', deployment?.green?.trafficWeight, 100);
      checkListenerOpenedOnlyForSmoke(s, c);
    },
  ),

  scenario(
    'rollback while a deployment waits at Ready',
    // A long ready wait: the deployment must still be waiting when the rollback job starts.
    { ...FAST, readyWaitMinutes: 600 },
    async (s, c, out, green) => {
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
        ...smokeGateInputs(s, green),
        'poll-seconds': '1',
        environment: 'staging',
      });
      out.push(run.summary);
      c.exit(run, true);
      // Stopping sends traffic back to blue, which needs no smoke test.
      c.equal('the test listener never opened', s.ec2Server.calls.length, 0);
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
    const deploy = await s.run('deploy', apiInputs(s, green));
    out.push(deploy.summary);
    c.equal('the deploy before it succeeded', deploy.outputs.status, 'Succeeded');
    const afterDeploy = {
      requests: s.listener.requests.length,
      history: s.testListenerGroup().history.length,
    };
    // Terraform registers revisions too (a setting changed); those are not releases.
    s.world.registerTaskDefinition({ ...s.world.findTaskDefinition(first)!.body }, []);
    const run = await s.run('rollback', {
      cluster: 'notify-staging',
      service: API,
      'codedeploy-application': API,
      'codedeploy-deployment-group': API,
      ...smokeGateInputs(s, green),
      'poll-seconds': '1',
      environment: 'staging',
    });
    out.push(run.summary);
    c.exit(run, true);
    c.equal('status output', run.outputs.status, 'Succeeded');
    c.equal('service back on the first release', s.world.services.get(API)!.taskDefinition, first);
    checkListenerOpenedOnlyForSmoke(s, c, afterDeploy);
    c.that(
      "the rollback's rule names the rollback job",
      /job rollback-staging$/.test(s.testListenerGroup().history.at(-1)?.rule.description ?? ''),
      String(s.testListenerGroup().history.at(-1)?.rule.description),
    );
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
      const run = await s.run('deploy', apiInputs(s, green));
      out.push(run.summary);
      c.exit(run, false);
      c.equal('nothing registered', s.calls('RegisterTaskDefinition').length, 0);
      c.equal('no deployment created', s.calls('CreateDeployment').length, 0);
      c.that('the message says why', /Ready/.test(run.log), run.log.slice(-400));
      c.equal('the test listener never opened', s.ec2Server.calls.length, 0);
    },
  ),

  scenario(
    "test listener: a standing rule for the runner's address is used and left alone",
    { ...FAST, testListenerCidrBlocks: [RUNNER_RULE] },
    async (s, c, out, green) => {
      const run = await deploySucceeds(s, c, out, green);
      c.equal(
        'EC2 answered the authorize with InvalidPermission.Duplicate',
        ec2Answers(s, 'AuthorizeSecurityGroupIngress'),
        'InvalidPermission.Duplicate',
      );
      c.equal('no revoke', ec2Answers(s, 'RevokeSecurityGroupIngress'), '');
      c.that(
        'the standing rule is still there, unchanged',
        s
          .testListenerGroup()
          .ingress.some(
            (rule) => rule.cidr === RUNNER_RULE && rule.description === 'Blue/green test listener',
          ),
        JSON.stringify(s.testListenerGroup().ingress),
      );
      c.that(
        'every smoke request was admitted',
        s.listener.requests.length > 0 && s.listener.requests.every((r) => r.admitted),
        `${s.listener.requests.length} request(s)`,
      );
      c.that(
        'the log says the standing rule was used',
        /already admits .* leaving it as it is/.test(run.log),
        run.log.slice(-600),
      );
    },
  ),

  scenario(
    'test listener: a revoke EC2 refuses keeps the verdict and the summary says how to close the rule',
    FAST,
    async (s, c, out, green) => {
      s.ec2.inject('RevokeSecurityGroupIngress', {
        kind: 'error',
        code: 'UnauthorizedOperation',
        status: 403,
        message: `You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/notify-staging-github-deploy/GitHubActions is not authorized to perform: ec2:RevokeSecurityGroupIngress on resource: arn:aws:ec2:eu-west-1:123456789012:security-group/${TEST_LISTENER_SECURITY_GROUP} because no identity-based policy allows the ec2:RevokeSecurityGroupIngress action`,
      });
      const run = await s.run('deploy', apiInputs(s, green));
      out.push(run.summary);
      // Not failed: traffic has shifted, and failing would stop the workflow before the worker.
      c.exit(run, true);
      c.equal('status output', run.outputs.status, 'Succeeded');
      c.equal('traffic shifted', s.calls('ContinueDeployment').length, 1);
      c.equal('not stopped or rolled back', s.calls('StopDeployment').length, 0);
      c.equal(
        'a refusal is not retried',
        ec2Answers(s, 'RevokeSecurityGroupIngress'),
        'UnauthorizedOperation',
      );
      const left = s.testListenerGroup().ingress.find((rule) => rule.cidr === RUNNER_RULE);
      c.that('the /32 rule is indeed still there', left !== undefined, 'rule gone');
      c.that(
        'an error annotation says which rule to remove by hand',
        run.log.includes(
          `::error title=Test listener left open::Test listener left open: could not remove ${RUNNER_RULE} on port ${s.listener.port} of ${TEST_LISTENER_SECURITY_GROUP}`,
        ) && run.log.includes(`Remove the rule described '${left?.description}' by hand`),
        run.log.slice(-1200),
      );
      checkLeftOpenWarning(s, c, run.summary);
      // The command as the summary gives it, sent to EC2: it removes exactly the rule left open.
      const command = /```sh\n(aws ec2 revoke-security-group-ingress [^\n]+)\n```/.exec(
        run.summary,
      )?.[1];
      const groupId = / --group-id (\S+) /.exec(command ?? '')?.[1];
      const permissions = / --ip-permissions '([^']+)'$/.exec(command ?? '')?.[1];
      const before = s.testListenerGroup().ingress.length;
      await new EC2Client({
        region: s.world.region,
        endpoint: s.ec2Server.url,
        credentials: { accessKeyId: 'ASIAOPERATOR', secretAccessKey: 'operator-secret' },
        maxAttempts: 1,
      }).send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: JSON.parse(permissions ?? '[]') as IpPermission[],
        }),
      );
      c.that(
        "the summary's command closes the test listener to the runner, and only that",
        !s.testListenerGroup().ingress.some((rule) => rule.cidr === RUNNER_RULE) &&
          s.testListenerGroup().ingress.length === before - 1,
        JSON.stringify(s.testListenerGroup().ingress),
      );
    },
  ),

  scenario(
    "test listener: a revoke throttled past the SDK's retries is sent again and closes",
    // A Ready wait longer than the SDK's and the action's back-off (the default 30 min in real
    // time is too; here a minute lasts 200 ms).
    { ...FAST, readyWaitMinutes: 600 },
    async (s, c, out, green) => {
      // EC2's throttling answer for 7 calls: all 6 attempts of the SDK's first send, and the
      // first attempt of the action's second revoke.
      s.ec2.inject(
        'RevokeSecurityGroupIngress',
        {
          kind: 'error',
          code: 'RequestLimitExceeded',
          status: 503,
          message: 'Request limit exceeded.',
        },
        7,
      );
      const run = await deploySucceeds(s, c, out, green);
      c.equal(
        'the SDK retried 6 times, then the action revoked again',
        ec2Answers(s, 'RevokeSecurityGroupIngress'),
        [...Array<string>(7).fill('RequestLimitExceeded'), 'ok'].join(', '),
      );
      c.that(
        'the log says it tries again',
        /Could not close the test listener to .* yet \(RequestLimitExceeded\); trying again in 2 s/.test(
          run.log,
        ),
        run.log.slice(-800),
      );
      c.that(
        'no warning in the summary',
        !run.summary.includes('left open'),
        run.summary.slice(0, 800),
      );
      checkListenerOpenedOnlyForSmoke(s, c);
    },
  ),

  scenario(
    'test listener: an authorize whose answer is lost is retried, and its rule still removed',
    FAST,
    async (s, c, out, green) => {
      // EC2 adds the rule, the answer never arrives; the SDK retries and meets its own rule.
      s.ec2.inject('AuthorizeSecurityGroupIngress', { kind: 'drop-after-change' });
      await deploySucceeds(s, c, out, green);
      c.equal(
        "the SDK's retry met the rule its first attempt added",
        ec2Answers(s, 'AuthorizeSecurityGroupIngress'),
        'dropped, InvalidPermission.Duplicate',
      );
      checkListenerOpenedOnlyForSmoke(s, c);
    },
  ),

  scenario(
    'test listener: a revoke whose answer is lost is retried and finds the rule gone',
    FAST,
    async (s, c, out, green) => {
      s.ec2.inject('RevokeSecurityGroupIngress', { kind: 'drop-after-change' });
      const run = await deploySucceeds(s, c, out, green);
      c.equal(
        "the SDK's retry was told the rule is gone",
        ec2Answers(s, 'RevokeSecurityGroupIngress'),
        'dropped, InvalidPermission.NotFound',
      );
      c.that('logged as already gone', /was already gone/.test(run.log), run.log.slice(-600));
      c.that('no error annotation', !run.log.includes('::error::'), run.log.slice(-600));
      checkListenerOpenedOnlyForSmoke(s, c);
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
