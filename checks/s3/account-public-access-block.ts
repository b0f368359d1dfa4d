/** The account's S3 Block Public Access has all four settings on [AWS-SEMANTICS §1.1, §1.2]. */
import type { Check, CheckResult } from '../../core/types.js';
import { accountPublicAccessBlockId } from '../lib/arn.js';
import { blockPublicAccessFlags, missingFlags } from '../lib/s3-block-public-access.js';

export const accountPublicAccessBlockCheck = {
  id: 's3.account.public-access-block',
  title: 'The account has all four S3 Block Public Access settings on',
  severity: 'medium',
  resourceType: 'AwsS3AccountPublicAccessBlock',
  scope: 'global',
  needs: ['s3.accountPublicAccessBlock'],
  frameworks: {
    'cis-aws-3.0': ['2.1.4'],
    'cis-aws-5.0': ['2.1.4'],
    fsbp: ['S3.1'],
    hipaa: ['164.312(a)(1)'],
    gdpr: ['Art.25(1)', 'Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text:
      'Turn on all four Block Public Access settings for the account (BlockPublicAcls, IgnorePublicAcls, ' +
      'BlockPublicPolicy, RestrictPublicBuckets). If an Organizations S3 policy manages them, change it there.',
    console: 'Amazon S3 console > Block Public Access settings for this account > Edit',
    cli:
      'aws s3control put-public-access-block --account-id <account-id> --public-access-block-configuration ' +
      'BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
  },
  evaluate({ target, data }): CheckResult[] {
    const config = data['s3.accountPublicAccessBlock'];
    const flags = blockPublicAccessFlags(config);
    const missing = missingFlags(flags);
    const evidence = { configured: config !== null, ...flags, missing };
    const resourceId = accountPublicAccessBlockId(target.accountId);
    if (missing.length === 0) {
      return [
        {
          status: 'PASS',
          resourceId,
          message: `Account ${target.accountId} has all four S3 Block Public Access settings on.`,
          evidence,
        },
      ];
    }
    const message =
      config === null
        ? `Account ${target.accountId} has no S3 Block Public Access configuration; turn on all four settings.`
        : `Account ${target.accountId} leaves S3 Block Public Access ${missing.join(', ')} off; turn ${
            missing.length === 1 ? 'it' : 'them'
          } on.`;
    return [{ status: 'FAIL', resourceId, message, evidence }];
  },
} satisfies Check<'s3.accountPublicAccessBlock'>;
