// The rehearsal's EC2 stand-in, driven by the real SDK as the action bundles drive it: at least
// as strict as EC2 for a security group in a non-default VPC, and parsed by the SDK into the
// same answers and error names.
import {
  AuthorizeSecurityGroupIngressCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { startAwsQueryServer, type AwsQueryServer } from '../src/aws-query-server.ts';
import { canonicalCidr, ec2StandIn, type Ec2StandIn } from '../src/ec2.ts';
import { admits } from '../src/test-listener.ts';
import { TEST_LISTENER_SECURITY_GROUP as GROUP, World } from '../src/world.ts';

const PORT = 8443;
const credentials = { accessKeyId: 'ASIATEST', secretAccessKey: 'secret' };

let world: World;
let standIn: Ec2StandIn;
let server: AwsQueryServer;
let ec2: EC2Client;

beforeEach(async () => {
  world = new World({ testListenerCidrBlocks: ['198.51.100.0/24'], testListenerPort: PORT });
  standIn = ec2StandIn(world);
  server = await startAwsQueryServer({ region: world.region, operations: standIn.operations });
  ec2 = new EC2Client({ region: world.region, endpoint: server.url, credentials, maxAttempts: 1 });
});

afterEach(async () => {
  ec2.destroy();
  await server.close();
});

const permission = (cidr: string, description?: string): IpPermission => ({
  IpProtocol: 'tcp',
  FromPort: PORT,
  ToPort: PORT,
  IpRanges: [{ CidrIp: cidr, Description: description }],
});
const group = () => world.securityGroups.get(GROUP)!;
const authorize = (permissions: IpPermission[], groupId = GROUP) =>
  ec2.send(
    new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: permissions }),
  );
const revoke = (permissions: IpPermission[], groupId = GROUP) =>
  ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: permissions }));
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (error: Error & { $metadata?: { httpStatusCode?: number } }) =>
      `${error.name} ${error.$metadata?.httpStatusCode}: ${error.message}`,
  );

it('adds a rule and answers what EC2 answers, as the SDK parses it', async () => {
  const answer = await authorize([permission('203.0.113.7/32', 'deploy smoke test, run 1')]);

  expect(answer.Return).toBe(true);
  expect(answer.SecurityGroupRules).toEqual([
    expect.objectContaining({
      GroupId: GROUP,
      IsEgress: false,
      IpProtocol: 'tcp',
      FromPort: PORT,
      ToPort: PORT,
      CidrIpv4: '203.0.113.7/32',
      Description: 'deploy smoke test, run 1',
      SecurityGroupRuleId: expect.stringMatching(/^sgr-/),
    }),
  ]);
  expect(admits(group(), '203.0.113.7', PORT)).toBe(true);
  expect(admits(group(), '203.0.113.8', PORT)).toBe(false);
  expect(admits(group(), '203.0.113.7', PORT + 1)).toBe(false);
  // The request's wire names, as the SDK sent them.
  expect(server.calls[0]?.input).toEqual({
    GroupId: GROUP,
    IpPermissions: [
      {
        IpProtocol: 'tcp',
        FromPort: String(PORT),
        ToPort: String(PORT),
        IpRanges: [{ CidrIp: '203.0.113.7/32', Description: 'deploy smoke test, run 1' }],
      },
    ],
  });
});

it('refuses an existing rule, an unknown or malformed group and a malformed CIDR', async () => {
  await authorize([permission('203.0.113.7/32')]);

  expect(await errorOf(authorize([permission('203.0.113.7/32', 'another description')]))).toBe(
    'InvalidPermission.Duplicate 400: the specified rule "peer: 203.0.113.7/32, TCP, from port: 8443, to port: 8443, ALLOW" already exists',
  );
  // EC2 stores the canonical CIDR, so a non-canonical spelling of a standing rule is a duplicate.
  expect(await errorOf(authorize([permission('198.51.100.77/24')]))).toMatch(
    /^InvalidPermission.Duplicate 400: .*peer: 198.51.100.0\/24/,
  );
  expect(await errorOf(authorize([permission('203.0.113.9/32')], 'sg-0123456789abcdef0'))).toBe(
    "InvalidGroup.NotFound 400: The security group 'sg-0123456789abcdef0' does not exist",
  );
  expect(await errorOf(authorize([permission('203.0.113.9/32')], 'notify-alb-test'))).toMatch(
    /^InvalidGroupId.Malformed 400/,
  );
  for (const cidr of ['203.0.113.9', '203.0.113.256/32', '203.0.113.9/33', '::/0', '']) {
    expect(await errorOf(authorize([permission(cidr)]))).toBe(
      `InvalidParameterValue 400: CIDR block ${cidr} is malformed`,
    );
  }
  expect(
    await errorOf(authorize([permission('203.0.113.9/32'), permission('203.0.113.9/32')])),
  ).toBe('InvalidParameterValue 400: The same permission must not appear multiple times');
  expect(await errorOf(authorize([permission('203.0.113.9/32', 'run <42>')]))).toMatch(
    /^InvalidParameterValue 400: Invalid rule description/,
  );
  expect(await errorOf(authorize([{ ...permission('203.0.113.9/32'), ToPort: 80 }]))).toMatch(
    /^InvalidParameterValue 400: Invalid TCP\/UDP port range/,
  );
  expect(await errorOf(authorize([{ IpProtocol: 'tcp', FromPort: PORT, ToPort: PORT }]))).toBe(
    'MissingParameter 400: Missing source specification: include source security group or CIDR information',
  );
  // Nothing of a refused request was added.
  expect(group().ingress.map((rule) => rule.cidr)).toEqual(['198.51.100.0/24', '203.0.113.7/32']);
});

it('revokes by protocol, ports and CIDR, and refuses the whole request for a missing rule', async () => {
  await authorize([permission('203.0.113.7/32', 'run 1'), permission('203.0.113.8/32')]);

  expect(await errorOf(revoke([permission('203.0.113.7/32'), permission('203.0.113.99/32')]))).toBe(
    'InvalidPermission.NotFound 400: The specified rule does not exist in this security group.',
  );
  expect(group().ingress).toHaveLength(3);

  const answer = await revoke([permission('203.0.113.7/32')]);
  expect(answer.Return).toBe(true);
  expect(answer.RevokedSecurityGroupRules).toEqual([
    expect.objectContaining({ CidrIpv4: '203.0.113.7/32', Description: 'run 1' }),
  ]);
  expect(await errorOf(revoke([permission('203.0.113.7/32')]))).toMatch(
    /^InvalidPermission.NotFound/,
  );
  expect(group().history.map((h) => `${h.change} ${h.rule.cidr}`)).toEqual([
    'authorized 203.0.113.7/32',
    'authorized 203.0.113.8/32',
    'revoked 203.0.113.7/32',
  ]);
});

it('plays a scripted fault: an EC2 error, or a change whose answer is lost and then retried', async () => {
  standIn.inject('RevokeSecurityGroupIngress', {
    kind: 'error',
    code: 'UnauthorizedOperation',
    message: 'You are not authorized to perform this operation.',
    status: 403,
  });
  expect(await errorOf(revoke([permission('198.51.100.0/24')]))).toBe(
    'UnauthorizedOperation 403: You are not authorized to perform this operation.',
  );

  standIn.inject('AuthorizeSecurityGroupIngress', { kind: 'drop-after-change' });
  const retrying = new EC2Client({ region: world.region, endpoint: server.url, credentials });
  const error = await retrying
    .send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: GROUP,
        IpPermissions: [permission('203.0.113.7/32')],
      }),
    )
    .catch((e: Error & { $metadata: { attempts?: number } }) => e);
  retrying.destroy();
  expect((error as Error).name).toBe('InvalidPermission.Duplicate');
  expect((error as { $metadata: { attempts?: number } }).$metadata.attempts).toBe(2);
  expect(server.calls.slice(-2).map((c) => [c.error, c.attempt])).toEqual([
    ['dropped', 1],
    ['InvalidPermission.Duplicate', 2],
  ]);
});

it('refuses what EC2 refuses before looking at the request', async () => {
  const post = (body: string, authorization?: string) =>
    fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(authorization ? { authorization } : {}),
      },
      body,
    }).then(async (r) => `${r.status} ${/<Code>(.*?)<\/Code>/.exec(await r.text())?.[1]}`);
  const signed = (region: string, service: string) =>
    `AWS4-HMAC-SHA256 Credential=ASIATEST/20261207/${region}/${service}/aws4_request, SignedHeaders=host, Signature=00`;
  const body = `Action=AuthorizeSecurityGroupIngress&Version=2016-11-15&GroupId=${GROUP}`;

  expect(await post(body)).toBe('401 AuthFailure');
  expect(await post(body, signed('us-east-1', 'ec2'))).toBe('401 AuthFailure');
  expect(await post(body, signed(world.region, 'ecs'))).toBe('401 AuthFailure');
  expect(await post(body.replace('2016-11-15', '2014-10-01'), signed(world.region, 'ec2'))).toBe(
    '400 NoSuchVersion',
  );
  expect(await post(body.replace('Authorize', 'Describe'), signed(world.region, 'ec2'))).toBe(
    '400 InvalidAction',
  );
  expect(await post(`${body}&CidrIp=203.0.113.7/32`, signed(world.region, 'ec2'))).toBe(
    '400 UnknownParameter',
  );
});

it('stores CIDRs in canonical form', () => {
  expect(canonicalCidr('100.68.0.18/18')).toBe('100.68.0.0/18');
  expect(canonicalCidr('203.0.113.7/32')).toBe('203.0.113.7/32');
  expect(canonicalCidr('0.0.0.0/0')).toBe('0.0.0.0/0');
  expect(canonicalCidr('203.0.113.7')).toBeUndefined();
});
