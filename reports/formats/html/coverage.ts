/**
 * What the run could not see, gathered from the report's coverage: accounts that could not be
 * entered or were not scanned, targets that failed or were skipped, collectors that failed in
 * scanned targets, checks that did not run. Pure.
 */
import type { CollectorError, Report } from '../../../core/types.js';

export interface AccountGap {
  readonly accountId: string;
  readonly name?: string;
  readonly status: 'error' | 'not-scanned';
  /** Why, in words: the error (kind, code, message) or the recorded reason. */
  readonly reason: string;
}

/** Targets that failed or were skipped, grouped by region, status and reason. */
export interface RegionGap {
  readonly region: string;
  readonly status: 'error' | 'not-scanned';
  readonly reason: string;
  readonly accountIds: readonly string[];
}

/** Collectors that failed in scanned targets, grouped by collector and error. */
export interface CollectorGap {
  readonly collector: string;
  readonly reason: string;
  /** AWS's message of the first target that failed this way. */
  readonly message: string;
  readonly targets: ReadonlyArray<{ readonly accountId: string; readonly region: string }>;
}

export interface CoverageGaps {
  readonly accounts: readonly AccountGap[];
  readonly regions: readonly RegionGap[];
  readonly collectors: readonly CollectorGap[];
  readonly checksNotRun: ReadonlyArray<{ readonly checkId: string; readonly reason: string }>;
  /** ERROR findings: what could not be assessed, resource by resource. */
  readonly errorFindings: number;
  /** Gaps that leave something unassessed: account, target and collector errors, skipped targets and checks. */
  readonly total: number;
}

export function describeError(error: CollectorError): string {
  const where = error.operation === undefined ? '' : ` in ${error.operation}`;
  return `${error.kind} (${error.code}${where}): ${error.message}`;
}

function reasonOf(entry: { readonly reason?: string; readonly error?: CollectorError }, fallback: string) {
  if (entry.error !== undefined) {
    return entry.reason === undefined
      ? describeError(entry.error)
      : `${entry.reason}: ${describeError(entry.error)}`;
  }
  return entry.reason ?? fallback;
}

export function coverageGaps(report: Pick<Report, 'coverage' | 'summary'>): CoverageGaps {
  const { coverage } = report;
  const accounts: AccountGap[] = [];
  const accountsOut = new Set<string>();
  for (const account of coverage.accounts) {
    if (account.status === 'scanned') continue;
    accountsOut.add(account.accountId);
    const state = account.state === undefined ? '' : `state ${account.state}`;
    accounts.push({
      accountId: account.accountId,
      ...(account.name !== undefined && { name: account.name }),
      status: account.status,
      reason: reasonOf(
        account,
        state || (account.status === 'error' ? 'could not be entered' : 'not scanned'),
      ),
    });
  }
  accounts.sort((a, b) => (a.status === b.status ? 0 : a.status === 'error' ? -1 : 1));

  const regionGroups = new Map<
    string,
    { region: string; status: RegionGap['status']; reason: string; ids: string[] }
  >();
  const collectorGroups = new Map<
    string,
    {
      collector: string;
      reason: string;
      message: string;
      targets: Array<{ accountId: string; region: string }>;
    }
  >();
  for (const target of coverage.targets) {
    if (target.status !== 'scanned') {
      if (accountsOut.has(target.accountId)) continue;
      const reason = reasonOf(target, target.status === 'error' ? 'failed' : 'not scanned');
      const key = `${target.region}\u001f${target.status}\u001f${reason}`;
      const group = regionGroups.get(key) ?? {
        region: target.region,
        status: target.status,
        reason,
        ids: [],
      };
      group.ids.push(target.accountId);
      regionGroups.set(key, group);
      continue;
    }
    for (const [collector, result] of Object.entries(target.collectors)) {
      if (result === undefined || result.ok) continue;
      const reason = `${result.error.kind} (${result.error.code})`;
      const key = `${collector}\u001f${reason}`;
      const group = collectorGroups.get(key) ?? {
        collector,
        reason,
        message: result.error.message,
        targets: [],
      };
      group.targets.push({ accountId: target.accountId, region: target.region });
      collectorGroups.set(key, group);
    }
  }
  const regions = [...regionGroups.values()]
    .map((g) => ({
      region: g.region,
      status: g.status,
      reason: g.reason,
      accountIds: [...new Set(g.ids)].sort(),
    }))
    .sort((a, b) =>
      a.status === b.status ? a.region.localeCompare(b.region) : a.status === 'error' ? -1 : 1,
    );
  const collectors = [...collectorGroups.values()].sort(
    (a, b) => b.targets.length - a.targets.length || a.collector.localeCompare(b.collector),
  );
  const checksNotRun = [...coverage.checksNotRun];
  return {
    accounts,
    regions,
    collectors,
    checksNotRun,
    errorFindings: report.summary.findings.ERROR,
    total:
      accounts.length +
      regions.reduce((n, g) => n + g.accountIds.length, 0) +
      collectors.reduce((n, g) => n + g.targets.length, 0) +
      checksNotRun.length,
  };
}
