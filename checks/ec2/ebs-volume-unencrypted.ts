/**
 * FSBP EC2.3 (which covers attached volumes only): every EBS volume is encrypted. custos checks
 * attached and unattached volumes alike; the evidence says which, and to what instances.
 */
import type { Volume } from '../../core/aws-shapes.js';
import type { Check, CheckResult } from '../../core/types.js';
import { ec2Arn, tagRecord } from '../lib/arn.js';

/** Attachments that tie the volume to an instance (`attaching`, `attached`, `busy`, or no state). */
function attachedInstances(volume: Volume): string[] {
  return (volume.Attachments ?? [])
    .filter(
      (a) => a.State === undefined || a.State === 'attaching' || a.State === 'attached' || a.State === 'busy',
    )
    .flatMap((a) => (a.InstanceId ? [a.InstanceId] : []));
}

export const ebsVolumeUnencrypted = {
  id: 'ec2.ebs.volume-unencrypted',
  title: 'EBS volumes are encrypted',
  severity: 'high',
  resourceType: 'AwsEc2Volume',
  scope: 'regional',
  needs: ['ec2.volumes'],
  frameworks: {
    fsbp: ['EC2.3'],
    hipaa: ['164.312(a)(2)(iv)'],
    gdpr: ['Art.32(1)(a)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'A volume cannot be encrypted in place: snapshot it, copy the snapshot with encryption on, create a volume from the copy and swap it in; turn on EBS encryption by default so new volumes are encrypted.',
    console:
      'EC2 console > Elastic Block Store > Volumes > select the volume > Actions > Create snapshot; then Snapshots > Copy snapshot > Encrypt this snapshot',
    cli: 'aws ec2 create-snapshot --volume-id <volume-id> && aws ec2 copy-snapshot --source-region <region> --source-snapshot-id <snapshot-id> --encrypted --kms-key-id <key-id>',
  },
  evaluate(input) {
    return input.data['ec2.volumes'].map((volume): CheckResult => {
      const instances = attachedInstances(volume);
      const attached = instances.length > 0;
      const tags = tagRecord(volume.Tags);
      const evidence = {
        volumeId: volume.VolumeId,
        encrypted: volume.Encrypted,
        kmsKeyId: volume.KmsKeyId ?? null,
        state: volume.State ?? null,
        attached,
        attachedInstanceIds: instances,
      };
      const where = attached ? `attached to ${instances.join(', ')}` : 'not attached';
      return {
        status: volume.Encrypted ? 'PASS' : 'FAIL',
        resourceId: ec2Arn(input.target, 'volume', volume.VolumeId),
        ...(tags ? { tags } : {}),
        message: volume.Encrypted
          ? `EBS volume ${volume.VolumeId} (${where}) is encrypted.`
          : `EBS volume ${volume.VolumeId} (${where}) is not encrypted.`,
        evidence,
      };
    });
  },
} satisfies Check<'ec2.volumes'>;
