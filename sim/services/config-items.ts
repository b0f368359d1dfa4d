/**
 * AWS Config's configuration items, as the simulator builds them from an estate: what every
 * item shares, and the two forms AWS answers them in (the JSON document an advanced query
 * selects from, and BatchGet's BaseConfigurationItem). The per-service items come from
 * config-ec2.ts and config-s3.ts; the recorder's own item is here.
 */
import { createHash } from 'node:crypto';
import type { Tag } from '../../core/aws-shapes.js';
import type { EstateAccount, EstateConfigRecorder } from '../estate.js';
import { epochSeconds } from '../protocols/aws-json.js';

/** What one resource contributes; the recorder and the region fill in the rest. */
export interface ItemDraft {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string | undefined;
  readonly arn?: string | undefined;
  readonly availabilityZone: string;
  /** ISO-8601, when the estate knows when the resource was created. */
  readonly resourceCreationTime?: string | undefined;
  readonly tags?: readonly Tag[] | undefined;
  /**
   * Built when a query selects it, not when the item list is: a large estate holds hundreds of
   * thousands of items, and most queries select a few fields of a few types.
   */
  readonly configuration: () => Record<string, unknown>;
  /** Values are objects here; BatchGet answers each as a JSON text. */
  readonly supplementaryConfiguration?: () => Record<string, unknown>;
}

export interface ConfigItem extends ItemDraft {
  readonly accountId: string;
  readonly awsRegion: string;
  /** The recorder's capturedAt, in ISO-8601's canonical form. */
  readonly configurationItemCaptureTime: string;
  readonly configurationStateId: string;
  readonly recordingFrequency: string;
}

/** One account's region as the item builders see it. */
export interface RecordedRegion {
  readonly accountId: string;
  readonly region: string;
  readonly account: EstateAccount;
  readonly recorder: EstateConfigRecorder;
  readonly partition: string;
}

export const CONFIG_RECORDER_TYPE = 'AWS::Config::ConfigurationRecorder';

/** The version of the configuration item format AWS Config writes today. */
const ITEM_VERSION = '1.3';

/** Whether the recorder keeps items of `type`: recording, and the type in its group. */
export function records(recorder: EstateConfigRecorder, type: string): boolean {
  if (!recorder.recording || recorder.exclusions.includes(type)) return false;
  return recorder.allSupported || recorder.resourceTypes.includes(type);
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** An item from its draft and the recorder that captured it. */
export function finishItem(draft: ItemDraft, where: RecordedRegion): ConfigItem {
  const captured = Date.parse(where.recorder.capturedAt);
  return {
    ...draft,
    accountId: where.accountId,
    awsRegion: where.region,
    configurationItemCaptureTime: new Date(captured).toISOString(),
    // AWS's state ids are numbers that grow with each capture; the capture time is one.
    configurationStateId: String(captured),
    recordingFrequency: where.recorder.frequency,
  };
}

/** The recorder records itself, whether or not it is recording, in CloudFormation's form. */
export function recorderDraft(where: RecordedRegion): ItemDraft {
  const { recorder, region, accountId, partition } = where;
  const strategy =
    recorder.exclusions.length > 0
      ? 'EXCLUSION_BY_RESOURCE_TYPES'
      : recorder.allSupported
        ? 'ALL_SUPPORTED_RESOURCE_TYPES'
        : 'INCLUSION_BY_RESOURCE_TYPES';
  // AWS suffixes a recorder's ARN with an id of its own; one derived from the place repeats.
  const suffix = createHash('sha256').update(`${accountId}/${region}/recorder`).digest('hex').slice(0, 16);
  return {
    resourceType: CONFIG_RECORDER_TYPE,
    resourceId: 'default',
    resourceName: 'default',
    arn: `arn:${partition}:config:${region}:${accountId}:configuration-recorder/default/${suffix}`,
    availabilityZone: 'Regional',
    configuration: () => ({
      Name: 'default',
      Recording: recorder.recording,
      RecordingGroup: {
        AllSupported: recorder.allSupported,
        IncludeGlobalResourceTypes: false,
        ResourceTypes: [...recorder.resourceTypes],
        ExclusionByResourceTypes: { ResourceTypes: [...recorder.exclusions] },
        RecordingStrategy: { UseOnly: strategy },
      },
      RecordingMode: { RecordingFrequency: recorder.frequency },
    }),
  };
}

/** Config lists tags as `key=value` strings besides the pair. */
export function itemTags(tags: readonly Tag[] | undefined): Array<Record<string, string>> {
  return (tags ?? []).map(({ Key, Value }) => ({ key: Key, value: Value, tag: `${Key}=${Value}` }));
}

/** The top-level fields of the query document, in the order AWS writes them. */
export const DOCUMENT_FIELDS = [
  'version',
  'accountId',
  'configurationItemCaptureTime',
  'configurationItemStatus',
  'configurationStateId',
  'arn',
  'resourceType',
  'resourceId',
  'resourceName',
  'awsRegion',
  'availabilityZone',
  'resourceCreationTime',
  'recordingFrequency',
  'tags',
  'relationships',
  'configuration',
  'supplementaryConfiguration',
] as const;
export type DocumentField = (typeof DOCUMENT_FIELDS)[number];

/** What `SELECT *` means here: the top-level scalars, in the order AWS writes them. */
export const SCALAR_FIELDS = [
  'accountId',
  'awsRegion',
  'arn',
  'availabilityZone',
  'configurationItemCaptureTime',
  'resourceCreationTime',
  'resourceId',
  'resourceName',
  'resourceType',
  'version',
] as const satisfies readonly DocumentField[];

/** One top-level field of the item's query document; undefined when the item has none. */
export function documentField(item: ConfigItem, field: DocumentField): unknown {
  switch (field) {
    case 'version':
      return ITEM_VERSION;
    case 'configurationItemStatus':
      return 'OK';
    case 'tags':
      return itemTags(item.tags);
    case 'relationships':
      return [];
    case 'configuration':
      return item.configuration();
    case 'supplementaryConfiguration':
      return item.supplementaryConfiguration?.() ?? {};
    default:
      return item[field];
  }
}

/** BatchGet's BaseConfigurationItem: configuration as JSON text, times in epoch seconds. */
export function baseConfigurationItem(item: ConfigItem): Record<string, unknown> {
  const supplementary = item.supplementaryConfiguration?.() ?? {};
  return {
    version: ITEM_VERSION,
    accountId: item.accountId,
    configurationItemCaptureTime: epochSeconds(item.configurationItemCaptureTime),
    configurationItemStatus: 'OK',
    configurationStateId: item.configurationStateId,
    arn: item.arn,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    resourceName: item.resourceName,
    awsRegion: item.awsRegion,
    availabilityZone: item.availabilityZone,
    resourceCreationTime:
      item.resourceCreationTime === undefined ? undefined : epochSeconds(item.resourceCreationTime),
    configuration: JSON.stringify(item.configuration()),
    supplementaryConfiguration: Object.fromEntries(
      Object.entries(supplementary).map(([key, value]) => [key, JSON.stringify(value)]),
    ),
    recordingFrequency: item.recordingFrequency,
  };
}
