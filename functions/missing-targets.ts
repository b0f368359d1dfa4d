/**
 * Targets whose scan never wrote a shard (the Map state's tolerated failures: a Lambda that
 * timed out or kept failing after its retries) are not assessed, and the report must say so:
 * an ERROR coverage entry and an ERROR finding for every check that would have run there. Never
 * a failed run, never a silent pass. Pure.
 */

import type { ScanPlan, TargetShard } from '../core/engine/context.js';
import { errorFinding } from '../core/engine/findings.js';
import { checksForTarget } from '../core/engine/scan-target.js';
import type { AnyCheck, CollectorError, CollectorId, Target } from '../core/types.js';
import { collectorFor } from '../inventory/registry.js';

export interface CompletedShards {
  /** One shard per planned target, in plan order: the one it wrote, or an ERROR one. */
  readonly shards: readonly TargetShard[];
  /** The planned targets that wrote no shard. */
  readonly missing: readonly Target[];
}

export const MISSING_SHARD_ERROR: CollectorError = {
  kind: 'unavailable',
  code: 'TargetScanFailed',
  message:
    'the scan of this target did not finish (its Map iteration failed after its retries); see the Map Run of the execution',
  operation: 'scanTarget',
};

const keyOf = (t: Target) => `${t.accountId}/${t.region}`;

/**
 * Pairs the plan's targets with the shards read back. A shard for a target the plan does not
 * list is ignored: only the plan says what the run covers.
 */
export function completeShards(
  plan: ScanPlan,
  received: readonly TargetShard[],
  registry: readonly AnyCheck[],
): CompletedShards {
  const byTarget = new Map(received.map((s) => [keyOf(s.target), s]));
  const shards: TargetShard[] = [];
  const missing: Target[] = [];
  for (const target of plan.targets) {
    const shard = byTarget.get(keyOf(target));
    if (shard !== undefined) {
      shards.push(shard);
      continue;
    }
    missing.push(target);
    shards.push(missingShard(plan, target, registry));
  }
  return { shards, missing };
}

export function missingShard(plan: ScanPlan, target: Target, registry: readonly AnyCheck[]): TargetShard {
  const checks = checksForTarget(registry, plan.checkIds, target);
  const collectors = new Set<CollectorId>();
  for (const check of checks) {
    for (const id of check.needs as readonly CollectorId[]) {
      if (collectorFor(id).scope !== 'organization') collectors.add(id);
    }
  }
  const failed = { ok: false as const, error: MISSING_SHARD_ERROR };
  const results = Object.fromEntries([...collectors].sort().map((id) => [id, failed]));
  return {
    target,
    coverage: {
      accountId: target.accountId,
      region: target.region,
      status: 'error',
      reason: 'the scan of this target did not finish',
      error: MISSING_SHARD_ERROR,
      collectors: results,
    },
    findings: checks.map((check) => errorFinding(check, target, 'scanTarget', MISSING_SHARD_ERROR)),
    inventory: { target, collectedAt: plan.asOf, results },
  };
}
