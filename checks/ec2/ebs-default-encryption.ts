/**
 * CIS 2.2.1 (v3.0) / 5.1.1 (v5.0), FSBP EC2.7: EBS encryption by default is on in every enabled
 * region. One finding per account and region, PASS included.
 */
import type { Check } from '../../core/types.js';
import { regionSettingId } from '../lib/arn.js';

export const ebsDefaultEncryption = {
  id: 'ec2.ebs.default-encryption',
  title: 'EBS encryption by default is enabled',
  severity: 'medium',
  resourceType: 'AwsAccount',
  scope: 'regional',
  needs: ['ec2.ebsEncryptionByDefault'],
  frameworks: {
    'cis-aws-3.0': ['2.2.1'],
    'cis-aws-5.0': ['5.1.1'],
    fsbp: ['EC2.7'],
    hipaa: ['164.312(a)(2)(iv)'],
    gdpr: ['Art.25(1)', 'Art.32(1)(a)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Turn on EBS encryption by default in the region; it applies to new volumes and snapshot copies, not to existing ones.',
    console:
      'EC2 console > Dashboard > Account attributes > Data protection and security > EBS encryption > Manage > Enable',
    cli: 'aws ec2 enable-ebs-encryption-by-default --region <region>',
  },
  evaluate(input) {
    const enabled = input.data['ec2.ebsEncryptionByDefault'];
    const { accountId, region } = input.target;
    return [
      {
        status: enabled ? 'PASS' : 'FAIL',
        resourceId: regionSettingId(input.target, 'ec2', 'ebs-default-encryption'),
        message: enabled
          ? `EBS encryption by default is on in ${region} for account ${accountId}.`
          : `EBS encryption by default is off in ${region} for account ${accountId}, so new volumes can be created unencrypted.`,
        evidence: { ebsEncryptionByDefault: enabled, region },
      },
    ];
  },
} satisfies Check<'ec2.ebsEncryptionByDefault'>;
