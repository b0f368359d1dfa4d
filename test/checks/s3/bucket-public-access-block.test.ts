import { describe, expect, it } from 'vitest';
import { bucketPublicAccessBlockCheck } from '../../../checks/s3/bucket-public-access-block.js';
import type { PublicAccessBlock } from '../../../core/aws-shapes.js';
import type { S3BucketDetails } from '../../../core/types.js';
import { BPA_ALL_ON, bpa, bucket, bucketFacets, denied, TARGET } from './fixtures.js';

function run(buckets: S3BucketDetails[], account: PublicAccessBlock | null = null) {
  return bucketPublicAccessBlockCheck.evaluate({
    target: TARGET,
    data: { ...bucketFacets(buckets), 's3.accountPublicAccessBlock': account },
  });
}

describe('s3.bucket.public-access-block', () => {
  it('emits one finding per bucket, keyed by the bucket ARN', () => {
    // Act
    const results = run([bucket('one'), bucket('two', { PublicAccessBlock: null })]);

    // Assess
    expect(results.map((r) => [r.resourceId, r.status])).toEqual([
      ['arn:aws:s3:::one', 'PASS'],
      ['arn:aws:s3:::two', 'FAIL'],
    ]);
  });

  it.each([
    ['all four on the bucket', BPA_ALL_ON, null, 'PASS', []],
    ['all four on the account, none on the bucket', null, BPA_ALL_ON, 'PASS', []],
    [
      'split between account and bucket',
      bpa({ BlockPublicAcls: true, IgnorePublicAcls: true }),
      bpa({ BlockPublicPolicy: true, RestrictPublicBuckets: true }),
      'PASS',
      [],
    ],
    [
      'none anywhere',
      null,
      null,
      'FAIL',
      ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'],
    ],
    [
      'RestrictPublicBuckets off at both levels',
      { ...BPA_ALL_ON, RestrictPublicBuckets: false },
      bpa({}),
      'FAIL',
      ['RestrictPublicBuckets'],
    ],
  ])('%s → %s', (_name, bucketConfig, accountConfig, status, missing) => {
    // Act
    const [result] = run([bucket('b', { PublicAccessBlock: bucketConfig })], accountConfig);

    // Assess
    expect(result?.status).toBe(status);
    expect(result?.evidence.missing).toEqual(missing);
  });

  it('records where each effective flag comes from', () => {
    // Act
    const [result] = run(
      [bucket('b', { PublicAccessBlock: bpa({ IgnorePublicAcls: true }) })],
      bpa({ BlockPublicAcls: true }),
    );

    // Assess
    expect(result?.evidence.sources).toEqual({
      BlockPublicAcls: 'account',
      IgnorePublicAcls: 'bucket',
      BlockPublicPolicy: 'none',
      RestrictPublicBuckets: 'none',
    });
  });

  it('reports ERROR, never PASS, when the bucket setting could not be read and the account does not cover it', () => {
    // Prepare
    const unreadable = bucket('b', {
      PublicAccessBlock: undefined,
      errors: { PublicAccessBlock: denied('GetPublicAccessBlock') },
    });

    // Act
    const [result] = run([unreadable], bpa({ BlockPublicAcls: true }));

    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.message).toContain('GetPublicAccessBlock failed (AccessDenied');
  });

  it('passes an unreadable bucket setting when the account turns all four on', () => {
    // Prepare
    const unreadable = bucket('b', {
      PublicAccessBlock: undefined,
      errors: { PublicAccessBlock: denied('GetPublicAccessBlock') },
    });

    // Act
    const [result] = run([unreadable], BPA_ALL_ON);

    // Assess
    expect(result?.status).toBe('PASS');
    expect(result?.evidence.bucket).toBe('unavailable');
  });

  it('reports ERROR when the bucket setting was not collected', () => {
    // Act
    const [result] = run([bucket('b', { PublicAccessBlock: undefined })]);

    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.message).toContain('PublicAccessBlock was not collected');
  });
});
