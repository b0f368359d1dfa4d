/**
 * The collectors AWS Config can answer, as used when `inventory.source` is `config` or
 * `config-aggregator`. Each yields exactly what its API twin yields, and asks the API instead
 * (for the whole target, or for the buckets Config does not know) whenever Config cannot
 * answer: the region has no recorder, the recorder does not record the type, or the query
 * failed. What Config never records (credential reports, EBS default encryption, snapshots,
 * snapshot and VPC Block Public Access, Object Ownership) stays with the API collectors.
 */
import type { BucketAcl, PublicAccessBlock } from '../../core/aws-shapes.js';
import type {
  BucketFacet,
  BucketFacets,
  CollectorDataMap,
  InventoryProvenance,
  S3BucketSummary,
} from '../../core/types.js';
import type { CollectContext, Collector } from '../collector.js';
import {
  instances,
  networkAcls,
  networkInterfaces,
  prefixLists,
  readPrefixLists,
  referencedPrefixListIds,
  routeTables,
  securityGroups,
  subnets,
  volumes,
  vpcs,
} from '../ec2.js';
import { CollectorDataError, classifyAwsError } from '../errors.js';
import {
  bucketAcls,
  bucketOwnershipControls,
  bucketPolicies,
  bucketPolicyStatus,
  bucketPublicAccessBlock,
} from '../s3.js';
import type { ConfigInventory, RegionSnapshot } from './inventory.js';
import {
  type BaseItem,
  bucketAclFromItem,
  bucketPolicyFromItem,
  bucketPublicAccessBlockFromItem,
  CONFIG_TYPES,
  EC2_FROM_CONFIG,
  prefixListsFromItems,
  type RecorderState,
  records,
  type SelectedItem,
} from './items.js';

type Ec2Id = keyof typeof EC2_FROM_CONFIG;

function describeError(error: unknown): string {
  const { code, message } = classifyAwsError(error);
  return `${code}: ${message}`;
}

/** Capture-time range and recorder frequencies of what was read. */
function provenance(
  inventory: ConfigInventory,
  items: ReadonlyArray<SelectedItem | BaseItem>,
  recorders: ReadonlyArray<RecorderState | undefined>,
  note?: string,
): InventoryProvenance {
  const times = items
    .map((item) => item.configurationItemCaptureTime)
    .filter((t): t is string => t !== undefined)
    .sort();
  const frequencies = [
    ...new Set(recorders.map((r) => r?.frequency).filter((f): f is string => f !== undefined)),
  ].sort();
  return {
    source: inventory.sourceName,
    items: items.length,
    ...(times.length > 0 && { oldestCapture: times[0], newestCapture: times[times.length - 1] }),
    ...(frequencies.length > 0 && { recordingFrequency: frequencies }),
    ...(note !== undefined && { note }),
  };
}

/** What Config holds of `type` in the target's region, or why it cannot answer for it. */
async function recordedItems(
  ctx: CollectContext,
  inventory: ConfigInventory,
  type: string,
): Promise<
  | { readonly items: readonly SelectedItem[]; readonly recorder: RecorderState }
  | { readonly fallback: string }
> {
  let snapshot: RegionSnapshot;
  try {
    snapshot = await inventory.region(ctx.clients, ctx.target.accountId, ctx.target.region);
  } catch (error) {
    return { fallback: `the AWS Config query failed (${describeError(error)})` };
  }
  const { recorder } = snapshot;
  const where = `${ctx.target.accountId} ${ctx.target.region}`;
  if (recorder === undefined) {
    return {
      fallback:
        inventory.sourceName === 'config-aggregator'
          ? `the AWS Config aggregator has no recorder data from ${where}`
          : `AWS Config has no recorder in ${where}`,
    };
  }
  if (!recorder.recording) return { fallback: `the AWS Config recorder of ${where} is not recording` };
  if (!records(recorder, type))
    return { fallback: `the AWS Config recorder of ${where} does not record ${type}` };
  return { items: snapshot.items.get(type) ?? [], recorder };
}

function ec2FromConfig<K extends Ec2Id>(direct: Collector<K>): Collector<K> {
  const { type, convert } = EC2_FROM_CONFIG[direct.id] as unknown as {
    readonly type: string;
    readonly convert: (items: readonly SelectedItem[]) => CollectorDataMap[K];
  };
  return {
    ...direct,
    async collect(ctx) {
      const inventory = ctx.configInventory;
      if (inventory === undefined) return direct.collect(ctx);
      const recorded = await recordedItems(ctx, inventory, type);
      if ('fallback' in recorded) {
        ctx.reportSource?.({ source: 'api', fallback: recorded.fallback });
        return direct.collect(ctx);
      }
      ctx.reportSource?.(provenance(inventory, recorded.items, [recorded.recorder]));
      return convert(recorded.items);
    },
  };
}

const prefixListsFromConfig: Collector<'ec2.prefixLists'> = {
  ...prefixLists,
  async collect(ctx) {
    const inventory = ctx.configInventory;
    if (inventory === undefined) return prefixLists.collect(ctx);
    const groups = ctx.prior['ec2.securityGroups'];
    if (groups === undefined || !groups.ok) return [];
    const tables = ctx.prior['ec2.routeTables']?.ok === true ? ctx.prior['ec2.routeTables'].data : [];
    const allowlist = ctx.settings.network.allowlist ?? [];
    const referenced = referencedPrefixListIds(groups.data, tables, allowlist);
    if (referenced.length === 0) return [];
    const recordedLists = await recordedItems(ctx, inventory, CONFIG_TYPES.prefixList);
    if ('fallback' in recordedLists) {
      ctx.reportSource?.({ source: 'api', fallback: recordedLists.fallback });
      return prefixLists.collect(ctx);
    }
    const wanted = new Set(referenced);
    const items = recordedLists.items.filter((item) => wanted.has(item.resourceId));
    const recorded = prefixListsFromItems(items);
    const found = new Set(recorded.map((list) => list.PrefixListId));
    // AWS-managed lists are not the account's resources, so Config never has them; those that
    // can widen exposure are read from the API, those behind other routes only narrow it.
    const needed = referencedPrefixListIds(groups.data, tables, allowlist, 'internet').filter(
      (id) => !found.has(id),
    );
    const skipped = referenced.filter((id) => !found.has(id) && !needed.includes(id));
    const read = await readPrefixLists(ctx, needed);
    const notes = [
      ...(needed.length > 0
        ? [`${needed.join(', ')} read from the EC2 API (not recorded by AWS Config)`]
        : []),
      ...(skipped.length > 0
        ? [
            `${skipped.join(', ')} not read: only behind non-internet routes, so they could only narrow exposure`,
          ]
        : []),
    ];
    ctx.reportSource?.(
      provenance(inventory, items, [recordedLists.recorder], notes.length > 0 ? notes.join('; ') : undefined),
    );
    return [...recorded, ...read];
  },
};

// ---------------------------------------------------------------- S3

interface BucketSplit {
  /** Buckets Config records, with their configuration items. */
  readonly recorded: ReadonlyMap<string, BaseItem>;
  /** Buckets to read from the S3 API, and why. */
  readonly fallback: readonly S3BucketSummary[];
  readonly reasons: readonly string[];
  readonly recorders: ReadonlyArray<RecorderState | undefined>;
}

function bucketList(ctx: CollectContext): readonly S3BucketSummary[] {
  const list = ctx.prior['s3.bucketList'];
  if (list === undefined || !list.ok) {
    throw new CollectorDataError('the bucket list could not be read, so no bucket could be assessed');
  }
  return list.data;
}

/** Which buckets Config can answer for: those in a region whose recorder records buckets. */
async function splitBuckets(ctx: CollectContext, inventory: ConfigInventory): Promise<BucketSplit> {
  const buckets = bucketList(ctx);
  const home = ctx.clients.options.homeRegion;
  const regionOf = (bucket: S3BucketSummary) => bucket.BucketRegion ?? home;
  const regions = [...new Set(buckets.map(regionOf))].sort();
  try {
    const recorders = await inventory.recorders(ctx.clients, ctx.target.accountId, regions);
    const recordedRegions = new Set(regions.filter((r) => records(recorders.get(r), CONFIG_TYPES.bucket)));
    const candidates = buckets.filter((b) => recordedRegions.has(regionOf(b)));
    const items = await inventory.buckets(
      ctx.clients,
      ctx.target.accountId,
      candidates.map((b) => ({ name: b.Name, region: regionOf(b) })),
    );
    const recorded = new Map(
      candidates.flatMap((b) => {
        const item = items.get(b.Name);
        return item === undefined ? [] : [[b.Name, item] as const];
      }),
    );
    const fallback = buckets.filter((b) => !recorded.has(b.Name));
    const unrecordedRegions = regions.filter((r) => !recordedRegions.has(r));
    const reasons = [
      ...(unrecordedRegions.length > 0
        ? [`AWS Config does not record buckets in ${unrecordedRegions.join(', ')}`]
        : []),
      ...(fallback.length > 0 ? [`${fallback.length} bucket(s) read from the S3 API`] : []),
    ];
    return { recorded, fallback, reasons, recorders: [...recorders.values()] };
  } catch (error) {
    return {
      recorded: new Map(),
      fallback: buckets,
      reasons: [`the AWS Config query failed (${describeError(error)})`],
      recorders: [],
    };
  }
}

/** The API collector, asked about `buckets` alone. */
function directFor<K extends keyof CollectorDataMap>(
  direct: Collector<K>,
  ctx: CollectContext,
  buckets: readonly S3BucketSummary[],
): Promise<CollectorDataMap[K]> {
  return direct.collect({
    ...ctx,
    prior: { ...ctx.prior, 's3.bucketList': { ok: true, data: [...buckets] } },
  });
}

function facetFrom<T>(read: () => T | null): BucketFacet<T> {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    return { ok: false, error: classifyAwsError(error) };
  }
}

type FacetId = 's3.bucketPolicies' | 's3.bucketPublicAccessBlock' | 's3.bucketAcls';

function bucketFacetFromConfig<K extends FacetId>(
  direct: Collector<K>,
  fromItem: (item: BaseItem) => unknown,
): Collector<K> {
  return {
    ...direct,
    // Everything comes with the bucket's configuration item; nothing else need be read first.
    dependsOn: ['s3.bucketList'],
    async collect(ctx) {
      const inventory = ctx.configInventory;
      if (inventory === undefined) return direct.collect(ctx);
      const split = await splitBuckets(ctx, inventory);
      const facets: Record<string, BucketFacet<unknown>> = {};
      for (const [name, item] of split.recorded) facets[name] = facetFrom(() => fromItem(item));
      if (split.fallback.length > 0) {
        Object.assign(facets, await directFor(direct, ctx, split.fallback));
      }
      ctx.reportSource?.(
        split.recorded.size === 0
          ? { source: 'api', fallback: split.reasons.join('; ') }
          : provenance(
              inventory,
              [...split.recorded.values()],
              split.recorders,
              split.reasons.length > 0 ? split.reasons.join('; ') : undefined,
            ),
      );
      return facets as CollectorDataMap[K];
    },
  };
}

const policyStatusFromConfig: Collector<'s3.bucketPolicyStatus'> = {
  ...bucketPolicyStatus,
  async collect(ctx) {
    const inventory = ctx.configInventory;
    if (inventory === undefined) return bucketPolicyStatus.collect(ctx);
    const split = await splitBuckets(ctx, inventory);
    ctx.reportSource?.({
      source: inventory.sourceName,
      note: "AWS Config does not record S3's own policy status: custos's policy evaluator judges the policies it recorded",
    });
    return split.fallback.length === 0 ? {} : directFor(bucketPolicyStatus, ctx, split.fallback);
  },
};

const PUBLIC_GROUPS = new Set([
  'http://acs.amazonaws.com/groups/global/AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
]);

/**
 * Whether Object Ownership can change the verdict: only an ACL that grants the public something,
 * with IgnorePublicAcls not in force, or an ACL or block that could not be read.
 */
function ownershipMatters(
  acl: BucketFacet<BucketAcl> | undefined,
  bucketBlock: BucketFacet<PublicAccessBlock> | undefined,
  accountIgnoresPublicAcls: boolean,
): boolean {
  if (acl === undefined || !acl.ok || acl.value === null) return true;
  const grantsPublic = (acl.value.Grants ?? []).some((g) => PUBLIC_GROUPS.has(g.Grantee?.URI ?? ''));
  if (!grantsPublic) return false;
  if (accountIgnoresPublicAcls) return false;
  if (bucketBlock === undefined || !bucketBlock.ok) return true;
  return bucketBlock.value?.IgnorePublicAcls !== true;
}

const ownershipFromConfig: Collector<'s3.bucketOwnershipControls'> = {
  ...bucketOwnershipControls,
  dependsOn: ['s3.bucketList', 's3.bucketAcls', 's3.bucketPublicAccessBlock', 's3.accountPublicAccessBlock'],
  async collect(ctx) {
    const inventory = ctx.configInventory;
    if (inventory === undefined) return bucketOwnershipControls.collect(ctx);
    const split = await splitBuckets(ctx, inventory);
    const acls = ctx.prior['s3.bucketAcls'];
    const blocks = ctx.prior['s3.bucketPublicAccessBlock'];
    const account = ctx.prior['s3.accountPublicAccessBlock'];
    const accountIgnores = account?.ok === true && account.data?.IgnorePublicAcls === true;
    const aclFacets: BucketFacets<BucketAcl> = acls?.ok === true ? acls.data : {};
    const blockFacets: BucketFacets<PublicAccessBlock> = blocks?.ok === true ? blocks.data : {};
    const toRead = bucketList(ctx).filter(
      (b) =>
        !split.recorded.has(b.Name) ||
        ownershipMatters(aclFacets[b.Name], blockFacets[b.Name], accountIgnores),
    );
    ctx.reportSource?.({
      source: 'api',
      fallback: 'AWS Config does not record Object Ownership',
      note: `read for ${toRead.length} of ${bucketList(ctx).length} bucket(s): those whose recorded ACL grants the public something that IgnorePublicAcls does not neutralize, or that Config does not record`,
    });
    return toRead.length === 0 ? {} : directFor(bucketOwnershipControls, ctx, toRead);
  },
};

/** The collectors that replace their API twins when the inventory source is AWS Config. */
export const configCollectors = [
  ec2FromConfig(securityGroups),
  ec2FromConfig(networkInterfaces),
  ec2FromConfig(networkAcls),
  ec2FromConfig(routeTables),
  ec2FromConfig(subnets),
  ec2FromConfig(vpcs),
  ec2FromConfig(instances),
  ec2FromConfig(volumes),
  prefixListsFromConfig,
  bucketFacetFromConfig(bucketPolicies, bucketPolicyFromItem),
  bucketFacetFromConfig(bucketPublicAccessBlock, bucketPublicAccessBlockFromItem),
  bucketFacetFromConfig(bucketAcls, bucketAclFromItem),
  policyStatusFromConfig,
  ownershipFromConfig,
] as const;

/** The Config resource types a collector reads through the Select query (buckets come by BatchGet). */
export function configTypesFor(id: keyof CollectorDataMap): readonly string[] {
  if (id in EC2_FROM_CONFIG) return [EC2_FROM_CONFIG[id as Ec2Id].type];
  if (id === 'ec2.prefixLists') return [CONFIG_TYPES.prefixList];
  return [];
}
