/**
 * `findings.csv`: one row per finding, RFC 4180 (CRLF, quoted where needed), for spreadsheets
 * and quick filtering. Evidence is left out on purpose: it can hold addresses and policy
 * documents, and report.json keeps it. Resource names are chosen by whoever created the
 * resource, so every cell that a spreadsheet would read as a formula is neutralised.
 */
import { stringify } from 'csv-stringify/sync';
import type { Finding, Report } from '../../core/types.js';
import { frameworkRefsText, remediationText } from './common.js';

export const CSV_COLUMNS = [
  'checkId',
  'status',
  'severity',
  'accountId',
  'region',
  'resourceType',
  'resourceId',
  'title',
  'message',
  'suppressed',
  'suppressedUntil',
  'historyState',
  'firstSeen',
  'frameworks',
  'fingerprint',
  'remediation',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** One finding as CSV cells, already neutralised. */
export type CsvRow = Readonly<Record<CsvColumn, string>>;

export interface CsvOptions {
  /** Start with a UTF-8 byte order mark, which Excel needs to read non-ASCII text correctly. Default false. */
  readonly bom?: boolean;
}

/**
 * First characters that make a spreadsheet evaluate a cell (OWASP "CSV Injection"): `=`, `+`,
 * `-`, `@`, tab and carriage return, plus their full-width forms, which some spreadsheet
 * applications also accept as a formula prefix.
 */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\uff1d', '\uff0b', '\uff0d', '\uff20']);

/** Prefixes a cell that a spreadsheet would read as a formula with `'`, which shows it as text. */
export function neutralizeFormula(value: string): string {
  const first = value.charAt(0);
  return FORMULA_TRIGGERS.has(first) ? `'${value}` : value;
}

export function csvRow(finding: Finding): CsvRow {
  const cells: Record<CsvColumn, string> = {
    checkId: finding.checkId,
    status: finding.status,
    severity: finding.severity,
    accountId: finding.accountId,
    region: finding.region,
    resourceType: finding.resourceType,
    resourceId: finding.resourceId,
    title: finding.title,
    message: finding.message,
    suppressed: finding.suppressed?.reason ?? '',
    suppressedUntil: finding.suppressed?.expires ?? '',
    historyState: finding.history?.state ?? '',
    firstSeen: finding.history?.firstSeen ?? '',
    frameworks: frameworkRefsText(finding.frameworks),
    fingerprint: finding.fingerprint,
    remediation: remediationText(finding.remediation, ' '),
  };
  for (const column of CSV_COLUMNS) cells[column] = neutralizeFormula(cells[column]);
  return cells;
}

export function csvRows(report: Report): CsvRow[] {
  return report.findings.map(csvRow);
}

/** The whole file: a header row, then one row per finding in report order. */
export function renderCsv(report: Report, options: CsvOptions = {}): string {
  return stringify(csvRows(report), stringifyOptions(true, options));
}

/** `renderCsv` as the findings come, batch by batch: the same bytes. */
export async function* csvChunks(
  findings: AsyncIterable<readonly Finding[]>,
  options: CsvOptions = {},
): AsyncGenerator<string> {
  yield stringify([], stringifyOptions(true, options));
  const rows = stringifyOptions(false, {});
  for await (const batch of findings) {
    if (batch.length > 0) yield stringify(batch.map(csvRow), rows);
  }
}

function stringifyOptions(header: boolean, options: CsvOptions) {
  return {
    header,
    columns: [...CSV_COLUMNS],
    record_delimiter: 'windows' as const,
    // RFC 4180 quotes any field with a line break; csv-stringify by itself quotes only the
    // record delimiter (CRLF), which would leave a bare LF or CR splitting the row.
    quoted_match: /[\r\n]/,
    bom: options.bom ?? false,
  };
}
