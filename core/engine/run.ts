/**
 * The three steps in one process, as the CLI runs them: plan, scan every target in a bounded
 * pool, finalize.
 */
import pLimit from 'p-limit';
import type { Report } from '../types.js';
import type { EngineContext, ScanPlan, TargetShard } from './context.js';
import { finalize } from './finalize.js';
import { newRunId, plan } from './plan.js';
import { scanTarget } from './scan-target.js';

const DEFAULT_TARGET_CONCURRENCY = 8;

export interface ScanRun {
  readonly plan: ScanPlan;
  readonly shards: readonly TargetShard[];
  readonly report: Report;
}

export async function runScan(ctx: EngineContext, runId = newRunId(ctx.now())): Promise<ScanRun> {
  const scanPlan = await plan(ctx, runId);
  const limit = pLimit(ctx.concurrency ?? DEFAULT_TARGET_CONCURRENCY);
  const shards = await Promise.all(
    scanPlan.targets.map((target) => limit(() => scanTarget(ctx, scanPlan, target))),
  );
  return { plan: scanPlan, shards, report: finalize(ctx, scanPlan, shards) };
}
