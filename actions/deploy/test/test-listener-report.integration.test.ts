// The summary's revoke command as a shell reads it: pasted into sh, it must reach the aws CLI as
// exactly the words (and the ip-permissions JSON) that remove the rule the action added.
import { execFileSync } from 'node:child_process';
import { revokeCommand } from '../src/test-listener-report.ts';

const rule = {
  securityGroupId: 'sg-0abc1234def567890',
  port: 8443,
  cidr: '203.0.113.7/32',
  region: 'eu-west-1',
  description: 'deploy smoke test, acme/notify run 42 attempt 1 job deploy-staging',
  reason: 'UnauthorizedOperation',
};

/** The words a POSIX shell makes of the command (printf stands in for the aws CLI). */
function shellWords(command: string): string[] {
  expect(command.startsWith('aws ')).toBe(true);
  const script = `printf '%s\\0' ${command.slice('aws '.length)}`;
  return execFileSync('sh', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

describe('revokeCommand in a shell', () => {
  it('reaches the CLI as the exact ip-permissions the action revokes', () => {
    const words = shellWords(revokeCommand(rule));
    expect(words.slice(0, 6)).toEqual([
      'ec2',
      'revoke-security-group-ingress',
      '--region',
      'eu-west-1',
      '--group-id',
      'sg-0abc1234def567890',
    ]);
    expect(words[6]).toBe('--ip-permissions');
    expect(JSON.parse(words[7]!)).toEqual([
      { IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, IpRanges: [{ CidrIp: '203.0.113.7/32' }] },
    ]);
    expect(words).toHaveLength(8);
  });
});
