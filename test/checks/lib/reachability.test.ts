import { describe, expect, it } from 'vitest';
import {
  ipv6Addresses,
  isInterfaceInUse,
  publicIpv4Addresses,
  ReachabilityAnalyzer,
} from '../../../checks/lib/reachability.js';
import { prefixListIndex } from '../../../checks/lib/security-group-rules.js';
import type { NetworkAcl, NetworkInterface, RouteTable, SecurityGroup } from '../../../core/aws-shapes.js';
import {
  aclIn,
  allTraffic,
  defaultAcl,
  fromGroup,
  fromPrefixList,
  IGW,
  LOCAL_V4,
  networkAcl,
  networkInterface,
  prefixList,
  publicMainTable,
  route,
  routeTable,
  SUBNET_ID,
  securityGroup,
  tcp,
  udp,
} from '../ec2/fixtures.js';

const PORTS = [22, 3389];

interface Scenario {
  readonly name: string;
  readonly eni?: Partial<NetworkInterface>;
  readonly groups?: SecurityGroup[];
  readonly acls?: NetworkAcl[];
  readonly tables?: RouteTable[];
  /** `protocol/ipVersion:ports` of each exposure, in order. */
  readonly exposed: string[];
  readonly unassessable?: number;
}

function analyze(s: Scenario) {
  const analyzer = new ReachabilityAnalyzer({
    securityGroups: s.groups ?? [securityGroup('sg-web', [tcp(22, 22, '0.0.0.0/0')])],
    networkAcls: s.acls ?? [defaultAcl()],
    routeTables: s.tables ?? [publicMainTable()],
    prefixLists: prefixListIndex([prefixList('pl-00000000000000001', '0.0.0.0/0')]),
  });
  return analyzer.analyze(networkInterface('eni-1', s.eni), PORTS);
}

const web = (...rules: Parameters<typeof securityGroup>[1] & object) => [securityGroup('sg-web', rules)];
const noPublicIp = { Association: undefined };

describe('ReachabilityAnalyzer', () => {
  it.each<Scenario>([
    { name: 'public IPv4, IGW default route, default ACL, SSH open', exposed: ['tcp/4:22'] },
    { name: 'no public address at all', eni: noPublicIp, exposed: [] },
    {
      name: "a public IP on a secondary private address's association",
      eni: {
        Association: undefined,
        PrivateIpAddresses: [
          { PrivateIpAddress: '10.0.1.10', Primary: true },
          { PrivateIpAddress: '10.0.1.11', Primary: false, Association: { PublicIp: '54.0.0.11' } },
        ],
      },
      exposed: ['tcp/4:22'],
    },
    {
      name: 'explicit association to a table without an IGW route wins over a public main table',
      tables: [
        publicMainTable(),
        routeTable('rtb-private', [LOCAL_V4, route('0.0.0.0/0', { NatGatewayId: 'nat-1' })], {
          subnetId: SUBNET_ID,
        }),
      ],
      exposed: [],
    },
    {
      name: "another VPC's public main table does not count",
      tables: [
        { ...publicMainTable('rtb-other'), VpcId: 'vpc-other' },
        routeTable('rtb-main', [LOCAL_V4], { main: true }),
      ],
      exposed: [],
    },
    {
      name: 'a blackhole IGW route carries nothing',
      tables: [
        routeTable('rtb-main', [LOCAL_V4, route('0.0.0.0/0', { GatewayId: IGW }, 'blackhole')], {
          main: true,
        }),
      ],
      exposed: [],
    },
    {
      name: 'IPv6 address, IGW ::/0 route, rule from ::/0',
      eni: { ...noPublicIp, Ipv6Addresses: [{ Ipv6Address: '2600:1f18::10' }] },
      groups: web(tcp(22, 22, '::/0')),
      exposed: ['tcp/6:22'],
    },
    {
      name: 'IPv6 behind an egress-only gateway only',
      eni: { ...noPublicIp, Ipv6Addresses: [{ Ipv6Address: '2600:1f18::10' }] },
      groups: web(tcp(22, 22, '::/0')),
      tables: [
        routeTable('rtb-main', [LOCAL_V4, route('::/0', { EgressOnlyInternetGatewayId: 'eigw-1' })], {
          main: true,
        }),
      ],
      exposed: [],
    },
    {
      name: 'an IPv4 rule does not expose the IPv6 address',
      eni: { ...noPublicIp, Ipv6Addresses: [{ Ipv6Address: '2600:1f18::10' }] },
      exposed: [],
    },
    {
      name: 'the ACL denies SSH before allowing everything',
      acls: [
        networkAcl(
          'acl-1',
          [aclIn(100, 'deny', '0.0.0.0/0', '6', { From: 22, To: 22 }), aclIn(200, 'allow', '0.0.0.0/0')],
          { Associations: [{ SubnetId: SUBNET_ID }] },
        ),
      ],
      exposed: [],
    },
    {
      name: 'a narrower ACL deny before a broad allow leaves the rest open',
      acls: [
        networkAcl(
          'acl-1',
          [aclIn(100, 'deny', '1.2.3.0/24', '6', { From: 22, To: 22 }), aclIn(200, 'allow', '0.0.0.0/0')],
          { Associations: [{ SubnetId: SUBNET_ID }] },
        ),
      ],
      exposed: ['tcp/4:22'],
    },
    {
      name: 'the rule admits only what the ACL denies',
      groups: web(tcp(22, 22, '8.8.8.0/24')),
      acls: [
        networkAcl('acl-1', [aclIn(100, 'allow', '52.0.0.0/8')], { Associations: [{ SubnetId: SUBNET_ID }] }),
      ],
      exposed: [],
    },
    { name: '0.0.0.0/1 is the internet too', groups: web(tcp(22, 22, '0.0.0.0/1')), exposed: ['tcp/4:22'] },
    { name: 'a private source is not the internet', groups: web(tcp(22, 22, '10.0.0.0/8')), exposed: [] },
    {
      name: 'a security-group reference is not the internet',
      groups: web(fromGroup('-1', undefined, undefined, 'sg-other')),
      exposed: [],
    },
    {
      name: 'a customer prefix list holding 0.0.0.0/0',
      groups: web(fromPrefixList('tcp', 22, 22, 'pl-00000000000000001')),
      exposed: ['tcp/4:22'],
    },
    {
      name: 'an IGW route narrower than the rule source: only the overlap counts',
      groups: web(tcp(22, 22, '8.8.8.0/24')),
      tables: [routeTable('rtb-main', [LOCAL_V4, route('52.0.0.0/8', { GatewayId: IGW })], { main: true })],
      exposed: [],
    },
    {
      name: 'an IGW route narrower than the rule source, overlapping',
      groups: web(tcp(22, 22, '52.1.0.0/16')),
      tables: [routeTable('rtb-main', [LOCAL_V4, route('52.0.0.0/8', { GatewayId: IGW })], { main: true })],
      exposed: ['tcp/4:22'],
    },
    { name: 'UDP on 3389', groups: web(udp(3389, 3389, '0.0.0.0/0')), exposed: ['udp/4:3389'] },
    {
      name: 'an all-traffic rule, both protocols and ports',
      groups: web(allTraffic('0.0.0.0/0')),
      exposed: ['tcp/4:22,3389', 'udp/4:22,3389'],
    },
    { name: 'a port the check does not watch', groups: web(tcp(80, 80, '0.0.0.0/0')), exposed: [] },
    {
      name: 'an ICMP rule opens no port',
      groups: web({ ...tcp(22, 22, '0.0.0.0/0'), IpProtocol: 'icmp' }),
      exposed: [],
    },
    {
      name: 'the second group admits it',
      eni: { Groups: [{ GroupId: 'sg-a' }, { GroupId: 'sg-b' }] },
      groups: [securityGroup('sg-a'), securityGroup('sg-b', [tcp(3389, 3389, '0.0.0.0/0')])],
      exposed: ['tcp/4:3389'],
    },
  ])('$name', (scenario) => {
    // Act
    const reach = analyze(scenario);

    // Assess
    expect(reach.exposures.map((e) => `${e.protocol}/${e.ipVersion}:${e.ports.join(',')}`)).toEqual(
      scenario.exposed,
    );
    expect(reach.unassessable).toEqual([]);
  });

  it.each<Scenario & { problem: string }>([
    {
      name: 'a rule prefix list that was not collected',
      groups: web(fromPrefixList('tcp', 22, 22, 'pl-0000000000000000f')),
      exposed: [],
      problem: 'security group sg-web: prefix list pl-0000000000000000f could not be read',
    },
    {
      name: 'a security group that was not collected',
      groups: [],
      exposed: [],
      problem: 'security group sg-web is not in the collected data',
    },
    {
      name: 'no route table for the subnet',
      tables: [],
      exposed: [],
      problem: `no route table for subnet ${SUBNET_ID}: neither an associated table nor its VPC's main table was collected`,
    },
    {
      name: 'no ACL for the subnet',
      acls: [],
      exposed: [],
      problem: `no network ACL for subnet ${SUBNET_ID} was collected`,
    },
  ])('cannot assess: $name', (scenario) => {
    // Act
    const reach = analyze(scenario);

    // Assess
    expect(reach.exposures).toEqual([]);
    expect(reach.unassessable).toEqual([scenario.problem]);
  });

  it('names the rule, ACL entry and route that let the internet in', () => {
    // Act
    const reach = analyze({ name: 'evidence', exposed: [] });

    // Assess
    expect(reach.exposures).toEqual([
      {
        protocol: 'tcp',
        ipVersion: 4,
        ports: [22],
        addresses: ['54.0.0.10'],
        securityGroupId: 'sg-web',
        securityGroupRule: {
          protocol: 'tcp',
          fromPort: 22,
          toPort: 22,
          portRange: '22',
          source: '0.0.0.0/0',
        },
        networkAclId: 'acl-default',
        networkAclEntry: {
          ruleNumber: 100,
          action: 'allow',
          protocol: '-1',
          cidr: '0.0.0.0/0',
          portRange: 'all',
        },
        routeTableId: 'rtb-main',
        internetGatewayRoutes: [{ destination: '0.0.0.0/0', target: IGW, state: 'active' }],
      },
    ]);
  });

  it('says why each family is not reachable', () => {
    // Act
    const reach = analyze({
      name: 'blocked',
      acls: [
        networkAcl('acl-1', [aclIn(100, 'deny', '0.0.0.0/0')], { Associations: [{ SubnetId: SUBNET_ID }] }),
      ],
      exposed: [],
    });

    // Assess
    expect(reach.families).toEqual([
      {
        ipVersion: 4,
        addresses: ['54.0.0.10'],
        blockedBy: 'network ACL acl-1 denies every admitted internet source on the checked ports',
      },
      { ipVersion: 6, addresses: [], blockedBy: 'no IPv6 address' },
    ]);
  });
});

describe('interface addresses and scope', () => {
  it('collects public IPv4 addresses from the interface and its private addresses, once each', () => {
    // Prepare
    const eni = networkInterface('eni-1', {
      Association: { PublicIp: '54.0.0.10' },
      PrivateIpAddresses: [
        { PrivateIpAddress: '10.0.1.10', Association: { PublicIp: '54.0.0.10' } },
        { PrivateIpAddress: '10.0.1.11', Association: { PublicIp: '54.0.0.11' } },
      ],
      Ipv6Addresses: [{ Ipv6Address: '2600::1' }],
    });

    // Act / Assess
    expect(publicIpv4Addresses(eni)).toEqual(['54.0.0.10', '54.0.0.11']);
    expect(ipv6Addresses(eni)).toEqual(['2600::1']);
  });

  it.each([
    { name: 'in-use', eni: { Status: 'in-use' }, inUse: true },
    {
      name: 'available, attached',
      eni: { Status: 'available', Attachment: { Status: 'attached' } },
      inUse: true,
    },
    {
      name: 'attachment without a status',
      eni: { Status: undefined, Attachment: { InstanceId: 'i-1' } },
      inUse: true,
    },
    { name: 'available, detached', eni: { Status: 'available', Attachment: undefined }, inUse: false },
    { name: 'detaching', eni: { Status: 'available', Attachment: { Status: 'detaching' } }, inUse: false },
  ])('$name → $inUse', ({ eni, inUse }) => {
    expect(isInterfaceInUse(networkInterface('eni-1', eni))).toBe(inUse);
  });
});
