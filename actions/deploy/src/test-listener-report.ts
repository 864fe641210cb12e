// What the job summary says about a test-listener rule this run could not remove: who can reach
// what through it, and the exact command that closes it.
import {
  codeBlock,
  escapeCell,
  heading,
  joinSections,
  statusIcon,
  table,
} from '@notify/actions-shared';
import type { LeftOpenRule } from './test-listener-access.ts';

/**
 * The AWS CLI call that removes the rule. JSON ip-permissions (as the CLI's own examples write
 * them) in single quotes is one shell word; the rule's description is not part of the match.
 */
export function revokeCommand(rule: LeftOpenRule): string {
  const permissions = JSON.stringify([
    {
      IpProtocol: 'tcp',
      FromPort: rule.port,
      ToPort: rule.port,
      IpRanges: [{ CidrIp: rule.cidr }],
    },
  ]);
  return (
    `aws ec2 revoke-security-group-ingress --region ${rule.region} ` +
    `--group-id ${rule.securityGroupId} --ip-permissions '${permissions}'`
  );
}

export function testListenerLeftOpenSection(rules: LeftOpenRule[]): string | undefined {
  if (rules.length === 0) return undefined;
  const sources = [...new Set(rules.map((rule) => rule.cidr))].join(', ');
  return joinSections(
    heading(`${statusIcon('warning')} Test listener left open to ${sources}`, 3),
    'This run let its runner into the blue/green test listener for the smoke test and could not ' +
      'remove that rule afterwards. Until it is removed, the replacement tasks of every later ' +
      'blue/green deploy, before anyone approved them, are reachable from that address while ' +
      'they wait at Ready. It stays until someone removes it: Terraform manages only its own ' +
      'rules on this group. The deploy itself is unaffected: it is not failed or rolled back for this.',
    table(
      ['Security group', 'Port', 'Source', 'Region', 'Rule description', 'Why it stayed'],
      rules.map((rule) => [
        `\`${rule.securityGroupId}\``,
        `\`${rule.port}/tcp\``,
        `\`${rule.cidr}\``,
        rule.region,
        escapeCell(rule.description),
        escapeCell(rule.reason),
      ]),
      { raw: true },
    ),
    'Close it with credentials that may call `ec2:RevokeSecurityGroupIngress` on the group ' +
      '(an `InvalidPermission.NotFound` answer means it is closed already):',
    codeBlock(rules.map(revokeCommand).join('\n'), 'sh'),
  ).trimEnd();
}
