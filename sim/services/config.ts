/**
 * AWS Config, over awsJson1_1 (`StarlingDoveService.<Operation>`): advanced queries and batch
 * reads of configuration items, for the caller's own account in the region it calls, or
 * across the organization through its aggregator. Config is regional: it answers only in the
 * caller's enabled regions, and holds items only where the estate gives a recorder.
 */
import {
  awsJsonService,
  type JsonHandler,
  type JsonInput,
  type JsonServiceSpec,
} from '../protocols/aws-json.js';
import type { HandlerContext, ServiceModule } from '../service.js';
import { callersAggregator, sourceAccounts, sourcePlaces } from './config-aggregator.js';
import { aggregatorName, type Body, keyList } from './config-input.js';
import { baseConfigurationItem } from './config-items.js';
import { select } from './config-select.js';
import { configStore } from './config-store.js';

type ConfigHandler = (input: JsonInput, call: HandlerContext, body: Body) => Record<string, unknown>;

const selectResourceConfig: ConfigHandler = (input, call) =>
  select(input, call, [{ accountId: call.caller.accountId, region: call.region }], ['Limit']);

const selectAggregateResourceConfig: ConfigHandler = (input, call) => {
  callersAggregator(call, aggregatorName(input));
  return select(input, call, sourcePlaces(call.sim.estate), ['Limit', 'MaxResults']);
};

const batchGetResourceConfig: ConfigHandler = (_input, call, body) => {
  const keys = keyList(body, 'resourceKeys', ['resourceType', 'resourceId'], []);
  const items = configStore(call.sim).regionItems({ accountId: call.caller.accountId, region: call.region });
  const found: Array<Record<string, unknown>> = [];
  const unprocessed: Array<Record<string, string>> = [];
  for (const key of keys) {
    const item = items.find(key.resourceType ?? '', key.resourceId ?? '');
    if (item === undefined) unprocessed.push(key);
    else found.push(baseConfigurationItem(item));
  }
  return { baseConfigurationItems: found, unprocessedResourceKeys: unprocessed };
};

const batchGetAggregateResourceConfig: ConfigHandler = (input, call, body) => {
  callersAggregator(call, aggregatorName(input));
  const identifiers = keyList(
    body,
    'ResourceIdentifiers',
    ['SourceAccountId', 'SourceRegion', 'ResourceId', 'ResourceType'],
    ['ResourceName'],
  );
  const sources = new Set(sourceAccounts(call.sim.estate));
  const store = configStore(call.sim);
  const found: Array<Record<string, unknown>> = [];
  const unprocessed: Array<Record<string, string>> = [];
  for (const identifier of identifiers) {
    const { SourceAccountId = '', SourceRegion = '', ResourceType = '', ResourceId = '' } = identifier;
    const item = sources.has(SourceAccountId)
      ? store.regionItems({ accountId: SourceAccountId, region: SourceRegion }).find(ResourceType, ResourceId)
      : undefined;
    const named = identifier.ResourceName === undefined || identifier.ResourceName === item?.resourceName;
    if (item === undefined || !named) unprocessed.push(identifier);
    else found.push(baseConfigurationItem(item));
  }
  return { BaseConfigurationItems: found, UnprocessedResourceIdentifiers: unprocessed };
};

const OPERATIONS: Readonly<Record<string, ConfigHandler>> = {
  SelectResourceConfig: selectResourceConfig,
  SelectAggregateResourceConfig: selectAggregateResourceConfig,
  BatchGetResourceConfig: batchGetResourceConfig,
  BatchGetAggregateResourceConfig: batchGetAggregateResourceConfig,
};

const SPEC: Omit<JsonServiceSpec, 'operations'> = {
  name: 'config',
  targetPrefix: 'StarlingDoveService',
  invalidCode: 'ValidationException',
  regional: true,
  pagingParams: ['Limit', 'MaxResults', 'NextToken'],
  pagingCodes: { maxResults: 'InvalidLimitException', nextToken: 'InvalidNextTokenException' },
};

/** Reads requests only: its handlers are bound to each request's body by `read` below. */
const protocol = awsJsonService({ ...SPEC, operations: {} });

export const configService: ServiceModule = {
  ...protocol,
  read(request) {
    // The protocol reads the body (refusing what is not a JSON object); the handlers then get
    // it whole, since the JsonInput they are given reads only texts and integers.
    const { params } = protocol.read(request);
    const operations: Record<string, JsonHandler> = {};
    for (const [name, handler] of Object.entries(OPERATIONS)) {
      operations[name] = (input, call) => handler(input, call, params);
    }
    return awsJsonService({ ...SPEC, operations }).read(request);
  },
};
