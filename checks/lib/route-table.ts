/**
 * Route tables and internet gateways (AWS-SEMANTICS 2.7).
 *
 * - A subnet uses the table explicitly associated with it, else the main table of its own VPC
 *   (never another VPC's main table: DescribeRouteTables lists every VPC's).
 * - Only active routes count. A route with no `State` (hand-written estates) is active;
 *   `blackhole` (target gone, e.g. a detached gateway) and any other state are ignored entirely.
 * - An internet gateway route is a route whose `GatewayId` starts with `igw-`. Egress-only
 *   gateways (`eigw-`) carry outbound IPv6 only and never count.
 * - Routing is longest-prefix match: the addresses that reach an internet gateway are its routes'
 *   destinations minus every more specific active route to something else (a NAT gateway, a
 *   peering connection, `local`). Routes to prefix lists count once per entry. A gateway route to
 *   a prefix list that was not collected is reported as unreadable; a more specific route to
 *   something else via an unreadable list is left out, which can only overstate exposure.
 */
import type { Route, RouteTable } from '../../core/aws-shapes.js';
import { type IpVersion, parseCidrBlock, subtractCidrs, unionCidrs } from './cidr.js';
import type { PrefixListIndex } from './security-group-rules.js';

export interface EffectiveRouteTable {
  readonly routeTable: RouteTable;
  readonly association: 'explicit' | 'main';
}

/** The table a subnet uses: its explicit association, else its VPC's main table. */
export function effectiveRouteTable(
  routeTables: readonly RouteTable[],
  subnetId: string,
  vpcId: string | undefined,
): EffectiveRouteTable | undefined {
  const explicit = routeTables.find((table) =>
    (table.Associations ?? []).some((association) => association.SubnetId === subnetId),
  );
  if (explicit !== undefined) return { routeTable: explicit, association: 'explicit' };
  if (vpcId === undefined) return undefined;
  const main = routeTables.find(
    (table) =>
      table.VpcId === vpcId && (table.Associations ?? []).some((association) => association.Main === true),
  );
  return main === undefined ? undefined : { routeTable: main, association: 'main' };
}

export function isActiveRoute(route: Route): boolean {
  return route.State === undefined || route.State === 'active';
}

export function isInternetGatewayRoute(route: Route): boolean {
  return route.GatewayId?.startsWith('igw-') === true;
}

/** The route's destination as written: a CIDR or a prefix-list id. */
export function routeDestination(route: Route): string | undefined {
  return route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock ?? route.DestinationPrefixListId;
}

interface Destination {
  readonly cidr: string;
  readonly prefixLength: number;
  readonly route: Route;
}

export interface InternetGatewayCoverage {
  /** The addresses of this family that the table routes to an internet gateway, merged. */
  readonly cidrs: readonly string[];
  /** The active internet-gateway routes of this family. */
  readonly routes: readonly Route[];
  /** Prefix lists of internet-gateway routes whose entries are not in the data. */
  readonly unreadablePrefixLists: readonly string[];
}

/**
 * The addresses of one family that a route table sends to an internet gateway, by longest-prefix
 * match over its active routes.
 */
export function internetGatewayCoverage(
  routeTable: RouteTable,
  version: IpVersion,
  prefixLists: PrefixListIndex = new Map(),
): InternetGatewayCoverage {
  const destinations: Destination[] = [];
  const unreadablePrefixLists: string[] = [];
  for (const route of (routeTable.Routes ?? []).filter(isActiveRoute)) {
    const written = route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock;
    const cidrs =
      written !== undefined
        ? [written]
        : route.DestinationPrefixListId !== undefined
          ? prefixLists.get(route.DestinationPrefixListId)
          : [];
    if (cidrs === undefined) {
      if (isInternetGatewayRoute(route) && route.DestinationPrefixListId !== undefined) {
        unreadablePrefixLists.push(route.DestinationPrefixListId);
      }
      continue;
    }
    for (const cidr of cidrs) {
      const block = parseCidrBlock(cidr);
      if (block?.version === version) {
        destinations.push({ cidr: block.cidr, prefixLength: block.prefixLength, route });
      }
    }
  }
  const gateways = destinations.filter((d) => isInternetGatewayRoute(d.route));
  const others = destinations.filter((d) => !isInternetGatewayRoute(d.route));
  const covered = gateways.flatMap((gateway) =>
    subtractCidrs(
      [gateway.cidr],
      others.filter((other) => other.prefixLength > gateway.prefixLength).map((other) => other.cidr),
    ),
  );
  return {
    cidrs: unionCidrs(covered),
    routes: [...new Set(gateways.map((gateway) => gateway.route))],
    unreadablePrefixLists: [...new Set(unreadablePrefixLists)],
  };
}

/** The fields of a route that decide reachability, for evidence. */
export function describeRoute(route: Route): Record<string, unknown> {
  return {
    destination: routeDestination(route) ?? null,
    target:
      route.GatewayId ??
      route.EgressOnlyInternetGatewayId ??
      route.NatGatewayId ??
      route.TransitGatewayId ??
      route.VpcPeeringConnectionId ??
      route.NetworkInterfaceId ??
      route.InstanceId ??
      null,
    state: route.State ?? 'active',
  };
}
