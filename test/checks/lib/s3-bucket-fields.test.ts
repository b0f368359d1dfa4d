import { describe, expect, it } from 'vitest';
import {
  type BucketFacetAnswer,
  type BucketFacetAnswers,
  bucketDetailsFromFacets,
  bucketField,
  unavailableField,
} from '../../../checks/lib/s3-bucket-fields.js';
import type { PolicyDocument } from '../../../core/aws-shapes.js';
import type { CollectorError } from '../../../core/types.js';

const DENIED: CollectorError = {
  kind: 'access-denied',
  code: 'AccessDenied',
  message: 'Access Denied',
  operation: 'GetBucketPolicy',
};

describe('bucketField', () => {
  it.each([
    ['a value', { Name: 'b', Policy: { Statement: [] } }, { state: 'value', value: { Statement: [] } }],
    ['null (AWS answered none)', { Name: 'b', Policy: null }, { state: 'value', value: null }],
    ['not collected', { Name: 'b' }, { state: 'missing' }],
    [
      'a failed call, even beside a value',
      { Name: 'b', Policy: null, errors: { Policy: DENIED } },
      { state: 'error', error: DENIED },
    ],
  ])('reads %s', (_name, bucket, expected) => {
    expect(bucketField(bucket, 'Policy')).toEqual(expected);
  });

  it('explains why a field is unavailable', () => {
    expect(unavailableField('Policy', { state: 'error', error: DENIED }).reason).toBe(
      'GetBucketPolicy failed (AccessDenied: Access Denied)',
    );
    expect(unavailableField('Acl', { state: 'missing' }).reason).toBe('Acl was not collected');
  });
});

describe('bucketDetailsFromFacets', () => {
  it('assembles per-bucket details from facet answers', () => {
    // Prepare
    const buckets = [{ Name: 'a', BucketRegion: 'eu-west-1' }, { Name: 'constructor' }];

    const failed: BucketFacetAnswer<PolicyDocument> = { ok: false, error: DENIED };
    const policies: BucketFacetAnswers<PolicyDocument> = {
      a: { ok: true, value: null },
      constructor: failed,
    };

    // Act
    const details = bucketDetailsFromFacets({
      buckets,
      policies,
      ownershipControls: { a: { ok: true, value: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } } },
      acls: {},
    });

    // Assess
    expect(details).toEqual([
      {
        Name: 'a',
        BucketRegion: 'eu-west-1',
        Policy: null,
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      },
      { Name: 'constructor', errors: { Policy: DENIED } },
    ]);
  });
});
