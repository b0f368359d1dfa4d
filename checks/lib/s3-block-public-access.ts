/**
 * Effective S3 Block Public Access [AWS-SEMANTICS §1.1, §1.2, §1.5, §1.6]: each flag is the OR
 * of the account and bucket settings; a missing configuration (`null`) is all four off. Of the
 * four, only IgnorePublicAcls and RestrictPublicBuckets neutralize grants that already exist;
 * BlockPublicAcls and BlockPublicPolicy only refuse new ones. Object Ownership
 * `BucketOwnerEnforced` disables ACLs; missing OwnershipControls mean ACLs are enabled.
 */
import type { OwnershipControls, PublicAccessBlock } from '../../core/aws-shapes.js';

export const BLOCK_PUBLIC_ACCESS_FLAGS = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
] as const;

export type BlockPublicAccessFlag = (typeof BLOCK_PUBLIC_ACCESS_FLAGS)[number];

export type BlockPublicAccessFlags = Readonly<Record<BlockPublicAccessFlag, boolean>>;

/** Where an effective flag comes from. */
export type FlagSource = 'account' | 'bucket' | 'account and bucket' | 'none';

export interface EffectiveBlockPublicAccess extends BlockPublicAccessFlags {
  /** Object Ownership is BucketOwnerEnforced: ACLs grant nothing. */
  readonly aclsDisabled: boolean;
  readonly sources: Readonly<Record<BlockPublicAccessFlag, FlagSource>>;
  /** The flags that are off, in AWS's order. */
  readonly missing: readonly BlockPublicAccessFlag[];
}

/** A configuration's four flags; `null` or `undefined` (none configured) is all four off. */
export function blockPublicAccessFlags(config: PublicAccessBlock | null | undefined): BlockPublicAccessFlags {
  return {
    BlockPublicAcls: config?.BlockPublicAcls === true,
    IgnorePublicAcls: config?.IgnorePublicAcls === true,
    BlockPublicPolicy: config?.BlockPublicPolicy === true,
    RestrictPublicBuckets: config?.RestrictPublicBuckets === true,
  };
}

/** The flags that are off, in AWS's order. */
export function missingFlags(flags: BlockPublicAccessFlags): BlockPublicAccessFlag[] {
  return BLOCK_PUBLIC_ACCESS_FLAGS.filter((flag) => !flags[flag]);
}

/** ACLs are disabled only by Object Ownership `BucketOwnerEnforced`. */
export function aclsDisabled(controls: OwnershipControls | null | undefined): boolean {
  return (controls?.Rules ?? []).some((rule) => rule.ObjectOwnership === 'BucketOwnerEnforced');
}

/** Per-flag OR of the account and bucket settings, plus whether ACLs are disabled. */
export function effectiveBlockPublicAccess(input: {
  readonly account: PublicAccessBlock | null | undefined;
  readonly bucket: PublicAccessBlock | null | undefined;
  readonly ownershipControls?: OwnershipControls | null;
}): EffectiveBlockPublicAccess {
  const account = blockPublicAccessFlags(input.account);
  const bucket = blockPublicAccessFlags(input.bucket);
  const source = (flag: BlockPublicAccessFlag): FlagSource =>
    account[flag] && bucket[flag]
      ? 'account and bucket'
      : account[flag]
        ? 'account'
        : bucket[flag]
          ? 'bucket'
          : 'none';
  const flags: BlockPublicAccessFlags = {
    BlockPublicAcls: account.BlockPublicAcls || bucket.BlockPublicAcls,
    IgnorePublicAcls: account.IgnorePublicAcls || bucket.IgnorePublicAcls,
    BlockPublicPolicy: account.BlockPublicPolicy || bucket.BlockPublicPolicy,
    RestrictPublicBuckets: account.RestrictPublicBuckets || bucket.RestrictPublicBuckets,
  };
  return {
    ...flags,
    aclsDisabled: aclsDisabled(input.ownershipControls),
    sources: {
      BlockPublicAcls: source('BlockPublicAcls'),
      IgnorePublicAcls: source('IgnorePublicAcls'),
      BlockPublicPolicy: source('BlockPublicPolicy'),
      RestrictPublicBuckets: source('RestrictPublicBuckets'),
    },
    missing: missingFlags(flags),
  };
}
