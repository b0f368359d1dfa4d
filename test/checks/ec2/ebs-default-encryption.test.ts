import { describe, expect, it } from 'vitest';
import { ebsDefaultEncryption } from '../../../checks/ec2/ebs-default-encryption.js';
import { AS_OF, asCheck, SETTINGS, TARGET } from './fixtures.js';

describe('ec2.ebs.default-encryption', () => {
  it.each([
    {
      enabled: true,
      status: 'PASS',
      message: 'EBS encryption by default is on in eu-west-1 for account 111122223333.',
    },
    {
      enabled: false,
      status: 'FAIL',
      message:
        'EBS encryption by default is off in eu-west-1 for account 111122223333, so new volumes can be created unencrypted.',
    },
  ])(
    'encryption by default $enabled → exactly one $status finding for the account and region',
    ({ enabled, status, message }) => {
      // Act
      const results = asCheck(ebsDefaultEncryption).evaluate(
        { target: TARGET, data: { 'ec2.ebsEncryptionByDefault': enabled } },
        SETTINGS,
        AS_OF,
      );

      // Assess
      expect(results).toEqual([
        {
          status,
          resourceId: 'arn:aws:ec2:eu-west-1:111122223333:ebs-default-encryption',
          message,
          evidence: { ebsEncryptionByDefault: enabled, region: 'eu-west-1' },
        },
      ]);
    },
  );
});
