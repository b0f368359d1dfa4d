import { describe, expect, it } from 'vitest';
import { accountPublicAccessBlockCheck } from '../../../checks/s3/account-public-access-block.js';
import type { PublicAccessBlock } from '../../../core/aws-shapes.js';
import { ACCOUNT_ID, BPA_ALL_ON, bpa, TARGET } from './fixtures.js';

const RESOURCE_ID = `arn:aws:s3::${ACCOUNT_ID}:account-public-access-block`;

function run(config: PublicAccessBlock | null) {
  return accountPublicAccessBlockCheck.evaluate({
    target: TARGET,
    data: { 's3.accountPublicAccessBlock': config },
  });
}

describe('s3.account.public-access-block', () => {
  it('passes when all four settings are on', () => {
    // Act
    const results = run(BPA_ALL_ON);

    // Assess
    expect(results).toEqual([
      {
        status: 'PASS',
        resourceId: RESOURCE_ID,
        message: expect.stringContaining('all four'),
        evidence: { configured: true, ...BPA_ALL_ON, missing: [] },
      },
    ]);
  });

  it('fails when no configuration exists', () => {
    // Act
    const results = run(null);

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      status: 'FAIL',
      resourceId: RESOURCE_ID,
      evidence: {
        configured: false,
        missing: ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'],
      },
    });
  });

  it.each([
    [
      'BlockPublicPolicy alone',
      bpa({ BlockPublicPolicy: true }),
      ['BlockPublicAcls', 'IgnorePublicAcls', 'RestrictPublicBuckets'],
    ],
    [
      'all but RestrictPublicBuckets',
      { ...BPA_ALL_ON, RestrictPublicBuckets: false },
      ['RestrictPublicBuckets'],
    ],
    [
      'a flag left unset',
      { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true },
      ['RestrictPublicBuckets'],
    ],
  ])('fails with %s, naming the missing flags', (_name, config, missing) => {
    // Act
    const [result] = run(config);

    // Assess
    expect(result?.status).toBe('FAIL');
    expect(result?.evidence.missing).toEqual(missing);
    expect(result?.message).toContain(missing.join(', '));
  });
});
