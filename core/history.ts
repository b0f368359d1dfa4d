/**
 * Run history: the ledger each run stores next to its report (`runs/<runId>/history.json`) and
 * the next run reads back. It is cumulative: for every fingerprint that has ever failed it keeps
 * the state of the last run that assessed it, so a run that covered only some accounts, regions
 * or checks compares each target with the last run that assessed that target, and leaves the
 * rest untouched.
 *
 * What the ledger holds is deliberately small: identity (check, account, region, resource),
 * the check's severity and title (to name a resolved problem), and dates. Never evidence.
 * Fingerprints that only ever passed are not recorded at all.
 *
 * Rules, per fingerprint:
 * - FAIL now: `new` when it never failed before, `persisting` when the last run that assessed it
 *   saw it fail, `regressed` when it failed at some time, then passed (or was gone), and fails
 *   again. `firstSeen` is the first FAIL ever and survives a regression.
 * - failed when last assessed, not failing now: `resolved` when this run assessed it and it
 *   passes, or when this run assessed its whole scope (target reachable, every collector the
 *   check needs ok, no ERROR finding for the check there) and the resource is gone.
 * - failed when last assessed and this run meant to assess it but could not (ERROR finding,
 *   account not entered, target or collector errored): `notAssessed`, entry carried over as is.
 * - outside this run's scope (account, region or check not selected): carried over silently.
 */
import { z } from 'zod';
import { InputError } from './errors.js';
import type {
  CollectorId,
  FailureState,
  Finding,
  NotAssessedFinding,
  Report,
  ResolvedFinding,
  RunChanges,
  Severity,
  Target,
  TargetCoverage,
} from './types.js';
import { GLOBAL_REGION, SEVERITIES } from './types.js';
import { zodProblems } from './validation.js';

export const LEDGER_SCHEMA_VERSION = 1;

/** Fingerprints that have not failed for this many days are forgotten (a later FAIL is `new`). */
export const DEFAULT_FORGET_AFTER_DAYS = 365;

const DAY_MS = 86_400_000;

/** What the ledger remembers of one fingerprint that has failed at least once. */
export interface LedgerEntry {
  readonly checkId: string;
  readonly severity: Severity;
  readonly accountId: string;
  readonly region: string;
  readonly resourceId: string;
  readonly title: string;
  /** Status when last assessed; `PASS` also when the resource was gone. */
  readonly lastStatus: 'PASS' | 'FAIL';
  /** The failure state at its last FAIL: what `notAssessed` reports as `previousState`. */
  readonly state: FailureState;
  /** The `asOf` of the run where it first failed. */
  readonly firstSeen: string;
  /** The `asOf` of the last run where it failed. */
  readonly lastFailedAt: string;
  readonly lastAssessedRunId: string;
  readonly lastAssessedAt: string;
}

export interface Ledger {
  readonly schemaVersion: typeof LEDGER_SCHEMA_VERSION;
  /** The run that wrote it. */
  readonly runId: string;
  /** That run's `asOf`. */
  readonly asOf: string;
  /** By fingerprint, sorted. */
  readonly entries: Readonly<Record<string, LedgerEntry>>;
}

/** What the ledger needs to know of a check: which collectors its verdicts depend on. */
export interface CheckNeeds {
  readonly id: string;
  readonly needs: readonly CollectorId[];
}

/** A check's whole scope in one target. */
export interface ScopeRef {
  readonly checkId: string;
  readonly accountId: string;
  readonly region: string;
}

export interface AdvanceHistoryOptions {
  /**
   * Every check the run may have run, the main registry and the history checks alike: whether a
   * target's scope was fully assessed depends on the collectors the check needs.
   */
  readonly registry: readonly CheckNeeds[];
  /**
   * Whether a collector was ok for a target. Default: the target's coverage entry; a collector
   * that coverage does not list (organization-scope collectors) counts as ok, because its failure
   * shows as ERROR findings, which are read anyway.
   */
  readonly collectorOk?: (target: Target, collectorId: CollectorId) => boolean;
  /**
   * Scopes this run meant to assess but did not, with no ERROR finding to say so: a history
   * check that had no earlier inventory for a target (see `evaluateHistoryChecks`).
   */
  readonly unassessed?: readonly ScopeRef[];
  /** Default `DEFAULT_FORGET_AFTER_DAYS`. */
  readonly forgetAfterDays?: number;
}

export interface AdvanceHistoryResult {
  readonly ledger: Ledger;
  /** The report's findings in the same order; each FAIL carries `history`. */
  readonly findings: Finding[];
  readonly changes: RunChanges;
}

type Assessment =
  | { readonly kind: 'fail' }
  | { readonly kind: 'pass' }
  | { readonly kind: 'gone' }
  | { readonly kind: 'not-assessed' }
  | { readonly kind: 'out-of-scope' };

/**
 * Compares `report` with the ledger of the runs before it, annotates its FAIL findings with
 * their history and returns the ledger to store with this run. Pure: `previous` is not changed.
 *
 * Call it once the report's findings are final (history checks merged, suppressions applied):
 * `new`, `persisting` and `regressed` count unsuppressed FAIL findings, as the summary does;
 * suppressed ones are annotated and tracked all the same.
 */
export function advanceHistory(
  previous: Ledger | undefined,
  report: Report,
  options: AdvanceHistoryOptions,
): AdvanceHistoryResult {
  const tracker = trackHistory(previous, report);
  const findings = report.findings.map((f) => tracker.record(f));
  return { ...tracker.finish(report, options), findings };
}

/** A run's identity as history records it. */
export interface HistoryRun {
  readonly runId: string;
  readonly asOf: string;
}

/**
 * `advanceHistory` one finding at a time, in report order, for a run whose findings never sit in
 * memory together. It keeps what the ledger needs (an entry per failing fingerprint, the status
 * of each fingerprint the previous ledger knows, the scopes in error), never the findings.
 */
export interface HistoryTracker {
  /** The finding with its history when it fails; recorded for the ledger. */
  record(finding: Finding): Finding;
  /** The ledger and the changes, once every finding of the run has been recorded; called once. */
  finish(
    run: Pick<Report, 'scope' | 'coverage'>,
    options: AdvanceHistoryOptions,
  ): { readonly ledger: Ledger; readonly changes: RunChanges };
}

export function trackHistory(previous: Ledger | undefined, run: HistoryRun): HistoryTracker {
  if (previous !== undefined && previous.runId === run.runId) {
    throw new Error(
      `the ledger passed as previous was written by run ${run.runId} itself; pass the ledger of the run before it`,
    );
  }
  const { runId, asOf } = run;
  const annotate = historyAnnotator(previous, asOf);
  const before = (fingerprint: string): LedgerEntry | undefined =>
    previous !== undefined && Object.hasOwn(previous.entries, fingerprint)
      ? previous.entries[fingerprint]
      : undefined;
  // Only fingerprints the previous ledger knows are looked up again in `finish`.
  const statusOfKnown = new Map<string, Finding['status']>();
  const failing = new Map<string, LedgerEntry>();
  const counted = new Set<string>();
  const counts: Record<FailureState, number> = { new: 0, persisting: 0, regressed: 0 };
  const erroredScopes = new Set<string>();
  const intern = interner();

  return {
    record(finding) {
      const { fingerprint } = finding;
      if (before(fingerprint) !== undefined) {
        statusOfKnown.set(fingerprint, worse(statusOfKnown.get(fingerprint), finding.status));
      }
      if (isScopeError(finding))
        erroredScopes.add(scopeKey(finding.checkId, finding.accountId, finding.region));
      const annotated = annotate(finding);
      const history = annotated.history;
      if (finding.status !== 'FAIL' || history === undefined) return annotated;
      if (!failing.has(fingerprint)) {
        failing.set(fingerprint, {
          checkId: intern(finding.checkId),
          severity: finding.severity,
          accountId: intern(finding.accountId),
          region: intern(finding.region),
          resourceId: finding.resourceId,
          title: intern(finding.title),
          lastStatus: 'FAIL',
          state: history.state,
          firstSeen: intern(history.firstSeen),
          lastFailedAt: asOf,
          lastAssessedRunId: runId,
          lastAssessedAt: asOf,
        });
      }
      if (finding.suppressed === undefined && !counted.has(fingerprint)) {
        counted.add(fingerprint);
        counts[history.state] += 1;
      }
      return annotated;
    },

    finish(report, options) {
      // The failing entries become the ledger's: `record` is done with them.
      const entries = failing;
      const assess = scopeAssessor(report, erroredScopes, options);
      const resolved: ResolvedFinding[] = [];
      const notAssessed: NotAssessedFinding[] = [];
      for (const [fingerprint, entry] of Object.entries(previous?.entries ?? {})) {
        // Failing now: its entry is this run's. (The previous ledger's keys are distinct, so only
        // this run's failures are in `entries` when their key comes up.)
        if (entries.has(fingerprint)) continue;
        const assessment = assess(entry, statusOfKnown.get(fingerprint));
        const wasFailing = entry.lastStatus === 'FAIL';
        switch (assessment.kind) {
          case 'pass':
          case 'gone':
            entries.set(fingerprint, {
              ...entry,
              lastStatus: 'PASS',
              lastAssessedRunId: runId,
              lastAssessedAt: asOf,
            });
            if (wasFailing) {
              resolved.push({
                ...identity(fingerprint, entry),
                firstSeen: entry.firstSeen,
                how: assessment.kind === 'pass' ? 'passes' : 'gone',
              });
            }
            break;
          case 'not-assessed':
            entries.set(fingerprint, entry);
            if (wasFailing) {
              notAssessed.push({
                ...identity(fingerprint, entry),
                previousState: entry.state,
                firstSeen: entry.firstSeen,
                notAssessedSince: entry.lastAssessedRunId,
              });
            }
            break;
          default:
            entries.set(fingerprint, entry);
        }
      }

      const forgetBefore = Date.parse(asOf) - (options.forgetAfterDays ?? DEFAULT_FORGET_AFTER_DAYS) * DAY_MS;
      const kept = [...entries.keys()]
        .filter((fp) => {
          const entry = entries.get(fp)!;
          return entry.lastStatus === 'FAIL' || !(Date.parse(entry.lastFailedAt) < forgetBefore);
        })
        .sort()
        .map((fp) => [fp, entries.get(fp)!] as const);
      return {
        ledger: { schemaVersion: LEDGER_SCHEMA_VERSION, runId, asOf, entries: Object.fromEntries(kept) },
        changes: {
          previousRunId: previous?.runId ?? null,
          new: counts.new,
          persisting: counts.persisting,
          regressed: counts.regressed,
          resolved: resolved.sort(compareRefs),
          notAssessed: notAssessed.sort(compareRefs),
        },
      };
    },
  };
}

/**
 * The history a FAIL finding gets from the ledger of the runs before it: `new` when it never
 * failed, `persisting` when it failed when last assessed, `regressed` otherwise. It depends on
 * the previous ledger alone, so a run read twice annotates its findings the same way twice.
 */
export function historyAnnotator(previous: Ledger | undefined, asOf: string): (finding: Finding) => Finding {
  return (finding) => {
    if (finding.status !== 'FAIL') return finding;
    const before =
      previous !== undefined && Object.hasOwn(previous.entries, finding.fingerprint)
        ? previous.entries[finding.fingerprint]
        : undefined;
    const state: FailureState =
      before === undefined ? 'new' : before.lastStatus === 'FAIL' ? 'persisting' : 'regressed';
    return { ...finding, history: { state, firstSeen: before?.firstSeen ?? asOf } };
  };
}

/**
 * The history this run's FAIL findings got, read back from the ledger written for the run: it
 * holds an entry for every fingerprint that fails, with the state and first-seen date
 * `historyAnnotator` gave it. A run read again needs the previous ledger no longer.
 */
export function ledgerAnnotator(ledger: Ledger): (finding: Finding) => Finding {
  return (finding) => {
    if (finding.status !== 'FAIL') return finding;
    const entry = Object.hasOwn(ledger.entries, finding.fingerprint)
      ? ledger.entries[finding.fingerprint]
      : undefined;
    if (entry === undefined || entry.lastAssessedRunId !== ledger.runId || entry.lastStatus !== 'FAIL') {
      throw new Error(
        `the ledger of run ${ledger.runId} has no failure ${finding.fingerprint}: it is not this run's`,
      );
    }
    return { ...finding, history: { state: entry.state, firstSeen: entry.firstSeen } };
  };
}

/** One copy of each repeated string (check ids, titles, accounts) the ledger keeps. */
function interner(): (value: string) => string {
  const seen = new Map<string, string>();
  return (value) => {
    const known = seen.get(value);
    if (known !== undefined) return known;
    seen.set(value, value);
    return value;
  };
}

/** FAIL over ERROR over PASS, for the (abnormal) case of two findings with one fingerprint. */
function worse(a: Finding['status'] | undefined, b: Finding['status']): Finding['status'] {
  const rank = { PASS: 0, ERROR: 1, FAIL: 2 } as const;
  return a === undefined || rank[b] > rank[a] ? b : a;
}

function identity(fingerprint: string, entry: LedgerEntry) {
  return {
    fingerprint,
    checkId: entry.checkId,
    severity: entry.severity,
    accountId: entry.accountId,
    region: entry.region,
    resourceId: entry.resourceId,
    title: entry.title,
  };
}

function compareRefs(
  a: { accountId: string; region: string; checkId: string; resourceId: string },
  b: { accountId: string; region: string; checkId: string; resourceId: string },
): number {
  return (
    a.accountId.localeCompare(b.accountId) ||
    a.region.localeCompare(b.region) ||
    a.checkId.localeCompare(b.checkId) ||
    a.resourceId.localeCompare(b.resourceId)
  );
}

/** The ERROR findings that name a whole scope (`arn:aws:<service>:<region>:<account>:*`). */
export function isScopeError(finding: Finding): boolean {
  return (
    finding.status === 'ERROR' && (finding.resourceType === 'AwsScope' || finding.resourceId.endsWith(':*'))
  );
}

/**
 * Decides, for a ledger entry that does not FAIL this run, whether this run assessed it:
 * by its own finding, or by its whole scope having been assessed without trace of it.
 */
function scopeAssessor(
  report: Pick<Report, 'scope' | 'coverage'>,
  erroredScopes: ReadonlySet<string>,
  options: AdvanceHistoryOptions,
): (entry: LedgerEntry, status: Finding['status'] | undefined) => Assessment {
  const { scope, coverage } = report;
  const accounts = new Set(scope.accounts);
  const checks = new Set(scope.checks);
  const regions = scope.regions === 'all' ? undefined : new Set(scope.regions);
  const accountStatus = new Map(coverage.accounts.map((a) => [a.accountId, a.status]));
  const targets = new Map(coverage.targets.map((t) => [targetKey(t.accountId, t.region), t]));
  const needs = new Map(options.registry.map((c) => [c.id, c.needs]));
  const collectorOk = options.collectorOk ?? defaultCollectorOk(targets);
  const unassessed = new Set(
    (options.unassessed ?? []).map((s) => scopeKey(s.checkId, s.accountId, s.region)),
  );
  const errored = (key: string) => erroredScopes.has(key) || unassessed.has(key);

  const inScope = (entry: LedgerEntry): boolean =>
    accounts.has(entry.accountId) &&
    checks.has(entry.checkId) &&
    (entry.region === GLOBAL_REGION || regions === undefined || regions.has(entry.region));

  const wholeScopeAssessed = (entry: LedgerEntry): boolean => {
    if (accountStatus.get(entry.accountId) !== 'scanned') return false;
    if (
      errored(scopeKey(entry.checkId, entry.accountId, entry.region)) ||
      errored(scopeKey(entry.checkId, entry.accountId, '*'))
    ) {
      return false;
    }
    const target = targets.get(targetKey(entry.accountId, entry.region));
    if (target === undefined || target.status === 'not-scanned') return false;
    if (target.status === 'scanned') return true;
    const checkNeeds = needs.get(entry.checkId);
    if (checkNeeds === undefined) return false;
    const at: Target = { accountId: entry.accountId, region: entry.region };
    return checkNeeds.every((id) => collectorOk(at, id));
  };

  return (entry, status) => {
    if (!inScope(entry)) return { kind: 'out-of-scope' };
    if (status === 'FAIL') return { kind: 'fail' };
    if (status === 'PASS') return { kind: 'pass' };
    if (status === 'ERROR') return { kind: 'not-assessed' };
    return wholeScopeAssessed(entry) ? { kind: 'gone' } : { kind: 'not-assessed' };
  };
}

function defaultCollectorOk(
  targets: ReadonlyMap<string, TargetCoverage>,
): (target: Target, collectorId: CollectorId) => boolean {
  return (target, collectorId) =>
    targets.get(targetKey(target.accountId, target.region))?.collectors[collectorId]?.ok !== false;
}

function targetKey(accountId: string, region: string): string {
  return `${accountId}\u001f${region}`;
}

function scopeKey(checkId: string, accountId: string, region: string): string {
  return `${checkId}\u001f${accountId}\u001f${region}`;
}

// ---------------------------------------------------------------- reading a stored ledger

const IsoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO-8601 timestamp');

const LedgerEntrySchema = z.strictObject({
  checkId: z.string().min(1),
  severity: z.enum(SEVERITIES),
  accountId: z.string().min(1),
  region: z.string().min(1),
  resourceId: z.string().min(1),
  title: z.string(),
  lastStatus: z.enum(['PASS', 'FAIL']),
  state: z.enum(['new', 'persisting', 'regressed']),
  firstSeen: IsoInstant,
  lastFailedAt: IsoInstant,
  lastAssessedRunId: z.string().min(1),
  lastAssessedAt: IsoInstant,
});

const LedgerSchema = z.strictObject({
  schemaVersion: z.literal(LEDGER_SCHEMA_VERSION),
  runId: z.string().min(1),
  asOf: IsoInstant,
  entries: z.record(z.string().regex(/^[0-9a-f]{64}$/, 'not a fingerprint'), LedgerEntrySchema),
});

/**
 * Validates a ledger read from the report store (parsed JSON). `source` names it in the error,
 * e.g. `runs/<runId>/history.json`. Throws an `InputError` listing what is wrong.
 */
export function parseLedger(value: unknown, source: string): Ledger {
  const parsed = LedgerSchema.safeParse(value);
  if (!parsed.success) throw new InputError(source, zodProblems(parsed.error, value));
  return parsed.data;
}

// ---------------------------------------------------------------- trend

/** One run's point on a trend line. */
export interface TrendPoint {
  readonly runId: string;
  readonly asOf: string;
  /** Unsuppressed FAIL findings, in all and by severity, as the summary counts them. */
  readonly failing: number;
  readonly failBySeverity: Readonly<Record<Severity, number>>;
  /** Absent numbers: the report was not compared with history. */
  readonly new?: number;
  readonly regressed?: number;
  readonly resolved?: number;
  readonly notAssessed?: number;
  readonly incomplete: boolean;
}

/** The reports' figures in `asOf` order, for a trend chart. */
export function summarizeTrend(reports: readonly Report[]): TrendPoint[] {
  return [...reports]
    .sort((a, b) => a.asOf.localeCompare(b.asOf) || a.runId.localeCompare(b.runId))
    .map((r) => ({
      runId: r.runId,
      asOf: r.asOf,
      failing: Object.values(r.summary.failBySeverity).reduce((sum, n) => sum + n, 0),
      failBySeverity: r.summary.failBySeverity,
      ...(r.changes !== undefined && {
        new: r.changes.new,
        regressed: r.changes.regressed,
        resolved: r.changes.resolved.length,
        notAssessed: r.changes.notAssessed.length,
      }),
      incomplete: r.summary.incomplete,
    }));
}

// ---------------------------------------------------------------- the rest of run history

export { evaluateHistoryChecks, type HistoryEvaluation } from './history/evaluate.js';
export {
  advanceHistoryInputs,
  DEFAULT_INPUTS_FORGET_AFTER_DAYS,
  HISTORY_INPUTS_SCHEMA_VERSION,
  type HistoryInputs,
  parseHistoryInputs,
} from './history/inputs.js';
