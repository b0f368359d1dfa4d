/**
 * S3 collectors, once per account. The bucket list comes from one paginated ListBuckets (its
 * BucketRegion saves a GetBucketLocation per bucket); each per-bucket facet is its own
 * collector so a scan reads only what its checks need, sends each call to the bucket's own
 * region, and skips calls whose answer is already known.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { z } from 'zod';
import {
  BucketAclSchema,
  OwnershipControlsSchema,
  PolicyDocumentSchema,
  PublicAccessBlockSchema,
} from '../core/aws-shapes.js';
import type { BucketFacet, BucketFacets, InventoryResults, S3BucketSummary } from '../core/types.js';
import { type AwsClients, type AwsSdk, loadService } from './clients.js';
import { type CollectContext, type Collector, drain, parseAws } from './collector.js';
import { CollectorDataError, classifyAwsError } from './errors.js';

const LIST_BUCKETS_PAGE = 1000;
/**
 * The largest bucket policy custos analyses: 64 KiB, over three times S3's own 20 KB limit
 * (margin for how S3 counts: characters or bytes, whitespace or not). A larger document did not
 * come from S3 as documented, and is refused as invalid data rather than parsed.
 */
export const MAX_BUCKET_POLICY_BYTES = 64 * 1024;
/** Per-bucket calls in flight per account and facet. */
const BUCKET_CONCURRENCY = 8;

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error
    ? String((error as { name: unknown }).name)
    : undefined;
}

export const accountPublicAccessBlock: Collector<'s3.accountPublicAccessBlock'> = {
  id: 's3.accountPublicAccessBlock',
  scope: 'account',
  actions: ['s3:GetAccountPublicAccessBlock'],
  async collect(ctx) {
    const { GetPublicAccessBlockCommand: GetAccountPublicAccessBlockCommand } =
      await loadService('s3control');
    try {
      const answer = await ctx.clients
        .s3control()
        .send(new GetAccountPublicAccessBlockCommand({ AccountId: ctx.target.accountId }));
      // The effective account setting, which may be inherited from an organization S3 policy.
      return parseAws(
        PublicAccessBlockSchema,
        answer.PublicAccessBlockConfiguration ?? {},
        's3control GetPublicAccessBlock',
      );
    } catch (error) {
      if (errorName(error) === 'NoSuchPublicAccessBlockConfiguration') return null;
      throw error;
    }
  },
};

export const bucketList: Collector<'s3.bucketList'> = {
  id: 's3.bucketList',
  scope: 'account',
  actions: ['s3:ListAllMyBuckets'],
  async collect(ctx) {
    const { paginateListBuckets } = await loadService('s3');
    // MaxBuckets makes ListBuckets paginate and include each bucket's region.
    const pages = paginateListBuckets(
      { client: ctx.clients.s3(homeRegion(ctx.clients)), pageSize: LIST_BUCKETS_PAGE },
      {},
    );
    const buckets = await drain(pages, (p) => p.Buckets);
    return parseAws(
      z.array(
        z.object({
          Name: z.string(),
          CreationDate: z.union([z.string(), z.date().transform((d) => d.toISOString())]).optional(),
          BucketRegion: z.string().optional(),
        }),
      ),
      buckets,
      'ListBuckets',
    ).map((b) => ({
      Name: b.Name,
      ...(b.CreationDate !== undefined && { CreationDate: b.CreationDate }),
      ...(b.BucketRegion !== undefined && { BucketRegion: b.BucketRegion }),
    }));
  },
};

function homeRegion(clients: AwsClients): string {
  return clients.options.homeRegion;
}

type FacetReader<T> = (client: S3Client, bucket: string, sdk: AwsSdk['s3']) => Promise<T | null>;

/**
 * Reads one facet for every bucket (or those `include` keeps), each call in the bucket's
 * region; one bucket's failure is recorded for that bucket alone.
 */
async function readFacet<T>(
  ctx: CollectContext,
  read: FacetReader<T>,
  include: (bucket: S3BucketSummary, prior: InventoryResults) => boolean = () => true,
): Promise<BucketFacets<T>> {
  const list = ctx.prior['s3.bucketList'];
  if (list === undefined || !list.ok) {
    throw new CollectorDataError('the bucket list could not be read, so no bucket could be assessed');
  }
  const sdk = await loadService('s3');
  const limit = pLimit(BUCKET_CONCURRENCY);
  const entries = await Promise.all(
    list.data
      .filter((bucket) => include(bucket, ctx.prior))
      .map((bucket) =>
        limit(async (): Promise<[string, BucketFacet<T>]> => {
          const client = ctx.clients.s3(bucket.BucketRegion ?? homeRegion(ctx.clients));
          try {
            return [bucket.Name, { ok: true, value: await read(client, bucket.Name, sdk) }];
          } catch (error) {
            return [bucket.Name, { ok: false, error: classifyAwsError(error) }];
          }
        }),
      ),
  );
  return Object.fromEntries(entries);
}

/** A "none configured" error code becomes `null`; everything else propagates. */
async function orNone<T>(call: () => Promise<T>, noneCodes: readonly string[]): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    const name = errorName(error);
    const code = (error as { Code?: string }).Code;
    if ((name !== undefined && noneCodes.includes(name)) || (code !== undefined && noneCodes.includes(code)))
      return null;
    throw error;
  }
}

export const bucketPolicies: Collector<'s3.bucketPolicies'> = {
  id: 's3.bucketPolicies',
  scope: 'account',
  actions: ['s3:GetBucketPolicy'],
  dependsOn: ['s3.bucketList'],
  collect: (ctx) =>
    readFacet(ctx, (client, bucket, sdk) =>
      orNone(async () => {
        const answer = await client.send(new sdk.GetBucketPolicyCommand({ Bucket: bucket }));
        const text = answer.Policy ?? '';
        const size = Buffer.byteLength(text);
        if (size > MAX_BUCKET_POLICY_BYTES) {
          throw new CollectorDataError(
            `the policy of bucket ${bucket} is ${size} bytes, more than S3 allows (20 KB); custos analyses at most ${MAX_BUCKET_POLICY_BYTES} bytes`,
          );
        }
        let document: unknown;
        try {
          document = JSON.parse(text);
        } catch {
          throw new CollectorDataError(`the policy of bucket ${bucket} is not valid JSON`);
        }
        return parseAws(PolicyDocumentSchema, document, `GetBucketPolicy(${bucket})`);
      }, ['NoSuchBucketPolicy']),
    ),
};

export const bucketPolicyStatus: Collector<'s3.bucketPolicyStatus'> = {
  id: 's3.bucketPolicyStatus',
  scope: 'account',
  actions: ['s3:GetBucketPolicyStatus'],
  dependsOn: ['s3.bucketList', 's3.bucketPolicies'],
  collect: (ctx) =>
    readFacet(
      ctx,
      (client, bucket, sdk) =>
        orNone(async () => {
          const answer = await client.send(new sdk.GetBucketPolicyStatusCommand({ Bucket: bucket }));
          return parseAws(
            z.object({ IsPublic: z.boolean().optional() }),
            answer.PolicyStatus ?? {},
            `GetBucketPolicyStatus(${bucket})`,
          );
        }, ['NoSuchBucketPolicy']),
      // A bucket without a policy has no policy status to ask for.
      (bucket, prior) => hasPolicyOrUnknown(bucket.Name, prior),
    ),
};

function hasPolicyOrUnknown(bucket: string, prior: InventoryResults): boolean {
  const policies = prior['s3.bucketPolicies'];
  if (policies === undefined || !policies.ok) return true;
  const facet = policies.data[bucket];
  return facet === undefined || !facet.ok || facet.value !== null;
}

export const bucketPublicAccessBlock: Collector<'s3.bucketPublicAccessBlock'> = {
  id: 's3.bucketPublicAccessBlock',
  scope: 'account',
  actions: ['s3:GetBucketPublicAccessBlock'],
  dependsOn: ['s3.bucketList'],
  collect: (ctx) =>
    readFacet(ctx, (client, bucket, sdk) =>
      orNone(async () => {
        const answer = await client.send(new sdk.GetPublicAccessBlockCommand({ Bucket: bucket }));
        return parseAws(
          PublicAccessBlockSchema,
          answer.PublicAccessBlockConfiguration ?? {},
          `GetPublicAccessBlock(${bucket})`,
        );
      }, ['NoSuchPublicAccessBlockConfiguration']),
    ),
};

export const bucketOwnershipControls: Collector<'s3.bucketOwnershipControls'> = {
  id: 's3.bucketOwnershipControls',
  scope: 'account',
  actions: ['s3:GetBucketOwnershipControls'],
  dependsOn: ['s3.bucketList'],
  collect: (ctx) =>
    readFacet(ctx, (client, bucket, sdk) =>
      orNone(async () => {
        const answer = await client.send(new sdk.GetBucketOwnershipControlsCommand({ Bucket: bucket }));
        return parseAws(
          OwnershipControlsSchema,
          answer.OwnershipControls ?? { Rules: [] },
          `GetBucketOwnershipControls(${bucket})`,
        );
      }, ['OwnershipControlsNotFoundError']),
    ),
};

export const bucketAcls: Collector<'s3.bucketAcls'> = {
  id: 's3.bucketAcls',
  scope: 'account',
  actions: ['s3:GetBucketAcl'],
  dependsOn: ['s3.bucketList', 's3.bucketOwnershipControls'],
  collect: (ctx) =>
    readFacet(
      ctx,
      async (client, bucket, sdk) => {
        const answer = await client.send(new sdk.GetBucketAclCommand({ Bucket: bucket }));
        return parseAws(
          BucketAclSchema,
          { Owner: answer.Owner, Grants: answer.Grants },
          `GetBucketAcl(${bucket})`,
        );
      },
      // Under BucketOwnerEnforced ACLs grant nothing, so there is nothing to read.
      (bucket, prior) => !ownerEnforced(bucket.Name, prior),
    ),
};

function ownerEnforced(bucket: string, prior: InventoryResults): boolean {
  const controls = prior['s3.bucketOwnershipControls'];
  if (controls === undefined || !controls.ok) return false;
  const facet = controls.data[bucket];
  return (
    facet?.ok === true && facet.value?.Rules.some((r) => r.ObjectOwnership === 'BucketOwnerEnforced') === true
  );
}

export const s3Collectors = [
  accountPublicAccessBlock,
  bucketList,
  bucketPolicies,
  bucketPolicyStatus,
  bucketPublicAccessBlock,
  bucketOwnershipControls,
  bucketAcls,
] as const;
