/** Every own EBS snapshot is encrypted. */
import type { Check, CheckResult } from '../../core/types.js';
import { snapshotArn, tagRecord } from '../lib/arn.js';

export const ebsSnapshotUnencrypted = {
  id: 'ec2.ebs.snapshot-unencrypted',
  title: 'EBS snapshots are encrypted',
  severity: 'medium',
  resourceType: 'AwsEc2Snapshot',
  scope: 'regional',
  needs: ['ec2.snapshots'],
  frameworks: {
    hipaa: ['164.312(a)(2)(iv)'],
    gdpr: ['Art.32(1)(a)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Copy the snapshot with encryption on and delete the unencrypted original; turn on EBS encryption by default so future copies are encrypted.',
    console:
      'EC2 console > Elastic Block Store > Snapshots > select the snapshot > Actions > Copy snapshot > Encrypt this snapshot',
    cli: 'aws ec2 copy-snapshot --source-region <region> --source-snapshot-id <snapshot-id> --encrypted --kms-key-id <key-id>',
  },
  evaluate(input) {
    return input.data['ec2.snapshots'].map((snapshot): CheckResult => {
      const tags = tagRecord(snapshot.Tags);
      return {
        status: snapshot.Encrypted ? 'PASS' : 'FAIL',
        resourceId: snapshotArn(input.target, snapshot.SnapshotId),
        ...(tags ? { tags } : {}),
        message: snapshot.Encrypted
          ? `EBS snapshot ${snapshot.SnapshotId} is encrypted.`
          : `EBS snapshot ${snapshot.SnapshotId} is not encrypted.`,
        evidence: {
          snapshotId: snapshot.SnapshotId,
          encrypted: snapshot.Encrypted,
          kmsKeyId: snapshot.KmsKeyId ?? null,
          volumeId: snapshot.VolumeId ?? null,
          state: snapshot.State ?? null,
        },
      };
    });
  },
} satisfies Check<'ec2.snapshots'>;
