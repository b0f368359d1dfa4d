import { describe, expect, it } from 'vitest';
import { ebsSnapshotUnencrypted } from '../../../checks/ec2/ebs-snapshot-unencrypted.js';
import type { Snapshot } from '../../../core/aws-shapes.js';
import { AS_OF, asCheck, SETTINGS, TARGET } from './fixtures.js';

function evaluate(snapshots: Snapshot[]) {
  return asCheck(ebsSnapshotUnencrypted).evaluate(
    { target: TARGET, data: { 'ec2.snapshots': snapshots } },
    SETTINGS,
    AS_OF,
  );
}

describe('ec2.ebs.snapshot-unencrypted', () => {
  it.each([
    { encrypted: true, status: 'PASS', message: 'EBS snapshot snap-1 is encrypted.' },
    { encrypted: false, status: 'FAIL', message: 'EBS snapshot snap-1 is not encrypted.' },
  ])('Encrypted $encrypted → $status', ({ encrypted, status, message }) => {
    // Act
    const [result] = evaluate([
      { SnapshotId: 'snap-1', Encrypted: encrypted, VolumeId: 'vol-1', Tags: [{ Key: 'k', Value: 'v' }] },
    ]);

    // Assess
    expect(result).toEqual({
      status,
      resourceId: 'arn:aws:ec2:eu-west-1::snapshot/snap-1',
      tags: { k: 'v' },
      message,
      evidence: { snapshotId: 'snap-1', encrypted, kmsKeyId: null, volumeId: 'vol-1', state: null },
    });
  });

  it('emits one finding per snapshot and nothing for none', () => {
    expect(evaluate([])).toEqual([]);
    expect(
      evaluate([
        { SnapshotId: 'snap-1', Encrypted: true },
        { SnapshotId: 'snap-2', Encrypted: false },
      ]).map((r) => r.status),
    ).toEqual(['PASS', 'FAIL']);
  });
});
