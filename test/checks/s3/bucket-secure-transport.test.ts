import { describe, expect, it } from 'vitest';
import { bucketSecureTransportCheck } from '../../../checks/s3/bucket-secure-transport.js';
import type { S3BucketDetails } from '../../../core/types.js';
import {
  bucket,
  bucketFacets,
  denied,
  denyInsecureTransport,
  policy,
  publicReadStatement,
  TARGET,
} from './fixtures.js';

function run(...buckets: S3BucketDetails[]) {
  return bucketSecureTransportCheck.evaluate({ target: TARGET, data: bucketFacets(buckets) });
}

describe('s3.bucket.secure-transport', () => {
  it('passes a bucket whose policy denies every request without TLS', () => {
    // Prepare
    const b = bucket('b', { Policy: policy(publicReadStatement('b'), denyInsecureTransport('b')) });

    // Act
    const results = run(b);

    // Assess
    expect(results).toEqual([
      {
        status: 'PASS',
        resourceId: 'arn:aws:s3:::b',
        message: 'Bucket b denies every request made without TLS (statement "DenyInsecureTransport").',
        evidence: { statement: { index: 1, sid: 'DenyInsecureTransport' } },
      },
    ]);
  });

  it('fails a bucket with no policy', () => {
    // Act
    const [result] = run(bucket('b', { Policy: null }));

    // Assess
    expect(result).toMatchObject({ status: 'FAIL', evidence: { policy: null } });
  });

  it('fails a policy with no Deny on aws:SecureTransport', () => {
    // Act
    const [result] = run(bucket('b', { Policy: policy(publicReadStatement('b')) }));

    // Assess
    expect(result).toMatchObject({ status: 'FAIL', evidence: { candidates: [] } });
  });

  it.each([
    ['missing object resource', { Resource: 'arn:aws:s3:::b' }, "the bucket's objects (arn:aws:s3:::b/*)"],
    [
      'narrower action',
      { Action: ['s3:GetObject', 's3:PutObject'] },
      'actions other than s3:GetObject, s3:PutObject',
    ],
  ])('fails a narrower Deny (%s), naming what it leaves open', (_name, override, gap) => {
    // Prepare
    const b = bucket('b', { Policy: policy({ ...denyInsecureTransport('b'), ...override }) });

    // Act
    const [result] = run(b);

    // Assess
    expect(result?.status).toBe('FAIL');
    expect(result?.message).toContain(`statement "DenyInsecureTransport" leaves open ${gap}`);
    expect(result?.evidence.candidates).toEqual([
      { index: 0, sid: 'DenyInsecureTransport', leavesOpen: [gap] },
    ]);
  });

  it.each([
    ['BoolIfExists', { BoolIfExists: { 'aws:SecureTransport': 'false' } }],
    ['boolean false', { Bool: { 'aws:SecureTransport': false } }],
    ['"false" in a list', { Bool: { 'aws:SecureTransport': ['false'] } }],
  ])('passes the %s form of the condition', (_name, condition) => {
    // Prepare
    const b = bucket('b', { Policy: policy({ ...denyInsecureTransport('b'), Condition: condition }) });

    // Act
    const [result] = run(b);

    // Assess
    expect(result?.status).toBe('PASS');
  });

  it('reports ERROR when the policy could not be read', () => {
    // Prepare
    const b = bucket('b', { Policy: undefined, errors: { Policy: denied('GetBucketPolicy') } });

    // Act
    const [result] = run(b);

    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.message).toBe(
      'Could not read the policy of bucket b: GetBucketPolicy failed (AccessDenied: Access Denied).',
    );
  });

  it('reports ERROR when the policy was not collected', () => {
    // Act
    const [result] = run(bucket('b', { Policy: undefined }));

    // Assess
    expect(result?.status).toBe('ERROR');
  });
});
