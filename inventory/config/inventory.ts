/**
 * Inventory read from AWS Config: one advanced query answers what would take a paginated
 * Describe call per resource type, and one BatchGet answers the per-bucket calls of up to 100
 * buckets. `config` asks each account's own Config (SelectResourceConfig, in each region);
 * `config-aggregator` asks the organization's aggregator once per account with the scanner's
 * own credentials (SelectAggregateResourceConfig).
 *
 * Config only knows what its recorder records, so every answer comes with the recorder of its
 * region: a type the recorder does not record (or a region without a recorder) is never read
 * as "no resources" — the collector asks the service's API instead.
 */
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { InventorySourceConfig } from '../../core/config/load.js';
import { type AwsClients, loadService } from '../clients.js';
import { parseAws } from '../collector.js';
import { CollectorDataError } from '../errors.js';
import {
  type BaseItem,
  BaseItemSchema,
  CONFIG_TYPES,
  type RecorderState,
  recorderState,
  SELECTED_FIELDS,
  type SelectedItem,
  SelectedItemSchema,
} from './items.js';

/** Select answers at most 100 rows a page, BatchGet at most 100 keys a call. */
const PAGE = 100;
const BATCH = 100;

/** What Config holds for one account and region. */
export interface RegionSnapshot {
  /** Absent: no recorder in this region (or the aggregator has no data from it). */
  readonly recorder?: RecorderState;
  readonly items: ReadonlyMap<string, readonly SelectedItem[]>;
}

export interface ConfigInventoryOptions {
  readonly source: Exclude<InventorySourceConfig, { source: 'api' }>;
  /** The scanner's own clients: the aggregator lives in its account, in its home region. */
  readonly caller: AwsClients;
  /** The resource types the selected checks need, queried together. */
  readonly types: readonly string[];
  /**
   * Whether the targets of one account run in this process and can share a query: then the
   * aggregator is asked once per account (every region at once), else once per target.
   */
  readonly shareAcrossTargets: boolean;
}

/** The part of a scan that reads AWS Config, and caches what it read for the run. */
export class ConfigInventory {
  readonly options: ConfigInventoryOptions;
  private readonly snapshots = new Map<string, Promise<ReadonlyMap<string, RegionSnapshot>>>();
  private readonly bucketItems = new Map<string, Promise<ReadonlyMap<string, BaseItem>>>();
  private readonly recorderStates = new Map<
    string,
    Promise<ReadonlyMap<string, RecorderState | undefined>>
  >();
  /** Per account, the targets scanned so far (their regions, `global` included). */
  private readonly scanned = new Map<string, Set<string>>();

  constructor(options: ConfigInventoryOptions) {
    this.options = options;
  }

  get sourceName(): 'config' | 'config-aggregator' {
    return this.options.source.source;
  }

  /**
   * Records that a target is scanned; once every target of its account is, what was read for
   * the account is let go, so a run holds the Config items of the accounts in flight only.
   */
  release(accountId: string, region: string, accountTargets: readonly string[]): void {
    const done = this.scanned.get(accountId) ?? new Set<string>();
    done.add(region);
    if (!accountTargets.every((t) => done.has(t))) {
      this.scanned.set(accountId, done);
      return;
    }
    this.scanned.delete(accountId);
    this.bucketItems.delete(accountId);
    this.recorderStates.delete(accountId);
    for (const key of [...this.snapshots.keys()]) {
      if (key === accountId || key.startsWith(`${accountId}/`)) this.snapshots.delete(key);
    }
  }

  /** The IAM actions the queries need, for `custos permissions`. */
  static actionsFor(source: InventorySourceConfig['source']): string[] {
    if (source === 'config') return ['config:SelectResourceConfig', 'config:BatchGetResourceConfig'];
    if (source === 'config-aggregator') {
      return ['config:SelectAggregateResourceConfig', 'config:BatchGetAggregateResourceConfig'];
    }
    return [];
  }

  /** Config's items of one account and region; `clients` hold the account's credentials. */
  async region(clients: AwsClients, accountId: string, region: string): Promise<RegionSnapshot> {
    const aggregated = this.options.source.source === 'config-aggregator';
    const key = aggregated && this.options.shareAcrossTargets ? accountId : `${accountId}/${region}`;
    let pending = this.snapshots.get(key);
    if (pending === undefined) {
      pending = this.query(
        clients,
        accountId,
        aggregated && this.options.shareAcrossTargets ? undefined : region,
      );
      this.snapshots.set(key, pending);
      // A failed query is not cached: the next target asks again.
      pending.catch(() => this.snapshots.delete(key));
    }
    return (await pending).get(region) ?? { items: new Map() };
  }

  /** The recorders of an account's regions (for buckets, which Config records in their region). */
  recorders(
    clients: AwsClients,
    accountId: string,
    regions: readonly string[],
  ): Promise<ReadonlyMap<string, RecorderState | undefined>> {
    // Every S3 collector of a target asks with the same bucket regions: one answer serves them.
    let pending = this.recorderStates.get(accountId);
    if (pending === undefined) {
      pending = this.readRecorders(clients, accountId, regions);
      this.recorderStates.set(accountId, pending);
      pending.catch(() => this.recorderStates.delete(accountId));
    }
    return pending;
  }

  private async readRecorders(
    clients: AwsClients,
    accountId: string,
    regions: readonly string[],
  ): Promise<ReadonlyMap<string, RecorderState | undefined>> {
    if (this.options.shareAcrossTargets) {
      // The account's queries serve its regional targets too: read the recorders from them.
      const answers = await Promise.all(
        regions.map(
          async (region) => [region, (await this.region(clients, accountId, region)).recorder] as const,
        ),
      );
      return new Map(answers);
    }
    // One target alone: ask for the recorder items only, not each region's whole inventory.
    const where = `accountId = '${accountId}' AND resourceType = '${CONFIG_TYPES.recorder}'`;
    const rows =
      this.options.source.source === 'config-aggregator'
        ? await this.select(clients, where, undefined)
        : (await Promise.all(regions.map((region) => this.select(clients, where, region)))).flat();
    const byRegion = new Map<string, RecorderState | undefined>(regions.map((r) => [r, undefined]));
    for (const row of rows) if (row.accountId === accountId) byRegion.set(row.awsRegion, recorderState(row));
    return byRegion;
  }

  /**
   * Full configuration items of an account's buckets (policy, ACL, Block Public Access), by
   * bucket name, read once per account; a bucket Config does not know is absent.
   */
  buckets(
    clients: AwsClients,
    accountId: string,
    buckets: ReadonlyArray<{ readonly name: string; readonly region: string }>,
  ): Promise<ReadonlyMap<string, BaseItem>> {
    let pending = this.bucketItems.get(accountId);
    if (pending === undefined) {
      pending = this.readBuckets(clients, accountId, buckets);
      this.bucketItems.set(accountId, pending);
      pending.catch(() => this.bucketItems.delete(accountId));
    }
    return pending;
  }

  private async readBuckets(
    clients: AwsClients,
    accountId: string,
    buckets: ReadonlyArray<{ readonly name: string; readonly region: string }>,
  ): Promise<ReadonlyMap<string, BaseItem>> {
    const found = new Map<string, BaseItem>();
    const { BatchGetAggregateResourceConfigCommand, BatchGetResourceConfigCommand } =
      await loadService('config');
    if (this.options.source.source === 'config-aggregator') {
      const { aggregatorName } = this.options.source;
      const client = this.callerClient();
      for (let i = 0; i < buckets.length; i += BATCH) {
        const answer = await client.send(
          new BatchGetAggregateResourceConfigCommand({
            ConfigurationAggregatorName: aggregatorName,
            ResourceIdentifiers: buckets.slice(i, i + BATCH).map((b) => ({
              SourceAccountId: accountId,
              SourceRegion: b.region,
              ResourceId: b.name,
              ResourceType: CONFIG_TYPES.bucket,
            })),
          }),
        );
        for (const item of answer.BaseConfigurationItems ?? []) addBucket(found, item);
      }
      return found;
    }
    const byRegion = new Map<string, Array<{ readonly name: string; readonly region: string }>>();
    for (const bucket of buckets)
      byRegion.set(bucket.region, [...(byRegion.get(bucket.region) ?? []), bucket]);
    for (const [region, inRegion] of byRegion) {
      for (let i = 0; i < inRegion.length; i += BATCH) {
        const answer = await clients.configService(region).send(
          new BatchGetResourceConfigCommand({
            resourceKeys: inRegion
              .slice(i, i + BATCH)
              .map((b) => ({ resourceType: CONFIG_TYPES.bucket, resourceId: b.name })),
          }),
        );
        for (const item of answer.baseConfigurationItems ?? []) addBucket(found, item);
      }
    }
    return found;
  }

  private callerClient(): ConfigServiceClient {
    return this.options.caller.configService(this.options.caller.options.homeRegion);
  }

  /** One query; `region` undefined: every region of the account (aggregator only). */
  private async query(
    clients: AwsClients,
    accountId: string,
    region: string | undefined,
  ): Promise<ReadonlyMap<string, RegionSnapshot>> {
    const types = [...new Set([...this.options.types, CONFIG_TYPES.recorder])].sort();
    const where = [
      `accountId = '${accountId}'`,
      ...(region !== undefined && this.options.source.source === 'config-aggregator'
        ? [`awsRegion = '${region}'`]
        : []),
      `resourceType IN (${types.map((t) => `'${t}'`).join(', ')})`,
    ].join(' AND ');
    const rows = await this.select(clients, where, region);
    const byRegion = new Map<string, { recorder?: RecorderState; items: Map<string, SelectedItem[]> }>();
    for (const row of rows) {
      if (row.accountId !== accountId) continue;
      let snapshot = byRegion.get(row.awsRegion);
      if (snapshot === undefined) {
        snapshot = { items: new Map() };
        byRegion.set(row.awsRegion, snapshot);
      }
      if (row.resourceType === CONFIG_TYPES.recorder) {
        snapshot.recorder = recorderState(row);
        continue;
      }
      const list = snapshot.items.get(row.resourceType);
      if (list === undefined) snapshot.items.set(row.resourceType, [row]);
      else list.push(row);
    }
    return byRegion;
  }

  private async select(
    clients: AwsClients,
    where: string,
    region: string | undefined,
  ): Promise<SelectedItem[]> {
    const { paginateSelectAggregateResourceConfig, paginateSelectResourceConfig } =
      await loadService('config');
    const expression = `SELECT ${SELECTED_FIELDS.join(', ')} WHERE ${where}`;
    const rows: SelectedItem[] = [];
    const collect = (results: readonly string[] | undefined, what: string) => {
      for (const text of results ?? []) {
        let row: unknown;
        try {
          row = JSON.parse(text);
        } catch {
          throw new CollectorDataError(`${what} returned a row that is not JSON`);
        }
        rows.push(parseAws(SelectedItemSchema, row, what));
      }
    };
    if (this.options.source.source === 'config-aggregator') {
      const pages = paginateSelectAggregateResourceConfig(
        { client: this.callerClient(), pageSize: PAGE },
        { Expression: expression, ConfigurationAggregatorName: this.options.source.aggregatorName },
      );
      for await (const page of pages) collect(page.Results, 'SelectAggregateResourceConfig');
      return rows;
    }
    if (region === undefined) throw new Error('SelectResourceConfig answers for one region at a time');
    const pages = paginateSelectResourceConfig(
      { client: clients.configService(region), pageSize: PAGE },
      { Expression: expression },
    );
    for await (const page of pages) collect(page.Results, 'SelectResourceConfig');
    return rows;
  }
}

function addBucket(found: Map<string, BaseItem>, raw: unknown): void {
  const item = parseAws(BaseItemSchema, raw, 'AWS Config BatchGet');
  if (item.resourceId !== undefined) found.set(item.resourceId, item);
}
