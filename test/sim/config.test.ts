import {
  type AggregateResourceIdentifier,
  BatchGetAggregateResourceConfigCommand,
  BatchGetResourceConfigCommand,
  ConfigServiceClient,
  paginateSelectAggregateResourceConfig,
  paginateSelectResourceConfig,
  SelectAggregateResourceConfigCommand,
  SelectResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEstate } from '../../sim/estate.js';
import { type Simulator, startSimulator } from '../../sim/server.js';
import { canonicalUserId } from '../../sim/services/s3-xml.js';
import {
  AGGREGATOR,
  CAPTURED_AT,
  configEstate,
  configEstateDocument,
  MANY_GROUPS,
} from './config-fixtures.js';
import {
  MANAGEMENT,
  OPEN,
  PROD,
  PROD_OWNER,
  prodCredentials,
  publicPolicy,
  SUSPENDED,
  sdkConfig,
} from './fixtures.js';

let sim: Simulator;
const clients: ConfigServiceClient[] = [];

/** A Config client in the region; the management account's unless credentials are given. */
function client(region: string, credentials?: Awaited<ReturnType<typeof prodCredentials>>) {
  const made = new ConfigServiceClient(sdkConfig(sim, region, credentials));
  clients.push(made);
  return made;
}

const SG = 'AWS::EC2::SecurityGroup';
const first = (list: unknown) => (Array.isArray(list) ? list[0] : undefined);
const errorOf = (promise: Promise<unknown>) => promise.then(() => undefined).catch((error: Error) => error);

/** Every row of a query, each parsed from the JSON text Config answers. */
async function selectAll(config: ConfigServiceClient, expression: string, pageSize?: number) {
  const rows: Array<Record<string, unknown>> = [];
  const pages: number[] = [];
  const paginator = paginateSelectResourceConfig(
    { client: config, ...(pageSize !== undefined && { pageSize }) },
    { Expression: expression },
  );
  for await (const page of paginator) {
    pages.push(page.Results?.length ?? 0);
    for (const text of page.Results ?? []) rows.push(JSON.parse(text));
  }
  return { rows, pages };
}

beforeAll(async () => {
  sim = await startSimulator(configEstate());
});

afterAll(async () => {
  for (const made of clients) made.destroy();
  await sim.close();
});

describe('SelectResourceConfig', () => {
  it('pages 250 items at Limit 100, in resource id order', async () => {
    const { rows, pages } = await selectAll(
      client('eu-west-1'),
      `SELECT resourceId WHERE resourceType = '${SG}'`,
      100,
    );

    expect(pages).toEqual([100, 100, 50]);
    expect(rows).toHaveLength(MANY_GROUPS);
    expect(rows[0]).toEqual({ resourceId: 'sg-00000001' });
    expect(rows.at(-1)).toEqual({ resourceId: `sg-00000${MANY_GROUPS}` });
  });

  it('answers 25 rows a page by default, each a JSON text, with the selected fields named', async () => {
    const answer = await client('eu-west-1').send(
      new SelectResourceConfigCommand({
        Expression: `SELECT resourceId, resourceType WHERE resourceType = '${SG}'`,
      }),
    );

    expect(answer.Results).toHaveLength(25);
    expect(typeof answer.Results?.[0]).toBe('string');
    expect(JSON.parse(answer.Results?.[0] ?? '')).toEqual({ resourceId: 'sg-00000001', resourceType: SG });
    expect(answer.QueryInfo).toEqual({ SelectFields: [{ Name: 'resourceId' }, { Name: 'resourceType' }] });
    expect(answer.NextToken).toEqual(expect.any(String));
  });

  it('leaves NextToken out of the last page, and treats Limit 0 as the default', async () => {
    const answer = await client('eu-west-1').send(
      new SelectResourceConfigCommand({
        Expression: "SELECT resourceId WHERE resourceId IN ('sg-00000001', 'sg-00000002')",
        Limit: 0,
      }),
    );

    expect(answer.Results).toHaveLength(2);
    expect(answer.NextToken).toBeUndefined();
  });

  it('selects nested fields nested as in the item', async () => {
    const { rows } = await selectAll(
      client('eu-west-1'),
      "SELECT resourceId, configuration.groupId, configuration.groupName, tags WHERE resourceId = 'sg-00000007'",
    );

    expect(rows).toEqual([
      {
        resourceId: 'sg-00000007',
        configuration: { groupId: 'sg-00000007', groupName: 'group-7' },
        tags: [
          { key: 'Name', value: 'group-7', tag: 'Name=group-7' },
          { key: 'team', value: 'platform', tag: 'team=platform' },
        ],
      },
    ]);
  });

  it('answers * with the top-level scalars only', async () => {
    const { rows } = await selectAll(client('eu-west-1'), "SELECT * WHERE resourceId = 'sg-00000007'");

    expect(rows).toEqual([
      {
        accountId: MANAGEMENT,
        awsRegion: 'eu-west-1',
        arn: `arn:aws:ec2:eu-west-1:${MANAGEMENT}:security-group/sg-00000007`,
        availabilityZone: 'Not Applicable',
        configurationItemCaptureTime: new Date(CAPTURED_AT).toISOString(),
        resourceId: 'sg-00000007',
        resourceName: 'group-7',
        resourceType: SG,
        version: '1.3',
      },
    ]);
  });

  it('filters with = and IN, and ANDs conditions', async () => {
    const prod = client('eu-west-1', await prodCredentials(sim));

    const { rows: both } = await selectAll(
      prod,
      "SELECT resourceType, resourceId WHERE resourceType IN ('AWS::EC2::VPC', 'AWS::EC2::Subnet')",
    );
    const { rows: one } = await selectAll(
      prod,
      `SELECT resourceId WHERE resourceType = 'AWS::EC2::VPC' AND resourceId IN ('vpc-00000002', 'sg-00000001') AND accountId = '${PROD}'`,
    );
    const { rows: none } = await selectAll(
      prod,
      "SELECT resourceId WHERE resourceType = 'AWS::EC2::VPC' AND awsRegion = 'us-east-1'",
    );

    expect(both.map((row) => `${row.resourceType} ${row.resourceId}`)).toEqual([
      'AWS::EC2::Subnet subnet-00000001',
      'AWS::EC2::Subnet subnet-00000002',
      'AWS::EC2::VPC vpc-00000001',
      'AWS::EC2::VPC vpc-00000002',
    ]);
    expect(one).toEqual([{ resourceId: 'vpc-00000002' }]);
    expect(none).toEqual([]);
  });

  it('records only what the recorder records: its types, less its exclusions, and nothing when stopped', async () => {
    const credentials = await prodCredentials(sim);
    const types = async (config: ConfigServiceClient) =>
      (await selectAll(config, 'SELECT resourceType, resourceId')).rows.map(
        (row) => `${row.resourceType} ${row.resourceId}`,
      );

    const stopped = await types(client('ap-southeast-3', credentials));
    const bucketsOnly = await types(client('us-east-1', credentials));
    const excluding = await types(client('us-east-1'));

    expect(stopped).toEqual(['AWS::Config::ConfigurationRecorder default']);
    expect(bucketsOnly).toEqual([
      'AWS::Config::ConfigurationRecorder default',
      'AWS::S3::Bucket prod-archive',
      'AWS::S3::Bucket prod-assets',
    ]);
    expect(excluding).toEqual([
      'AWS::Config::ConfigurationRecorder default',
      'AWS::EC2::VPC vpc-00000009',
      'AWS::S3::Bucket management-trail',
    ]);
  });

  it('records the recorder itself in CloudFormation form', async () => {
    const { rows } = await selectAll(
      client('us-east-1'),
      "SELECT configuration, recordingFrequency, resourceName WHERE resourceType = 'AWS::Config::ConfigurationRecorder'",
    );

    expect(rows).toEqual([
      {
        resourceName: 'default',
        recordingFrequency: 'DAILY',
        configuration: {
          Name: 'default',
          Recording: true,
          RecordingGroup: {
            AllSupported: true,
            IncludeGlobalResourceTypes: false,
            ResourceTypes: [],
            ExclusionByResourceTypes: { ResourceTypes: [SG] },
            RecordingStrategy: { UseOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
          },
          RecordingMode: { RecordingFrequency: 'DAILY' },
        },
      },
    ]);
  });

  it('answers no items where the account has no recorder', async () => {
    const { rows } = await selectAll(client('eu-west-1', await openCredentials()), 'SELECT resourceId');

    expect(rows).toEqual([]);
  });
});

describe('EC2 configuration items', () => {
  let prod: ConfigServiceClient;
  beforeAll(async () => {
    prod = client('eu-west-1', await prodCredentials(sim));
  });

  const configurationOf = async (type: string, id: string) => {
    const { rows } = await selectAll(
      prod,
      `SELECT configuration WHERE resourceType = '${type}' AND resourceId = '${id}'`,
    );
    return rows[0]?.configuration as Record<string, unknown> | undefined;
  };

  it('lists a security group rule’s IPv4 ranges as ipv4Ranges objects and ipRanges strings', async () => {
    const group = await configurationOf(SG, 'sg-00000001');

    expect(group).toMatchObject({ groupId: 'sg-00000001', groupName: 'group-1', vpcId: 'vpc-00000001' });
    expect(first(group?.ipPermissions)).toEqual({
      ipProtocol: 'tcp',
      fromPort: 22,
      toPort: 22,
      ipv4Ranges: [{ cidrIp: '0.0.0.0/0', description: 'ssh from anywhere' }],
      ipRanges: ['0.0.0.0/0'],
      ipv6Ranges: [{ cidrIpv6: '::/0', description: 'ssh v6' }],
      prefixListIds: [{ prefixListId: 'pl-00000001', description: 'office' }],
      userIdGroupPairs: [
        {
          groupId: 'sg-99999999',
          groupName: 'peer',
          userId: OPEN,
          vpcId: 'vpc-00000009',
          vpcPeeringConnectionId: 'pcx-00000001',
          peeringStatus: 'active',
          description: 'peer group',
        },
      ],
    });
    expect(first(group?.ipPermissionsEgress)).toEqual({
      ipProtocol: '-1',
      ipv4Ranges: [{ cidrIp: '0.0.0.0/0' }],
      ipRanges: ['0.0.0.0/0'],
    });
  });

  it('writes a volume’s state as { value }', async () => {
    const volume = await configurationOf('AWS::EC2::Volume', 'vol-00000000000000001');

    expect(volume).toMatchObject({
      volumeId: 'vol-00000000000000001',
      encrypted: false,
      state: { value: 'in-use' },
      attachments: [{ instanceId: 'i-1', state: 'attached', device: '/dev/xvda', deleteOnTermination: true }],
    });
  });

  it('lower-cases the first letter of every key of the other types', async () => {
    const acl = await configurationOf('AWS::EC2::NetworkAcl', 'acl-00000001');
    const eni = await configurationOf('AWS::EC2::NetworkInterface', 'eni-00000001');
    const instance = await configurationOf('AWS::EC2::Instance', 'i-00000000000000001');

    expect(first(acl?.entries)).toEqual({
      ruleNumber: 100,
      protocol: '6',
      ruleAction: 'allow',
      egress: false,
      cidrBlock: '0.0.0.0/0',
      portRange: { from: 22, to: 22 },
    });
    expect(eni).toMatchObject({
      networkInterfaceId: 'eni-00000001',
      ipv6Addresses: [{ ipv6Address: '2001:db8::1' }],
    });
    expect(instance).toMatchObject({ state: { name: 'running', code: 16 }, subnetId: 'subnet-00000001' });
  });

  it('places instances in their subnet’s zone', async () => {
    const { rows } = await selectAll(
      prod,
      "SELECT resourceId, availabilityZone WHERE resourceType IN ('AWS::EC2::Instance', 'AWS::EC2::Subnet', 'AWS::EC2::VPC')",
    );

    expect(rows.map((row) => row.availabilityZone)).toEqual([
      'eu-west-1a',
      'eu-west-1a',
      'eu-west-1a',
      'eu-west-1a',
      'Not Applicable',
      'Not Applicable',
    ]);
  });

  it('records customer-managed prefix lists only, in CloudFormation form, and no snapshots', async () => {
    const { rows } = await selectAll(
      prod,
      "SELECT resourceId, configuration WHERE resourceType IN ('AWS::EC2::PrefixList', 'AWS::EC2::Snapshot')",
    );

    expect(rows).toEqual([
      {
        resourceId: 'pl-00000001',
        configuration: {
          PrefixListId: 'pl-00000001',
          PrefixListName: 'office-1',
          AddressFamily: 'IPv4',
          MaxEntries: 10,
          OwnerId: PROD,
          Version: 1,
          Arn: `arn:aws:ec2:eu-west-1:${PROD}:prefix-list/pl-00000001`,
          Entries: [
            { Cidr: '192.0.2.0/32', Description: 'desk 0' },
            { Cidr: '192.0.2.1/32', Description: 'desk 1' },
          ],
        },
      },
    ]);
  });
});

describe('S3 configuration items', () => {
  let prod: ConfigServiceClient;
  beforeAll(async () => {
    prod = client('eu-west-1', await prodCredentials(sim));
  });

  it('answers a bucket through BatchGet with its supplementary configuration as JSON texts', async () => {
    const answer = await prod.send(
      new BatchGetResourceConfigCommand({
        resourceKeys: [
          { resourceType: 'AWS::S3::Bucket', resourceId: 'prod-logs' },
          { resourceType: 'AWS::S3::Bucket', resourceId: 'no-such-bucket' },
          // A bucket of the account, but recorded in us-east-1.
          { resourceType: 'AWS::S3::Bucket', resourceId: 'prod-assets' },
        ],
      }),
    );

    const [item] = answer.baseConfigurationItems ?? [];
    expect(answer.baseConfigurationItems).toHaveLength(1);
    expect(answer.unprocessedResourceKeys).toEqual([
      { resourceType: 'AWS::S3::Bucket', resourceId: 'no-such-bucket' },
      { resourceType: 'AWS::S3::Bucket', resourceId: 'prod-assets' },
    ]);
    expect(item).toMatchObject({
      version: '1.3',
      accountId: PROD,
      awsRegion: 'eu-west-1',
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'prod-logs',
      resourceName: 'prod-logs',
      arn: 'arn:aws:s3:::prod-logs',
      availabilityZone: 'Regional',
      configurationItemStatus: 'OK',
      configurationItemCaptureTime: new Date(CAPTURED_AT),
      resourceCreationTime: new Date('2024-01-01T00:00:00Z'),
      configurationStateId: String(Date.parse(CAPTURED_AT)),
      recordingFrequency: 'CONTINUOUS',
    });
    expect(JSON.parse(item?.configuration ?? '')).toEqual({
      name: 'prod-logs',
      owner: { id: PROD_OWNER },
      creationDate: '2024-01-01T00:00:00.000Z',
    });
    const supplements = Object.fromEntries(
      Object.entries(item?.supplementaryConfiguration ?? {}).map(([key, text]) => [key, JSON.parse(text)]),
    );
    expect(supplements).toEqual({
      AccessControlList: {
        grantSet: null,
        grantList: [
          { grantee: { id: PROD_OWNER, displayName: 'prod' }, permission: 'FullControl' },
          { grantee: 'AllUsers', permission: 'Read' },
          { grantee: 'LogDelivery', permission: 'Write' },
          { grantee: { emailAddress: 'a&b@example.com' }, permission: 'ReadAcp' },
        ],
        owner: { id: PROD_OWNER, displayName: 'prod' },
        isRequesterCharged: false,
      },
      BucketPolicy: { policyText: JSON.stringify(publicPolicy('prod-logs')) },
      PublicAccessBlockConfiguration: {
        blockPublicAcls: true,
        ignorePublicAcls: false,
        blockPublicPolicy: true,
        restrictPublicBuckets: false,
      },
      ServerSideEncryptionConfiguration: {
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: 'aws:kms',
              kmsMasterKeyID: `arn:aws:kms:eu-west-1:${PROD}:key/abc`,
            },
            bucketKeyEnabled: true,
          },
        ],
      },
      BucketVersioningConfiguration: { status: 'Enabled' },
    });
    expect(JSON.stringify(supplements)).not.toContain('BucketOwnerPreferred');
  });

  it('writes a bucket without a policy or Block Public Access as such', async () => {
    const { rows } = await selectAll(
      prod,
      "SELECT supplementaryConfiguration WHERE resourceType = 'AWS::S3::Bucket' AND resourceId = 'prod-data'",
    );

    expect(rows).toEqual([
      {
        supplementaryConfiguration: {
          AccessControlList: {
            grantSet: null,
            grantList: [],
            owner: { id: PROD_OWNER, displayName: null },
            isRequesterCharged: false,
          },
          BucketPolicy: { policyText: null },
        },
      },
    ]);
  });

  it('gives a bucket without an ACL in the estate the one S3 answers: its owner, with full control', async () => {
    const { rows } = await selectAll(
      client('us-east-1'),
      "SELECT supplementaryConfiguration.AccessControlList, configuration.owner WHERE resourceId = 'management-trail'",
    );
    const owner = canonicalUserId(MANAGEMENT);

    expect(rows).toEqual([
      {
        configuration: { owner: { id: owner } },
        supplementaryConfiguration: {
          AccessControlList: {
            grantSet: null,
            grantList: [{ grantee: { id: owner, displayName: null }, permission: 'FullControl' }],
            owner: { id: owner, displayName: null },
            isRequesterCharged: false,
          },
        },
      },
    ]);
  });

  it('records the account’s Block Public Access in each region that records it', async () => {
    const credentials = await prodCredentials(sim);
    const query = "SELECT resourceId, configuration WHERE resourceType = 'AWS::S3::AccountPublicAccessBlock'";

    const { rows } = await selectAll(prod, query);
    const { rows: bucketsOnly } = await selectAll(client('us-east-1', credentials), query);

    expect(rows).toEqual([
      {
        resourceId: PROD,
        configuration: {
          blockPublicAcls: true,
          ignorePublicAcls: true,
          blockPublicPolicy: true,
          restrictPublicBuckets: false,
        },
      },
    ]);
    expect(bucketsOnly).toEqual([]);
  });

  it('selects a path through a list element by element', async () => {
    const { rows } = await selectAll(
      prod,
      "SELECT supplementaryConfiguration.AccessControlList.grantList.permission WHERE resourceId = 'prod-logs'",
    );

    expect(rows).toEqual([
      {
        supplementaryConfiguration: {
          AccessControlList: {
            grantList: [
              { permission: 'FullControl' },
              { permission: 'Read' },
              { permission: 'Write' },
              { permission: 'ReadAcp' },
            ],
          },
        },
      },
    ]);
  });
});

describe('errors', () => {
  const select = (input: { Expression: string; Limit?: number; NextToken?: string }) =>
    errorOf(client('eu-west-1').send(new SelectResourceConfigCommand(input)));

  it('refuses a Limit outside 0 to 100 with InvalidLimitException', async () => {
    const high = await select({ Expression: 'SELECT resourceId', Limit: 101 });
    const negative = await select({ Expression: 'SELECT resourceId', Limit: -1 });

    expect(high?.name).toBe('InvalidLimitException');
    expect(negative?.name).toBe('InvalidLimitException');
  });

  it('refuses a token it did not issue, or one issued for another query', async () => {
    const first = await client('eu-west-1').send(
      new SelectResourceConfigCommand({ Expression: `SELECT resourceId WHERE resourceType = '${SG}'` }),
    );

    const forged = await select({ Expression: 'SELECT resourceId', NextToken: 'not-a-token' });
    const elsewhere = await select({ Expression: 'SELECT resourceType', NextToken: first.NextToken ?? '' });

    expect(forged?.name).toBe('InvalidNextTokenException');
    expect(elsewhere?.name).toBe('InvalidNextTokenException');
  });

  it.each([
    ['SELECT resourceId FROM resources', 'FROM'],
    [`SELECT resourceId WHERE resourceType = '${SG}' OR resourceId = 'x'`, 'OR'],
    ['SELECT COUNT(*)', 'COUNT'],
    ['SELECT resourceid', 'resourceid'],
    ["SELECT resourceId WHERE configuration.groupId = 'sg-1'", 'configuration.groupId'],
    ["SELECT resourceId WHERE resourceType LIKE 'AWS::EC2::%'", 'LIKE'],
    ["SELECT resourceId WHERE resourceType != 'x'", '!='],
    ["SELECT resourceId WHERE resourceType = 'open", 'no closing quote'],
    ['SELECT resourceId.x', 'resourceId has no fields'],
    ['resourceId', 'SELECT'],
    ['SELECT', 'ends'],
  ])('refuses %j with InvalidExpressionException naming %s', async (expression, named) => {
    const error = await select({ Expression: expression });

    expect(error?.name).toBe('InvalidExpressionException');
    expect(error?.message).toContain(named);
  });

  it('refuses an expression longer than 4096 characters', async () => {
    const long = `SELECT resourceId WHERE resourceId IN (${Array(500).fill("'sg-0000001'").join(', ')})`;

    const error = await select({ Expression: long });

    expect(long.length).toBeGreaterThan(4096);
    expect(error?.name).toBe('ValidationException');
  });

  it('refuses a BatchGet of no keys or more than 100 with ValidationException', async () => {
    const key = { resourceType: SG, resourceId: 'sg-00000001' };

    const empty = await errorOf(
      client('eu-west-1').send(new BatchGetResourceConfigCommand({ resourceKeys: [] })),
    );
    const tooMany = await errorOf(
      client('eu-west-1').send(new BatchGetResourceConfigCommand({ resourceKeys: Array(101).fill(key) })),
    );
    const hundred = await client('eu-west-1').send(
      new BatchGetResourceConfigCommand({ resourceKeys: Array(100).fill(key) }),
    );

    expect(empty?.name).toBe('ValidationException');
    expect(tooMany?.name).toBe('ValidationException');
    expect(hundred.baseConfigurationItems?.length).toBe(100);
  });

  it('answers only in the account’s enabled regions', async () => {
    const error = await errorOf(
      client('sa-east-1').send(new SelectResourceConfigCommand({ Expression: 'SELECT resourceId' })),
    );

    expect(error?.name).toBe('UnrecognizedClientException');
  });
});

describe('SelectAggregateResourceConfig', () => {
  const select = (
    config: ConfigServiceClient,
    input: Partial<{
      Expression: string;
      Limit: number;
      MaxResults: number;
      ConfigurationAggregatorName: string;
    }>,
  ) =>
    config.send(
      new SelectAggregateResourceConfigCommand({
        Expression: 'SELECT accountId, awsRegion, resourceType, resourceId',
        ConfigurationAggregatorName: AGGREGATOR,
        ...input,
      }),
    );

  it('gathers every active recording account, ordered by account, region, type and id', async () => {
    const rows: Array<Record<string, string>> = [];
    const pages: number[] = [];
    const paginator = paginateSelectAggregateResourceConfig(
      { client: client('us-east-1'), pageSize: 100 },
      {
        Expression:
          "SELECT accountId, awsRegion, resourceType, resourceId WHERE resourceType IN ('AWS::Config::ConfigurationRecorder', 'AWS::EC2::SecurityGroup')",
        ConfigurationAggregatorName: AGGREGATOR,
      },
    );
    for await (const page of paginator) {
      pages.push(page.Results?.length ?? 0);
      for (const text of page.Results ?? []) rows.push(JSON.parse(text));
    }

    const places = [...new Set(rows.map((row) => `${row.accountId} ${row.awsRegion}`))];
    expect(places).toEqual([
      `${MANAGEMENT} eu-west-1`,
      `${MANAGEMENT} us-east-1`,
      `${PROD} ap-southeast-3`,
      `${PROD} eu-west-1`,
      `${PROD} us-east-1`,
    ]);
    // 250 + 3 security groups, and five recorders.
    expect(rows).toHaveLength(MANY_GROUPS + 3 + 5);
    expect(pages).toEqual([100, 100, 58]);
    expect(rows.some((row) => row.accountId === SUSPENDED || row.accountId === OPEN)).toBe(false);
    const prodEu = rows.filter((row) => row.accountId === PROD && row.awsRegion === 'eu-west-1');
    expect(prodEu.map((row) => row.resourceId)).toEqual([
      'default',
      'sg-00000001',
      'sg-00000002',
      'sg-00000003',
    ]);
  });

  it('narrows to one account with a condition, and pages at MaxResults too', async () => {
    const answer = await select(client('us-east-1'), {
      Expression: `SELECT resourceId WHERE accountId = '${PROD}' AND awsRegion = 'eu-west-1' AND resourceType = '${SG}'`,
      MaxResults: 2,
    });

    expect(answer.Results?.map((text) => JSON.parse(text).resourceId)).toEqual([
      'sg-00000001',
      'sg-00000002',
    ]);
    expect(answer.NextToken).toEqual(expect.any(String));
  });

  it('is unknown under another name, in another region or to another account', async () => {
    const wrongName = await errorOf(select(client('us-east-1'), { ConfigurationAggregatorName: 'other' }));
    const wrongRegion = await errorOf(select(client('eu-west-1'), {}));
    const wrongAccount = await errorOf(select(client('us-east-1', await prodCredentials(sim)), {}));

    expect(wrongName?.name).toBe('NoSuchConfigurationAggregatorException');
    expect(wrongRegion?.name).toBe('NoSuchConfigurationAggregatorException');
    expect(wrongAccount?.name).toBe('NoSuchConfigurationAggregatorException');
  });

  it('refuses a MaxResults above 100', async () => {
    const error = await errorOf(select(client('us-east-1'), { MaxResults: 101 }));

    expect(error?.name).toBe('InvalidLimitException');
  });
});

describe('BatchGetAggregateResourceConfig', () => {
  it('answers items of the sources, and returns the rest unprocessed', async () => {
    const identifier = (
      SourceAccountId: string,
      SourceRegion: string,
      ResourceId: string,
      ResourceName?: string,
    ): AggregateResourceIdentifier => ({
      SourceAccountId,
      SourceRegion,
      ResourceType: SG,
      ResourceId,
      ...(ResourceName !== undefined && { ResourceName }),
    });

    const answer = await client('us-east-1').send(
      new BatchGetAggregateResourceConfigCommand({
        ConfigurationAggregatorName: AGGREGATOR,
        ResourceIdentifiers: [
          identifier(PROD, 'eu-west-1', 'sg-00000002', 'group-2'),
          identifier(MANAGEMENT, 'eu-west-1', 'sg-00000100'),
          identifier(SUSPENDED, 'eu-west-1', 'sg-00000500'),
          identifier(PROD, 'eu-west-1', 'sg-00000003', 'another-name'),
          identifier(PROD, 'us-east-1', 'sg-00000100'),
        ],
      }),
    );

    expect(answer.BaseConfigurationItems?.map((item) => [item.accountId, item.resourceId])).toEqual([
      [PROD, 'sg-00000002'],
      [MANAGEMENT, 'sg-00000100'],
    ]);
    expect(JSON.parse(answer.BaseConfigurationItems?.[0]?.configuration ?? '')).toMatchObject({
      groupId: 'sg-00000002',
    });
    expect(answer.UnprocessedResourceIdentifiers?.map((item) => item.ResourceId)).toEqual([
      'sg-00000500',
      'sg-00000003',
      'sg-00000100',
    ]);
  });

  it('is unknown to another account', async () => {
    const error = await errorOf(
      client('us-east-1', await prodCredentials(sim)).send(
        new BatchGetAggregateResourceConfigCommand({
          ConfigurationAggregatorName: AGGREGATOR,
          ResourceIdentifiers: [
            { SourceAccountId: PROD, SourceRegion: 'eu-west-1', ResourceType: SG, ResourceId: 'x' },
          ],
        }),
      ),
    );

    expect(error?.name).toBe('NoSuchConfigurationAggregatorException');
  });
});

/** The sandbox account has no role restriction: any role name is assumed. */
async function openCredentials() {
  const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const sts = new STSClient(sdkConfig(sim, 'us-east-1'));
  try {
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${OPEN}:role/Any`, RoleSessionName: 'open' }),
    );
    return {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    };
  } finally {
    sts.destroy();
  }
}

describe('faults and page caps', () => {
  it('answers the estate’s faults for Config in its own words, and keeps pages within maxPageSize', async () => {
    // Prepare
    const document = configEstateDocument();
    document.accounts[MANAGEMENT] = {
      ...document.accounts[MANAGEMENT],
      faults: [
        { service: 'config', operation: 'BatchGetResourceConfig', error: 'AccessDenied' },
        { service: 'config', region: 'us-east-1', error: 'Throttling' },
      ],
    } as (typeof document.accounts)[typeof MANAGEMENT];
    const capped = await startSimulator(parseEstate(document, 'faults'), { maxPageSize: 7 });
    const eu = new ConfigServiceClient(sdkConfig(capped, 'eu-west-1'));
    const us = new ConfigServiceClient(sdkConfig(capped, 'us-east-1'));

    try {
      // Act
      const denied = await errorOf(
        eu.send(
          new BatchGetResourceConfigCommand({ resourceKeys: [{ resourceType: SG, resourceId: 'sg-1' }] }),
        ),
      );
      const throttled = await errorOf(
        us.send(new SelectResourceConfigCommand({ Expression: 'SELECT resourceId' })),
      );
      const page = await eu.send(
        new SelectResourceConfigCommand({ Expression: 'SELECT resourceId', Limit: 100 }),
      );

      // Assess
      expect(denied?.name).toBe('AccessDeniedException');
      expect(throttled?.name).toBe('ThrottlingException');
      expect(page.Results).toHaveLength(7);
      expect(capped.callCounts()['config:SelectResourceConfig']).toBe(2);
    } finally {
      eu.destroy();
      us.destroy();
      await capped.close();
    }
  });
});
