import { describe, expect, it } from 'vitest';
import { rootRecentUseCheck } from '../../../checks/iam/root-recent-use.js';
import type { CredentialReportRow } from '../../../core/aws-shapes.js';
import type { CheckSettings } from '../../../core/types.js';
import {
  AS_OF,
  credentialReport,
  daysBefore,
  GENERATED_TIME,
  ROOT_ARN,
  rootRow,
  SETTINGS,
  TARGET,
  userRow,
} from './fixtures.js';

function evaluate(rows: CredentialReportRow[], settings: CheckSettings = SETTINGS) {
  return rootRecentUseCheck.evaluate(
    { target: TARGET, data: { 'iam.credentialReport': credentialReport(...rows) } },
    settings,
    AS_OF,
  );
}

describe('iam.root.recent-use', () => {
  it.each([
    { name: 'root never signed in (no_information), keys never used', row: rootRow(), status: 'PASS' },
    {
      name: 'root password used 10 days ago',
      row: rootRow({ password_last_used: daysBefore(10) }),
      status: 'FAIL',
    },
    {
      name: 'root password used exactly 30 days ago',
      row: rootRow({ password_last_used: daysBefore(30) }),
      status: 'FAIL',
    },
    {
      name: 'root password used 30 days and 1 second ago',
      row: rootRow({ password_last_used: daysBefore(30, 1000) }),
      status: 'PASS',
    },
    {
      name: 'root password used 200 days ago',
      row: rootRow({ password_last_used: daysBefore(200) }),
      status: 'PASS',
    },
    {
      name: 'root access key 2 used 5 days ago (key since deactivated)',
      row: rootRow({
        access_key_2_active: 'false',
        access_key_2_last_rotated: '2023-01-01T00:00:00+00:00',
        access_key_2_last_used_date: daysBefore(5),
      }),
      status: 'FAIL',
    },
    {
      name: 'root access key never used (N/A)',
      row: rootRow({ access_key_1_active: 'TRUE', access_key_1_last_rotated: daysBefore(3) }),
      status: 'PASS',
    },
    { name: 'password column N/A', row: rootRow({ password_last_used: 'N/A' }), status: 'PASS' },
    {
      name: 'password column not_supported',
      row: rootRow({ password_last_used: 'not_supported' }),
      status: 'PASS',
    },
    {
      name: 'a use after the scan instant (report generated later)',
      row: rootRow({ password_last_used: '2025-06-01T01:00:00+00:00' }),
      status: 'FAIL',
    },
  ])('$name → $status', ({ row, status }) => {
    // Act
    const results = evaluate([row, userRow('alice', { password_last_used: daysBefore(1) })]);

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status, resourceId: ROOT_ARN });
  });

  it('names each recent use and keeps the deciding fields with the report time', () => {
    // Prepare
    const row = rootRow({ password_last_used: daysBefore(2), access_key_1_last_used_date: daysBefore(12) });

    // Act
    const [result] = evaluate([row]);

    // Assess
    expect(result).toEqual({
      status: 'FAIL',
      resourceId: ROOT_ARN,
      message: `The root user was used within the last 30 days: password on ${daysBefore(2)} (2 days before the scan); access key 1 on ${daysBefore(12)} (12 days before the scan).`,
      evidence: {
        credentialReportGeneratedTime: GENERATED_TIME,
        rootUseDays: 30,
        password_last_used: daysBefore(2),
        access_key_1_last_used_date: daysBefore(12),
        access_key_2_last_used_date: 'N/A',
      },
    });
  });

  it('uses iam.rootUseDays', () => {
    // Prepare
    const settings = { ...SETTINGS, iam: { ...SETTINGS.iam, rootUseDays: 7 } };

    // Act
    const [result] = evaluate([rootRow({ password_last_used: daysBefore(10) })], settings);

    // Assess
    expect(result).toMatchObject({
      status: 'PASS',
      message: 'Neither the root password nor a root access key was used within the last 7 days.',
    });
  });

  it('reports ERROR naming the row and column of an unreadable date, never PASS', () => {
    // Act
    const [result] = evaluate([userRow('alice'), rootRow({ access_key_1_last_used_date: 'last Tuesday' })]);

    // Assess
    expect(result).toMatchObject({
      status: 'ERROR',
      resourceId: ROOT_ARN,
      message:
        'Cannot tell when the root user was last used: credential report row 2 (user "<root_account>"), column access_key_1_last_used_date: "last Tuesday" is not an ISO-8601 timestamp or a report marker.',
    });
  });

  it('still fails on a recent use when another column is unreadable', () => {
    // Act
    const [result] = evaluate([
      rootRow({ password_last_used: daysBefore(1), access_key_1_last_used_date: 'last Tuesday' }),
    ]);

    // Assess
    expect(result?.status).toBe('FAIL');
    expect(result?.evidence.problems).toHaveLength(1);
  });

  it('reports ERROR when the report has no root row', () => {
    // Act
    const results = evaluate([userRow('alice')]);

    // Assess
    expect(results).toEqual([
      {
        status: 'ERROR',
        resourceId: ROOT_ARN,
        message:
          'Cannot tell when the root user was last used: the credential report has no <root_account> row.',
        evidence: { credentialReportGeneratedTime: GENERATED_TIME, rootUseDays: 30 },
      },
    ]);
  });
});
