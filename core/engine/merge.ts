/**
 * How finalize puts a run's findings in report order one target at a time. The report sorts
 * findings by account, region, check and resource, and every shard holds one target (an account
 * and a region), so the report is the targets in (account, region) order, each target's own
 * findings sorted, with the findings no shard holds merged in at their target: the history-derived
 * checks' (evaluated on the target's inventory) and the ERROR findings of accounts that could not
 * be entered.
 */
import type { AnyHistoryCheck } from '../../checks/history/types.js';
import { evaluateHistoryCheck } from '../history/evaluate.js';
import { type HistoryInputs, type Ledger, ledgerAnnotator } from '../history.js';
import { createSuppressor } from '../suppressions.js';
import type { CheckMetadata, Finding, Target } from '../types.js';
import { GLOBAL_REGION } from '../types.js';
import type { EngineContext, ScanPlan, TargetShard } from './context.js';
import { errorFinding } from './findings.js';

/** What a pass over the run does with each finding and shard, in report order. */
export interface MergeHooks {
  /** Applies the configured suppressions. */
  suppress(finding: Finding): Finding;
  /** Adds the finding's history (after `suppress`). */
  annotate(finding: Finding): Finding;
  /** Sees each shard once, by its index in the source. */
  shard?(index: number, shard: TargetShard): void;
  /** A history check had no earlier data for the shard's target. */
  needsPrevious?(checkIndex: number, shardIndex: number): void;
}

/** One account and region of the report: its shards (usually one) and the findings no shard holds. */
export interface TargetGroup {
  readonly accountId: string;
  readonly region: string;
  /** Indexes of the group's shards in the source, ascending. */
  readonly shards: readonly number[];
  /** ERROR findings of an account that could not be entered, in this account and region. */
  readonly unreachable: readonly Finding[];
}

// `localeCompare` without arguments is this collator's `compare`; one collator is much faster.
const collator = new Intl.Collator();

export function compareFindings(a: Finding, b: Finding): number {
  return (
    collator.compare(a.accountId, b.accountId) ||
    collator.compare(a.region, b.region) ||
    collator.compare(a.checkId, b.checkId) ||
    collator.compare(a.resourceId, b.resourceId)
  );
}

export class RunAssembly {
  /** The history-derived checks this run selected, in registry order. */
  readonly historyChecks: readonly AnyHistoryCheck[];
  /** Every account and region with findings, in report order. */
  readonly groups: readonly TargetGroup[];

  constructor(
    private readonly ctx: EngineContext,
    private readonly plan: ScanPlan,
    /** The target of each shard, by index in the source. */
    readonly targets: readonly Target[],
    /** What the history checks compare with: the newest stored history inputs. */
    private readonly previousInputs: HistoryInputs | undefined,
  ) {
    const selected = new Set(plan.checkIds);
    const checks = ctx.registry.filter((c) => selected.has(c.id));
    this.historyChecks = (ctx.historyRegistry ?? []).filter((c) => selected.has(c.id));
    this.groups = targetGroups(targets, unreachableAccountFindings(plan, [...checks, ...this.historyChecks]));
  }

  /**
   * The group's findings in report order, through `hooks`: its shards' findings and the
   * history-derived ones, then the unreachable account's, sorted (stably, as the whole report
   * was sorted when it was merged at once), then suppressed and annotated.
   */
  merge(group: TargetGroup, shards: readonly TargetShard[], hooks: MergeHooks): Finding[] {
    const merged: Finding[] = [];
    shards.forEach((shard, i) => {
      hooks.shard?.(group.shards[i]!, shard);
      for (const finding of shard.findings) merged.push(finding);
    });
    this.historyChecks.forEach((check, checkIndex) => {
      shards.forEach((shard, i) => {
        const verdict = evaluateHistoryCheck(
          check,
          shard.inventory,
          this.previousInputs,
          this.ctx.config.settings,
          this.plan.asOf,
        );
        if (verdict?.kind === 'findings') for (const finding of verdict.findings) merged.push(finding);
        else if (verdict?.kind === 'needs-previous') hooks.needsPrevious?.(checkIndex, group.shards[i]!);
      });
    });
    for (const finding of group.unreachable) merged.push(finding);
    merged.sort(compareFindings);
    return merged.map((finding) => hooks.annotate(hooks.suppress(finding)));
  }

  /**
   * Hooks that give every finding what the first pass gave it: a finding's suppression depends
   * on the configuration alone, its history on the ledger that pass wrote (never on the other
   * findings), so the previous ledger need not be kept for a second reading.
   */
  replayHooks(ledger: Ledger): MergeHooks {
    const suppressor = createSuppressor(this.ctx.config.suppressions, this.plan.asOf);
    return { suppress: (finding) => suppressor.apply(finding), annotate: ledgerAnnotator(ledger) };
  }
}

/** The targets (and the unreachable accounts' scopes) as groups, in report order. */
function targetGroups(targets: readonly Target[], unreachable: readonly Finding[]): TargetGroup[] {
  const groups = new Map<
    string,
    { accountId: string; region: string; shards: number[]; unreachable: Finding[] }
  >();
  const groupOf = (accountId: string, region: string) => {
    const key = `${accountId}\u001f${region}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { accountId, region, shards: [], unreachable: [] };
      groups.set(key, group);
    }
    return group;
  };
  targets.forEach((target, index) => {
    groupOf(target.accountId, target.region).shards.push(index);
  });
  for (const finding of unreachable) groupOf(finding.accountId, finding.region).unreachable.push(finding);
  return [...groups.values()].sort(
    (a, b) => collator.compare(a.accountId, b.accountId) || collator.compare(a.region, b.region),
  );
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
