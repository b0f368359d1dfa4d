import { describe, expect, it } from 'vitest';
import {
  aclsDisabled,
  blockPublicAccessFlags,
  effectiveBlockPublicAccess,
} from '../../../checks/lib/s3-block-public-access.js';

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

describe('effectiveBlockPublicAccess', () => {
  it('ORs account and bucket per flag', () => {
    // Prepare
    const account = { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true };
    const bucket = { IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: false };

    // Act
    const effective = effectiveBlockPublicAccess({ account, bucket });

    // Assess
    expect(effective).toMatchObject({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
      aclsDisabled: false,
      missing: ['RestrictPublicBuckets'],
      sources: {
        BlockPublicAcls: 'account',
        IgnorePublicAcls: 'bucket',
        BlockPublicPolicy: 'account and bucket',
        RestrictPublicBuckets: 'none',
      },
    });
  });

  it.each([
    ['neither configured', null, null, ALL_OFF],
    ['only the account', ALL_ON, null, ALL_ON],
    ['only the bucket', null, ALL_ON, ALL_ON],
    ['the bucket not collected', ALL_OFF, undefined, ALL_OFF],
  ])('%s', (_name, account, bucket, expected) => {
    // Act
    const effective = effectiveBlockPublicAccess({ account, bucket });

    // Assess
    expect(effective).toMatchObject(expected);
  });
});

describe('aclsDisabled', () => {
  it.each([
    ['BucketOwnerEnforced', { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] }, true],
    ['BucketOwnerPreferred', { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] }, false],
    ['ObjectWriter', { Rules: [{ ObjectOwnership: 'ObjectWriter' }] }, false],
    ['no OwnershipControls (legacy: ACLs enabled)', null, false],
    ['no rules', { Rules: [] }, false],
  ])('%s → %s', (_name, controls, expected) => {
    expect(aclsDisabled(controls)).toBe(expected);
  });
});

describe('blockPublicAccessFlags', () => {
  it('reads absent flags as off', () => {
    expect(blockPublicAccessFlags({ BlockPublicAcls: true })).toEqual({ ...ALL_OFF, BlockPublicAcls: true });
  });
});
