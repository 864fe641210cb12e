// The EC2 calls the deploy and rollback actions make around the smoke test
// (AuthorizeSecurityGroupIngress / RevokeSecurityGroupIngress on the test listener's group),
// over the World's security groups, with EC2's documented answers for a group in a
// non-default VPC (the only kind Terraform builds here): an existing rule is
// InvalidPermission.Duplicate, a missing one is InvalidPermission.NotFound on revoke (nothing
// is revoked), an unknown group InvalidGroup.NotFound, a bad CIDR InvalidParameterValue.
// Each change is kept in the group's history so scenarios can assert when a rule existed.
import {
  DropResponse,
  Ec2Error,
  type QueryInput,
  type QueryOperation,
  type QueryValue,
} from './aws-query-server.ts';
import { ACCOUNT, type IngressRuleRecord, type SecurityGroupRecord, type World } from './world.ts';

/** EC2's default quota of inbound rules per security group. */
const INBOUND_RULES_PER_GROUP = 60;
/** Characters EC2 allows in an IPv4 range's rule description. */
const DESCRIPTION = /^[A-Za-z0-9 ._\-:/()#,@[\]+=;{}!$*]{0,255}$/;

/** A scripted failure for the next call(s) of one operation. */
export type Ec2Fault =
  | { kind: 'error'; code: string; message: string; status?: number }
  /** The change is made, then the connection drops before the answer (a lost response). */
  | { kind: 'drop-after-change' };

export interface Ec2StandIn {
  operations: Record<string, QueryOperation>;
  /** Makes the next `times` calls of `operation` fail as `fault` says. */
  inject(operation: string, fault: Ec2Fault, times?: number): void;
}

/** The canonical form EC2 stores ('203.0.113.77/24' -> '203.0.113.0/24'), or undefined. */
export function canonicalCidr(text: string): string | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const size = 2 ** (32 - bits);
  const network = Math.floor(address / size) * size;
  const parts = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256);
  return `${parts.join('.')}/${bits}`;
}

/** True when the IPv4 address lies in the CIDR block. */
export function cidrContains(cidr: string, address: string): boolean {
  const bits = cidr.split('/')[1];
  return canonicalCidr(`${address}/${bits}`) === cidr;
}

interface WantedRule {
  protocol: string;
  fromPort: number;
  toPort: number;
  cidr: string;
  description?: string;
}

const sameRule = (a: WantedRule, b: WantedRule) =>
  a.protocol === b.protocol &&
  a.fromPort === b.fromPort &&
  a.toPort === b.toPort &&
  a.cidr === b.cidr;

function text(value: QueryValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function port(value: QueryValue | undefined, name: string): number {
  const raw = text(value);
  if (raw === undefined || !/^-?\d+$/.test(raw)) {
    throw new Ec2Error(
      'InvalidParameterValue',
      'Invalid value for portRange. Must specify both from and to ports with TCP/UDP.',
    );
  }
  const number = Number(raw);
  if (number < 0 || number > 65_535) {
    throw new Ec2Error('InvalidParameterValue', `Invalid ${name}: ${raw}`);
  }
  return number;
}

/** The rules an IpPermissions list asks for, refused as EC2 refuses a malformed one. */
function readPermissions(input: QueryInput, withDescriptions: boolean): WantedRule[] {
  const permissions = input.IpPermissions;
  if (!Array.isArray(permissions) || permissions.length === 0) {
    throw new Ec2Error('MissingParameter', 'The request must contain the parameter ipPermissions');
  }
  const wanted: WantedRule[] = [];
  for (const permission of permissions) {
    if (typeof permission !== 'object' || Array.isArray(permission)) {
      throw new Ec2Error('InvalidParameterValue', 'Malformed IpPermissions');
    }
    const unplayed = Object.keys(permission).find(
      (key) => !['IpProtocol', 'FromPort', 'ToPort', 'IpRanges'].includes(key),
    );
    if (unplayed) {
      throw new Ec2Error(
        'UnknownParameter',
        `The parameter IpPermissions.${unplayed} is not played by the rehearsal's EC2 (it plays IPv4 ranges on TCP ports)`,
      );
    }
    const protocol = text(permission.IpProtocol)?.toLowerCase();
    if (!protocol) {
      throw new Ec2Error('MissingParameter', 'The request must contain the parameter ipProtocol');
    }
    if (protocol !== 'tcp' && protocol !== '6') {
      throw new Ec2Error(
        'InvalidParameterValue',
        `The rehearsal's EC2 plays TCP rules only; got protocol ${protocol}`,
      );
    }
    const fromPort = port(permission.FromPort, 'FromPort');
    const toPort = port(permission.ToPort, 'ToPort');
    if (fromPort > toPort) {
      throw new Ec2Error(
        'InvalidParameterValue',
        `Invalid TCP/UDP port range: from port ${fromPort} is greater than to port ${toPort}`,
      );
    }
    const ranges = permission.IpRanges;
    if (!Array.isArray(ranges) || ranges.length === 0) {
      throw new Ec2Error(
        'MissingParameter',
        'Missing source specification: include source security group or CIDR information',
      );
    }
    for (const range of ranges) {
      if (typeof range !== 'object' || Array.isArray(range)) {
        throw new Ec2Error('InvalidParameterValue', 'Malformed IpRanges');
      }
      const given = text(range.CidrIp) ?? '';
      const cidr = canonicalCidr(given);
      if (!cidr) throw new Ec2Error('InvalidParameterValue', `CIDR block ${given} is malformed`);
      const description = text(range.Description);
      if (description !== undefined && (!withDescriptions || !DESCRIPTION.test(description))) {
        throw new Ec2Error(
          'InvalidParameterValue',
          'Invalid rule description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=;{}!$*',
        );
      }
      const rule = { protocol: 'tcp', fromPort, toPort, cidr, description };
      if (wanted.some((other) => sameRule(other, rule))) {
        throw new Ec2Error(
          'InvalidParameterValue',
          'The same permission must not appear multiple times',
        );
      }
      wanted.push(rule);
    }
  }
  return wanted;
}

function ruleView(group: SecurityGroupRecord, rule: IngressRuleRecord) {
  return {
    securityGroupRuleId: rule.id,
    groupId: group.id,
    groupOwnerId: ACCOUNT,
    isEgress: false,
    ipProtocol: rule.protocol,
    fromPort: rule.fromPort,
    toPort: rule.toPort,
    cidrIpv4: rule.cidr,
    description: rule.description,
  };
}

export function ec2StandIn(world: World): Ec2StandIn {
  const faults = new Map<string, { fault: Ec2Fault; times: number }>();

  /** The scripted fault for this call, if any; throws an error fault. */
  const scripted = (operation: string): Ec2Fault | undefined => {
    const entry = faults.get(operation);
    if (!entry) return undefined;
    entry.times -= 1;
    if (entry.times <= 0) faults.delete(operation);
    if (entry.fault.kind === 'error') {
      throw new Ec2Error(entry.fault.code, entry.fault.message, entry.fault.status ?? 400);
    }
    return entry.fault;
  };

  const findGroup = (input: QueryInput): SecurityGroupRecord => {
    if (input.DryRun === 'true') {
      throw new Ec2Error(
        'DryRunOperation',
        'Request would have succeeded, but DryRun flag is set.',
        412,
      );
    }
    const id = text(input.GroupId);
    if (!id) {
      // GroupName alone names a group only in a default VPC.
      throw new Ec2Error('MissingParameter', 'The request must contain the parameter groupId');
    }
    if (!/^sg-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) {
      throw new Ec2Error('InvalidGroupId.Malformed', `Invalid id: "${id}" (expecting "sg-...")`);
    }
    const group = world.securityGroups.get(id);
    if (!group)
      throw new Ec2Error('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    return group;
  };

  const operations: Record<string, QueryOperation> = {
    AuthorizeSecurityGroupIngress: {
      parameters: ['GroupId', 'IpPermissions', 'DryRun'],
      handle(input, request) {
        const fault = scripted('AuthorizeSecurityGroupIngress');
        const group = findGroup(input);
        const wanted = readPermissions(input, true);
        const duplicate = wanted.find((rule) => group.ingress.some((have) => sameRule(have, rule)));
        if (duplicate) {
          throw new Ec2Error(
            'InvalidPermission.Duplicate',
            `the specified rule "peer: ${duplicate.cidr}, TCP, from port: ${duplicate.fromPort}, to port: ${duplicate.toPort}, ALLOW" already exists`,
          );
        }
        if (group.ingress.length + wanted.length > INBOUND_RULES_PER_GROUP) {
          throw new Ec2Error(
            'RulesPerSecurityGroupLimitExceeded',
            'The maximum number of rules per security group has been reached.',
          );
        }
        const added = wanted.map((rule) => ({ ...rule, id: world.nextId('sgr-') }));
        group.ingress.push(...added);
        for (const rule of added) {
          group.history.push({
            at: Date.now(),
            change: 'authorized',
            rule,
            attempt: request.attempt,
          });
        }
        if (fault?.kind === 'drop-after-change') throw new DropResponse();
        return { return: true, securityGroupRuleSet: added.map((rule) => ruleView(group, rule)) };
      },
    },
    RevokeSecurityGroupIngress: {
      parameters: ['GroupId', 'IpPermissions', 'DryRun'],
      handle(input, request) {
        const fault = scripted('RevokeSecurityGroupIngress');
        const group = findGroup(input);
        // A description may be given but is not part of the match.
        const wanted = readPermissions(input, true);
        const found = wanted.map((rule) => group.ingress.find((have) => sameRule(have, rule)));
        if (found.some((rule) => rule === undefined)) {
          throw new Ec2Error(
            'InvalidPermission.NotFound',
            'The specified rule does not exist in this security group.',
          );
        }
        const revoked = found as IngressRuleRecord[];
        group.ingress = group.ingress.filter((rule) => !revoked.includes(rule));
        for (const rule of revoked) {
          group.history.push({ at: Date.now(), change: 'revoked', rule, attempt: request.attempt });
        }
        if (fault?.kind === 'drop-after-change') throw new DropResponse();
        return {
          return: true,
          revokedSecurityGroupRuleSet: revoked.map((rule) => ({
            securityGroupRuleId: rule.id,
            groupId: group.id,
            isEgress: false,
            ipProtocol: rule.protocol,
            fromPort: rule.fromPort,
            toPort: rule.toPort,
            cidrIpv4: rule.cidr,
            description: rule.description,
          })),
        };
      },
    },
  };

  return {
    operations,
    inject(operation, fault, times = 1) {
      faults.set(operation, { fault, times });
    },
  };
}
