/**
 * The credential report as the IAM checks read it, when the report is not what AWS writes:
 * rows with cells that are neither booleans, dates nor report markers, missing columns, stray
 * columns, any text as GeneratedTime, and CSV that is not CSV. A check must never throw on it,
 * never PASS a user whose deciding cells it could not read, and name the row it could not read.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { historyChecks } from '../../checks/history/index.js';
import { iamChecks } from '../../checks/iam/index.js';
import {
  BOOLEAN_COLUMNS,
  CREDENTIAL_REPORT_COLUMNS,
  DATE_COLUMNS,
  parseIsoInstant,
  REPORT_MARKERS,
} from '../../checks/lib/credential-report.js';
import type { CredentialReportRow } from '../../core/aws-shapes.js';
import type { AnyCheck, CheckResult, CollectorDataMap, CredentialReport } from '../../core/types.js';
import { CollectorDataError } from '../../inventory/errors.js';
import { decodeCredentialReport } from '../../inventory/iam.js';
import {
  AS_OF,
  daysBefore,
  GENERATED_TIME,
  ROOT_ARN,
  rootRow,
  SETTINGS,
  TARGET,
  userArn,
  userRow,
} from '../checks/iam/fixtures.js';

const PROPERTY = { seed: 20_260_117, numRuns: 250 } as const;

const byId = (id: string): AnyCheck => {
  const check = iamChecks.find((c) => c.id === id);
  if (check === undefined) throw new Error(`no check ${id}`);
  return check;
};

/** The checks that give one verdict per IAM user row. */
const USER_CHECKS = ['iam.user.console-mfa', 'iam.user.unused-credentials', 'iam.user.access-key-rotation'];
/** The columns each user check reads on a row that PASSes below (`healthyRow`). */
const DECIDING_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  'iam.user.console-mfa': ['password_enabled', 'mfa_active'],
  'iam.user.unused-credentials': [
    'password_enabled',
    'password_last_used',
    'access_key_1_active',
    'access_key_1_last_used_date',
    'access_key_2_active',
    'access_key_2_last_used_date',
  ],
  'iam.user.access-key-rotation': [
    'access_key_1_active',
    'access_key_1_last_rotated',
    'access_key_2_active',
    'access_key_2_last_rotated',
  ],
};

// ---------------------------------------------------------------- generators

const MARKER_TEXT = new Set(REPORT_MARKERS.map((m) => m.toLowerCase()));

/** A cell that is neither a boolean, an ISO-8601 instant nor a report marker (`undefined`: missing). */
const garbageCell: fc.Arbitrary<string | undefined> = fc
  .oneof(
    fc.constantFrom(
      '',
      '   ',
      'yes',
      'no',
      '1',
      '0',
      'TRUE!',
      'tru',
      'N / A',
      'n/a/',
      'null',
      'undefined',
      '2025-13-01T00:00:00Z',
      '2025-02-30T00:00:00+00:00',
      '2025-06-01T25:00:00Z',
      '01/06/2025',
      '\u0000',
      '=cmd|/C calc!A0',
    ),
    fc.string({ maxLength: 12 }),
    fc.constant(undefined),
  )
  .filter((cell) => {
    if (cell === undefined) return true;
    const text = cell.trim().toLowerCase();
    return (
      text !== 'true' && text !== 'false' && !MARKER_TEXT.has(text) && parseIsoInstant(text) === undefined
    );
  });

/** Any cell: a value of either type, a marker, or garbage. */
const anyCell: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constantFrom('true', 'false', 'TRUE', 'False', ...REPORT_MARKERS, 'N/a', ' NO_INFORMATION '),
  fc.integer({ min: 0, max: 4000 }).map((days) => daysBefore(days)),
  fc.constantFrom('2025-06-01', '2025-06-01T00:00:00Z', '2099-01-01T00:00:00+00:00'),
  garbageCell,
);

const columnName = fc.oneof(
  { arbitrary: fc.constantFrom(...CREDENTIAL_REPORT_COLUMNS), weight: 4 },
  { arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'User', 'ARN'), weight: 1 },
  { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
);

/** Keeps only defined cells, as a record from CSV would. */
function rowOf(entries: ReadonlyArray<readonly [string, string | undefined]>): CredentialReportRow {
  const row: CredentialReportRow = {};
  for (const [column, cell] of entries) {
    if (cell !== undefined)
      Object.defineProperty(row, column, { value: cell, enumerable: true, writable: true });
  }
  return row;
}

const userName = fc.stringMatching(/^[\w+=,.@-]{1,16}$/);
const arnCell = fc.oneof(
  userName.map(userArn),
  fc.constantFrom(ROOT_ARN, '', 'arn:aws:iam::111122223333:user/', 'not-an-arn'),
  fc.constant(undefined),
);

/** A row of any shape. */
const anyRow: fc.Arbitrary<CredentialReportRow> = fc
  .tuple(
    fc.option(fc.oneof(userName, fc.constantFrom('<root_account>', '')), { nil: undefined }),
    arnCell,
    fc.array(fc.tuple(columnName, anyCell), { maxLength: 30 }),
  )
  .map(([user, arn, cells]) => rowOf([...cells, ['user', user], ['arn', arn]]));

/** A user row whose every boolean and date cell is garbage or missing. */
const garbageUserRow = fc
  .tuple(userName, fc.array(garbageCell, { minLength: 16, maxLength: 16 }))
  .map(([name, cells]) =>
    rowOf([
      ['user', name],
      ['arn', userArn(name)],
      ...[...BOOLEAN_COLUMNS, ...DATE_COLUMNS].map((column, i) => [column, cells[i]] as const),
    ]),
  );

/** A user with a password used yesterday, MFA, and two fresh keys used yesterday: PASS for every user check. */
function healthyRow(name: string): CredentialReportRow {
  return userRow(name, {
    password_enabled: 'true',
    password_last_used: daysBefore(1),
    password_last_changed: daysBefore(10),
    mfa_active: 'true',
    access_key_1_active: 'true',
    access_key_1_last_rotated: daysBefore(10),
    access_key_1_last_used_date: daysBefore(1),
    access_key_2_active: 'true',
    access_key_2_last_rotated: daysBefore(20),
    access_key_2_last_used_date: daysBefore(2),
  });
}

const accountSummary = fc.dictionary(
  fc.constantFrom('AccountMFAEnabled', 'AccountAccessKeysPresent', 'AccountPasswordPresent', 'Users', 'x'),
  fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constant(Number.NaN)),
);

function inventory(
  report: CredentialReport,
  summary: Record<string, number> = {},
): { readonly target: typeof TARGET; readonly data: Partial<CollectorDataMap> } {
  return {
    target: TARGET,
    data: {
      'iam.credentialReport': report,
      'iam.accountSummary': summary,
      'iam.virtualMfaDevices': [],
      'iam.organizationsFeatures': null,
      'iam.passwordPolicy': null,
    },
  };
}

function evaluate(
  checkId: string,
  report: CredentialReport,
  summary?: Record<string, number>,
): CheckResult[] {
  return byId(checkId).evaluate(inventory(report, summary), SETTINGS, AS_OF);
}

// ---------------------------------------------------------------- properties

describe('IAM checks on any credential report', () => {
  it('never throw, and give PASS, FAIL or ERROR on a named resource', () => {
    // The resource is the row's own arn cell when it has one, whatever it holds.
    fc.assert(
      fc.property(
        fc.array(anyRow, { maxLength: 6 }),
        fc.oneof(fc.constant(GENERATED_TIME), fc.string({ maxLength: 25 })),
        accountSummary,
        (rows, generatedTime, summary) => {
          const report = { GeneratedTime: generatedTime, rows };
          for (const check of iamChecks) {
            for (const result of check.evaluate(inventory(report, summary), SETTINGS, AS_OF)) {
              expect(['PASS', 'FAIL', 'ERROR']).toContain(result.status);
              expect(result.resourceId.trim()).not.toBe('');
              expect(result.message.trim()).not.toBe('');
            }
          }
          for (const check of historyChecks) {
            const previous = inventory({ GeneratedTime: GENERATED_TIME, rows: [...rows].reverse() });
            const results = check.evaluateHistory(
              inventory(report, summary),
              previous,
              SETTINGS,
              AS_OF,
              '2025-03-01T00:00:00Z',
            );
            for (const result of results) expect(['PASS', 'FAIL', 'ERROR']).toContain(result.status);
          }
        },
      ),
      PROPERTY,
    );
  });

  it('report a user row whose cells are all garbage as ERROR, naming its row', () => {
    fc.assert(
      fc.property(fc.array(garbageUserRow, { minLength: 1, maxLength: 4 }), (users) => {
        // Prepare: the root row first, as AWS writes it, so user rows are numbered from 2.
        const report = { GeneratedTime: GENERATED_TIME, rows: [rootRow(), ...users] };

        for (const id of USER_CHECKS) {
          // Act
          const results = evaluate(id, report);

          // Assess
          expect(results).toHaveLength(users.length);
          results.forEach((result, i) => {
            expect(result.status, `${id} on ${JSON.stringify(users[i])}`).toBe('ERROR');
            expect(result.message).toContain(`credential report row ${i + 2} `);
          });
        }
      }),
      PROPERTY,
    );
  });

  it('turn a PASS into ERROR naming the row and the column when one deciding cell is garbage', () => {
    const columns = Object.entries(DECIDING_COLUMNS).flatMap(([id, list]) =>
      list.map((c) => [id, c] as const),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...columns),
        garbageCell,
        fc.integer({ min: 0, max: 3 }),
        ([id, column], cell, others) => {
          // Prepare
          const healthy = Array.from({ length: others }, (_, i) => healthyRow(`fine-${i}`));
          const broken = rowOf([
            ...Object.entries(healthyRow('broken')).filter(([c]) => c !== column),
            [column, cell],
          ]);
          const report = { GeneratedTime: GENERATED_TIME, rows: [rootRow(), ...healthy, broken] };

          // Act
          const results = evaluate(id, report);

          // Assess
          expect(results.slice(0, others).every((r) => r.status === 'PASS')).toBe(true);
          const verdict = results.at(-1);
          expect(verdict?.status).toBe('ERROR');
          expect(verdict?.message).toContain(
            `credential report row ${others + 2} (user "broken"), column ${column}`,
          );
        },
      ),
      PROPERTY,
    );
  });

  it('never PASS the root user on a garbage root row when GetAccountSummary says nothing', () => {
    fc.assert(
      fc.property(fc.array(garbageCell, { minLength: 16, maxLength: 16 }), (cells) => {
        // Prepare
        const root = rowOf([
          ['user', '<root_account>'],
          ['arn', ROOT_ARN],
          ...[...BOOLEAN_COLUMNS, ...DATE_COLUMNS].map((column, i) => [column, cells[i]] as const),
        ]);
        const report = { GeneratedTime: GENERATED_TIME, rows: [root] };

        for (const check of iamChecks.filter((c) => c.id.startsWith('iam.root.'))) {
          // Act
          const results = check.evaluate(inventory(report, {}), SETTINGS, AS_OF);

          // Assess
          for (const result of results) expect(result.status, check.id).not.toBe('PASS');
        }
      }),
      PROPERTY,
    );
  });
});

describe('decoding the report CSV', () => {
  const HEADER = CREDENTIAL_REPORT_COLUMNS.join(',');
  const csvCell = fc.oneof(
    anyCell.map((c) => c ?? ''),
    fc.constantFrom('"', '""', '"a,b"', 'a"b', '\r', '\n'),
  );

  it('gives records of text or a CollectorDataError, for any bytes', () => {
    const content = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc
        .array(fc.array(csvCell, { maxLength: 24 }), { maxLength: 5 })
        .map((rows) => new TextEncoder().encode([HEADER, ...rows.map((r) => r.join(','))].join('\n'))),
    );
    fc.assert(
      fc.property(content, (bytes) => {
        let rows: readonly CredentialReportRow[];
        try {
          rows = decodeCredentialReport(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(CollectorDataError);
          return;
        }
        for (const row of rows) for (const value of Object.values(row)) expect(typeof value).toBe('string');
      }),
      PROPERTY,
    );
  });

  it('from CSV to verdict: garbage user rows are ERROR with their row number', () => {
    fc.assert(
      fc.property(fc.array(garbageUserRow, { minLength: 1, maxLength: 3 }), (users) => {
        // Prepare: cells are written without quotes, so only cells CSV can hold unquoted are kept.
        const plain = (cell: string | undefined) => (cell ?? '').replace(/[",\r\n]/g, '');
        const lines = [rootRow(), ...users].map((row) =>
          CREDENTIAL_REPORT_COLUMNS.map((column) => plain(row[column])).join(','),
        );
        const bytes = new TextEncoder().encode([HEADER, ...lines].join('\n'));

        // Act
        const rows = decodeCredentialReport(bytes);
        const results = evaluate('iam.user.console-mfa', { GeneratedTime: GENERATED_TIME, rows });

        // Assess
        expect(results).toHaveLength(users.length);
        results.forEach((result, i) => {
          expect(result.status).toBe('ERROR');
          expect(result.message).toContain(`credential report row ${i + 2} `);
        });
      }),
      PROPERTY,
    );
  });
});
