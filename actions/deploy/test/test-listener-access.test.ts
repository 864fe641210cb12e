// The test listener is opened to the runner's /32 only while the smoke test runs. EC2 is played
// by a stateful fake with EC2's documented answers for a non-default VPC: a rule that exists is
// InvalidPermission.Duplicate on authorize, a rule that does not is InvalidPermission.NotFound on
// revoke, and a denied call is UnauthorizedOperation.
import {
  AuthorizeSecurityGroupIngressCommand,
  EC2Client,
  EC2ServiceException,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SmokeOptions, SmokeReport } from '../../smoke-test/src/smoke.ts';
import {
  describeRun,
  findPublicIpv4,
  readTestListenerTarget,
  ruleDescription,
  REVOKE_BUDGET_MS,
  REVOKE_RETRY_DELAYS_MS,
  withTestListenerAccess,
  type LeftOpenRule,
  type TestListenerAccessOptions,
} from '../src/test-listener-access.ts';
import { passingSmoke } from './fixtures.ts';

const region = 'eu-west-1';
const groupId = 'sg-0abc1234def567890';
const port = 8443;
const runnerIp = '203.0.113.7';

const ec2Mock = mockClient(EC2Client);
const ec2 = new EC2Client({ region });

const httpStatusOf: Record<string, number> = {
  UnauthorizedOperation: 403,
  // EC2 answers throttling with 503, which the SDK also counts as throttling by its code.
  RequestLimitExceeded: 503,
};

function ec2Error(name: string, message: string, attempts = 1): EC2ServiceException {
  return new EC2ServiceException({
    name,
    message,
    $fault: name === 'RequestLimitExceeded' ? 'server' : 'client',
    $metadata: { httpStatusCode: httpStatusOf[name] ?? 400, attempts },
  });
}

/** What the SDK throws when no answer came back: a timeout, with no HTTP status. */
function lostAnswer(attempts: number): Error {
  return Object.assign(new Error('Connection timed out after 30000 ms'), {
    name: 'TimeoutError',
    $metadata: { attempts },
  });
}

/** The SDK's answer after its own retries ran out on EC2's throttling. */
const throttled = () => ec2Error('RequestLimitExceeded', 'Request limit exceeded.', 6);

/** One security group in a non-default VPC: ingress rules keyed by protocol, ports and CIDR. */
function fakeSecurityGroup(standing: string[] = []) {
  const rules = new Map<string, string | undefined>(
    standing.map((cidr) => [key(cidr), 'standing']),
  );
  function key(cidr: string, from = port, to = port) {
    return `tcp:${from}-${to}:${cidr}`;
  }
  const cidrsOf = (permissions: IpPermission[] | undefined) =>
    (permissions ?? []).flatMap((permission) =>
      (permission.IpRanges ?? []).map((range) => ({
        key: key(range.CidrIp ?? '', permission.FromPort, permission.ToPort),
        cidr: range.CidrIp ?? '',
        description: range.Description,
      })),
    );
  ec2Mock.on(AuthorizeSecurityGroupIngressCommand).callsFake((input) => {
    if (input.GroupId !== groupId) {
      throw ec2Error(
        'InvalidGroup.NotFound',
        `The security group '${input.GroupId}' does not exist`,
      );
    }
    const wanted = cidrsOf(input.IpPermissions);
    const duplicate = wanted.find((rule) => rules.has(rule.key));
    if (duplicate) {
      throw ec2Error(
        'InvalidPermission.Duplicate',
        `the specified rule "peer: ${duplicate.cidr}, TCP, from port: ${port}, to port: ${port}, ALLOW" already exists`,
      );
    }
    for (const rule of wanted) rules.set(rule.key, rule.description);
    return {
      Return: true,
      SecurityGroupRules: wanted.map((rule, index) => ({
        SecurityGroupRuleId: `sgr-0000000000000000${index}`,
        GroupId: groupId,
        IsEgress: false,
        IpProtocol: 'tcp',
        FromPort: port,
        ToPort: port,
        CidrIpv4: rule.cidr,
        Description: rule.description,
      })),
    };
  });
  const revoke = (input: { IpPermissions?: IpPermission[] }) => {
    const wanted = cidrsOf(input.IpPermissions);
    if (wanted.some((rule) => !rules.has(rule.key))) {
      throw ec2Error(
        'InvalidPermission.NotFound',
        'The specified rule does not exist in this security group.',
      );
    }
    for (const rule of wanted) rules.delete(rule.key);
    return { Return: true };
  };
  ec2Mock.on(RevokeSecurityGroupIngressCommand).callsFake(revoke);
  return {
    has: (cidr: string) => rules.has(key(cidr)),
    descriptionOf: (cidr: string) => rules.get(key(cidr)),
    remove: (cidr: string) => rules.delete(key(cidr)),
    add: (cidr: string, description: string) => rules.set(key(cidr), description),
    size: () => rules.size,
    /** EC2's own revoke, for fakes that fail first and then let EC2 answer. */
    revoke,
  };
}

const smokeOptions: SmokeOptions = {
  baseUrl: 'https://api.staging.example.com:8443',
  token: 'smoke-token',
  recipient: 'success@simulator.amazonses.com',
  deadlineMs: 1_000,
  log: () => {},
};

function accessOptions(overrides: Partial<TestListenerAccessOptions> = {}) {
  const logs: string[] = [];
  const errors: string[] = [];
  const leftOpen: LeftOpenRule[] = [];
  const sleeps: number[] = [];
  const options: TestListenerAccessOptions = {
    ec2,
    region,
    securityGroupId: groupId,
    port,
    description: 'deploy smoke test, owner/repo run 42 attempt 1 job deploy-staging',
    log: (line) => logs.push(line),
    error: (line) => errors.push(line),
    onLeftOpen: (rule) => leftOpen.push(rule),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    findAddress: async () => runnerIp,
    signals: new EventEmitter(),
    exit: () => {},
    ...overrides,
  };
  return { options, logs, errors, leftOpen, sleeps };
}

beforeEach(() => ec2Mock.reset());

describe('withTestListenerAccess', () => {
  it("allows the runner's /32 on the test port only while the smoke test runs", async () => {
    const group = fakeSecurityGroup();
    const { options, logs } = accessOptions();
    let openDuringSmoke = false;
    let descriptionDuringSmoke: string | undefined;
    const run = withTestListenerAccess(async () => {
      openDuringSmoke = group.has(`${runnerIp}/32`);
      descriptionDuringSmoke = group.descriptionOf(`${runnerIp}/32`);
      return passingSmoke;
    }, options);

    expect(group.has(`${runnerIp}/32`)).toBe(false);
    const report = await run(smokeOptions);

    expect(report.failed).toBe(0);
    expect(openDuringSmoke).toBe(true);
    expect(descriptionDuringSmoke).toBe(options.description);
    expect(group.size()).toBe(0);
    expect(ec2Mock.commandCalls(AuthorizeSecurityGroupIngressCommand)[0].args[0].input).toEqual({
      GroupId: groupId,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: port,
          ToPort: port,
          IpRanges: [{ CidrIp: `${runnerIp}/32`, Description: options.description }],
        },
      ],
    });
    expect(logs).toEqual([
      `Opened the test listener to ${runnerIp}/32 on port ${port} of ${groupId} for the smoke test`,
      `Closed the test listener to ${runnerIp}/32 on port ${port} of ${groupId}`,
    ]);
  });

  it('closes it again when the smoke test throws, and passes the error on', async () => {
    const group = fakeSecurityGroup();
    const { options } = accessOptions();
    const run = withTestListenerAccess(async () => {
      throw new Error('socket hang up');
    }, options);

    await expect(run(smokeOptions)).rejects.toThrow('socket hang up');
    expect(group.size()).toBe(0);
    expect(ec2Mock.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
  });

  it('uses a standing rule for the same address (InvalidPermission.Duplicate) and leaves it', async () => {
    const group = fakeSecurityGroup([`${runnerIp}/32`]);
    const { options, logs } = accessOptions();
    const smoke = jest.fn(async () => passingSmoke);

    await withTestListenerAccess(smoke, options)(smokeOptions);

    expect(smoke).toHaveBeenCalledTimes(1);
    expect(group.has(`${runnerIp}/32`)).toBe(true);
    expect(group.descriptionOf(`${runnerIp}/32`)).toBe('standing');
    expect(ec2Mock.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    expect(logs[0]).toMatch(/already admits .* leaving it as it is/);
  });

  it('removes the rule a retried authorize meets: its own first attempt added it', async () => {
    // EC2 added the rule but the answer was lost; the SDK's second attempt is told Duplicate.
    const group = fakeSecurityGroup();
    ec2Mock.on(AuthorizeSecurityGroupIngressCommand).callsFake(() => {
      group.add(
        `${runnerIp}/32`,
        'deploy smoke test, owner/repo run 42 attempt 1 job deploy-staging',
      );
      const error = ec2Error(
        'InvalidPermission.Duplicate',
        `the specified rule "peer: ${runnerIp}/32, TCP, from port: ${port}, to port: ${port}, ALLOW" already exists`,
      );
      error.$metadata.attempts = 2;
      throw error;
    });
    const { options, logs } = accessOptions();
    let openDuringSmoke = false;

    await withTestListenerAccess(async () => {
      openDuringSmoke = group.has(`${runnerIp}/32`);
      return passingSmoke;
    }, options)(smokeOptions);

    expect(openDuringSmoke).toBe(true);
    expect(group.size()).toBe(0);
    expect(logs[0]).toMatch(/after a retried authorize: taking the rule as this run's/);
  });

  it('accepts a rule already removed by someone else (InvalidPermission.NotFound)', async () => {
    const group = fakeSecurityGroup();
    const { options, logs, errors } = accessOptions();
    const run = withTestListenerAccess(async () => {
      group.remove(`${runnerIp}/32`);
      return passingSmoke;
    }, options);

    const report = await run(smokeOptions);

    expect(report.failed).toBe(0);
    expect(errors).toEqual([]);
    expect(logs.at(-1)).toMatch(/was already gone/);
  });

  it('accepts the default-VPC answer for a missing rule (success listing UnknownIpPermissions)', async () => {
    fakeSecurityGroup();
    ec2Mock.on(RevokeSecurityGroupIngressCommand).resolves({
      Return: true,
      UnknownIpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port }],
    });
    const { options, logs, errors } = accessOptions();

    await withTestListenerAccess(async () => passingSmoke, options)(smokeOptions);

    expect(errors).toEqual([]);
    expect(logs.at(-1)).toMatch(/was already gone/);
  });

  it('fails the smoke run (and never runs it) when the role may not open the listener', async () => {
    fakeSecurityGroup();
    ec2Mock
      .on(AuthorizeSecurityGroupIngressCommand)
      .rejects(
        ec2Error(
          'UnauthorizedOperation',
          `You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/notify-staging-github-deploy/gha is not authorized to perform: ec2:AuthorizeSecurityGroupIngress on resource: arn:aws:ec2:${region}:123456789012:security-group/${groupId} because no identity-based policy allows the ec2:AuthorizeSecurityGroupIngress action.`,
        ),
      );
    const smoke = jest.fn(async () => passingSmoke);
    const { options } = accessOptions();

    await expect(withTestListenerAccess(smoke, options)(smokeOptions)).rejects.toThrow(
      /ec2:AuthorizeSecurityGroupIngress failed: UnauthorizedOperation.*\n.*may not call ec2:AuthorizeSecurityGroupIngress on arn:aws:ec2:/,
    );
    expect(smoke).not.toHaveBeenCalled();
    expect(ec2Mock.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
  });

  it('keeps the smoke verdict when closing fails, and reports the rule left open', async () => {
    fakeSecurityGroup();
    ec2Mock
      .on(RevokeSecurityGroupIngressCommand)
      .rejects(
        ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation.'),
      );
    const { options, errors, leftOpen, sleeps } = accessOptions();

    const report = await withTestListenerAccess(async () => passingSmoke, options)(smokeOptions);

    expect(report.failed).toBe(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`could not remove ${runnerIp}/32 on port ${port} of ${groupId}`);
    expect(errors[0]).toContain(`Remove the rule described '${options.description}'`);
    // A refusal is not retried: the same call would be refused again.
    expect(ec2Mock.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(leftOpen).toEqual([
      {
        securityGroupId: groupId,
        port,
        cidr: `${runnerIp}/32`,
        region,
        description: options.description,
        reason: expect.stringContaining('UnauthorizedOperation'),
      },
    ]);
  });

  it('revokes again, backing off, when the SDK gave up on throttling (RequestLimitExceeded)', async () => {
    const group = fakeSecurityGroup();
    let revokes = 0;
    ec2Mock.on(RevokeSecurityGroupIngressCommand).callsFake((input) => {
      revokes += 1;
      if (revokes <= 2) throw throttled();
      return group.revoke(input);
    });
    const { options, logs, errors, leftOpen, sleeps } = accessOptions();

    await withTestListenerAccess(async () => passingSmoke, options)(smokeOptions);

    expect(revokes).toBe(3);
    expect(group.size()).toBe(0);
    expect(sleeps).toEqual(REVOKE_RETRY_DELAYS_MS.slice(0, 2));
    expect(sleeps[1]).toBeGreaterThan(sleeps[0]!);
    expect(errors).toEqual([]);
    expect(leftOpen).toEqual([]);
    expect(logs).toContain(
      `Could not close the test listener to ${runnerIp}/32 on port ${port} of ${groupId} yet (RequestLimitExceeded); trying again in 2 s`,
    );
    expect(logs.at(-1)).toBe(
      `Closed the test listener to ${runnerIp}/32 on port ${port} of ${groupId}`,
    );
  });

  it('counts InvalidPermission.NotFound after a lost answer as closed (our earlier attempt removed it)', async () => {
    const group = fakeSecurityGroup();
    let revokes = 0;
    ec2Mock.on(RevokeSecurityGroupIngressCommand).callsFake((input) => {
      revokes += 1;
      if (revokes === 1) {
        // EC2 removed the rule; every answer of the SDK's attempts was lost.
        group.revoke(input);
        throw lostAnswer(6);
      }
      return group.revoke(input);
    });
    const { options, logs, errors, leftOpen } = accessOptions();

    await withTestListenerAccess(async () => passingSmoke, options)(smokeOptions);

    expect(revokes).toBe(2);
    expect(errors).toEqual([]);
    expect(leftOpen).toEqual([]);
    expect(logs.at(-1)).toBe(
      `Test listener rule ${runnerIp}/32 on port ${port} of ${groupId} was already gone (an earlier attempt of this revoke removed it)`,
    );
  });

  it("counts the SDK's own retried revoke meeting InvalidPermission.NotFound as closed", async () => {
    const group = fakeSecurityGroup();
    ec2Mock.on(RevokeSecurityGroupIngressCommand).callsFake((input) => {
      // Inside send(): attempt 1 removed the rule and its answer was lost; attempt 2 is told so.
      group.revoke(input);
      throw ec2Error(
        'InvalidPermission.NotFound',
        'The specified rule does not exist in this security group.',
        2,
      );
    });
    const { options, logs, errors, leftOpen, sleeps } = accessOptions();

    await withTestListenerAccess(async () => passingSmoke, options)(smokeOptions);

    expect(group.size()).toBe(0);
    expect(sleeps).toEqual([]);
    expect(errors).toEqual([]);
    expect(leftOpen).toEqual([]);
    expect(logs.at(-1)).toMatch(
      /was already gone \(an earlier attempt of this revoke removed it\)$/,
    );
  });

  it('starts no further revoke once revoking has taken REVOKE_BUDGET_MS (unanswered attempts)', async () => {
    fakeSecurityGroup();
    let clock = 0;
    ec2Mock.on(RevokeSecurityGroupIngressCommand).callsFake(() => {
      // Unanswered attempts of 30 s each inside one send(): the next wait would end past the budget.
      clock += REVOKE_BUDGET_MS - 1_000;
      throw lostAnswer(6);
    });
    const { options, errors, leftOpen } = accessOptions({ now: () => clock });

    await withTestListenerAccess(async () => passingSmoke, options)(smokeOptions);

    expect(ec2Mock.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(leftOpen[0]!.reason).toContain('TimeoutError');
  });

  it('reports the rule left open once every further revoke was throttled too', async () => {
    const group = fakeSecurityGroup();
    ec2Mock.on(RevokeSecurityGroupIngressCommand).callsFake(() => {
      throw throttled();
    });
    const { options, errors, leftOpen, sleeps } = accessOptions();

    const report = await withTestListenerAccess(async () => passingSmoke, options)(smokeOptions);

    expect(report.failed).toBe(0);
    expect(ec2Mock.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(
      1 + REVOKE_RETRY_DELAYS_MS.length,
    );
    expect(sleeps).toEqual(REVOKE_RETRY_DELAYS_MS);
    expect(group.has(`${runnerIp}/32`)).toBe(true);
    expect(errors).toHaveLength(1);
    expect(leftOpen).toHaveLength(1);
    expect(leftOpen[0]).toMatchObject({ cidr: `${runnerIp}/32`, securityGroupId: groupId, port });
    expect(leftOpen[0]!.reason).toContain('RequestLimitExceeded');
  });

  it('closes it when the job is cancelled mid-smoke, then exits', async () => {
    const group = fakeSecurityGroup();
    const signals = new EventEmitter();
    let exited: number | undefined;
    let exitedWithRuleGone: boolean | undefined;
    const { options } = accessOptions({
      signals,
      exit: (code) => {
        exited = code;
        exitedWithRuleGone = !group.has(`${runnerIp}/32`);
      },
    });
    let release: (report: SmokeReport) => void = () => {};
    const run = withTestListenerAccess(
      () =>
        new Promise<SmokeReport>((resolve) => {
          release = resolve;
          // The runner's cancel: SIGINT while the smoke test is waiting on the listener.
          setImmediate(() => signals.emit('SIGINT'));
        }),
      options,
    );

    const pending = run(smokeOptions);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exited).toBe(130);
    expect(exitedWithRuleGone).toBe(true);
    // A SIGTERM after the SIGINT does not revoke twice.
    signals.emit('SIGTERM');
    release(passingSmoke);
    await pending;
    expect(ec2Mock.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });
});

describe('findPublicIpv4', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      if (server.listening) await new Promise((resolve) => server.close(resolve));
    }
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  it('reads the bare address checkip answers with', async () => {
    const url = await serve((_request, response) => response.end(`${runnerIp}\n`));
    await expect(findPublicIpv4({ url })).resolves.toBe(runnerIp);
  });

  it('gives up after its timeout on a server that never answers, saying why', async () => {
    const url = await serve(() => {
      // Accepts the request and never answers.
    });
    const started = Date.now();
    await expect(findPublicIpv4({ url, timeoutMs: 200 })).rejects.toThrow(
      /Could not find this runner's public IPv4 address from http:\/\/127\.0\.0\.1:\d+\/: no answer within 0\.2 s\. The test listener stays closed/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses an answer that is not an IPv4 address', async () => {
    const url = await serve((_request, response) => response.end('<html>captive portal</html>'));
    await expect(findPublicIpv4({ url })).rejects.toThrow(/not an IPv4 address/);
    const url6 = await serve((_request, response) => response.end('2001:db8::1\n'));
    await expect(findPublicIpv4({ url: url6 })).rejects.toThrow(/not an IPv4 address/);
  });

  it('refuses an HTTP error', async () => {
    const url = await serve((_request, response) => {
      response.statusCode = 503;
      response.end('busy');
    });
    await expect(findPublicIpv4({ url })).rejects.toThrow(/HTTP 503/);
  });

  it('reports a refused connection', async () => {
    const url = await serve(() => {});
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    await expect(findPublicIpv4({ url })).rejects.toThrow(/Could not find this runner's/);
  });
});

describe('inputs and rule description', () => {
  const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? '';
  const testUrl = 'https://api.staging.example.com:8443';

  it('reads both or neither, only with test-url, and validates each', () => {
    expect(readTestListenerTarget(inputs({}), testUrl)).toBeUndefined();
    expect(
      readTestListenerTarget(
        inputs({ 'test-listener-security-group-id': groupId, 'test-listener-port': '8443' }),
        testUrl,
      ),
    ).toEqual({
      securityGroupId: groupId,
      port: 8443,
      checkipUrl: 'https://checkip.amazonaws.com',
    });
    expect(() => readTestListenerTarget(inputs({ 'test-listener-port': '8443' }), testUrl)).toThrow(
      "Input 'test-listener-security-group-id' is required when 'test-listener-port'",
    );
    expect(() =>
      readTestListenerTarget(inputs({ 'test-listener-security-group-id': groupId }), testUrl),
    ).toThrow("Input 'test-listener-port' is required");
    expect(() =>
      readTestListenerTarget(
        inputs({ 'test-listener-security-group-id': groupId, 'test-listener-port': '8443' }),
        undefined,
      ),
    ).toThrow("give 'test-url' as well");
    expect(() =>
      readTestListenerTarget(
        inputs({ 'test-listener-security-group-id': 'default', 'test-listener-port': '8443' }),
        testUrl,
      ),
    ).toThrow("Input 'test-listener-security-group-id' must be a security group id");
    expect(() =>
      readTestListenerTarget(
        inputs({ 'test-listener-security-group-id': groupId, 'test-listener-port': '70000' }),
        testUrl,
      ),
    ).toThrow("Input 'test-listener-port' must be at most 65535");
  });

  it('reads checkip-url: https anywhere, plain http only to this machine', () => {
    const target = (url: string) =>
      readTestListenerTarget(
        inputs({
          'test-listener-security-group-id': groupId,
          'test-listener-port': '8443',
          'checkip-url': url,
        }),
        testUrl,
      );
    expect(target('https://ip.example.com/')?.checkipUrl).toBe('https://ip.example.com');
    expect(target('http://127.0.0.1:4000/')?.checkipUrl).toBe('http://127.0.0.1:4000');
    expect(target('http://localhost:4000')?.checkipUrl).toBe('http://localhost:4000');
    expect(() => target('http://ip.example.com')).toThrow(
      "Input 'checkip-url' must use https (its answer is the address let into the test listener)",
    );
    expect(() => target('http://127.0.0.1.nip.io')).toThrow("Input 'checkip-url' must use https");
  });

  it('names the run in characters EC2 accepts in a rule description', () => {
    expect(
      describeRun({
        GITHUB_REPOSITORY: 'acme/notify',
        GITHUB_RUN_ID: '123',
        GITHUB_RUN_ATTEMPT: '2',
        GITHUB_JOB: 'deploy-staging',
      }),
    ).toBe('deploy smoke test, acme/notify run 123 attempt 2 job deploy-staging');
    expect(ruleDescription('a&b<c>"d\'é')).toBe('a_b_c__d__');
    expect(ruleDescription('x'.repeat(300))).toHaveLength(255);
  });
});
