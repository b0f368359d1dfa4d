/**
 * The fault campaign's harness: scans the demo organization through a simulator that injects
 * one fault, and compares every verdict with a fault-free scan of the same estate.
 *
 * A verdict is keyed by (checkId, accountId, region, resourceId). A resource is *hit* when the
 * fault stopped something its verdict depends on: its account, its target, or a collector its
 * check needs in that target. Hit resources must be ERROR (their own finding, or an ERROR that
 * covers the check's whole account and region); the others must keep the baseline's verdict.
 * A false PASS is a PASS for a hit resource, or for one the baseline did not pass.
 */
import { fileURLToPath } from 'node:url';
import { ALL_CHECKS } from '../../checks/registry.js';
import { loadConfig } from '../../cli/config-file.js';
import { runScan, type ScanRun } from '../../core/engine/run.js';
import type { Finding, FindingStatus, Report } from '../../core/types.js';
import { AwsClients, CallMetrics } from '../../inventory/clients.js';
import { AccountSessions } from '../../inventory/sessions.js';
import { type Estate, loadEstateFile } from '../../sim/estate.js';
import { type SimulatorOptions, startSimulator } from '../../sim/server.js';

const ESTATE = fileURLToPath(new URL('../../examples/demo-estate.json', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../examples/demo.config.json', import.meta.url));

export const MANAGEMENT = '111111111111';
export const PROD = '222222222222';
export const DEV = '333333333333';
export const HOME = 'us-east-1';

export function demoEstate(): Estate {
  return loadEstateFile(ESTATE);
}

export interface ScanSetup {
  readonly estate?: Estate;
  readonly sim?: SimulatorOptions;
  readonly requestTimeoutMs?: number;
  readonly refreshMarginMs?: number;
  readonly maxAttempts?: number;
}

export interface FaultScan {
  readonly run: ScanRun;
  readonly metrics: CallMetrics;
  readonly callCounts: Record<string, number>;
  readonly throttled: Record<string, number>;
  readonly wallMs: number;
}

/** Scans the demo organization (or `setup.estate`) through a simulator of its own. */
export async function scanWithFaults(setup: ScanSetup = {}): Promise<FaultScan> {
  const sim = await startSimulator(setup.estate ?? demoEstate(), { maxPageSize: 5, ...setup.sim });
  const config = loadConfig(CONFIG, {});
  const metrics = new CallMetrics();
  const caller = new AwsClients({
    credentials: sim.credentials,
    endpoint: sim.endpoint,
    homeRegion: HOME,
    metrics,
    ...(setup.requestTimeoutMs !== undefined && { requestTimeoutMs: setup.requestTimeoutMs }),
    ...(setup.maxAttempts !== undefined && { maxAttempts: setup.maxAttempts }),
  });
  const sessions = new AccountSessions(caller, config.assumeRole, 'fault-run', {
    ...(setup.refreshMarginMs !== undefined && { refreshMarginMs: setup.refreshMarginMs }),
  });
  const started = performance.now();
  try {
    const run = await runScan(
      {
        config,
        registry: ALL_CHECKS,
        sessions,
        homeRegion: HOME,
        toolVersion: '0.0.0-test',
        now: () => new Date(),
      },
      'fault-run',
    );
    return {
      run,
      metrics,
      callCounts: sim.callCounts(),
      throttled: sim.throttled(),
      wallMs: performance.now() - started,
    };
  } finally {
    sessions.destroy();
    await sim.close();
  }
}

export function verdictKey(f: Pick<Finding, 'checkId' | 'accountId' | 'region' | 'resourceId'>): string {
  return `${f.checkId} ${f.accountId} ${f.region} ${f.resourceId}`;
}

export function verdicts(report: Report): Map<string, FindingStatus> {
  return new Map(report.findings.map((f) => [verdictKey(f), f.status]));
}

const NEEDS = new Map(ALL_CHECKS.map((check) => [check.id, check.needs as readonly string[]]));

/** What the fault stopped: accounts, targets and collectors that are not ok in the report. */
export function stopped(report: Report): Set<string> {
  const out = new Set<string>();
  for (const account of report.coverage.accounts) {
    if (account.status === 'error') out.add(`${account.accountId} *`);
  }
  for (const target of report.coverage.targets) {
    // A target that stopped before its collectors ran hides all of them; one failed collector
    // hides only what needs it.
    if (target.status !== 'scanned' && Object.keys(target.collectors).length === 0) {
      out.add(`${target.accountId} ${target.region} *`);
    }
    for (const [collector, result] of Object.entries(target.collectors)) {
      if (result !== undefined && !result.ok) out.add(`${target.accountId} ${target.region} ${collector}`);
    }
  }
  return out;
}

function isHit(stops: Set<string>, f: Finding): boolean {
  if (stops.has(`${f.accountId} *`) || stops.has(`${f.accountId} ${f.region} *`)) return true;
  return (NEEDS.get(f.checkId) ?? []).some((collector) =>
    stops.has(`${f.accountId} ${f.region} ${collector}`),
  );
}

/** An ERROR that stands for every resource of a check in an account and region (or account). */
function scopeErrors(report: Report): Set<string> {
  const out = new Set<string>();
  for (const f of report.findings) {
    if (f.status !== 'ERROR') continue;
    out.add(`${f.checkId} ${f.accountId} ${f.region}`);
    out.add(`${f.checkId} ${f.accountId} *`);
  }
  return out;
}

/** Coverage of each target (and account) as a comparable line. */
function coverageLines(report: Report): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of report.coverage.accounts) out.set(`account ${a.accountId}`, `${a.status}`);
  for (const t of report.coverage.targets) {
    const collectors = Object.entries(t.collectors)
      .map(([id, r]) => `${id}:${r?.ok === true ? 'ok' : 'error'}`)
      .sort()
      .join(',');
    out.set(`target ${t.accountId} ${t.region}`, `${t.status} ${collectors}`);
  }
  return out;
}

export interface Comparison {
  /** Targets (or accounts) whose coverage differs from the baseline's. */
  readonly targetsAffected: number;
  readonly errorFindings: number;
  /** Baseline verdicts the fault hid (now ERROR, or covered by a scope ERROR). */
  readonly hidden: number;
  readonly falsePasses: readonly string[];
  /** Untouched resources whose verdict differs from the baseline's, or that vanished. */
  readonly changedUntouched: readonly string[];
  /** Hit resources that are neither ERROR nor covered by a scope ERROR. */
  readonly hiddenNotError: readonly string[];
  /** Findings the baseline does not have that are not ERROR. */
  readonly unexpected: readonly string[];
}

export function compare(baseline: Report, faulted: Report): Comparison {
  const base = new Map(baseline.findings.map((f) => [verdictKey(f), f]));
  const now = verdicts(faulted);
  const stops = stopped(faulted);
  const stoppedBefore = stopped(baseline);
  const scopes = scopeErrors(faulted);
  const falsePasses: string[] = [];
  const changedUntouched: string[] = [];
  const hiddenNotError: string[] = [];
  let hidden = 0;
  for (const [key, finding] of base) {
    const status = now.get(key);
    const hit = isHit(stops, finding);
    if (status === 'PASS' && (hit || finding.status !== 'PASS'))
      falsePasses.push(`${key} (baseline ${finding.status})`);
    if (hit) {
      // What the baseline could not assess either is no loss of this fault's.
      if (!isHit(stoppedBefore, finding)) hidden += 1;
      const covered =
        status === 'ERROR' ||
        (status === undefined &&
          (scopes.has(`${finding.checkId} ${finding.accountId} ${finding.region}`) ||
            scopes.has(`${finding.checkId} ${finding.accountId} *`)));
      if (!covered) hiddenNotError.push(`${key}: ${status ?? 'missing'}`);
    } else if (status !== finding.status) {
      changedUntouched.push(`${key}: ${finding.status} -> ${status ?? 'missing'}`);
    }
  }
  const unexpected = faulted.findings
    .filter((f) => !base.has(verdictKey(f)) && f.status !== 'ERROR')
    .map((f) => `${verdictKey(f)}: ${f.status}`);
  for (const f of faulted.findings) {
    if (!base.has(verdictKey(f)) && f.status === 'PASS')
      falsePasses.push(`${verdictKey(f)} (not in baseline)`);
  }
  const before = coverageLines(baseline);
  const after = coverageLines(faulted);
  let targetsAffected = 0;
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(key) !== after.get(key)) targetsAffected += 1;
  }
  return {
    targetsAffected,
    errorFindings: faulted.findings.filter((f) => f.status === 'ERROR').length,
    hidden,
    falsePasses,
    changedUntouched,
    hiddenNotError,
    unexpected,
  };
}

export interface TableRow {
  readonly fault: string;
  readonly 'targets affected': number;
  readonly 'ERROR findings': number;
  readonly 'false PASSes': number;
  readonly retries: number;
  readonly 'wall time': string;
}

export function tableRow(fault: string, scan: FaultScan, comparison?: Comparison): TableRow {
  return {
    fault,
    'targets affected': comparison?.targetsAffected ?? 0,
    'ERROR findings':
      comparison?.errorFindings ?? scan.run.report.findings.filter((f) => f.status === 'ERROR').length,
    'false PASSes': comparison?.falsePasses.length ?? 0,
    retries: scan.metrics.retries,
    'wall time': `${(scan.wallMs / 1000).toFixed(2)} s`,
  };
}

/** The table as text, one fault a line, columns aligned. */
export function formatTable(rows: readonly TableRow[]): string {
  if (rows.length === 0) return '';
  const headers = Object.keys(rows[0] as object) as (keyof TableRow)[];
  const cells = [headers as string[], ...rows.map((row) => headers.map((h) => String(row[h])))];
  const widths = headers.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? '').length)));
  const format = (line: readonly string[]) =>
    line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [format(cells[0] ?? []), rule, ...cells.slice(1).map(format)].join('\n');
}
