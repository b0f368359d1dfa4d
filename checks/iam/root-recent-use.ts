/**
 * CIS 1.7 (v3.0.0) / 1.6 (v5.0.0), a manual recommendation whose audit reads the root row's
 * `password_last_used` and `access_key_{1,2}_last_used_date`: the root user is not used for
 * everyday work, so neither its password nor a key was used within `iam.rootUseDays`.
 */
import type { Check } from '../../core/types.js';
import { rootArn } from '../lib/arn.js';
import {
  ageInDays,
  DAY_MS,
  type DateColumn,
  describeCellProblem,
  parseAsOf,
  readDate,
  splitCredentialReport,
} from '../lib/credential-report.js';

const USE_COLUMNS = [
  { column: 'password_last_used', credential: 'password' },
  { column: 'access_key_1_last_used_date', credential: 'access key 1' },
  { column: 'access_key_2_last_used_date', credential: 'access key 2' },
] as const satisfies ReadonlyArray<{ column: DateColumn; credential: string }>;

export const rootRecentUseCheck = {
  id: 'iam.root.recent-use',
  title: 'The root user has not been used recently',
  severity: 'high',
  resourceType: 'AwsAccount',
  scope: 'global',
  needs: ['iam.credentialReport'],
  frameworks: {
    'cis-aws-3.0': ['1.7'],
    'cis-aws-5.0': ['1.6'],
    hipaa: ['164.308(a)(1)(ii)(D)', '164.308(a)(5)(ii)(C)'],
    gdpr: ['Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Find out who used the root user and why (CloudTrail events whose userIdentity.type is Root). Do everyday work with IAM roles or IAM Identity Center users, and keep root for the few tasks that need it.',
    console: 'CloudTrail → Event history → filter by User name "root"',
    cli: 'aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=root --start-time <date>',
  },
  evaluate({ target, data }, settings, asOf) {
    const now = parseAsOf(asOf);
    const report = splitCredentialReport(data['iam.credentialReport']);
    const resourceId = rootArn(target.accountId);
    const windowDays = settings.iam.rootUseDays;
    const evidence: Record<string, unknown> = {
      credentialReportGeneratedTime: report.generatedTime,
      rootUseDays: windowDays,
    };
    const root = report.root;
    if (root === undefined) {
      return [
        {
          status: 'ERROR',
          resourceId,
          message:
            'Cannot tell when the root user was last used: the credential report has no <root_account> row.',
          evidence,
        },
      ];
    }
    const recent: string[] = [];
    const problems: string[] = [];
    for (const { column, credential } of USE_COLUMNS) {
      const cell = readDate(root.row, column);
      evidence[column] = cell.raw ?? null;
      if (cell.kind === 'invalid') problems.push(describeCellProblem(root, column, cell.problem));
      if (cell.kind !== 'value') continue;
      if (now.getTime() - cell.value.getTime() <= windowDays * DAY_MS) {
        recent.push(
          `${credential} on ${cell.raw.trim()} (${ageInDays(cell.value, now)} days before the scan)`,
        );
      }
    }
    if (recent.length > 0) {
      return [
        {
          status: 'FAIL',
          resourceId,
          message: `The root user was used within the last ${windowDays} days: ${recent.join('; ')}.`,
          evidence: problems.length > 0 ? { ...evidence, problems } : evidence,
        },
      ];
    }
    if (problems.length > 0) {
      return [
        {
          status: 'ERROR',
          resourceId,
          message: `Cannot tell when the root user was last used: ${problems.join('; ')}.`,
          evidence,
        },
      ];
    }
    return [
      {
        status: 'PASS',
        resourceId,
        message: `Neither the root password nor a root access key was used within the last ${windowDays} days.`,
        evidence,
      },
    ];
  },
} satisfies Check<'iam.credentialReport'>;
