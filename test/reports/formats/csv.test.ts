import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../core/types.js';
import { CSV_COLUMNS, type CsvRow, neutralizeFormula, renderCsv } from '../../../reports/formats/csv.js';
import {
  criticalFinding,
  FINDINGS,
  HOSTILE_NAME,
  hostileFinding,
  makeReport,
  SECRET_EVIDENCE,
  suppressedFinding,
} from './fixture.js';

/** What a spreadsheet must see: formula triggers prefixed with `'` (written out here, not imported). */
function guarded(value: string): string {
  return /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/u.test(value) ? `'${value}` : value;
}

function expectedRow(finding: Finding): Record<string, string> {
  const remediation = [finding.remediation.text];
  if (finding.remediation.console !== undefined) remediation.push(`Console: ${finding.remediation.console}`);
  if (finding.remediation.cli !== undefined) remediation.push(`CLI: ${finding.remediation.cli}`);
  const frameworks = Object.entries(finding.frameworks)
    .flatMap(([framework, controls]) => (controls ?? []).map((control) => `${framework}:${control}`))
    .join('|');
  const row: Record<string, string> = {
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
    frameworks,
    fingerprint: finding.fingerprint,
    remediation: remediation.join(' '),
  };
  return Object.fromEntries(Object.entries(row).map(([column, value]) => [column, guarded(value)]));
}

describe('findings.csv', () => {
  it('parses back, with csv-parse, to one row per finding with the documented columns', () => {
    // Act
    const text = renderCsv(makeReport());
    const header = parse(text, { to_line: 1 }) as string[][];
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;

    // Assess
    expect(header[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toEqual(FINDINGS.map(expectedRow));
  });

  it('writes RFC 4180 records: CRLF between records, line breaks inside a field quoted', () => {
    // Act
    const text = renderCsv(makeReport([hostileFinding]));

    // Assess
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    // The message holds a CRLF and quotes: its field is quoted, quotes doubled.
    expect(text).toContain('Line two,\r\nwith ""quotes""');
    expect(parse(text, { columns: true })).toHaveLength(1);
  });

  it('neutralises cells a spreadsheet would evaluate, and only those', () => {
    // Act
    const [row] = parse(renderCsv(makeReport([hostileFinding])), { columns: true }) as CsvRow[];

    // Assess
    expect(row?.message.startsWith(`'${HOSTILE_NAME}`)).toBe(true);
    expect(row?.remediation.startsWith("'-Enable")).toBe(true);
    expect(row?.resourceId).toBe(hostileFinding.resourceId);
    expect(row?.checkId).toBe('iam.user.console-mfa');
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['\uff1d1+1', "'\uff1d1+1"],
    ['a=1', 'a=1'],
    ['', ''],
    ['arn:aws:s3:::b', 'arn:aws:s3:::b'],
  ])('neutralizeFormula(%j) is %j', (input, output) => {
    // Assess
    expect(neutralizeFormula(input)).toBe(output);
  });

  it('writes frameworks as framework:control joined by |, and history and suppression', () => {
    // Act
    const rows = parse(renderCsv(makeReport([criticalFinding, suppressedFinding])), {
      columns: true,
    }) as Array<Record<string, string>>;

    // Assess
    expect(rows[0]?.frameworks).toBe('cis-aws-3.0:1.4|cis-aws-5.0:1.3|fsbp:IAM.4');
    expect(rows[0]?.historyState).toBe('persisting');
    expect(rows[0]?.firstSeen).toBe('2025-05-01T02:00:00.000Z');
    expect(rows[1]?.suppressed).toBe('Bastion host, replaced in Q3 (CHG-1234)');
    expect(rows[1]?.suppressedUntil).toBe('2025-09-30T00:00:00.000Z');
  });

  it('leaves evidence out', () => {
    // Act
    const text = renderCsv(makeReport());

    // Assess
    expect(text).not.toContain(SECRET_EVIDENCE);
    expect(text).not.toContain('evidence');
  });

  it('writes only the header for a report without findings, and a BOM on request', () => {
    // Act
    const empty = renderCsv(makeReport([]));
    const withBom = renderCsv(makeReport([]), { bom: true });

    // Assess
    expect(empty).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    expect(withBom).toBe(`\ufeff${CSV_COLUMNS.join(',')}\r\n`);
  });
});
