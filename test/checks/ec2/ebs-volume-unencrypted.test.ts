import { describe, expect, it } from 'vitest';
import { ebsVolumeUnencrypted } from '../../../checks/ec2/ebs-volume-unencrypted.js';
import type { Volume } from '../../../core/aws-shapes.js';
import { ACCOUNT_ID, AS_OF, asCheck, REGION, SETTINGS, TARGET } from './fixtures.js';

function volume(id: string, overrides: Partial<Volume> = {}): Volume {
  return { VolumeId: id, Encrypted: true, State: 'in-use', Size: 8, Attachments: [], ...overrides };
}

function evaluate(volumes: Volume[]) {
  return asCheck(ebsVolumeUnencrypted).evaluate(
    { target: TARGET, data: { 'ec2.volumes': volumes } },
    SETTINGS,
    AS_OF,
  );
}

const attachedTo = (instanceId: string, state = 'attached') => ({
  Attachments: [{ InstanceId: instanceId, State: state }],
});

describe('ec2.ebs.volume-unencrypted', () => {
  it.each([
    {
      name: 'encrypted, attached',
      volume: volume('vol-1', {
        KmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/abc',
        ...attachedTo('i-1'),
      }),
      status: 'PASS',
      message: 'EBS volume vol-1 (attached to i-1) is encrypted.',
      attached: true,
    },
    {
      name: 'unencrypted, attached',
      volume: volume('vol-1', { Encrypted: false, ...attachedTo('i-1') }),
      status: 'FAIL',
      message: 'EBS volume vol-1 (attached to i-1) is not encrypted.',
      attached: true,
    },
    {
      name: 'unencrypted, unattached (still a finding)',
      volume: volume('vol-1', { Encrypted: false, State: 'available' }),
      status: 'FAIL',
      message: 'EBS volume vol-1 (not attached) is not encrypted.',
      attached: false,
    },
    {
      name: 'unencrypted, attachment being detached',
      volume: volume('vol-1', { Encrypted: false, ...attachedTo('i-1', 'detached') }),
      status: 'FAIL',
      message: 'EBS volume vol-1 (not attached) is not encrypted.',
      attached: false,
    },
  ])('$name → $status', ({ volume: v, status, message, attached }) => {
    // Act
    const [result] = evaluate([v]);

    // Assess
    expect(result?.status).toBe(status);
    expect(result?.message).toBe(message);
    expect(result?.evidence.attached).toBe(attached);
    expect(result?.resourceId).toBe(`arn:aws:ec2:${REGION}:${ACCOUNT_ID}:volume/vol-1`);
  });

  it('emits one finding per volume with its tags and deciding fields', () => {
    // Act
    const results = evaluate([
      volume('vol-1', { Encrypted: false, Tags: [{ Key: 'Name', Value: 'db' }], ...attachedTo('i-9') }),
      volume('vol-2'),
    ]);

    // Assess
    expect(results).toHaveLength(2);
    expect(results[0]?.tags).toEqual({ Name: 'db' });
    expect(results[0]?.evidence).toEqual({
      volumeId: 'vol-1',
      encrypted: false,
      kmsKeyId: null,
      state: 'in-use',
      attached: true,
      attachedInstanceIds: ['i-9'],
    });
  });
});
