import { describe, expect, it } from 'vitest';
import { userAccessKeyRotationCheck } from '../../../checks/iam/user-access-key-rotation.js';
import type { CredentialReportRow } from '../../../core/aws-shapes.js';
import type { CheckSettings } from '../../../core/types.js';
import {
  AS_OF,
  credentialReport,
  daysBefore,
  GENERATED_TIME,
  rootRow,
  SETTINGS,
  TARGET,
  userArn,
  userRow,
} from './fixtures.js';

function evaluate(rows: CredentialReportRow[], settings: CheckSettings = SETTINGS) {
  return userAccessKeyRotationCheck.evaluate(
    { target: TARGET, data: { 'iam.credentialReport': credentialReport(...rows) } },
    settings,
    AS_OF,
  );
}

function key(n: 1 | 2, lastRotated: string, active = 'true'): CredentialReportRow {
  return {
    [`access_key_${n}_active`]: active,
    [`access_key_${n}_last_rotated`]: lastRotated,
    [`access_key_${n}_last_used_date`]: daysBefore(1),
  };
}

describe('iam.user.access-key-rotation', () => {
  it.each([
    { name: 'no access keys', row: {}, status: 'PASS' },
    { name: 'active key created 30 days ago', row: key(1, daysBefore(30)), status: 'PASS' },
    { name: 'active key created exactly 90 days ago', row: key(1, daysBefore(90)), status: 'PASS' },
    {
      name: 'active key created 90 days and 1 second ago',
      row: key(1, daysBefore(90, 1000)),
      status: 'FAIL',
    },
    {
      name: 'active key created 400 days ago (uppercase TRUE)',
      row: key(2, daysBefore(400), 'TRUE'),
      status: 'FAIL',
    },
    { name: 'inactive key created 400 days ago', row: key(1, daysBefore(400), 'false'), status: 'PASS' },
    {
      name: 'fresh key 1 and old key 2',
      row: { ...key(1, daysBefore(5)), ...key(2, daysBefore(120)) },
      status: 'FAIL',
    },
  ])('$name → $status', ({ row, status }) => {
    // Act
    const results = evaluate([userRow('alice', row)]);

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status, resourceId: userArn('alice') });
  });

  it('names the overdue key with its age and keeps the deciding fields', () => {
    // Act
    const [result] = evaluate([userRow('alice', { ...key(1, daysBefore(5)), ...key(2, daysBefore(120)) })]);

    // Assess
    expect(result).toEqual({
      status: 'FAIL',
      resourceId: userArn('alice'),
      message: `alice has an active access key older than 90 days: access key 2 created ${daysBefore(120)} (120 days ago).`,
      evidence: {
        access_key_1_active: 'true',
        access_key_1_last_rotated: daysBefore(5),
        access_key_2_active: 'true',
        access_key_2_last_rotated: daysBefore(120),
        activeKeys: [
          { key: 'access_key_1', lastRotated: daysBefore(5), ageDays: 5, overdue: false },
          { key: 'access_key_2', lastRotated: daysBefore(120), ageDays: 120, overdue: true },
        ],
        keyRotationDays: 90,
        credentialReportGeneratedTime: GENERATED_TIME,
      },
    });
  });

  it('uses iam.keyRotationDays', () => {
    // Prepare
    const settings = { ...SETTINGS, iam: { ...SETTINGS.iam, keyRotationDays: 30 } };

    // Act
    const [result] = evaluate([userRow('alice', key(1, daysBefore(45)))], settings);

    // Assess
    expect(result?.status).toBe('FAIL');
  });

  it.each([
    {
      name: 'active key whose last_rotated is N/A',
      row: key(1, 'N/A'),
      message:
        'Cannot assess alice\'s access keys: credential report row 1 (user "alice"), column access_key_1_last_rotated: N/A for an active key.',
    },
    {
      name: 'unreadable last_rotated',
      row: key(2, '2025-13-45'),
      message:
        'Cannot assess alice\'s access keys: credential report row 1 (user "alice"), column access_key_2_last_rotated: "2025-13-45" is not an ISO-8601 timestamp or a report marker.',
    },
    {
      name: 'unreadable active flag',
      row: { access_key_1_active: 'enabled' },
      message:
        'Cannot assess alice\'s access keys: credential report row 1 (user "alice"), column access_key_1_active: "enabled" is not TRUE, FALSE or a report marker.',
    },
  ])('reports ERROR, never PASS: $name', ({ row, message }) => {
    // Act
    const [result] = evaluate([userRow('alice', row)]);

    // Assess
    expect(result).toMatchObject({ status: 'ERROR', message });
  });

  it('emits one finding per IAM user and none for the root row', () => {
    // Prepare
    const rows = [rootRow(key(1, daysBefore(900))), userRow('alice', key(1, daysBefore(10))), userRow('bob')];

    // Act
    const results = evaluate(rows);

    // Assess
    expect(results.map((r) => [r.resourceId, r.status])).toEqual([
      [userArn('alice'), 'PASS'],
      [userArn('bob'), 'PASS'],
    ]);
  });
});
