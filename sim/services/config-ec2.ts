/**
 * The EC2 resources AWS Config records, from the estate's Describe answers: the API object in
 * lower camel case, with Config's own turns [awslabs/aws-config-resource-schema]: a security
 * group rule lists its IPv4 ranges twice (`ipv4Ranges` objects and bare `ipRanges` strings), a
 * volume's state is `{ value }`, and a prefix list keeps CloudFormation's upper camel case.
 * Snapshots are no Config resource type, and AWS-managed prefix lists are not recorded.
 */
import type { IpPermission, SecurityGroup, Volume } from '../../core/aws-shapes.js';
import type { EstateEc2 } from '../estate.js';
import { lowerCamel, lowerCamelObject } from './config-case.js';
import type { ItemDraft, RecordedRegion } from './config-items.js';

type Item<K extends keyof EstateEc2> = EstateEc2[K] extends ReadonlyArray<infer T> ? T : never;

export const EC2_TYPES = {
  securityGroup: 'AWS::EC2::SecurityGroup',
  networkInterface: 'AWS::EC2::NetworkInterface',
  networkAcl: 'AWS::EC2::NetworkAcl',
  routeTable: 'AWS::EC2::RouteTable',
  subnet: 'AWS::EC2::Subnet',
  vpc: 'AWS::EC2::VPC',
  instance: 'AWS::EC2::Instance',
  volume: 'AWS::EC2::Volume',
  prefixList: 'AWS::EC2::PrefixList',
} as const;

/** What Config writes where a resource lives in no one availability zone. */
const NO_ZONE = 'Not Applicable';

/** The drafts of the EC2 items of one region, for the types `recorded` accepts. */
export function ec2Drafts(where: RecordedRegion, recorded: (type: string) => boolean): ItemDraft[] {
  const ec2 = where.account.regions[where.region]?.ec2;
  if (ec2 === undefined) return [];
  const arn = (kind: string, id: string) =>
    `arn:${where.partition}:ec2:${where.region}:${where.accountId}:${kind}/${id}`;
  const zones = zoneFinder(ec2);
  const drafts: ItemDraft[] = [];
  const add = <T>(type: string, items: readonly T[], draft: (item: T) => Omit<ItemDraft, 'resourceType'>) => {
    if (recorded(type)) for (const item of items) drafts.push({ resourceType: type, ...draft(item) });
  };

  add(EC2_TYPES.securityGroup, ec2.SecurityGroups, (group) => ({
    resourceId: group.GroupId,
    resourceName: group.GroupName,
    arn: arn('security-group', group.GroupId),
    availabilityZone: NO_ZONE,
    tags: group.Tags,
    configuration: () => securityGroupConfiguration(group),
  }));
  add(EC2_TYPES.networkInterface, ec2.NetworkInterfaces, (eni) => ({
    resourceId: eni.NetworkInterfaceId,
    arn: arn('network-interface', eni.NetworkInterfaceId),
    availabilityZone: zones.ofSubnet(eni.SubnetId),
    // DescribeNetworkInterfaces calls the tags TagSet.
    tags: eni.TagSet,
    configuration: () => lowerCamelObject(eni),
  }));
  add(EC2_TYPES.networkAcl, ec2.NetworkAcls, (acl) => ({
    resourceId: acl.NetworkAclId,
    arn: arn('network-acl', acl.NetworkAclId),
    availabilityZone: NO_ZONE,
    tags: acl.Tags,
    configuration: () => lowerCamelObject(acl),
  }));
  add(EC2_TYPES.routeTable, ec2.RouteTables, (table) => ({
    resourceId: table.RouteTableId,
    arn: arn('route-table', table.RouteTableId),
    availabilityZone: NO_ZONE,
    tags: table.Tags,
    configuration: () => lowerCamelObject(table),
  }));
  add(EC2_TYPES.subnet, ec2.Subnets, (subnet) => ({
    resourceId: subnet.SubnetId,
    arn: subnet.SubnetArn ?? arn('subnet', subnet.SubnetId),
    availabilityZone: subnet.AvailabilityZone ?? NO_ZONE,
    tags: subnet.Tags,
    configuration: () => lowerCamelObject(subnet),
  }));
  add(EC2_TYPES.vpc, ec2.Vpcs, (vpc) => ({
    resourceId: vpc.VpcId,
    arn: arn('vpc', vpc.VpcId),
    availabilityZone: NO_ZONE,
    tags: vpc.Tags,
    configuration: () => lowerCamelObject(vpc),
  }));
  add(EC2_TYPES.instance, ec2.Instances, (instance) => ({
    resourceId: instance.InstanceId,
    arn: arn('instance', instance.InstanceId),
    availabilityZone: zones.ofSubnet(instance.SubnetId),
    tags: instance.Tags,
    configuration: () => lowerCamelObject(instance),
  }));
  add(EC2_TYPES.volume, ec2.Volumes, (volume) => ({
    resourceId: volume.VolumeId,
    arn: arn('volume', volume.VolumeId),
    availabilityZone: zones.ofInstance(volume.Attachments?.[0]?.InstanceId),
    tags: volume.Tags,
    configuration: () => volumeConfiguration(volume),
  }));
  const customerLists = ec2.ManagedPrefixLists.filter((list) => isCustomerManaged(list, where.accountId));
  add(EC2_TYPES.prefixList, customerLists, (list) => ({
    resourceId: list.PrefixListId,
    resourceName: list.PrefixListName,
    arn: arn('prefix-list', list.PrefixListId),
    availabilityZone: 'Regional',
    configuration: () =>
      prefixListConfiguration(list, where.accountId, arn('prefix-list', list.PrefixListId)),
  }));
  return drafts;
}

/** Each IPv4 range as an object under `ipv4Ranges` and as its CIDR under `ipRanges`. */
function permissionConfiguration(permission: IpPermission): Record<string, unknown> {
  const { IpRanges, ...rest } = permission;
  const ranges = IpRanges ?? [];
  return {
    ...lowerCamelObject(rest),
    ipv4Ranges: lowerCamel(ranges),
    ipRanges: ranges.map((range) => range.CidrIp),
  };
}

function securityGroupConfiguration(group: SecurityGroup): Record<string, unknown> {
  const { IpPermissions, IpPermissionsEgress, ...rest } = group;
  return {
    ...lowerCamelObject(rest),
    ipPermissions: (IpPermissions ?? []).map(permissionConfiguration),
    ipPermissionsEgress: (IpPermissionsEgress ?? []).map(permissionConfiguration),
  };
}

function volumeConfiguration(volume: Volume): Record<string, unknown> {
  const { State, ...rest } = volume;
  return { ...lowerCamelObject(rest), ...(State !== undefined && { state: { value: State } }) };
}

/** AWS's own lists (`com.amazonaws.<region>.s3`, owned by "AWS") are not recorded. */
function isCustomerManaged(list: Item<'ManagedPrefixLists'>, accountId: string): boolean {
  if (list.OwnerId !== undefined) return list.OwnerId === accountId;
  return !(list.PrefixListName ?? '').startsWith('com.amazonaws.');
}

/** The estate keeps no version of a list; every list is at its first. */
function prefixListConfiguration(
  list: Item<'ManagedPrefixLists'>,
  accountId: string,
  arn: string,
): Record<string, unknown> {
  return {
    PrefixListId: list.PrefixListId,
    PrefixListName: list.PrefixListName,
    AddressFamily: list.AddressFamily,
    MaxEntries: list.MaxEntries,
    OwnerId: list.OwnerId ?? accountId,
    Version: 1,
    Arn: arn,
    Entries: (list.Entries ?? []).map(({ Cidr, Description }) => ({ Cidr, Description })),
  };
}

/**
 * The estate's instances and interfaces name their subnet, and volumes their instance, but
 * not their zone: the subnet's zone is theirs.
 */
function zoneFinder(ec2: EstateEc2) {
  const subnetZones = new Map<string, string>();
  for (const subnet of ec2.Subnets) {
    if (subnet.AvailabilityZone !== undefined) subnetZones.set(subnet.SubnetId, subnet.AvailabilityZone);
  }
  const instanceSubnets = new Map<string, string>();
  for (const instance of ec2.Instances) {
    if (instance.SubnetId !== undefined) instanceSubnets.set(instance.InstanceId, instance.SubnetId);
  }
  const ofSubnet = (subnetId: string | undefined) =>
    (subnetId === undefined ? undefined : subnetZones.get(subnetId)) ?? NO_ZONE;
  return {
    ofSubnet,
    ofInstance: (instanceId: string | undefined) =>
      ofSubnet(instanceId === undefined ? undefined : instanceSubnets.get(instanceId)),
  };
}
