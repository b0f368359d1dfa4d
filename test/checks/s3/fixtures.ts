/**
 * Plain fixtures for the S3 checks: buckets as the collector hands them over, Block Public
 * Access settings, ACLs and policies, and the target a scan uses. The S3 checks read neither
 * the settings nor the scan instant, so their tests pass the input alone.
 */
import type { BucketAcl, PolicyDocument, PublicAccessBlock } from '../../../core/aws-shapes.js';
import type { BucketFacet, CollectorError, S3BucketDetails, Target } from '../../../core/types.js';

export const ACCOUNT_ID = '111122223333';
export const TARGET: Target = { accountId: ACCOUNT_ID, region: 'global' };

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
const OWNER_ID = 'c'.repeat(64);

export const BPA_ALL_ON: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export const BPA_ALL_OFF: PublicAccessBlock = {
  BlockPublicAcls: false,
  IgnorePublicAcls: false,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: false,
};

export function bpa(overrides: PublicAccessBlock): PublicAccessBlock {
  return { ...BPA_ALL_OFF, ...overrides };
}

export const OWNER_ENFORCED = { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] };
export const OWNER_PREFERRED = { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] };

export function acl(...groupGrants: Array<[uri: string, permission: string]>): BucketAcl {
  return {
    Owner: { ID: OWNER_ID },
    Grants: [
      { Grantee: { Type: 'CanonicalUser', ID: OWNER_ID }, Permission: 'FULL_CONTROL' },
      ...groupGrants.map(([URI, Permission]) => ({ Grantee: { Type: 'Group', URI }, Permission })),
    ],
  };
}

export const PRIVATE_ACL = acl();

export function policy(...statements: Array<Record<string, unknown>>): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

export function publicReadStatement(name: string, sid = 'PublicRead'): Record<string, unknown> {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::${name}/*`,
  };
}

export function denyInsecureTransport(name: string): Record<string, unknown> {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

export function denied(operation: string): CollectorError {
  return { kind: 'access-denied', code: 'AccessDenied', message: 'Access Denied', operation };
}

/** A private, modern bucket: no policy, all four BPA flags on, ACLs disabled. */
export function bucket(name: string, overrides: Partial<S3BucketDetails> = {}): S3BucketDetails {
  return {
    Name: name,
    BucketRegion: 'eu-west-1',
    Policy: null,
    PublicAccessBlock: BPA_ALL_ON,
    OwnershipControls: OWNER_ENFORCED,
    ...overrides,
  };
}

/** A bucket from before April 2023: no bucket BPA, no OwnershipControls, a private ACL. */
export function legacyBucket(name: string, overrides: Partial<S3BucketDetails> = {}): S3BucketDetails {
  return bucket(name, { PublicAccessBlock: null, OwnershipControls: null, Acl: PRIVATE_ACL, ...overrides });
}

/**
 * The per-bucket collector answers that `buckets` stand for: a field's error becomes that
 * bucket's failed call, a present field its answer, an absent field a call not made.
 */
export function bucketFacets(buckets: readonly S3BucketDetails[]) {
  const facet = (field: 'Policy' | 'PolicyStatus' | 'PublicAccessBlock' | 'OwnershipControls' | 'Acl') => {
    const answers: Record<string, BucketFacet<never>> = {};
    for (const b of buckets) {
      const error = b.errors?.[field];
      if (error !== undefined) answers[b.Name] = { ok: false, error };
      else if (b[field] !== undefined) answers[b.Name] = { ok: true, value: b[field] as never };
    }
    return answers;
  };
  return {
    's3.bucketList': buckets.map((b) => ({
      Name: b.Name,
      ...(b.CreationDate !== undefined && { CreationDate: b.CreationDate }),
      ...(b.BucketRegion !== undefined && { BucketRegion: b.BucketRegion }),
    })),
    's3.bucketPolicies': facet('Policy'),
    's3.bucketPolicyStatus': facet('PolicyStatus'),
    's3.bucketPublicAccessBlock': facet('PublicAccessBlock'),
    's3.bucketOwnershipControls': facet('OwnershipControls'),
    's3.bucketAcls': facet('Acl'),
  };
}
