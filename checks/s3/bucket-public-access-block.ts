/**
 * Each bucket's effective S3 Block Public Access (account OR bucket, per flag) has all four
 * settings on [AWS-SEMANTICS §1.1, §1.6]. When the bucket's own setting could not be read the
 * verdict is still PASS if the account turns all four on (the bucket cannot lower them), and
 * ERROR otherwise.
 */
import type { PublicAccessBlock } from '../../core/aws-shapes.js';
import type { Check, CheckResult, S3BucketDetails } from '../../core/types.js';
import { bucketArn } from '../lib/arn.js';
import {
  blockPublicAccessFlags,
  effectiveBlockPublicAccess,
  missingFlags,
} from '../lib/s3-block-public-access.js';
import { bucketDetailsFromFacets, bucketField, unavailableField } from '../lib/s3-bucket-fields.js';

function evaluateBucket(bucket: S3BucketDetails, account: PublicAccessBlock | null): CheckResult {
  const resourceId = bucketArn(bucket.Name);
  const accountFlags = blockPublicAccessFlags(account);
  const read = bucketField(bucket, 'PublicAccessBlock');
  if (read.state !== 'value') {
    const unavailable = unavailableField('PublicAccessBlock', read);
    if (missingFlags(accountFlags).length === 0) {
      return {
        status: 'PASS',
        resourceId,
        message: `Bucket ${bucket.Name} has all four Block Public Access settings on through the account setting.`,
        evidence: {
          effective: accountFlags,
          account: accountFlags,
          bucket: 'unavailable',
          unavailable: [unavailable],
        },
      };
    }
    return {
      status: 'ERROR',
      resourceId,
      message: `Could not read the Block Public Access setting of bucket ${bucket.Name}: ${unavailable.reason}.`,
      evidence: { account: accountFlags, unavailable: [unavailable] },
    };
  }
  const effective = effectiveBlockPublicAccess({ account, bucket: read.value });
  const { BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets, sources, missing } =
    effective;
  const evidence = {
    effective: { BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets },
    sources,
    missing,
    account: accountFlags,
    bucket: read.value === null ? null : blockPublicAccessFlags(read.value),
  };
  if (missing.length === 0) {
    return {
      status: 'PASS',
      resourceId,
      message: `Bucket ${bucket.Name} has all four Block Public Access settings in effect.`,
      evidence,
    };
  }
  return {
    status: 'FAIL',
    resourceId,
    message: `Bucket ${bucket.Name} has Block Public Access ${missing.join(', ')} off at both account and bucket level; turn ${
      missing.length === 1 ? 'it' : 'them'
    } on.`,
    evidence,
  };
}

export const bucketPublicAccessBlockCheck = {
  id: 's3.bucket.public-access-block',
  title: 'S3 buckets have all four Block Public Access settings in effect',
  severity: 'medium',
  resourceType: 'AwsS3Bucket',
  scope: 'global',
  needs: ['s3.bucketList', 's3.bucketPublicAccessBlock', 's3.accountPublicAccessBlock'],
  frameworks: {
    'cis-aws-3.0': ['2.1.4'],
    'cis-aws-5.0': ['2.1.4'],
    fsbp: ['S3.8'],
    hipaa: ['164.312(a)(1)'],
    gdpr: ['Art.25(1)', 'Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text:
      'Turn on all four Block Public Access settings on the bucket, or on the account so that they apply to ' +
      'every bucket.',
    console:
      'Amazon S3 console > Buckets > <bucket> > Permissions > Block public access (bucket settings) > Edit',
    cli:
      'aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration ' +
      'BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
  },
  evaluate({ data }): CheckResult[] {
    const account = data['s3.accountPublicAccessBlock'];
    return bucketDetailsFromFacets({
      buckets: data['s3.bucketList'],
      publicAccessBlock: data['s3.bucketPublicAccessBlock'],
    }).map((bucket) => evaluateBucket(bucket, account));
  },
} satisfies Check<'s3.bucketList' | 's3.bucketPublicAccessBlock' | 's3.accountPublicAccessBlock'>;
