/**
 * CIS 1.14 (v3.0.0) / 1.13 (v5.0.0), Security Hub IAM.3: every active access key of an IAM user
 * was created (rotated) within `iam.keyRotationDays` (default 90); a key exactly that old passes.
 */
import type { Check, CheckResult } from '../../core/types.js';
import {
  ageInDays,
  type CredentialReportEntry,
  DAY_MS,
  describeCellProblem,
  parseAsOf,
  readBoolean,
  readDate,
  splitCredentialReport,
  unattributableRowResult,
} from '../lib/credential-report.js';

interface KeyAge {
  readonly key: 'access_key_1' | 'access_key_2';
  readonly lastRotated: string;
  readonly ageDays: number;
  readonly overdue: boolean;
}

export const userAccessKeyRotationCheck = {
  id: 'iam.user.access-key-rotation',
  title: 'Active IAM user access keys are rotated within the configured number of days',
  severity: 'medium',
  resourceType: 'AwsIamUser',
  scope: 'global',
  needs: ['iam.credentialReport'],
  frameworks: {
    'cis-aws-3.0': ['1.14'],
    'cis-aws-5.0': ['1.13'],
    fsbp: ['IAM.3'],
    hipaa: ['164.308(a)(5)(ii)(D)'],
    gdpr: ['Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Create a second access key, move every program that uses the old key to the new one, then deactivate and delete the old key. Prefer IAM roles, which need no long-lived keys.',
    console:
      'IAM → Users → <user> → Security credentials → Access keys → Create access key; then Actions → Deactivate and Delete on the old key',
    cli: 'aws iam create-access-key --user-name <user>; aws iam update-access-key --user-name <user> --access-key-id <old-access-key-id> --status Inactive; aws iam delete-access-key --user-name <user> --access-key-id <old-access-key-id>',
  },
  evaluate({ target, data }, settings, asOf) {
    const now = parseAsOf(asOf);
    const report = splitCredentialReport(data['iam.credentialReport']);
    return [
      ...report.users.map((entry) =>
        evaluateUser(entry, settings.iam.keyRotationDays, now, report.generatedTime),
      ),
      ...report.unattributable.map((row) =>
        unattributableRowResult(row, target.accountId, report.generatedTime),
      ),
    ];
  },
} satisfies Check<'iam.credentialReport'>;

function evaluateUser(
  entry: CredentialReportEntry,
  rotationDays: number,
  now: Date,
  generatedTime: string,
): CheckResult {
  const keys: KeyAge[] = [];
  const problems: string[] = [];
  const fields: Record<string, string | null> = {};
  for (const n of [1, 2] as const) {
    const activeColumn = `access_key_${n}_active` as const;
    const rotatedColumn = `access_key_${n}_last_rotated` as const;
    const active = readBoolean(entry.row, activeColumn);
    fields[activeColumn] = active.raw ?? null;
    if (active.kind !== 'value') {
      const problem = active.kind === 'invalid' ? active.problem : `${active.value} is not a boolean`;
      problems.push(describeCellProblem(entry, activeColumn, problem));
      continue;
    }
    if (!active.value) continue;
    const rotated = readDate(entry.row, rotatedColumn);
    fields[rotatedColumn] = rotated.raw ?? null;
    if (rotated.kind !== 'value') {
      const problem = rotated.kind === 'invalid' ? rotated.problem : `${rotated.value} for an active key`;
      problems.push(describeCellProblem(entry, rotatedColumn, problem));
      continue;
    }
    keys.push({
      key: `access_key_${n}`,
      lastRotated: rotated.raw.trim(),
      ageDays: ageInDays(rotated.value, now),
      overdue: now.getTime() - rotated.value.getTime() > rotationDays * DAY_MS,
    });
  }
  const evidence = {
    ...fields,
    activeKeys: keys,
    keyRotationDays: rotationDays,
    credentialReportGeneratedTime: generatedTime,
    ...(problems.length > 0 ? { problems } : {}),
  };
  const base = { resourceId: entry.arn, evidence };
  const overdue = keys.filter((key) => key.overdue);
  if (overdue.length > 0) {
    const list = overdue
      .map((key) => `${key.key.replaceAll('_', ' ')} created ${key.lastRotated} (${key.ageDays} days ago)`)
      .join('; ');
    return {
      ...base,
      status: 'FAIL',
      message: `${entry.user} has an active access key older than ${rotationDays} days: ${list}.`,
    };
  }
  if (problems.length > 0) {
    return {
      ...base,
      status: 'ERROR',
      message: `Cannot assess ${entry.user}'s access keys: ${problems.join('; ')}.`,
    };
  }
  if (keys.length === 0) {
    return { ...base, status: 'PASS', message: `${entry.user} has no active access key.` };
  }
  return {
    ...base,
    status: 'PASS',
    message: `Every active access key of ${entry.user} is at most ${rotationDays} days old.`,
  };
}
