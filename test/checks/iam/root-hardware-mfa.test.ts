import { describe, expect, it } from 'vitest';
import { rootHardwareMfaCheck } from '../../../checks/iam/root-hardware-mfa.js';
import type { CredentialReportRow, VirtualMfaDevice } from '../../../core/aws-shapes.js';
import type { Check } from '../../../core/types.js';
import {
  ACCOUNT_ID,
  AS_OF,
  accountSummary,
  centralizedRoot,
  credentialReport,
  GENERATED_TIME,
  type OrganizationsFeatures,
  ROOT_ARN,
  rootRow,
  SETTINGS,
  TARGET,
  userArn,
  virtualMfaDevice,
} from './fixtures.js';

const check: Check<
  'iam.credentialReport' | 'iam.accountSummary' | 'iam.virtualMfaDevices' | 'iam.organizationsFeatures'
> = rootHardwareMfaCheck;

function evaluate(
  devices: VirtualMfaDevice[],
  summary: Record<string, number>,
  options: { rows?: CredentialReportRow[]; features?: OrganizationsFeatures } = {},
) {
  return check.evaluate(
    {
      target: TARGET,
      data: {
        'iam.credentialReport': credentialReport(...(options.rows ?? [rootRow()])),
        'iam.accountSummary': summary,
        'iam.virtualMfaDevices': devices,
        'iam.organizationsFeatures': options.features ?? null,
      },
    },
    SETTINGS,
    AS_OF,
  );
}

const NO_ROOT_CREDENTIALS = { AccountPasswordPresent: 0, AccountAccessKeysPresent: 0, AccountMFAEnabled: 0 };

describe('iam.root.hardware-mfa', () => {
  it.each([
    {
      name: 'MFA on and no virtual device: hardware or FIDO',
      devices: [],
      summary: accountSummary(),
      features: null,
      status: 'PASS',
    },
    {
      name: 'virtual device with the classic serial root-account-mfa-device',
      devices: [virtualMfaDevice('root-account-mfa-device', ROOT_ARN)],
      summary: accountSummary(),
      features: null,
      status: 'FAIL',
    },
    {
      name: 'virtual device with a custom name assigned to root',
      devices: [virtualMfaDevice('my-phone', ROOT_ARN)],
      summary: accountSummary(),
      features: null,
      status: 'FAIL',
    },
    {
      name: 'hardware MFA plus a virtual device',
      devices: [virtualMfaDevice('backup-app', ROOT_ARN)],
      summary: accountSummary({ MFADevicesInUse: 2 }),
      features: null,
      status: 'FAIL',
    },
    {
      name: 'virtual devices of IAM users only',
      devices: [virtualMfaDevice('alice', userArn('alice'))],
      summary: accountSummary(),
      features: null,
      status: 'PASS',
    },
    {
      name: 'an unassigned device named root-account-mfa-device',
      devices: [virtualMfaDevice('root-account-mfa-device')],
      summary: accountSummary(),
      features: null,
      status: 'PASS',
    },
    {
      name: 'password and no MFA',
      devices: [],
      summary: accountSummary({ AccountMFAEnabled: 0 }),
      features: null,
      status: 'FAIL',
    },
    {
      name: 'no root credentials, not in an organization',
      devices: [],
      summary: accountSummary(NO_ROOT_CREDENTIALS),
      features: null,
      status: 'PASS',
    },
    {
      name: 'centralized root access with the credentials removed',
      devices: [],
      summary: accountSummary(NO_ROOT_CREDENTIALS),
      features: centralizedRoot(),
      status: 'PASS',
    },
    {
      name: 'centralized root access but credentials and a virtual device present',
      devices: [virtualMfaDevice('phone', ROOT_ARN)],
      summary: accountSummary(),
      features: centralizedRoot(),
      status: 'FAIL',
    },
    {
      name: 'management account with hardware MFA',
      devices: [virtualMfaDevice('alice', userArn('alice'))],
      summary: accountSummary(),
      features: centralizedRoot(ACCOUNT_ID),
      status: 'PASS',
    },
    {
      name: 'management account with a virtual device',
      devices: [virtualMfaDevice('phone', ROOT_ARN)],
      summary: accountSummary(),
      features: centralizedRoot(ACCOUNT_ID),
      status: 'FAIL',
    },
  ])('$name → $status', ({ devices, summary, features, status }) => {
    // Act
    const results = evaluate(devices, summary, { features });

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status, resourceId: ROOT_ARN });
  });

  it('names the root virtual device whatever its serial, with the deciding fields', () => {
    // Prepare
    const devices = [virtualMfaDevice('alice', userArn('alice')), virtualMfaDevice('Pixel 8', ROOT_ARN)];

    // Act
    const [result] = evaluate(devices, accountSummary({ MFADevicesInUse: 2 }));

    // Assess
    expect(result).toEqual({
      status: 'FAIL',
      resourceId: ROOT_ARN,
      message: `The root user has a virtual MFA device (arn:aws:iam::${ACCOUNT_ID}:mfa/Pixel 8): replace it with a hardware device.`,
      evidence: {
        AccountPasswordPresent: 1,
        password_enabled: 'not_supported',
        AccountAccessKeysPresent: 0,
        access_key_1_active: 'false',
        access_key_2_active: 'false',
        AccountMFAEnabled: 1,
        mfa_active: 'true',
        rootVirtualMfaDevices: [`arn:aws:iam::${ACCOUNT_ID}:mfa/Pixel 8`],
        centralizedRootAccess: false,
        organizationsFeatures: null,
        organizationManagementAccountId: null,
        credentialReportGeneratedTime: GENERATED_TIME,
      },
    });
  });

  it('passes without credentials even when a virtual device lingers, saying they are centrally managed', () => {
    // Act
    const [result] = evaluate([virtualMfaDevice('old', ROOT_ARN)], accountSummary(NO_ROOT_CREDENTIALS), {
      features: centralizedRoot(),
    });

    // Assess
    expect(result).toMatchObject({
      status: 'PASS',
      message:
        'The root user has no password and no access keys: root credentials are centrally managed by the organization and absent in this account.',
    });
  });

  it('passes hardware MFA even when the password cannot be known', () => {
    // Act
    const [result] = evaluate([], { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 });

    // Assess
    expect(result?.status).toBe('PASS');
  });

  it.each<{
    name: string;
    devices: VirtualMfaDevice[];
    summary: Record<string, number>;
    rows: CredentialReportRow[];
  }>([
    {
      name: 'credentials unknown and a virtual device',
      devices: [virtualMfaDevice('phone', ROOT_ARN)],
      summary: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 },
      rows: [rootRow()],
    },
    {
      name: 'MFA unknown (no AccountMFAEnabled, unreadable mfa_active)',
      devices: [],
      summary: { AccountPasswordPresent: 1, AccountAccessKeysPresent: 0 },
      rows: [rootRow({ mfa_active: '?' })],
    },
  ])('reports ERROR, never PASS: $name', ({ devices, summary, rows }) => {
    // Act
    const [result] = evaluate(devices, summary, { rows });

    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.message).toMatch(
      /^Cannot tell whether the root user needs and has hardware MFA: GetAccountSummary has no/,
    );
  });
});
