import { describe, expect, it } from 'vitest';
import {
  describeRoute,
  effectiveRouteTable,
  internetGatewayCoverage,
  isActiveRoute,
  isInternetGatewayRoute,
} from '../../../checks/lib/route-table.js';
import { prefixListIndex } from '../../../checks/lib/security-group-rules.js';
import { IGW, LOCAL_V4, prefixList, route, routeTable, SUBNET_ID, VPC_ID } from '../ec2/fixtures.js';

describe('effectiveRouteTable', () => {
  const mainOwn = routeTable('rtb-main', [], { main: true });
  const mainOther = routeTable('rtb-other-main', [], { main: true, vpcId: 'vpc-other' });
  const explicit = routeTable('rtb-explicit', [], { subnetId: SUBNET_ID });

  it.each([
    {
      name: 'the explicitly associated table',
      tables: [mainOwn, explicit],
      id: 'rtb-explicit',
      association: 'explicit',
    },
    {
      name: "else its own VPC's main table",
      tables: [mainOther, mainOwn],
      id: 'rtb-main',
      association: 'main',
    },
    { name: "never another VPC's main table", tables: [mainOther], id: undefined, association: undefined },
    { name: 'nothing at all', tables: [], id: undefined, association: undefined },
  ])('$name', ({ tables, id, association }) => {
    // Act
    const found = effectiveRouteTable(tables, SUBNET_ID, VPC_ID);

    // Assess
    expect(found?.routeTable.RouteTableId).toBe(id);
    expect(found?.association).toBe(association);
  });
});

describe('internetGatewayCoverage', () => {
  const lists = prefixListIndex([prefixList('pl-00000000000000001', '52.0.0.0/8', '54.0.0.0/8')]);

  it.each([
    {
      name: 'a default route to the gateway',
      routes: [route('0.0.0.0/0', { GatewayId: IGW })],
      version: 4,
      cidrs: ['0.0.0.0/0'],
    },
    {
      name: 'the local route is carved out of the default route',
      routes: [LOCAL_V4, route('0.0.0.0/0', { GatewayId: IGW })],
      version: 4,
      cidrs: [
        '0.0.0.0/5',
        '8.0.0.0/7',
        '10.1.0.0/16',
        '10.2.0.0/15',
        '10.4.0.0/14',
        '10.8.0.0/13',
        '10.16.0.0/12',
        '10.32.0.0/11',
        '10.64.0.0/10',
        '10.128.0.0/9',
        '11.0.0.0/8',
        '12.0.0.0/6',
        '16.0.0.0/4',
        '32.0.0.0/3',
        '64.0.0.0/2',
        '128.0.0.0/1',
      ],
    },
    {
      name: 'a narrower gateway route counts',
      routes: [route('52.0.0.0/8', { GatewayId: IGW })],
      version: 4,
      cidrs: ['52.0.0.0/8'],
    },
    {
      name: 'a blackhole gateway route is ignored',
      routes: [route('0.0.0.0/0', { GatewayId: IGW }, 'blackhole')],
      version: 4,
      cidrs: [],
    },
    {
      name: 'a route without a state is active',
      routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: IGW }],
      version: 4,
      cidrs: ['0.0.0.0/0'],
    },
    {
      name: 'an egress-only gateway never counts',
      routes: [route('::/0', { EgressOnlyInternetGatewayId: 'eigw-1' })],
      version: 6,
      cidrs: [],
    },
    {
      name: 'an eigw- id in GatewayId never counts',
      routes: [route('::/0', { GatewayId: 'eigw-1' })],
      version: 6,
      cidrs: [],
    },
    {
      name: 'a NAT gateway is not an internet gateway',
      routes: [route('0.0.0.0/0', { NatGatewayId: 'nat-1' })],
      version: 4,
      cidrs: [],
    },
    {
      name: 'IPv6 gateway route, IPv6 asked',
      routes: [route('::/0', { GatewayId: IGW })],
      version: 6,
      cidrs: ['::/0'],
    },
    {
      name: 'IPv6 gateway route, IPv4 asked',
      routes: [route('::/0', { GatewayId: IGW })],
      version: 4,
      cidrs: [],
    },
    {
      name: 'a more specific NAT route takes its range away',
      routes: [route('0.0.0.0/0', { GatewayId: IGW }), route('0.0.0.0/1', { NatGatewayId: 'nat-1' })],
      version: 4,
      cidrs: ['128.0.0.0/1'],
    },
    {
      name: 'a less specific NAT route takes nothing away',
      routes: [route('52.0.0.0/8', { GatewayId: IGW }), route('0.0.0.0/0', { NatGatewayId: 'nat-1' })],
      version: 4,
      cidrs: ['52.0.0.0/8'],
    },
    {
      name: 'a gateway route to a prefix list counts its entries',
      routes: [route('pl-00000000000000001', { GatewayId: IGW })],
      version: 4,
      cidrs: ['52.0.0.0/8', '54.0.0.0/8'],
    },
  ])('$name', ({ routes, version, cidrs }) => {
    // Prepare
    const table = routeTable('rtb-1', routes, { main: true });

    // Act
    const coverage = internetGatewayCoverage(table, version as 4 | 6, lists);

    // Assess
    expect(coverage.cidrs).toEqual(cidrs);
  });

  it('takes the local range out of a default gateway route', () => {
    // Prepare
    const table = routeTable('rtb-1', [
      route('54.0.0.0/16', { GatewayId: 'local' }),
      route('0.0.0.0/0', { GatewayId: IGW }),
    ]);

    // Act
    const coverage = internetGatewayCoverage(table, 4);

    // Assess
    expect(coverage.cidrs).not.toContain('0.0.0.0/0');
    expect(coverage.cidrs).toContain('54.1.0.0/16');
    expect(coverage.cidrs).toContain('128.0.0.0/1');
    expect(coverage.routes).toHaveLength(1);
  });

  it('reports a gateway route to a prefix list that was not collected', () => {
    // Prepare
    const table = routeTable('rtb-1', [route('pl-0000000000000000f', { GatewayId: IGW })]);

    // Act
    const coverage = internetGatewayCoverage(table, 4, lists);

    // Assess
    expect(coverage.cidrs).toEqual([]);
    expect(coverage.unreadablePrefixLists).toEqual(['pl-0000000000000000f']);
  });

  it.each([
    { route: route('0.0.0.0/0', { GatewayId: IGW }), active: true, gateway: true },
    { route: route('0.0.0.0/0', { GatewayId: IGW }, 'blackhole'), active: false, gateway: true },
    { route: route('0.0.0.0/0', { GatewayId: IGW }, 'filtered'), active: false, gateway: true },
    { route: route('::/0', { EgressOnlyInternetGatewayId: 'eigw-1' }), active: true, gateway: false },
    { route: route('10.0.0.0/16', { GatewayId: 'local' }), active: true, gateway: false },
  ])(
    '$route.State route to $route.GatewayId: active $active, gateway $gateway',
    ({ route: r, active, gateway }) => {
      expect(isActiveRoute(r)).toBe(active);
      expect(isInternetGatewayRoute(r)).toBe(gateway);
    },
  );

  it('describes a route for evidence', () => {
    expect(describeRoute(route('0.0.0.0/0', { GatewayId: IGW }))).toEqual({
      destination: '0.0.0.0/0',
      target: IGW,
      state: 'active',
    });
  });
});
