/**
 * Each bucket's policy refuses every request made without TLS: one Deny for everyone, on all S3
 * actions, on the bucket and its objects, when `aws:SecureTransport` is false (see
 * checks/lib/s3-secure-transport.ts for the exact rule). No policy is FAIL.
 */
import type { Check, CheckResult, S3BucketDetails } from '../../core/types.js';
import { bucketArn } from '../lib/arn.js';
import { bucketDetailsFromFacets, bucketField, unavailableField } from '../lib/s3-bucket-fields.js';
import { statementLabel } from '../lib/s3-policy.js';
import { analyzeSecureTransport } from '../lib/s3-secure-transport.js';

function evaluateBucket(bucket: S3BucketDetails): CheckResult {
  const resourceId = bucketArn(bucket.Name);
  const read = bucketField(bucket, 'Policy');
  if (read.state !== 'value') {
    const unavailable = unavailableField('Policy', read);
    return {
      status: 'ERROR',
      resourceId,
      message: `Could not read the policy of bucket ${bucket.Name}: ${unavailable.reason}.`,
      evidence: { unavailable: [unavailable] },
    };
  }
  if (read.value === null) {
    return {
      status: 'FAIL',
      resourceId,
      message: `Bucket ${bucket.Name} has no bucket policy, so nothing denies requests made without TLS.`,
      evidence: { policy: null },
    };
  }
  const analysis = analyzeSecureTransport(read.value, bucket.Name);
  if (analysis.enforced && analysis.statement !== undefined) {
    return {
      status: 'PASS',
      resourceId,
      message: `Bucket ${bucket.Name} denies every request made without TLS (${statementLabel(analysis.statement)}).`,
      evidence: { statement: analysis.statement },
    };
  }
  if (analysis.candidates.length === 0) {
    return {
      status: 'FAIL',
      resourceId,
      message: `Bucket ${bucket.Name}'s policy has no Deny statement for requests where aws:SecureTransport is false.`,
      evidence: { candidates: [] },
    };
  }
  const gaps = analysis.candidates
    .map((c) => `${statementLabel(c)} leaves open ${c.leavesOpen.join('; ')}`)
    .join('. ');
  return {
    status: 'FAIL',
    resourceId,
    message: `Bucket ${bucket.Name}'s policy does not deny every request made without TLS: ${gaps}.`,
    evidence: { candidates: analysis.candidates },
  };
}

export const bucketSecureTransportCheck = {
  id: 's3.bucket.secure-transport',
  title: 'S3 bucket policies deny every request made without TLS',
  severity: 'medium',
  resourceType: 'AwsS3Bucket',
  scope: 'global',
  needs: ['s3.bucketList', 's3.bucketPolicies'],
  frameworks: {
    'cis-aws-3.0': ['2.1.1'],
    'cis-aws-5.0': ['2.1.1'],
    fsbp: ['S3.5'],
    hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'],
    gdpr: ['Art.32(1)(a)', 'Art.5(1)(f)'],
  },
  remediation: {
    text:
      'Add to the bucket policy a statement that denies s3:* to Principal "*" on the bucket and its objects ' +
      'when aws:SecureTransport is false, keeping the existing statements.',
    console: 'Amazon S3 console > Buckets > <bucket> > Permissions > Bucket policy > Edit',
    cli:
      'aws s3api put-bucket-policy --bucket <bucket> --policy file://policy.json   # policy.json: the existing ' +
      'statements plus {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*",' +
      '"Resource":["arn:aws:s3:::<bucket>","arn:aws:s3:::<bucket>/*"],' +
      '"Condition":{"Bool":{"aws:SecureTransport":"false"}}}',
  },
  evaluate({ data }): CheckResult[] {
    return bucketDetailsFromFacets({
      buckets: data['s3.bucketList'],
      policies: data['s3.bucketPolicies'],
    }).map(evaluateBucket);
  },
} satisfies Check<'s3.bucketList' | 's3.bucketPolicies'>;
