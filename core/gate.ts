/**
 * The release gate: what a finished scan exits with, and why. Pure.
 *
 * Exit codes, the CLI's contract:
 *   0  pass: no gate is set, or nothing at or above the threshold is open
 *   1  blocked: unsuppressed FAIL findings at or above `failOn` are open
 *   2  bad usage or config: thrown before any scan (InputError, UsageError), never from here
 *   3  incomplete: something could not be assessed and `allowIncomplete` is not set
 *   4  internal error: thrown, never from here
 * Precedence: 2, then 3, then 1, then 0. An incomplete scan exits 3 even when blocking findings
 * exist too: a gate that passes or fails on half the estate is not an answer.
 *
 * Without `failOn` there is no gate: a finished scan exits 0 whatever it found, gaps included.
 * With `onlyNew`, only findings that newly fail since the last run block: `new` and `regressed`
 * (failed before, passed, fails again: it is new since the last run). A finding without history
 * (no earlier run, or history not computed) counts as new: nothing says it was accepted before.
 *
 * Incomplete means at least one unsuppressed ERROR finding. A check that configuration leaves
 * out is recorded in `coverage.checksNotRun`, not as an ERROR, so it is not a gap.
 */
import type { Finding, Report, Severity } from './types.js';
import { SEVERITIES, SEVERITY_RANK } from './types.js';

export interface GateOptions {
  /** The threshold; absent: no gate. */
  readonly failOn?: Severity;
  /** Gate an incomplete scan on what it did assess instead of exiting 3. */
  readonly allowIncomplete?: boolean;
  /** Only findings new since the last run (`new`, `regressed`) block. */
  readonly onlyNew?: boolean;
}

export const EXIT_CODES = { pass: 0, blocked: 1, usage: 2, incomplete: 3, internal: 4 } as const;

export type GateExitCode = 0 | 1 | 3;

export interface GateResult {
  readonly exitCode: GateExitCode;
  /** Sentences for a person, the deciding one first. */
  readonly reasons: string[];
  /** The findings that block at this threshold, in report order (also when the exit is 3). */
  readonly blocking: Finding[];
}

/** How many checks the blocking sentence names before it summarises the rest. */
const LISTED_CHECKS = 10;

export function evaluateGate(report: Pick<Report, 'findings'>, gate: GateOptions): GateResult {
  const { failOn } = gate;
  if (failOn === undefined) {
    return {
      exitCode: EXIT_CODES.pass,
      reasons: ['no gate is set (gate.failOn): a finished scan exits 0 whatever it found'],
      blocking: [],
    };
  }

  const open = report.findings.filter(
    (f) =>
      f.status === 'FAIL' && f.suppressed === undefined && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn],
  );
  const blocking = gate.onlyNew === true ? open.filter(isNewlyFailing) : open;
  const gaps = report.findings.filter((f) => f.status === 'ERROR' && f.suppressed === undefined);

  const reasons: string[] = [];
  const incomplete = gaps.length > 0;
  if (incomplete) {
    const gap = describeGaps(gaps);
    if (gate.allowIncomplete !== true) {
      reasons.push(`the scan is incomplete: ${gap}; pass --allow-incomplete to gate anyway`);
      if (blocking.length > 0) reasons.push(describeBlocking(blocking, failOn, gate.onlyNew === true));
      return { exitCode: EXIT_CODES.incomplete, reasons, blocking };
    }
  }

  const exitCode = blocking.length > 0 ? EXIT_CODES.blocked : EXIT_CODES.pass;
  reasons.push(
    blocking.length > 0
      ? describeBlocking(blocking, failOn, gate.onlyNew === true)
      : describeClear(failOn, gate.onlyNew === true, open.length),
  );
  if (incomplete) {
    reasons.push(
      `the scan is incomplete (${describeGaps(gaps)}); gated on what was assessed (allowIncomplete)`,
    );
  }
  return { exitCode, reasons, blocking };
}

/** FAIL findings that newly fail since the last run; no history known counts as new. */
export function isNewlyFailing(finding: Finding): boolean {
  const state = finding.history?.state;
  return state === undefined || state === 'new' || state === 'regressed';
}

/** `high` → "high or critical"; `info` → "" (every severity). */
export function severityRange(failOn: Severity): string {
  const levels = SEVERITIES.filter((s) => SEVERITY_RANK[s] >= SEVERITY_RANK[failOn]).reverse();
  if (levels.length === SEVERITIES.length) return '';
  if (levels.length === 1) return levels[0] ?? failOn;
  return `${levels.slice(0, -1).join(', ')} or ${levels[levels.length - 1]}`;
}

// ---------------------------------------------------------------- sentences

function describeBlocking(blocking: readonly Finding[], failOn: Severity, onlyNew: boolean): string {
  const byCheck = new Map<string, { checkId: string; severity: Severity; count: number }>();
  for (const f of blocking) {
    const entry = byCheck.get(f.checkId) ?? { checkId: f.checkId, severity: f.severity, count: 0 };
    entry.count += 1;
    byCheck.set(f.checkId, entry);
  }
  const checks = [...byCheck.values()].sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      b.count - a.count ||
      a.checkId.localeCompare(b.checkId),
  );
  const listed = checks.slice(0, LISTED_CHECKS).map((c) => `${c.checkId} ×${c.count}`);
  const rest = checks.length - listed.length;
  if (rest > 0) listed.push(`and ${plural(rest, 'more check')}`);
  const n = blocking.length;
  return `${n} ${findingsPhrase(failOn, onlyNew, n)} ${n === 1 ? 'is' : 'are'} open: ${listed.join(', ')}`;
}

function describeClear(failOn: Severity, onlyNew: boolean, known: number): string {
  const sentence = `no ${findingsPhrase(failOn, onlyNew, 0)} are open`;
  if (!onlyNew || known === 0) return sentence;
  return `${sentence}; ${plural(known, 'finding')} failing since earlier runs ${known === 1 ? 'does' : 'do'} not block (onlyNew)`;
}

function describeGaps(gaps: readonly Finding[]): string {
  const checks = new Set(gaps.map((f) => f.checkId)).size;
  const accounts = new Set(gaps.map((f) => f.accountId)).size;
  return `${plural(checks, 'check')} could not assess ${plural(accounts, 'account')}`;
}

/** "new high or critical findings", "failing findings" (threshold info), ... */
function findingsPhrase(failOn: Severity, onlyNew: boolean, count: number): string {
  const range = severityRange(failOn);
  const noun = count === 1 ? 'finding' : 'findings';
  const words = [onlyNew ? 'new' : '', range === '' ? 'failing' : range, noun].filter((w) => w !== '');
  return words.join(' ');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
