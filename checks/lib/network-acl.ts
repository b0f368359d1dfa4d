/**
 * Network ACL evaluation (AWS-SEMANTICS 2.6). Entries are evaluated per direction and per address
 * family (IPv4 entries never match IPv6 traffic), in ascending RuleNumber order; the first entry
 * whose CIDR holds the address and whose protocol and ports match decides, and nothing after it
 * is read. Traffic no entry matches meets the implicit final deny (`*`, rules 32767/32768, which
 * DescribeNetworkAcls may or may not list).
 *
 * Entry fields: `Protocol` is a protocol number as a string (`"6"`, `"17"`, `"1"`, `"-1"` = all);
 * names are tolerated. `PortRange` applies only to TCP (6) and UDP (17); a missing bound is
 * open-ended. ICMP type/code (`IcmpTypeCode`) is not evaluated: ICMP traffic matches any ICMP entry.
 *
 * Evaluation works on address sets, not single addresses: `evaluateAcl` splits a set of
 * addresses into the parts each entry decides, so "a narrower deny before a broad allow" comes
 * out as a deny for the narrow part and an allow for the rest.
 */
import type { NetworkAcl, NetworkAclEntry } from '../../core/aws-shapes.js';
import {
  type CidrBlock,
  type IpVersion,
  intersectCidrs,
  parseCidrBlock,
  subtractCidrs,
  unionCidrs,
} from './cidr.js';
import { portInRange } from './ports.js';

export type AclDirection = 'ingress' | 'egress';
export type AclAction = 'allow' | 'deny';

export const PROTOCOL_ICMP = 1;
export const PROTOCOL_TCP = 6;
export const PROTOCOL_UDP = 17;
export const PROTOCOL_ICMPV6 = 58;

/** Traffic to evaluate: an IANA protocol number and, for TCP and UDP, the destination port. */
export interface AclTraffic {
  readonly protocol: number;
  readonly port?: number;
}

const PROTOCOL_NAMES: Readonly<Record<string, number | 'all'>> = {
  all: 'all',
  tcp: PROTOCOL_TCP,
  udp: PROTOCOL_UDP,
  icmp: PROTOCOL_ICMP,
  icmpv6: PROTOCOL_ICMPV6,
};

/** Reads an entry's `Protocol`: `-1` is every protocol; `undefined` when it cannot be read. */
export function aclProtocol(protocol: string): number | 'all' | undefined {
  const text = protocol.trim().toLowerCase();
  if (text === '-1') return 'all';
  if (/^\d+$/.test(text)) return Number(text);
  return PROTOCOL_NAMES[text];
}

/** The entry's CIDR (`CidrBlock` or `Ipv6CidrBlock`), parsed. */
export function aclEntryCidr(entry: NetworkAclEntry): CidrBlock | undefined {
  const text = entry.CidrBlock ?? entry.Ipv6CidrBlock;
  return text === undefined ? undefined : parseCidrBlock(text);
}

/** Whether the entry's protocol and ports match the traffic (its CIDR is not considered). */
export function aclEntryMatchesTraffic(entry: NetworkAclEntry, traffic: AclTraffic): boolean {
  const protocol = aclProtocol(entry.Protocol);
  if (protocol === undefined) return false;
  if (protocol === 'all') return true;
  if (protocol !== traffic.protocol) return false;
  if ((protocol === PROTOCOL_TCP || protocol === PROTOCOL_UDP) && traffic.port !== undefined) {
    const from = entry.PortRange?.From ?? 0;
    const to = entry.PortRange?.To ?? 65535;
    return portInRange(traffic.port, { from, to });
  }
  return true;
}

/** The entries of one direction and address family, in evaluation order. */
export function orderedEntries(
  acl: NetworkAcl,
  direction: AclDirection,
  version: IpVersion,
): NetworkAclEntry[] {
  const egress = direction === 'egress';
  return (acl.Entries ?? [])
    .filter((entry) => entry.Egress === egress && aclEntryCidr(entry)?.version === version)
    .sort((a, b) => a.RuleNumber - b.RuleNumber);
}

export function aclEntryAction(entry: NetworkAclEntry): AclAction {
  return entry.RuleAction.toLowerCase() === 'allow' ? 'allow' : 'deny';
}

/** What decides part of the evaluated addresses. */
export interface AclDecision {
  readonly action: AclAction;
  /** The deciding entry; absent for the implicit final deny. */
  readonly entry?: NetworkAclEntry;
  /** The addresses (of those evaluated) this decision covers, as merged CIDRs. */
  readonly cidrs: readonly string[];
}

/**
 * First-match evaluation over a set of addresses (sources for ingress, destinations for egress)
 * of one family: the set is split into the parts each entry decides, in rule order, and whatever
 * no entry matches is denied by the implicit final rule. Addresses of the other family are ignored.
 */
export function evaluateAcl(
  acl: NetworkAcl,
  direction: AclDirection,
  version: IpVersion,
  traffic: AclTraffic,
  addresses: readonly string[],
): AclDecision[] {
  let remaining = unionCidrs(addresses.filter((cidr) => parseCidrBlock(cidr)?.version === version));
  const decisions: AclDecision[] = [];
  for (const entry of orderedEntries(acl, direction, version)) {
    if (remaining.length === 0) break;
    if (!aclEntryMatchesTraffic(entry, traffic)) continue;
    const block = aclEntryCidr(entry);
    if (block === undefined) continue;
    const decided = intersectCidrs(remaining, [block.cidr]);
    if (decided.length === 0) continue;
    decisions.push({ action: aclEntryAction(entry), entry, cidrs: decided });
    remaining = subtractCidrs(remaining, [block.cidr]);
  }
  if (remaining.length > 0) decisions.push({ action: 'deny', cidrs: remaining });
  return decisions;
}

/** The verdict for one address: the first matching entry, or the implicit deny. */
export function aclDecisionForAddress(
  acl: NetworkAcl,
  direction: AclDirection,
  address: string,
  traffic: AclTraffic,
): { readonly action: AclAction; readonly entry?: NetworkAclEntry } {
  const host = parseCidrBlock(address.includes(':') ? `${address}/128` : `${address}/32`);
  if (host === undefined) throw new Error(`"${address}" is not an IPv4 or IPv6 address`);
  const [decision] = evaluateAcl(acl, direction, host.version, traffic, [host.cidr]);
  return decision?.entry === undefined
    ? { action: 'deny' }
    : { action: decision.action, entry: decision.entry };
}

/**
 * The ACL a subnet uses: the one associated with it, else its VPC's default ACL (every subnet has
 * exactly one). `undefined` when neither is in the data.
 */
export function networkAclForSubnet(
  acls: readonly NetworkAcl[],
  subnetId: string,
  vpcId: string | undefined,
): NetworkAcl | undefined {
  const explicit = acls.find((acl) => (acl.Associations ?? []).some((a) => a.SubnetId === subnetId));
  if (explicit !== undefined) return explicit;
  if (vpcId === undefined) return undefined;
  return acls.find((acl) => acl.IsDefault === true && acl.VpcId === vpcId);
}

/** The fields of an entry that decide a verdict, for evidence. */
export function describeAclEntry(entry: NetworkAclEntry): Record<string, unknown> {
  const protocol = aclProtocol(entry.Protocol);
  const ported = protocol === PROTOCOL_TCP || protocol === PROTOCOL_UDP;
  return {
    ruleNumber: entry.RuleNumber,
    action: aclEntryAction(entry),
    protocol: entry.Protocol,
    cidr: entry.CidrBlock ?? entry.Ipv6CidrBlock ?? null,
    portRange: ported ? `${entry.PortRange?.From ?? 0}-${entry.PortRange?.To ?? 65535}` : 'all',
  };
}
