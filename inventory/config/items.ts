/**
 * AWS Config configuration items, and their translation into the shapes the services' own APIs
 * return, so every check reads one shape whichever source the inventory came from.
 *
 * Config records EC2 resources as the Describe* answer with lower-camel keys
 * (`ipPermissions[].ipv4Ranges[].cidrIp`), a few fields moved (a security group rule's ranges
 * also appear as bare strings under `ipRanges`; a volume's `state` is `{ value }`), and newer
 * types such as prefix lists in CloudFormation's upper-camel form [awslabs/aws-config-resource-schema].
 * S3 buckets carry their policy, ACL and Block Public Access as supplementary configuration,
 * each a JSON text in BatchGet answers.
 */
import { z } from 'zod';
import {
  BucketAclSchema,
  InstanceSchema,
  ManagedPrefixListSchema,
  NetworkAclSchema,
  NetworkInterfaceSchema,
  PolicyDocumentSchema,
  PrefixListEntrySchema,
  PublicAccessBlockSchema,
  RouteTableSchema,
  SecurityGroupSchema,
  SubnetSchema,
  VolumeSchema,
  VpcSchema,
} from '../../core/aws-shapes.js';
import type { CollectorDataMap } from '../../core/types.js';
import { parseAws } from '../collector.js';
import { CollectorDataError } from '../errors.js';

export const CONFIG_TYPES = {
  securityGroup: 'AWS::EC2::SecurityGroup',
  networkInterface: 'AWS::EC2::NetworkInterface',
  networkAcl: 'AWS::EC2::NetworkAcl',
  routeTable: 'AWS::EC2::RouteTable',
  subnet: 'AWS::EC2::Subnet',
  vpc: 'AWS::EC2::VPC',
  instance: 'AWS::EC2::Instance',
  volume: 'AWS::EC2::Volume',
  prefixList: 'AWS::EC2::PrefixList',
  bucket: 'AWS::S3::Bucket',
  accountPublicAccessBlock: 'AWS::S3::AccountPublicAccessBlock',
  recorder: 'AWS::Config::ConfigurationRecorder',
} as const;

export type ConfigResourceType = (typeof CONFIG_TYPES)[keyof typeof CONFIG_TYPES];

const timestamp = z.union([z.string(), z.number().transform((s) => new Date(s * 1000).toISOString())]);

/** One row of a Select answer, as custos selects it. */
export const SelectedItemSchema = z.object({
  accountId: z.string(),
  awsRegion: z.string(),
  resourceType: z.string(),
  resourceId: z.string(),
  resourceName: z.string().optional(),
  configurationItemCaptureTime: timestamp.optional(),
  configuration: z.unknown(),
});

export type SelectedItem = z.output<typeof SelectedItemSchema>;

/** The fields every query selects; `SELECT *` would leave out `configuration`. */
export const SELECTED_FIELDS = [
  'accountId',
  'awsRegion',
  'resourceType',
  'resourceId',
  'resourceName',
  'configurationItemCaptureTime',
  'configuration',
] as const;

/** A BaseConfigurationItem of a BatchGet answer (both the account and the aggregate form). */
export const BaseItemSchema = z.object({
  accountId: z.string().optional(),
  awsRegion: z.string().optional(),
  resourceType: z.string().optional(),
  resourceId: z.string().optional(),
  resourceName: z.string().optional(),
  configurationItemCaptureTime: z.union([z.string(), z.date().transform((d) => d.toISOString())]).optional(),
  supplementaryConfiguration: z.record(z.string(), z.string()).optional(),
});

export type BaseItem = z.output<typeof BaseItemSchema>;

/** What the recorder of one account and region records, from its own configuration item. */
export interface RecorderState {
  readonly recording: boolean;
  readonly allSupported: boolean;
  readonly resourceTypes: readonly string[];
  readonly exclusions: readonly string[];
  readonly frequency?: string;
}

const RecorderConfigurationSchema = z.object({
  Recording: z.boolean().optional(),
  RecordingGroup: z
    .object({
      AllSupported: z.boolean().optional(),
      ResourceTypes: z.array(z.string()).optional(),
      ExclusionByResourceTypes: z.object({ ResourceTypes: z.array(z.string()).optional() }).optional(),
    })
    .optional(),
  RecordingMode: z.object({ RecordingFrequency: z.string().optional() }).optional(),
});

export function recorderState(item: SelectedItem): RecorderState {
  const config = parseAws(
    RecorderConfigurationSchema,
    item.configuration,
    `${item.resourceType} configuration`,
  );
  const group = config.RecordingGroup ?? {};
  return {
    recording: config.Recording === true,
    allSupported: group.AllSupported === true,
    resourceTypes: group.ResourceTypes ?? [],
    exclusions: group.ExclusionByResourceTypes?.ResourceTypes ?? [],
    ...(config.RecordingMode?.RecordingFrequency !== undefined && {
      frequency: config.RecordingMode.RecordingFrequency,
    }),
  };
}

/** Whether the recorder keeps `type` current: recording, and the type in its group. */
export function records(recorder: RecorderState | undefined, type: string): boolean {
  if (recorder === undefined || !recorder.recording) return false;
  if (recorder.exclusions.includes(type)) return false;
  return recorder.allSupported || recorder.resourceTypes.includes(type);
}

// ---------------------------------------------------------------- EC2

/** Lower-camel keys to the API's upper-camel, recursively. */
function upperCamel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(upperCamel);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
      key.charAt(0).toUpperCase() + key.slice(1),
      upperCamel(inner),
    ]),
  );
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CollectorDataError(`${what} is not an object`);
  }
  return value as Record<string, unknown>;
}

/** A rule's IPv4 ranges: `ipv4Ranges` objects when present, else the bare `ipRanges` strings. */
function permissionToApi(permission: unknown): unknown {
  const rule = asRecord(permission, 'a security group rule');
  const { ipv4Ranges, ipRanges, ...rest } = rule;
  const ranges = Array.isArray(ipv4Ranges)
    ? upperCamel(ipv4Ranges)
    : Array.isArray(ipRanges)
      ? ipRanges.map((cidr) => ({ CidrIp: cidr }))
      : [];
  return { ...(upperCamel(rest) as Record<string, unknown>), IpRanges: ranges };
}

function securityGroupToApi(configuration: unknown): unknown {
  const { ipPermissions, ipPermissionsEgress, ...rest } = asRecord(configuration, 'a security group');
  return {
    ...(upperCamel(rest) as Record<string, unknown>),
    IpPermissions: Array.isArray(ipPermissions) ? ipPermissions.map(permissionToApi) : [],
    IpPermissionsEgress: Array.isArray(ipPermissionsEgress) ? ipPermissionsEgress.map(permissionToApi) : [],
  };
}

function volumeToApi(configuration: unknown): unknown {
  const { state, ...rest } = asRecord(configuration, 'a volume');
  const value =
    state !== null && typeof state === 'object' ? (state as { value?: unknown }).value : (state as unknown);
  return { ...(upperCamel(rest) as Record<string, unknown>), ...(value !== undefined && { State: value }) };
}

type Ec2Conversion<K extends keyof CollectorDataMap> = {
  readonly type: ConfigResourceType;
  readonly convert: (items: readonly SelectedItem[]) => CollectorDataMap[K];
};

function parsedList<T extends z.ZodType>(
  schema: T,
  toApi: (configuration: unknown) => unknown,
): (items: readonly SelectedItem[]) => Array<z.output<T>> {
  return (items) =>
    items.map((item) =>
      parseAws(schema, toApi(item.configuration), `AWS Config ${item.resourceType} ${item.resourceId}`),
    );
}

/** The EC2 collectors AWS Config can answer, with the type it records them as. */
export const EC2_FROM_CONFIG: {
  readonly [K in
    | 'ec2.securityGroups'
    | 'ec2.networkInterfaces'
    | 'ec2.networkAcls'
    | 'ec2.routeTables'
    | 'ec2.subnets'
    | 'ec2.vpcs'
    | 'ec2.instances'
    | 'ec2.volumes']: Ec2Conversion<K>;
} = {
  'ec2.securityGroups': {
    type: CONFIG_TYPES.securityGroup,
    convert: parsedList(SecurityGroupSchema, securityGroupToApi),
  },
  'ec2.networkInterfaces': {
    type: CONFIG_TYPES.networkInterface,
    convert: parsedList(NetworkInterfaceSchema, upperCamel),
  },
  'ec2.networkAcls': { type: CONFIG_TYPES.networkAcl, convert: parsedList(NetworkAclSchema, upperCamel) },
  'ec2.routeTables': { type: CONFIG_TYPES.routeTable, convert: parsedList(RouteTableSchema, upperCamel) },
  'ec2.subnets': { type: CONFIG_TYPES.subnet, convert: parsedList(SubnetSchema, upperCamel) },
  'ec2.vpcs': { type: CONFIG_TYPES.vpc, convert: parsedList(VpcSchema, upperCamel) },
  'ec2.instances': { type: CONFIG_TYPES.instance, convert: parsedList(InstanceSchema, upperCamel) },
  'ec2.volumes': { type: CONFIG_TYPES.volume, convert: parsedList(VolumeSchema, volumeToApi) },
};

const RecordedPrefixListSchema = ManagedPrefixListSchema.extend({
  Entries: z
    .array(PrefixListEntrySchema)
    .optional()
    .transform((entries) => entries ?? []),
});

/** Customer-managed prefix lists, already in CloudFormation's upper-camel form, entries included. */
export const prefixListsFromItems = parsedList(RecordedPrefixListSchema, (c) => c);

export function accountPublicAccessBlockFromItem(item: SelectedItem) {
  return parseAws(
    PublicAccessBlockSchema,
    upperCamel(item.configuration),
    `AWS Config ${item.resourceType} ${item.resourceId}`,
  );
}

// ---------------------------------------------------------------- S3

/** A supplementary-configuration value: a JSON text (some recorded twice over, text in text). */
function supplementary(item: BaseItem, key: string): unknown {
  const text = item.supplementaryConfiguration?.[key];
  if (text === undefined) return undefined;
  let value: unknown = text;
  for (let depth = 0; depth < 2 && typeof value === 'string'; depth += 1) {
    try {
      value = JSON.parse(value);
    } catch {
      throw new CollectorDataError(`AWS Config ${key} of bucket ${item.resourceId ?? ''} is not valid JSON`);
    }
  }
  return value;
}

export function bucketPolicyFromItem(item: BaseItem) {
  const recorded = supplementary(item, 'BucketPolicy');
  const text = (recorded as { policyText?: unknown } | undefined)?.policyText;
  if (text === undefined || text === null) return null;
  if (typeof text !== 'string') {
    throw new CollectorDataError(
      `AWS Config BucketPolicy of bucket ${item.resourceId ?? ''} has no policy text`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new CollectorDataError(`the policy of bucket ${item.resourceId ?? ''} is not valid JSON`);
  }
  return parseAws(PolicyDocumentSchema, document, `AWS Config BucketPolicy(${item.resourceId ?? ''})`);
}

export function bucketPublicAccessBlockFromItem(item: BaseItem) {
  const recorded = supplementary(item, 'PublicAccessBlockConfiguration');
  if (recorded === undefined || recorded === null) return null;
  return parseAws(
    PublicAccessBlockSchema,
    upperCamel(recorded),
    `AWS Config PublicAccessBlockConfiguration(${item.resourceId ?? ''})`,
  );
}

const GROUP_URIS: Readonly<Record<string, string>> = {
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};

/** Config writes permissions as the Java SDK names them. */
const PERMISSIONS: Readonly<Record<string, string>> = {
  FullControl: 'FULL_CONTROL',
  Read: 'READ',
  Write: 'WRITE',
  ReadAcp: 'READ_ACP',
  WriteAcp: 'WRITE_ACP',
};

/** A group by name (`AllUsers`), or an account by canonical id or e-mail address. */
const RecordedGranteeSchema = z.union([
  z.string(),
  z.object({
    id: z.string().nullish(),
    displayName: z.string().nullish(),
    emailAddress: z.string().nullish(),
    identifier: z.string().nullish(),
  }),
]);

const RecordedAclSchema = z.object({
  owner: z.object({ id: z.string().nullish(), displayName: z.string().nullish() }).nullish(),
  grantList: z.array(z.object({ grantee: RecordedGranteeSchema, permission: z.string() })).nullish(),
});

function granteeToApi(grantee: z.output<typeof RecordedGranteeSchema>) {
  if (typeof grantee === 'string') {
    const uri = GROUP_URIS[grantee] ?? (grantee.startsWith('http') ? grantee : undefined);
    // An unknown group name is kept as a group URI, so the ACL reasoning sees it rather than nothing.
    return { Type: 'Group', URI: uri ?? grantee };
  }
  if (grantee.emailAddress) return { Type: 'AmazonCustomerByEmail', EmailAddress: grantee.emailAddress };
  const id = grantee.id ?? grantee.identifier ?? undefined;
  return {
    Type: 'CanonicalUser',
    ...(id !== undefined && { ID: id }),
    ...(grantee.displayName ? { DisplayName: grantee.displayName } : {}),
  };
}

export function bucketAclFromItem(item: BaseItem) {
  const recorded = supplementary(item, 'AccessControlList');
  if (recorded === undefined || recorded === null) {
    throw new CollectorDataError(
      `AWS Config recorded no AccessControlList for bucket ${item.resourceId ?? ''}`,
    );
  }
  const acl = parseAws(RecordedAclSchema, recorded, `AWS Config AccessControlList(${item.resourceId ?? ''})`);
  return parseAws(
    BucketAclSchema,
    {
      ...(acl.owner?.id ? { Owner: { ID: acl.owner.id } } : {}),
      Grants: (acl.grantList ?? []).map((grant) => ({
        Grantee: granteeToApi(grant.grantee),
        Permission: PERMISSIONS[grant.permission] ?? grant.permission,
      })),
    },
    `AWS Config AccessControlList(${item.resourceId ?? ''})`,
  );
}
