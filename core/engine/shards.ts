/**
 * Where finalize reads the targets' shards from: memory (the CLI scanned them itself) or a store
 * (the cloud's scanTarget functions wrote them). A large run's shards do not fit in memory
 * together, so finalize asks for them one at a time, in the order the report lists them, and may
 * ask again on a later pass.
 */
import type { Target } from '../types.js';
import type { TargetShard } from './context.js';

export interface ShardSource {
  /** The target of each shard, in the run's order (the plan's). */
  readonly targets: readonly Target[];
  /** The shard of `targets[index]`; it may be read again on every pass over the run. */
  read(index: number): Promise<TargetShard>;
  /** How large the stored shard is, in bytes, when the source knows before reading it. */
  size?(index: number): number | undefined;
}

export interface ReadAhead {
  /** Shard reads in flight at most. */
  readonly shards: number;
  /**
   * Bytes of stored shards read ahead at most (a target can be a hundred times the average).
   * A shard larger than this is still read, alone.
   */
  readonly bytes: number;
}

/** Shards already in memory. */
export function shardsInMemory(shards: readonly TargetShard[]): ShardSource {
  return {
    targets: shards.map((s) => s.target),
    read: async (index) => {
      const shard = shards[index];
      if (shard === undefined) throw new RangeError(`no shard ${index} of ${shards.length}`);
      return shard;
    },
  };
}

/**
 * Each group's shards in turn, reading ahead within `ahead` so that a store's latency does not
 * add up shard after shard. Memory holds the group being read and what is read ahead.
 */
export async function* readGroups<G extends { readonly shards: readonly number[] }>(
  source: ShardSource,
  groups: readonly G[],
  ahead: ReadAhead,
): AsyncGenerator<{ readonly group: G; readonly shards: TargetShard[] }> {
  const order = groups.flatMap((g) => g.shards);
  const pending: Array<{ readonly read: Promise<TargetShard>; readonly bytes: number }> = [];
  let pendingBytes = 0;
  let next = 0;
  const fill = () => {
    while (next < order.length && pending.length < Math.max(1, ahead.shards)) {
      const bytes = source.size?.(order[next]!) ?? 0;
      if (pending.length > 0 && pendingBytes + bytes > ahead.bytes) break;
      const read = source.read(order[next]!);
      // Awaited in turn below; a read that fails before its turn must not go unhandled meanwhile.
      read.catch(() => undefined);
      pending.push({ read, bytes });
      pendingBytes += bytes;
      next += 1;
    }
  };
  for (const group of groups) {
    const shards: TargetShard[] = [];
    for (let i = 0; i < group.shards.length; i++) {
      fill();
      const first = pending.shift()!;
      pendingBytes -= first.bytes;
      shards.push(await first.read);
    }
    fill();
    yield { group, shards };
  }
}
