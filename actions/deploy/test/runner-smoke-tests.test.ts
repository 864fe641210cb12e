// The runner's smoke test as the action wires it: a test-listener rule it cannot remove is kept
// for the job summary, and a cancelled job writes that warning itself before it exits (the
// action's own summary is never written then).
import {
  AuthorizeSecurityGroupIngressCommand,
  EC2Client,
  EC2ServiceException,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runnerSmokeTests } from '../src/runner-smoke-tests.ts';

const region = 'eu-west-1';
const groupId = 'sg-0abc1234def567890';
const runnerIp = '203.0.113.7';
const ec2Mock = mockClient(EC2Client);

let dir: string;
let summaryFile: string;
const servers: Server[] = [];
const savedEnv = { ...process.env };

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeEach(async () => {
  ec2Mock.reset();
  ec2Mock.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
  ec2Mock.on(RevokeSecurityGroupIngressCommand).rejects(
    new EC2ServiceException({
      name: 'UnauthorizedOperation',
      message: 'You are not authorized to perform this operation.',
      $fault: 'client',
      $metadata: { httpStatusCode: 403, attempts: 1 },
    }),
  );
  dir = mkdtempSync(join(tmpdir(), 'runner-smoke-'));
  summaryFile = join(dir, 'summary');
  writeFileSync(summaryFile, '');
  const checkip = await serve((_request, response) => response.end(`${runnerIp}\n`));
  Object.assign(process.env, {
    GITHUB_STEP_SUMMARY: summaryFile,
    'INPUT_TEST-LISTENER-SECURITY-GROUP-ID': groupId,
    'INPUT_TEST-LISTENER-PORT': '8443',
    'INPUT_CHECKIP-URL': checkip,
    AWS_ACCESS_KEY_ID: 'ASIATEST',
    AWS_SECRET_ACCESS_KEY: 'secret',
  });
  // @actions/core writes commands (the annotation) to stdout.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterEach(async () => {
  jest.restoreAllMocks();
  process.env = { ...savedEnv };
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  rmSync(dir, { recursive: true, force: true });
});

it('keeps a rule it could not remove for the job summary', async () => {
  // The test listener answers nothing useful: the smoke run fails fast, the revoke still runs.
  const testUrl = await serve((_request, response) => {
    response.statusCode = 503;
    response.end();
  });
  const smoke = runnerSmokeTests(region, testUrl);

  await smoke.run({ baseUrl: testUrl, token: 't', recipient: 'r', deadlineMs: 300 });

  expect(smoke.leftOpen).toEqual([
    expect.objectContaining({ securityGroupId: groupId, port: 8443, cidr: `${runnerIp}/32` }),
  ]);
  // The summary is the action's to write (under its verdict), not this module's.
  expect(readFileSync(summaryFile, 'utf8')).toBe('');
});

it('writes the warning with the revoke command itself when the job is cancelled', async () => {
  let exited: (code: number) => void = () => {};
  const exitCode = new Promise<number>((resolve) => (exited = resolve));
  jest.spyOn(process, 'exit').mockImplementation(((code: number) => exited(code)) as never);
  // A listener that holds every request: the smoke test is still running when the cancel comes.
  const held: ServerResponse[] = [];
  let holding = true;
  const unavailable = (response: ServerResponse) => {
    response.statusCode = 503;
    response.end();
  };
  const testUrl = await serve((_request, response) =>
    holding ? held.push(response) : unavailable(response),
  );
  const smoke = runnerSmokeTests(region, testUrl);

  const pending = smoke.run({ baseUrl: testUrl, token: 't', recipient: 'r', deadlineMs: 1_500 });
  // Cancel once the listener is open (the action then listens for the runner's SIGINT).
  const before = process.listenerCount('SIGINT');
  while (process.listenerCount('SIGINT') === before) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  process.emit('SIGINT');
  expect(await exitCode).toBe(130);
  const summary = readFileSync(summaryFile, 'utf8');
  expect(summary).toContain(`### ⚠️ Test listener left open to ${runnerIp}/32`);
  expect(summary).toContain(
    `aws ec2 revoke-security-group-ingress --region ${region} --group-id ${groupId} --ip-permissions '[{"IpProtocol":"tcp","FromPort":8443,"ToPort":8443,"IpRanges":[{"CidrIp":"${runnerIp}/32"}]}]'`,
  );
  // The real runner exits here; this test lets the smoke run end instead.
  holding = false;
  held.splice(0).forEach(unavailable);
  await pending;
});
