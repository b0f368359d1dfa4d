/**
 * FSBP EC2.1: no own EBS snapshot is restorable by everyone (`createVolumePermission` group
 * `all`, collected as `ec2.publicSnapshotIds`). Under snapshot Block Public Access
 * `block-all-sharing`, AWS treats such snapshots as private while their attribute still says
 * public: they pass, with evidence that the exposure is latent and returns if the block is lifted.
 * Public ids missing from the snapshot list (created between the two calls) are still reported.
 */
import type { Snapshot } from '../../core/aws-shapes.js';
import type { Check, CheckResult } from '../../core/types.js';
import { snapshotArn, tagRecord } from '../lib/arn.js';

const BLOCK_ALL_SHARING = 'block-all-sharing';

export const ebsSnapshotPublic = {
  id: 'ec2.ebs.snapshot-public',
  title: 'EBS snapshots are not publicly restorable',
  severity: 'critical',
  resourceType: 'AwsEc2Snapshot',
  scope: 'regional',
  needs: ['ec2.snapshots', 'ec2.publicSnapshotIds', 'ec2.snapshotBlockPublicAccess'],
  frameworks: {
    fsbp: ['EC2.1'],
    hipaa: ['164.308(a)(4)(ii)(B)', '164.312(a)(1)'],
    gdpr: ['Art.5(1)(f)', 'Art.32(1)(b)'],
    ferpa: ['99.30', '99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Remove the public createVolumePermission from the snapshot, and turn on snapshot Block Public Access (block-all-sharing) in the region.',
    console:
      'EC2 console > Elastic Block Store > Snapshots > select the snapshot > Actions > Snapshot settings > Modify permissions > Private',
    cli: 'aws ec2 modify-snapshot-attribute --snapshot-id <snapshot-id> --attribute createVolumePermission --operation-type remove --group-names all',
  },
  evaluate(input) {
    const publicIds = new Set(input.data['ec2.publicSnapshotIds']);
    const blockState = input.data['ec2.snapshotBlockPublicAccess'];
    const blocked = blockState === BLOCK_ALL_SHARING;
    const snapshots = input.data['ec2.snapshots'];
    const listed = new Set(snapshots.map((s) => s.SnapshotId));
    const unlisted = [...publicIds].filter((id) => !listed.has(id));
    const judged: Array<{ readonly id: string; readonly snapshot?: Snapshot }> = [
      ...snapshots.map((snapshot) => ({ id: snapshot.SnapshotId, snapshot })),
      ...unlisted.map((id) => ({ id })),
    ];
    return judged.map(({ id, snapshot }): CheckResult => {
      const isPublic = publicIds.has(id);
      const tags = tagRecord(snapshot?.Tags);
      const base = { resourceId: snapshotArn(input.target, id), ...(tags ? { tags } : {}) };
      const evidence = {
        snapshotId: id,
        restorableByAll: isPublic,
        snapshotBlockPublicAccess: blockState,
        encrypted: snapshot?.Encrypted ?? null,
      };
      if (!isPublic) {
        return { status: 'PASS', ...base, message: `EBS snapshot ${id} is not shared publicly.`, evidence };
      }
      if (blocked) {
        return {
          status: 'PASS',
          ...base,
          message: `EBS snapshot ${id} is marked public but snapshot Block Public Access (block-all-sharing) keeps it private; it becomes public again if the block is lifted.`,
          evidence: { ...evidence, latentExposure: true },
        };
      }
      return {
        status: 'FAIL',
        ...base,
        message: `EBS snapshot ${id} can be restored by any AWS account (snapshot Block Public Access is ${blockState}).`,
        evidence,
      };
    });
  },
} satisfies Check<'ec2.snapshots' | 'ec2.publicSnapshotIds' | 'ec2.snapshotBlockPublicAccess'>;
