import { describe, expect, it } from 'vitest';
import { rootAccessKeysCheck } from '../../../checks/iam/root-access-keys.js';
import type { CredentialReportRow } from '../../../core/aws-shapes.js';
import type { Check } from '../../../core/types.js';
import {
  AS_OF,
  accountSummary,
  credentialReport,
  GENERATED_TIME,
  ROOT_ARN,
  rootRow,
  SETTINGS,
  TARGET,
  userRow,
} from './fixtures.js';

const check: Check<'iam.credentialReport' | 'iam.accountSummary'> = rootAccessKeysCheck;

function evaluate(rows: CredentialReportRow[], summary: Record<string, number>) {
  return check.evaluate(
    {
      target: TARGET,
      data: { 'iam.credentialReport': credentialReport(...rows), 'iam.accountSummary': summary },
    },
    SETTINGS,
    AS_OF,
  );
}

const ACTIVE_KEY_1: CredentialReportRow = {
  access_key_1_active: 'true',
  access_key_1_last_rotated: '2024-01-01T00:00:00+00:00',
};

describe('iam.root.access-keys', () => {
  it.each([
    {
      name: 'no root key anywhere',
      rows: [rootRow()],
      summary: accountSummary(),
      status: 'PASS',
      message: 'The root user has no active access key.',
    },
    {
      name: 'access key 1 active (uppercase TRUE)',
      rows: [rootRow({ ...ACTIVE_KEY_1, access_key_1_active: 'TRUE' })],
      summary: accountSummary({ AccountAccessKeysPresent: 1 }),
      status: 'FAIL',
      message: 'The root user has an access key (access key 1 active in the credential report): delete it.',
    },
    {
      name: 'both keys active',
      rows: [rootRow({ ...ACTIVE_KEY_1, access_key_2_active: 'true' })],
      summary: accountSummary({ AccountAccessKeysPresent: 1 }),
      status: 'FAIL',
      message:
        'The root user has an access key (access key 1 and 2 active in the credential report): delete it.',
    },
    {
      name: 'a key the report does not show active (inactive, or newer than the report)',
      rows: [rootRow()],
      summary: accountSummary({ AccountAccessKeysPresent: 1 }),
      status: 'FAIL',
      message: 'The root user has an access key (GetAccountSummary AccountAccessKeysPresent = 1): delete it.',
    },
    {
      name: 'an active key in a report older than a summary that shows none',
      rows: [rootRow(ACTIVE_KEY_1)],
      summary: accountSummary({ AccountAccessKeysPresent: 0 }),
      status: 'FAIL',
      message: 'The root user has an access key (access key 1 active in the credential report): delete it.',
    },
    {
      name: 'summary without AccountAccessKeysPresent, report shows no key',
      rows: [rootRow()],
      summary: { AccountMFAEnabled: 1 },
      status: 'PASS',
      message: 'The root user has no active access key.',
    },
    {
      name: 'no root row, summary shows no key',
      rows: [userRow('alice')],
      summary: accountSummary(),
      status: 'PASS',
      message: 'The root user has no active access key.',
    },
    {
      name: 'centralized root access with root credentials deleted',
      rows: [rootRow({ mfa_active: 'false' })],
      summary: accountSummary({
        AccountPasswordPresent: 0,
        AccountMFAEnabled: 0,
        AccountAccessKeysPresent: 0,
      }),
      status: 'PASS',
      message: 'The root user has no active access key.',
    },
    {
      name: 'no root row and no AccountAccessKeysPresent',
      rows: [userRow('alice')],
      summary: {},
      status: 'ERROR',
      message:
        'Cannot tell whether the root user has an access key: GetAccountSummary has no AccountAccessKeysPresent and the credential report has no <root_account> row.',
    },
    {
      name: 'unreadable root key flag and no AccountAccessKeysPresent',
      rows: [rootRow({ access_key_2_active: 'maybe' })],
      summary: {},
      status: 'ERROR',
      message:
        'Cannot tell whether the root user has an access key: GetAccountSummary has no AccountAccessKeysPresent and the root row\'s access_key_2_active is "maybe".',
    },
  ])('$name → $status', ({ rows, summary, status, message }) => {
    // Act
    const results = evaluate(rows, summary);

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status, resourceId: ROOT_ARN, message });
  });

  it('emits one finding for the account however many users the report has, with the deciding fields', () => {
    // Prepare
    const rows = [userRow('alice'), rootRow(ACTIVE_KEY_1), userRow('bob', ACTIVE_KEY_1)];

    // Act
    const results = evaluate(rows, accountSummary({ AccountAccessKeysPresent: 1 }));

    // Assess
    expect(results).toEqual([
      {
        status: 'FAIL',
        resourceId: ROOT_ARN,
        message: 'The root user has an access key (access key 1 active in the credential report): delete it.',
        evidence: {
          AccountAccessKeysPresent: 1,
          access_key_1_active: 'true',
          access_key_2_active: 'false',
          credentialReportGeneratedTime: GENERATED_TIME,
        },
      },
    ]);
  });

  it('declares what it is', () => {
    // Assess
    expect(rootAccessKeysCheck).toMatchObject({
      severity: 'critical',
      resourceType: 'AwsAccount',
      scope: 'global',
      needs: ['iam.credentialReport', 'iam.accountSummary'],
      frameworks: { 'cis-aws-3.0': ['1.4'], 'cis-aws-5.0': ['1.3'], fsbp: ['IAM.4'] },
    });
  });
});
