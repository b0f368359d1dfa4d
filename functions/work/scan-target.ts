/**
 * What the scanTarget function does (functions/scan-target.ts is its handler): read the plan,
 * `scanTarget(ctx, plan, target)` as the CLI runs it, write the target's shard. The shard is
 * rewritten in place (`put`), so a retried target replaces its own shard and nothing else.
 */
import type { ScanPlan } from '../../core/engine/context.js';
import { scanTarget } from '../../core/engine/scan-target.js';
import type { S3ReportStore } from '../../reports/s3-store.js';
import { InvalidEventError, runKeys, type ScanTargetEvent, type ScanTargetResult } from '../events.js';
import { logEngineEvent, logger, MetricUnit, metrics, targetLabel } from '../lambda.js';
import {
  type LambdaEngine,
  loadLambdaConfig,
  openLambdaEngine,
  openReportStore,
  type RuntimeOptions,
} from '../runtime.js';

/**
 * What a warm function keeps between the targets of one run: the plan (read once, not once per
 * target) and the account sessions (a region of an account already entered reuses its session).
 */
interface WarmRun {
  readonly plan: ScanPlan;
  readonly store: S3ReportStore;
  readonly engine: LambdaEngine;
}

export interface ScanTargetHandlerState {
  warm?: { readonly runId: string; readonly run: Promise<WarmRun> };
}

function warmRun(runId: string, options: RuntimeOptions, state: ScanTargetHandlerState): Promise<WarmRun> {
  if (state.warm?.runId === runId) return state.warm.run;
  const previous = state.warm;
  const run = openRun(runId, options);
  state.warm = { runId, run };
  run.catch(() => {
    if (state.warm?.run === run) state.warm = undefined;
  });
  previous?.run.then(
    (r) => r.engine.close(),
    () => undefined,
  );
  return run;
}

async function openRun(runId: string, options: RuntimeOptions): Promise<WarmRun> {
  const config = loadLambdaConfig(options);
  const store = openReportStore(config, options);
  const body = await store.get(runKeys.plan(runId));
  if (body === undefined) {
    throw new InvalidEventError(`run ${runId} has no plan (${store.locate(runKeys.plan(runId))})`);
  }
  const plan = JSON.parse(body.toString('utf8')) as ScanPlan;
  return { plan, store, engine: openLambdaEngine(config, runId, options, logEngineEvent) };
}

export async function scanOneTarget(
  event: ScanTargetEvent,
  options: RuntimeOptions = {},
  state: ScanTargetHandlerState = {},
): Promise<ScanTargetResult> {
  const { runId, target } = event;
  logger.appendKeys({ runId, target: targetLabel(target) });
  const started = Date.now();
  const run = await warmRun(runId, options, state);
  if (!run.plan.targets.some((t) => t.accountId === target.accountId && t.region === target.region)) {
    throw new InvalidEventError(`target ${targetLabel(target)} is not in the plan of run ${runId}`);
  }
  const shard = await scanTarget(run.engine.ctx, run.plan, target);
  const shardKey = runKeys.shard(runId, target);
  await run.store.put(shardKey, JSON.stringify(shard));

  metrics.addMetric(
    shard.coverage.status === 'error' ? 'TargetsErrored' : 'TargetsScanned',
    MetricUnit.Count,
    1,
  );
  // Findings by severity are counted once per run, by finalize, after suppressions.
  metrics.addMetric('TargetDuration', MetricUnit.Milliseconds, Date.now() - started);
  logger.info('shard written', { shardKey, status: shard.coverage.status, findings: shard.findings.length });
  return { shardKey, status: shard.coverage.status, findings: shard.findings.length };
}
