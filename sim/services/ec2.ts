/**
 * EC2, over the `ec2` query protocol: the Describe and Get calls custos makes, answered from
 * the calling account's region of the estate.
 */
import { createHash } from 'node:crypto';
import type { Instance } from '../../core/aws-shapes.js';
import { AwsError } from '../aws-error.js';
import type { EstateEc2 } from '../estate.js';
import { EC2_ITEM, type Ec2Handler, ec2QueryService } from '../protocols/ec2-query.js';
import type { ServiceModule } from '../service.js';
import { element, listToXml, shapeToXml, textElement, textElements } from '../xml.js';
import { describe, notFound, regionEc2 } from './ec2-describe.js';
import { describeRegions } from './ec2-regions.js';
import { describeSnapshotAttribute, describeSnapshots } from './ec2-snapshots.js';
import {
  MANAGED_PREFIX_LIST,
  NETWORK_ACL,
  NETWORK_INTERFACE,
  PREFIX_LIST_ENTRY,
  RESERVATION,
  ROUTE_TABLE,
  SECURITY_GROUP,
  SUBNET,
  VOLUME,
  VPC,
  VPC_BLOCK_PUBLIC_ACCESS_EXCLUSION,
  VPC_BLOCK_PUBLIC_ACCESS_OPTIONS,
} from './ec2-xml.js';

type Item<K extends keyof EstateEc2> = EstateEc2[K] extends ReadonlyArray<infer T> ? T : never;

/** AWS's MaxResults range for the Describe calls that return everything when it is absent. */
const WIDE = { min: 5, max: 1000, unrequested: 'all' } as const;

const describeSecurityGroups = describe<Item<'SecurityGroups'>>({
  items: (ec2) => ec2.SecurityGroups,
  ids: [
    { param: 'GroupId', field: 'GroupId', notFound: notFound('InvalidGroup.NotFound', 'security group') },
    { param: 'GroupName', field: 'GroupName', notFound: notFound('InvalidGroup.NotFound', 'security group') },
  ],
  filters: {
    table: {
      'group-id': 'GroupId',
      'group-name': 'GroupName',
      'vpc-id': 'VpcId',
      'owner-id': 'OwnerId',
      description: 'Description',
    },
    tagsField: 'Tags',
  },
  paging: WIDE,
  render: (items) => listToXml('securityGroupInfo', items, SECURITY_GROUP, EC2_ITEM),
});

const describeNetworkInterfaces = describe<Item<'NetworkInterfaces'>>({
  items: (ec2) => ec2.NetworkInterfaces,
  ids: [
    {
      param: 'NetworkInterfaceId',
      field: 'NetworkInterfaceId',
      notFound: notFound('InvalidNetworkInterfaceID.NotFound', 'networkInterface ID'),
    },
  ],
  idsExcludeMaxResults: true,
  filters: {
    table: {
      'network-interface-id': 'NetworkInterfaceId',
      'subnet-id': 'SubnetId',
      'vpc-id': 'VpcId',
      'owner-id': 'OwnerId',
      status: 'Status',
      'interface-type': 'InterfaceType',
      'group-id': 'Groups.GroupId',
      'attachment.instance-id': 'Attachment.InstanceId',
      'association.public-ip': 'Association.PublicIp',
    },
    tagsField: 'TagSet',
  },
  paging: WIDE,
  render: (items) => listToXml('networkInterfaceSet', items, NETWORK_INTERFACE, EC2_ITEM),
});

const describeNetworkAcls = describe<Item<'NetworkAcls'>>({
  items: (ec2) => ec2.NetworkAcls,
  ids: [
    {
      param: 'NetworkAclId',
      field: 'NetworkAclId',
      notFound: notFound('InvalidNetworkAclID.NotFound', 'networkAcl ID'),
    },
  ],
  filters: {
    table: {
      'network-acl-id': 'NetworkAclId',
      'vpc-id': 'VpcId',
      'owner-id': 'OwnerId',
      default: 'IsDefault',
      'association.subnet-id': 'Associations.SubnetId',
    },
    tagsField: 'Tags',
  },
  paging: WIDE,
  render: (items) => listToXml('networkAclSet', items, NETWORK_ACL, EC2_ITEM),
});

const describeRouteTables = describe<Item<'RouteTables'>>({
  items: (ec2) => ec2.RouteTables,
  ids: [
    {
      param: 'RouteTableId',
      field: 'RouteTableId',
      notFound: notFound('InvalidRouteTableID.NotFound', 'routeTable ID'),
    },
  ],
  filters: {
    table: {
      'route-table-id': 'RouteTableId',
      'vpc-id': 'VpcId',
      'owner-id': 'OwnerId',
      'association.subnet-id': 'Associations.SubnetId',
      'association.main': 'Associations.Main',
    },
    tagsField: 'Tags',
  },
  paging: { min: 5, max: 100, unrequested: 'all' },
  render: (items) => listToXml('routeTableSet', items, ROUTE_TABLE, EC2_ITEM),
});

const describeSubnets = describe<Item<'Subnets'>>({
  items: (ec2) => ec2.Subnets,
  ids: [
    { param: 'SubnetId', field: 'SubnetId', notFound: notFound('InvalidSubnetID.NotFound', 'subnet ID') },
  ],
  filters: {
    table: {
      'subnet-id': 'SubnetId',
      'vpc-id': 'VpcId',
      'owner-id': 'OwnerId',
      'availability-zone': 'AvailabilityZone',
      'cidr-block': 'CidrBlock',
      'map-public-ip-on-launch': 'MapPublicIpOnLaunch',
    },
    tagsField: 'Tags',
  },
  paging: WIDE,
  render: (items) => listToXml('subnetSet', items, SUBNET, EC2_ITEM),
});

const describeVpcs = describe<Item<'Vpcs'>>({
  items: (ec2) => ec2.Vpcs,
  ids: [{ param: 'VpcId', field: 'VpcId', notFound: notFound('InvalidVpcID.NotFound', 'vpc ID') }],
  filters: {
    table: {
      'vpc-id': 'VpcId',
      'owner-id': 'OwnerId',
      'is-default': 'IsDefault',
      state: 'State',
      'cidr-block': 'CidrBlock',
    },
    tagsField: 'Tags',
  },
  paging: WIDE,
  render: (items) => listToXml('vpcSet', items, VPC, EC2_ITEM),
});

const describeInstances = describe<Instance>({
  items: (ec2) => ec2.Instances,
  ids: [
    {
      param: 'InstanceId',
      field: 'InstanceId',
      notFound: notFound('InvalidInstanceID.NotFound', 'instance ID'),
    },
  ],
  idsExcludeMaxResults: true,
  filters: {
    table: {
      'instance-id': 'InstanceId',
      'vpc-id': 'VpcId',
      'subnet-id': 'SubnetId',
      'instance-state-name': 'State.Name',
      'instance-state-code': 'State.Code',
      'ip-address': 'PublicIpAddress',
      'private-ip-address': 'PrivateIpAddress',
      'instance.group-id': 'SecurityGroups.GroupId',
      'network-interface.network-interface-id': 'NetworkInterfaces.NetworkInterfaceId',
    },
    tagsField: 'Tags',
  },
  paging: WIDE,
  render: (items, call) =>
    listToXml('reservationSet', items.map(reservation(call.caller.accountId)), RESERVATION, EC2_ITEM),
});

/**
 * The estate lists instances flat; AWS answers reservations. Each instance gets a reservation
 * of its own, with an id derived from the instance id so answers repeat.
 */
function reservation(ownerId: string): (instance: Instance) => object {
  return (instance) => {
    const digest = createHash('sha256').update(instance.InstanceId).digest('hex').slice(0, 17);
    return { ReservationId: `r-${digest}`, OwnerId: ownerId, Instances: [instance] };
  };
}

const describeVolumes = describe<Item<'Volumes'>>({
  items: (ec2) => ec2.Volumes,
  ids: [{ param: 'VolumeId', field: 'VolumeId', notFound: notFound('InvalidVolume.NotFound', 'volume') }],
  filters: {
    table: {
      'volume-id': 'VolumeId',
      status: 'State',
      encrypted: 'Encrypted',
      'volume-type': 'VolumeType',
      size: 'Size',
      'attachment.instance-id': 'Attachments.InstanceId',
      'attachment.status': 'Attachments.State',
    },
    tagsField: 'Tags',
  },
  paging: WIDE,
  render: (items) => listToXml('volumeSet', items, VOLUME, EC2_ITEM),
});

const describeManagedPrefixLists = describe<Item<'ManagedPrefixLists'>>({
  items: (ec2) => ec2.ManagedPrefixLists,
  ids: [
    {
      param: 'PrefixListId',
      field: 'PrefixListId',
      notFound: notFound('InvalidPrefixListID.NotFound', 'prefix list ID'),
    },
  ],
  filters: {
    table: { 'prefix-list-id': 'PrefixListId', 'prefix-list-name': 'PrefixListName', 'owner-id': 'OwnerId' },
    tagsField: 'Tags',
  },
  paging: { min: 1, max: 100, unrequested: 100 },
  render: (items) => listToXml('prefixListSet', items, MANAGED_PREFIX_LIST, EC2_ITEM),
});

const describeVpcBlockPublicAccessExclusions = describe<Item<'VpcBlockPublicAccessExclusions'>>({
  items: (ec2) => ec2.VpcBlockPublicAccessExclusions,
  ids: [
    {
      param: 'ExclusionId',
      field: 'ExclusionId',
      notFound: notFound('InvalidVpcBlockPublicAccessExclusionId.NotFound', 'exclusion ID'),
    },
  ],
  filters: {
    table: {
      'resource-arn': 'ResourceArn',
      'internet-gateway-exclusion-mode': 'InternetGatewayExclusionMode',
      state: 'State',
    },
  },
  paging: { min: 5, max: 1000, unrequested: 1000 },
  render: (items) =>
    listToXml('vpcBlockPublicAccessExclusionSet', items, VPC_BLOCK_PUBLIC_ACCESS_EXCLUSION, EC2_ITEM),
});

const getManagedPrefixListEntries: Ec2Handler = (input, call) => {
  const id = input.string('PrefixListId');
  if (id === undefined)
    throw new AwsError('MissingParameter', 'The request must contain the parameter PrefixListId');
  const prefixList = regionEc2(call).ManagedPrefixLists.find((candidate) => candidate.PrefixListId === id);
  if (prefixList === undefined) throw notFound('InvalidPrefixListID.NotFound', 'prefix list ID')(id);
  return describe({
    items: () => prefixList.Entries ?? [],
    ids: [],
    filters: { table: {} },
    paging: { min: 1, max: 100, unrequested: 100 },
    render: (items) => listToXml('entrySet', items, PREFIX_LIST_ENTRY, EC2_ITEM),
  })(input, call);
};

const getEbsEncryptionByDefault: Ec2Handler = (_input, call) =>
  textElement('ebsEncryptionByDefault', regionEc2(call).EbsEncryptionByDefault);

const getSnapshotBlockPublicAccessState: Ec2Handler = (_input, call) =>
  textElements({ state: regionEc2(call).SnapshotBlockPublicAccessState, managedBy: 'account' });

/** With no options in the estate, the answer is the one AWS gives an account that never set them. */
const describeVpcBlockPublicAccessOptions: Ec2Handler = (_input, call) => {
  const options = regionEc2(call).VpcBlockPublicAccessOptions ?? {
    AwsAccountId: call.caller.accountId,
    AwsRegion: call.region,
    State: 'default-state',
    InternetGatewayBlockMode: 'off',
    ManagedBy: 'account',
  };
  return element(
    'vpcBlockPublicAccessOptions',
    shapeToXml(options, VPC_BLOCK_PUBLIC_ACCESS_OPTIONS, EC2_ITEM),
  );
};

export const ec2Service: ServiceModule = ec2QueryService({
  name: 'ec2',
  operations: {
    DescribeRegions: describeRegions,
    DescribeSecurityGroups: describeSecurityGroups,
    DescribeNetworkInterfaces: describeNetworkInterfaces,
    DescribeNetworkAcls: describeNetworkAcls,
    DescribeRouteTables: describeRouteTables,
    DescribeSubnets: describeSubnets,
    DescribeVpcs: describeVpcs,
    DescribeInstances: describeInstances,
    DescribeVolumes: describeVolumes,
    DescribeSnapshots: describeSnapshots,
    DescribeSnapshotAttribute: describeSnapshotAttribute,
    GetEbsEncryptionByDefault: getEbsEncryptionByDefault,
    GetSnapshotBlockPublicAccessState: getSnapshotBlockPublicAccessState,
    DescribeVpcBlockPublicAccessOptions: describeVpcBlockPublicAccessOptions,
    DescribeVpcBlockPublicAccessExclusions: describeVpcBlockPublicAccessExclusions,
    DescribeManagedPrefixLists: describeManagedPrefixLists,
    GetManagedPrefixListEntries: getManagedPrefixListEntries,
  },
  // The scanner lists regions from a fixed home region that an estate need not list under
  // `regions`, so DescribeRegions answers in every region but a disabled one; the other calls
  // answer only in the account's enabled regions.
  discoveryOperations: ['DescribeRegions'],
});
