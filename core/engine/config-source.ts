/**
 * The AWS Config reader of a run, when `inventory.source` asks for one: it queries the resource
 * types the selected checks need, all at once, so one query serves every collector of a target.
 */
import { configTypesFor } from '../../inventory/config/collectors.js';
import { ConfigInventory } from '../../inventory/config/inventory.js';
import { withDependencies } from '../../inventory/registry.js';
import type { CollectorId } from '../types.js';
import type { EngineContext, ScanPlan } from './context.js';

/**
 * `shareAcrossTargets`: the targets run in this process (the CLI), so one query per account
 * serves them all; a Lambda invocation scans one target and queries for it alone.
 */
export function configInventoryFor(
  ctx: EngineContext,
  plan: ScanPlan,
  shareAcrossTargets: boolean,
): ConfigInventory | undefined {
  const { inventory } = ctx.config;
  if (inventory.source === 'api') return undefined;
  const selected = new Set(plan.checkIds);
  const needs = ctx.registry
    .filter((check) => selected.has(check.id))
    .flatMap((check) => check.needs as readonly CollectorId[]);
  const types = withDependencies(new Set(needs), inventory.source).flatMap((id) => configTypesFor(id));
  return new ConfigInventory({
    source: inventory,
    caller: ctx.sessions.caller,
    types: [...new Set(types)].sort(),
    shareAcrossTargets,
  });
}
