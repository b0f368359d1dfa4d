/**
 * A seeded, reproducible estate of A accounts × R regions for benchmarks: an organization
 * whose every account holds, per region, about 450 EC2 resources (VPCs, subnets, route
 * tables, network ACLs, security groups with rules, instances, network interfaces, volumes,
 * snapshots, prefix lists), 100 buckets with a realistic mix of policies, ACLs, Object
 * Ownership and Block Public Access settings, and 40 IAM users in the credential report.
 *
 * The same spec always yields the same estate (one generator seeded per account and region,
 * so the estate of account 7 does not depend on how many accounts follow it).
 *
 *   node <build>/bench/generate.js --accounts 10 --regions 4 --seed 1 --out estate.json
 *
 * `--config true` also sets up AWS Config: recorders everywhere and an organization aggregator.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type Estate, parseEstate } from '../sim/estate.js';
import { mulberry32 } from '../sim/faults.js';

export interface EstateSpec {
  readonly accounts: number;
  readonly regions: number;
  readonly seed?: number;
  readonly bucketsPerAccount?: number;
  readonly usersPerAccount?: number;
  /**
   * AWS Config set up: a recorder recording every supported type in each region of every
   * account, and an organization aggregator in the management account. Default: none.
   */
  readonly config?: boolean;
}

/** What an estate holds, counted as the benchmark reports it. */
export interface EstateCounts {
  readonly accounts: number;
  readonly regions: number;
  readonly ec2Resources: number;
  readonly buckets: number;
  readonly iamUsers: number;
  /** EC2 resources, buckets and IAM users. */
  readonly resources: number;
}

export const ROLE_NAME = 'CustosAudit';
export const DEFAULT_SEED = 20_261_125;

/** Regions in the order accounts enable them; opt-in regions stay disabled. */
const REGION_POOL = [
  'us-east-1',
  'eu-west-1',
  'us-west-2',
  'ap-southeast-2',
  'eu-central-1',
  'ap-northeast-1',
  'us-east-2',
  'eu-west-2',
  'ca-central-1',
  'sa-east-1',
  'ap-south-1',
  'eu-north-1',
] as const;
const DISABLED_REGIONS = ['ap-east-1', 'me-south-1'] as const;
const MAX_ACCOUNTS = 99_999;

/** Per account and region: 3 + 18 + 9 + 6 + 90 + 70 + 110 + 90 + 50 + 2 = 448 resources. */
const PER_REGION = {
  vpcs: 3,
  subnetsPerVpc: 6,
  securityGroups: 90,
  instances: 70,
  otherInterfaces: 40,
  dataVolumes: 20,
  snapshots: 50,
} as const;

/** Generated dates (creation, last use, rotation) lie before this instant. */
export const REFERENCE_TIME = '2026-06-01T00:00:00Z';
const BASE_DATE = Date.parse(REFERENCE_TIME);
const DAY = 86_400_000;
/** Config's items were captured an hour before the benchmark scans (14 days after REFERENCE_TIME). */
const CONFIG_CAPTURED_AT = new Date(BASE_DATE + 14 * DAY - 3_600_000).toISOString();
export const CONFIG_AGGREGATOR_NAME = 'custos-org';

type Json = Record<string, unknown>;

class Random {
  readonly #next: () => number;

  constructor(...parts: Array<string | number>) {
    this.#next = mulberry32(hash32(parts.join('|')));
  }

  float(): number {
    return this.#next();
  }

  chance(p: number): boolean {
    return this.#next() < p;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#next() * items.length)] as T;
  }

  /** One of the keys, with the given weights. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let draw = this.#next() * total;
    for (const [key, weight] of entries) {
      draw -= weight;
      if (draw < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }

  /** An ISO date `minDays`–`maxDays` before the base date. */
  daysAgo(minDays: number, maxDays: number): string {
    return new Date(BASE_DATE - this.int(minDays, maxDays) * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}

function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** `prefix-` and 17 hex digits, as AWS ids look. */
function resourceId(prefix: string, n: number): string {
  return `${prefix}-${n.toString(16).padStart(17, '0')}`;
}

export function accountIdOf(index: number): string {
  return String(100_000_000_000 + index);
}

export function regionsOf(count: number): string[] {
  return REGION_POOL.slice(0, count);
}

const OPEN = '0.0.0.0/0';
const OFFICE_CIDR = '203.0.113.0/24';

function tcp(port: number, cidrs: readonly string[], toPort = port): Json {
  return { IpProtocol: 'tcp', FromPort: port, ToPort: toPort, IpRanges: cidrs.map((CidrIp) => ({ CidrIp })) };
}

function fromGroup(port: number, groupId: string, accountId: string): Json {
  return {
    IpProtocol: 'tcp',
    FromPort: port,
    ToPort: port,
    UserIdGroupPairs: [{ GroupId: groupId, UserId: accountId }],
  };
}

const ALL_EGRESS = [{ IpProtocol: '-1', IpRanges: [{ CidrIp: OPEN }] }];

interface Network {
  readonly vpcs: Json[];
  readonly subnets: Json[];
  readonly routeTables: Json[];
  readonly networkAcls: Json[];
  readonly prefixLists: Json[];
  readonly publicSubnets: string[];
  readonly privateSubnets: string[];
  readonly vpcOfSubnet: Map<string, string>;
}

function network(random: Random, accountId: string, region: string): Network {
  const vpcs: Json[] = [];
  const subnets: Json[] = [];
  const routeTables: Json[] = [];
  const networkAcls: Json[] = [];
  const publicSubnets: string[] = [];
  const privateSubnets: string[] = [];
  const vpcOfSubnet = new Map<string, string>();
  const s3List = resourceId('pl', 1);
  const officeList = resourceId('pl', 2);
  const prefixLists: Json[] = [
    {
      PrefixListId: s3List,
      PrefixListName: `com.amazonaws.${region}.s3`,
      AddressFamily: 'IPv4',
      OwnerId: 'AWS',
      State: 'create-complete',
      MaxEntries: 8,
      Entries: ['52.216.0.0/15', '3.5.0.0/19', '54.231.0.0/16'].map((Cidr) => ({ Cidr })),
    },
    {
      PrefixListId: officeList,
      PrefixListName: 'office-egress',
      AddressFamily: 'IPv4',
      OwnerId: accountId,
      State: 'create-complete',
      MaxEntries: 10,
      Entries: [
        { Cidr: OFFICE_CIDR, Description: 'head office' },
        { Cidr: '198.51.100.0/24', Description: 'vpn' },
      ],
    },
  ];

  for (let v = 0; v < PER_REGION.vpcs; v++) {
    const vpcId = resourceId('vpc', v + 1);
    vpcs.push({
      VpcId: vpcId,
      OwnerId: accountId,
      CidrBlock: `10.${v}.0.0/16`,
      IsDefault: v === 0,
      State: 'available',
      Tags: [{ Key: 'Name', Value: v === 0 ? 'default' : `workload-${v}` }],
    });
    const ownSubnets: string[] = [];
    const ownPublic: string[] = [];
    for (let s = 0; s < PER_REGION.subnetsPerVpc; s++) {
      const subnetId = resourceId('subnet', v * 100 + s + 1);
      const isPublic = s < PER_REGION.subnetsPerVpc / 2;
      subnets.push({
        SubnetId: subnetId,
        VpcId: vpcId,
        OwnerId: accountId,
        SubnetArn: `arn:aws:ec2:${region}:${accountId}:subnet/${subnetId}`,
        CidrBlock: `10.${v}.${s}.0/24`,
        AvailabilityZone: `${region}${'abc'[s % 3]}`,
        MapPublicIpOnLaunch: isPublic,
        Tags: [{ Key: 'Name', Value: `${isPublic ? 'public' : 'private'}-${s}` }],
      });
      ownSubnets.push(subnetId);
      (isPublic ? ownPublic : privateSubnets).push(subnetId);
      if (isPublic) publicSubnets.push(subnetId);
      vpcOfSubnet.set(subnetId, vpcId);
    }
    const local = { DestinationCidrBlock: `10.${v}.0.0/16`, GatewayId: 'local', State: 'active' };
    const s3Route = {
      DestinationPrefixListId: s3List,
      GatewayId: resourceId('vpce', v + 1),
      State: 'active',
    };
    const ownPrivate = ownSubnets.filter((id) => !ownPublic.includes(id));
    routeTables.push(
      {
        RouteTableId: resourceId('rtb', v * 10 + 1),
        VpcId: vpcId,
        OwnerId: accountId,
        Routes: [local, s3Route],
        Associations: [{ RouteTableAssociationId: resourceId('rtbassoc', v * 10 + 1), Main: true }],
      },
      {
        RouteTableId: resourceId('rtb', v * 10 + 2),
        VpcId: vpcId,
        OwnerId: accountId,
        Routes: [local, { DestinationCidrBlock: OPEN, GatewayId: resourceId('igw', v + 1), State: 'active' }],
        Associations: ownPublic.map((SubnetId, i) => ({
          RouteTableAssociationId: resourceId('rtbassoc', v * 10 + 2 + i * 1000),
          SubnetId,
        })),
      },
      {
        RouteTableId: resourceId('rtb', v * 10 + 3),
        VpcId: vpcId,
        OwnerId: accountId,
        Routes: [
          local,
          s3Route,
          { DestinationCidrBlock: OPEN, NatGatewayId: resourceId('nat', v + 1), State: 'active' },
        ],
        Associations: ownPrivate.map((SubnetId, i) => ({
          RouteTableAssociationId: resourceId('rtbassoc', v * 10 + 3 + i * 1000),
          SubnetId,
        })),
      },
    );
    const allowAll = (RuleNumber: number, Egress: boolean) => ({
      RuleNumber,
      Protocol: '-1',
      RuleAction: 'allow',
      Egress,
      CidrBlock: OPEN,
    });
    const denyAll = (Egress: boolean) => ({
      RuleNumber: 32767,
      Protocol: '-1',
      RuleAction: 'deny',
      Egress,
      CidrBlock: OPEN,
    });
    // The default ACL lets everything in; the private subnets' ACL refuses SSH and RDP from outside.
    const hardened = random.chance(0.7);
    networkAcls.push(
      {
        NetworkAclId: resourceId('acl', v * 10 + 1),
        VpcId: vpcId,
        OwnerId: accountId,
        IsDefault: true,
        Entries: [allowAll(100, false), denyAll(false), allowAll(100, true), denyAll(true)],
        Associations: ownPublic.map((SubnetId, i) => ({
          NetworkAclAssociationId: resourceId('aclassoc', v * 10 + 1 + i * 1000),
          NetworkAclId: resourceId('acl', v * 10 + 1),
          SubnetId,
        })),
      },
      {
        NetworkAclId: resourceId('acl', v * 10 + 2),
        VpcId: vpcId,
        OwnerId: accountId,
        IsDefault: false,
        Entries: [
          ...(hardened
            ? [
                {
                  RuleNumber: 50,
                  Protocol: '6',
                  RuleAction: 'deny',
                  Egress: false,
                  CidrBlock: OPEN,
                  PortRange: { From: 22, To: 22 },
                },
                {
                  RuleNumber: 60,
                  Protocol: '6',
                  RuleAction: 'deny',
                  Egress: false,
                  CidrBlock: OPEN,
                  PortRange: { From: 3389, To: 3389 },
                },
              ]
            : []),
          allowAll(100, false),
          denyAll(false),
          allowAll(100, true),
          denyAll(true),
        ],
        Associations: ownPrivate.map((SubnetId, i) => ({
          NetworkAclAssociationId: resourceId('aclassoc', v * 10 + 2 + i * 1000),
          NetworkAclId: resourceId('acl', v * 10 + 2),
          SubnetId,
        })),
      },
    );
  }
  return { vpcs, subnets, routeTables, networkAcls, prefixLists, publicSubnets, privateSubnets, vpcOfSubnet };
}

type GroupRole =
  | 'web'
  | 'app'
  | 'db'
  | 'admin'
  | 'batch'
  | 'ssh-open'
  | 'rdp-open'
  | 'wide-open'
  | 'office-list';

function securityGroups(random: Random, accountId: string, net: Network): Json[] {
  const groups: Json[] = [];
  const byVpc = new Map<string, string[]>();
  const vpcIds = net.vpcs.map((v) => String(v.VpcId));
  vpcIds.forEach((vpcId, v) => {
    const groupId = resourceId('sg', v + 1);
    byVpc.set(vpcId, [groupId]);
    // Every VPC has its default group; a quarter of them still admit their own members only.
    groups.push({
      GroupId: groupId,
      GroupName: 'default',
      VpcId: vpcId,
      OwnerId: accountId,
      Description: 'default VPC security group',
      IpPermissions: random.chance(0.25)
        ? []
        : [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId, UserId: accountId }] }],
      IpPermissionsEgress: ALL_EGRESS,
    });
  });
  for (let g = vpcIds.length; g < PER_REGION.securityGroups; g++) {
    const vpcId = random.pick(vpcIds);
    const groupId = resourceId('sg', g + 1);
    const peers = byVpc.get(vpcId) ?? [];
    const peer = peers.length > 1 ? random.pick(peers.slice(1)) : groupId;
    const role = random.weighted<GroupRole>({
      web: 20,
      app: 25,
      db: 15,
      admin: 12,
      batch: 14,
      'office-list': 6,
      'ssh-open': 4,
      'rdp-open': 2,
      'wide-open': 2,
    });
    const rules: Record<GroupRole, Json[]> = {
      web: [tcp(443, [OPEN]), tcp(80, [OPEN])],
      app: [fromGroup(8080, peer, accountId), tcp(8443, ['10.0.0.0/8'])],
      db: [fromGroup(5432, peer, accountId), fromGroup(3306, peer, accountId)],
      admin: [tcp(22, [OFFICE_CIDR]), tcp(3389, ['10.0.0.0/8'])],
      batch: [tcp(9000, ['10.0.0.0/8'], 9100)],
      'office-list': [
        {
          IpProtocol: 'tcp',
          FromPort: 22,
          ToPort: 22,
          PrefixListIds: [{ PrefixListId: resourceId('pl', 2) }],
        },
      ],
      'ssh-open': [tcp(22, [OPEN]), tcp(443, [OPEN])],
      'rdp-open': [tcp(3389, [OPEN])],
      'wide-open': [{ IpProtocol: '-1', IpRanges: [{ CidrIp: OPEN }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
    };
    groups.push({
      GroupId: groupId,
      GroupName: `${role}-${g}`,
      VpcId: vpcId,
      OwnerId: accountId,
      Description: `${role} tier`,
      IpPermissions: rules[role],
      IpPermissionsEgress: ALL_EGRESS,
      Tags: [
        { Key: 'Name', Value: `${role}-${g}` },
        { Key: 'team', Value: random.pick(['payments', 'search', 'platform', 'data']) },
      ],
    });
    peers.push(groupId);
    byVpc.set(vpcId, peers);
  }
  return groups;
}

interface Compute {
  readonly instances: Json[];
  readonly networkInterfaces: Json[];
  readonly volumes: Json[];
  readonly snapshots: Json[];
}

function compute(random: Random, accountId: string, net: Network, groups: readonly Json[]): Compute {
  const instances: Json[] = [];
  const networkInterfaces: Json[] = [];
  const volumes: Json[] = [];
  const snapshots: Json[] = [];
  const groupsOf = (vpcId: string) => groups.filter((g) => g.VpcId === vpcId && g.GroupName !== 'default');
  const pickGroups = (vpcId: string) => {
    const candidates = groupsOf(vpcId);
    const count = random.int(1, 2);
    const chosen = new Map<string, Json>();
    for (let i = 0; i < count && candidates.length > 0; i++) {
      const group = random.pick(candidates);
      chosen.set(String(group.GroupId), group);
    }
    return [...chosen.values()].map((g) => ({ GroupId: String(g.GroupId), GroupName: String(g.GroupName) }));
  };
  let publicIp = 0;
  const nextPublicIp = () => {
    publicIp += 1;
    return `198.18.${Math.floor(publicIp / 250) % 250}.${(publicIp % 250) + 1}`;
  };
  let eni = 0;
  const addInterface = (subnetId: string, type: string, attachedTo: string | undefined): Json => {
    eni += 1;
    const vpcId = net.vpcOfSubnet.get(subnetId) ?? '';
    const isPublic = net.publicSubnets.includes(subnetId) && random.chance(0.6);
    const privateIp = `10.${net.vpcs.findIndex((v) => v.VpcId === vpcId)}.${random.int(0, 5)}.${random.int(4, 250)}`;
    const association = isPublic ? { PublicIp: nextPublicIp(), IpOwnerId: 'amazon' } : undefined;
    const item: Json = {
      NetworkInterfaceId: resourceId('eni', eni),
      SubnetId: subnetId,
      VpcId: vpcId,
      OwnerId: accountId,
      Status: 'in-use',
      InterfaceType: type,
      PrivateIpAddress: privateIp,
      Groups: pickGroups(vpcId),
      PrivateIpAddresses: [
        { PrivateIpAddress: privateIp, Primary: true, ...(association && { Association: association }) },
      ],
      ...(association && { Association: association }),
      ...(attachedTo !== undefined && {
        Attachment: {
          InstanceId: attachedTo,
          InstanceOwnerId: accountId,
          Status: 'attached',
          DeviceIndex: 0,
        },
      }),
    };
    networkInterfaces.push(item);
    return item;
  };

  const subnetIds = net.subnets.map((s) => String(s.SubnetId));
  for (let i = 0; i < PER_REGION.instances; i++) {
    const instanceId = resourceId('i', i + 1);
    const subnetId = random.pick(subnetIds);
    const primary = addInterface(subnetId, 'interface', instanceId);
    const running = random.chance(0.85);
    const association = primary.Association as { PublicIp?: string } | undefined;
    instances.push({
      InstanceId: instanceId,
      State: running ? { Name: 'running', Code: 16 } : { Name: 'stopped', Code: 80 },
      SubnetId: subnetId,
      VpcId: primary.VpcId,
      PrivateIpAddress: primary.PrivateIpAddress,
      ...(association?.PublicIp !== undefined && { PublicIpAddress: association.PublicIp }),
      NetworkInterfaces: [{ NetworkInterfaceId: primary.NetworkInterfaceId }],
      SecurityGroups: primary.Groups,
      Tags: [{ Key: 'Name', Value: `host-${i}` }],
    });
    volumes.push({
      VolumeId: resourceId('vol', i + 1),
      Encrypted: random.chance(0.85),
      State: 'in-use',
      Size: random.pick([8, 20, 50, 100]),
      VolumeType: 'gp3',
      Attachments: [
        { InstanceId: instanceId, State: 'attached', Device: '/dev/xvda', DeleteOnTermination: true },
      ],
    });
  }
  for (let i = 0; i < PER_REGION.otherInterfaces; i++) {
    const type = random.pick(['interface', 'network_load_balancer', 'vpc_endpoint', 'lambda', 'nat_gateway']);
    addInterface(random.pick(subnetIds), type, undefined);
  }
  for (let i = 0; i < PER_REGION.dataVolumes; i++) {
    volumes.push({
      VolumeId: resourceId('vol', PER_REGION.instances + i + 1),
      Encrypted: random.chance(0.75),
      State: 'available',
      Size: random.pick([100, 500, 1000]),
      VolumeType: random.pick(['gp3', 'st1', 'io2']),
      Attachments: [],
    });
  }
  for (let i = 0; i < PER_REGION.snapshots; i++) {
    const sharing = random.weighted({ private: 92, account: 6, public: 2 });
    snapshots.push({
      SnapshotId: resourceId('snap', i + 1),
      VolumeId: String(random.pick(volumes).VolumeId),
      OwnerId: accountId,
      Encrypted: random.chance(0.8),
      State: 'completed',
      CreateVolumePermissions:
        sharing === 'public' ? [{ Group: 'all' }] : sharing === 'account' ? [{ UserId: '999999999999' }] : [],
    });
  }
  return { instances, networkInterfaces, volumes, snapshots };
}

function regionEc2(seed: number, accountId: string, region: string): Json {
  const random = new Random(seed, 'ec2', accountId, region);
  const net = network(random, accountId, region);
  const groups = securityGroups(random, accountId, net);
  const { instances, networkInterfaces, volumes, snapshots } = compute(random, accountId, net, groups);
  return {
    SecurityGroups: groups,
    NetworkInterfaces: networkInterfaces,
    NetworkAcls: net.networkAcls,
    RouteTables: net.routeTables,
    Subnets: net.subnets,
    Vpcs: net.vpcs,
    Instances: instances,
    Volumes: volumes,
    Snapshots: snapshots,
    EbsEncryptionByDefault: random.chance(0.6),
    SnapshotBlockPublicAccessState: random.weighted({
      unblocked: 60,
      'block-new-sharing': 25,
      'block-all-sharing': 15,
    }),
    VpcBlockPublicAccessOptions: random.chance(0.1)
      ? {
          InternetGatewayBlockMode: 'block-ingress',
          State: 'update-complete',
          AwsAccountId: accountId,
          AwsRegion: region,
        }
      : null,
    ManagedPrefixLists: net.prefixLists,
  };
}

type BucketKind =
  | 'modern-private'
  | 'modern-shared'
  | 'legacy-logs'
  | 'legacy-private'
  | 'website'
  | 'public-acl'
  | 'neutralized';

const ALL_ON = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
const ALL_OFF = {
  BlockPublicAcls: false,
  IgnorePublicAcls: false,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: false,
};
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

function denyInsecureTransport(bucket: string): Json {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

function bucket(random: Random, accountId: string, regions: readonly string[], index: number): Json {
  const kind = random.weighted<BucketKind>({
    'modern-private': 45,
    'modern-shared': 15,
    'legacy-logs': 12,
    'legacy-private': 15,
    website: 8,
    'public-acl': 3,
    neutralized: 2,
  });
  const name = `${kind}-${accountId}-${String(index).padStart(3, '0')}`;
  const arn = `arn:aws:s3:::${name}`;
  const region = random.chance(0.7) ? regions[0] : random.pick(regions);
  const modern = kind === 'modern-private' || kind === 'modern-shared' || kind === 'neutralized';
  const owner = { ID: `owner-${accountId}` };
  const ownerGrant = { Grantee: { Type: 'CanonicalUser', ID: owner.ID }, Permission: 'FULL_CONTROL' };
  let policy: Json | null = null;
  let acl: Json | undefined;
  let pab: Json | null = null;
  let ownership: string | null = null;
  switch (kind) {
    case 'modern-private':
      ownership = 'BucketOwnerEnforced';
      pab = ALL_ON;
      policy = random.chance(0.4)
        ? { Version: '2012-10-17', Statement: [denyInsecureTransport(name)] }
        : null;
      break;
    case 'modern-shared':
      ownership = 'BucketOwnerEnforced';
      pab = ALL_ON;
      policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadFromAnalytics',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${accountIdOf(random.int(0, 999))}:role/analytics-reader` },
            Action: ['s3:GetObject', 's3:ListBucket'],
            Resource: [arn, `${arn}/*`],
          },
          denyInsecureTransport(name),
        ],
      };
      break;
    case 'neutralized':
      ownership = 'BucketOwnerEnforced';
      pab = ALL_ON;
      policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'LegacyPublicRead',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: `${arn}/*`,
          },
        ],
      };
      break;
    case 'legacy-logs':
      ownership = random.pick(['BucketOwnerPreferred', 'ObjectWriter']);
      pab = random.chance(0.5) ? null : { ...ALL_OFF, BlockPublicAcls: true, BlockPublicPolicy: true };
      acl = {
        Owner: owner,
        Grants: [
          ownerGrant,
          { Grantee: { Type: 'Group', URI: LOG_DELIVERY }, Permission: 'WRITE' },
          { Grantee: { Type: 'Group', URI: LOG_DELIVERY }, Permission: 'READ_ACP' },
        ],
      };
      policy = random.chance(0.5)
        ? {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'ElbLogs',
                Effect: 'Allow',
                Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
                Action: 's3:PutObject',
                Resource: `${arn}/AWSLogs/${accountId}/*`,
              },
            ],
          }
        : null;
      break;
    case 'legacy-private':
      pab = random.chance(0.5) ? null : ALL_ON;
      acl = { Owner: owner, Grants: [ownerGrant] };
      policy = random.chance(0.3)
        ? {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'OnlyThroughEndpoint',
                Effect: 'Allow',
                Principal: '*',
                Action: 's3:GetObject',
                Resource: `${arn}/*`,
                Condition: { StringEquals: { 'aws:SourceVpce': resourceId('vpce', random.int(1, 3)) } },
              },
            ],
          }
        : null;
      break;
    case 'website':
      ownership = random.chance(0.5) ? 'BucketOwnerEnforced' : null;
      pab = random.chance(0.5) ? ALL_OFF : null;
      policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'PublicRead',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: `${arn}/*`,
          },
        ],
      };
      if (ownership === null) acl = { Owner: owner, Grants: [ownerGrant] };
      break;
    case 'public-acl':
      ownership = 'ObjectWriter';
      pab = null;
      acl = {
        Owner: owner,
        Grants: [ownerGrant, { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' }],
      };
      break;
  }
  return {
    Name: name,
    CreationDate: modern ? random.daysAgo(30, 900) : random.daysAgo(1000, 3500),
    BucketRegion: region,
    ...(acl !== undefined && { Acl: acl }),
    Policy: policy,
    PublicAccessBlock: pab,
    OwnershipControls: ownership === null ? null : { Rules: [{ ObjectOwnership: ownership }] },
    ServerSideEncryptionConfiguration: {
      Rules: [
        random.chance(0.7)
          ? { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }
          : {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: `arn:aws:kms:${region}:${accountId}:key/${resourceId('key', index)}`,
              },
              BucketKeyEnabled: true,
            },
      ],
    },
    Versioning: random.chance(0.5) ? { Status: 'Enabled' } : null,
  };
}

function iam(random: Random, accountId: string, users: number, management: boolean): Json {
  const rows: Array<Record<string, string>> = [];
  const rootMfa = random.chance(0.85);
  const rootKeys = random.chance(0.03);
  rows.push({
    user: '<root_account>',
    arn: `arn:aws:iam::${accountId}:root`,
    user_creation_time: random.daysAgo(1500, 3000),
    password_enabled: 'not_supported',
    password_last_used: random.chance(0.7) ? random.daysAgo(30, 900) : 'no_information',
    password_last_changed: 'not_supported',
    password_next_rotation: 'not_supported',
    mfa_active: String(rootMfa),
    access_key_1_active: String(rootKeys),
    access_key_1_last_rotated: rootKeys ? random.daysAgo(400, 2000) : 'N/A',
    access_key_2_active: 'false',
    cert_1_active: 'false',
    cert_2_active: 'false',
  });
  const mfaDevices: Json[] = [];
  if (rootMfa && random.chance(0.5)) {
    mfaDevices.push({
      SerialNumber: `arn:aws:iam::${accountId}:mfa/root-account-mfa-device`,
      User: { Arn: `arn:aws:iam::${accountId}:root` },
      EnableDate: random.daysAgo(100, 1500),
    });
  }
  for (let u = 0; u < users; u++) {
    const userName = `${random.pick(['svc', 'dev', 'ops', 'ci', 'data'])}-user-${u}`;
    const hasConsole = random.chance(0.4);
    const mfa = hasConsole && random.chance(0.8);
    const key1 = random.chance(0.7);
    const key2 = key1 && random.chance(0.1);
    const keyUsed = key1 && random.chance(0.8);
    rows.push({
      user: userName,
      arn: `arn:aws:iam::${accountId}:user/${userName}`,
      user_creation_time: random.daysAgo(60, 2500),
      password_enabled: String(hasConsole),
      password_last_used: hasConsole
        ? random.chance(0.8)
          ? random.daysAgo(0, 200)
          : 'no_information'
        : 'N/A',
      password_last_changed: hasConsole ? random.daysAgo(10, 700) : 'N/A',
      password_next_rotation: 'N/A',
      mfa_active: String(mfa),
      access_key_1_active: String(key1),
      access_key_1_last_rotated: key1 ? random.daysAgo(5, 900) : 'N/A',
      access_key_1_last_used_date: keyUsed ? random.daysAgo(0, 120) : 'N/A',
      access_key_1_last_used_region: keyUsed ? 'us-east-1' : 'N/A',
      access_key_1_last_used_service: keyUsed ? random.pick(['s3', 'ec2', 'sts', 'dynamodb']) : 'N/A',
      access_key_2_active: String(key2),
      access_key_2_last_rotated: key2 ? random.daysAgo(5, 900) : 'N/A',
      cert_1_active: 'false',
      cert_2_active: 'false',
    });
    if (mfa) {
      mfaDevices.push({
        SerialNumber: `arn:aws:iam::${accountId}:mfa/${userName}`,
        User: { Arn: `arn:aws:iam::${accountId}:user/${userName}`, UserName: userName },
        EnableDate: random.daysAgo(5, 900),
      });
    }
  }
  return {
    CredentialReport: rows,
    AccountSummary: {
      Users: users,
      // Members under centralized root access have no root password left.
      AccountPasswordPresent: management || random.chance(0.6) ? 1 : 0,
      AccountMFAEnabled: rootMfa ? 1 : 0,
      AccountAccessKeysPresent: rootKeys ? 1 : 0,
      AccountSigningCertificatesPresent: 0,
      MFADevices: mfaDevices.length,
      MFADevicesInUse: mfaDevices.length,
    },
    VirtualMFADevices: mfaDevices,
    PasswordPolicy: random.chance(0.7)
      ? {
          MinimumPasswordLength: random.pick([8, 12, 14]),
          RequireSymbols: true,
          RequireNumbers: true,
          RequireUppercaseCharacters: true,
          RequireLowercaseCharacters: true,
          AllowUsersToChangePassword: true,
          ExpirePasswords: random.chance(0.3),
          PasswordReusePrevention: 24,
        }
      : null,
    OrganizationsFeatures: management ? ['RootCredentialsManagement', 'RootSessions'] : [],
  };
}

function checkSpec(spec: EstateSpec): void {
  const { accounts, regions } = spec;
  if (!Number.isInteger(accounts) || accounts < 1 || accounts > MAX_ACCOUNTS) {
    throw new RangeError(`accounts must be an integer from 1 to ${MAX_ACCOUNTS}, got ${accounts}`);
  }
  if (!Number.isInteger(regions) || regions < 1 || regions > REGION_POOL.length) {
    throw new RangeError(`regions must be an integer from 1 to ${REGION_POOL.length}, got ${regions}`);
  }
}

/** The estate as a plain JSON document (what an estate file holds). */
export function generateEstateDocument(spec: EstateSpec): Json {
  checkSpec(spec);
  const seed = spec.seed ?? DEFAULT_SEED;
  const regions = regionsOf(spec.regions);
  const bucketsPerAccount = spec.bucketsPerAccount ?? 100;
  const usersPerAccount = spec.usersPerAccount ?? 40;
  const management = accountIdOf(0);
  const orgAccounts: Json[] = [];
  const accounts: Record<string, Json> = {};
  for (let a = 0; a < spec.accounts; a++) {
    const accountId = accountIdOf(a);
    const random = new Random(seed, 'account', accountId);
    orgAccounts.push({
      Id: accountId,
      Arn: `arn:aws:organizations::${management}:account/o-bench0001/${accountId}`,
      Name: a === 0 ? 'management' : `workload-${a}`,
      Email: `aws+${a}@example.com`,
      State: 'ACTIVE',
      JoinedTimestamp: random.daysAgo(100, 3000),
    });
    const accountPab = random.weighted({ all: 50, partial: 15, none: 35 });
    accounts[accountId] = {
      assumeRole: { roleName: ROLE_NAME },
      regions: Object.fromEntries(
        regions.map((region) => [region, { ec2: regionEc2(seed, accountId, region) }]),
      ),
      disabledRegions: [...DISABLED_REGIONS],
      iam: iam(new Random(seed, 'iam', accountId), accountId, usersPerAccount, a === 0),
      s3: {
        AccountPublicAccessBlock:
          accountPab === 'all'
            ? ALL_ON
            : accountPab === 'partial'
              ? { ...ALL_OFF, BlockPublicAcls: true, IgnorePublicAcls: true }
              : null,
        Buckets: Array.from({ length: bucketsPerAccount }, (_, i) =>
          bucket(new Random(seed, 's3', accountId, i), accountId, regions, i),
        ),
      },
      ...(spec.config === true && { config: configRecorders(regions) }),
    };
  }
  const aggregator = { name: CONFIG_AGGREGATOR_NAME, accountId: management, region: 'us-east-1' };
  return {
    seed,
    organization: {
      managementAccountId: management,
      accounts: orgAccounts,
      ...(spec.config === true && { configAggregator: aggregator }),
    },
    accounts,
  };
}

/** A recorder in every region, recording everything continuously. */
function configRecorders(regions: readonly string[]): Json {
  const recorder = {
    recording: true,
    allSupported: true,
    resourceTypes: [],
    exclusions: [],
    frequency: 'CONTINUOUS',
    capturedAt: CONFIG_CAPTURED_AT,
  };
  return { recorders: Object.fromEntries(regions.map((region) => [region, { ...recorder }])) };
}

/** The estate, validated as every estate file is. */
export function generateEstate(spec: EstateSpec): Estate {
  return parseEstate(
    generateEstateDocument(spec),
    `generated estate (${spec.accounts} accounts × ${spec.regions} regions)`,
  );
}

export function countEstate(estate: Estate): EstateCounts {
  let ec2Resources = 0;
  let buckets = 0;
  let iamUsers = 0;
  const regions = new Set<string>();
  for (const account of Object.values(estate.accounts)) {
    for (const [region, { ec2 }] of Object.entries(account.regions)) {
      regions.add(region);
      ec2Resources +=
        ec2.SecurityGroups.length +
        ec2.NetworkInterfaces.length +
        ec2.NetworkAcls.length +
        ec2.RouteTables.length +
        ec2.Subnets.length +
        ec2.Vpcs.length +
        ec2.Instances.length +
        ec2.Volumes.length +
        ec2.Snapshots.length +
        ec2.ManagedPrefixLists.length;
    }
    buckets += account.s3.Buckets.length;
    iamUsers += account.iam.CredentialReport.filter((row) => row.user !== '<root_account>').length;
  }
  return {
    accounts: Object.keys(estate.accounts).length,
    regions: regions.size,
    ec2Resources,
    buckets,
    iamUsers,
    resources: ec2Resources + buckets + iamUsers,
  };
}

function readFlags(argv: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = argv[i + 1];
    if (name === undefined || !name.startsWith('--') || value === undefined) {
      throw new Error(
        `usage: generate --accounts N --regions N [--seed N] [--config true] --out FILE (at ${JSON.stringify(name)})`,
      );
    }
    flags[name.slice(2)] = value;
  }
  return flags;
}

function main(argv: readonly string[]): void {
  const flags = readFlags(argv);
  const spec: EstateSpec = {
    accounts: Number(flags.accounts ?? 10),
    regions: Number(flags.regions ?? 4),
    seed: Number(flags.seed ?? DEFAULT_SEED),
    config: flags.config === 'true',
  };
  const document = generateEstateDocument(spec);
  const counts = countEstate(parseEstate(document, 'generated estate'));
  const out = flags.out;
  if (out === undefined) throw new Error('--out FILE: where to write the estate');
  writeFileSync(out, JSON.stringify(document));
  process.stdout.write(`${out}: ${JSON.stringify(counts)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2));
}
