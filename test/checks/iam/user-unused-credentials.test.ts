import { describe, expect, it } from 'vitest';
import { userUnusedCredentialsCheck } from '../../../checks/iam/user-unused-credentials.js';
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
  return userUnusedCredentialsCheck.evaluate(
    { target: TARGET, data: { 'iam.credentialReport': credentialReport(...rows) } },
    settings,
    AS_OF,
  );
}

function password(lastUsed: string, lastChanged = daysBefore(400)): CredentialReportRow {
  return { password_enabled: 'true', password_last_used: lastUsed, password_last_changed: lastChanged };
}

function key(
  n: 1 | 2,
  lastUsed: string,
  lastRotated = daysBefore(400),
  active = 'true',
): CredentialReportRow {
  return {
    [`access_key_${n}_active`]: active,
    [`access_key_${n}_last_rotated`]: lastRotated,
    [`access_key_${n}_last_used_date`]: lastUsed,
  };
}

describe('iam.user.unused-credentials', () => {
  it.each([
    { name: 'no password and no active key', row: {}, status: 'PASS' },
    { name: 'password used 10 days ago', row: password(daysBefore(10)), status: 'PASS' },
    { name: 'password used exactly 45 days ago', row: password(daysBefore(45)), status: 'FAIL' },
    { name: 'password used 45 days less 1 second ago', row: password(daysBefore(45, -1000)), status: 'PASS' },
    { name: 'password used 200 days ago', row: password(daysBefore(200)), status: 'FAIL' },
    {
      name: 'password never used (no_information), set 100 days ago',
      row: password('no_information', daysBefore(100)),
      status: 'FAIL',
    },
    {
      name: 'password never used (no_information), set 10 days ago',
      row: password('no_information', daysBefore(10)),
      status: 'PASS',
    },
    {
      name: 'password_enabled TRUE (uppercase) and stale',
      row: { ...password(daysBefore(60)), password_enabled: 'TRUE' },
      status: 'FAIL',
    },
    {
      name: 'password removed (password_enabled false) though its last use is old',
      row: { password_enabled: 'false', password_last_used: daysBefore(300), password_last_changed: 'N/A' },
      status: 'PASS',
    },
    { name: 'active key used 50 days ago', row: key(1, daysBefore(50)), status: 'FAIL' },
    { name: 'active key used 3 days ago', row: key(1, daysBefore(3)), status: 'PASS' },
    {
      name: 'active key never used (N/A), created 100 days ago',
      row: key(2, 'N/A', daysBefore(100)),
      status: 'FAIL',
    },
    {
      name: 'active key never used (N/A), created 10 days ago',
      row: key(2, 'N/A', daysBefore(10)),
      status: 'PASS',
    },
    {
      name: 'inactive key unused for a year',
      row: key(1, daysBefore(365), daysBefore(400), 'false'),
      status: 'PASS',
    },
    {
      name: 'fresh key and stale key',
      row: { ...key(1, daysBefore(1)), ...key(2, daysBefore(90)) },
      status: 'FAIL',
    },
  ])('$name → $status', ({ row, status }) => {
    // Act
    const results = evaluate([userRow('alice', row)]);

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status, resourceId: userArn('alice') });
  });

  it('lists each stale credential and the column it was counted from', () => {
    // Prepare
    const row = userRow('alice', {
      ...password('no_information', daysBefore(100)),
      ...key(1, daysBefore(2)),
      ...key(2, 'N/A', daysBefore(60)),
    });

    // Act
    const [result] = evaluate([row]);

    // Assess
    expect(result).toMatchObject({
      status: 'FAIL',
      message: `alice has credentials unused for 45 days or more: password never used, set ${daysBefore(100)} (100 days ago); access key 2 never used, created ${daysBefore(60)} (60 days ago).`,
    });
    expect(result?.evidence).toEqual({
      password_enabled: 'true',
      password_last_used: 'no_information',
      password_last_changed: daysBefore(100),
      access_key_1_active: 'true',
      access_key_1_last_used_date: daysBefore(2),
      access_key_2_active: 'true',
      access_key_2_last_used_date: 'N/A',
      access_key_2_last_rotated: daysBefore(60),
      credentials: [
        {
          credential: 'password',
          basis: 'password_last_changed',
          date: daysBefore(100),
          ageDays: 100,
          stale: true,
        },
        {
          credential: 'access_key_1',
          basis: 'access_key_1_last_used_date',
          date: daysBefore(2),
          ageDays: 2,
          stale: false,
        },
        {
          credential: 'access_key_2',
          basis: 'access_key_2_last_rotated',
          date: daysBefore(60),
          ageDays: 60,
          stale: true,
        },
      ],
      unusedDays: 45,
      credentialReportGeneratedTime: GENERATED_TIME,
    });
  });

  it('uses iam.unusedDays', () => {
    // Prepare
    const settings = { ...SETTINGS, iam: { ...SETTINGS.iam, unusedDays: 90 } };

    // Act
    const [result] = evaluate([userRow('alice', password(daysBefore(60)))], settings);

    // Assess
    expect(result).toMatchObject({
      status: 'PASS',
      message: 'Every credential of alice was used within the last 90 days.',
    });
  });

  it('reads password_last_used N/A with an enabled password like never used', () => {
    // Act
    const [result] = evaluate([userRow('alice', password('N/A', daysBefore(80)))]);

    // Assess
    expect(result?.status).toBe('FAIL');
    expect(result?.evidence.credentials).toEqual([
      {
        credential: 'password',
        basis: 'password_last_changed',
        date: daysBefore(80),
        ageDays: 80,
        stale: true,
      },
    ]);
  });

  it.each([
    {
      name: 'unreadable password_last_used',
      row: password('sometime'),
      message:
        'Cannot assess alice\'s credentials: credential report row 1 (user "alice"), column password_last_used: "sometime" is not an ISO-8601 timestamp or a report marker.',
    },
    {
      name: 'never-used password without a change date',
      row: password('no_information', 'N/A'),
      message:
        'Cannot assess alice\'s credentials: credential report row 1 (user "alice"), column password_last_changed: N/A where a date was expected (password_last_used is no_information).',
    },
    {
      name: 'never-used active key without a rotation date',
      row: key(1, 'N/A', 'N/A'),
      message:
        'Cannot assess alice\'s credentials: credential report row 1 (user "alice"), column access_key_1_last_rotated: N/A where a date was expected (access_key_1_last_used_date is N/A).',
    },
    {
      name: 'unreadable access_key_2_active',
      row: { access_key_2_active: 'on' },
      message:
        'Cannot assess alice\'s credentials: credential report row 1 (user "alice"), column access_key_2_active: "on" is not TRUE, FALSE or a report marker.',
    },
    {
      name: 'no_information in a key last-used date',
      row: key(1, 'no_information'),
      message:
        'Cannot assess alice\'s credentials: credential report row 1 (user "alice"), column access_key_1_last_used_date: no_information where a date was expected.',
    },
  ])('reports ERROR, never PASS: $name', ({ row, message }) => {
    // Act
    const [result] = evaluate([userRow('alice', row)]);

    // Assess
    expect(result).toMatchObject({ status: 'ERROR', resourceId: userArn('alice'), message });
  });

  it('fails on a stale credential even when another column is unreadable', () => {
    // Act
    const [result] = evaluate([userRow('alice', { ...password('sometime'), ...key(1, daysBefore(100)) })]);

    // Assess
    expect(result?.status).toBe('FAIL');
    expect(result?.evidence.problems).toHaveLength(1);
  });

  it('emits one finding per IAM user and none for the root row', () => {
    // Prepare
    const rows = [
      rootRow({ password_last_used: daysBefore(300) }),
      userRow('alice'),
      userRow('bob', key(1, daysBefore(99))),
    ];

    // Act
    const results = evaluate(rows);

    // Assess
    expect(results.map((r) => [r.resourceId, r.status])).toEqual([
      [userArn('alice'), 'PASS'],
      [userArn('bob'), 'FAIL'],
    ]);
  });
});
