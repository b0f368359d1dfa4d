import { describe, expect, it } from 'vitest';
import { ebsSnapshotPublic } from '../../../checks/ec2/ebs-snapshot-public.js';
import type { Snapshot } from '../../../core/aws-shapes.js';
import { AS_OF, asCheck, SETTINGS, TARGET } from './fixtures.js';

function snapshot(id: string, overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    SnapshotId: id,
    VolumeId: 'vol-1',
    OwnerId: '111122223333',
    Encrypted: false,
    State: 'completed',
    ...overrides,
  };
}

function evaluate(snapshots: Snapshot[], publicIds: string[], blockState: string) {
  return asCheck(ebsSnapshotPublic).evaluate(
    {
      target: TARGET,
      data: {
        'ec2.snapshots': snapshots,
        'ec2.publicSnapshotIds': publicIds,
        'ec2.snapshotBlockPublicAccess': blockState,
      },
    },
    SETTINGS,
    AS_OF,
  );
}

describe('ec2.ebs.snapshot-public', () => {
  it.each([
    { name: 'private snapshot', publicIds: [], state: 'unblocked', status: 'PASS', latent: undefined },
    {
      name: 'public snapshot, BPA unblocked',
      publicIds: ['snap-1'],
      state: 'unblocked',
      status: 'FAIL',
      latent: undefined,
    },
    {
      name: 'public snapshot, BPA block-new-sharing keeps it public',
      publicIds: ['snap-1'],
      state: 'block-new-sharing',
      status: 'FAIL',
      latent: undefined,
    },
    {
      name: 'public snapshot, BPA block-all-sharing: latent',
      publicIds: ['snap-1'],
      state: 'block-all-sharing',
      status: 'PASS',
      latent: true,
    },
    {
      name: 'private snapshot, BPA block-all-sharing',
      publicIds: [],
      state: 'block-all-sharing',
      status: 'PASS',
      latent: undefined,
    },
  ])('$name → $status', ({ publicIds, state, status, latent }) => {
    // Act
    const [result] = evaluate([snapshot('snap-1')], publicIds, state);

    // Assess
    expect(result?.status).toBe(status);
    expect(result?.evidence.latentExposure).toBe(latent);
    expect(result?.evidence.snapshotBlockPublicAccess).toBe(state);
    expect(result?.resourceId).toBe('arn:aws:ec2:eu-west-1::snapshot/snap-1');
  });

  it('says in the message when the exposure is latent', () => {
    expect(evaluate([snapshot('snap-1')], ['snap-1'], 'block-all-sharing')[0]?.message).toBe(
      'EBS snapshot snap-1 is marked public but snapshot Block Public Access (block-all-sharing) keeps it private; it becomes public again if the block is lifted.',
    );
    expect(evaluate([snapshot('snap-1')], ['snap-1'], 'unblocked')[0]?.message).toBe(
      'EBS snapshot snap-1 can be restored by any AWS account (snapshot Block Public Access is unblocked).',
    );
  });

  it('still reports a public snapshot missing from the snapshot list', () => {
    // Act
    const results = evaluate(
      [snapshot('snap-1', { Tags: [{ Key: 'team', Value: 'data' }] })],
      ['snap-2'],
      'unblocked',
    );

    // Assess
    expect(results.map((r) => [r.resourceId, r.status, r.tags])).toEqual([
      ['arn:aws:ec2:eu-west-1::snapshot/snap-1', 'PASS', { team: 'data' }],
      ['arn:aws:ec2:eu-west-1::snapshot/snap-2', 'FAIL', undefined],
    ]);
    expect(results[1]?.evidence.encrypted).toBeNull();
  });
});
