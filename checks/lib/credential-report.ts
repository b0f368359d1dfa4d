/**
 * Typed reading of the IAM credential report. The collector decodes the CSV into one record per
 * row, keyed by column name, with the values exactly as the CSV writes them; this module reads
 * those records: booleans case-insensitively, timestamps as ISO-8601 instants, and the report's
 * markers (`N/A`, `no_information`, `not_supported`) as distinct values, never as dates or
 * booleans. The `<root_account>` row is kept apart from the IAM users.
 */
import type { CredentialReportRow } from '../../core/aws-shapes.js';
import type { CheckResult, CredentialReport } from '../../core/types.js';
import { scopeId } from './arn.js';

/** The report's 22 columns, in AWS's order. */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

export type CredentialReportColumn = (typeof CREDENTIAL_REPORT_COLUMNS)[number];

export const BOOLEAN_COLUMNS = [
  'password_enabled',
  'mfa_active',
  'access_key_1_active',
  'access_key_2_active',
  'cert_1_active',
  'cert_2_active',
] as const satisfies readonly CredentialReportColumn[];

export type BooleanColumn = (typeof BOOLEAN_COLUMNS)[number];

export const DATE_COLUMNS = [
  'user_creation_time',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'cert_1_last_rotated',
  'cert_2_last_rotated',
] as const satisfies readonly CredentialReportColumn[];

export type DateColumn = (typeof DATE_COLUMNS)[number];

/** The literal `user` of the root user's row. */
export const ROOT_USER = '<root_account>';

/**
 * The report's markers: `N/A` (no such credential, or never used), `no_information` (a password
 * never used, or used before IAM tracked it), `not_supported` (the root user's password columns).
 */
export const REPORT_MARKERS = ['N/A', 'no_information', 'not_supported'] as const;
export type ReportMarker = (typeof REPORT_MARKERS)[number];

/** One cell, read as the type its column holds. `raw` is the text as the report has it. */
export type Cell<T> =
  | { readonly kind: 'value'; readonly value: T; readonly raw: string }
  | { readonly kind: 'marker'; readonly value: ReportMarker; readonly raw: string }
  | { readonly kind: 'invalid'; readonly raw: string | undefined; readonly problem: string };

/** An IAM user's row (or the root row), with its position in the report. */
export interface CredentialReportEntry {
  /** 1-based position among the data rows; the CSV line is one more, after the header. */
  readonly rowNumber: number;
  /** The `user` column, or the name the ARN ends with when `user` is empty. */
  readonly user: string;
  readonly arn: string;
  readonly row: CredentialReportRow;
}

/** A row that names no ARN, so no finding can be attributed to it precisely. */
export interface UnattributableRow {
  readonly rowNumber: number;
  readonly user: string | undefined;
  readonly row: CredentialReportRow;
}

export interface SplitCredentialReport {
  readonly generatedTime: string;
  /** The first `<root_account>` row, when the report has one. */
  readonly root: CredentialReportEntry | undefined;
  /** Every IAM user's row, in report order; never a root row. */
  readonly users: readonly CredentialReportEntry[];
  readonly unattributable: readonly UnattributableRow[];
}

export interface CredentialReportProblem {
  /** Absent for problems of the report itself (its GeneratedTime). */
  readonly rowNumber?: number;
  readonly column?: string;
  readonly message: string;
}

const MARKERS_BY_LOWERCASE: ReadonlyMap<string, ReportMarker> = new Map(
  REPORT_MARKERS.map((marker) => [marker.toLowerCase(), marker]),
);

/** A root row: `user` is `<root_account>`, or (defensively) the ARN is the account's root. */
export function isRootRow(row: CredentialReportRow): boolean {
  return row.user === ROOT_USER || /:root$/.test(row.arn ?? '');
}

/** Separates the root row from the IAM users' rows and sets aside rows without an ARN. */
export function splitCredentialReport(report: CredentialReport): SplitCredentialReport {
  let root: CredentialReportEntry | undefined;
  const users: CredentialReportEntry[] = [];
  const unattributable: UnattributableRow[] = [];
  report.rows.forEach((row, index) => {
    const rowNumber = index + 1;
    const arn = nonEmpty(row.arn);
    const user = nonEmpty(row.user);
    if (isRootRow(row)) {
      if (root === undefined) root = { rowNumber, user: user ?? ROOT_USER, arn: arn ?? '', row };
      return;
    }
    if (arn === undefined) {
      unattributable.push({ rowNumber, user, row });
      return;
    }
    users.push({ rowNumber, user: user ?? arn.slice(arn.lastIndexOf('/') + 1), arn, row });
  });
  return { generatedTime: report.GeneratedTime, root, users, unattributable };
}

/** Reads a boolean column: `TRUE`/`true`/`False` …, a report marker, or invalid. */
export function readBoolean(row: CredentialReportRow, column: BooleanColumn): Cell<boolean> {
  const raw = row[column];
  const common = readCommon(raw);
  if (common !== undefined) return common;
  const text = (raw as string).trim().toLowerCase();
  if (text === 'true') return { kind: 'value', value: true, raw: raw as string };
  if (text === 'false') return { kind: 'value', value: false, raw: raw as string };
  return { kind: 'invalid', raw, problem: `${JSON.stringify(raw)} is not TRUE, FALSE or a report marker` };
}

/** Reads a timestamp column: an ISO-8601 instant, a report marker, or invalid. */
export function readDate(row: CredentialReportRow, column: DateColumn): Cell<Date> {
  const raw = row[column];
  const common = readCommon(raw);
  if (common !== undefined) return common;
  const value = parseIsoInstant((raw as string).trim());
  if (value === undefined) {
    return {
      kind: 'invalid',
      raw,
      problem: `${JSON.stringify(raw)} is not an ISO-8601 timestamp or a report marker`,
    };
  }
  return { kind: 'value', value, raw: raw as string };
}

/** Missing and empty cells are invalid; markers are recognised case-insensitively. */
function readCommon(raw: string | undefined): Cell<never> | undefined {
  if (raw === undefined) return { kind: 'invalid', raw, problem: 'the column is missing' };
  const text = raw.trim();
  if (text === '') return { kind: 'invalid', raw, problem: 'the cell is empty' };
  const marker = MARKERS_BY_LOWERCASE.get(text.toLowerCase());
  return marker === undefined ? undefined : { kind: 'marker', value: marker, raw };
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * Parses an ISO-8601 date or date-time. A date-time without an offset is read as UTC (never as
 * the machine's local time); impossible dates such as February 30 are refused rather than rolled
 * over as `Date` would.
 */
export function parseIsoInstant(text: string): Date | undefined {
  const match = ISO_INSTANT.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', , sign, oh = '0', om = '0'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const offsetHours = Number(oh);
  const offsetMinutes = Number(om);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const millis = Math.floor(Number(`0.${frac || '0'}`) * 1000);
  const offset = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  const time = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset * 60_000;
  return Number.isNaN(time) ? undefined : new Date(time);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Names a row for messages: `credential report row 3 (user "alice")`. */
export function describeRow(entry: {
  readonly rowNumber: number;
  readonly user?: string | undefined;
}): string {
  const who = entry.user === undefined ? 'no user name' : `user ${JSON.stringify(entry.user)}`;
  return `credential report row ${entry.rowNumber} (${who})`;
}

/** A message naming the row, the column and what was wrong with the cell. */
export function describeCellProblem(
  entry: { readonly rowNumber: number; readonly user?: string | undefined },
  column: CredentialReportColumn,
  problem: string,
): string {
  return `${describeRow(entry)}, column ${column}: ${problem}`;
}

/**
 * Everything malformed in a report: an unreadable GeneratedTime, missing or empty columns,
 * booleans and timestamps that are neither values nor markers, rows without a user or an ARN,
 * and more than one root row. Each problem names the row (1-based among data rows) and column.
 */
export function validateCredentialReport(report: CredentialReport): CredentialReportProblem[] {
  const problems: CredentialReportProblem[] = [];
  if (parseIsoInstant(report.GeneratedTime.trim()) === undefined) {
    problems.push({
      message: `GeneratedTime ${JSON.stringify(report.GeneratedTime)} is not an ISO-8601 timestamp`,
    });
  }
  let rootRows = 0;
  report.rows.forEach((row, index) => {
    const rowNumber = index + 1;
    problems.push(...validateCredentialReportRow(row, rowNumber));
    if (isRootRow(row)) {
      rootRows += 1;
      if (rootRows > 1) {
        problems.push({
          rowNumber,
          message: `${describeRow({ rowNumber, user: row.user })} is a second root row`,
        });
      }
    }
  });
  return problems;
}

/** The problems of one row; `rowNumber` is its 1-based position among the data rows. */
export function validateCredentialReportRow(
  row: CredentialReportRow,
  rowNumber: number,
): CredentialReportProblem[] {
  const problems: CredentialReportProblem[] = [];
  const entry = { rowNumber, user: nonEmpty(row.user) };
  const add = (column: CredentialReportColumn, problem: string): void => {
    problems.push({ rowNumber, column, message: describeCellProblem(entry, column, problem) });
  };
  for (const column of ['user', 'arn'] as const) {
    if (nonEmpty(row[column]) === undefined) {
      add(column, row[column] === undefined ? 'the column is missing' : 'the cell is empty');
    }
  }
  const arn = nonEmpty(row.arn);
  if (arn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:(root|user\/.+)$/.test(arn)) {
    add('arn', `${JSON.stringify(arn)} is not an IAM user or root ARN`);
  }
  for (const column of BOOLEAN_COLUMNS) {
    const cell = readBoolean(row, column);
    if (cell.kind === 'invalid') add(column, cell.problem);
  }
  for (const column of DATE_COLUMNS) {
    const cell = readDate(row, column);
    if (cell.kind === 'invalid') add(column, cell.problem);
  }
  for (const column of CREDENTIAL_REPORT_COLUMNS) {
    if ((BOOLEAN_COLUMNS as readonly string[]).includes(column)) continue;
    if ((DATE_COLUMNS as readonly string[]).includes(column)) continue;
    if (column === 'user' || column === 'arn') continue;
    if (row[column] === undefined) add(column, 'the column is missing');
  }
  return problems;
}

/** Milliseconds in a day: ages are measured in exact 24-hour days from the scan's instant. */
export const DAY_MS = 86_400_000;

/** Whole days from `then` to `asOf` (negative when `then` is later). */
export function ageInDays(then: Date, asOf: Date): number {
  return Math.floor((asOf.getTime() - then.getTime()) / DAY_MS);
}

/** Parses the scan's `asOf`; an unreadable one is a programmer error. */
export function parseAsOf(asOf: string): Date {
  const date = parseIsoInstant(asOf.trim());
  if (date === undefined) {
    throw new RangeError(`asOf ${JSON.stringify(asOf)} is not an ISO-8601 timestamp`);
  }
  return date;
}

/**
 * The ERROR finding for a row that names no ARN: its resource is the user's ARN built from the
 * name when the row has one (IAM paths unknown), else the account's whole IAM scope.
 */
export function unattributableRowResult(
  row: UnattributableRow,
  accountId: string,
  generatedTime: string,
): CheckResult {
  const resourceId =
    row.user === undefined
      ? scopeId('iam', accountId, 'global')
      : `arn:aws:iam::${accountId}:user/${row.user}`;
  return {
    status: 'ERROR',
    resourceId,
    message: `Cannot assess ${describeRow(row)}: its arn column is ${row.row.arn === undefined ? 'missing' : 'empty'}.`,
    evidence: {
      rowNumber: row.rowNumber,
      user: row.row.user ?? null,
      credentialReportGeneratedTime: generatedTime,
    },
  };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}
