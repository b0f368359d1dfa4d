/**
 * The IAM credential report: one CSV per account, its 22 columns in AWS's order. The estate
 * holds one object per row, keyed by column name; a column a row lacks is written `N/A`, as
 * AWS writes a value that does not apply, and keys that are not report columns are left out.
 */
import { CREDENTIAL_REPORT_COLUMNS } from '../../checks/lib/credential-report.js';
import type { CredentialReportRow } from '../../core/aws-shapes.js';

export { CREDENTIAL_REPORT_COLUMNS };

const NOT_APPLICABLE = 'N/A';

export function credentialReportCsv(rows: readonly CredentialReportRow[]): string {
  const lines = [CREDENTIAL_REPORT_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      CREDENTIAL_REPORT_COLUMNS.map((column) =>
        csvField(Object.hasOwn(row, column) ? (row[column] ?? NOT_APPLICABLE) : NOT_APPLICABLE),
      ).join(','),
    );
  }
  return lines.join('\n');
}

/** RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
