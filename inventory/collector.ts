/**
 * The shape of a collector: which data it yields, where it runs, the IAM actions its calls
 * need (the one source of `custos permissions`) and the function that makes the calls.
 */
import type { z } from 'zod';
import { formatPath } from '../core/errors.js';
import type {
  CheckSettings,
  CollectorDataMap,
  CollectorId,
  InventoryProvenance,
  InventoryResults,
  Target,
} from '../core/types.js';
import type { AwsClients } from './clients.js';
import type { ConfigInventory } from './config/inventory.js';
import { CollectorDataError } from './errors.js';

/**
 * Where a collector runs: once per run with the caller's credentials (`organization`), once
 * per account in the `global` target (`account`), or once per account and region.
 */
export type CollectorScope = 'organization' | 'account' | 'regional';

export interface CollectContext {
  /** Clients holding the credentials of the target's account (or the caller's, for `organization`). */
  readonly clients: AwsClients;
  readonly target: Target;
  /** Results of the collectors this one depends on. */
  readonly prior: InventoryResults;
  /** The scan's settings, for collectors whose scope depends on them (allowlisted prefix lists). */
  readonly settings: CheckSettings;
  /** Present when the inventory source is AWS Config. */
  readonly configInventory?: ConfigInventory;
  /** Records where the data came from, for coverage; collectors of the API alone never call it. */
  readonly reportSource?: (source: InventoryProvenance) => void;
}

export interface Collector<K extends CollectorId> {
  readonly id: K;
  readonly scope: CollectorScope;
  /** The read-only IAM actions the calls need. */
  readonly actions: readonly string[];
  readonly dependsOn?: readonly CollectorId[];
  collect(ctx: CollectContext): Promise<CollectorDataMap[K]>;
}

export type AnyCollector = { [K in CollectorId]: Collector<K> }[CollectorId];

/** Parses AWS answers through the shared shapes; a wrong type becomes `invalid-data`, not a crash. */
export function parseAws<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue === undefined ? '' : formatPath(issue.path);
  throw new CollectorDataError(
    `${what}${where === '' ? '' : ` at ${where}`}: ${issue?.message ?? 'unreadable'}`,
  );
}

/** Drains an SDK paginator into one list. */
export async function drain<P, I>(
  pages: AsyncIterable<P>,
  items: (page: P) => readonly I[] | undefined,
): Promise<I[]> {
  const all: I[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}
