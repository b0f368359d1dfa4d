/**
 * A run's shards as the scanTarget functions left them in the report store, read one at a time
 * when finalize wants them (a large run's shards do not fit in memory together). A planned
 * target without a shard reads as its missing shard: ERROR for everything it would have
 * assessed (functions/missing-targets.ts).
 */
import type { ScanPlan, TargetShard } from '../core/engine/context.js';
import type { ShardSource } from '../core/engine/shards.js';
import type { AnyCheck, Target } from '../core/types.js';
import type { ReportStore } from '../reports/store.js';
import { runKeys } from './events.js';
import { missingShard } from './missing-targets.js';

export interface StoredShards {
  readonly source: ShardSource;
  /** The planned targets that wrote no shard. */
  readonly missing: readonly Target[];
}

/** One listing of the run's shard folder says which planned targets have a shard. */
export async function storedShards(
  store: ReportStore,
  plan: ScanPlan,
  registry: readonly AnyCheck[],
): Promise<StoredShards> {
  const written = new Map(
    (await store.listSized(runKeys.shards(plan.runId))).map(({ key, size }) => [key, size]),
  );
  const has = (target: Target) => written.has(runKeys.shard(plan.runId, target));
  const source: ShardSource = {
    targets: plan.targets,
    // Finalize reads ahead by size: a large target's shard is read alone.
    size: (index) => {
      const target = plan.targets[index];
      return target === undefined ? undefined : written.get(runKeys.shard(plan.runId, target));
    },
    async read(index) {
      const target = plan.targets[index];
      if (target === undefined) throw new RangeError(`the plan has no target ${index}`);
      if (!has(target)) return missingShard(plan, target, registry);
      const key = runKeys.shard(plan.runId, target);
      const body = await store.get(key);
      if (body === undefined) throw new Error(`${store.locate(key)} was listed but cannot be read`);
      return JSON.parse(body.toString('utf8')) as TargetShard;
    },
  };
  return { source, missing: plan.targets.filter((t) => !has(t)) };
}
