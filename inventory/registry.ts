/**
 * Every collector, by id. The engine collects the union of what the selected checks need;
 * `custos permissions` derives the IAM policy from the same declarations.
 */
import type { InventorySourceConfig } from '../core/config/load.js';
import type { CollectorId } from '../core/types.js';
import type { AnyCollector, Collector } from './collector.js';
import { configCollectors } from './config/collectors.js';
import { ec2Collectors } from './ec2.js';
import { iamCollectors } from './iam.js';
import { s3Collectors } from './s3.js';

type CollectorTable = { readonly [K in CollectorId]?: Collector<K> };

function table(collectors: readonly AnyCollector[]): CollectorTable {
  const entries: Record<string, AnyCollector> = {};
  for (const c of collectors) {
    if (entries[c.id] !== undefined) throw new Error(`collector ${c.id} is registered twice`);
    entries[c.id] = c;
  }
  return entries as CollectorTable;
}

export const COLLECTORS: CollectorTable = table([...ec2Collectors, ...iamCollectors, ...s3Collectors]);

/** With AWS Config as the source: its collectors where Config can answer, the API's elsewhere. */
const CONFIG_COLLECTORS: CollectorTable = { ...COLLECTORS, ...table([...configCollectors]) };

export type InventorySource = InventorySourceConfig['source'];

export function collectorFor<K extends CollectorId>(id: K, source: InventorySource = 'api'): Collector<K> {
  const collector = (source === 'api' ? COLLECTORS : CONFIG_COLLECTORS)[id] as Collector<K> | undefined;
  if (collector === undefined) throw new Error(`no collector is registered for ${id}`);
  return collector;
}

/** `id` and everything it depends on, dependencies first. */
export function withDependencies(ids: Iterable<CollectorId>, source: InventorySource = 'api'): CollectorId[] {
  const ordered: CollectorId[] = [];
  const visit = (id: CollectorId, path: readonly CollectorId[]): void => {
    if (ordered.includes(id)) return;
    if (path.includes(id)) throw new Error(`collector dependency cycle: ${[...path, id].join(' -> ')}`);
    for (const dep of collectorFor(id, source).dependsOn ?? []) visit(dep, [...path, id]);
    ordered.push(id);
  };
  for (const id of ids) visit(id, []);
  return ordered;
}
