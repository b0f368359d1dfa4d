/**
 * Runs the history-derived checks once every target is scanned: each with this run's inventory
 * of a target and the data the last earlier run collected there. A check whose current inputs
 * failed yields ERROR for its scope, as in `scanTarget`; a target with no earlier data gives no
 * verdict and is reported as needing a previous run.
 */
import type { AnyHistoryCheck } from '../../checks/history/types.js';
import { errorFinding, toFinding } from '../engine/findings.js';
import type { ScopeRef } from '../history.js';
import type { CheckSettings, CollectorError, CollectorId, Finding, Inventory } from '../types.js';
import { GLOBAL_REGION } from '../types.js';
import { type HistoryInputs, previousInput } from './inputs.js';

/** How many targets a coverage reason names before it says "and N more". */
const NAMED_TARGETS = 5;

export interface HistoryEvaluation {
  readonly findings: readonly Finding[];
  /** For `coverage.checksNotRun`: checks that could not compare some targets, and which. */
  readonly notRun: ReadonlyArray<{ readonly checkId: string; readonly reason: string }>;
  /** The same targets as scopes, for `advanceHistory`'s `unassessed` option. */
  readonly unassessed: readonly ScopeRef[];
}

/**
 * `inventories`: this run's, one per scanned target (`TargetShard.inventory`); they must hold
 * the collectors the history checks need. `previous`: the newest stored history inputs.
 */
export function evaluateHistoryChecks(
  checks: readonly AnyHistoryCheck[],
  inventories: readonly Inventory[],
  previous: HistoryInputs | undefined,
  settings: CheckSettings,
  asOf: string,
): HistoryEvaluation {
  const findings: Finding[] = [];
  const notRun: Array<{ checkId: string; reason: string }> = [];
  const unassessed: ScopeRef[] = [];
  for (const check of checks) {
    const missing: string[] = [];
    for (const inventory of inventories) {
      const verdict = evaluateHistoryCheck(check, inventory, previous, settings, asOf);
      if (verdict === undefined) continue;
      if (verdict.kind === 'findings') {
        findings.push(...verdict.findings);
        continue;
      }
      const { target } = inventory;
      missing.push(`${target.accountId}/${target.region}`);
      unassessed.push({ checkId: check.id, accountId: target.accountId, region: target.region });
    }
    const reason = notRunReason(check, missing);
    if (reason !== undefined) notRun.push({ checkId: check.id, reason });
  }
  return { findings, notRun, unassessed };
}

/**
 * One history check on one target: its findings (ERROR when this run's inputs failed), or
 * `needs-previous` when no earlier run collected the target, or undefined when the check does
 * not apply to the target's scope.
 */
export function evaluateHistoryCheck(
  check: AnyHistoryCheck,
  inventory: Inventory,
  previous: HistoryInputs | undefined,
  settings: CheckSettings,
  asOf: string,
):
  | { readonly kind: 'findings'; readonly findings: Finding[] }
  | { readonly kind: 'needs-previous' }
  | undefined {
  const needs = check.needs as readonly CollectorId[];
  const { target } = inventory;
  if ((target.region === GLOBAL_REGION ? 'global' : 'regional') !== check.scope) return undefined;
  const failed = needs.find((id) => inventory.results[id]?.ok !== true);
  if (failed !== undefined) {
    const result = inventory.results[failed];
    const error: CollectorError =
      result !== undefined && !result.ok
        ? result.error
        : { kind: 'bug', code: 'NotCollected', message: `${failed} was not collected` };
    return { kind: 'findings', findings: [errorFinding(check, target, failed, error)] };
  }
  const before = previousInput(previous, target, needs);
  if (before === undefined) return { kind: 'needs-previous' };
  const data = Object.fromEntries(
    needs.map((id) => [id, (inventory.results[id] as { ok: true; data: unknown }).data]),
  );
  try {
    const verdicts = check.evaluateHistory(
      { target, data },
      { target, data: before.data },
      settings,
      asOf,
      before.asOf,
    );
    return { kind: 'findings', findings: verdicts.map((v) => toFinding(check, target, v)) };
  } catch (error) {
    // A check that throws is a custos defect; the scope it covers is reported as not assessed.
    const message = error instanceof Error ? error.message : String(error);
    return {
      kind: 'findings',
      findings: [errorFinding(check, target, 'evaluate', { kind: 'bug', code: 'CheckFailed', message })],
    };
  }
}

/** What `coverage.checksNotRun` says of a check that had no earlier data for `missing` targets. */
export function notRunReason(check: AnyHistoryCheck, missing: readonly string[]): string | undefined {
  if (missing.length === 0) return undefined;
  const named = missing.slice(0, NAMED_TARGETS).join(', ');
  const more = missing.length > NAMED_TARGETS ? ` and ${missing.length - NAMED_TARGETS} more` : '';
  return `needs a previous run: no earlier ${(check.needs as readonly CollectorId[]).join(', ')} for ${named}${more}`;
}
