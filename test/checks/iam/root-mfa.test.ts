import { describe, expect, it } from 'vitest';
import { rootMfaCheck } from '../../../checks/iam/root-mfa.js';
import type { CredentialReportRow } from '../../../core/aws-shapes.js';
import type { Check } from '../../../core/types.js';
import {
  ACCOUNT_ID,
  AS_OF,
  accountSummary,
  centralizedRoot,
  credentialReport,
  GENERATED_TIME,
  MANAGEMENT_ACCOUNT_ID,
  type OrganizationsFeatures,
  ROOT_ARN,
  rootRow,
  SETTINGS,
  TARGET,
  userRow,
} from './fixtures.js';

const check: Check<'iam.credentialReport' | 'iam.accountSummary' | 'iam.organizationsFeatures'> =
  rootMfaCheck;

function evaluate(
  rows: CredentialReportRow[],
  summary: Record<string, number>,
  features: OrganizationsFeatures = null,
) {
  return check.evaluate(
    {
      target: TARGET,
      data: {
        'iam.credentialReport': credentialReport(...rows),
        'iam.accountSummary': summary,
        'iam.organizationsFeatures': features,
      },
    },
    SETTINGS,
    AS_OF,
  );
}

const NO_ROOT_CREDENTIALS = { AccountPasswordPresent: 0, AccountAccessKeysPresent: 0, AccountMFAEnabled: 0 };
const ROOT_KEY: CredentialReportRow = {
  access_key_1_active: 'true',
  access_key_1_last_rotated: '2024-01-01T00:00:00+00:00',
};

describe('iam.root.mfa', () => {
  it.each([
    {
      name: 'password and MFA (report says not_supported for the password)',
      rows: [rootRow()],
      summary: accountSummary(),
      features: null,
      status: 'PASS',
      message: 'The root user has MFA enabled.',
    },
    {
      name: 'password and no MFA',
      rows: [rootRow({ mfa_active: 'false' })],
      summary: accountSummary({ AccountMFAEnabled: 0 }),
      features: null,
      status: 'FAIL',
      message: 'The root user has a password or access key and no MFA.',
    },
    {
      name: 'access key only and no MFA',
      rows: [rootRow({ ...ROOT_KEY, mfa_active: 'false' })],
      summary: accountSummary({
        AccountPasswordPresent: 0,
        AccountAccessKeysPresent: 1,
        AccountMFAEnabled: 0,
      }),
      features: null,
      status: 'FAIL',
      message: 'The root user has a password or access key and no MFA.',
    },
    {
      name: 'no credentials at all, not in an organization',
      rows: [rootRow({ mfa_active: 'false' })],
      summary: accountSummary(NO_ROOT_CREDENTIALS),
      features: null,
      status: 'PASS',
      message: 'The root user has no password and no access keys, so it cannot sign in.',
    },
    {
      name: 'centralized root access with the credentials removed',
      rows: [rootRow({ mfa_active: 'false' })],
      summary: accountSummary(NO_ROOT_CREDENTIALS),
      features: centralizedRoot(),
      status: 'PASS',
      message:
        'The root user has no password and no access keys: root credentials are centrally managed by the organization and absent in this account.',
    },
    {
      name: 'centralized root access but the root password still present',
      rows: [rootRow({ mfa_active: 'false' })],
      summary: accountSummary({ AccountMFAEnabled: 0 }),
      features: centralizedRoot(),
      status: 'FAIL',
      message:
        'The root user has a password or access key and no MFA. Centralized root access is enabled, but this account still has root credentials.',
    },
    {
      name: 'management account with root MFA',
      rows: [rootRow()],
      summary: accountSummary(),
      features: centralizedRoot(ACCOUNT_ID),
      status: 'PASS',
      message: 'The root user has MFA enabled.',
    },
    {
      name: 'management account: its own root is never centrally managed, a password without MFA fails',
      rows: [rootRow({ mfa_active: 'false' })],
      summary: accountSummary({ AccountMFAEnabled: 0 }),
      features: centralizedRoot(ACCOUNT_ID),
      status: 'FAIL',
      message:
        "The root user has a password or access key and no MFA. Centralized root access does not cover the organization's management account, so its root must be protected here.",
    },
    {
      name: 'management account without root credentials: not described as centrally managed',
      rows: [rootRow({ mfa_active: 'false' })],
      summary: accountSummary(NO_ROOT_CREDENTIALS),
      features: centralizedRoot(ACCOUNT_ID),
      status: 'PASS',
      message: 'The root user has no password and no access keys, so it cannot sign in.',
    },
    {
      name: 'only RootSessions enabled: credentials present are evaluated normally',
      rows: [rootRow({ mfa_active: 'false' })],
      summary: accountSummary({ AccountMFAEnabled: 0 }),
      features: centralizedRoot(MANAGEMENT_ACCOUNT_ID, ['RootSessions']),
      status: 'FAIL',
      message: 'The root user has a password or access key and no MFA.',
    },
    {
      name: 'no AccountPasswordPresent, MFA on',
      rows: [rootRow()],
      summary: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 },
      features: null,
      status: 'PASS',
      message: 'The root user has MFA enabled.',
    },
    {
      name: 'no AccountPasswordPresent, active root key and no MFA',
      rows: [rootRow({ ...ROOT_KEY, mfa_active: 'false' })],
      summary: { AccountMFAEnabled: 0 },
      features: null,
      status: 'FAIL',
      message: 'The root user has a password or access key and no MFA.',
    },
    {
      name: 'no AccountPasswordPresent, a root row that says password_enabled TRUE, no MFA',
      rows: [rootRow({ password_enabled: 'TRUE', mfa_active: 'false' })],
      summary: { AccountMFAEnabled: 0, AccountAccessKeysPresent: 0 },
      features: null,
      status: 'FAIL',
      message: 'The root user has a password or access key and no MFA.',
    },
    {
      name: 'no AccountMFAEnabled: the root row mfa_active decides',
      rows: [rootRow({ mfa_active: 'TRUE' })],
      summary: { AccountPasswordPresent: 1, AccountAccessKeysPresent: 0 },
      features: null,
      status: 'PASS',
      message: 'The root user has MFA enabled.',
    },
  ])('$name → $status', ({ rows, summary, features, status, message }) => {
    // Act
    const results = evaluate([...rows, userRow('alice', { password_enabled: 'true' })], summary, features);

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status, resourceId: ROOT_ARN, message });
  });

  it('reports ERROR, never PASS, when the password cannot be known and there is no MFA', () => {
    // Prepare: password_enabled is not_supported for root and the summary lacks AccountPasswordPresent
    const summary = { AccountMFAEnabled: 0, AccountAccessKeysPresent: 0 };

    // Act
    const [result] = evaluate([rootRow({ mfa_active: 'false' })], summary);

    // Assess
    expect(result).toMatchObject({
      status: 'ERROR',
      message:
        'Cannot tell whether the root user needs and has MFA: GetAccountSummary has no AccountPasswordPresent and the root row\'s password_enabled is "not_supported".',
    });
  });

  it('records the deciding fields and the report time', () => {
    // Act
    const [result] = evaluate(
      [rootRow({ mfa_active: 'false' })],
      accountSummary(NO_ROOT_CREDENTIALS),
      centralizedRoot(),
    );

    // Assess
    expect(result?.evidence).toEqual({
      AccountPasswordPresent: 0,
      password_enabled: 'not_supported',
      AccountAccessKeysPresent: 0,
      access_key_1_active: 'false',
      access_key_2_active: 'false',
      AccountMFAEnabled: 0,
      mfa_active: 'false',
      centralizedRootAccess: true,
      organizationsFeatures: ['RootCredentialsManagement', 'RootSessions'],
      organizationManagementAccountId: MANAGEMENT_ACCOUNT_ID,
      credentialReportGeneratedTime: GENERATED_TIME,
    });
  });
});
