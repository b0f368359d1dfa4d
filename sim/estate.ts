/**
 * The estate file (see ESTATE.md): accounts, regions and their resources in AWS's own field
 * names. The estate's own structure is strict, so a misspelt key is an error; the AWS objects
 * inside it use the shared shapes, which type-check the fields custos reads and drop the rest.
 */

import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { type BoundedRead, readAtMost } from '../cli/read-at-most.js';
import {
  BucketAclSchema,
  CredentialReportRowSchema,
  EstateManagedPrefixListSchema,
  EstateSnapshotSchema,
  InstanceSchema,
  NetworkAclSchema,
  NetworkInterfaceSchema,
  OrganizationAccountSchema,
  OwnershipControlsSchema,
  PasswordPolicySchema,
  PolicyDocumentSchema,
  PublicAccessBlockSchema,
  RouteTableSchema,
  SecurityGroupSchema,
  ServerSideEncryptionConfigurationSchema,
  SubnetSchema,
  VersioningSchema,
  VirtualMfaDeviceSchema,
  VolumeSchema,
  VpcBlockPublicAccessExclusionSchema,
  VpcBlockPublicAccessOptionsSchema,
  VpcSchema,
} from '../core/aws-shapes.js';
import { EstateError, type FieldProblem } from '../core/errors.js';
import { describeValue, documentShapeProblem } from '../core/validation.js';
import { estateProblems } from './estate-problems.js';
import { checkEstateRules } from './estate-rules.js';

/** The error codes a fault may return; each service answers them in its own dialect. */
export const FAULT_CODES = [
  'AccessDenied',
  'UnauthorizedOperation',
  'AuthFailure',
  'OptInRequired',
  'Throttling',
  'RequestLimitExceeded',
  'InternalError',
  'ServiceUnavailable',
] as const;
export type FaultCode = (typeof FAULT_CODES)[number];

/** The services a fault can target, by the name they sign requests with. */
export const FAULT_SERVICES = ['ec2', 'sts', 'organizations', 'iam', 's3', 's3control', 'config'] as const;

export const ACCOUNT_ID = /^\d{12}$/;
/** `eu-west-1`, `us-gov-west-1`, `ap-southeast-3`: the shape, not a list, so new regions load. */
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

const accountId = z.string().regex(ACCOUNT_ID, 'expected a 12-digit account id');
const regionName = z.string().regex(REGION_NAME, 'expected a region name such as eu-west-1');
/** Estate timestamps are ISO-8601 text; the simulator turns them into each protocol's form. */
const isoTimestamp = z
  .string()
  .refine((text) => !Number.isNaN(Date.parse(text)), 'expected an ISO-8601 timestamp');
const list = <T extends z.ZodType>(item: T) => z.array(item).default([]);

const Ec2RegionSchema = z.strictObject({
  SecurityGroups: list(SecurityGroupSchema),
  NetworkInterfaces: list(NetworkInterfaceSchema),
  NetworkAcls: list(NetworkAclSchema),
  RouteTables: list(RouteTableSchema),
  Subnets: list(SubnetSchema),
  Vpcs: list(VpcSchema),
  Instances: list(InstanceSchema),
  Volumes: list(VolumeSchema),
  Snapshots: list(EstateSnapshotSchema),
  EbsEncryptionByDefault: z.boolean().default(false),
  SnapshotBlockPublicAccessState: z
    .enum(['block-all-sharing', 'block-new-sharing', 'unblocked'])
    .default('unblocked'),
  VpcBlockPublicAccessOptions: VpcBlockPublicAccessOptionsSchema.nullable().default(null),
  VpcBlockPublicAccessExclusions: list(VpcBlockPublicAccessExclusionSchema),
  ManagedPrefixLists: list(EstateManagedPrefixListSchema),
});

const RegionSchema = z.strictObject({ ec2: Ec2RegionSchema.prefault({}) });

const IamSchema = z.strictObject({
  CredentialReport: list(CredentialReportRowSchema),
  AccountSummary: z.record(z.string(), z.int()).default({}),
  VirtualMFADevices: list(VirtualMfaDeviceSchema),
  PasswordPolicy: PasswordPolicySchema.nullable().default(null),
  OrganizationsFeatures: list(z.string()),
});

const BucketSchema = z.strictObject({
  Name: z.string().min(3),
  CreationDate: isoTimestamp.optional(),
  BucketRegion: regionName.optional(),
  /** Absent: the owner alone has FULL_CONTROL, as for a new bucket. */
  Acl: BucketAclSchema.optional(),
  Policy: PolicyDocumentSchema.nullable().default(null),
  /** null: the simulator derives it from the policy. */
  PolicyStatus: z.object({ IsPublic: z.boolean() }).nullable().default(null),
  PublicAccessBlock: PublicAccessBlockSchema.nullable().default(null),
  OwnershipControls: OwnershipControlsSchema.nullable().default(null),
  ServerSideEncryptionConfiguration: ServerSideEncryptionConfigurationSchema.nullable().default(null),
  Versioning: VersioningSchema.nullable().default(null),
});

const S3Schema = z.strictObject({
  AccountPublicAccessBlock: PublicAccessBlockSchema.nullable().default(null),
  Buckets: list(BucketSchema),
});

/** `AWS::EC2::SecurityGroup`: the form AWS Config names resource types in. */
const configResourceType = z
  .string()
  .regex(/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/, 'expected a resource type such as AWS::EC2::SecurityGroup');

/**
 * AWS Config's configuration recorder in one region. Items exist only while it records, and
 * only for the types it records: every supported type when `allSupported` (AWS's default),
 * else `resourceTypes`; less `exclusions` either way. Every item was captured at `capturedAt`,
 * which has no default so that an estate says when its snapshot was taken.
 */
const ConfigRecorderSchema = z.strictObject({
  recording: z.boolean().default(true),
  allSupported: z.boolean().default(true),
  resourceTypes: list(configResourceType),
  exclusions: list(configResourceType),
  frequency: z.enum(['CONTINUOUS', 'DAILY']).default('CONTINUOUS'),
  capturedAt: isoTimestamp,
});

/** Absent: AWS Config is not set up in the account. */
const AccountConfigSchema = z.strictObject({
  /** One recorder per region; a region without one records nothing. */
  recorders: z.record(regionName, ConfigRecorderSchema).default({}),
});

const FaultSchema = z.strictObject({
  service: z.enum(FAULT_SERVICES),
  /** Absent: every region. */
  region: regionName.optional(),
  /** Absent: every operation of the service. */
  operation: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9]+$/, 'expected an operation name such as DescribeVolumes')
    .optional(),
  error: z.enum(FAULT_CODES),
  rate: z.number().min(0).max(1).default(1),
});

const AccountSchema = z.strictObject({
  /** Absent: AssumeRole into the account succeeds for any role name. */
  assumeRole: z
    .strictObject({ roleName: z.string().min(1), externalId: z.string().min(2).optional() })
    .optional(),
  regions: z.record(regionName, RegionSchema).default({}),
  disabledRegions: list(regionName),
  iam: IamSchema.prefault({}),
  s3: S3Schema.prefault({}),
  faults: list(FaultSchema),
  config: AccountConfigSchema.optional(),
});

/**
 * An organization-wide AWS Config aggregator, living in one account and region: its sources
 * are every ACTIVE account of the organization, and the management account, that records.
 */
const ConfigAggregatorSchema = z.strictObject({
  name: z.string().regex(/^[\w-]{1,256}$/, 'expected 1 to 256 letters, digits, "_" or "-"'),
  accountId,
  region: regionName,
});

const OrganizationSchema = z.strictObject({
  managementAccountId: accountId,
  accounts: list(OrganizationAccountSchema.extend({ JoinedTimestamp: isoTimestamp.optional() })),
  configAggregator: ConfigAggregatorSchema.optional(),
});

const EstateStructureSchema = z.strictObject({
  /** Seeds the generator behind intermittent faults, so a run can be repeated. */
  seed: z.int().optional(),
  organization: OrganizationSchema.optional(),
  accounts: z.record(accountId, AccountSchema).default({}),
});

export type Estate = z.infer<typeof EstateStructureSchema>;
export const EstateSchema = EstateStructureSchema.superRefine(checkEstateRules);
export type EstateAccount = Estate['accounts'][string];
export type EstateRegion = EstateAccount['regions'][string];
export type EstateEc2 = EstateRegion['ec2'];
export type EstateFault = EstateAccount['faults'][number];
export type EstateBucket = EstateAccount['s3']['Buckets'][number];
export type EstateOrganization = NonNullable<Estate['organization']>;
export type EstateConfigRecorder = NonNullable<EstateAccount['config']>['recorders'][string];
export type EstateConfigAggregator = NonNullable<EstateOrganization['configAggregator']>;

/** Validates an already-parsed estate document; `source` names it in error messages. */
export function parseEstate(raw: unknown, source: string): Estate {
  const shape = documentShapeProblem(raw);
  if (shape !== undefined) throw new EstateError(source, [shape]);
  const result = EstateSchema.safeParse(raw);
  if (!result.success) throw new EstateError(source, estateProblems(result.error, raw, EstateSchema));
  return result.data;
}

/**
 * The largest estate file custos reads: 256 MiB, about half a million security groups. Parsing
 * and validating an estate takes about five times its size in memory (a 100 MB estate peaks
 * near 550 MB), so 256 MiB stays within Node's default heap on an ordinary machine, where a
 * larger file would end in an out-of-memory crash instead of a message. (Past 512 MiB the text
 * would not even fit in one JavaScript string.) A larger file is refused before it is read.
 */
export const MAX_ESTATE_BYTES = 256 * 1024 * 1024;

/** Reads an estate from a JSON file, or YAML when the name ends in `.yaml` or `.yml`. */
export function loadEstateFile(path: string): Estate {
  let read: BoundedRead;
  try {
    read = readAtMost(path, MAX_ESTATE_BYTES);
  } catch (error) {
    throw new EstateError(path, [{ path: '', message: `cannot be read: ${reason(error)}` }], {
      cause: error,
    });
  }
  if (!read.ok) {
    const size = read.size === undefined ? '' : ` (it is ${read.size} bytes)`;
    const message = `is larger than 256 MiB (${MAX_ESTATE_BYTES} bytes), the most an estate file may hold${size}; it was not parsed`;
    throw new EstateError(path, [{ path: '', message }]);
  }
  const text = read.bytes.toString('utf8');
  const yaml = ['.yaml', '.yml'].includes(extname(path).toLowerCase());
  let raw: unknown;
  try {
    raw = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const problem: FieldProblem = {
      path: '',
      message: `is not valid ${yaml ? 'YAML' : 'JSON'}: ${reason(error)}`,
    };
    throw new EstateError(path, [problem], { cause: error });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new EstateError(path, [{ path: '', message: `${describeValue(raw)} is not an estate object` }]);
  }
  return parseEstate(raw, path);
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
