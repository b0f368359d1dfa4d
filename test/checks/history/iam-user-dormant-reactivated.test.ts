import { describe, expect, it } from 'vitest';
import { iamUserDormantReactivatedCheck } from '../../../checks/history/iam-user-dormant-reactivated.js';
import type { CredentialReportRow } from '../../../core/aws-shapes.js';
import type { CheckSettings, CredentialReport } from '../../../core/types.js';
import {
  AS_OF,
  DAY_MS,
  daysBefore,
  GENERATED_TIME,
  rootRow,
  SETTINGS,
  TARGET,
  userArn,
  userRow,
} from '../iam/fixtures.js';

/** The previous run: a week before AS_OF. */
const PREVIOUS_AS_OF = '2025-05-25T00:00:00Z';
const PREVIOUS_GENERATED_TIME = '2025-05-24T22:00:00+00:00';

/** The instant `days` days (plus `extraMs`) before the previous run, as the report writes it. */
function beforePrevious(days: number, extraMs = 0): string {
  const time = Date.parse(PREVIOUS_AS_OF) - days * DAY_MS - extraMs;
  return new Date(time).toISOString().replace('.000Z', '+00:00');
}

function report(generatedTime: string, rows: CredentialReportRow[]): CredentialReport {
  return { GeneratedTime: generatedTime, rows };
}

function evaluate(
  previousRows: CredentialReportRow[] | undefined,
  currentRows: CredentialReportRow[],
  settings: CheckSettings = SETTINGS,
) {
  return iamUserDormantReactivatedCheck.evaluateHistory(
    { target: TARGET, data: { 'iam.credentialReport': report(GENERATED_TIME, currentRows) } },
    previousRows === undefined
      ? undefined
      : { target: TARGET, data: { 'iam.credentialReport': report(PREVIOUS_GENERATED_TIME, previousRows) } },
    settings,
    AS_OF,
    previousRows === undefined ? undefined : PREVIOUS_AS_OF,
  );
}

function key(n: 1 | 2, lastUsed: string, lastRotated = '2024-01-01T00:00:00+00:00', active = 'true') {
  return {
    [`access_key_${n}_active`]: active,
    [`access_key_${n}_last_rotated`]: lastRotated,
    [`access_key_${n}_last_used_date`]: lastUsed,
  };
}

function password(lastUsed: string, lastChanged = '2024-01-01T00:00:00+00:00', enabled = 'true') {
  return { password_enabled: enabled, password_last_used: lastUsed, password_last_changed: lastChanged };
}

const COMMON_EVIDENCE = {
  dormantDays: 90,
  previousAsOf: PREVIOUS_AS_OF,
  credentialReportGeneratedTime: GENERATED_TIME,
  previousCredentialReportGeneratedTime: PREVIOUS_GENERATED_TIME,
};

describe('iam.user.dormant-reactivated', () => {
  it('fails a key unused for 200 days at the previous run and used yesterday', () => {
    // Prepare
    const before = userRow('alice', key(1, beforePrevious(200)));
    const now = userRow('alice', key(1, daysBefore(1)));

    // Act
    const results = evaluate([before], [now]);

    // Assess
    expect(results).toEqual([
      {
        status: 'FAIL',
        resourceId: userArn('alice'),
        message: `Dormant credentials of alice (unused for 90 days or more at the previous run, ${PREVIOUS_AS_OF}) have been used since: access key 1 last used ${beforePrevious(200)} (200 days before the previous run), used again ${daysBefore(1)}.`,
        evidence: {
          ...COMMON_EVIDENCE,
          credentials: [
            { credential: 'password', previous: 'absent', lastUsed: null, reactivated: false },
            {
              credential: 'access_key_1',
              previous: 'dormant',
              previousBasis: 'access_key_1_last_used_date',
              previousDate: beforePrevious(200),
              idleDaysAtPreviousRun: 200,
              lastUsed: daysBefore(1),
              reactivated: true,
            },
            { credential: 'access_key_2', previous: 'absent', lastUsed: null, reactivated: false },
          ],
        },
      },
    ]);
  });

  it('passes a key used continuously', () => {
    // Prepare
    const before = userRow('alice', key(1, beforePrevious(2)));
    const now = userRow('alice', key(1, daysBefore(1)));

    // Act
    const [result] = evaluate([before], [now]);

    // Assess
    expect(result).toMatchObject({
      status: 'PASS',
      resourceId: userArn('alice'),
      message: `No credential of alice that was unused for 90 days or more at the previous run (${PREVIOUS_AS_OF}) has been used since.`,
    });
    expect(result?.evidence).toMatchObject(COMMON_EVIDENCE);
  });

  it('passes a dormant key that is still unused', () => {
    // Act
    const [result] = evaluate(
      [userRow('alice', key(1, beforePrevious(200)))],
      [userRow('alice', key(1, beforePrevious(200)))],
    );

    // Assess
    expect(result?.status).toBe('PASS');
  });

  it('fails a password never used (no_information), set long before, and used now', () => {
    // Prepare
    const before = userRow('alice', password('no_information', beforePrevious(300)));
    const now = userRow('alice', password(daysBefore(0), beforePrevious(300)));

    // Act
    const [result] = evaluate([before], [now]);

    // Assess
    expect(result).toMatchObject({
      status: 'FAIL',
      message: `Dormant credentials of alice (unused for 90 days or more at the previous run, ${PREVIOUS_AS_OF}) have been used since: password never used, set ${beforePrevious(300)} (300 days before the previous run), used again ${daysBefore(0)}.`,
    });
  });

  it('passes a password never used but set recently, and used now', () => {
    // Act
    const [result] = evaluate(
      [userRow('alice', password('no_information', beforePrevious(10)))],
      [userRow('alice', password(daysBefore(1), beforePrevious(10)))],
    );

    // Assess
    expect(result?.status).toBe('PASS');
  });

  it('fails an access key never used (N/A), created long before, and used now', () => {
    // Act
    const [result] = evaluate(
      [userRow('alice', key(2, 'N/A', beforePrevious(120)))],
      [userRow('alice', key(2, daysBefore(3), beforePrevious(120)))],
    );

    // Assess
    expect(result?.status).toBe('FAIL');
    expect(result?.message).toContain(
      `access key 2 never used, created ${beforePrevious(120)} (120 days before the previous run), used again ${daysBefore(3)}`,
    );
  });

  it.each([
    { name: 'exactly dormantDays', extraMs: 0, status: 'FAIL' },
    { name: 'one second short of dormantDays', extraMs: -1000, status: 'PASS' },
  ])('counts a last use $name before the previous run → $status', ({ extraMs, status }) => {
    // Act
    const [result] = evaluate(
      [userRow('alice', key(1, beforePrevious(90, extraMs)))],
      [userRow('alice', key(1, daysBefore(1)))],
    );

    // Assess
    expect(result?.status).toBe(status);
  });

  it('uses iam.dormantDays', () => {
    // Prepare
    const settings = { ...SETTINGS, iam: { ...SETTINGS.iam, dormantDays: 30 } };

    // Act
    const [result] = evaluate(
      [userRow('alice', key(1, beforePrevious(45)))],
      [userRow('alice', key(1, daysBefore(1)))],
      settings,
    );

    // Assess
    expect(result).toMatchObject({ status: 'FAIL', evidence: { dormantDays: 30 } });
  });

  it('passes a new user with a note, and a user deleted and created again', () => {
    // Prepare
    const recreated = { user_creation_time: daysBefore(2) };

    // Act
    const results = evaluate(
      [userRow('bob', key(1, beforePrevious(300)))],
      [userRow('alice', key(1, daysBefore(1))), userRow('bob', { ...key(1, daysBefore(1)), ...recreated })],
    );

    // Assess
    expect(results).toEqual([
      {
        status: 'PASS',
        resourceId: userArn('alice'),
        message: `alice did not exist at the previous run (${PREVIOUS_AS_OF}): there is no earlier use to compare with.`,
        evidence: { ...COMMON_EVIDENCE, newUser: true },
      },
      {
        status: 'PASS',
        resourceId: userArn('bob'),
        message: `bob was deleted and created again since the previous run (${PREVIOUS_AS_OF}): there is no earlier use to compare with.`,
        evidence: {
          ...COMMON_EVIDENCE,
          newUser: true,
          user_creation_time: daysBefore(2),
          previousUserCreationTime: '2024-01-01T00:00:00+00:00',
        },
      },
    ]);
  });

  it('ignores the root row', () => {
    // Prepare
    const rootBefore = rootRow(key(1, beforePrevious(300)));
    const rootNow = rootRow(key(1, daysBefore(1)));

    // Act
    const results = evaluate([rootBefore, userRow('alice')], [rootNow, userRow('alice')]);

    // Assess
    expect(results.map((r) => r.resourceId)).toEqual([userArn('alice')]);
    expect(results[0]?.status).toBe('PASS');
  });

  it('fails a dormant key that was deactivated, then activated again and used', () => {
    // Act
    const [result] = evaluate(
      [userRow('alice', key(1, beforePrevious(150), 'N/A', 'false'))],
      [userRow('alice', key(1, daysBefore(1)))],
    );

    // Assess
    expect(result?.status).toBe('FAIL');
  });

  it('fails a dormant key slot whose key was replaced and the new key used, and says so', () => {
    // Act
    const [result] = evaluate(
      [userRow('alice', key(1, beforePrevious(200), beforePrevious(400)))],
      [userRow('alice', key(1, daysBefore(1), daysBefore(2)))],
    );

    // Assess
    expect(result?.status).toBe('FAIL');
    expect(result?.message).toContain('access key 1, since replaced, last used');
    expect(result?.evidence.credentials).toContainEqual(
      expect.objectContaining({ credential: 'access_key_1', replaced: true }),
    );
  });

  it('fails a new credential used on a user that was dormant as a whole', () => {
    // Prepare
    const before = userRow('alice', password(beforePrevious(180), beforePrevious(500)));
    const now = userRow('alice', {
      ...password(beforePrevious(180), beforePrevious(500)),
      ...key(2, daysBefore(1), daysBefore(1)),
    });

    // Act
    const [result] = evaluate([before], [now]);

    // Assess
    expect(result?.status).toBe('FAIL');
    expect(result?.message).toContain(
      `access key 2, not in use at the previous run (none, or inactive and never used) while no credential of the user had been used for 90 days or more, used ${daysBefore(1)}`,
    );
  });

  it('passes a new credential used on a user that was active', () => {
    // Prepare
    const before = userRow('alice', password(beforePrevious(3)));
    const now = userRow('alice', { ...password(daysBefore(1)), ...key(2, daysBefore(1), daysBefore(1)) });

    // Act
    const [result] = evaluate([before], [now]);

    // Assess
    expect(result?.status).toBe('PASS');
    expect(result?.evidence.credentials).toContainEqual(
      expect.objectContaining({ credential: 'access_key_2', newCredential: true, reactivated: false }),
    );
  });

  it('passes a new credential on a user created recently', () => {
    // Act
    const [result] = evaluate(
      [userRow('alice', { user_creation_time: beforePrevious(20) })],
      [userRow('alice', { user_creation_time: beforePrevious(20), ...key(1, daysBefore(1), daysBefore(3)) })],
    );

    // Assess
    expect(result?.status).toBe('PASS');
  });

  it('gives no verdict without a previous report: coverage says it needs a previous run', () => {
    // Act / Assess
    expect(evaluate(undefined, [userRow('alice', key(1, daysBefore(1)))])).toEqual([]);
  });

  it('reports ERROR when the previous report cannot say whether a credential now in use was dormant', () => {
    // Act
    const [result] = evaluate(
      [userRow('alice', key(1, 'N/A', 'N/A'))],
      [userRow('alice', key(1, daysBefore(1), 'N/A'))],
    );

    // Assess
    expect(result).toMatchObject({
      status: 'ERROR',
      message:
        'Cannot compare alice\'s credentials with the previous run: previous credential report row 1 (user "alice"), column access_key_1_last_rotated: N/A where a date was expected (access_key_1_last_used_date is not a date).',
    });
  });

  it('reports ERROR for a current row without an ARN', () => {
    // Act
    const results = evaluate([userRow('alice')], [{ ...userRow('alice'), arn: '' }]);

    // Assess
    expect(results).toMatchObject([{ status: 'ERROR', resourceId: userArn('alice') }]);
  });

  it('refuses a previous instant that is not before the current one', () => {
    // Act / Assess
    expect(() =>
      iamUserDormantReactivatedCheck.evaluateHistory(
        { target: TARGET, data: { 'iam.credentialReport': report(GENERATED_TIME, []) } },
        { target: TARGET, data: { 'iam.credentialReport': report(GENERATED_TIME, []) } },
        SETTINGS,
        AS_OF,
        AS_OF,
      ),
    ).toThrow(RangeError);
  });
});
