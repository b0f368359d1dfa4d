/**
 * The last step of a cloud run: read the plan and every target's shard, report the targets
 * whose shard is missing as not assessed, then `completeRun` as the CLI runs it (history, the
 * report, tickets, publishing under the store's lease). Writes the heartbeat metric the
 * "no finished run" alarm watches.
 */
import pLimit from 'p-limit';
import { completeRun } from '../core/engine/complete-run.js';
import type { ScanPlan, TargetShard } from '../core/engine/context.js';
import type { Report } from '../core/types.js';
import type { ReportStore } from '../reports/store.js';
import { TicketPreflightError } from '../tickets/errors.js';
import type { TicketSink } from '../tickets/types.js';
import {
  type FinalizeEvent,
  FinalizeEventSchema,
  type FinalizeResult,
  InvalidEventError,
  overridesOf,
  runKeys,
} from './events.js';
import { addFailingFindings, lambdaHandler, logger, MetricUnit, metrics, targetLabel } from './lambda.js';
import { completeShards } from './missing-targets.js';
import {
  lambdaSettings,
  loadLambdaConfig,
  openLambdaEngine,
  openReportStore,
  openTicketSink,
  type RuntimeOptions,
} from './runtime.js';

const SHARD_READS = 32;

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
  const published = await readJson<Report>(store, runKeys.report(runId));
  if (published !== undefined && (await store.get(runKeys.manifest(runId))) !== undefined) {
    logger.warn('run already published; nothing to do');
    return result(bucket, runId, published, 0, true);
  }

  const received = await readShards(store, scanPlan);
  const engine = openLambdaEngine(config, runId, options);
  try {
    const { shards, missing } = completeShards(scanPlan, received, engine.ctx.registry);
    for (const target of missing) {
      logger.warn('target has no shard: reported as not assessed', { target: targetLabel(target) });
    }
    const ticketSink = await ticketSinkOrNone(config, store, options);
    const run = await completeRun(engine.ctx, scanPlan, shards, {
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
    return result(bucket, runId, run.report, missing.length, false);
  } finally {
    engine.close();
  }
}

function result(
  bucket: string,
  runId: string,
  report: Report,
  missingTargets: number,
  alreadyPublished: boolean,
): FinalizeResult {
  return {
    runId,
    bucket,
    reportKey: runKeys.report(runId),
    summary: report.summary,
    missingTargets,
    alreadyPublished,
  };
}

/** Every planned target's shard that exists; the ones that do not are completed by `completeShards`. */
async function readShards(store: ReportStore, scanPlan: ScanPlan): Promise<TargetShard[]> {
  const limit = pLimit(SHARD_READS);
  const read = await Promise.all(
    scanPlan.targets.map((target) =>
      limit(() => readJson<TargetShard>(store, runKeys.shard(scanPlan.runId, target))),
    ),
  );
  return read.filter((s): s is TargetShard => s !== undefined);
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

export const makeHandler = (options: RuntimeOptions = {}) =>
  lambdaHandler(FinalizeEventSchema, (event) => finalizeRun(event, options));

export const handler = makeHandler();
