/**
 * The three steps in one process, as the CLI runs them: plan, scan every target in a bounded
 * pool, finalize.
 */
import pLimit from 'p-limit';
import { GLOBAL_REGION, type Target } from '../types.js';
import { configInventoryFor } from './config-source.js';
import type { EngineContext, ScanPlan, TargetShard } from './context.js';
import { type FinalizedRun, finalize, type PreviousRun } from './finalize.js';
import { newRunId, plan } from './plan.js';
import { scanTarget } from './scan-target.js';

/**
 * Targets scanned at once. An account's global target is paced by its S3 bucket (about 45
 * calls a second, see inventory/rate-limit.ts) for several seconds, so a few dozen must run
 * together for a large organization's scan to be bound by the CPU, not by waiting; the
 * requests in flight stay bounded by the rate limiter whatever this is.
 */
const DEFAULT_TARGET_CONCURRENCY = 32;

export interface ScanRun extends FinalizedRun {
  readonly plan: ScanPlan;
  readonly shards: readonly TargetShard[];
}

export interface ScannedTargets {
  readonly plan: ScanPlan;
  readonly shards: readonly TargetShard[];
}

/** Plan, then scan every target in a bounded pool. */
export async function scanAll(ctx: EngineContext, runId = newRunId(ctx.now())): Promise<ScannedTargets> {
  const scanPlan = await plan(ctx, runId);
  const configInventory = configInventoryFor(ctx, scanPlan, true);
  const limit = pLimit(ctx.concurrency ?? DEFAULT_TARGET_CONCURRENCY);
  // Each account's global target is held to its account's S3 rate for seconds: the long poles
  // start first and the regional targets fill the pool around them. Shards keep the plan's order.
  const longFirst = scanPlan.targets
    .map((target, index) => ({ target, index }))
    .sort((a, b) => rank(a.target) - rank(b.target) || a.index - b.index);
  const shards: TargetShard[] = new Array(scanPlan.targets.length);
  await Promise.all(
    longFirst.map(({ target, index }) =>
      limit(async () => {
        shards[index] = await scanTarget(ctx, scanPlan, target, { configInventory });
      }),
    ),
  );
  return { plan: scanPlan, shards };
}

function rank(target: Target): number {
  return target.region === GLOBAL_REGION ? 0 : 1;
}

/** The three steps without a store: what tests and `custos record` need. */
export async function runScan(
  ctx: EngineContext,
  runId = newRunId(ctx.now()),
  previous: PreviousRun = {},
): Promise<ScanRun> {
  const { plan: scanPlan, shards } = await scanAll(ctx, runId);
  return { plan: scanPlan, shards, ...finalize(ctx, scanPlan, shards, previous) };
}
