/**
 * Step two, once per account and region (or the account's `global` target): collect what the
 * selected checks need, once, and evaluate every check on it. A check whose inputs could not
 * be collected yields ERROR for the scope it could not see, never PASS.
 */

import type { ConfigInventory } from '../../inventory/config/inventory.js';
import { collectorFor } from '../../inventory/registry.js';
import type {
  AnyCheck,
  CheckResult,
  CollectorError,
  CollectorId,
  Finding,
  InventoryProvenance,
  InventoryResults,
  Target,
  TargetCoverage,
} from '../types.js';
import { GLOBAL_REGION } from '../types.js';
import { collectAll } from './collect.js';
import { configInventoryFor } from './config-source.js';
import type { EngineContext, ScanPlan, TargetShard } from './context.js';
import { errorFinding, toFinding } from './findings.js';

export function checksForTarget(
  registry: readonly AnyCheck[],
  checkIds: readonly string[],
  target: Target,
): AnyCheck[] {
  const wanted = new Set(checkIds);
  const scope = target.region === GLOBAL_REGION ? 'global' : 'regional';
  return registry.filter((c) => wanted.has(c.id) && c.scope === scope);
}

export interface ScanTargetOptions {
  /** A Config reader shared by the run's targets; absent: one for this target alone. */
  readonly configInventory?: ConfigInventory | undefined;
}

export async function scanTarget(
  ctx: EngineContext,
  plan: ScanPlan,
  target: Target,
  options: ScanTargetOptions = {},
): Promise<TargetShard> {
  ctx.onEvent?.({ type: 'target-start', target });
  const checks = checksForTarget(ctx.registry, plan.checkIds, target);
  const needed = new Set<CollectorId>();
  for (const check of checks) {
    for (const id of check.needs as readonly CollectorId[])
      if (collectorFor(id).scope !== 'organization') needed.add(id);
  }
  const clients = ctx.sessions.clientsFor(target.accountId);
  const source = ctx.config.inventory.source;
  const configInventory = options.configInventory ?? configInventoryFor(ctx, plan, false);
  const results = await collectAll(
    clients,
    target,
    [...needed],
    plan.organizationResults,
    ctx.config.settings,
    {
      source,
      ...(configInventory !== undefined && { configInventory }),
    },
  );
  // A reader shared by the run keeps an account's items until all its targets are scanned.
  options.configInventory?.release(
    target.accountId,
    target.region,
    plan.targets.filter((t) => t.accountId === target.accountId).map((t) => t.region),
  );
  const collectedAt = ctx.now().toISOString();

  const findings: Finding[] = [];
  for (const check of checks) findings.push(...evaluateCheck(check, target, results, ctx, plan.asOf));

  const coverage = targetCoverage(target, results, needed);
  ctx.onEvent?.({ type: 'target-done', target, status: coverage.status });
  const ownResults: InventoryResults = Object.fromEntries([...needed].map((id) => [id, results[id]]));
  return { target, coverage, findings, inventory: { target, collectedAt, results: ownResults } };
}

function evaluateCheck(
  check: AnyCheck,
  target: Target,
  results: InventoryResults,
  ctx: EngineContext,
  asOf: string,
): Finding[] {
  const failed = (check.needs as readonly CollectorId[])
    .map((id) => ({ id, result: results[id] }))
    .filter((r) => r.result === undefined || !r.result.ok);
  if (failed.length > 0) {
    const first = failed[0]!;
    const error: CollectorError =
      first.result !== undefined && !first.result.ok
        ? first.result.error
        : { kind: 'bug', code: 'NotCollected', message: `${first.id} was not collected` };
    return [errorFinding(check, target, first.id, error)];
  }
  const data = Object.fromEntries(
    (check.needs as readonly CollectorId[]).map((id) => [
      id,
      (results[id] as { ok: true; data: unknown }).data,
    ]),
  );
  let verdicts: CheckResult[];
  try {
    verdicts = check.evaluate({ target, data }, ctx.config.settings, asOf);
  } catch (error) {
    // A check that throws is a custos defect; the scope it covers is reported as not assessed.
    const message = error instanceof Error ? error.message : String(error);
    return [errorFinding(check, target, 'evaluate', { kind: 'bug', code: 'CheckFailed', message })];
  }
  return verdicts.map((v) => toFinding(check, target, v));
}

function targetCoverage(
  target: Target,
  results: InventoryResults,
  needed: ReadonlySet<CollectorId>,
): TargetCoverage {
  const collectors: Record<
    string,
    | { ok: true; source?: InventoryProvenance }
    | { ok: false; error: CollectorError; source?: InventoryProvenance }
  > = {};
  let firstError: CollectorError | undefined;
  for (const id of [...needed].sort()) {
    const result = results[id];
    if (result === undefined) continue;
    const source = result.source === undefined ? {} : { source: result.source };
    if (result.ok) collectors[id] = { ok: true, ...source };
    else {
      collectors[id] = { ok: false, error: result.error, ...source };
      firstError ??= result.error;
    }
  }
  if (firstError === undefined) {
    return { accountId: target.accountId, region: target.region, status: 'scanned', collectors };
  }
  const failedIds = Object.entries(collectors)
    .filter(([, r]) => !r.ok)
    .map(([id]) => id);
  return {
    accountId: target.accountId,
    region: target.region,
    status: 'error',
    reason: `${failedIds.length} collector(s) failed: ${failedIds.join(', ')}`,
    error: firstError,
    collectors,
  };
}
