import {
  BatchGetAggregateResourceConfigCommand,
  ConfigServiceClient,
  SelectAggregateResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import {
  DescribeManagedPrefixListsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
} from '@aws-sdk/client-ec2';
import {
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetPublicAccessBlockCommand as GetBucketPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../core/config/load.js';
import { collectAll } from '../../../core/engine/collect.js';
import { AwsClients } from '../../../inventory/clients.js';
import { ConfigInventory } from '../../../inventory/config/inventory.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const target = { accountId: ACCOUNT, region: REGION };
const SETTINGS = resolveConfig({}, 'defaults').settings;
const RECORDER = {
  accountId: ACCOUNT,
  awsRegion: REGION,
  resourceType: 'AWS::Config::ConfigurationRecorder',
  resourceId: 'default',
  configurationItemCaptureTime: '2026-06-14T22:00:00Z',
  configuration: {
    Recording: true,
    RecordingGroup: { AllSupported: true },
    RecordingMode: { RecordingFrequency: 'DAILY' },
  },
};

const config = mockClient(ConfigServiceClient);
const ec2 = mockClient(EC2Client);
const s3 = mockClient(S3Client);
const s3control = mockClient(S3ControlClient);

afterEach(() => {
  config.reset();
  ec2.reset();
  s3.reset();
  s3control.reset();
});

function clients(): AwsClients {
  return new AwsClients({
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' },
    homeRegion: 'us-east-1',
    maxAttempts: 1,
    rateLimiter: false,
  });
}

function inventory(caller: AwsClients, types: readonly string[]): ConfigInventory {
  return new ConfigInventory({
    source: { source: 'config-aggregator', aggregatorName: 'org' },
    caller,
    types,
    shareAcrossTargets: true,
  });
}

function rows(...items: object[]) {
  return { Results: items.map((item) => JSON.stringify(item)) };
}

describe('collectors backed by AWS Config', () => {
  it('reads security groups from one aggregator query, and says how old the items are', async () => {
    // Prepare
    config.on(SelectAggregateResourceConfigCommand).resolves(
      rows(RECORDER, {
        accountId: ACCOUNT,
        awsRegion: REGION,
        resourceType: 'AWS::EC2::SecurityGroup',
        resourceId: 'sg-1',
        configurationItemCaptureTime: '2026-06-14T21:00:00Z',
        configuration: { groupId: 'sg-1', ipPermissions: [], ipPermissionsEgress: [] },
      }),
    );
    const caller = clients();

    // Act
    const results = await collectAll(caller, target, ['ec2.securityGroups'], {}, SETTINGS, {
      source: 'config-aggregator',
      configInventory: inventory(caller, ['AWS::EC2::SecurityGroup']),
    });

    // Assess
    expect(results['ec2.securityGroups']).toEqual({
      ok: true,
      data: [{ GroupId: 'sg-1', IpPermissions: [], IpPermissionsEgress: [] }],
      source: {
        source: 'config-aggregator',
        items: 1,
        oldestCapture: '2026-06-14T21:00:00Z',
        newestCapture: '2026-06-14T21:00:00Z',
        recordingFrequency: ['DAILY'],
      },
    });
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(0);
    const [query] = config.commandCalls(SelectAggregateResourceConfigCommand);
    expect(query?.args[0].input).toMatchObject({ ConfigurationAggregatorName: 'org', Limit: 100 });
    expect(query?.args[0].input.Expression).toContain(`accountId = '${ACCOUNT}'`);
    expect(query?.args[0].input.Expression).toContain("'AWS::Config::ConfigurationRecorder'");
  });

  it('reads from the API when the region has no recorder', async () => {
    // Prepare
    config.on(SelectAggregateResourceConfigCommand).resolves(rows());
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-9' }] });
    const caller = clients();

    // Act
    const results = await collectAll(caller, target, ['ec2.securityGroups'], {}, SETTINGS, {
      source: 'config-aggregator',
      configInventory: inventory(caller, ['AWS::EC2::SecurityGroup']),
    });

    // Assess
    expect(results['ec2.securityGroups']).toMatchObject({
      ok: true,
      data: [{ GroupId: 'sg-9' }],
      source: {
        source: 'api',
        fallback: `the AWS Config aggregator has no recorder data from ${ACCOUNT} ${REGION}`,
      },
    });
  });

  it('reads AWS-managed prefix lists from the API only when an internet route or a rule names them', async () => {
    // Prepare: the customer list is in Config; the AWS list sits behind an endpoint route, and
    // (second run) behind an internet gateway route.
    const customer = {
      accountId: ACCOUNT,
      awsRegion: REGION,
      resourceType: 'AWS::EC2::PrefixList',
      resourceId: 'pl-2',
      configuration: { PrefixListId: 'pl-2', OwnerId: ACCOUNT, Entries: [{ Cidr: '198.51.100.0/24' }] },
    };
    config.on(SelectAggregateResourceConfigCommand).resolves(rows(RECORDER, customer));
    ec2
      .on(DescribeManagedPrefixListsCommand)
      .resolves({ PrefixLists: [{ PrefixListId: 'pl-1', OwnerId: 'AWS' }] });
    ec2.on(GetManagedPrefixListEntriesCommand).resolves({ Entries: [{ Cidr: '52.216.0.0/15' }] });
    const groups = {
      ok: true as const,
      data: [
        {
          GroupId: 'sg-1',
          IpPermissions: [{ IpProtocol: 'tcp', PrefixListIds: [{ PrefixListId: 'pl-2' }] }],
        },
      ],
    };
    const tables = (gateway: string) => ({
      ok: true as const,
      data: [
        {
          RouteTableId: 'rtb-1',
          Routes: [{ DestinationPrefixListId: 'pl-1', GatewayId: gateway, State: 'active' }],
        },
      ],
    });
    const run = async (gateway: string) => {
      const caller = clients();
      return collectAll(
        caller,
        target,
        ['ec2.prefixLists'],
        { 'ec2.securityGroups': groups, 'ec2.routeTables': tables(gateway) },
        SETTINGS,
        { source: 'config-aggregator', configInventory: inventory(caller, ['AWS::EC2::PrefixList']) },
      );
    };

    // Act
    const behindEndpoint = await run('vpce-1');
    const describedBehindEndpoint = ec2.commandCalls(DescribeManagedPrefixListsCommand).length;
    const behindGateway = await run('igw-1');

    // Assess
    expect(behindEndpoint['ec2.prefixLists']?.ok && behindEndpoint['ec2.prefixLists'].data).toEqual([
      expect.objectContaining({ PrefixListId: 'pl-2', Entries: [{ Cidr: '198.51.100.0/24' }] }),
    ]);
    expect(describedBehindEndpoint).toBe(0);
    expect(behindGateway['ec2.prefixLists']?.ok && behindGateway['ec2.prefixLists'].data).toEqual([
      expect.objectContaining({ PrefixListId: 'pl-2' }),
      expect.objectContaining({ PrefixListId: 'pl-1', Entries: [{ Cidr: '52.216.0.0/15' }] }),
    ]);
  });

  it('reads Object Ownership only where a recorded public ACL grant is not neutralized', async () => {
    // Prepare
    const acl = (publicRead: boolean) =>
      JSON.stringify({
        grantList: [
          { grantee: { id: 'owner' }, permission: 'FullControl' },
          ...(publicRead ? [{ grantee: 'AllUsers', permission: 'Read' }] : []),
        ],
        owner: { id: 'owner' },
      });
    const bucket = (name: string, publicRead: boolean, ignorePublicAcls: boolean) => ({
      accountId: ACCOUNT,
      awsRegion: REGION,
      resourceType: 'AWS::S3::Bucket' as const,
      resourceId: name,
      supplementaryConfiguration: {
        AccessControlList: acl(publicRead),
        BucketPolicy: '{"policyText":null}',
        PublicAccessBlockConfiguration: JSON.stringify({ ignorePublicAcls: ignorePublicAcls }),
      },
    });
    config.on(SelectAggregateResourceConfigCommand).resolves(rows(RECORDER));
    config.on(BatchGetAggregateResourceConfigCommand).resolves({
      BaseConfigurationItems: [
        bucket('private', false, false),
        bucket('public-acl', true, false),
        bucket('public-acl-ignored', true, true),
      ],
    });
    s3.on(ListBucketsCommand).resolves({
      Buckets: ['private', 'public-acl', 'public-acl-ignored', 'unrecorded'].map((Name) => ({
        Name,
        BucketRegion: REGION,
      })),
    });
    s3.on(GetBucketPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: {} });
    s3.on(GetBucketAclCommand).resolves({ Owner: { ID: 'owner' }, Grants: [] });
    s3control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: {} });
    s3.on(GetBucketOwnershipControlsCommand).resolves({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
    });
    const caller = clients();

    // Act
    const results = await collectAll(
      caller,
      { accountId: ACCOUNT, region: 'global' },
      ['s3.bucketOwnershipControls', 's3.bucketAcls'],
      {},
      SETTINGS,
      {
        source: 'config-aggregator',
        configInventory: inventory(caller, []),
      },
    );

    // Assess
    const asked = s3.commandCalls(GetBucketOwnershipControlsCommand).map((c) => c.args[0].input.Bucket);
    expect(asked.sort()).toEqual(['public-acl', 'unrecorded']);
    expect(results['s3.bucketOwnershipControls']?.ok).toBe(true);
    expect(config.commandCalls(BatchGetAggregateResourceConfigCommand)).toHaveLength(1);
    // Only the bucket Config does not know has its ACL read from S3.
    expect(s3.commandCalls(GetBucketAclCommand).map((c) => c.args[0].input.Bucket)).toEqual(['unrecorded']);
  });

  it('queries an account once for all its targets, and lets go of it once they are all scanned', async () => {
    // Prepare
    config.on(SelectAggregateResourceConfigCommand).resolves(rows(RECORDER));
    const caller = clients();
    const shared = inventory(caller, ['AWS::EC2::SecurityGroup']);
    const targets = [REGION, 'us-east-1', 'global'];

    // Act
    await shared.region(caller, ACCOUNT, REGION);
    await shared.region(caller, ACCOUNT, 'us-east-1');
    const whileScanning = config.commandCalls(SelectAggregateResourceConfigCommand).length;
    shared.release(ACCOUNT, REGION, targets);
    shared.release(ACCOUNT, 'us-east-1', targets);
    await shared.region(caller, ACCOUNT, REGION);
    const beforeLastTarget = config.commandCalls(SelectAggregateResourceConfigCommand).length;
    shared.release(ACCOUNT, 'global', targets);
    await shared.region(caller, ACCOUNT, REGION);

    // Assess
    expect(whileScanning).toBe(1);
    expect(beforeLastTarget).toBe(1);
    expect(config.commandCalls(SelectAggregateResourceConfigCommand)).toHaveLength(2);
  });
});
