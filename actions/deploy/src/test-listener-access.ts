// The blue/green test listener is closed by default (its security group has no ingress): green
// tasks behind it are not approved yet. Around the smoke gate this module opens the runner's
// public IPv4 /32 on the test port, and always closes it again: after the smoke test, when it
// throws, and when the job is cancelled (the runner sends SIGINT, then SIGTERM).
import {
  AuthorizeSecurityGroupIngressCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import {
  awsErrorName,
  awsHttpStatus,
  callAws,
  createInputReader,
  InputError,
  isThrottlingError,
  type GetInput,
} from '@notify/actions-shared';
import type { RunSmokeTests } from './strategy.ts';

export const CHECKIP_URL = 'https://checkip.amazonaws.com';
const CHECKIP_TIMEOUT_MS = 10_000;

export interface TestListenerTarget {
  securityGroupId: string;
  port: number;
  /** Where this runner learns its public IPv4 (input checkip-url). */
  checkipUrl: string;
}

/**
 * The optional inputs test-listener-security-group-id and test-listener-port (both or
 * neither; only with test-url, since they exist for the smoke gate), and checkip-url.
 */
export function readTestListenerTarget(
  getInput: GetInput,
  testUrl: string | undefined,
): TestListenerTarget | undefined {
  const inputs = createInputReader(getInput);
  const securityGroupId = inputs.optional('test-listener-security-group-id', {
    pattern: /^sg-[0-9a-f]{8,17}$/,
    hint: 'a security group id like sg-0123456789abcdef0',
  });
  const portGiven = getInput('test-listener-port').trim() !== '';
  if (!securityGroupId && !portGiven) return undefined;
  if (!securityGroupId) {
    throw new InputError(
      'test-listener-security-group-id',
      "is required when 'test-listener-port' is given",
    );
  }
  if (!portGiven) {
    throw new InputError(
      'test-listener-port',
      "is required when 'test-listener-security-group-id' is given",
    );
  }
  if (!testUrl) {
    throw new InputError(
      'test-listener-security-group-id',
      "is only used to open the test listener for the smoke test: give 'test-url' as well",
    );
  }
  const port = inputs.int('test-listener-port', { required: true, min: 1, max: 65_535 });
  return { securityGroupId, port, checkipUrl: readCheckipUrl(getInput) };
}

/**
 * checkip-url: its answer decides which address the test listener admits, so it must come
 * over TLS; plain http only to this machine (a local stand-in, as the deploy rehearsal runs).
 */
function readCheckipUrl(getInput: GetInput): string {
  const url = createInputReader(getInput).url('checkip-url');
  if (!url) return CHECKIP_URL;
  const { protocol, hostname } = new URL(url);
  const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(hostname);
  if (protocol !== 'https:' && !loopback) {
    throw new InputError(
      'checkip-url',
      `must use https (its answer is the address let into the test listener); got '${url}'`,
    );
  }
  return url;
}

export type FetchText = (url: string, init: { signal: AbortSignal }) => Promise<Response>;

/** This runner's public IPv4 address as AWS sees it (checkip answers with the bare address). */
export async function findPublicIpv4(
  options: { url?: string; timeoutMs?: number; fetch?: FetchText } = {},
): Promise<string> {
  const url = options.url ?? CHECKIP_URL;
  const timeoutMs = options.timeoutMs ?? CHECKIP_TIMEOUT_MS;
  const fetchText = options.fetch ?? fetch;
  const fail = (why: string) =>
    new Error(
      `Could not find this runner's public IPv4 address from ${url}: ${why}. The test listener ` +
        'stays closed without it, so the smoke test cannot reach the replacement tasks. ' +
        "A runner without internet egress needs its range in Terraform's test_listener_cidr_blocks instead.",
    );
  let body: string;
  try {
    // One signal bounds the whole exchange: headers and body.
    const signal = AbortSignal.timeout(timeoutMs);
    const response = await fetchText(url, { signal });
    if (!response.ok) throw fail(`HTTP ${response.status}`);
    body = (await response.text()).trim();
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("Could not find this runner's")) {
      throw error;
    }
    // fetch rejects with a DOMException named TimeoutError when the signal fires.
    const name = (error as { name?: unknown } | undefined)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw fail(`no answer within ${timeoutMs / 1000} s`);
    }
    throw fail(error instanceof Error ? error.message : String(error));
  }
  if (!isIpv4(body)) throw fail(`the answer was not an IPv4 address: '${body.slice(0, 60)}'`);
  return body;
}

function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return (
    parts.length === 4 &&
    parts.every((part) => /^(0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255)
  );
}

/** Characters EC2 accepts in a rule description (a-z, A-Z, 0-9, spaces, ._-:/()#,@[]+=;{}!$*). */
export function ruleDescription(text: string): string {
  return text.replace(/[^A-Za-z0-9 ._\-:/()#,@[\]+=;{}!$*]/g, '_').slice(0, 255);
}

/** Names the workflow run, so a rule left behind by a killed runner can be traced and removed. */
export function describeRun(env: NodeJS.ProcessEnv = process.env): string {
  const run = env.GITHUB_RUN_ID
    ? `${env.GITHUB_REPOSITORY ?? 'repository'} run ${env.GITHUB_RUN_ID} attempt ${env.GITHUB_RUN_ATTEMPT ?? '1'} job ${env.GITHUB_JOB ?? '?'}`
    : 'a local run';
  return ruleDescription(`deploy smoke test, ${run}`);
}

/** Where the signals come from; `process` in the action, an EventEmitter in tests. */
export interface SignalSource {
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  removeListener(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/** A rule this run added and could not remove: what the job summary tells people to close. */
export interface LeftOpenRule {
  securityGroupId: string;
  port: number;
  /** The runner's address, e.g. 203.0.113.7/32. */
  cidr: string;
  region: string;
  description: string;
  /** The last error EC2 (or the network) gave. */
  reason: string;
}

/**
 * Waits before each further revoke after the SDK gave up on a throttled or unanswered one. The
 * SDK has tried 6 times by then (throttling: random waits under 1, 2, 4, 8, 16 s); a rule left
 * open is worth more patience than an ordinary call, but the deployment waits at Ready
 * meanwhile (30 min by default before CodeDeploy stops it), so the patience stays bounded:
 * 3 more revokes after 2, 5 and 10 s, none started once revoking has taken REVOKE_BUDGET_MS
 * (unanswered attempts each take the 30 s request timeout).
 */
export const REVOKE_RETRY_DELAYS_MS = [2_000, 5_000, 10_000];
export const REVOKE_BUDGET_MS = 3 * 60_000;

export interface TestListenerAccessOptions extends Omit<TestListenerTarget, 'checkipUrl'> {
  ec2: EC2Client;
  region: string;
  /** Rule description naming the run (see describeRun). */
  description: string;
  log: (line: string) => void;
  /** A rule that could not be removed (an annotation in the action). Default: log. */
  error?: (line: string) => void;
  /** The same rule as data, for the job summary. */
  onLeftOpen?: (rule: LeftOpenRule) => void;
  /** Default REVOKE_RETRY_DELAYS_MS; its length is the number of further revokes. */
  revokeRetryDelaysMs?: number[];
  sleep?: (ms: number) => Promise<void>;
  /** Epoch ms, for REVOKE_BUDGET_MS. Default Date.now. */
  now?: () => number;
  findAddress?: () => Promise<string>;
  signals?: SignalSource;
  /** Called after a cancellation's revoke; the action exits there. */
  exit?: (code: number) => void;
}

/**
 * Wraps the smoke test so that the test listener admits this runner's /32 only while it runs.
 * An address already allowed (InvalidPermission.Duplicate: a standing rule, e.g. from
 * test_listener_cidr_blocks) is used and left alone, unless the Duplicate answered a retry
 * of our own request (then the rule is ours and removed); a rule already gone at revoke time
 * (InvalidPermission.NotFound) is fine. Any other failure to open fails the smoke run, which
 * the gate counts as a failed check and answers with a rollback.
 */
export function withTestListenerAccess(
  runSmokeTests: RunSmokeTests,
  options: TestListenerAccessOptions,
): RunSmokeTests {
  return async (smokeOptions) => {
    const address = await (options.findAddress ?? findPublicIpv4)();
    const permission: IpPermission = {
      IpProtocol: 'tcp',
      FromPort: options.port,
      ToPort: options.port,
      IpRanges: [{ CidrIp: `${address}/32`, Description: options.description }],
    };
    const where = `${address}/32 on port ${options.port} of ${options.securityGroupId}`;
    const opened = await authorize(options, permission, where);
    if (!opened) return runSmokeTests(smokeOptions);

    let revoked: Promise<void> | undefined;
    const revokeOnce = () => (revoked ??= revoke(options, permission, where));
    const signals = options.signals ?? process;
    const onSignal = () => {
      options.log(`Cancelled: closing the test listener to ${where} before exiting`);
      void revokeOnce().finally(() => (options.exit ?? process.exit)(130));
    };
    signals.once('SIGINT', onSignal);
    signals.once('SIGTERM', onSignal);
    try {
      return await runSmokeTests(smokeOptions);
    } finally {
      signals.removeListener('SIGINT', onSignal);
      signals.removeListener('SIGTERM', onSignal);
      await revokeOnce();
    }
  };
}

/** How many times the SDK sent the request that failed (1 when it was not retried). */
function sdkAttempts(error: unknown): number {
  return (error as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts ?? 1;
}

/** True when this run added the rule (and must remove it). */
async function authorize(
  options: TestListenerAccessOptions,
  permission: IpPermission,
  where: string,
): Promise<boolean> {
  try {
    await callAws(
      {
        operation: 'ec2:AuthorizeSecurityGroupIngress',
        resource: options.securityGroupId,
        region: options.region,
      },
      () =>
        options.ec2.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId: options.securityGroupId,
            IpPermissions: [permission],
          }),
        ),
    );
  } catch (error) {
    const cause = (error as Error).cause;
    if (awsErrorName(cause) !== 'InvalidPermission.Duplicate') throw error;
    if (sdkAttempts(cause) > 1) {
      // The SDK retried (a lost answer, a reset connection, a 5xx): the rule it now meets is
      // most likely the one its first attempt added. Treat it as ours and remove it after the
      // smoke test: a standing rule removed by mistake comes back with the next Terraform
      // apply, while this run's /32 left open would admit that address to unapproved tasks.
      options.log(
        `Test listener admits ${where} after a retried authorize: taking the rule as this run's and removing it after the smoke test`,
      );
      return true;
    }
    options.log(`Test listener already admits ${where} (a standing rule); leaving it as it is`);
    return false;
  }
  options.log(`Opened the test listener to ${where} for the smoke test`);
  return true;
}

/** Throttled, no answer at all (lost, reset, timed out), or a 5xx: another revoke may work. */
function worthRevokingAgain(error: unknown): boolean {
  const status = awsHttpStatus(error);
  return isThrottlingError(error) || status === undefined || status >= 500;
}

/**
 * Never throws: the smoke verdict must not be replaced by a cleanup error. A revoke the SDK gave
 * up on is sent again after each of REVOKE_RETRY_DELAYS_MS when another try may work; a rule
 * still there after that is reported loudly (error, onLeftOpen) for the job summary.
 */
async function revoke(
  options: TestListenerAccessOptions,
  permission: IpPermission,
  where: string,
): Promise<void> {
  // The description is not part of the match (EC2 matches protocol, ports and source).
  const match = { ...permission, IpRanges: permission.IpRanges?.map(({ CidrIp }) => ({ CidrIp })) };
  const delays = options.revokeRetryDelaysMs ?? REVOKE_RETRY_DELAYS_MS;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const startedAt = now();
  for (let round = 0; ; round += 1) {
    try {
      const response = await callAws(
        {
          operation: 'ec2:RevokeSecurityGroupIngress',
          resource: options.securityGroupId,
          region: options.region,
        },
        () =>
          options.ec2.send(
            new RevokeSecurityGroupIngressCommand({
              GroupId: options.securityGroupId,
              IpPermissions: [match],
            }),
          ),
      );
      // A default VPC answers success and lists what it did not find instead of failing.
      if ((response.UnknownIpPermissions ?? []).length > 0) {
        options.log(`Test listener rule ${where} was already gone`);
        return;
      }
      options.log(`Closed the test listener to ${where}`);
      return;
    } catch (error) {
      const cause = (error as Error).cause;
      if (awsErrorName(cause) === 'InvalidPermission.NotFound') {
        // After a retry (the SDK's or ours) this is most likely our own earlier attempt's work.
        const retried = round > 0 || sdkAttempts(cause) > 1;
        options.log(
          `Test listener rule ${where} was already gone${retried ? ' (an earlier attempt of this revoke removed it)' : ''}`,
        );
        return;
      }
      const delay = delays[round];
      const withinBudget = now() - startedAt + (delay ?? 0) < REVOKE_BUDGET_MS;
      if (delay !== undefined && withinBudget && worthRevokingAgain(cause ?? error)) {
        options.log(
          `Could not close the test listener to ${where} yet (${awsErrorName(cause ?? error)}); ` +
            `trying again in ${delay / 1000} s`,
        );
        await sleep(delay);
        continue;
      }
      reportLeftOpen(options, permission, where, (error as Error).message);
      return;
    }
  }
}

function reportLeftOpen(
  options: TestListenerAccessOptions,
  permission: IpPermission,
  where: string,
  reason: string,
): void {
  (options.error ?? options.log)(
    `Test listener left open: could not remove ${where}: ${reason}. ` +
      `Remove the rule described '${options.description}' by hand (the job summary has the command).`,
  );
  options.onLeftOpen?.({
    securityGroupId: options.securityGroupId,
    port: options.port,
    cidr: permission.IpRanges?.[0]?.CidrIp ?? '',
    region: options.region,
    description: options.description,
    reason,
  });
}
