/**
 * The configuration items of each account and region, built from the estate the first time a
 * call needs them and kept for the simulator's life: a benchmark estate holds hundreds of
 * thousands, and a scan pages through them in many calls. Also keeps the last queries'
 * matches, so that each further page of a query is a slice rather than a new scan.
 */
import type { Estate } from '../estate.js';
import type { SimState } from '../service.js';
import { ec2Drafts } from './config-ec2.js';
import {
  type ConfigItem,
  finishItem,
  partitionOf,
  type RecordedRegion,
  recorderDraft,
  records,
} from './config-items.js';
import { s3Drafts } from './config-s3.js';

/** One account's region, where a recorder may keep items. */
export interface Place {
  readonly accountId: string;
  readonly region: string;
}

export interface RegionItems {
  /** Ordered by resource type, then resource id. */
  readonly all: readonly ConfigItem[];
  /** Each type's items, ordered by resource id. */
  readonly byType: ReadonlyMap<string, readonly ConfigItem[]>;
  find(resourceType: string, resourceId: string): ConfigItem | undefined;
}

const NO_ITEMS: RegionItems = { all: [], byType: new Map(), find: () => undefined };

/** Matches of this many recent queries are kept; a query is recomputed once it falls out. */
const KEPT_QUERIES = 64;

export class ConfigStore {
  readonly #estate: Estate;
  readonly #regions = new Map<string, RegionItems>();
  readonly #queries = new Map<string, readonly ConfigItem[]>();

  constructor(estate: Estate) {
    this.#estate = estate;
  }

  /** The items Config holds for the account in the region; none without a recorder there. */
  regionItems(place: Place): RegionItems {
    const key = `${place.accountId}/${place.region}`;
    let items = this.#regions.get(key);
    if (items === undefined) {
      items = buildRegionItems(this.#estate, place);
      this.#regions.set(key, items);
    }
    return items;
  }

  /** The query's matches: kept from an earlier page of the same query, or computed now. */
  matches(queryKey: string, compute: () => readonly ConfigItem[]): readonly ConfigItem[] {
    const kept = this.#queries.get(queryKey);
    if (kept !== undefined) {
      // Most recently used last, so the oldest is the first to go.
      this.#queries.delete(queryKey);
      this.#queries.set(queryKey, kept);
      return kept;
    }
    const found = compute();
    this.#queries.set(queryKey, found);
    if (this.#queries.size > KEPT_QUERIES) {
      const oldest = this.#queries.keys().next().value;
      if (oldest !== undefined) this.#queries.delete(oldest);
    }
    return found;
  }
}

const STORES = new WeakMap<SimState, ConfigStore>();

export function configStore(sim: SimState): ConfigStore {
  let store = STORES.get(sim);
  if (store === undefined) {
    store = new ConfigStore(sim.estate);
    STORES.set(sim, store);
  }
  return store;
}

/** The regions of the account that have a recorder, in name order. */
export function recorderRegions(estate: Estate, accountId: string): string[] {
  return Object.keys(estate.accounts[accountId]?.config?.recorders ?? {}).sort(compareText);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function buildRegionItems(estate: Estate, { accountId, region }: Place): RegionItems {
  const account = estate.accounts[accountId];
  const recorder = account?.config?.recorders[region];
  if (account === undefined || recorder === undefined) return NO_ITEMS;
  const where: RecordedRegion = { accountId, region, account, recorder, partition: partitionOf(region) };
  const recorded = (type: string) => records(recorder, type);
  const drafts = [recorderDraft(where), ...ec2Drafts(where, recorded), ...s3Drafts(where, recorded)];
  const all = drafts
    .map((draft) => finishItem(draft, where))
    .sort((a, b) => compareText(a.resourceType, b.resourceType) || compareText(a.resourceId, b.resourceId));
  const byType = new Map<string, ConfigItem[]>();
  const byKey = new Map<string, ConfigItem>();
  for (const item of all) {
    const ofType = byType.get(item.resourceType);
    if (ofType === undefined) byType.set(item.resourceType, [item]);
    else ofType.push(item);
    byKey.set(itemKey(item.resourceType, item.resourceId), item);
  }
  return { all, byType, find: (type, id) => byKey.get(itemKey(type, id)) };
}

function itemKey(resourceType: string, resourceId: string): string {
  return `${resourceType}\n${resourceId}`;
}
