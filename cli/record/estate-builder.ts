/**
 * Turns what a scan collected into an estate document (ESTATE.md): each collector's data under
 * its estate key, every collection failure as a fault, and accounts and regions as discovery
 * saw them, so that scanning the estate gives the same verdicts as the scan that recorded it.
 */
import type {
  BucketAcl,
  CredentialReportRow,
  Instance,
  ManagedPrefixList,
  NetworkAcl,
  NetworkInterface,
  OrganizationAccount,
  OwnershipControls,
  PasswordPolicy,
  PolicyDocument,
  PrefixListEntry,
  PublicAccessBlock,
  RouteTable,
  SecurityGroup,
  Snapshot,
  Subnet,
  VirtualMfaDevice,
  Volume,
  Vpc,
  VpcBlockPublicAccessExclusion,
  VpcBlockPublicAccessOptions,
} from '../../core/aws-shapes.js';
import type { AccountSource } from '../../core/config/load.js';
import type { ScanPlan, TargetShard } from '../../core/engine/context.js';
import type {
  BucketFacets,
  CollectorDataMap,
  CollectorError,
  CollectorId,
  CollectorResult,
  InventoryResults,
} from '../../core/types.js';
import { GLOBAL_REGION } from '../../core/types.js';
import { collectorFor } from '../../inventory/registry.js';
import { callOf, collectorCall, faithful, faultCode, type RecordedFault } from './faults.js';
import {
  accountAlias,
  minimiseAcl,
  Pseudonyms,
  pseudonymiseMfaDevice,
  pseudonymiseReportRow,
  withoutTags,
} from './minimise.js';

/** A role name no config can name (role names cannot hold `<`), so AssumeRole always fails. */
export const NOT_ASSUMABLE_ROLE = '<not-assumable>';

const SNAPSHOT_BLOCK_STATES = ['block-all-sharing', 'block-new-sharing', 'unblocked'];

// ---------------------------------------------------------------- the document written

export interface RecordedEc2 {
  SecurityGroups?: SecurityGroup[];
  NetworkInterfaces?: NetworkInterface[];
  NetworkAcls?: NetworkAcl[];
  RouteTables?: RouteTable[];
  Subnets?: Subnet[];
  Vpcs?: Vpc[];
  Instances?: Instance[];
  Volumes?: Volume[];
  Snapshots?: Array<Snapshot & { CreateVolumePermissions: Array<{ Group?: string; UserId?: string }> }>;
  EbsEncryptionByDefault?: boolean;
  SnapshotBlockPublicAccessState?: string;
  VpcBlockPublicAccessOptions?: VpcBlockPublicAccessOptions | null;
  VpcBlockPublicAccessExclusions?: VpcBlockPublicAccessExclusion[];
  ManagedPrefixLists?: Array<ManagedPrefixList & { Entries: PrefixListEntry[] }>;
}

export interface RecordedBucket {
  Name: string;
  CreationDate?: string;
  BucketRegion?: string;
  Acl?: BucketAcl;
  Policy?: PolicyDocument | null;
  PolicyStatus?: { IsPublic: boolean } | null;
  PublicAccessBlock?: PublicAccessBlock | null;
  OwnershipControls?: OwnershipControls | null;
}

export interface RecordedAccount {
  assumeRole?: { roleName: string };
  regions?: Record<string, { ec2?: RecordedEc2 }>;
  disabledRegions?: string[];
  iam?: {
    CredentialReport?: CredentialReportRow[];
    AccountSummary?: Record<string, number>;
    VirtualMFADevices?: VirtualMfaDevice[];
    PasswordPolicy?: PasswordPolicy | null;
    OrganizationsFeatures?: string[];
  };
  s3?: { AccountPublicAccessBlock?: PublicAccessBlock | null; Buckets?: RecordedBucket[] };
  faults?: RecordedFault[];
}

export interface RecordedEstate {
  organization?: { managementAccountId: string; accounts: OrganizationAccount[] };
  accounts: Record<string, RecordedAccount>;
}

export interface RecordCounts {
  readonly accounts: number;
  /** Enabled regions, summed over accounts. */
  readonly regions: number;
  /** EC2 objects, S3 buckets and IAM users. */
  readonly resources: number;
  readonly faults: number;
}

export interface RecordInput {
  readonly plan: ScanPlan;
  readonly shards: readonly TargetShard[];
  readonly accountSource: AccountSource;
  readonly keepIdentifiers: boolean;
  /** ListAccounts' answer, for the fields the plan does not keep (Email, Arn, JoinedTimestamp). */
  readonly organizationAccounts?: readonly OrganizationAccount[];
}

export interface RecordResult {
  readonly estate: RecordedEstate;
  readonly counts: RecordCounts;
  /** Where the recording cannot reproduce the scan exactly. */
  readonly warnings: readonly string[];
}

// ---------------------------------------------------------------- building

export function buildEstate(input: RecordInput): RecordResult {
  const { plan, keepIdentifiers } = input;
  const caller = plan.callerAccountId;
  const names = new Pseudonyms();
  const warnings: string[] = [];
  const accounts = new Map<string, RecordedAccount>();
  const account = (id: string): RecordedAccount => {
    let entry = accounts.get(id);
    if (entry === undefined) {
      entry = {};
      accounts.set(id, entry);
    }
    return entry;
  };
  const faults = new FaultBook();

  // Without an organization the simulator's caller is the estate's first account.
  if (input.accountSource !== 'organizations') account(caller);

  for (const coverage of plan.accounts) {
    if (coverage.status === 'scanned') account(coverage.accountId);
    if (coverage.status !== 'error') continue;
    const call = coverage.error === undefined ? undefined : callOf(coverage.error);
    if (call === undefined || call.service === 'sts') {
      // Entering the account failed: a role that matches no config fails the same way.
      account(coverage.accountId).assumeRole = { roleName: NOT_ASSUMABLE_ROLE };
    } else if (coverage.error !== undefined) {
      account(coverage.accountId);
      faults.add(coverage.accountId, { ...call, error: faultCode(coverage.error, call.service) });
      noteUnfaithful(coverage.error, `${coverage.accountId} ${call.operation}`, warnings);
    }
  }

  const shards = [...input.shards].sort(
    (a, b) =>
      a.target.accountId.localeCompare(b.target.accountId) || a.target.region.localeCompare(b.target.region),
  );
  for (const shard of shards) {
    const { accountId, region } = shard.target;
    const entry = account(accountId);
    const context: ShardContext = {
      accountId,
      region,
      results: shard.inventory.results,
      keepIdentifiers,
      names,
      warnings,
      fault: (fault) => faults.add(accountId, fault),
    };
    if (region === GLOBAL_REGION) {
      const iam = recordIam(context);
      if (Object.keys(iam).length > 0) entry.iam = iam;
      const s3 = recordS3(context);
      if (Object.keys(s3).length > 0) entry.s3 = s3;
    } else {
      const ec2 = recordEc2(context);
      entry.regions = { ...entry.regions, [region]: Object.keys(ec2).length > 0 ? { ec2 } : {} };
    }
  }

  for (const skipped of plan.skippedTargets) {
    if (!/^region not enabled/.test(skipped.reason ?? '')) continue;
    const entry = account(skipped.accountId);
    entry.disabledRegions = [...new Set([...(entry.disabledRegions ?? []), skipped.region])].sort();
  }

  const features = plan.organizationResults['iam.organizationsFeatures'];
  let featuresAnswered = false;
  if (features !== undefined) {
    if (features.ok && features.data !== null) {
      const entry = account(caller);
      entry.iam = { ...entry.iam, OrganizationsFeatures: [...features.data.features] };
      featuresAnswered = true;
    } else if (!features.ok) {
      const call = collectorCall('iam.organizationsFeatures');
      account(caller);
      faults.add(caller, { ...call, error: faultCode(features.error, call.service) });
      noteUnfaithful(features.error, `${caller} ${call.operation}`, warnings);
    }
  }

  for (const [id, entry] of accounts) {
    const recorded = faults.of(id);
    if (recorded.length > 0) entry.faults = recorded;
    accounts.set(id, inEstateOrder(entry));
  }

  const organization: RecordedEstate['organization'] =
    input.accountSource === 'organizations'
      ? {
          managementAccountId: caller,
          accounts: organizationAccounts(plan, input.organizationAccounts, keepIdentifiers),
        }
      : featuresAnswered
        ? // ListOrganizationsFeatures answers only in an organization's management account.
          { managementAccountId: caller, accounts: [] }
        : undefined;
  const estate: RecordedEstate = {
    ...(organization !== undefined && { organization }),
    accounts: Object.fromEntries(accounts),
  };
  return { estate, counts: countEstate(estate), warnings };
}

/** The account's keys in the order ESTATE.md lists them, so recordings read like hand-written estates. */
function inEstateOrder(entry: RecordedAccount): RecordedAccount {
  const { assumeRole, regions, disabledRegions, iam, s3, faults } = entry;
  return {
    ...(assumeRole !== undefined && { assumeRole }),
    ...(regions !== undefined && {
      regions: Object.fromEntries(Object.entries(regions).sort(([a], [b]) => a.localeCompare(b))),
    }),
    ...(disabledRegions !== undefined && { disabledRegions }),
    ...(iam !== undefined && { iam }),
    ...(s3 !== undefined && { s3 }),
    ...(faults !== undefined && { faults }),
  };
}

function organizationAccounts(
  plan: ScanPlan,
  listed: readonly OrganizationAccount[] | undefined,
  keepIdentifiers: boolean,
): OrganizationAccount[] {
  const byId = new Map((listed ?? []).map((a) => [a.Id, a]));
  return plan.accounts.map((coverage) => {
    const extra = keepIdentifiers ? byId.get(coverage.accountId) : undefined;
    return {
      Id: coverage.accountId,
      ...(extra?.Arn !== undefined && { Arn: extra.Arn }),
      ...(coverage.name !== undefined && {
        Name: keepIdentifiers ? coverage.name : accountAlias(coverage.accountId),
      }),
      ...(extra?.Email !== undefined && { Email: extra.Email }),
      ...(coverage.state !== undefined && { State: coverage.state }),
      ...(extra?.JoinedTimestamp !== undefined && { JoinedTimestamp: extra.JoinedTimestamp }),
    };
  });
}

/** Faults per account, each once, in the order met. */
class FaultBook {
  readonly #byAccount = new Map<string, Map<string, RecordedFault>>();

  add(accountId: string, fault: RecordedFault): void {
    let faults = this.#byAccount.get(accountId);
    if (faults === undefined) {
      faults = new Map();
      this.#byAccount.set(accountId, faults);
    }
    const key = `${fault.service}|${fault.region ?? '*'}|${fault.operation}`;
    if (!faults.has(key)) faults.set(key, fault);
  }

  of(accountId: string): RecordedFault[] {
    return [...(this.#byAccount.get(accountId)?.values() ?? [])];
  }
}

function noteUnfaithful(error: CollectorError, where: string, warnings: string[]): void {
  if (faithful(error)) return;
  warnings.push(
    `${where} failed with ${error.code} (${error.kind}), which no estate fault reproduces; ` +
      'recorded as InternalError, so the replay reports ERROR with another reason',
  );
}

// ---------------------------------------------------------------- per target

interface ShardContext {
  readonly accountId: string;
  readonly region: string;
  readonly results: InventoryResults;
  readonly keepIdentifiers: boolean;
  readonly names: Pseudonyms;
  readonly warnings: string[];
  fault(fault: RecordedFault): void;
}

/**
 * The collector's data, or undefined when it was not collected or failed; a failure is
 * recorded as a fault on the collector's first call. A failure that only follows from a
 * dependency's (a bucket facet without the bucket list) needs no fault of its own: the
 * dependency's fault reproduces it.
 */
function dataOf<K extends CollectorId>(
  ctx: ShardContext,
  id: K,
  faultRegion: string | undefined,
): CollectorDataMap[K] | undefined {
  const result = ctx.results[id] as CollectorResult<K> | undefined;
  if (result === undefined) return undefined;
  if (result.ok) return result.data;
  if (!reproducedByData(ctx, id, result.error)) {
    const call = collectorCall(id);
    ctx.fault({
      service: call.service,
      ...(faultRegion !== undefined && { region: faultRegion }),
      operation: call.operation,
      error: faultCode(result.error, call.service),
    });
    noteUnfaithful(result.error, `${ctx.accountId} ${ctx.region} ${id}`, ctx.warnings);
  }
  return undefined;
}

/**
 * Failures a replay of the recording repeats without a fault of their own: a facet that could
 * not run because its dependency failed (the dependency's fault fails it again), and EC2's
 * `<Resource>.NotFound` for ids that a collected object references but AWS could not find (the
 * recording holds no such resource either, so the simulator answers the same).
 */
function reproducedByData(ctx: ShardContext, id: CollectorId, error: CollectorError): boolean {
  const dependencyFailed = (collectorFor(id).dependsOn ?? []).some((dep) => ctx.results[dep]?.ok === false);
  if (dependencyFailed && error.kind === 'invalid-data') return true;
  return id.startsWith('ec2.') && error.kind === 'bug' && /\.NotFound$/.test(error.code);
}

function tagless<T extends object>(ctx: ShardContext, items: readonly T[]): T[] {
  return ctx.keepIdentifiers ? [...items] : items.map(withoutTags);
}

function recordEc2(ctx: ShardContext): RecordedEc2 {
  const { region } = ctx;
  const ec2: RecordedEc2 = {};
  const put = <K extends keyof RecordedEc2>(key: K, value: RecordedEc2[K] | undefined) => {
    if (value !== undefined) ec2[key] = value;
  };
  const listOf = <T extends object>(items: readonly T[] | undefined) =>
    items === undefined ? undefined : tagless(ctx, items);

  put('SecurityGroups', listOf(dataOf(ctx, 'ec2.securityGroups', region)));
  put('NetworkInterfaces', listOf(dataOf(ctx, 'ec2.networkInterfaces', region)));
  put('NetworkAcls', listOf(dataOf(ctx, 'ec2.networkAcls', region)));
  put('RouteTables', listOf(dataOf(ctx, 'ec2.routeTables', region)));
  put('Subnets', listOf(dataOf(ctx, 'ec2.subnets', region)));
  put('Vpcs', listOf(dataOf(ctx, 'ec2.vpcs', region)));
  put('Instances', listOf(dataOf(ctx, 'ec2.instances', region)));
  put('Volumes', listOf(dataOf(ctx, 'ec2.volumes', region)));

  const snapshots = dataOf(ctx, 'ec2.snapshots', region);
  const publicIds = dataOf(ctx, 'ec2.publicSnapshotIds', region);
  if (snapshots !== undefined) {
    const isPublic = new Set(publicIds ?? []);
    put(
      'Snapshots',
      tagless(ctx, snapshots).map((snapshot) => ({
        ...snapshot,
        CreateVolumePermissions: isPublic.has(snapshot.SnapshotId) ? [{ Group: 'all' }] : [],
      })),
    );
    const own = new Set(snapshots.map((s) => s.SnapshotId));
    const strays = (publicIds ?? []).filter((id) => !own.has(id));
    if (strays.length > 0) {
      ctx.warnings.push(
        `${ctx.accountId} ${region}: public snapshots ${strays.join(', ')} were not in the own-snapshot list and are not recorded`,
      );
    }
    if (ctx.results['ec2.publicSnapshotIds']?.ok === false) {
      ctx.warnings.push(
        `${ctx.accountId} ${region}: the public-snapshot query failed, and its fault (on DescribeSnapshots) also fails the own-snapshot list in a replay`,
      );
    }
  }

  put('EbsEncryptionByDefault', dataOf(ctx, 'ec2.ebsEncryptionByDefault', region));
  const blockState = dataOf(ctx, 'ec2.snapshotBlockPublicAccess', region);
  if (blockState !== undefined) {
    if (SNAPSHOT_BLOCK_STATES.includes(blockState)) put('SnapshotBlockPublicAccessState', blockState);
    else {
      // The estate cannot hold a state it does not know: fail the call rather than guess one.
      const call = collectorCall('ec2.snapshotBlockPublicAccess');
      ctx.fault({ ...call, region, error: 'InternalError' });
      ctx.warnings.push(
        `${ctx.accountId} ${region}: snapshot block public access state ${JSON.stringify(blockState)} is not one an estate can hold; recorded as a fault`,
      );
    }
  }
  const vpcBlock = dataOf(ctx, 'ec2.vpcBlockPublicAccess', region);
  if (vpcBlock !== undefined) {
    put('VpcBlockPublicAccessOptions', vpcBlock.options);
    put('VpcBlockPublicAccessExclusions', [...vpcBlock.exclusions]);
  }
  const prefixLists = dataOf(ctx, 'ec2.prefixLists', region);
  if (prefixLists !== undefined) put('ManagedPrefixLists', [...prefixLists]);
  return ec2;
}

function recordIam(ctx: ShardContext): NonNullable<RecordedAccount['iam']> {
  const { accountId, names, keepIdentifiers } = ctx;
  const iam: NonNullable<RecordedAccount['iam']> = {};
  const report = dataOf(ctx, 'iam.credentialReport', undefined);
  if (report !== undefined) {
    iam.CredentialReport = report.rows.map((row) =>
      keepIdentifiers ? { ...row } : pseudonymiseReportRow(row, accountId, names),
    );
  }
  const summary = dataOf(ctx, 'iam.accountSummary', undefined);
  if (summary !== undefined) iam.AccountSummary = { ...summary };
  const devices = dataOf(ctx, 'iam.virtualMfaDevices', undefined);
  if (devices !== undefined) {
    iam.VirtualMFADevices = devices.map((device) =>
      keepIdentifiers ? device : pseudonymiseMfaDevice(device, accountId, names),
    );
  }
  const policy = dataOf(ctx, 'iam.passwordPolicy', undefined);
  if (policy !== undefined) iam.PasswordPolicy = policy;
  return iam;
}

const FACET_IDS = [
  's3.bucketPolicies',
  's3.bucketPolicyStatus',
  's3.bucketPublicAccessBlock',
  's3.bucketOwnershipControls',
  's3.bucketAcls',
] as const satisfies readonly CollectorId[];
type FacetId = (typeof FACET_IDS)[number];

function recordS3(ctx: ShardContext): NonNullable<RecordedAccount['s3']> {
  const s3: NonNullable<RecordedAccount['s3']> = {};
  const accountBlock = dataOf(ctx, 's3.accountPublicAccessBlock', undefined);
  if (accountBlock !== undefined) s3.AccountPublicAccessBlock = accountBlock;
  const buckets = dataOf(ctx, 's3.bucketList', undefined);
  const facets: { [K in FacetId]: CollectorDataMap[K] | undefined } = {
    's3.bucketPolicies': dataOf(ctx, 's3.bucketPolicies', undefined),
    's3.bucketPolicyStatus': dataOf(ctx, 's3.bucketPolicyStatus', undefined),
    's3.bucketPublicAccessBlock': dataOf(ctx, 's3.bucketPublicAccessBlock', undefined),
    's3.bucketOwnershipControls': dataOf(ctx, 's3.bucketOwnershipControls', undefined),
    's3.bucketAcls': dataOf(ctx, 's3.bucketAcls', undefined),
  };
  if (buckets === undefined) return s3;

  // Per-bucket failures become faults on the bucket's region: the finest scope a fault has.
  const bucketFaults = new Map<string, { id: FacetId; region: string | undefined; buckets: string[] }>();
  const failed = (id: FacetId, bucket: RecordedBucket) => {
    const facet = facets[id]?.[bucket.Name];
    if (facet === undefined || facet.ok) return;
    const call = collectorCall(id);
    ctx.fault({
      service: call.service,
      ...(bucket.BucketRegion !== undefined && { region: bucket.BucketRegion }),
      operation: call.operation,
      error: faultCode(facet.error, call.service),
    });
    noteUnfaithful(facet.error, `${ctx.accountId} bucket ${bucket.Name} ${call.operation}`, ctx.warnings);
    const key = `${id}|${bucket.BucketRegion ?? '*'}`;
    const entry = bucketFaults.get(key) ?? { id, region: bucket.BucketRegion, buckets: [] };
    entry.buckets.push(bucket.Name);
    bucketFaults.set(key, entry);
  };

  s3.Buckets = buckets.map((summary) => {
    const bucket: RecordedBucket = {
      Name: summary.Name,
      ...(summary.CreationDate !== undefined && { CreationDate: summary.CreationDate }),
      ...(summary.BucketRegion !== undefined && { BucketRegion: summary.BucketRegion }),
    };
    const acl = okValue(facets['s3.bucketAcls'], bucket.Name);
    // Absent in the estate means the owner alone has FULL_CONTROL, which is also what a bucket
    // whose ACL was not read (ACLs disabled) grants.
    if (acl !== undefined && acl !== null)
      bucket.Acl = ctx.keepIdentifiers ? acl : minimiseAcl(acl, ctx.names);
    const policy = okValue(facets['s3.bucketPolicies'], bucket.Name);
    if (policy !== undefined) bucket.Policy = policy;
    const status = okValue(facets['s3.bucketPolicyStatus'], bucket.Name);
    // null asks the simulator to derive the status from the policy: right when it was not read.
    bucket.PolicyStatus = typeof status?.IsPublic === 'boolean' ? { IsPublic: status.IsPublic } : null;
    const block = okValue(facets['s3.bucketPublicAccessBlock'], bucket.Name);
    if (block !== undefined) bucket.PublicAccessBlock = block;
    const ownership = okValue(facets['s3.bucketOwnershipControls'], bucket.Name);
    if (ownership !== undefined) bucket.OwnershipControls = ownership;
    for (const id of FACET_IDS) failed(id, bucket);
    return bucket;
  });

  // A region-wide fault also fails the same call for the region's other buckets in a replay.
  for (const { id, region, buckets: failedBuckets } of bucketFaults.values()) {
    const facetData = facets[id];
    const readFine = buckets.filter(
      (b) =>
        (region === undefined || b.BucketRegion === region) &&
        facetData?.[b.Name]?.ok === true &&
        !failedBuckets.includes(b.Name),
    );
    if (readFine.length > 0) {
      ctx.warnings.push(
        `${ctx.accountId}: ${collectorCall(id).operation} failed for ${failedBuckets.join(', ')}; a fault cannot ` +
          `name one bucket, so the replay also reports ERROR for ${readFine.map((b) => b.Name).join(', ')} ` +
          `(same call, region ${region ?? 'any'})`,
      );
    }
  }
  return s3;
}

/** The bucket's answer (`null`: none configured), or undefined when not read or failed. */
function okValue<T>(facets: BucketFacets<T> | undefined, bucket: string): T | null | undefined {
  const facet = facets?.[bucket];
  return facet?.ok === true ? facet.value : undefined;
}

// ---------------------------------------------------------------- counts

const EC2_LISTS = [
  'SecurityGroups',
  'NetworkInterfaces',
  'NetworkAcls',
  'RouteTables',
  'Subnets',
  'Vpcs',
  'Instances',
  'Volumes',
  'Snapshots',
  'VpcBlockPublicAccessExclusions',
  'ManagedPrefixLists',
] as const satisfies ReadonlyArray<keyof RecordedEc2>;

function countEstate(estate: RecordedEstate): RecordCounts {
  let regions = 0;
  let resources = 0;
  let faults = 0;
  for (const entry of Object.values(estate.accounts)) {
    for (const { ec2 } of Object.values(entry.regions ?? {})) {
      regions += 1;
      for (const key of EC2_LISTS) resources += ec2?.[key]?.length ?? 0;
    }
    resources += entry.s3?.Buckets?.length ?? 0;
    resources += (entry.iam?.CredentialReport ?? []).filter((row) => row.user !== '<root_account>').length;
    faults += entry.faults?.length ?? 0;
  }
  return { accounts: Object.keys(estate.accounts).length, regions, resources, faults };
}
