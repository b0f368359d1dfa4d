/**
 * The S3 resources AWS Config records: each bucket in its own region, with its policy, ACL,
 * Block Public Access, encryption and versioning as supplementary configuration; and the
 * account's Block Public Access, recorded in every region. The ACL is the one GetBucketAcl
 * answers, in Config's words (`AllUsers`, `FullControl`). Object Ownership is not recorded.
 */
import type { BucketAcl, Grant, PublicAccessBlock } from '../../core/aws-shapes.js';
import type { EstateBucket } from '../estate.js';
import { lowerCamel } from './config-case.js';
import type { ItemDraft, RecordedRegion } from './config-items.js';
import { canonicalUserId, effectiveAcl } from './s3-xml.js';

export const S3_TYPES = {
  bucket: 'AWS::S3::Bucket',
  accountPublicAccessBlock: 'AWS::S3::AccountPublicAccessBlock',
} as const;

/** A bucket created without a location constraint lives in us-east-1. */
const DEFAULT_BUCKET_REGION = 'us-east-1';

const GROUPS: Readonly<Record<string, string>> = {
  'http://acs.amazonaws.com/groups/global/AllUsers': 'AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers': 'AuthenticatedUsers',
  'http://acs.amazonaws.com/groups/s3/LogDelivery': 'LogDelivery',
};

/** Config names permissions as the Java SDK's enum does. */
const PERMISSIONS: Readonly<Record<string, string>> = {
  FULL_CONTROL: 'FullControl',
  READ: 'Read',
  WRITE: 'Write',
  READ_ACP: 'ReadAcp',
  WRITE_ACP: 'WriteAcp',
};

export function s3Drafts(where: RecordedRegion, recorded: (type: string) => boolean): ItemDraft[] {
  const { account, accountId, region } = where;
  const drafts: ItemDraft[] = [];
  if (recorded(S3_TYPES.bucket)) {
    for (const bucket of account.s3.Buckets) {
      if ((bucket.BucketRegion ?? DEFAULT_BUCKET_REGION) === region) drafts.push(bucketDraft(bucket, where));
    }
  }
  const accountBlock = account.s3.AccountPublicAccessBlock;
  if (accountBlock !== null && recorded(S3_TYPES.accountPublicAccessBlock)) {
    drafts.push({
      resourceType: S3_TYPES.accountPublicAccessBlock,
      resourceId: accountId,
      availabilityZone: 'Not Applicable',
      configuration: () => publicAccessBlock(accountBlock),
    });
  }
  return drafts;
}

function bucketDraft(bucket: EstateBucket, where: RecordedRegion): ItemDraft {
  const created = bucket.CreationDate === undefined ? undefined : new Date(bucket.CreationDate).toISOString();
  return {
    resourceType: S3_TYPES.bucket,
    resourceId: bucket.Name,
    resourceName: bucket.Name,
    arn: `arn:${where.partition}:s3:::${bucket.Name}`,
    availabilityZone: 'Regional',
    resourceCreationTime: created,
    configuration: () => ({
      name: bucket.Name,
      owner: { id: bucketAcl(bucket, where.accountId).Owner?.ID ?? canonicalUserId(where.accountId) },
      creationDate: created ?? null,
    }),
    supplementaryConfiguration: () => bucketSupplements(bucket, where.accountId),
  };
}

function bucketSupplements(bucket: EstateBucket, accountId: string): Record<string, unknown> {
  const supplements: Record<string, unknown> = {
    AccessControlList: accessControlList(bucketAcl(bucket, accountId), accountId),
    BucketPolicy: { policyText: bucket.Policy === null ? null : JSON.stringify(bucket.Policy) },
  };
  if (bucket.PublicAccessBlock !== null) {
    supplements.PublicAccessBlockConfiguration = publicAccessBlock(bucket.PublicAccessBlock);
  }
  if (bucket.ServerSideEncryptionConfiguration !== null) {
    supplements.ServerSideEncryptionConfiguration = lowerCamel(bucket.ServerSideEncryptionConfiguration);
  }
  if (bucket.Versioning !== null) {
    supplements.BucketVersioningConfiguration = { status: bucket.Versioning.Status ?? 'Off' };
  }
  return supplements;
}

/** The ACL GetBucketAcl answers: the estate's, or a new bucket's when the estate gives none. */
function bucketAcl(bucket: EstateBucket, accountId: string): BucketAcl {
  return effectiveAcl(bucket, accountId);
}

/** All four settings, as AWS writes them; one the estate leaves out is off. */
function publicAccessBlock(config: PublicAccessBlock): Record<string, boolean> {
  return {
    blockPublicAcls: config.BlockPublicAcls ?? false,
    ignorePublicAcls: config.IgnorePublicAcls ?? false,
    blockPublicPolicy: config.BlockPublicPolicy ?? false,
    restrictPublicBuckets: config.RestrictPublicBuckets ?? false,
  };
}

function accessControlList(acl: BucketAcl, accountId: string): Record<string, unknown> {
  return {
    grantSet: null,
    grantList: (acl.Grants ?? []).map((grant) => ({
      grantee: grantee(grant.Grantee),
      permission: grant.Permission === undefined ? null : (PERMISSIONS[grant.Permission] ?? grant.Permission),
    })),
    owner: {
      id: acl.Owner?.ID ?? canonicalUserId(accountId),
      displayName: acl.Owner?.DisplayName ?? null,
    },
    isRequesterCharged: false,
  };
}

/** A group by its name, an e-mail grantee by its address, a canonical user by its id. */
function grantee(who: Grant['Grantee']): unknown {
  if (who === undefined) return null;
  if (who.URI !== undefined) return GROUPS[who.URI] ?? who.URI;
  if (who.EmailAddress !== undefined) return { emailAddress: who.EmailAddress };
  return { id: who.ID ?? null, displayName: who.DisplayName ?? null };
}
