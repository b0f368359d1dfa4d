/**
 * Whether a network interface is reachable from the internet on a port (AWS-SEMANTICS 2.8). For
 * each address family the interface has a public address in, all must hold:
 *
 * 1. a public IPv4 address (`Association.PublicIp` on the interface or on one of its private
 *    addresses) or an IPv6 address (IPv6 addresses are globally unique);
 * 2. the subnet's effective route table (explicit association, else the VPC's main table) routes
 *    the source to an internet gateway over an active `igw-` route;
 * 3. the subnet's network ACL lets the source in: its first matching inbound entry allows it;
 * 4. one of the interface's security groups admits the source on that protocol and port;
 * 5. VPC Block Public Access does not block inbound internet-gateway traffic (checked by the
 *    caller, with `vpcBlockPublicAccessFor`).
 *
 * "The internet" here is any public address, not only `0.0.0.0/0`: a rule open to `0.0.0.0/1`
 * exposes the interface just as well. The source addresses must satisfy 2, 3 and 4 together:
 * a rule admitting only ranges the ACL denies, or ranges routed elsewhere, exposes nothing.
 *
 * Choice: the outbound half of the stateless ACL (return traffic on ephemeral ports) is not
 * required. A port whose inbound path is open is reported even if the ACL currently drops the
 * replies: UDP needs no reply to do harm, and an egress deny is one edit away from being lifted.
 */
import type {
  IpPermission,
  NetworkAcl,
  NetworkInterface,
  RouteTable,
  SecurityGroup,
} from '../../core/aws-shapes.js';
import { anywhere, cidrsOverlap, type IpVersion, intersectCidrs, publicPart, subtractCidrs } from './cidr.js';
import {
  type AclDecision,
  describeAclEntry,
  evaluateAcl,
  networkAclForSubnet,
  PROTOCOL_TCP,
  PROTOCOL_UDP,
} from './network-acl.js';
import {
  describeRoute,
  effectiveRouteTable,
  type InternetGatewayCoverage,
  internetGatewayCoverage,
} from './route-table.js';
import {
  describePermission,
  describeSource,
  describeUnassessable,
  type PermissionSources,
  type PermissionSummary,
  type PortProtocol,
  type PrefixListIndex,
  permissionAdmits,
  permissionSources,
} from './security-group-rules.js';

/** The network data reachability needs, for one account and region. */
export interface NetworkData {
  readonly securityGroups: readonly SecurityGroup[];
  readonly networkAcls: readonly NetworkAcl[];
  readonly routeTables: readonly RouteTable[];
  readonly prefixLists: PrefixListIndex;
  /** Public sources the allowlist approves: traffic from them is not internet exposure. */
  readonly approvedSources?: readonly string[];
  /** Allowlisted prefix lists: a rule that references one admits approved sources only. */
  readonly approvedPrefixLists?: ReadonlySet<string>;
}

/** One way in: a protocol and family, the ports it opens, and the rule, ACL entry and route that let it. */
export interface Exposure {
  readonly protocol: PortProtocol;
  readonly ipVersion: IpVersion;
  readonly ports: readonly number[];
  /** The interface's addresses of this family that the internet reaches. */
  readonly addresses: readonly string[];
  readonly securityGroupId: string;
  readonly securityGroupRule: PermissionSummary &
    ({ readonly source: string } | { readonly prefixListId: string; readonly prefixListEntry: string });
  readonly networkAclId: string;
  readonly networkAclEntry: Readonly<Record<string, unknown>>;
  readonly routeTableId: string;
  readonly internetGatewayRoutes: ReadonlyArray<Readonly<Record<string, unknown>>>;
}

export interface FamilyVerdict {
  readonly ipVersion: IpVersion;
  readonly addresses: readonly string[];
  /** Why nothing of this family is reachable; absent when something is, or when it is unknown. */
  readonly blockedBy?: string;
}

export interface InterfaceReachability {
  readonly exposures: readonly Exposure[];
  readonly families: readonly FamilyVerdict[];
  /** What could not be read; makes a verdict without exposures unknown rather than safe. */
  readonly unassessable: readonly string[];
  readonly routeTableId?: string;
  readonly networkAclId?: string;
}

/** The public IPv4 addresses of an interface: its own association and its private addresses'. */
export function publicIpv4Addresses(eni: NetworkInterface): string[] {
  const addresses = [
    eni.Association?.PublicIp,
    ...(eni.PrivateIpAddresses ?? []).map((address) => address.Association?.PublicIp),
  ];
  return [
    ...new Set(addresses.filter((address): address is string => address !== undefined && address !== '')),
  ];
}

/**
 * Whether the interface carries traffic: `in-use`, or an attachment that is `attached` (an
 * attachment without a status, as hand-written estates have, counts as attached).
 */
export function isInterfaceInUse(eni: NetworkInterface): boolean {
  if (eni.Status === 'in-use') return true;
  const attachment = eni.Attachment;
  return attachment !== undefined && (attachment.Status === undefined || attachment.Status === 'attached');
}

export function ipv6Addresses(eni: NetworkInterface): string[] {
  return [...new Set((eni.Ipv6Addresses ?? []).map((address) => address.Ipv6Address))];
}

/**
 * Evaluates interfaces against one region's network data. Route coverage, ACL verdicts and rule
 * sources are computed once per table, ACL and rule, and shared by every interface.
 */
export class ReachabilityAnalyzer {
  private readonly groups: ReadonlyMap<string, SecurityGroup>;
  private readonly coverage = new Map<string, InternetGatewayCoverage>();
  private readonly aclAllows = new Map<string, AclDecision[]>();
  private readonly sources = new WeakMap<IpPermission, PermissionSources>();
  private readonly reachableSources = new Map<string, string[]>();

  constructor(private readonly data: NetworkData) {
    this.groups = new Map(data.securityGroups.map((group) => [group.GroupId, group]));
  }

  /** Which of `ports` the internet reaches on `eni`, over TCP and UDP. */
  analyze(eni: NetworkInterface, ports: readonly number[]): InterfaceReachability {
    const unassessable: string[] = [];
    const families: FamilyVerdict[] = [];
    const found: Array<Omit<Exposure, 'ports'> & { readonly port: number }> = [];
    const subnetId = eni.SubnetId;
    const routeTable =
      subnetId === undefined ? undefined : effectiveRouteTable(this.data.routeTables, subnetId, eni.VpcId);
    const acl =
      subnetId === undefined ? undefined : networkAclForSubnet(this.data.networkAcls, subnetId, eni.VpcId);
    const addressesByFamily: Array<[IpVersion, string[]]> = [
      [4, publicIpv4Addresses(eni)],
      [6, ipv6Addresses(eni)],
    ];
    const groups = (eni.Groups ?? []).flatMap(({ GroupId }) => {
      const group = this.groups.get(GroupId);
      if (group === undefined) unassessable.push(`security group ${GroupId} is not in the collected data`);
      return group === undefined ? [] : [group];
    });

    for (const [version, addresses] of addressesByFamily) {
      const family = version === 4 ? 'IPv4' : 'IPv6';
      if (addresses.length === 0) {
        families.push({
          ipVersion: version,
          addresses,
          blockedBy: version === 4 ? 'no public IPv4 address' : 'no IPv6 address',
        });
        continue;
      }
      if (routeTable === undefined) {
        unassessable.push(
          `no route table for subnet ${subnetId ?? '(none)'}: neither an associated table nor its VPC's main table was collected`,
        );
        families.push({ ipVersion: version, addresses });
        continue;
      }
      const coverage = this.gatewayCoverage(routeTable.routeTable, version);
      for (const id of coverage.unreadablePrefixLists) {
        unassessable.push(`prefix list ${id} of an internet-gateway route could not be read`);
      }
      if (coverage.cidrs.length === 0) {
        families.push({
          ipVersion: version,
          addresses,
          ...(coverage.unreadablePrefixLists.length > 0
            ? {}
            : {
                blockedBy: `route table ${routeTable.routeTable.RouteTableId} has no active ${family} route to an internet gateway`,
              }),
        });
        continue;
      }
      if (acl === undefined) {
        unassessable.push(`no network ACL for subnet ${subnetId ?? '(none)'} was collected`);
        families.push({ ipVersion: version, addresses });
        continue;
      }
      let admitted = false;
      let exposed = false;
      for (const protocol of ['tcp', 'udp'] as const) {
        for (const port of ports) {
          const path = { acl, routeTable: routeTable.routeTable, coverage, version, protocol, port };
          const way = this.firstWayIn(groups, path, unassessable);
          admitted ||= way.admitted;
          if (way.exposure === undefined) continue;
          exposed = true;
          found.push({ ...way.exposure, addresses });
        }
      }
      families.push({
        ipVersion: version,
        addresses,
        ...(exposed
          ? {}
          : {
              blockedBy: admitted
                ? `network ACL ${acl.NetworkAclId} denies every admitted internet source on the checked ports`
                : 'no security group rule admits an internet source routed to the internet gateway on the checked ports',
            }),
      });
    }

    return {
      exposures: groupExposures(found),
      families,
      unassessable: [...new Set(unassessable)],
      ...(routeTable === undefined ? {} : { routeTableId: routeTable.routeTable.RouteTableId }),
      ...(acl === undefined ? {} : { networkAclId: acl.NetworkAclId }),
    };
  }

  /**
   * The first security-group rule (in group and rule order) whose internet sources the route
   * table sends to the gateway and the ACL lets in, on one protocol, port and family.
   */
  private firstWayIn(
    groups: readonly SecurityGroup[],
    path: {
      readonly acl: NetworkAcl;
      readonly routeTable: RouteTable;
      readonly coverage: InternetGatewayCoverage;
      readonly version: IpVersion;
      readonly protocol: PortProtocol;
      readonly port: number;
    },
    unassessable: string[],
  ): {
    readonly admitted: boolean;
    readonly exposure?: Omit<Exposure, 'ports' | 'addresses'> & { port: number };
  } {
    const { acl, routeTable, coverage, version, protocol, port } = path;
    const allows = this.aclAllowDecisions(acl, version, protocol, port);
    let admitted = false;
    for (const group of groups) {
      for (const permission of group.IpPermissions ?? []) {
        if (!permissionAdmits(permission, protocol, port)) continue;
        const read = this.permissionSources(permission);
        for (const problem of read.unassessable) {
          unassessable.push(`security group ${group.GroupId}: ${describeUnassessable(problem)}`);
        }
        for (const source of read.sources) {
          if (source.ipVersion !== version) continue;
          if (
            source.prefixListId !== undefined &&
            this.data.approvedPrefixLists?.has(source.prefixListId) === true
          ) {
            continue;
          }
          const reachable = this.reachableFrom(source.cidr, routeTable, coverage);
          if (reachable.length === 0) continue;
          admitted = true;
          const decision = allows.find((allow) => cidrsOverlap(reachable, allow.cidrs));
          if (decision?.entry === undefined) continue;
          return {
            admitted,
            exposure: {
              protocol,
              ipVersion: version,
              port,
              securityGroupId: group.GroupId,
              securityGroupRule: { ...describePermission(permission), ...describeSource(source) },
              networkAclId: acl.NetworkAclId,
              networkAclEntry: describeAclEntry(decision.entry),
              routeTableId: routeTable.RouteTableId,
              internetGatewayRoutes: coverage.routes.map(describeRoute),
            },
          };
        }
      }
    }
    return { admitted };
  }

  private gatewayCoverage(routeTable: RouteTable, version: IpVersion): InternetGatewayCoverage {
    const key = `${routeTable.RouteTableId}|${version}`;
    let coverage = this.coverage.get(key);
    if (coverage === undefined) {
      coverage = internetGatewayCoverage(routeTable, version, this.data.prefixLists);
      this.coverage.set(key, coverage);
    }
    return coverage;
  }

  /** The ACL's allow decisions for traffic from anywhere of this family. */
  private aclAllowDecisions(
    acl: NetworkAcl,
    version: IpVersion,
    protocol: PortProtocol,
    port: number,
  ): AclDecision[] {
    const key = `${acl.NetworkAclId}|${version}|${protocol}|${port}`;
    let allows = this.aclAllows.get(key);
    if (allows === undefined) {
      const traffic = { protocol: protocol === 'tcp' ? PROTOCOL_TCP : PROTOCOL_UDP, port };
      allows = evaluateAcl(acl, 'ingress', version, traffic, [anywhere(version)]).filter(
        (d) => d.action === 'allow',
      );
      this.aclAllows.set(key, allows);
    }
    return allows;
  }

  private permissionSources(permission: IpPermission): PermissionSources {
    let read = this.sources.get(permission);
    if (read === undefined) {
      read = permissionSources(permission, this.data.prefixLists);
      this.sources.set(permission, read);
    }
    return read;
  }

  /** The public addresses of a source range that the table routes to an internet gateway. */
  private reachableFrom(cidr: string, routeTable: RouteTable, coverage: InternetGatewayCoverage): string[] {
    const key = `${routeTable.RouteTableId}|${cidr}`;
    let reachable = this.reachableSources.get(key);
    if (reachable === undefined) {
      // Approved sources (network.allowlist) are not "the internet": reaching an instance from
      // the corporate VPN is the design, and the allowlist check judges the rules themselves.
      const unapproved = subtractCidrs(publicPart([cidr]), this.data.approvedSources ?? []);
      reachable = intersectCidrs(unapproved, coverage.cidrs);
      this.reachableSources.set(key, reachable);
    }
    return reachable;
  }
}

/** Merges per-port exposures that share protocol, family, rule, ACL entry and route into one. */
function groupExposures(
  found: ReadonlyArray<Omit<Exposure, 'ports'> & { readonly port: number }>,
): Exposure[] {
  const grouped = new Map<string, Exposure & { ports: number[] }>();
  for (const { port, ...exposure } of found) {
    const key = JSON.stringify(exposure);
    const existing = grouped.get(key);
    if (existing === undefined) grouped.set(key, { ...exposure, ports: [port] });
    else if (!existing.ports.includes(port)) existing.ports.push(port);
  }
  return [...grouped.values()].map((exposure) => ({
    ...exposure,
    ports: [...exposure.ports].sort((a, b) => a - b),
  }));
}
