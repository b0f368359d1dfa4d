import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  CreateVolumePermissionSchema,
  InstanceSchema,
  ManagedPrefixListSchema,
  NetworkAclSchema,
  NetworkInterfaceSchema,
  PrefixListEntrySchema,
  RouteTableSchema,
  SecurityGroupSchema,
  SnapshotSchema,
  SubnetSchema,
  VolumeSchema,
  VpcBlockPublicAccessExclusionSchema,
  VpcBlockPublicAccessOptionsSchema,
  VpcSchema,
} from '../../core/aws-shapes.js';
import { AwsError } from '../../sim/aws-error.js';
import { restXmlError } from '../../sim/protocols/rest-xml.js';
import * as wire from '../../sim/services/ec2-xml.js';
import { escapeXml, list, shapeToXml, struct, type XmlShape } from '../../sim/xml.js';
import { PROD, richEstate } from './fixtures.js';

interface Def {
  readonly type: string;
  readonly innerType?: z.core.$ZodType;
  readonly shape?: Readonly<Record<string, z.core.$ZodType>>;
  readonly element?: z.core.$ZodType;
}

function def(schema: z.core.$ZodType): Def {
  let current = schema._zod.def as unknown as Def;
  while (current.innerType !== undefined) current = current.innerType._zod.def as unknown as Def;
  return current;
}

/** Fields the schema declares that the wire table does not name, as dotted paths. */
function missingFromTable(schema: z.core.$ZodType, shape: XmlShape, prefix = ''): string[] {
  const missing: string[] = [];
  for (const [field, fieldSchema] of Object.entries(def(schema).shape ?? {})) {
    const path = `${prefix}${field}`;
    const wireField = shape[field];
    if (wireField === undefined) {
      missing.push(path);
      continue;
    }
    const fieldDef = def(fieldSchema);
    if (fieldDef.type === 'object') {
      if (typeof wireField === 'object' && 'struct' in wireField) {
        missing.push(...missingFromTable(fieldSchema, wireField.struct, `${path}.`));
      } else missing.push(`${path} (not a structure)`);
    } else if (fieldDef.type === 'array' && fieldDef.element !== undefined) {
      if (typeof wireField !== 'object' || !('list' in wireField)) missing.push(`${path} (not a list)`);
      else if (wireField.list !== 'text')
        missing.push(...missingFromTable(fieldDef.element, wireField.list, `${path}[].`));
    }
  }
  return missing;
}

/** Declared leaf paths that no item of `items` fills. */
function unfilled(schema: z.core.$ZodType, items: readonly unknown[], prefix = ''): string[] {
  const out: string[] = [];
  for (const [field, fieldSchema] of Object.entries(def(schema).shape ?? {})) {
    const values = items.flatMap((item) => {
      const value = (item as Record<string, unknown>)[field];
      return value === undefined || value === null ? [] : [value];
    });
    const fieldDef = def(fieldSchema);
    const path = `${prefix}${field}`;
    if (values.length === 0) out.push(path);
    else if (fieldDef.type === 'object') out.push(...unfilled(fieldSchema, values, `${path}.`));
    else if (
      fieldDef.type === 'array' &&
      fieldDef.element !== undefined &&
      def(fieldDef.element).type === 'object'
    ) {
      out.push(...unfilled(fieldDef.element, values.flat(), `${path}[].`));
    }
  }
  return out;
}

const TABLES: Array<[string, z.core.$ZodType, XmlShape]> = [
  ['SecurityGroup', SecurityGroupSchema, wire.SECURITY_GROUP],
  ['NetworkInterface', NetworkInterfaceSchema, wire.NETWORK_INTERFACE],
  ['NetworkAcl', NetworkAclSchema, wire.NETWORK_ACL],
  ['RouteTable', RouteTableSchema, wire.ROUTE_TABLE],
  ['Subnet', SubnetSchema, wire.SUBNET],
  ['Vpc', VpcSchema, wire.VPC],
  ['Instance', InstanceSchema, wire.INSTANCE],
  ['Volume', VolumeSchema, wire.VOLUME],
  ['Snapshot', SnapshotSchema, wire.SNAPSHOT],
  ['CreateVolumePermission', CreateVolumePermissionSchema, wire.CREATE_VOLUME_PERMISSION],
  ['VpcBlockPublicAccessOptions', VpcBlockPublicAccessOptionsSchema, wire.VPC_BLOCK_PUBLIC_ACCESS_OPTIONS],
  [
    'VpcBlockPublicAccessExclusion',
    VpcBlockPublicAccessExclusionSchema,
    wire.VPC_BLOCK_PUBLIC_ACCESS_EXCLUSION,
  ],
  ['ManagedPrefixList', ManagedPrefixListSchema, wire.MANAGED_PREFIX_LIST],
  ['PrefixListEntry', PrefixListEntrySchema, wire.PREFIX_LIST_ENTRY],
];

describe('EC2 wire tables', () => {
  it.each(TABLES)('%s names every field the AWS shape declares', (_name, schema, table) => {
    expect(missingFromTable(schema, table)).toEqual([]);
  });

  it('the test estate fills every declared field, so the SDK round trips check every name', () => {
    // Prepare
    const ec2 = richEstate().accounts[PROD]!.regions['eu-west-1']!.ec2;
    const lists: Array<[string, z.core.$ZodType, readonly unknown[]]> = [
      ['SecurityGroups', SecurityGroupSchema, ec2.SecurityGroups],
      ['NetworkInterfaces', NetworkInterfaceSchema, ec2.NetworkInterfaces],
      ['NetworkAcls', NetworkAclSchema, ec2.NetworkAcls],
      ['RouteTables', RouteTableSchema, ec2.RouteTables],
      ['Subnets', SubnetSchema, ec2.Subnets],
      ['Vpcs', VpcSchema, ec2.Vpcs],
      ['Instances', InstanceSchema, ec2.Instances],
      ['Volumes', VolumeSchema, ec2.Volumes],
      ['Snapshots', SnapshotSchema, ec2.Snapshots],
      [
        'CreateVolumePermissions',
        CreateVolumePermissionSchema,
        ec2.Snapshots.flatMap((s) => s.CreateVolumePermissions ?? []),
      ],
      ['VpcBlockPublicAccessOptions', VpcBlockPublicAccessOptionsSchema, [ec2.VpcBlockPublicAccessOptions]],
      [
        'VpcBlockPublicAccessExclusions',
        VpcBlockPublicAccessExclusionSchema,
        ec2.VpcBlockPublicAccessExclusions,
      ],
      ['ManagedPrefixLists', ManagedPrefixListSchema, ec2.ManagedPrefixLists],
      ['Entries', PrefixListEntrySchema, ec2.ManagedPrefixLists.flatMap((l) => l.Entries ?? [])],
    ];

    // Act
    const gaps = lists.flatMap(([name, schema, items]) =>
      unfilled(schema, items).map((path) => `${name}: ${path}`),
    );

    // Assess
    expect(gaps).toEqual([]);
  });
});

describe('XML building', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;',
    );
  });

  it('writes present fields in table order, leaves out absent ones, and keeps empty lists', () => {
    const shape: XmlShape = {
      Name: 'name',
      Size: 'size',
      Flags: list('flagSet', 'text'),
      Owner: struct('owner', { Id: 'id' }),
      Rules: list('ruleSet', { Port: 'port' }),
    };

    const xml = shapeToXml(
      { Rules: [], Size: 0, Name: undefined, Flags: ['a', 'b'], Owner: { Id: '1' } },
      shape,
      'item',
    );

    expect(xml).toBe(
      '<size>0</size><flagSet><item>a</item><item>b</item></flagSet><owner><id>1</id></owner><ruleSet/>',
    );
  });

  it('writes REST-XML errors as S3 does', () => {
    const answer = restXmlError(
      new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404),
      'req-1',
    );

    expect(answer.status).toBe(404);
    expect(answer.headers['x-amz-request-id']).toBe('req-1');
    expect(answer.body).toContain(
      '<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><RequestId>req-1</RequestId></Error>',
    );
  });
});
