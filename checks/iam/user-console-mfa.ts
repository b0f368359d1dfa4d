/**
 * CIS 1.10 (v3.0.0) / 1.9 (v5.0.0), Security Hub IAM.5: every IAM user with a console password
 * has MFA. The `<root_account>` row is not an IAM user and is never reported here.
 */
import type { Check, CheckResult } from '../../core/types.js';
import {
  type CredentialReportEntry,
  describeCellProblem,
  readBoolean,
  splitCredentialReport,
  unattributableRowResult,
} from '../lib/credential-report.js';

export const userConsoleMfaCheck = {
  id: 'iam.user.console-mfa',
  title: 'IAM users with a console password have MFA enabled',
  severity: 'high',
  resourceType: 'AwsIamUser',
  scope: 'global',
  needs: ['iam.credentialReport'],
  frameworks: {
    'cis-aws-3.0': ['1.10'],
    'cis-aws-5.0': ['1.9'],
    fsbp: ['IAM.5'],
    hipaa: ['164.312(d)'],
    gdpr: ['Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Have the user assign an MFA device (a FIDO security key or an authenticator app), or remove the console password of a user who does not sign in to the console. An IAM policy that denies everything without aws:MultiFactorAuthPresent makes users enrol themselves.',
    console:
      'IAM → Users → <user> → Security credentials → Multi-factor authentication (MFA) → Assign MFA device',
    cli: 'aws iam enable-mfa-device --user-name <user> --serial-number <mfa-device-arn> --authentication-code1 <code1> --authentication-code2 <code2>   # or remove the password: aws iam delete-login-profile --user-name <user>',
  },
  evaluate({ target, data }) {
    const report = splitCredentialReport(data['iam.credentialReport']);
    return [
      ...report.users.map((entry) => evaluateUser(entry, report.generatedTime)),
      ...report.unattributable.map((row) =>
        unattributableRowResult(row, target.accountId, report.generatedTime),
      ),
    ];
  },
} satisfies Check<'iam.credentialReport'>;

function evaluateUser(entry: CredentialReportEntry, generatedTime: string): CheckResult {
  const password = readBoolean(entry.row, 'password_enabled');
  const mfa = readBoolean(entry.row, 'mfa_active');
  const evidence = {
    password_enabled: password.raw ?? null,
    mfa_active: mfa.raw ?? null,
    credentialReportGeneratedTime: generatedTime,
  };
  const base = { resourceId: entry.arn, evidence };
  if (password.kind !== 'value') {
    const problem = password.kind === 'invalid' ? password.problem : `${password.value} is not a boolean`;
    return {
      ...base,
      status: 'ERROR',
      message: `Cannot tell whether ${entry.user} has a console password: ${describeCellProblem(entry, 'password_enabled', problem)}.`,
    };
  }
  if (!password.value) {
    return { ...base, status: 'PASS', message: `${entry.user} has no console password.` };
  }
  if (mfa.kind !== 'value') {
    const problem = mfa.kind === 'invalid' ? mfa.problem : `${mfa.value} is not a boolean`;
    return {
      ...base,
      status: 'ERROR',
      message: `Cannot tell whether ${entry.user} has MFA: ${describeCellProblem(entry, 'mfa_active', problem)}.`,
    };
  }
  return mfa.value
    ? { ...base, status: 'PASS', message: `${entry.user} has a console password and MFA.` }
    : { ...base, status: 'FAIL', message: `${entry.user} has a console password and no MFA.` };
}
