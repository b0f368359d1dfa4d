/**
 * Plain fixtures for the EC2 checks and the network reasoning in checks/lib: AWS objects in
 * AWS's own field names, built from small defaults so each test states only what it is about.
 */
import type {
  IpPermission,
  ManagedPrefixList,
  NetworkAcl,
  NetworkAclEntry,
  NetworkInterface,
  PrefixListEntry,
  Route,
  RouteTable,
  SecurityGroup,
} from '../../../core/aws-shapes.js';
import type { Check, CheckSettings, CollectorId, Target } from '../../../core/types.js';

export const ACCOUNT_ID = '111122223333';
export const REGION = 'eu-west-1';
export const TARGET: Target = { accountId: ACCOUNT_ID, region: REGION };
export const AS_OF = '2025-06-01T00:00:00Z';
export const VPC_ID = 'vpc-0a1b2c3d';
export const SUBNET_ID = 'subnet-0a1b2c3d';

export const SETTINGS: CheckSettings = {
  network: { adminPorts: [22, 3389], publicPorts: [80, 443] },
  iam: { rootUseDays: 30, unusedDays: 45, keyRotationDays: 90, dormantDays: 90 },
};

/** A check seen as the engine calls it: `evaluate(input, settings, asOf)` through the Check interface. */
export function asCheck<N extends CollectorId>(check: Check<N>): Check<N> {
  return check;
}

export function settingsWith(network: Partial<CheckSettings['network']>): CheckSettings {
  return { ...SETTINGS, network: { ...SETTINGS.network, ...network } };
}

export function sgArn(groupId: string): string {
  return `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:security-group/${groupId}`;
}

// ---------------------------------------------------------------- security groups

/** A TCP rule on one port or a range, from the given IPv4/IPv6 CIDRs. */
export function tcp(from: number, to: number, ...cidrs: string[]): IpPermission {
  return permission('tcp', from, to, cidrs);
}

export function udp(from: number, to: number, ...cidrs: string[]): IpPermission {
  return permission('udp', from, to, cidrs);
}

/** A rule with any protocol, ports and CIDRs; `undefined` ports are left out, as AWS does for `-1`. */
export function permission(
  protocol: string,
  from: number | undefined,
  to: number | undefined,
  cidrs: readonly string[],
): IpPermission {
  const ipv4 = cidrs.filter((c) => !c.includes(':')).map((CidrIp) => ({ CidrIp }));
  const ipv6 = cidrs.filter((c) => c.includes(':')).map((CidrIpv6) => ({ CidrIpv6 }));
  return {
    IpProtocol: protocol,
    ...(from === undefined ? {} : { FromPort: from }),
    ...(to === undefined ? {} : { ToPort: to }),
    IpRanges: ipv4,
    Ipv6Ranges: ipv6,
    PrefixListIds: [],
    UserIdGroupPairs: [],
  };
}

/** An all-protocol rule (`-1`, no ports) from the given CIDRs. */
export function allTraffic(...cidrs: string[]): IpPermission {
  return permission('-1', undefined, undefined, cidrs);
}

/** A rule whose source is a managed prefix list. */
export function fromPrefixList(
  protocol: string,
  from: number,
  to: number,
  prefixListId: string,
): IpPermission {
  return { ...permission(protocol, from, to, []), PrefixListIds: [{ PrefixListId: prefixListId }] };
}

/** A rule whose source is another security group. */
export function fromGroup(
  protocol: string,
  from: number | undefined,
  to: number | undefined,
  groupId: string,
) {
  return {
    ...permission(protocol, from, to, []),
    UserIdGroupPairs: [{ GroupId: groupId, UserId: ACCOUNT_ID }],
  };
}

export function securityGroup(
  groupId: string,
  inbound: IpPermission[] = [],
  overrides: Partial<SecurityGroup> = {},
): SecurityGroup {
  return {
    GroupId: groupId,
    GroupName: `group-${groupId}`,
    VpcId: VPC_ID,
    OwnerId: ACCOUNT_ID,
    IpPermissions: inbound,
    IpPermissionsEgress: [allTraffic('0.0.0.0/0')],
    ...overrides,
  };
}

export function prefixList(
  id: string,
  ...cidrs: string[]
): ManagedPrefixList & { Entries: PrefixListEntry[] } {
  return {
    PrefixListId: id,
    PrefixListName: `list-${id}`,
    AddressFamily: cidrs.some((c) => c.includes(':')) ? 'IPv6' : 'IPv4',
    OwnerId: ACCOUNT_ID,
    State: 'create-complete',
    Entries: cidrs.map((Cidr) => ({ Cidr })),
  };
}

// ---------------------------------------------------------------- network ACLs

/** An inbound entry: protocol number as a string, as DescribeNetworkAcls returns it. */
export function aclIn(
  ruleNumber: number,
  action: 'allow' | 'deny',
  cidr: string,
  protocol = '-1',
  ports?: { From: number; To: number },
): NetworkAclEntry {
  return aclEntry(ruleNumber, action, cidr, protocol, false, ports);
}

export function aclOut(
  ruleNumber: number,
  action: 'allow' | 'deny',
  cidr: string,
  protocol = '-1',
  ports?: { From: number; To: number },
): NetworkAclEntry {
  return aclEntry(ruleNumber, action, cidr, protocol, true, ports);
}

function aclEntry(
  ruleNumber: number,
  action: 'allow' | 'deny',
  cidr: string,
  protocol: string,
  egress: boolean,
  ports?: { From: number; To: number },
): NetworkAclEntry {
  return {
    RuleNumber: ruleNumber,
    RuleAction: action,
    Protocol: protocol,
    Egress: egress,
    ...(cidr.includes(':') ? { Ipv6CidrBlock: cidr } : { CidrBlock: cidr }),
    ...(ports === undefined ? {} : { PortRange: ports }),
  };
}

/** The catch-all denies AWS lists at the end of every ACL. */
export const CATCH_ALL_DENIES: NetworkAclEntry[] = [
  aclIn(32767, 'deny', '0.0.0.0/0'),
  aclIn(32768, 'deny', '::/0'),
  aclOut(32767, 'deny', '0.0.0.0/0'),
  aclOut(32768, 'deny', '::/0'),
];

export function networkAcl(
  id: string,
  entries: NetworkAclEntry[],
  overrides: Partial<NetworkAcl> = {},
): NetworkAcl {
  return {
    NetworkAclId: id,
    VpcId: VPC_ID,
    OwnerId: ACCOUNT_ID,
    IsDefault: false,
    Entries: [...entries, ...CATCH_ALL_DENIES],
    Associations: [],
    ...overrides,
  };
}

/** AWS's default ACL: everything in and out, both families. */
export function defaultAcl(id = 'acl-default', subnetIds: string[] = [SUBNET_ID]): NetworkAcl {
  return networkAcl(
    id,
    [
      aclIn(100, 'allow', '0.0.0.0/0'),
      aclIn(101, 'allow', '::/0'),
      aclOut(100, 'allow', '0.0.0.0/0'),
      aclOut(101, 'allow', '::/0'),
    ],
    {
      IsDefault: true,
      Associations: subnetIds.map((SubnetId) => ({ NetworkAclId: id, SubnetId })),
    },
  );
}

// ---------------------------------------------------------------- routing

export function route(destination: string, target: Partial<Route>, state = 'active'): Route {
  const dest = destination.startsWith('pl-')
    ? { DestinationPrefixListId: destination }
    : destination.includes(':')
      ? { DestinationIpv6CidrBlock: destination }
      : { DestinationCidrBlock: destination };
  return { ...dest, ...target, State: state };
}

export const LOCAL_V4 = route('10.0.0.0/16', { GatewayId: 'local' });
export const IGW = 'igw-0a1b2c3d';

export function routeTable(
  id: string,
  routes: Route[],
  association: { subnetId?: string; main?: boolean; vpcId?: string } = {},
): RouteTable {
  const associations = [
    ...(association.main ? [{ RouteTableId: id, Main: true }] : []),
    ...(association.subnetId ? [{ RouteTableId: id, SubnetId: association.subnetId, Main: false }] : []),
  ];
  return { RouteTableId: id, VpcId: association.vpcId ?? VPC_ID, Routes: routes, Associations: associations };
}

/** A VPC's main table with a default route to the internet gateway (IPv4 and IPv6). */
export function publicMainTable(id = 'rtb-main'): RouteTable {
  return routeTable(
    id,
    [LOCAL_V4, route('0.0.0.0/0', { GatewayId: IGW }), route('::/0', { GatewayId: IGW })],
    { main: true },
  );
}

// ---------------------------------------------------------------- network interfaces

export function networkInterface(id: string, overrides: Partial<NetworkInterface> = {}): NetworkInterface {
  return {
    NetworkInterfaceId: id,
    SubnetId: SUBNET_ID,
    VpcId: VPC_ID,
    OwnerId: ACCOUNT_ID,
    Status: 'in-use',
    InterfaceType: 'interface',
    PrivateIpAddress: '10.0.1.10',
    Groups: [{ GroupId: 'sg-web' }],
    Association: { PublicIp: '54.0.0.10' },
    PrivateIpAddresses: [{ PrivateIpAddress: '10.0.1.10', Primary: true }],
    Ipv6Addresses: [],
    Attachment: { InstanceId: 'i-0123456789abcdef0', Status: 'attached', DeviceIndex: 0 },
    ...overrides,
  };
}
