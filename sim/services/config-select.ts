/**
 * Answering an advanced query: the matches among the places it covers (the caller's region,
 * or every source of the aggregator), one page of them, each row the selected fields as JSON.
 */
import { takePage } from '../paging.js';
import type { JsonInput } from '../protocols/aws-json.js';
import type { HandlerContext } from '../service.js';
import { PAGE, readPageSize, readQuery } from './config-input.js';
import type { ConfigItem } from './config-items.js';
import { type Condition, matchesConditions, project } from './config-query.js';
import { type ConfigStore, compareText, configStore, type Place } from './config-store.js';

/** One page of the query's matches among the places, each row the selected fields as JSON text. */
export function select(
  input: JsonInput,
  call: HandlerContext,
  places: readonly Place[],
  sizeParams: readonly string[],
): Record<string, unknown> {
  const query = readQuery(input);
  const pageSize = readPageSize(input, sizeParams);
  const store = configStore(call.sim);
  // The query key names the caller, the region and the whole request but its paging: the same
  // places and the same query, so later pages slice the matches the first page found.
  const matches = store.matches(call.queryKey, () => findMatches(places, query.conditions, store));
  const page = takePage(matches, { maxResults: pageSize, nextToken: input.string('NextToken') }, PAGE, {
    queryKey: call.queryKey,
    maxPageSize: call.sim.maxPageSize,
  });
  return {
    Results: page.items.map((item) => JSON.stringify(project(item, query.fields))),
    QueryInfo: { SelectFields: query.fields.map((field) => ({ Name: field.name })) },
    ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
  };
}

/**
 * The items that meet every condition, ordered by account, region, type and id. Conditions on
 * the account, region and type narrow the search before any item is read (and before a
 * region's items are built), so one account's query in a large estate stays cheap.
 */
function findMatches(
  places: readonly Place[],
  conditions: readonly Condition[],
  store: ConfigStore,
): ConfigItem[] {
  const allowed = (field: Condition['field']) =>
    conditions.find((condition) => condition.field === field)?.values;
  const accounts = allowed('accountId');
  const regions = allowed('awsRegion');
  const types = allowed('resourceType');
  const typeOrder = types === undefined ? undefined : [...types].sort(compareText);
  const found: ConfigItem[] = [];
  for (const place of places) {
    if (accounts?.has(place.accountId) === false || regions?.has(place.region) === false) continue;
    const items = store.regionItems(place);
    const candidates =
      typeOrder === undefined ? items.all : typeOrder.flatMap((type) => items.byType.get(type) ?? []);
    for (const item of candidates) if (matchesConditions(item, conditions)) found.push(item);
  }
  return found;
}
