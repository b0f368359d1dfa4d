/**
 * Runs the collectors a target needs, each once, independent ones in parallel and dependants
 * after what they depend on. A failed collector yields a classified error, never an exception,
 * so one denied call cannot take down the target.
 */
import type { AwsClients } from '../../inventory/clients.js';
import type { CollectContext, Collector } from '../../inventory/collector.js';
import type { ConfigInventory } from '../../inventory/config/inventory.js';
import { classifyAwsError } from '../../inventory/errors.js';
import { collectorFor, type InventorySource, withDependencies } from '../../inventory/registry.js';
import type {
  CheckSettings,
  CollectorId,
  CollectorResult,
  InventoryProvenance,
  InventoryResults,
  Target,
} from '../types.js';

/** Where inventory comes from; absent: the services' APIs. */
export interface InventoryOptions {
  readonly source: InventorySource;
  readonly configInventory?: ConfigInventory;
}

export async function collectAll(
  clients: AwsClients,
  target: Target,
  ids: readonly CollectorId[],
  given: InventoryResults,
  settings: CheckSettings,
  inventory: InventoryOptions = { source: 'api' },
): Promise<InventoryResults> {
  const results: Record<string, CollectorResult> = { ...given };
  const pending = withDependencies(ids, inventory.source).filter((id) => results[id] === undefined);
  const running = new Map<CollectorId, Promise<void>>();

  const start = (id: CollectorId): Promise<void> => {
    const existing = running.get(id);
    if (existing !== undefined) return existing;
    const collector = collectorFor(id, inventory.source) as Collector<CollectorId>;
    const promise = (async () => {
      await Promise.all((collector.dependsOn ?? []).filter((d) => pending.includes(d)).map(start));
      results[id] = await runOne(collector, {
        clients,
        target,
        prior: results as InventoryResults,
        settings,
        ...(inventory.configInventory !== undefined && { configInventory: inventory.configInventory }),
      });
    })();
    running.set(id, promise);
    return promise;
  };
  await Promise.all(pending.map(start));
  return results as InventoryResults;
}

async function runOne(collector: Collector<CollectorId>, ctx: CollectContext): Promise<CollectorResult> {
  let source: InventoryProvenance | undefined;
  const withSource = { ...ctx, reportSource: (reported: InventoryProvenance) => (source = reported) };
  try {
    const data = await collector.collect(withSource);
    return { ok: true, data, ...(source !== undefined && { source }) } as CollectorResult;
  } catch (error) {
    return { ok: false, error: classifyAwsError(error), ...(source !== undefined && { source }) };
  }
}
