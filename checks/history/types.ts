/**
 * History-derived checks: verdicts that need the previous run's inventory as well as this
 * run's (a dormant credential waking up). They run once the targets are scanned, with the data
 * the last run that collected each target stored for them.
 */
import type { Check, CheckInput, CheckResult, CheckSettings, CollectorId } from '../../core/types.js';

export interface HistoryCheck<N extends CollectorId = CollectorId> extends Omit<Check<N>, 'evaluate'> {
  /**
   * Pure, like `evaluate`. `previous` is the same target's data as the last run that collected
   * it saw it, `previousAsOf` that run's instant; both are undefined when no earlier run did.
   */
  evaluateHistory(
    current: CheckInput<N>,
    previous: CheckInput<N> | undefined,
    settings: CheckSettings,
    asOf: string,
    previousAsOf: string | undefined,
  ): CheckResult[];
}

/** A history check of any needs, as the history registry holds them. */
// biome-ignore lint/suspicious/noExplicitAny: evaluateHistory's input varies per check; method bivariance keeps it safe.
export type AnyHistoryCheck = HistoryCheck<any>;
