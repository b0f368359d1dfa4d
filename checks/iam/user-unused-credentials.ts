/**
 * CIS 1.12 (v3.0.0) / 1.11 (v5.0.0), Security Hub IAM.22: IAM user credentials unused for
 * `iam.unusedDays` (default 45) or more are disabled. Counted as CIS's audit counts them
 * [AWS-SEMANTICS 4.2]: a password is judged by `password_last_used`, or by
 * `password_last_changed` when it was never used (`no_information`); an active access key by
 * `access_key_N_last_used_date`, or by `access_key_N_last_rotated` when it was never used (`N/A`).
 */
import type { Check, CheckResult } from '../../core/types.js';
import {
  ageInDays,
  type CredentialReportEntry,
  DAY_MS,
  type DateColumn,
  describeCellProblem,
  parseAsOf,
  readBoolean,
  readDate,
  splitCredentialReport,
  unattributableRowResult,
} from '../lib/credential-report.js';

interface CredentialUse {
  readonly credential: 'password' | 'access_key_1' | 'access_key_2';
  /** The column whose date was counted. */
  readonly basis: DateColumn;
  readonly date: string;
  readonly ageDays: number;
  readonly stale: boolean;
}

export const userUnusedCredentialsCheck = {
  id: 'iam.user.unused-credentials',
  title: 'IAM user credentials unused for the configured number of days are disabled',
  severity: 'medium',
  resourceType: 'AwsIamUser',
  scope: 'global',
  needs: ['iam.credentialReport'],
  frameworks: {
    'cis-aws-3.0': ['1.12'],
    'cis-aws-5.0': ['1.11'],
    fsbp: ['IAM.22'],
    hipaa: ['164.308(a)(3)(ii)(C)', '164.308(a)(4)(ii)(B)'],
    gdpr: ['Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Remove the console password of a user who no longer signs in, and deactivate (then delete) access keys that are no longer used.',
    console:
      'IAM → Users → <user> → Security credentials → Console sign-in: Disable console access; Access keys: Actions → Deactivate',
    cli: 'aws iam delete-login-profile --user-name <user>; aws iam update-access-key --user-name <user> --access-key-id <access-key-id> --status Inactive',
  },
  evaluate({ target, data }, settings, asOf) {
    const now = parseAsOf(asOf);
    const report = splitCredentialReport(data['iam.credentialReport']);
    return [
      ...report.users.map((entry) => evaluateUser(entry, settings.iam.unusedDays, now, report.generatedTime)),
      ...report.unattributable.map((row) =>
        unattributableRowResult(row, target.accountId, report.generatedTime),
      ),
    ];
  },
} satisfies Check<'iam.credentialReport'>;

function evaluateUser(
  entry: CredentialReportEntry,
  unusedDays: number,
  now: Date,
  generatedTime: string,
): CheckResult {
  const uses: CredentialUse[] = [];
  const problems: string[] = [];
  const fields: Record<string, string | null> = {};
  const read = (column: DateColumn) => {
    const cell = readDate(entry.row, column);
    fields[column] = cell.raw ?? null;
    return cell;
  };
  const count = (
    credential: CredentialUse['credential'],
    basis: DateColumn,
    date: Date,
    raw: string,
  ): void => {
    const stale = now.getTime() - date.getTime() >= unusedDays * DAY_MS;
    uses.push({ credential, basis, date: raw.trim(), ageDays: ageInDays(date, now), stale });
  };
  /** Counts from `primary`, or from `fallback` when `primary` holds one of `fallbackOn`. */
  const judge = (
    credential: CredentialUse['credential'],
    primary: DateColumn,
    fallbackOn: readonly string[],
    fallback: DateColumn,
  ): void => {
    const used = read(primary);
    if (used.kind === 'value') {
      count(credential, primary, used.value, used.raw);
      return;
    }
    if (used.kind === 'invalid') {
      problems.push(describeCellProblem(entry, primary, used.problem));
      return;
    }
    if (!fallbackOn.includes(used.value)) {
      problems.push(describeCellProblem(entry, primary, `${used.value} where a date was expected`));
      return;
    }
    const since = read(fallback);
    if (since.kind === 'value') {
      count(credential, fallback, since.value, since.raw);
      return;
    }
    const problem = since.kind === 'invalid' ? since.problem : `${since.value} where a date was expected`;
    problems.push(describeCellProblem(entry, fallback, `${problem} (${primary} is ${used.value})`));
  };
  const active = (column: 'password_enabled' | 'access_key_1_active' | 'access_key_2_active'): boolean => {
    const cell = readBoolean(entry.row, column);
    fields[column] = cell.raw ?? null;
    if (cell.kind === 'value') return cell.value;
    const problem = cell.kind === 'invalid' ? cell.problem : `${cell.value} is not a boolean`;
    problems.push(describeCellProblem(entry, column, problem));
    return false;
  };

  // A password never used has `no_information`; `N/A` (no password) contradicts
  // password_enabled = true, and is read the same way rather than as "used".
  if (active('password_enabled')) {
    judge('password', 'password_last_used', ['no_information', 'N/A'], 'password_last_changed');
  }
  for (const n of [1, 2] as const) {
    if (active(`access_key_${n}_active`)) {
      judge(`access_key_${n}`, `access_key_${n}_last_used_date`, ['N/A'], `access_key_${n}_last_rotated`);
    }
  }

  const evidence = {
    ...fields,
    credentials: uses,
    unusedDays,
    credentialReportGeneratedTime: generatedTime,
    ...(problems.length > 0 ? { problems } : {}),
  };
  const base = { resourceId: entry.arn, evidence };
  const stale = uses.filter((use) => use.stale);
  if (stale.length > 0) {
    const list = stale.map(describeUse).join('; ');
    return {
      ...base,
      status: 'FAIL',
      message: `${entry.user} has credentials unused for ${unusedDays} days or more: ${list}.`,
    };
  }
  if (problems.length > 0) {
    return {
      ...base,
      status: 'ERROR',
      message: `Cannot assess ${entry.user}'s credentials: ${problems.join('; ')}.`,
    };
  }
  if (uses.length === 0) {
    return {
      ...base,
      status: 'PASS',
      message: `${entry.user} has no console password and no active access key.`,
    };
  }
  return {
    ...base,
    status: 'PASS',
    message: `Every credential of ${entry.user} was used within the last ${unusedDays} days.`,
  };
}

function describeUse(use: CredentialUse): string {
  const name = use.credential === 'password' ? 'password' : use.credential.replaceAll('_', ' ');
  const when =
    use.basis === 'password_last_changed'
      ? `never used, set ${use.date}`
      : use.basis.endsWith('_last_rotated')
        ? `never used, created ${use.date}`
        : `last used ${use.date}`;
  return `${name} ${when} (${use.ageDays} days ago)`;
}
