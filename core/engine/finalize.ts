/**
 * Step three: merge the targets' shards into one report. Accounts that could not be entered
 * become ERROR findings for every selected check, so an unreachable account never reads as
 * clean.
 */

import {
  advanceHistory,
  advanceHistoryInputs,
  evaluateHistoryChecks,
  type HistoryInputs,
  type Ledger,
} from '../history.js';
import { applySuppressions } from '../suppressions.js';
import type { CheckMetadata, CollectorId, Finding, Report, Summary, TargetCoverage } from '../types.js';
import { GLOBAL_REGION, SEVERITIES, SEVERITY_RANK } from '../types.js';
import type { EngineContext, ScanPlan, TargetShard } from './context.js';
import { errorFinding } from './findings.js';

const TOP_FAILING = 5;

/** What finalize reads of the store's history: the newest ledger and history inputs. */
export interface PreviousRun {
  readonly ledger?: Ledger;
  readonly inputs?: HistoryInputs;
}

export interface FinalizedRun {
  readonly report: Report;
  /** Written with the run: what the next run compares with. */
  readonly ledger: Ledger;
  readonly historyInputs: HistoryInputs;
}

export function finalize(
  ctx: EngineContext,
  plan: ScanPlan,
  shards: readonly TargetShard[],
  previous: PreviousRun = {},
): FinalizedRun {
  const selected = new Set(plan.checkIds);
  const checks = ctx.registry.filter((c) => selected.has(c.id));
  const historyChecks = (ctx.historyRegistry ?? []).filter((c) => selected.has(c.id));
  const inventories = shards.map((s) => s.inventory);
  const derived = evaluateHistoryChecks(
    historyChecks,
    inventories,
    previous.inputs,
    ctx.config.settings,
    plan.asOf,
  );
  const merged = [
    ...shards.flatMap((s) => s.findings),
    ...derived.findings,
    ...unreachableAccountFindings(plan, [...checks, ...historyChecks]),
  ].sort(compareFindings);
  // Suppressions apply before counting: a suppressed FAIL keeps its status but not its weight.
  const suppressed = applySuppressions(merged, ctx.config.suppressions, plan.asOf);
  const targets: TargetCoverage[] = [...shards.map((s) => s.coverage), ...plan.skippedTargets].sort(
    (a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region),
  );
  const coverage = {
    accounts: plan.accounts,
    targets,
    checksNotRun: [...plan.checksNotRun, ...derived.notRun],
  };
  const report: Report = {
    schemaVersion: 1,
    runId: plan.runId,
    startedAt: plan.startedAt,
    finishedAt: ctx.now().toISOString(),
    asOf: plan.asOf,
    toolVersion: ctx.toolVersion,
    configDigest: ctx.config.digest,
    scope: plan.scope,
    summary: summarize(suppressed.findings, coverage.accounts, targets),
    coverage,
    findings: suppressed.findings,
    ...(ctx.config.suppressions.length > 0 && {
      suppressions: { expired: suppressed.expired, unused: suppressed.unused },
    }),
  };
  const history = advanceHistory(previous.ledger, report, {
    registry: [...ctx.registry, ...(ctx.historyRegistry ?? [])].map((c) => ({
      id: c.id,
      needs: c.needs as readonly CollectorId[],
    })),
    unassessed: derived.unassessed,
  });
  const historyNeeds = [...new Set(historyChecks.flatMap((c) => c.needs as readonly CollectorId[]))];
  return {
    report: { ...report, findings: history.findings, changes: history.changes },
    ledger: history.ledger,
    historyInputs: advanceHistoryInputs(previous.inputs, inventories, historyNeeds, {
      runId: plan.runId,
      asOf: plan.asOf,
    }),
  };
}

function unreachableAccountFindings(plan: ScanPlan, checks: readonly CheckMetadata[]): Finding[] {
  const findings: Finding[] = [];
  for (const account of plan.accounts) {
    if (account.status !== 'error' || account.error === undefined) continue;
    for (const check of checks) {
      // Which regions the account has is unknown when it cannot be entered: `*` stands for all.
      const regions =
        check.scope === 'global'
          ? [GLOBAL_REGION]
          : plan.scope.regions === 'all'
            ? ['*']
            : [...plan.scope.regions];
      for (const region of regions) {
        findings.push(
          errorFinding(check, { accountId: account.accountId, region }, 'account access', account.error),
        );
      }
    }
  }
  return findings;
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    a.accountId.localeCompare(b.accountId) ||
    a.region.localeCompare(b.region) ||
    a.checkId.localeCompare(b.checkId) ||
    a.resourceId.localeCompare(b.resourceId)
  );
}

export function summarize(
  findings: readonly Finding[],
  accounts: Report['coverage']['accounts'],
  targets: readonly TargetCoverage[],
): Summary {
  const byStatus = { PASS: 0, FAIL: 0, ERROR: 0 };
  const failBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<
    (typeof SEVERITIES)[number],
    number
  >;
  const failing = new Map<string, { checkId: string; severity: Finding['severity']; count: number }>();
  let suppressed = 0;
  for (const f of findings) {
    byStatus[f.status] += 1;
    if (f.suppressed !== undefined) {
      suppressed += 1;
      continue;
    }
    if (f.status !== 'FAIL') continue;
    failBySeverity[f.severity] += 1;
    const entry = failing.get(f.checkId) ?? { checkId: f.checkId, severity: f.severity, count: 0 };
    entry.count += 1;
    failing.set(f.checkId, entry);
  }
  const topFailingChecks = [...failing.values()]
    .sort(
      (a, b) =>
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
        b.count - a.count ||
        a.checkId.localeCompare(b.checkId),
    )
    .slice(0, TOP_FAILING);
  const scanned = targets.filter((t) => t.status === 'scanned').length;
  const errored = targets.filter((t) => t.status === 'error').length;
  return {
    findings: byStatus,
    failBySeverity,
    suppressed,
    // Regions that are not enabled are not targets: they are listed in coverage, not counted here.
    targets: { total: scanned + errored, scanned, errored },
    accounts: {
      total: accounts.length,
      scanned: accounts.filter((a) => a.status === 'scanned').length,
      notScanned: accounts.filter((a) => a.status === 'not-scanned').length,
      errored: accounts.filter((a) => a.status === 'error').length,
    },
    topFailingChecks,
    incomplete: byStatus.ERROR > 0,
  };
}
