/**
 * EC2's element names for every field the AWS shapes declare, taken from the SDK's own schema
 * (`@aws-sdk/client-ec2`, the `xmlName` of each member). Many are not the field name with a
 * lower-case initial: `Description` → `groupDescription`, `UserIdGroupPairs` → `groups`,
 * `Tags` → `tagSet`, `IsDefault` of a network ACL → `default`, `State` of a volume → `status`.
 */
import { list, struct, type XmlShape } from '../xml.js';

const TAGS = list('tagSet', { Key: 'key', Value: 'value' });

const IP_PERMISSION: XmlShape = {
  IpProtocol: 'ipProtocol',
  FromPort: 'fromPort',
  ToPort: 'toPort',
  IpRanges: list('ipRanges', { CidrIp: 'cidrIp', Description: 'description' }),
  Ipv6Ranges: list('ipv6Ranges', { CidrIpv6: 'cidrIpv6', Description: 'description' }),
  PrefixListIds: list('prefixListIds', { PrefixListId: 'prefixListId', Description: 'description' }),
  UserIdGroupPairs: list('groups', {
    GroupId: 'groupId',
    GroupName: 'groupName',
    UserId: 'userId',
    VpcId: 'vpcId',
    VpcPeeringConnectionId: 'vpcPeeringConnectionId',
    PeeringStatus: 'peeringStatus',
    Description: 'description',
  }),
};

export const SECURITY_GROUP: XmlShape = {
  GroupId: 'groupId',
  GroupName: 'groupName',
  VpcId: 'vpcId',
  OwnerId: 'ownerId',
  Description: 'groupDescription',
  IpPermissions: list('ipPermissions', IP_PERMISSION),
  IpPermissionsEgress: list('ipPermissionsEgress', IP_PERMISSION),
  Tags: TAGS,
};

const ENI_ASSOCIATION = struct('association', {
  PublicIp: 'publicIp',
  AllocationId: 'allocationId',
  IpOwnerId: 'ipOwnerId',
});

export const NETWORK_INTERFACE: XmlShape = {
  NetworkInterfaceId: 'networkInterfaceId',
  SubnetId: 'subnetId',
  VpcId: 'vpcId',
  OwnerId: 'ownerId',
  Status: 'status',
  InterfaceType: 'interfaceType',
  PrivateIpAddress: 'privateIpAddress',
  Groups: list('groupSet', { GroupId: 'groupId', GroupName: 'groupName' }),
  Association: ENI_ASSOCIATION,
  PrivateIpAddresses: list('privateIpAddressesSet', {
    PrivateIpAddress: 'privateIpAddress',
    Primary: 'primary',
    Association: ENI_ASSOCIATION,
  }),
  Ipv6Addresses: list('ipv6AddressesSet', { Ipv6Address: 'ipv6Address' }),
  Attachment: struct('attachment', {
    InstanceId: 'instanceId',
    InstanceOwnerId: 'instanceOwnerId',
    Status: 'status',
    DeviceIndex: 'deviceIndex',
  }),
  TagSet: TAGS,
};

export const NETWORK_ACL: XmlShape = {
  NetworkAclId: 'networkAclId',
  VpcId: 'vpcId',
  OwnerId: 'ownerId',
  IsDefault: 'default',
  Entries: list('entrySet', {
    RuleNumber: 'ruleNumber',
    Protocol: 'protocol',
    RuleAction: 'ruleAction',
    Egress: 'egress',
    CidrBlock: 'cidrBlock',
    Ipv6CidrBlock: 'ipv6CidrBlock',
    PortRange: struct('portRange', { From: 'from', To: 'to' }),
    IcmpTypeCode: struct('icmpTypeCode', { Type: 'type', Code: 'code' }),
  }),
  Associations: list('associationSet', {
    NetworkAclAssociationId: 'networkAclAssociationId',
    NetworkAclId: 'networkAclId',
    SubnetId: 'subnetId',
  }),
  Tags: TAGS,
};

export const ROUTE_TABLE: XmlShape = {
  RouteTableId: 'routeTableId',
  VpcId: 'vpcId',
  OwnerId: 'ownerId',
  Routes: list('routeSet', {
    DestinationCidrBlock: 'destinationCidrBlock',
    DestinationIpv6CidrBlock: 'destinationIpv6CidrBlock',
    DestinationPrefixListId: 'destinationPrefixListId',
    GatewayId: 'gatewayId',
    EgressOnlyInternetGatewayId: 'egressOnlyInternetGatewayId',
    NatGatewayId: 'natGatewayId',
    TransitGatewayId: 'transitGatewayId',
    VpcPeeringConnectionId: 'vpcPeeringConnectionId',
    NetworkInterfaceId: 'networkInterfaceId',
    InstanceId: 'instanceId',
    State: 'state',
    Origin: 'origin',
  }),
  Associations: list('associationSet', {
    RouteTableAssociationId: 'routeTableAssociationId',
    RouteTableId: 'routeTableId',
    SubnetId: 'subnetId',
    GatewayId: 'gatewayId',
    Main: 'main',
  }),
  Tags: TAGS,
};

export const SUBNET: XmlShape = {
  SubnetId: 'subnetId',
  VpcId: 'vpcId',
  OwnerId: 'ownerId',
  SubnetArn: 'subnetArn',
  CidrBlock: 'cidrBlock',
  AvailabilityZone: 'availabilityZone',
  MapPublicIpOnLaunch: 'mapPublicIpOnLaunch',
  Ipv6CidrBlockAssociationSet: list('ipv6CidrBlockAssociationSet', {
    Ipv6CidrBlock: 'ipv6CidrBlock',
    AssociationId: 'associationId',
  }),
  Tags: TAGS,
};

export const VPC: XmlShape = {
  VpcId: 'vpcId',
  OwnerId: 'ownerId',
  CidrBlock: 'cidrBlock',
  IsDefault: 'isDefault',
  State: 'state',
  Tags: TAGS,
};

export const INSTANCE: XmlShape = {
  InstanceId: 'instanceId',
  State: struct('instanceState', { Name: 'name', Code: 'code' }),
  SubnetId: 'subnetId',
  VpcId: 'vpcId',
  PublicIpAddress: 'ipAddress',
  PrivateIpAddress: 'privateIpAddress',
  NetworkInterfaces: list('networkInterfaceSet', { NetworkInterfaceId: 'networkInterfaceId' }),
  SecurityGroups: list('groupSet', { GroupId: 'groupId', GroupName: 'groupName' }),
  Tags: TAGS,
};

/** DescribeInstances answers reservations, each holding its instances. */
export const RESERVATION: XmlShape = {
  ReservationId: 'reservationId',
  OwnerId: 'ownerId',
  Instances: list('instancesSet', INSTANCE),
};

export const VOLUME: XmlShape = {
  VolumeId: 'volumeId',
  Encrypted: 'encrypted',
  KmsKeyId: 'kmsKeyId',
  State: 'status',
  Size: 'size',
  VolumeType: 'volumeType',
  Attachments: list('attachmentSet', {
    InstanceId: 'instanceId',
    State: 'status',
    Device: 'device',
    DeleteOnTermination: 'deleteOnTermination',
  }),
  Tags: TAGS,
};

export const SNAPSHOT: XmlShape = {
  SnapshotId: 'snapshotId',
  VolumeId: 'volumeId',
  OwnerId: 'ownerId',
  Encrypted: 'encrypted',
  KmsKeyId: 'kmsKeyId',
  State: 'status',
  Tags: TAGS,
};

export const CREATE_VOLUME_PERMISSION: XmlShape = { Group: 'group', UserId: 'userId' };

export const VPC_BLOCK_PUBLIC_ACCESS_OPTIONS: XmlShape = {
  InternetGatewayBlockMode: 'internetGatewayBlockMode',
  State: 'state',
  ManagedBy: 'managedBy',
  AwsAccountId: 'awsAccountId',
  AwsRegion: 'awsRegion',
};

export const VPC_BLOCK_PUBLIC_ACCESS_EXCLUSION: XmlShape = {
  ExclusionId: 'exclusionId',
  InternetGatewayExclusionMode: 'internetGatewayExclusionMode',
  ResourceArn: 'resourceArn',
  State: 'state',
};

export const MANAGED_PREFIX_LIST: XmlShape = {
  PrefixListId: 'prefixListId',
  PrefixListName: 'prefixListName',
  AddressFamily: 'addressFamily',
  OwnerId: 'ownerId',
  State: 'state',
  MaxEntries: 'maxEntries',
};

export const PREFIX_LIST_ENTRY: XmlShape = { Cidr: 'cidr', Description: 'description' };

export const REGION: XmlShape = {
  RegionName: 'regionName',
  Endpoint: 'regionEndpoint',
  OptInStatus: 'optInStatus',
};
