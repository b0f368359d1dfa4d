/**
 * What the plan function does (functions/plan.ts is its handler): `plan(ctx, runId)` as the CLI
 * runs it, then the plan and the Map state's items into the report bucket. The items go through
 * S3 (the Map's ItemReader), not through the state, so 5,000 accounts × 20 regions stay far from
 * the state size limit.
 */
import { plan } from '../../core/engine/plan.js';
import { overridesOf, type PlanEvent, type PlanResult, runKeys } from '../events.js';
import { logEngineEvent, logger, MetricUnit, metrics } from '../lambda.js';
import { runIdFor } from '../plan.js';
import { loadLambdaConfig, openLambdaEngine, openReportStore, type RuntimeOptions } from '../runtime.js';

export async function planRun(event: PlanEvent, options: RuntimeOptions = {}): Promise<PlanResult> {
  const now = options.now ?? (() => new Date());
  const runId = runIdFor(event.executionName, now());
  logger.appendKeys({ runId });
  const request = event.input ?? {};
  const config = loadLambdaConfig(options, overridesOf(request), now().toISOString());
  const store = openReportStore(config, options);
  const engine = openLambdaEngine(config, runId, options, logEngineEvent);
  try {
    const scanPlan = await plan(engine.ctx, runId);
    const targetsKey = runKeys.targets(runId);
    // Working files, rewritten if the step is retried; the run's own artifacts are written once by finalize.
    await store.put(runKeys.plan(runId), JSON.stringify(scanPlan));
    await store.put(targetsKey, JSON.stringify(scanPlan.targets));
    metrics.addMetric('AccountsPlanned', MetricUnit.Count, scanPlan.accounts.length);
    metrics.addMetric('TargetsPlanned', MetricUnit.Count, scanPlan.targets.length);
    logger.info('plan written', {
      accounts: scanPlan.accounts.length,
      targets: scanPlan.targets.length,
      targetsKey,
    });
    return { runId, targetsKey, targets: scanPlan.targets.length, request };
  } finally {
    engine.close();
  }
}
