import { describe, expect, it } from 'vitest';
import {
  ageInDays,
  CREDENTIAL_REPORT_COLUMNS,
  describeRow,
  isRootRow,
  parseAsOf,
  parseIsoInstant,
  readBoolean,
  readDate,
  splitCredentialReport,
  unattributableRowResult,
  validateCredentialReport,
  validateCredentialReportRow,
} from '../../../checks/lib/credential-report.js';
import {
  ACCOUNT_ID,
  credentialReport,
  GENERATED_TIME,
  ROOT_ARN,
  rootRow,
  userArn,
  userRow,
} from '../iam/fixtures.js';

describe('CREDENTIAL_REPORT_COLUMNS', () => {
  it('lists the 22 columns in AWS order', () => {
    // Assess
    expect(CREDENTIAL_REPORT_COLUMNS).toHaveLength(22);
    expect(CREDENTIAL_REPORT_COLUMNS[0]).toBe('user');
    expect(CREDENTIAL_REPORT_COLUMNS[21]).toBe('cert_2_last_rotated');
  });
});

describe('readBoolean', () => {
  it.each([
    ['true', { kind: 'value', value: true }],
    ['TRUE', { kind: 'value', value: true }],
    ['True', { kind: 'value', value: true }],
    ['false', { kind: 'value', value: false }],
    ['FALSE', { kind: 'value', value: false }],
    [' false ', { kind: 'value', value: false }],
    ['not_supported', { kind: 'marker', value: 'not_supported' }],
    ['N/A', { kind: 'marker', value: 'N/A' }],
    ['n/a', { kind: 'marker', value: 'N/A' }],
    ['no_information', { kind: 'marker', value: 'no_information' }],
  ])('reads %j', (raw, expected) => {
    // Prepare
    const row = userRow('alice', { password_enabled: raw });

    // Act
    const cell = readBoolean(row, 'password_enabled');

    // Assess
    expect(cell).toMatchObject({ ...expected, raw });
  });

  it.each([
    ['yes', 'is not TRUE, FALSE or a report marker'],
    ['1', 'is not TRUE, FALSE or a report marker'],
    ['', 'the cell is empty'],
  ])('refuses %j', (raw, problem) => {
    // Prepare
    const row = userRow('alice', { mfa_active: raw });

    // Act
    const cell = readBoolean(row, 'mfa_active');

    // Assess
    expect(cell.kind).toBe('invalid');
    expect(cell.kind === 'invalid' && cell.problem).toContain(problem);
  });

  it('says when the column is missing', () => {
    // Prepare
    const { mfa_active: _dropped, ...row } = userRow('alice');

    // Act
    const cell = readBoolean(row, 'mfa_active');

    // Assess
    expect(cell).toEqual({ kind: 'invalid', raw: undefined, problem: 'the column is missing' });
  });
});

describe('readDate', () => {
  it.each([
    ['2025-05-01T10:20:30+00:00', '2025-05-01T10:20:30.000Z'],
    ['2025-05-01T10:20:30Z', '2025-05-01T10:20:30.000Z'],
    ['2025-05-01T12:20:30+02:00', '2025-05-01T10:20:30.000Z'],
    ['2025-05-01T05:20:30-0500', '2025-05-01T10:20:30.000Z'],
    ['2025-05-01T10:20:30.250Z', '2025-05-01T10:20:30.250Z'],
    ['2025-05-01T10:20:30', '2025-05-01T10:20:30.000Z'],
    ['2025-05-01', '2025-05-01T00:00:00.000Z'],
  ])('reads %j as an instant', (raw, iso) => {
    // Prepare
    const row = userRow('alice', { password_last_used: raw });

    // Act
    const cell = readDate(row, 'password_last_used');

    // Assess
    expect(cell.kind).toBe('value');
    expect(cell.kind === 'value' && cell.value.toISOString()).toBe(iso);
  });

  it.each([
    ['N/A', 'N/A'],
    ['no_information', 'no_information'],
    ['not_supported', 'not_supported'],
    ['NO_INFORMATION', 'no_information'],
  ])('keeps the marker %j distinct', (raw, marker) => {
    // Prepare
    const row = userRow('alice', { password_last_used: raw });

    // Act
    const cell = readDate(row, 'password_last_used');

    // Assess
    expect(cell).toEqual({ kind: 'marker', value: marker, raw });
  });

  it.each([
    'yesterday',
    '2025-02-30T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-05-01T25:00:00Z',
    '01/05/2025',
    '',
  ])('refuses %j', (raw) => {
    // Prepare
    const row = userRow('alice', { access_key_1_last_rotated: raw });

    // Act
    const cell = readDate(row, 'access_key_1_last_rotated');

    // Assess
    expect(cell.kind).toBe('invalid');
  });
});

describe('parseIsoInstant', () => {
  it('reads a leap day and refuses a day that does not exist', () => {
    // Act and assess
    expect(parseIsoInstant('2024-02-29T00:00:00Z')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(parseIsoInstant('2025-02-29T00:00:00Z')).toBeUndefined();
  });
});

describe('parseAsOf and ageInDays', () => {
  it('counts whole 24-hour days', () => {
    // Prepare
    const asOf = parseAsOf('2025-06-01T00:00:00Z');

    // Act and assess
    expect(ageInDays(new Date('2025-05-02T00:00:00Z'), asOf)).toBe(30);
    expect(ageInDays(new Date('2025-05-02T00:00:01Z'), asOf)).toBe(29);
    expect(ageInDays(new Date('2025-06-02T00:00:00Z'), asOf)).toBe(-1);
  });

  it('throws on an unreadable asOf', () => {
    // Act and assess
    expect(() => parseAsOf('now')).toThrow(RangeError);
  });
});

describe('splitCredentialReport', () => {
  it('keeps the root row apart from the IAM users', () => {
    // Prepare
    const report = credentialReport(rootRow(), userRow('alice'), userRow('bob'));

    // Act
    const split = splitCredentialReport(report);

    // Assess
    expect(split.generatedTime).toBe(GENERATED_TIME);
    expect(split.root).toMatchObject({ rowNumber: 1, user: '<root_account>', arn: ROOT_ARN });
    expect(split.users.map((u) => [u.rowNumber, u.user, u.arn])).toEqual([
      [2, 'alice', userArn('alice')],
      [3, 'bob', userArn('bob')],
    ]);
    expect(split.unattributable).toEqual([]);
  });

  it('treats a row whose ARN is the root ARN as root even with another user name', () => {
    // Prepare
    const report = credentialReport(userRow('alice'), rootRow({ user: 'root' }));

    // Act
    const split = splitCredentialReport(report);

    // Assess
    expect(split.root?.rowNumber).toBe(2);
    expect(split.users.map((u) => u.user)).toEqual(['alice']);
  });

  it('sets aside rows without an ARN and names users from the ARN when the user column is empty', () => {
    // Prepare
    const report = credentialReport(userRow('alice', { arn: '' }), userRow('', { arn: userArn('team/bob') }));

    // Act
    const split = splitCredentialReport(report);

    // Assess
    expect(split.unattributable).toMatchObject([{ rowNumber: 1, user: 'alice' }]);
    expect(split.users).toMatchObject([{ rowNumber: 2, user: 'bob', arn: userArn('team/bob') }]);
    expect(split.root).toBeUndefined();
  });
});

describe('isRootRow', () => {
  it.each([
    [rootRow(), true],
    [userRow('alice'), false],
    [userRow('root'), false],
  ])('%#: %j', (row, expected) => {
    // Act and assess
    expect(isRootRow(row)).toBe(expected);
  });
});

describe('validateCredentialReport', () => {
  it('accepts a well-formed report', () => {
    // Prepare
    const report = credentialReport(rootRow(), userRow('alice', { password_enabled: 'TRUE' }));

    // Act
    const problems = validateCredentialReport(report);

    // Assess
    expect(problems).toEqual([]);
  });

  it('reports each malformed cell with its row number and column', () => {
    // Prepare
    const { cert_2_last_rotated: _dropped, ...short } = userRow('carol');
    const report = credentialReport(
      rootRow(),
      userRow('alice', { mfa_active: 'yes' }),
      userRow('bob', { password_last_used: 'last week', arn: 'bob' }),
      short,
    );

    // Act
    const problems = validateCredentialReport(report);

    // Assess
    expect(problems.map((p) => [p.rowNumber, p.column])).toEqual([
      [2, 'mfa_active'],
      [3, 'arn'],
      [3, 'password_last_used'],
      [4, 'cert_2_last_rotated'],
    ]);
    expect(problems[0]?.message).toBe(
      'credential report row 2 (user "alice"), column mfa_active: "yes" is not TRUE, FALSE or a report marker',
    );
    expect(problems[3]?.message).toContain('the column is missing');
  });

  it('reports an unreadable GeneratedTime and a second root row', () => {
    // Prepare
    const report = { GeneratedTime: 'today', rows: [rootRow(), rootRow()] };

    // Act
    const problems = validateCredentialReport(report);

    // Assess
    expect(problems.map((p) => p.message)).toEqual([
      'GeneratedTime "today" is not an ISO-8601 timestamp',
      'credential report row 2 (user "<root_account>") is a second root row',
    ]);
  });

  it('reports missing user and arn', () => {
    // Prepare
    const row = userRow('', { arn: '' });

    // Act
    const problems = validateCredentialReportRow(row, 7);

    // Assess
    expect(problems.map((p) => p.message)).toEqual([
      'credential report row 7 (no user name), column user: the cell is empty',
      'credential report row 7 (no user name), column arn: the cell is empty',
    ]);
  });
});

describe('describeRow', () => {
  it('names the row and the user', () => {
    // Act and assess
    expect(describeRow({ rowNumber: 3, user: 'alice' })).toBe('credential report row 3 (user "alice")');
  });
});

describe('unattributableRowResult', () => {
  it('reports ERROR on the user ARN built from the name, or on the account scope', () => {
    // Prepare
    const named = { rowNumber: 2, user: 'alice', row: userRow('alice', { arn: '' }) };
    const anonymous = { rowNumber: 3, user: undefined, row: {} };

    // Act
    const results = [named, anonymous].map((row) => unattributableRowResult(row, ACCOUNT_ID, GENERATED_TIME));

    // Assess
    expect(results.map((r) => [r.status, r.resourceId])).toEqual([
      ['ERROR', userArn('alice')],
      ['ERROR', `arn:aws:iam::${ACCOUNT_ID}:*`],
    ]);
    expect(results[0]?.message).toBe(
      'Cannot assess credential report row 2 (user "alice"): its arn column is empty.',
    );
    expect(results[1]?.message).toContain('its arn column is missing');
  });
});
