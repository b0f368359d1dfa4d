/**
 * The inventory that history-derived checks compare with: for each target, the last data each
 * collector they need returned ok, with the run that collected it. Stored with each run
 * (`runs/<runId>/history-inputs.json`) apart from the ledger, which holds no AWS data; like the
 * ledger it is cumulative, so a run that did not collect a target keeps that target's earlier
 * data for the next run.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { CollectorDataMap, CollectorId, Inventory, Target } from '../types.js';
import { zodProblems } from '../validation.js';

export const HISTORY_INPUTS_SCHEMA_VERSION = 1;

/** Data older than this many days is dropped (an account no longer scanned is forgotten). */
export const DEFAULT_INPUTS_FORGET_AFTER_DAYS = 365;

const DAY_MS = 86_400_000;

/** One collector's ok result for one target, and the run it came from. */
export interface CollectedSnapshot<K extends CollectorId = CollectorId> {
  readonly runId: string;
  /** That run's `asOf`: the instant a history check compares with. */
  readonly asOf: string;
  readonly collectedAt: string;
  readonly data: CollectorDataMap[K];
}

export type TargetSnapshots = { readonly [K in CollectorId]?: CollectedSnapshot<K> };

export interface HistoryInputs {
  readonly schemaVersion: typeof HISTORY_INPUTS_SCHEMA_VERSION;
  /** The run that wrote it. */
  readonly runId: string;
  /** account id → region (or `global`) → collector id → snapshot. */
  readonly targets: Readonly<Record<string, Readonly<Record<string, TargetSnapshots>>>>;
}

/**
 * The inputs to store with this run: `previous` with every target's `collectors` replaced by
 * what this run collected ok. A collector that failed this run keeps its earlier data.
 */
export function advanceHistoryInputs(
  previous: HistoryInputs | undefined,
  inventories: readonly Inventory[],
  collectors: readonly CollectorId[],
  run: { readonly runId: string; readonly asOf: string },
  options: { readonly forgetAfterDays?: number } = {},
): HistoryInputs {
  // account id → region → collector id → snapshot, as mutable maps while merging.
  const merged = new Map<string, Map<string, Map<string, CollectedSnapshot>>>();
  const at = (accountId: string, region: string): Map<string, CollectedSnapshot> => {
    const regions = merged.get(accountId) ?? new Map<string, Map<string, CollectedSnapshot>>();
    merged.set(accountId, regions);
    const snapshots = regions.get(region) ?? new Map<string, CollectedSnapshot>();
    regions.set(region, snapshots);
    return snapshots;
  };
  for (const [accountId, regions] of Object.entries(previous?.targets ?? {})) {
    for (const [region, snapshots] of Object.entries(regions)) {
      const into = at(accountId, region);
      for (const [id, snapshot] of Object.entries(snapshots)) into.set(id, snapshot as CollectedSnapshot);
    }
  }
  for (const inventory of inventories) {
    const { accountId, region } = inventory.target;
    for (const id of collectors) {
      const result = inventory.results[id];
      if (result === undefined || !result.ok) continue;
      at(accountId, region).set(id, {
        runId: run.runId,
        asOf: run.asOf,
        collectedAt: inventory.collectedAt,
        data: result.data,
      });
    }
  }

  const forgetBefore =
    Date.parse(run.asOf) - (options.forgetAfterDays ?? DEFAULT_INPUTS_FORGET_AFTER_DAYS) * DAY_MS;
  const targets: Record<string, Record<string, TargetSnapshots>> = {};
  for (const accountId of [...merged.keys()].sort()) {
    const regions: Record<string, TargetSnapshots> = {};
    const byRegion = merged.get(accountId)!;
    for (const region of [...byRegion.keys()].sort()) {
      const snapshots = byRegion.get(region)!;
      const fresh = [...snapshots.keys()]
        .sort()
        .filter((id) => !(Date.parse(snapshots.get(id)!.asOf) < forgetBefore))
        .map((id) => [id, snapshots.get(id)!] as const);
      if (fresh.length > 0) regions[region] = Object.fromEntries(fresh) as TargetSnapshots;
    }
    if (Object.keys(regions).length > 0) targets[accountId] = regions;
  }
  return { schemaVersion: HISTORY_INPUTS_SCHEMA_VERSION, runId: run.runId, targets };
}

/** The stored data for `target` covering every one of `needs`, or undefined when any is missing. */
export function previousInput(
  inputs: HistoryInputs | undefined,
  target: Target,
  needs: readonly CollectorId[],
): { readonly data: Partial<CollectorDataMap>; readonly asOf: string } | undefined {
  const snapshots = inputs?.targets[target.accountId]?.[target.region];
  if (snapshots === undefined) return undefined;
  const data: Record<string, unknown> = {};
  let asOf: string | undefined;
  for (const id of needs) {
    const snapshot = snapshots[id];
    if (snapshot === undefined) return undefined;
    data[id] = snapshot.data;
    // With several needs collected by different runs, compare with the oldest: nothing that
    // happened since any of them is missed.
    if (asOf === undefined || Date.parse(snapshot.asOf) < Date.parse(asOf)) asOf = snapshot.asOf;
  }
  return asOf === undefined ? undefined : { data: data as Partial<CollectorDataMap>, asOf };
}

// ---------------------------------------------------------------- reading stored inputs

const IsoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO-8601 timestamp');

const SnapshotSchema = z.strictObject({
  runId: z.string().min(1),
  asOf: IsoInstant,
  collectedAt: IsoInstant,
  // The collector's own data, as custos wrote it; the checks that read it validate its fields.
  data: z.unknown(),
});

const HistoryInputsSchema = z.strictObject({
  schemaVersion: z.literal(HISTORY_INPUTS_SCHEMA_VERSION),
  runId: z.string().min(1),
  targets: z.record(z.string(), z.record(z.string(), z.record(z.string(), SnapshotSchema))),
});

/**
 * Validates stored history inputs (parsed JSON). `source` names the file in the error. Throws an
 * `InputError` listing what is wrong.
 */
export function parseHistoryInputs(value: unknown, source: string): HistoryInputs {
  const parsed = HistoryInputsSchema.safeParse(value);
  if (!parsed.success) throw new InputError(source, zodProblems(parsed.error, value));
  return parsed.data as HistoryInputs;
}
