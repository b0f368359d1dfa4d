/**
 * Estates for the simulator tests. `richEstate` fills every field the AWS shapes declare at
 * least once, and holds enough resources that a page size of 2 walks several pages.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { type Estate, parseEstate } from '../../sim/estate.js';
import type { Simulator } from '../../sim/server.js';

export const MANAGEMENT = '111111111111';
export const PROD = '222222222222';
export const SUSPENDED = '333333333333';
export const OPEN = '444444444444';

const tags = (name: string) => [
  { Key: 'Name', Value: name },
  { Key: 'team', Value: 'platform' },
];

const fullPermission = {
  IpProtocol: 'tcp',
  FromPort: 22,
  ToPort: 22,
  IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh from anywhere' }],
  Ipv6Ranges: [{ CidrIpv6: '::/0', Description: 'ssh v6' }],
  PrefixListIds: [{ PrefixListId: 'pl-00000001', Description: 'office' }],
  UserIdGroupPairs: [
    {
      GroupId: 'sg-99999999',
      GroupName: 'peer',
      UserId: OPEN,
      VpcId: 'vpc-00000009',
      VpcPeeringConnectionId: 'pcx-00000001',
      PeeringStatus: 'active',
      Description: 'peer group',
    },
  ],
};

export function securityGroup(index: number) {
  return {
    GroupId: `sg-${String(index).padStart(8, '0')}`,
    GroupName: `group-${index}`,
    VpcId: 'vpc-00000001',
    OwnerId: PROD,
    Description: `Group <${index}> & "friends"`,
    IpPermissions: [
      fullPermission,
      { IpProtocol: '-1', IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
    ],
    IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }, fullPermission],
    Tags: tags(`group-${index}`),
    // Real answers carry more than custos reads; the estate accepts it and drops it.
    SecurityGroupArn: `arn:aws:ec2:eu-west-1:${PROD}:security-group/sg-${index}`,
  };
}

export function networkInterface(index: number) {
  const association = {
    PublicIp: `203.0.113.${index}`,
    AllocationId: `eipalloc-${index}`,
    IpOwnerId: 'amazon',
  };
  return {
    NetworkInterfaceId: `eni-${String(index).padStart(8, '0')}`,
    SubnetId: 'subnet-00000001',
    VpcId: 'vpc-00000001',
    OwnerId: PROD,
    Status: 'in-use',
    InterfaceType: 'interface',
    PrivateIpAddress: `10.0.0.${index}`,
    Groups: [{ GroupId: 'sg-00000001', GroupName: 'group-1' }],
    Association: association,
    PrivateIpAddresses: [{ PrivateIpAddress: `10.0.0.${index}`, Primary: true, Association: association }],
    Ipv6Addresses: [{ Ipv6Address: `2001:db8::${index}` }],
    Attachment: { InstanceId: `i-${index}`, InstanceOwnerId: PROD, Status: 'attached', DeviceIndex: 0 },
    TagSet: tags(`eni-${index}`),
  };
}

export function networkAcl(index: number) {
  return {
    NetworkAclId: `acl-${String(index).padStart(8, '0')}`,
    VpcId: 'vpc-00000001',
    OwnerId: PROD,
    IsDefault: index === 1,
    Entries: [
      {
        RuleNumber: 100,
        Protocol: '6',
        RuleAction: 'allow',
        Egress: false,
        CidrBlock: '0.0.0.0/0',
        PortRange: { From: 22, To: 22 },
      },
      {
        RuleNumber: 110,
        Protocol: '58',
        RuleAction: 'deny',
        Egress: true,
        Ipv6CidrBlock: '::/0',
        IcmpTypeCode: { Type: -1, Code: -1 },
      },
    ],
    Associations: [
      {
        NetworkAclAssociationId: `aclassoc-${index}`,
        NetworkAclId: `acl-${index}`,
        SubnetId: 'subnet-00000001',
      },
    ],
    Tags: tags(`acl-${index}`),
  };
}

export function routeTable(index: number) {
  return {
    RouteTableId: `rtb-${String(index).padStart(8, '0')}`,
    VpcId: 'vpc-00000001',
    OwnerId: PROD,
    Routes: [
      {
        DestinationCidrBlock: '10.0.0.0/16',
        GatewayId: 'local',
        State: 'active',
        Origin: 'CreateRouteTable',
      },
      {
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: 'igw-00000001',
        State: 'active',
        Origin: 'CreateRoute',
      },
      { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-1', State: 'active' },
      { DestinationPrefixListId: 'pl-00000001', NatGatewayId: 'nat-1', State: 'blackhole' },
      { DestinationCidrBlock: '172.16.0.0/12', TransitGatewayId: 'tgw-1', Origin: 'CreateRoute' },
      { DestinationCidrBlock: '192.168.0.0/16', VpcPeeringConnectionId: 'pcx-1' },
      { DestinationCidrBlock: '100.64.0.0/10', NetworkInterfaceId: 'eni-1', InstanceId: 'i-1' },
    ],
    Associations: [
      {
        RouteTableAssociationId: `rtbassoc-${index}`,
        RouteTableId: `rtb-${index}`,
        SubnetId: 'subnet-00000001',
      },
      { RouteTableAssociationId: `rtbassoc-main-${index}`, RouteTableId: `rtb-${index}`, Main: true },
      { RouteTableAssociationId: `rtbassoc-gw-${index}`, RouteTableId: `rtb-${index}`, GatewayId: 'igw-1' },
    ],
    Tags: tags(`rtb-${index}`),
  };
}

export function subnet(index: number) {
  return {
    SubnetId: `subnet-${String(index).padStart(8, '0')}`,
    VpcId: 'vpc-00000001',
    OwnerId: PROD,
    SubnetArn: `arn:aws:ec2:eu-west-1:${PROD}:subnet/subnet-${index}`,
    CidrBlock: `10.0.${index}.0/24`,
    AvailabilityZone: 'eu-west-1a',
    MapPublicIpOnLaunch: index % 2 === 0,
    Ipv6CidrBlockAssociationSet: [
      { Ipv6CidrBlock: `2001:db8:${index}::/64`, AssociationId: `subnet-cidr-${index}` },
    ],
    Tags: tags(`subnet-${index}`),
  };
}

export function vpc(index: number) {
  return {
    VpcId: `vpc-${String(index).padStart(8, '0')}`,
    OwnerId: PROD,
    CidrBlock: `10.${index}.0.0/16`,
    IsDefault: index === 1,
    State: 'available',
    Tags: tags(`vpc-${index}`),
  };
}

export function instance(index: number) {
  return {
    InstanceId: `i-${String(index).padStart(17, '0')}`,
    State: { Name: index === 3 ? 'stopped' : 'running', Code: index === 3 ? 80 : 16 },
    SubnetId: 'subnet-00000001',
    VpcId: 'vpc-00000001',
    PublicIpAddress: `198.51.100.${index}`,
    PrivateIpAddress: `10.0.1.${index}`,
    NetworkInterfaces: [{ NetworkInterfaceId: `eni-${String(index).padStart(8, '0')}` }],
    SecurityGroups: [{ GroupId: 'sg-00000001', GroupName: 'group-1' }],
    Tags: tags(`instance-${index}`),
  };
}

export function volume(index: number) {
  return {
    VolumeId: `vol-${String(index).padStart(17, '0')}`,
    Encrypted: index % 2 === 0,
    KmsKeyId: index % 2 === 0 ? 'arn:aws:kms:eu-west-1:222222222222:key/abc' : undefined,
    State: 'in-use',
    Size: 8 * index,
    VolumeType: 'gp3',
    Attachments: [
      { InstanceId: `i-${index}`, State: 'attached', Device: '/dev/xvda', DeleteOnTermination: true },
    ],
    Tags: tags(`volume-${index}`),
  };
}

export function snapshot(index: number, permissions: Array<{ Group?: string; UserId?: string }>) {
  return {
    SnapshotId: `snap-${String(index).padStart(17, '0')}`,
    VolumeId: `vol-${String(index).padStart(17, '0')}`,
    OwnerId: PROD,
    Encrypted: permissions.length === 0,
    KmsKeyId: permissions.length === 0 ? 'alias/aws/ebs' : undefined,
    State: 'completed',
    Tags: tags(`snapshot-${index}`),
    CreateVolumePermissions: permissions,
  };
}

export function prefixList(index: number, entries: number) {
  return {
    PrefixListId: `pl-${String(index).padStart(8, '0')}`,
    PrefixListName: `office-${index}`,
    AddressFamily: 'IPv4',
    OwnerId: PROD,
    State: 'create-complete',
    MaxEntries: 10,
    Entries: Array.from({ length: entries }, (_, i) => ({
      Cidr: `192.0.2.${i}/32`,
      Description: `desk ${i}`,
    })),
  };
}

const range = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

/** The 22 credential-report columns, for rows that set every one. */
const fullReportRow = (user: string, arn: string) => ({
  user,
  arn,
  user_creation_time: '2020-01-01T00:00:00+00:00',
  password_enabled: 'not_supported',
  password_last_used: '2024-05-01T10:00:00+00:00',
  password_last_changed: 'not_supported',
  password_next_rotation: 'not_supported',
  mfa_active: 'true',
  access_key_1_active: 'false',
  access_key_1_last_rotated: 'N/A',
  access_key_1_last_used_date: 'N/A',
  access_key_1_last_used_region: 'N/A',
  access_key_1_last_used_service: 'N/A',
  access_key_2_active: 'false',
  access_key_2_last_rotated: 'N/A',
  access_key_2_last_used_date: 'N/A',
  access_key_2_last_used_region: 'N/A',
  access_key_2_last_used_service: 'N/A',
  cert_1_active: 'false',
  cert_1_last_rotated: 'N/A',
  cert_2_active: 'false',
  cert_2_last_rotated: 'N/A',
});

/** The management account's IAM: every part set, enough MFA devices for several pages. */
export function managementIam() {
  return {
    CredentialReport: [
      fullReportRow('<root_account>', `arn:aws:iam::${MANAGEMENT}:root`),
      {
        // A row that leaves columns out: the report writes them N/A.
        user: 'alice',
        arn: `arn:aws:iam::${MANAGEMENT}:user/alice`,
        user_creation_time: '2022-02-02T02:02:02+00:00',
        password_enabled: 'true',
        password_last_used: 'no_information',
        mfa_active: 'false',
        access_key_1_active: 'true',
        access_key_1_last_rotated: '2023-01-01T00:00:00+00:00',
      },
      {
        ...fullReportRow('ops, "night" team', `arn:aws:iam::${MANAGEMENT}:user/ops,"night"`),
        mfa_active: 'false',
        // Not a report column: left out of the CSV.
        console_access: 'yes',
      },
    ],
    AccountSummary: {
      AccountMFAEnabled: 1,
      AccountAccessKeysPresent: 0,
      AccountPasswordPresent: 1,
      MFADevices: 5,
      MFADevicesInUse: 2,
      Users: 2,
      GlobalEndpointTokenVersion: 2,
    },
    VirtualMFADevices: [
      {
        SerialNumber: `arn:aws:iam::${MANAGEMENT}:mfa/root-account-mfa-device`,
        User: { Arn: `arn:aws:iam::${MANAGEMENT}:root` },
        EnableDate: '2021-03-04T05:06:07Z',
      },
      { SerialNumber: `arn:aws:iam::${MANAGEMENT}:mfa/spare-1` },
      {
        SerialNumber: `arn:aws:iam::${MANAGEMENT}:mfa/alice`,
        User: { Arn: `arn:aws:iam::${MANAGEMENT}:user/alice`, UserName: 'alice', UserId: 'AIDAALICE' },
        EnableDate: '2022-02-03T00:00:00.000Z',
        // Real answers carry more than custos reads.
        Tags: [{ Key: 'team', Value: 'platform' }],
      },
      { SerialNumber: `arn:aws:iam::${MANAGEMENT}:mfa/spare-2` },
      { SerialNumber: `arn:aws:iam::${MANAGEMENT}:mfa/spare-3` },
    ],
    PasswordPolicy: {
      MinimumPasswordLength: 14,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: false,
      AllowUsersToChangePassword: true,
      ExpirePasswords: true,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 24,
      HardExpiry: false,
    },
    OrganizationsFeatures: ['RootCredentialsManagement', 'RootSessions'],
  };
}

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
export const PROD_OWNER = 'a'.repeat(64);

export const publicPolicy = (bucket: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Public',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${bucket}/*`,
    },
  ],
});

export const privatePolicy = (bucket: string) => ({
  Version: '2012-10-17',
  Id: 'cross-account',
  Statement: {
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${OPEN}:root` },
    Action: ['s3:GetObject', 's3:ListBucket'],
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  },
});

/** The production account's S3: every bucket setting at least once, buckets in four regions. */
export function prodS3() {
  return {
    AccountPublicAccessBlock: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    },
    Buckets: [
      {
        Name: 'prod-logs',
        CreationDate: '2024-01-01T00:00:00Z',
        BucketRegion: 'eu-west-1',
        Acl: {
          Owner: { ID: PROD_OWNER, DisplayName: 'prod' },
          Grants: [
            {
              Grantee: { Type: 'CanonicalUser', ID: PROD_OWNER, DisplayName: 'prod' },
              Permission: 'FULL_CONTROL',
            },
            { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' },
            // No Type: the simulator writes the one the URI implies.
            { Grantee: { URI: LOG_DELIVERY }, Permission: 'WRITE' },
            {
              Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: 'a&b@example.com' },
              Permission: 'READ_ACP',
            },
          ],
        },
        Policy: publicPolicy('prod-logs'),
        PolicyStatus: null,
        PublicAccessBlock: { BlockPublicAcls: true, BlockPublicPolicy: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: `arn:aws:kms:eu-west-1:${PROD}:key/abc`,
              },
              BucketKeyEnabled: true,
            },
          ],
        },
        Versioning: { Status: 'Enabled', MFADelete: 'Disabled' },
      },
      {
        Name: 'prod-assets',
        CreationDate: '2023-03-01T08:00:00.000Z',
        BucketRegion: 'us-east-1',
        Policy: privatePolicy('prod-assets'),
      },
      {
        // No region: a bucket created without a location constraint lives in us-east-1.
        Name: 'prod-archive',
        Policy: privatePolicy('prod-archive'),
        PolicyStatus: { IsPublic: true },
        Versioning: { Status: 'Suspended' },
      },
      {
        Name: 'prod-backups',
        CreationDate: '2022-07-01T00:00:00Z',
        BucketRegion: 'ap-southeast-3',
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        ServerSideEncryptionConfiguration: {
          Rules: [
            { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false },
          ],
        },
      },
      {
        Name: 'prod-data',
        CreationDate: '2024-06-01T00:00:00Z',
        BucketRegion: 'eu-west-1',
        Acl: { Owner: { ID: PROD_OWNER }, Grants: [] },
      },
    ],
  };
}

/** The raw document, as an estate file would hold it. */
export function richEstateDocument() {
  return {
    seed: 7,
    organization: {
      managementAccountId: MANAGEMENT,
      accounts: [
        {
          Id: MANAGEMENT,
          Arn: `arn:aws:organizations::${MANAGEMENT}:account/o-abc/${MANAGEMENT}`,
          Name: 'management',
          Email: 'root@example.com',
          State: 'ACTIVE',
          JoinedTimestamp: '2020-01-01T00:00:00.000Z',
        },
        {
          Id: PROD,
          Name: 'prod',
          Email: 'prod@example.com',
          State: 'ACTIVE',
          JoinedTimestamp: '2021-06-01T12:30:00.000Z',
        },
        { Id: SUSPENDED, Name: 'old', Email: 'old@example.com', State: 'SUSPENDED' },
        { Id: OPEN, Name: 'sandbox', Email: 'sandbox@example.com', State: 'ACTIVE', Status: 'ACTIVE' },
        { Id: '555555555555', Name: 'new', Email: 'new@example.com', State: 'PENDING_ACTIVATION' },
      ],
    },
    accounts: {
      [MANAGEMENT]: {
        regions: { 'us-east-1': { ec2: { SecurityGroups: [securityGroup(900)] } } },
        iam: managementIam(),
        s3: { Buckets: [{ Name: 'management-trail', BucketRegion: 'us-east-1' }] },
      },
      [PROD]: {
        assumeRole: { roleName: 'CustosAudit', externalId: 'x-123' },
        regions: {
          'eu-west-1': {
            ec2: {
              SecurityGroups: range(5).map(securityGroup),
              NetworkInterfaces: range(5).map(networkInterface),
              NetworkAcls: range(5).map(networkAcl),
              RouteTables: range(5).map(routeTable),
              Subnets: range(5).map(subnet),
              Vpcs: range(5).map(vpc),
              Instances: range(5).map(instance),
              Volumes: range(5).map(volume),
              Snapshots: [
                snapshot(1, [{ Group: 'all' }]),
                snapshot(2, []),
                snapshot(3, [{ UserId: OPEN }]),
                snapshot(4, [{ Group: 'all' }, { UserId: OPEN }]),
                snapshot(5, []),
                snapshot(6, [{ Group: 'all' }]),
              ],
              EbsEncryptionByDefault: true,
              SnapshotBlockPublicAccessState: 'block-new-sharing',
              VpcBlockPublicAccessOptions: {
                InternetGatewayBlockMode: 'block-ingress',
                State: 'update-complete',
                ManagedBy: 'account',
                AwsAccountId: PROD,
                AwsRegion: 'eu-west-1',
              },
              VpcBlockPublicAccessExclusions: range(5).map((i) => ({
                ExclusionId: `vpcbpa-exclude-${i}`,
                InternetGatewayExclusionMode: i % 2 === 0 ? 'allow-egress' : 'allow-bidirectional',
                ResourceArn: `arn:aws:ec2:eu-west-1:${PROD}:subnet/subnet-${i}`,
                State: 'create-complete',
              })),
              ManagedPrefixLists: [prefixList(1, 5), prefixList(2, 0), prefixList(3, 1)],
            },
          },
          'ap-southeast-3': {},
          'us-east-1': { ec2: { SecurityGroups: [securityGroup(100)] } },
        },
        disabledRegions: ['ap-east-1', 'me-south-1'],
        s3: prodS3(),
      },
      [SUSPENDED]: { regions: { 'eu-west-1': {} } },
      [OPEN]: {
        regions: { 'eu-west-1': { ec2: { Snapshots: [snapshot(7, [])] } } },
      },
    },
  };
}

export function richEstate(): Estate {
  return parseEstate(richEstateDocument(), 'rich estate');
}

/** SDK client settings pointed at the simulator; one attempt, so an error shows at once. */
export function sdkConfig(
  sim: Simulator,
  region: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = sim.credentials,
) {
  return { endpoint: sim.endpoint, region, credentials, maxAttempts: 1 };
}

/** Session credentials in the production account, through its audit role. */
export async function prodCredentials(sim: Simulator) {
  const sts = new STSClient(sdkConfig(sim, 'us-east-1'));
  try {
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${PROD}:role/CustosAudit`,
        RoleSessionName: 'sim-tests',
        ExternalId: 'x-123',
      }),
    );
    return {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    };
  } finally {
    sts.destroy();
  }
}
