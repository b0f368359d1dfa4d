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
    const meta = check;
    const needs = check.needs as readonly CollectorId[];
    const scope = (region: string) => (region === GLOBAL_REGION ? 'global' : 'regional');
    const missing: string[] = [];
    for (const inventory of inventories) {
      const { target } = inventory;
      if (scope(target.region) !== check.scope) continue;
      const failed = needs.find((id) => inventory.results[id]?.ok !== true);
      if (failed !== undefined) {
        const result = inventory.results[failed];
        const error: CollectorError =
          result !== undefined && !result.ok
            ? result.error
            : { kind: 'bug', code: 'NotCollected', message: `${failed} was not collected` };
        findings.push(errorFinding(meta, target, failed, error));
        continue;
      }
      const before = previousInput(previous, target, needs);
      if (before === undefined) {
        missing.push(`${target.accountId}/${target.region}`);
        unassessed.push({ checkId: check.id, accountId: target.accountId, region: target.region });
        continue;
      }
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
        findings.push(...verdicts.map((v) => toFinding(meta, target, v)));
      } catch (error) {
        // A check that throws is a custos defect; the scope it covers is reported as not assessed.
        const message = error instanceof Error ? error.message : String(error);
        findings.push(errorFinding(meta, target, 'evaluate', { kind: 'bug', code: 'CheckFailed', message }));
      }
    }
    if (missing.length > 0) {
      const named = missing.slice(0, NAMED_TARGETS).join(', ');
      const more = missing.length > NAMED_TARGETS ? ` and ${missing.length - NAMED_TARGETS} more` : '';
      notRun.push({
        checkId: check.id,
        reason: `needs a previous run: no earlier ${needs.join(', ')} for ${named}${more}`,
      });
    }
  }
  return { findings, notRun, unassessed };
}
