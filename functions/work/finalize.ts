/**
 * What the finalize function does (functions/finalize.ts is its handler): read the plan, report
 * the targets whose shard is missing as not assessed, then complete the run as the CLI does
 * (history, the report, tickets, publishing under the store's lease), reading the shards one at a
 * time so that a run of a million findings fits in the function's memory. Writes the heartbeat
 * metric the "no finished run" alarm watches.
 */
import { completeRunFromShards } from '../../core/engine/complete-run.js';
import type { ScanPlan } from '../../core/engine/context.js';
import type { Summary } from '../../core/types.js';
import { readReportSummary } from '../../reports/publish.js';
import type { ReportStore } from '../../reports/store.js';
import { TicketPreflightError } from '../../tickets/errors.js';
import type { TicketSink } from '../../tickets/types.js';
import {
  type FinalizeEvent,
  type FinalizeResult,
  InvalidEventError,
  overridesOf,
  runKeys,
} from '../events.js';
import { addFailingFindings, logger, MetricUnit, metrics, targetLabel } from '../lambda.js';
import {
  lambdaSettings,
  loadLambdaConfig,
  openLambdaEngine,
  openReportStore,
  openTicketSink,
  type RuntimeOptions,
} from '../runtime.js';
import { storedShards } from '../stored-shards.js';

export async function finalizeRun(
  event: FinalizeEvent,
  options: RuntimeOptions = {},
): Promise<FinalizeResult> {
  const { runId } = event;
  logger.appendKeys({ runId });
  const { bucket } = lambdaSettings(options.env);
  const planConfig = loadLambdaConfig(options);
  const planStore = openReportStore(planConfig, options);
  const scanPlan = await readJson<ScanPlan>(planStore, runKeys.plan(runId));
  if (scanPlan === undefined) throw new InvalidEventError(`run ${runId} has no plan`);
  // Suppression expiry is judged at the run's own instant, as the CLI judges it.
  const config = loadLambdaConfig(options, overridesOf(event.request), scanPlan.asOf);
  const store = openReportStore(config, options);
  if (event.mapFailure !== undefined) {
    logger.error('the Map state failed beyond its tolerated failures; finalizing what was scanned', {
      mapFailure: event.mapFailure,
    });
  }

  // A retried finalize whose first attempt published the run: the run stands as written.
  if ((await store.get(runKeys.manifest(runId))) !== undefined) {
    const published = await readReportSummary(store, runKeys.report(runId));
    if (published !== undefined) {
      logger.warn('run already published; nothing to do');
      return result(bucket, runId, published, 0, true);
    }
  }

  const engine = openLambdaEngine(config, runId, options);
  try {
    const { source, missing } = await storedShards(store, scanPlan, engine.ctx.registry);
    for (const target of missing) {
      logger.warn('target has no shard: reported as not assessed', { target: targetLabel(target) });
    }
    const ticketSink = await ticketSinkOrNone(config, store, options);
    const run = await completeRunFromShards(engine.ctx, scanPlan, source, {
      store,
      ...(ticketSink !== undefined && { ticketSink }),
    });
    const { summary } = run.report;
    metrics.addMetric('RunFinished', MetricUnit.Count, 1);
    metrics.addMetric('TargetsMissing', MetricUnit.Count, missing.length);
    metrics.addMetric('AccountsErrored', MetricUnit.Count, summary.accounts.errored);
    metrics.addMetric('RunTargetsErrored', MetricUnit.Count, summary.targets.errored);
    metrics.addMetric(
      'RunDuration',
      MetricUnit.Seconds,
      Math.max(0, (Date.parse(run.report.finishedAt) - Date.parse(run.report.startedAt)) / 1000),
    );
    addFailingFindings(summary.failBySeverity);
    logger.info('run published', {
      reportKey: run.written.reportKey,
      findings: summary.findings,
      accountsErrored: summary.accounts.errored,
      targetsMissing: missing.length,
      ...(run.tickets !== undefined && { tickets: run.tickets.status }),
    });
    return result(bucket, runId, summary, missing.length, false);
  } finally {
    engine.close();
  }
}

function result(
  bucket: string,
  runId: string,
  summary: Summary,
  missingTargets: number,
  alreadyPublished: boolean,
): FinalizeResult {
  return {
    runId,
    bucket,
    reportKey: runKeys.report(runId),
    summary,
    missingTargets,
    alreadyPublished,
  };
}

/**
 * The tracker. A token that cannot be read does not lose the run: the run is published without
 * the ticket sync, the error is logged, and `TicketSyncFailed` counts it.
 */
async function ticketSinkOrNone(
  config: Parameters<typeof openTicketSink>[0],
  store: ReportStore,
  options: RuntimeOptions,
): Promise<TicketSink | undefined> {
  try {
    return await openTicketSink(config, store, options);
  } catch (error) {
    if (!(error instanceof TicketPreflightError)) throw error;
    logger.error('ticket sink unavailable: the run is published without the ticket sync', {
      reason: error.message,
    });
    metrics.addMetric('TicketSyncFailed', MetricUnit.Count, 1);
    return undefined;
  }
}

async function readJson<T>(store: ReportStore, key: string): Promise<T | undefined> {
  const body = await store.get(key);
  return body === undefined ? undefined : (JSON.parse(body.toString('utf8')) as T);
}
