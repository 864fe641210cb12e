// Addresses a webhook must never reach: anything that is not a public unicast address.
// In AWS that keeps a client's webhook URL away from the VPC (10/8, ...), the instance and task
// metadata endpoints (169.254.169.254, 169.254.170.2, fd00:ec2::254) and the task's own loopback.
// net.BlockList also matches IPv4-mapped IPv6 (::ffff:127.0.0.1) against the IPv4 rules.
import { BlockList, isIPv4, isIPv6 } from 'node:net';

const IPV4_RANGES: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified / this network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared address space (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (instance metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved / broadcast'],
];

const IPV6_RANGES: [string, number, string][] = [
  // ::/128 unspecified, ::1 loopback and the deprecated IPv4-compatible ::a.b.c.d all sit here.
  ['::', 96, 'unspecified, loopback or IPv4-compatible'],
  ['64:ff9b::', 96, 'NAT64 (reaches IPv4 behind it)'],
  ['64:ff9b:1::', 48, 'local-use NAT64'],
  ['100::', 64, 'discard'],
  ['2001::', 23, 'IETF protocol assignments (Teredo, ...)'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4 (embeds an IPv4 address)'],
  ['fc00::', 7, 'unique local (incl. fd00:ec2::254 metadata)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local (deprecated)'],
  ['ff00::', 8, 'multicast'],
];

function blockListOf(ranges: [string, number, string][], family: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ranges) list.addSubnet(network, prefix, family);
  return list;
}

const IPV4_BLOCKED = blockListOf(IPV4_RANGES, 'ipv4');
const IPV6_BLOCKED = blockListOf(IPV6_RANGES, 'ipv6');
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Why `address` may not be called, or undefined for a public unicast address. */
export function forbiddenAddressReason(address: string): string | undefined {
  if (isIPv4(address)) {
    const hit = IPV4_RANGES.find(([net, prefix]) => inSubnet(address, net, prefix, 'ipv4'));
    return hit === undefined ? undefined : `${address} is ${hit[2]}`;
  }
  if (isIPv6(address)) {
    // IPv4-mapped (::ffff:a.b.c.d): judged by the IPv4 address it carries.
    if (IPV4_BLOCKED.check(address, 'ipv6')) return `${address} maps to a forbidden IPv4 address`;
    if (!IPV6_BLOCKED.check(address, 'ipv6')) return undefined;
    const hit = IPV6_RANGES.find(([net, prefix]) => inSubnet(address, net, prefix, 'ipv6'));
    return `${address} is ${hit?.[2] ?? 'a reserved IPv6 range'}`;
  }
  return `${address} is not an IP address`;
}

export function isLoopbackAddress(address: string): boolean {
  if (isIPv4(address)) return LOOPBACK.check(address, 'ipv4');
  return isIPv6(address) && LOOPBACK.check(address, 'ipv6');
}

function inSubnet(address: string, net: string, prefix: number, family: 'ipv4' | 'ipv6') {
  const one = new BlockList();
  one.addSubnet(net, prefix, family);
  return one.check(address, family);
}
