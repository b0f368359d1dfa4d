/**
 * How a security-group rule (an `IpPermission`) is read (AWS-SEMANTICS 2.1):
 *
 * - Protocol: `tcp`/`6` and `udp`/`17` by name or number, `icmp`/`1` and `icmpv6`/`58`. `-1`,
 *   any other protocol number, and (defensively) any unrecognised name mean all protocols and
 *   all ports, whatever FromPort/ToPort say.
 * - Ports: for TCP and UDP, FromPort..ToPort inclusive; a missing bound or `-1` is open-ended
 *   (treated like `-1`: all ports). For ICMP and ICMPv6 the two fields are type and code, not
 *   ports, so such a rule never opens a TCP or UDP port.
 * - Sources: `IpRanges` (IPv4), `Ipv6Ranges` and managed prefix lists (expanded to their
 *   entries; a customer list may hold `0.0.0.0/0`). `UserIdGroupPairs` reference other security
 *   groups: traffic from their members, never an internet source, so they are not sources here.
 *
 * A prefix list that was not collected cannot be expanded: it is reported as unreadable so the
 * check says ERROR instead of guessing.
 */
import type { IpPermission, PrefixListEntry, SecurityGroup } from '../../core/aws-shapes.js';
import { type IpVersion, parseCidrBlock } from './cidr.js';
import {
  ALL_PORTS,
  formatPortRange,
  MAX_PORT,
  MIN_PORT,
  type PortRange,
  portInRange,
  subtractPorts,
  uniquePorts,
} from './ports.js';

export type SgProtocol = 'all' | 'tcp' | 'udp' | 'icmp' | 'icmpv6';

/** The protocols that carry ports. */
export type PortProtocol = 'tcp' | 'udp';

const PROTOCOL_NUMBERS: Readonly<Record<number, SgProtocol>> = {
  6: 'tcp',
  17: 'udp',
  1: 'icmp',
  58: 'icmpv6',
};
const PROTOCOL_NAMES: Readonly<Record<string, SgProtocol>> = {
  tcp: 'tcp',
  udp: 'udp',
  icmp: 'icmp',
  icmpv6: 'icmpv6',
};

/** Reads `IpProtocol`: a name, a number, or `-1`. */
export function sgProtocol(ipProtocol: string): SgProtocol {
  const text = ipProtocol.trim().toLowerCase();
  if (/^\d+$/.test(text)) return PROTOCOL_NUMBERS[Number(text)] ?? 'all';
  return PROTOCOL_NAMES[text] ?? 'all';
}

function portBound(value: number | undefined, fallback: number): number {
  if (value === undefined || value < MIN_PORT) return fallback;
  return Math.min(value, MAX_PORT);
}

/**
 * The TCP/UDP port range a rule opens: every port for all-protocol rules, FromPort..ToPort for
 * TCP and UDP (a missing or `-1` bound is open-ended), nothing (`undefined`) for ICMP/ICMPv6.
 */
export function permissionPortRange(permission: IpPermission): PortRange | undefined {
  const protocol = sgProtocol(permission.IpProtocol);
  if (protocol === 'all') return ALL_PORTS;
  if (protocol === 'icmp' || protocol === 'icmpv6') return undefined;
  return { from: portBound(permission.FromPort, MIN_PORT), to: portBound(permission.ToPort, MAX_PORT) };
}

/** The (protocol, port range) pairs a rule opens; empty for ICMP/ICMPv6. */
export function permissionPortRanges(
  permission: IpPermission,
): Array<{ readonly protocol: PortProtocol; readonly range: PortRange }> {
  const protocol = sgProtocol(permission.IpProtocol);
  const range = permissionPortRange(permission);
  if (range === undefined) return [];
  if (protocol === 'all') {
    return [
      { protocol: 'tcp', range },
      { protocol: 'udp', range },
    ];
  }
  return protocol === 'tcp' || protocol === 'udp' ? [{ protocol, range }] : [];
}

/** Whether the rule admits `protocol` traffic to `port`. */
export function permissionAdmits(permission: IpPermission, protocol: PortProtocol, port: number): boolean {
  return permissionPortRanges(permission).some((p) => p.protocol === protocol && portInRange(port, p.range));
}

/** The ports of `ports` the rule admits over TCP or UDP, sorted. */
export function portsAdmitted(permission: IpPermission, ports: Iterable<number>): number[] {
  const ranges = permissionPortRanges(permission);
  return uniquePorts(ports).filter((port) => ranges.some((p) => portInRange(port, p.range)));
}

/**
 * The TCP/UDP port ranges a rule opens outside `allowedPorts`, as `0-79`, `81-442`, ...; empty
 * when it opens none (ICMP rules open no port).
 */
export function portsOpenedOutside(permission: IpPermission, allowedPorts: Iterable<number>): string[] {
  const allowed = uniquePorts(allowedPorts);
  const ranges = permissionPortRanges(permission).flatMap(({ range }) => subtractPorts(range, allowed));
  return [...new Set(ranges.map(formatPortRange))];
}

// ---------------------------------------------------------------- sources

/** Prefix-list id → the CIDRs of its entries. */
export type PrefixListIndex = ReadonlyMap<string, readonly string[]>;

export function prefixListIndex(
  lists: ReadonlyArray<{ readonly PrefixListId: string; readonly Entries?: readonly PrefixListEntry[] }>,
): PrefixListIndex {
  return new Map(lists.map((list) => [list.PrefixListId, (list.Entries ?? []).map((entry) => entry.Cidr)]));
}

/** An address range a rule admits traffic from (or, for egress rules, to). */
export interface RuleSource {
  /** Normalized CIDR. */
  readonly cidr: string;
  readonly ipVersion: IpVersion;
  /** Set when the range is an entry of this managed prefix list. */
  readonly prefixListId?: string;
  /** The CIDR as the rule or the prefix-list entry writes it. */
  readonly written: string;
}

/** Why part of a rule cannot be assessed. */
export interface UnassessableSource {
  readonly reason: 'prefix-list-unreadable' | 'invalid-cidr';
  /** The prefix-list id or the CIDR text. */
  readonly value: string;
  readonly prefixListId?: string;
}

export interface PermissionSources {
  readonly sources: readonly RuleSource[];
  readonly unassessable: readonly UnassessableSource[];
}

/**
 * The address ranges of a rule: its IPv4 and IPv6 ranges plus the entries of the prefix lists
 * it references. Security-group references are not address ranges and are left out.
 */
export function permissionSources(permission: IpPermission, prefixLists: PrefixListIndex): PermissionSources {
  const sources: RuleSource[] = [];
  const unassessable: UnassessableSource[] = [];
  const add = (written: string, prefixListId?: string): void => {
    const block = parseCidrBlock(written);
    if (block === undefined) {
      unassessable.push({
        reason: 'invalid-cidr',
        value: written,
        ...(prefixListId ? { prefixListId } : {}),
      });
      return;
    }
    sources.push({
      cidr: block.cidr,
      ipVersion: block.version,
      written,
      ...(prefixListId ? { prefixListId } : {}),
    });
  };
  for (const range of permission.IpRanges ?? []) add(range.CidrIp);
  for (const range of permission.Ipv6Ranges ?? []) add(range.CidrIpv6);
  for (const { PrefixListId } of permission.PrefixListIds ?? []) {
    const entries = prefixLists.get(PrefixListId);
    if (entries === undefined) {
      unassessable.push({
        reason: 'prefix-list-unreadable',
        value: PrefixListId,
        prefixListId: PrefixListId,
      });
      continue;
    }
    for (const entry of entries) add(entry, PrefixListId);
  }
  return { sources, unassessable };
}

/** One address range of one inbound rule of a group. */
export interface InboundSource {
  readonly permission: IpPermission;
  readonly source: RuleSource;
}

export interface InboundUnassessable {
  readonly permission: IpPermission;
  readonly problem: UnassessableSource;
}

/** Every address range of every inbound rule of a group, in rule order. */
export function inboundSources(
  group: SecurityGroup,
  prefixLists: PrefixListIndex,
): { readonly sources: InboundSource[]; readonly unassessable: InboundUnassessable[] } {
  const sources: InboundSource[] = [];
  const unassessable: InboundUnassessable[] = [];
  for (const permission of group.IpPermissions ?? []) {
    const read = permissionSources(permission, prefixLists);
    for (const source of read.sources) sources.push({ permission, source });
    for (const problem of read.unassessable) unassessable.push({ permission, problem });
  }
  return { sources, unassessable };
}

// ---------------------------------------------------------------- evidence

/** The protocol and port fields of a rule, for evidence. */
export interface PermissionSummary {
  readonly protocol: string;
  readonly fromPort: number | null;
  readonly toPort: number | null;
  /** `all`, `22`, `0-1024`, or `icmp type 8 code all`. */
  readonly portRange: string;
}

export function describePermission(permission: IpPermission): PermissionSummary {
  const protocol = sgProtocol(permission.IpProtocol);
  const fields = {
    protocol: permission.IpProtocol,
    fromPort: permission.FromPort ?? null,
    toPort: permission.ToPort ?? null,
  };
  if (protocol === 'all') return { ...fields, portRange: 'all' };
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    const part = (value: number | undefined): string =>
      value === undefined || value === -1 ? 'all' : String(value);
    return {
      ...fields,
      portRange: `${protocol} type ${part(permission.FromPort)} code ${part(permission.ToPort)}`,
    };
  }
  return { ...fields, portRange: formatPortRange(permissionPortRange(permission) ?? ALL_PORTS) };
}

/** Where a matched range came from: the rule's own CIDR, or a prefix list and its entry. */
export function describeSource(
  source: RuleSource,
): { readonly source: string } | { readonly prefixListId: string; readonly prefixListEntry: string } {
  return source.prefixListId === undefined
    ? { source: source.written }
    : { prefixListId: source.prefixListId, prefixListEntry: source.written };
}

/** Every target a rule names, including security-group references, for evidence. */
export function describePermissionTargets(permission: IpPermission): Record<string, unknown> {
  const targets: Record<string, unknown> = { ...describePermission(permission) };
  const ipv4 = (permission.IpRanges ?? []).map((r) => r.CidrIp);
  const ipv6 = (permission.Ipv6Ranges ?? []).map((r) => r.CidrIpv6);
  const prefixLists = (permission.PrefixListIds ?? []).map((p) => p.PrefixListId);
  const groups = (permission.UserIdGroupPairs ?? []).map((g) =>
    [g.UserId, g.GroupId ?? g.GroupName].filter((part) => part !== undefined).join('/'),
  );
  if (ipv4.length > 0) targets.ipRanges = ipv4;
  if (ipv6.length > 0) targets.ipv6Ranges = ipv6;
  if (prefixLists.length > 0) targets.prefixListIds = prefixLists;
  if (groups.length > 0) targets.securityGroups = groups;
  return targets;
}

/** A sentence fragment naming what could not be read: `prefix list pl-1 could not be read`. */
export function describeUnassessable(problem: UnassessableSource): string {
  if (problem.reason === 'prefix-list-unreadable') return `prefix list ${problem.value} could not be read`;
  return problem.prefixListId === undefined
    ? `CIDR "${problem.value}" does not parse`
    : `entry "${problem.value}" of prefix list ${problem.prefixListId} does not parse`;
}
