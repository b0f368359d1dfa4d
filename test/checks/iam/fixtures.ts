/**
 * Plain fixtures for the IAM checks: credential-report rows as the collector hands them over
 * (CSV values as text), account summaries, and the settings and instant a scan uses.
 */
import type { CredentialReportRow, VirtualMfaDevice } from '../../../core/aws-shapes.js';
import type { CheckSettings, CredentialReport, Target } from '../../../core/types.js';

export const ACCOUNT_ID = '111122223333';
export const ROOT_ARN = `arn:aws:iam::${ACCOUNT_ID}:root`;
export const TARGET: Target = { accountId: ACCOUNT_ID, region: 'global' };
export const AS_OF = '2025-06-01T00:00:00Z';
export const GENERATED_TIME = '2025-05-31T21:00:00+00:00';
export const DAY_MS = 86_400_000;

export const SETTINGS: CheckSettings = {
  network: { adminPorts: [22, 3389], publicPorts: [80, 443] },
  iam: { rootUseDays: 30, unusedDays: 45, keyRotationDays: 90, dormantDays: 90 },
};

/** The instant `days` days (plus `extraMs`) before AS_OF, as the report writes it. */
export function daysBefore(days: number, extraMs = 0): string {
  const time = Date.parse(AS_OF) - days * DAY_MS - extraMs;
  return new Date(time).toISOString().replace('.000Z', '+00:00');
}

const NO_KEYS_OR_CERTS: CredentialReportRow = {
  access_key_1_active: 'false',
  access_key_1_last_rotated: 'N/A',
  access_key_1_last_used_date: 'N/A',
  access_key_1_last_used_region: 'N/A',
  access_key_1_last_used_service: 'N/A',
  access_key_2_active: 'false',
  access_key_2_last_rotated: 'N/A',
  access_key_2_last_used_date: 'N/A',
  access_key_2_last_used_region: 'N/A',
  access_key_2_last_used_service: 'N/A',
  cert_1_active: 'false',
  cert_1_last_rotated: 'N/A',
  cert_2_active: 'false',
  cert_2_last_rotated: 'N/A',
};

/** The root row as AWS writes it: password columns `not_supported`, MFA on, no keys. */
export function rootRow(overrides: CredentialReportRow = {}): CredentialReportRow {
  return {
    user: '<root_account>',
    arn: ROOT_ARN,
    user_creation_time: '2020-01-01T00:00:00+00:00',
    password_enabled: 'not_supported',
    password_last_used: 'no_information',
    password_last_changed: 'not_supported',
    password_next_rotation: 'not_supported',
    mfa_active: 'true',
    ...NO_KEYS_OR_CERTS,
    ...overrides,
  };
}

/** An IAM user with no password and no keys, unless overridden. */
export function userRow(name: string, overrides: CredentialReportRow = {}): CredentialReportRow {
  return {
    user: name,
    arn: userArn(name),
    user_creation_time: '2024-01-01T00:00:00+00:00',
    password_enabled: 'false',
    password_last_used: 'N/A',
    password_last_changed: 'N/A',
    password_next_rotation: 'N/A',
    mfa_active: 'false',
    ...NO_KEYS_OR_CERTS,
    ...overrides,
  };
}

export function userArn(name: string): string {
  return `arn:aws:iam::${ACCOUNT_ID}:user/${name}`;
}

export function credentialReport(...rows: CredentialReportRow[]): CredentialReport {
  return { GeneratedTime: GENERATED_TIME, rows };
}

/** GetAccountSummary for a root user with a password, MFA and no keys, unless overridden. */
export function accountSummary(overrides: Record<string, number> = {}): Record<string, number> {
  return {
    AccountMFAEnabled: 1,
    AccountAccessKeysPresent: 0,
    AccountPasswordPresent: 1,
    AccountSigningCertificatesPresent: 0,
    MFADevices: 1,
    MFADevicesInUse: 1,
    Users: 3,
    ...overrides,
  };
}

export function virtualMfaDevice(serialName: string, userArnValue?: string): VirtualMfaDevice {
  return {
    SerialNumber: `arn:aws:iam::${ACCOUNT_ID}:mfa/${serialName}`,
    ...(userArnValue === undefined ? {} : { User: { Arn: userArnValue } }),
  };
}

export const MANAGEMENT_ACCOUNT_ID = '999988887777';

export type OrganizationsFeatures = {
  features: string[];
  source: 'management';
  managementAccountId: string;
} | null;

/**
 * ListOrganizationsFeatures as the management account answered it, centralized root access on.
 * By default the scanned account is a member; pass ACCOUNT_ID to scan the management account.
 */
export function centralizedRoot(
  managementAccountId = MANAGEMENT_ACCOUNT_ID,
  features = ['RootCredentialsManagement', 'RootSessions'],
): OrganizationsFeatures {
  return { features, source: 'management', managementAccountId };
}
