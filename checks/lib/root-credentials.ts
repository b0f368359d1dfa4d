/**
 * What the root user holds, read from GetAccountSummary and the credential report's root row
 * [AWS-SEMANTICS 4.2–4.6]. Each fact is `yes`, `no` or `unknown` (with the reason), so a check
 * can PASS only on data that says so and report ERROR when the data does not decide.
 */
import type { CollectorDataMap } from '../../core/types.js';
import { type CredentialReportEntry, readBoolean, splitCredentialReport } from './credential-report.js';

export type Tristate = 'yes' | 'no' | 'unknown';

export interface RootFact {
  readonly state: Tristate;
  /** The fields that decided it, named as AWS names them. */
  readonly evidence: Readonly<Record<string, unknown>>;
  /** Why the state is `unknown`. */
  readonly reason?: string;
}

export type AccountSummary = CollectorDataMap['iam.accountSummary'];
export type OrganizationsFeatures = CollectorDataMap['iam.organizationsFeatures'];

/** The IAM feature that lets an organization delete its member accounts' root credentials. */
export const ROOT_CREDENTIALS_MANAGEMENT = 'RootCredentialsManagement';

const NO_ROOT_ROW = 'the credential report has no <root_account> row';

/** A GetAccountSummary flag: 1 (or more) is yes, 0 is no, absent or not a number is unknown. */
function summaryFlag(summary: AccountSummary, key: string): Tristate {
  const value = summary[key];
  if (typeof value !== 'number' || Number.isNaN(value)) return 'unknown';
  return value > 0 ? 'yes' : 'no';
}

function summaryValue(summary: AccountSummary, key: string): number | null {
  const value = summary[key];
  return typeof value === 'number' ? value : null;
}

/**
 * Root access keys: yes when the root row shows an active key or `AccountAccessKeysPresent` is 1
 * (the report can be four hours older than the summary, and an inactive key still exists); no
 * when at least one source says none and neither says yes.
 */
export function rootAccessKeys(root: CredentialReportEntry | undefined, summary: AccountSummary): RootFact {
  const fromSummary = summaryFlag(summary, 'AccountAccessKeysPresent');
  const evidence: Record<string, unknown> = {
    AccountAccessKeysPresent: summaryValue(summary, 'AccountAccessKeysPresent'),
  };
  let fromRow: Tristate = 'unknown';
  let rowReason = NO_ROOT_ROW;
  if (root !== undefined) {
    const cells = (['access_key_1_active', 'access_key_2_active'] as const).map((column) => {
      const cell = readBoolean(root.row, column);
      evidence[column] = cell.raw ?? null;
      return { column, cell };
    });
    if (cells.some(({ cell }) => cell.kind === 'value' && cell.value)) fromRow = 'yes';
    else if (cells.every(({ cell }) => cell.kind === 'value')) fromRow = 'no';
    else {
      const bad = cells.find(({ cell }) => cell.kind !== 'value');
      rowReason = `the root row's ${bad?.column} is ${JSON.stringify(bad?.cell.raw ?? null)}`;
    }
  }
  if (fromRow === 'yes' || fromSummary === 'yes') return { state: 'yes', evidence };
  if (fromRow === 'no' || fromSummary === 'no') return { state: 'no', evidence };
  return {
    state: 'unknown',
    evidence,
    reason: `GetAccountSummary has no AccountAccessKeysPresent and ${rowReason}`,
  };
}

/**
 * Root password: `AccountPasswordPresent` decides (the report says `not_supported` for root's
 * password columns); when the summary lacks it, a root row that says TRUE or FALSE is used.
 */
export function rootPassword(root: CredentialReportEntry | undefined, summary: AccountSummary): RootFact {
  const fromSummary = summaryFlag(summary, 'AccountPasswordPresent');
  const evidence: Record<string, unknown> = {
    AccountPasswordPresent: summaryValue(summary, 'AccountPasswordPresent'),
  };
  if (root !== undefined) evidence.password_enabled = root.row.password_enabled ?? null;
  if (fromSummary !== 'unknown') return { state: fromSummary, evidence };
  if (root === undefined) {
    return {
      state: 'unknown',
      evidence,
      reason: `GetAccountSummary has no AccountPasswordPresent and ${NO_ROOT_ROW}`,
    };
  }
  const cell = readBoolean(root.row, 'password_enabled');
  if (cell.kind === 'value') return { state: cell.value ? 'yes' : 'no', evidence };
  return {
    state: 'unknown',
    evidence,
    reason: `GetAccountSummary has no AccountPasswordPresent and the root row's password_enabled is ${JSON.stringify(cell.raw ?? null)}`,
  };
}

/** Root MFA of any kind: `AccountMFAEnabled` decides; without it, the root row's `mfa_active`. */
export function rootMfa(root: CredentialReportEntry | undefined, summary: AccountSummary): RootFact {
  const fromSummary = summaryFlag(summary, 'AccountMFAEnabled');
  const evidence: Record<string, unknown> = { AccountMFAEnabled: summaryValue(summary, 'AccountMFAEnabled') };
  if (root !== undefined) evidence.mfa_active = root.row.mfa_active ?? null;
  if (fromSummary !== 'unknown') return { state: fromSummary, evidence };
  if (root === undefined) {
    return {
      state: 'unknown',
      evidence,
      reason: `GetAccountSummary has no AccountMFAEnabled and ${NO_ROOT_ROW}`,
    };
  }
  const cell = readBoolean(root.row, 'mfa_active');
  if (cell.kind === 'value') return { state: cell.value ? 'yes' : 'no', evidence };
  return {
    state: 'unknown',
    evidence,
    reason: `GetAccountSummary has no AccountMFAEnabled and the root row's mfa_active is ${JSON.stringify(cell.raw ?? null)}`,
  };
}

/** Root has credentials when it has a password or an access key. */
export function rootCredentials(password: RootFact, accessKeys: RootFact): RootFact {
  const evidence = { ...password.evidence, ...accessKeys.evidence };
  if (password.state === 'yes' || accessKeys.state === 'yes') return { state: 'yes', evidence };
  if (password.state === 'no' && accessKeys.state === 'no') return { state: 'no', evidence };
  const reason = [password.reason, accessKeys.reason].filter((r) => r !== undefined).join('; ');
  return { state: 'unknown', evidence, reason };
}

/**
 * Whether centralized root access covers this account: the organization has
 * `RootCredentialsManagement` enabled and the account is a member, not the management account
 * (whose own root is never centrally managed). `null` features (not in an organization, or no
 * answer from its management account) mean unknown, which is treated as not enabled.
 */
export function centralizedRootAccess(features: OrganizationsFeatures, accountId: string): boolean {
  if (features === null || !features.features.includes(ROOT_CREDENTIALS_MANAGEMENT)) return false;
  return features.managementAccountId !== accountId;
}

/** The evidence fields about centralized root access. */
export function centralizedRootEvidence(
  features: OrganizationsFeatures,
  accountId: string,
): Readonly<Record<string, unknown>> {
  return {
    centralizedRootAccess: centralizedRootAccess(features, accountId),
    organizationsFeatures: features?.features ?? null,
    organizationManagementAccountId: features?.managementAccountId ?? null,
  };
}

/**
 * What a FAIL adds about centralized root access: that the account still holds root credentials
 * although the organization manages them, or that the management account is not covered.
 */
export function centralizedRootNote(features: OrganizationsFeatures, accountId: string): string {
  if (features === null || !features.features.includes(ROOT_CREDENTIALS_MANAGEMENT)) return '';
  return features.managementAccountId === accountId
    ? " Centralized root access does not cover the organization's management account, so its root must be protected here."
    : ' Centralized root access is enabled, but this account still has root credentials.';
}

/** The sentence a PASS gives when root holds no password and no access key. */
export function noRootCredentialsMessage(centralized: boolean): string {
  return centralized
    ? 'The root user has no password and no access keys: root credentials are centrally managed by the organization and absent in this account.'
    : 'The root user has no password and no access keys, so it cannot sign in.';
}

/** What the root MFA checks share: the root's credentials and MFA, and centralized root access. */
export interface RootMfaPosture {
  readonly report: ReturnType<typeof splitCredentialReport>;
  readonly features: OrganizationsFeatures;
  readonly centralized: boolean;
  readonly credentials: RootFact;
  readonly mfa: RootFact;
}

export function rootMfaPosture(
  accountId: string,
  data: Pick<CollectorDataMap, 'iam.credentialReport' | 'iam.accountSummary' | 'iam.organizationsFeatures'>,
): RootMfaPosture {
  const report = splitCredentialReport(data['iam.credentialReport']);
  const summary = data['iam.accountSummary'];
  const features = data['iam.organizationsFeatures'];
  return {
    report,
    features,
    centralized: centralizedRootAccess(features, accountId),
    credentials: rootCredentials(rootPassword(report.root, summary), rootAccessKeys(report.root, summary)),
    mfa: rootMfa(report.root, summary),
  };
}
