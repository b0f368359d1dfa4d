import { describe, expect, it } from 'vitest';
import { userConsoleMfaCheck } from '../../../checks/iam/user-console-mfa.js';
import type { CredentialReportRow } from '../../../core/aws-shapes.js';
import type { Check, FindingStatus } from '../../../core/types.js';
import {
  ACCOUNT_ID,
  AS_OF,
  credentialReport,
  GENERATED_TIME,
  rootRow,
  SETTINGS,
  TARGET,
  userArn,
  userRow,
} from './fixtures.js';

const check: Check<'iam.credentialReport'> = userConsoleMfaCheck;

function evaluate(rows: CredentialReportRow[]) {
  return check.evaluate(
    { target: TARGET, data: { 'iam.credentialReport': credentialReport(...rows) } },
    SETTINGS,
    AS_OF,
  );
}

describe('iam.user.console-mfa', () => {
  it.each<{ name: string; row: CredentialReportRow; status: FindingStatus; message: string }>([
    {
      name: 'no console password',
      row: { password_enabled: 'false' },
      status: 'PASS',
      message: 'alice has no console password.',
    },
    {
      name: 'password and MFA',
      row: { password_enabled: 'true', mfa_active: 'true' },
      status: 'PASS',
      message: 'alice has a console password and MFA.',
    },
    {
      name: 'password and no MFA',
      row: { password_enabled: 'true', mfa_active: 'false' },
      status: 'FAIL',
      message: 'alice has a console password and no MFA.',
    },
    {
      name: 'uppercase TRUE / FALSE',
      row: { password_enabled: 'TRUE', mfa_active: 'FALSE' },
      status: 'FAIL',
      message: 'alice has a console password and no MFA.',
    },
    {
      name: 'no password, no MFA, but access keys (not a console user)',
      row: {
        password_enabled: 'false',
        access_key_1_active: 'true',
        access_key_1_last_rotated: '2025-01-01T00:00:00+00:00',
      },
      status: 'PASS',
      message: 'alice has no console password.',
    },
    {
      name: 'password_enabled not_supported for an IAM user',
      row: { password_enabled: 'not_supported' },
      status: 'ERROR',
      message:
        'Cannot tell whether alice has a console password: credential report row 1 (user "alice"), column password_enabled: not_supported is not a boolean.',
    },
    {
      name: 'password_enabled unreadable',
      row: { password_enabled: 'maybe' },
      status: 'ERROR',
      message:
        'Cannot tell whether alice has a console password: credential report row 1 (user "alice"), column password_enabled: "maybe" is not TRUE, FALSE or a report marker.',
    },
    {
      name: 'password and mfa_active N/A',
      row: { password_enabled: 'true', mfa_active: 'N/A' },
      status: 'ERROR',
      message:
        'Cannot tell whether alice has MFA: credential report row 1 (user "alice"), column mfa_active: N/A is not a boolean.',
    },
  ])('$name → $status', ({ row, status, message }) => {
    // Act
    const results = evaluate([userRow('alice', row)]);

    // Assess
    expect(results).toEqual([expect.objectContaining({ status, resourceId: userArn('alice'), message })]);
  });

  it('emits one finding per IAM user and never one for the root row', () => {
    // Prepare: root has a password and no MFA, which this check must not report
    const rows = [
      rootRow({ password_enabled: 'true', mfa_active: 'false' }),
      userRow('alice', { password_enabled: 'true', mfa_active: 'true' }),
      userRow('bob', { password_enabled: 'true', mfa_active: 'false' }),
      userRow('carol'),
    ];

    // Act
    const results = evaluate(rows);

    // Assess
    expect(results.map((r) => [r.resourceId, r.status])).toEqual([
      [userArn('alice'), 'PASS'],
      [userArn('bob'), 'FAIL'],
      [userArn('carol'), 'PASS'],
    ]);
    expect(results[1]?.evidence).toEqual({
      password_enabled: 'true',
      mfa_active: 'false',
      credentialReportGeneratedTime: GENERATED_TIME,
    });
  });

  it('reports ERROR for a row it cannot attribute to an ARN', () => {
    // Act
    const results = evaluate([rootRow(), userRow('dave', { arn: '', password_enabled: 'true' })]);

    // Assess
    expect(results).toEqual([
      expect.objectContaining({
        status: 'ERROR',
        resourceId: `arn:aws:iam::${ACCOUNT_ID}:user/dave`,
        message: 'Cannot assess credential report row 2 (user "dave"): its arn column is empty.',
      }),
    ]);
  });

  it('emits nothing for a report with only the root row', () => {
    // Act and assess
    expect(evaluate([rootRow()])).toEqual([]);
  });
});
