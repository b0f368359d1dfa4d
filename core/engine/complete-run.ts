/**
 * Everything after the targets are scanned, shared by the CLI and the finalize Lambda: under
 * the store's finalize lease, compare with the stored history, finalize, keep the tracker in
 * step, and publish the run (its artifacts, history, manifest, then `latest.json`).
 */
import { withFinalizeLease } from '../../reports/lease.js';
import { publishRun, readStoredHistory } from '../../reports/publish.js';
import type { ReportStore } from '../../reports/store.js';
import type { WrittenRun } from '../../reports/write-run.js';
import { syncOptionsFrom } from '../../tickets/factory.js';
import { loadTicketIndex, saveTicketIndex } from '../../tickets/record.js';
import { summarizeSync } from '../../tickets/summary.js';
import { type SyncResult, syncTickets } from '../../tickets/sync.js';
import type { TicketSink } from '../../tickets/types.js';
import type { CollectorId } from '../types.js';
import type { EngineContext, ScanPlan, TargetShard } from './context.js';
import { type FinalizedRun, finalize } from './finalize.js';

export interface CompletionOptions {
  readonly store: ReportStore;
  /** The configured tracker, already preflighted; undefined for `tickets.sink: "none"`. */
  readonly ticketSink?: TicketSink;
}

export interface CompletedRun extends FinalizedRun {
  readonly written: WrittenRun;
  readonly tickets?: SyncResult;
}

export async function completeRun(
  ctx: EngineContext,
  plan: ScanPlan,
  shards: readonly TargetShard[],
  options: CompletionOptions,
): Promise<CompletedRun> {
  const { store, ticketSink } = options;
  return withFinalizeLease(store, { holder: plan.runId }, async () => {
    const stored = await readStoredHistory(store);
    const finalized = finalize(ctx, plan, shards, stored.previous);
    let report = finalized.report;
    let tickets: SyncResult | undefined;
    const record = ticketSink === undefined ? undefined : await loadTicketIndex(store, ticketSink.id);
    if (ticketSink !== undefined && record !== undefined) {
      tickets = await syncTickets(
        report,
        ticketSink,
        {
          ...syncOptionsFrom(ctx.config.tickets),
          reportPath: store.locate(`runs/${plan.runId}/report.json`),
          runId: plan.runId,
          checkNeeds: checkNeeds(ctx),
        },
        record,
      );
      report = { ...report, tickets: summarizeSync(tickets) };
    }
    const written = await publishRun(
      store,
      { ...finalized, report },
      {
        formats: ctx.config.output.formats,
        region: ctx.homeRegion,
        accountId: plan.callerAccountId,
        trend: stored.trend,
      },
    );
    // Saved after the run is published; a crash before this is recovered from the labels.
    if (record !== undefined) await saveTicketIndex(store, record);
    return { ...finalized, report, written, ...(tickets !== undefined && { tickets }) };
  });
}

function checkNeeds(ctx: EngineContext): (checkId: string) => readonly CollectorId[] | undefined {
  const all = [...ctx.registry, ...(ctx.historyRegistry ?? [])];
  return (checkId) => all.find((c) => c.id === checkId)?.needs as readonly CollectorId[] | undefined;
}
