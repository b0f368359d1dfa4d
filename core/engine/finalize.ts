/**
 * Step three: merge the targets' shards into one report. Accounts that could not be entered
 * become ERROR findings for every selected check, so an unreachable account never reads as
 * clean.
 *
 * The report lists findings by account, region, check and resource. Every shard is one target
 * (an account and a region), so the report is the targets in order, each target's findings
 * sorted: finalize never needs two targets' findings at once. `finalize` merges shards held in
 * memory; `finalizeShards` reads them one target at a time, first to count (summary, history,
 * suppressions), then again each time the findings are wanted, so that a run of a million
 * findings keeps only what history needs per finding (its fingerprint) in memory.
 */

import { notRunReason } from '../history/evaluate.js';
import {
  advanceHistoryInputs,
  type HistoryInputs,
  type Ledger,
  type ScopeRef,
  trackHistory,
} from '../history.js';
import { createSuppressor } from '../suppressions.js';
import type { CollectorId, Finding, Inventory, Report, TargetCoverage } from '../types.js';
import type { EngineContext, ScanPlan, TargetShard } from './context.js';
import { type MergeHooks, RunAssembly } from './merge.js';
import { type ReadAhead, readGroups, type ShardSource } from './shards.js';
import { SummaryCounter } from './summary.js';

export { summarize } from './summary.js';

/** What finalize reads ahead of the shard it merges, when it reads a store's shards. */
const DEFAULT_READ_AHEAD: ReadAhead = { shards: 8, bytes: 32 * 1024 * 1024 };

/**
 * Findings handed on at once. A target can hold tens of thousands of findings; every format is
 * rendered from the same batch at the same time, so a batch is kept small.
 */
const BATCH = 1000;

/** What finalize reads of the store's history: the newest ledger and history inputs. */
export interface PreviousRun {
  readonly ledger?: Ledger;
  readonly inputs?: HistoryInputs;
}

/** A report without its findings: what is known of a run once its findings have been counted. */
export type ReportHeader = Omit<Report, 'findings'>;

export interface FinalizedRun {
  readonly report: Report;
  /** Written with the run: what the next run compares with. */
  readonly ledger: Ledger;
  readonly historyInputs: HistoryInputs;
}

/** A finalized run whose findings are read again from the shards each time they are wanted. */
export interface FinalizedShards {
  readonly report: ReportHeader;
  readonly ledger: Ledger;
  readonly historyInputs: HistoryInputs;
  /**
   * The report's findings in report order, in batches of one target's findings (a large target
   * in several); each call reads the shards again.
   */
  findings(): AsyncIterable<readonly Finding[]>;
}

export interface FinalizeShardsOptions {
  /** Sees every finding of the run once, in report order, as the report has it. */
  readonly onFinding?: (finding: Finding) => void;
  /** What is read ahead of the shard being merged; default 8 shards, 32 MiB. */
  readonly readAhead?: ReadAhead;
}

export function finalize(
  ctx: EngineContext,
  plan: ScanPlan,
  shards: readonly TargetShard[],
  previous: PreviousRun = {},
): FinalizedRun {
  const assembly = new RunAssembly(
    ctx,
    plan,
    shards.map((s) => s.target),
    previous.inputs,
  );
  const counting = new CountingPass(ctx, plan, assembly, previous);
  const findings: Finding[] = [];
  for (const group of assembly.groups) {
    const merged = assembly.merge(
      group,
      group.shards.map((i) => shards[i]!),
      counting.hooks,
    );
    for (const finding of merged) findings.push(finding);
  }
  const { report, ledger, historyInputs } = counting.finish();
  return { report: withFindings(report, findings), ledger, historyInputs };
}

export async function finalizeShards(
  ctx: EngineContext,
  plan: ScanPlan,
  source: ShardSource,
  previous: PreviousRun = {},
  options: FinalizeShardsOptions = {},
): Promise<FinalizedShards> {
  const ahead = options.readAhead ?? DEFAULT_READ_AHEAD;
  const assembly = new RunAssembly(ctx, plan, source.targets, previous.inputs);
  const counting = new CountingPass(ctx, plan, assembly, previous, options.onFinding);
  for await (const { group, shards } of readGroups(source, assembly.groups, ahead)) {
    assembly.merge(group, shards, counting.hooks);
  }
  // Nothing below refers to the previous ledger: once counted, the run is read again without it.
  const { report, ledger, historyInputs } = counting.finish();
  return {
    report,
    ledger,
    historyInputs,
    async *findings() {
      const hooks = assembly.replayHooks(ledger);
      for await (const { group, shards } of readGroups(source, assembly.groups, ahead)) {
        const merged = assembly.merge(group, shards, hooks);
        for (let start = 0; start < merged.length; start += BATCH) yield merged.slice(start, start + BATCH);
      }
    },
  };
}

/** The report with its findings in their place (after `coverage`, as the report has always had them). */
export function withFindings(header: ReportHeader, findings: readonly Finding[]): Report {
  const report: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(header)) {
    report[key] = value;
    if (key === 'coverage') report.findings = findings;
  }
  return report as unknown as Report;
}

/**
 * The first pass over the run: it suppresses and annotates each finding, counts it for the
 * summary and history, and keeps what the run's coverage and history inputs need of each shard.
 */
class CountingPass {
  readonly hooks: MergeHooks;
  private readonly suppressor;
  private readonly history;
  private readonly summary = new SummaryCounter();
  private readonly coverages: Array<TargetCoverage | undefined> = [];
  /** This run's data for the collectors the history checks need, by shard. */
  private readonly inventories: Array<Inventory | undefined> = [];
  /** By history check: the shards that had no earlier data to compare with. */
  private readonly missing: number[][];
  private readonly unassessed: ScopeRef[] = [];
  private readonly historyNeeds: readonly CollectorId[];

  constructor(
    private readonly ctx: EngineContext,
    private readonly plan: ScanPlan,
    private readonly assembly: RunAssembly,
    private readonly previous: PreviousRun,
    onFinding?: (finding: Finding) => void,
  ) {
    this.suppressor = createSuppressor(ctx.config.suppressions, plan.asOf);
    this.history = trackHistory(previous.ledger, plan);
    this.missing = assembly.historyChecks.map(() => []);
    this.historyNeeds = [
      ...new Set(assembly.historyChecks.flatMap((c) => c.needs as readonly CollectorId[])),
    ];
    this.hooks = {
      suppress: (finding) => this.suppressor.apply(finding),
      annotate: (finding) => {
        const recorded = this.history.record(finding);
        this.summary.add(recorded);
        onFinding?.(recorded);
        return recorded;
      },
      shard: (index, shard) => {
        this.coverages[index] = shard.coverage;
        this.inventories[index] = this.keptInventory(shard.inventory);
      },
      needsPrevious: (checkIndex, index) => {
        this.missing[checkIndex]!.push(index);
        const target = this.assembly.targets[index]!;
        const check = this.assembly.historyChecks[checkIndex]!;
        this.unassessed.push({ checkId: check.id, accountId: target.accountId, region: target.region });
      },
    };
  }

  finish(): { report: ReportHeader; ledger: Ledger; historyInputs: HistoryInputs } {
    const { ctx, plan, assembly } = this;
    const notRun = assembly.historyChecks.flatMap((check, i) => {
      const targets = [...this.missing[i]!]
        .sort((a, b) => a - b)
        .map((index) => {
          const target = assembly.targets[index]!;
          return `${target.accountId}/${target.region}`;
        });
      const reason = notRunReason(check, targets);
      return reason === undefined ? [] : [{ checkId: check.id, reason }];
    });
    const targets: TargetCoverage[] = [
      ...this.coverages.filter((c): c is TargetCoverage => c !== undefined),
      ...plan.skippedTargets,
    ].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
    const coverage = { accounts: plan.accounts, targets, checksNotRun: [...plan.checksNotRun, ...notRun] };
    const use = this.suppressor.use();
    const counted: ReportHeader = {
      schemaVersion: 1,
      runId: plan.runId,
      startedAt: plan.startedAt,
      finishedAt: ctx.now().toISOString(),
      asOf: plan.asOf,
      toolVersion: ctx.toolVersion,
      configDigest: ctx.config.digest,
      scope: plan.scope,
      summary: this.summary.result(coverage.accounts, targets),
      coverage,
      ...(ctx.config.suppressions.length > 0 && {
        suppressions: { expired: use.expired, unused: use.unused },
      }),
    };
    const { ledger, changes } = this.history.finish(counted, {
      registry: [...ctx.registry, ...(ctx.historyRegistry ?? [])].map((c) => ({
        id: c.id,
        needs: c.needs as readonly CollectorId[],
      })),
      unassessed: this.unassessed,
    });
    const inventories = this.inventories.filter((i): i is Inventory => i !== undefined);
    return {
      report: { ...counted, changes },
      ledger,
      historyInputs: advanceHistoryInputs(this.previous.inputs, inventories, this.historyNeeds, {
        runId: plan.runId,
        asOf: plan.asOf,
      }),
    };
  }

  /** Only what the history checks need of a shard's inventory is stored with the run. */
  private keptInventory(inventory: Inventory): Inventory {
    const results: Record<string, unknown> = {};
    for (const id of this.historyNeeds) {
      if (inventory.results[id] !== undefined) results[id] = inventory.results[id];
    }
    return { target: inventory.target, collectedAt: inventory.collectedAt, results };
  }
}
