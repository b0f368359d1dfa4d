/**
 * Everything after the targets are scanned, shared by the CLI and the finalize Lambda: under
 * the store's finalize lease, compare with the stored history, finalize, keep the tracker in
 * step, and publish the run (its artifacts, history, manifest, then `latest.json`).
 *
 * `completeRun` takes shards held in memory and returns the whole report. `completeRunFromShards`
 * reads the shards one at a time and writes every file as it is rendered, so a run of a million
 * findings completes in a few hundred megabytes; it returns the report without its findings.
 */
import { withFinalizeLease } from '../../reports/lease.js';
import { publishRun, readStoredHistory, type StoredHistory } from '../../reports/publish.js';
import type { ReportStore } from '../../reports/store.js';
import type { WrittenRun } from '../../reports/write-run.js';
import { syncOptionsFrom } from '../../tickets/factory.js';
import { loadTicketIndex, saveTicketIndex, type TicketIndex } from '../../tickets/record.js';
import { summarizeSync } from '../../tickets/summary.js';
import { type SyncResult, syncTickets } from '../../tickets/sync.js';
import type { TicketSink } from '../../tickets/types.js';
import type { CollectorId, Finding } from '../types.js';
import type { EngineContext, ScanPlan, TargetShard } from './context.js';
import {
  type FinalizedRun,
  type FinalizedShards,
  type FinalizeShardsOptions,
  finalize,
  finalizeShards,
  type ReportHeader,
  withFindings,
} from './finalize.js';
import type { ShardSource } from './shards.js';
import { ticketView } from './ticket-view.js';

export interface CompletionOptions {
  readonly store: ReportStore;
  /** The configured tracker, already preflighted; undefined for `tickets.sink: "none"`. */
  readonly ticketSink?: TicketSink;
}

export interface CompletedRun extends FinalizedRun {
  readonly written: WrittenRun;
  readonly tickets?: SyncResult;
}

/** A run completed from shards read one at a time: its report without the findings. */
export interface CompletedShards extends Omit<FinalizedRun, 'report'> {
  readonly report: ReportHeader;
  readonly written: WrittenRun;
  readonly tickets?: SyncResult;
}

/** Findings written at once when a run held in memory is published. */
const BATCH = 1000;

export async function completeRun(
  ctx: EngineContext,
  plan: ScanPlan,
  shards: readonly TargetShard[],
  options: CompletionOptions,
): Promise<CompletedRun> {
  return withFinalizeLease(options.store, { holder: plan.runId }, async () => {
    const stored = await readStoredHistory(options.store);
    const finalized = finalize(ctx, plan, shards, stored.previous);
    const { findings, ...counted } = finalized.report;
    const completed = await syncAndPublish(ctx, plan, options, stored.trend, {
      report: counted,
      ledger: finalized.ledger,
      historyInputs: finalized.historyInputs,
      takeTicketFindings: () => findings,
      findings: async function* () {
        for (let start = 0; start < findings.length; start += BATCH)
          yield findings.slice(start, start + BATCH);
      },
    });
    return { ...completed, report: withFindings(completed.report, findings) };
  });
}

export async function completeRunFromShards(
  ctx: EngineContext,
  plan: ScanPlan,
  source: ShardSource,
  options: CompletionOptions,
): Promise<CompletedShards> {
  return withFinalizeLease(options.store, { holder: plan.runId }, async () => {
    // Only a configured tracker needs the findings gathered; without one nothing is kept, and
    // what is kept is let go once the tickets are in step, before the run is written.
    let forTickets: Finding[] | undefined = options.ticketSink === undefined ? undefined : [];
    const view = ticketView();
    const { finalized, trend } = await finalizeFromStore(ctx, plan, source, options.store, {
      ...(forTickets !== undefined && { onFinding: (finding: Finding) => forTickets?.push(view(finding)) }),
    });
    return syncAndPublish(ctx, plan, options, trend, {
      report: finalized.report,
      ledger: finalized.ledger,
      historyInputs: finalized.historyInputs,
      takeTicketFindings: () => {
        const taken = forTickets ?? [];
        forTickets = undefined;
        return taken;
      },
      findings: () => finalized.findings(),
    });
  });
}

/**
 * The stored history, then finalize. The previous ledger is large for a large organization and
 * needed only to count: nothing refers to it once this returns.
 */
async function finalizeFromStore(
  ctx: EngineContext,
  plan: ScanPlan,
  source: ShardSource,
  store: ReportStore,
  options: FinalizeShardsOptions,
): Promise<{ finalized: FinalizedShards; trend: StoredHistory['trend'] }> {
  const stored = await readStoredHistory(store);
  return {
    finalized: await finalizeShards(ctx, plan, source, stored.previous, options),
    trend: stored.trend,
  };
}

interface FinalizedForCompletion extends Omit<FinalizedRun, 'report'> {
  readonly report: ReportHeader;
  /** What the ticket sync reads of the findings; the caller keeps no reference once taken. */
  takeTicketFindings(): readonly Finding[];
  findings(): AsyncIterable<readonly Finding[]>;
}

async function syncAndPublish(
  ctx: EngineContext,
  plan: ScanPlan,
  options: CompletionOptions,
  trend: StoredHistory['trend'],
  finalized: FinalizedForCompletion,
): Promise<CompletedShards> {
  const { store, ticketSink } = options;
  let report = finalized.report;
  let tickets: SyncResult | undefined;
  const record = ticketSink === undefined ? undefined : await loadTicketIndex(store, ticketSink.id);
  if (ticketSink !== undefined && record !== undefined) {
    tickets = await syncRun(ctx, plan, store, ticketSink, record, report, finalized.takeTicketFindings());
    report = { ...report, tickets: summarizeSync(tickets) };
  }
  const written = await publishRun(
    store,
    {
      report,
      findings: () => finalized.findings(),
      ledger: finalized.ledger,
      historyInputs: finalized.historyInputs,
    },
    {
      formats: ctx.config.output.formats,
      region: ctx.homeRegion,
      accountId: plan.callerAccountId,
      trend,
    },
  );
  // Saved after the run is published; a crash before this is recovered from the labels.
  if (record !== undefined) await saveTicketIndex(store, record);
  return {
    report,
    ledger: finalized.ledger,
    historyInputs: finalized.historyInputs,
    written,
    ...(tickets !== undefined && { tickets }),
  };
}

/** The ticket sync, on its own frame: what it read is garbage once it returns. */
async function syncRun(
  ctx: EngineContext,
  plan: ScanPlan,
  store: ReportStore,
  sink: TicketSink,
  record: TicketIndex,
  report: ReportHeader,
  findings: readonly Finding[],
): Promise<SyncResult> {
  return syncTickets(
    withFindings(report, findings),
    sink,
    {
      ...syncOptionsFrom(ctx.config.tickets),
      reportPath: store.locate(`runs/${plan.runId}/report.json`),
      runId: plan.runId,
      checkNeeds: checkNeeds(ctx),
    },
    record,
  );
}

function checkNeeds(ctx: EngineContext): (checkId: string) => readonly CollectorId[] | undefined {
  const all = [...ctx.registry, ...(ctx.historyRegistry ?? [])];
  return (checkId) => all.find((c) => c.id === checkId)?.needs as readonly CollectorId[] | undefined;
}
