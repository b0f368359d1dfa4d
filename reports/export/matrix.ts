/**
 * The control matrix of an evidence bundle: for each control of a framework that custos's
 * checks map to, what the runs of a period say about it. Pure.
 *
 * A finding belongs to a control when its check maps to the control, in today's catalogue or
 * in the `frameworks` the finding recorded when its run was written.
 *
 * In one run, a control is
 * - FAIL          when a finding of its checks is an unsuppressed FAIL;
 * - ERROR         otherwise, when a finding of its checks is ERROR (something in scope could
 *                 not be assessed);
 * - PASS          otherwise, when at least one of its checks ran (every resource passed, or a
 *                 FAIL is suppressed, or there was nothing of that kind to assess);
 * - NOT_ASSESSED  when none of its checks ran (not selected, or not applicable: coverage's
 *                 `checksNotRun`) and no finding of them exists.
 * Over the period: FAIL when any run was FAIL, else ERROR when any run was ERROR, else PASS
 * when any run was PASS, else NOT_ASSESSED (also when the period holds no run). A run that did
 * not assess the control (a scan of some checks only) neither helps nor hurts it.
 *
 * Resource counts come from the last run of the period that assessed the control. A resource
 * (account, region, resource id; ERROR findings name a whole scope) counts once, by its worst
 * finding among the control's checks: failing (an unsuppressed FAIL), else not assessed (an
 * ERROR), else suppressed (a suppressed FAIL), else passing.
 */
import { stringify } from 'csv-stringify/sync';
import type { FrameworkMapped } from '../../core/frameworks/index.js';
import { controlsToChecks, FRAMEWORKS, findControl } from '../../core/frameworks/index.js';
import type { Finding, FrameworkId, Report } from '../../core/types.js';
import { neutralizeFormula } from '../formats/csv.js';

export type ControlStatus = 'PASS' | 'FAIL' | 'ERROR' | 'NOT_ASSESSED';

/** A run of the period, oldest first; `report` is undefined when it could not be read. */
export interface PeriodRun {
  readonly runId: string;
  readonly report: Report | undefined;
}

export interface RunRef {
  readonly runId: string;
  readonly asOf: string;
}

export interface ControlResources {
  readonly passing: number;
  readonly failing: number;
  readonly suppressed: number;
  readonly notAssessed: number;
}

export interface ControlRow {
  readonly controlId: string;
  readonly title: string;
  readonly citation?: string;
  /** The checks that map to it, sorted. */
  readonly checks: readonly string[];
  readonly status: ControlStatus;
  /** Runs of the period that assessed it, and how many of them failed it. */
  readonly runsAssessed: number;
  readonly runsFailed: number;
  readonly runsError: number;
  /** Its checks that no run of the period ran. */
  readonly checksNotRun: readonly string[];
  /** The run the resource counts come from: the last of the period that assessed it. */
  readonly countsFrom: RunRef | null;
  readonly resources: ControlResources;
  readonly firstFailure: RunRef | null;
  readonly lastFailure: RunRef | null;
  /** Its findings file in the bundle. */
  readonly file: string;
}

/**
 * Control → its checks, for one framework: the catalogue's mapping (`checks`, the registry)
 * joined with what the period's findings recorded. Catalogue order; ids the catalogue lacks
 * come after, sorted.
 */
export function controlChecks(
  frameworkId: FrameworkId,
  checks: readonly FrameworkMapped[],
  runs: readonly PeriodRun[],
): Map<string, string[]> {
  const mapped = new Map<string, Set<string>>();
  for (const [controlId, ids] of Object.entries(controlsToChecks(checks)[frameworkId])) {
    mapped.set(controlId, new Set(ids));
  }
  for (const run of runs) {
    for (const finding of run.report?.findings ?? []) {
      for (const controlId of finding.frameworks[frameworkId] ?? []) {
        const ids = mapped.get(controlId) ?? new Set<string>();
        ids.add(finding.checkId);
        mapped.set(controlId, ids);
      }
    }
  }
  const order = new Map(FRAMEWORKS[frameworkId].controls.map((c, i) => [c.id, i]));
  const ids = [...mapped.keys()].sort((a, b) => {
    const pa = order.get(a);
    const pb = order.get(b);
    if (pa !== undefined && pb !== undefined) return pa - pb;
    if (pa !== undefined) return -1;
    if (pb !== undefined) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return new Map(ids.map((id) => [id, [...(mapped.get(id) ?? [])].sort()]));
}

/** The bundle path of a control's findings file; characters outside a safe set become `_`. */
export function controlFile(controlId: string): string {
  return `controls/${controlId.replace(/[^A-Za-z0-9._()-]/g, '_')}.csv`;
}

export function controlMatrix(
  frameworkId: FrameworkId,
  mapping: ReadonlyMap<string, readonly string[]>,
  runs: readonly PeriodRun[],
): ControlRow[] {
  const files = new Map<string, string>();
  const rows: ControlRow[] = [];
  for (const [controlId, checks] of mapping) {
    const control = findControl(frameworkId, controlId);
    const checkSet = new Set(checks);
    const ran = new Set<string>();
    let runsAssessed = 0;
    let runsFailed = 0;
    let runsError = 0;
    let countsFrom: RunRef | null = null;
    let resources: ControlResources = { passing: 0, failing: 0, suppressed: 0, notAssessed: 0 };
    let firstFailure: RunRef | null = null;
    let lastFailure: RunRef | null = null;
    for (const run of runs) {
      const report = run.report;
      if (report === undefined) continue;
      const notRun = new Set(report.coverage.checksNotRun.map((c) => c.checkId));
      const ranHere = report.scope.checks.filter((id) => checkSet.has(id) && !notRun.has(id));
      for (const id of ranHere) ran.add(id);
      const findings = report.findings.filter((f) => checkSet.has(f.checkId));
      for (const f of findings) ran.add(f.checkId);
      const status = runStatus(ranHere.length > 0, findings);
      if (status === 'NOT_ASSESSED') continue;
      runsAssessed += 1;
      const ref = { runId: report.runId, asOf: report.asOf };
      countsFrom = ref;
      resources = countResources(findings);
      if (status === 'FAIL') {
        runsFailed += 1;
        firstFailure ??= ref;
        lastFailure = ref;
      } else if (status === 'ERROR') runsError += 1;
    }
    const status: ControlStatus =
      runsFailed > 0 ? 'FAIL' : runsError > 0 ? 'ERROR' : runsAssessed > 0 ? 'PASS' : 'NOT_ASSESSED';
    let file = controlFile(controlId);
    if (files.has(file)) file = file.replace(/\.csv$/, `-${rows.length + 1}.csv`);
    files.set(file, controlId);
    rows.push({
      controlId,
      title: control?.title ?? '(not in the framework catalogue)',
      ...(control?.citation !== undefined && { citation: control.citation }),
      checks: [...checks],
      status,
      runsAssessed,
      runsFailed,
      runsError,
      checksNotRun: checks.filter((id) => !ran.has(id)),
      countsFrom,
      resources,
      firstFailure,
      lastFailure,
      file,
    });
  }
  return rows;
}

function runStatus(ran: boolean, findings: readonly Finding[]): ControlStatus {
  if (findings.some((f) => f.status === 'FAIL' && f.suppressed === undefined)) return 'FAIL';
  if (findings.some((f) => f.status === 'ERROR')) return 'ERROR';
  if (ran || findings.length > 0) return 'PASS';
  return 'NOT_ASSESSED';
}

const RESOURCE_RANK = { passing: 0, suppressed: 1, notAssessed: 2, failing: 3 } as const;
type ResourceState = keyof typeof RESOURCE_RANK;

function countResources(findings: readonly Finding[]): ControlResources {
  const worst = new Map<string, ResourceState>();
  for (const f of findings) {
    const state: ResourceState =
      f.status === 'FAIL'
        ? f.suppressed === undefined
          ? 'failing'
          : 'suppressed'
        : f.status === 'ERROR'
          ? 'notAssessed'
          : 'passing';
    const key = `${f.accountId}\u0000${f.region}\u0000${f.resourceId}`;
    const before = worst.get(key);
    if (before === undefined || RESOURCE_RANK[state] > RESOURCE_RANK[before]) worst.set(key, state);
  }
  const counts = { passing: 0, failing: 0, suppressed: 0, notAssessed: 0 };
  for (const state of worst.values()) counts[state] += 1;
  return counts;
}

// ---------------------------------------------------------------- CSV

export const MATRIX_COLUMNS = [
  'controlId',
  'title',
  'status',
  'checks',
  'runsAssessed',
  'runsFailed',
  'runsError',
  'resourcesPassing',
  'resourcesFailing',
  'resourcesSuppressed',
  'resourcesNotAssessed',
  'countsFromRun',
  'firstFailure',
  'firstFailureRun',
  'lastFailure',
  'lastFailureRun',
  'checksNotRun',
  'file',
] as const;

export const CONTROL_FINDING_COLUMNS = [
  'runId',
  'asOf',
  'checkId',
  'accountId',
  'region',
  'resourceId',
  'status',
  'suppressed',
  'suppressedUntil',
] as const;

export function renderMatrixCsv(rows: readonly ControlRow[]): string {
  return csv(
    MATRIX_COLUMNS,
    rows.map((r) => ({
      controlId: r.controlId,
      title: r.title,
      status: r.status,
      checks: r.checks.join(' '),
      runsAssessed: String(r.runsAssessed),
      runsFailed: String(r.runsFailed),
      runsError: String(r.runsError),
      resourcesPassing: String(r.resources.passing),
      resourcesFailing: String(r.resources.failing),
      resourcesSuppressed: String(r.resources.suppressed),
      resourcesNotAssessed: String(r.resources.notAssessed),
      countsFromRun: r.countsFrom?.runId ?? '',
      firstFailure: r.firstFailure?.asOf ?? '',
      firstFailureRun: r.firstFailure?.runId ?? '',
      lastFailure: r.lastFailure?.asOf ?? '',
      lastFailureRun: r.lastFailure?.runId ?? '',
      checksNotRun: r.checksNotRun.join(' '),
      file: r.file,
    })),
  );
}

/** Every finding of the control's checks in the period's runs: oldest run first, report order. */
export function renderControlCsv(row: ControlRow, runs: readonly PeriodRun[]): string {
  const checks = new Set(row.checks);
  const records: Array<Record<(typeof CONTROL_FINDING_COLUMNS)[number], string>> = [];
  for (const run of runs) {
    const report = run.report;
    if (report === undefined) continue;
    for (const f of report.findings) {
      if (!checks.has(f.checkId)) continue;
      records.push({
        runId: report.runId,
        asOf: report.asOf,
        checkId: f.checkId,
        accountId: f.accountId,
        region: f.region,
        resourceId: f.resourceId,
        status: f.status,
        suppressed: f.suppressed?.reason ?? '',
        suppressedUntil: f.suppressed?.expires ?? '',
      });
    }
  }
  return csv(CONTROL_FINDING_COLUMNS, records);
}

/** RFC 4180 with CRLF, as findings.csv; cells a spreadsheet would run as a formula are neutralised. */
function csv<C extends string>(columns: readonly C[], records: ReadonlyArray<Record<C, string>>): string {
  const safe = records.map((record) => {
    const out = {} as Record<C, string>;
    for (const column of columns) out[column] = neutralizeFormula(record[column]);
    return out;
  });
  return stringify(safe, {
    header: true,
    columns: [...columns],
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
  });
}
