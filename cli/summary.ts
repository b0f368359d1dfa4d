/**
 * The short summary a scan prints: what failed, by severity; the checks that fail most; what
 * could not be assessed; where the report is.
 */

import type { Report } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';
import { describeKind } from '../inventory/errors.js';

export function formatSummary(report: Report, reportPath: string): string {
  const { summary, coverage } = report;
  const lines: string[] = [];
  const notScannedAccounts = coverage.accounts.filter((a) => a.status === 'not-scanned');
  lines.push(
    `custos run ${report.runId}: ${summary.accounts.scanned} of ${summary.accounts.total} account(s) scanned, ` +
      `${summary.targets.scanned} of ${summary.targets.total} target(s) fully assessed`,
  );
  lines.push(
    `Findings: ${summary.findings.PASS} PASS, ${summary.findings.FAIL} FAIL, ${summary.findings.ERROR} ERROR`,
  );
  lines.push(`Failing by severity: ${SEVERITIES.map((s) => `${s} ${summary.failBySeverity[s]}`).join(', ')}`);
  if (summary.topFailingChecks.length > 0) {
    lines.push('Top failing checks:');
    const width = Math.max(...summary.topFailingChecks.map((c) => c.checkId.length));
    for (const c of summary.topFailingChecks)
      lines.push(`  ${c.severity.padEnd(8)} ${c.checkId.padEnd(width)}  ${c.count}`);
  }
  const gaps = coverageGaps(report);
  if (gaps.length > 0) {
    lines.push(`Not assessed (${gaps.length}):`);
    for (const gap of gaps.slice(0, 10)) lines.push(`  ${gap}`);
    if (gaps.length > 10) lines.push(`  ... and ${gaps.length - 10} more in the report's coverage`);
  }
  const skipped = [
    ...notScannedAccounts.map((a) => `${a.accountId}: ${a.reason ?? 'not scanned'}`),
    ...coverage.targets
      .filter((t) => t.status === 'not-scanned')
      .map((t) => `${t.accountId} ${t.region}: ${t.reason ?? ''}`),
  ];
  if (skipped.length > 0) {
    lines.push(`Not scanned (${skipped.length}):`);
    for (const s of skipped.slice(0, 10)) lines.push(`  ${s}`);
    if (skipped.length > 10) lines.push(`  ... and ${skipped.length - 10} more in the report's coverage`);
  }
  for (const c of coverage.checksNotRun) lines.push(`Check not run: ${c.checkId} (${c.reason})`);
  lines.push(`Report: ${reportPath}`);
  return lines.join('\n');
}

function coverageGaps(report: Report): string[] {
  const gaps: string[] = [];
  for (const a of report.coverage.accounts) {
    if (a.status === 'error') gaps.push(`${a.accountId}: ${a.reason ?? 'error'}`);
  }
  for (const t of report.coverage.targets) {
    if (t.status !== 'error') continue;
    for (const [id, result] of Object.entries(t.collectors)) {
      if (result !== undefined && !result.ok) {
        gaps.push(
          `${t.accountId} ${t.region}: ${id}: ${describeKind(result.error.kind)} (${result.error.code})`,
        );
      }
    }
  }
  return gaps;
}
