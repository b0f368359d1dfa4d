/**
 * The report's summary: findings by status, unsuppressed failures by severity and by check, and
 * what was scanned. Counted one finding at a time, so a run need not hold its findings to be
 * summarized.
 */
import type { Finding, Report, Severity, Summary, TargetCoverage } from '../types.js';
import { SEVERITIES, SEVERITY_RANK } from '../types.js';

const TOP_FAILING = 5;

export class SummaryCounter {
  private readonly byStatus = { PASS: 0, FAIL: 0, ERROR: 0 };
  private readonly failBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<
    Severity,
    number
  >;
  private readonly failing = new Map<string, { checkId: string; severity: Severity; count: number }>();
  private suppressed = 0;

  add(f: Finding): void {
    this.byStatus[f.status] += 1;
    if (f.suppressed !== undefined) {
      this.suppressed += 1;
      return;
    }
    if (f.status !== 'FAIL') return;
    this.failBySeverity[f.severity] += 1;
    const entry = this.failing.get(f.checkId) ?? { checkId: f.checkId, severity: f.severity, count: 0 };
    entry.count += 1;
    this.failing.set(f.checkId, entry);
  }

  result(accounts: Report['coverage']['accounts'], targets: readonly TargetCoverage[]): Summary {
    const topFailingChecks = [...this.failing.values()]
      .sort(
        (a, b) =>
          SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
          b.count - a.count ||
          a.checkId.localeCompare(b.checkId),
      )
      .slice(0, TOP_FAILING)
      .map((c) => ({ ...c }));
    const scanned = targets.filter((t) => t.status === 'scanned').length;
    const errored = targets.filter((t) => t.status === 'error').length;
    return {
      findings: { ...this.byStatus },
      failBySeverity: { ...this.failBySeverity },
      suppressed: this.suppressed,
      // Regions that are not enabled are not targets: they are listed in coverage, not counted here.
      targets: { total: scanned + errored, scanned, errored },
      accounts: {
        total: accounts.length,
        scanned: accounts.filter((a) => a.status === 'scanned').length,
        notScanned: accounts.filter((a) => a.status === 'not-scanned').length,
        errored: accounts.filter((a) => a.status === 'error').length,
      },
      topFailingChecks,
      incomplete: this.byStatus.ERROR > 0,
    };
  }
}

export function summarize(
  findings: readonly Finding[],
  accounts: Report['coverage']['accounts'],
  targets: readonly TargetCoverage[],
): Summary {
  const counter = new SummaryCounter();
  for (const f of findings) counter.add(f);
  return counter.result(accounts, targets);
}
