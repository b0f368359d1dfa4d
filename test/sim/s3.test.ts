import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  paginateListBuckets,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  type S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BucketAclSchema,
  OwnershipControlsSchema,
  ServerSideEncryptionConfigurationSchema,
} from '../../core/aws-shapes.js';
import { AwsClients } from '../../inventory/clients.js';
import { parseEstate } from '../../sim/estate.js';
import { type Simulator, startSimulator } from '../../sim/server.js';
import {
  ALL_USERS,
  LOG_DELIVERY,
  MANAGEMENT,
  PROD,
  PROD_OWNER,
  privatePolicy,
  prodCredentials,
  prodS3,
  publicPolicy,
  richEstate,
  sdkConfig,
} from './fixtures.js';

type Credentials = Awaited<ReturnType<typeof prodCredentials>>;

let sim: Simulator;
let credentials: Credentials;
const clients: Array<{ destroy(): void }> = [];

/** An S3 client in the production account, signing for `region`, path-style as the scanner uses it. */
function s3(region: string, as: Credentials | Simulator['credentials'] = credentials): S3Client {
  const client = new S3Client({ ...sdkConfig(sim, region, as), forcePathStyle: true });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  sim = await startSimulator(richEstate(), { maxPageSize: 2 });
  credentials = await prodCredentials(sim);
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await sim.close();
});

const statusOf = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const bucket = (name: string) => prodS3().Buckets.find((candidate) => candidate.Name === name)!;
const SORTED_NAMES = ['prod-archive', 'prod-assets', 'prod-backups', 'prod-data', 'prod-logs'];

describe('ListBuckets', () => {
  it('pages every bucket by name, with each bucket’s region, when MaxBuckets is sent', async () => {
    // Prepare
    sim.resetCalls();

    // Act
    const pages = [];
    for await (const page of paginateListBuckets({ client: s3('us-east-1'), pageSize: 1000 }, {})) {
      pages.push(page);
    }

    // Assess
    expect(pages).toHaveLength(3);
    expect(pages.every((page) => (page.Buckets ?? []).length <= 2)).toBe(true);
    expect(pages.map((page) => page.ContinuationToken !== undefined)).toEqual([true, true, false]);
    const buckets = pages.flatMap((page) => page.Buckets ?? []);
    expect(buckets).toEqual([
      { Name: 'prod-archive', BucketRegion: 'us-east-1' },
      { Name: 'prod-assets', CreationDate: new Date('2023-03-01T08:00:00.000Z'), BucketRegion: 'us-east-1' },
      {
        Name: 'prod-backups',
        CreationDate: new Date('2022-07-01T00:00:00Z'),
        BucketRegion: 'ap-southeast-3',
      },
      { Name: 'prod-data', CreationDate: new Date('2024-06-01T00:00:00Z'), BucketRegion: 'eu-west-1' },
      { Name: 'prod-logs', CreationDate: new Date('2024-01-01T00:00:00Z'), BucketRegion: 'eu-west-1' },
    ]);
    expect(pages[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(sim.callCounts()).toEqual({ 's3:ListBuckets': 3 });
    expect(sim.calls()[0]).toMatchObject({ accountId: PROD, params: { MaxBuckets: '1000' } });
  });

  it('pages no more than the page size asked for', async () => {
    const pages = [];
    for await (const page of paginateListBuckets({ client: s3('us-east-1'), pageSize: 1 }, {}))
      pages.push(page);

    expect(pages.map((page) => page.Buckets?.map((b) => b.Name))).toEqual(SORTED_NAMES.map((name) => [name]));
  });

  it('leaves BucketRegion out when the request carries no parameter, as AWS does', async () => {
    // Act
    const bare = await s3('us-east-1').send(new ListBucketsCommand({}));
    const next = await s3('us-east-1').send(
      new ListBucketsCommand({ ContinuationToken: bare.ContinuationToken }),
    );

    // Assess
    expect(bare.Buckets?.map((b) => b.Name)).toEqual(['prod-archive', 'prod-assets']);
    expect(bare.Buckets?.some((b) => b.BucketRegion !== undefined)).toBe(false);
    expect(bare.ContinuationToken).toBeDefined();
    expect(next.Buckets?.map((b) => [b.Name, b.BucketRegion])).toEqual([
      ['prod-backups', 'ap-southeast-3'],
      ['prod-data', 'eu-west-1'],
    ]);
  });

  it('filters by Prefix and BucketRegion', async () => {
    // Act
    const prefixed = await s3('us-east-1').send(new ListBucketsCommand({ Prefix: 'prod-a' }));
    const regional = await s3('eu-west-1').send(new ListBucketsCommand({ BucketRegion: 'eu-west-1' }));

    // Assess
    expect(prefixed.Buckets?.map((b) => b.Name)).toEqual(['prod-archive', 'prod-assets']);
    expect(prefixed.Prefix).toBe('prod-a');
    expect(prefixed.ContinuationToken).toBeUndefined();
    expect(regional.Buckets?.map((b) => b.Name)).toEqual(['prod-data', 'prod-logs']);
  });

  it('refuses a continuation token from another query, and max-buckets out of range', async () => {
    // Prepare
    const first = await s3('us-east-1').send(new ListBucketsCommand({ MaxBuckets: 10 }));

    // Act
    const otherQuery = await s3('us-east-1')
      .send(new ListBucketsCommand({ Prefix: 'prod', ContinuationToken: first.ContinuationToken }))
      .catch((e) => e);
    const tooMany = await s3('us-east-1')
      .send(new ListBucketsCommand({ MaxBuckets: 10_001 }))
      .catch((e) => e);

    // Assess
    expect(otherQuery.name).toBe('InvalidArgument');
    expect(tooMany.name).toBe('InvalidArgument');
    expect(statusOf(tooMany)).toBe(400);
  });

  it('answers the management account its own buckets only', async () => {
    const { Buckets } = await s3('us-east-1', sim.credentials).send(
      new ListBucketsCommand({ MaxBuckets: 5 }),
    );

    expect(Buckets?.map((b) => b.Name)).toEqual(['management-trail']);
  });
});

describe('per-bucket settings, each asked in the bucket’s region', () => {
  it('GetBucketAcl writes grantee types as xsi:type attributes, which the SDK reads back', async () => {
    // Act
    const answer = await s3('eu-west-1').send(new GetBucketAclCommand({ Bucket: 'prod-logs' }));

    // Assess
    expect(answer.Owner).toEqual({ ID: PROD_OWNER, DisplayName: 'prod' });
    expect(answer.Grants).toEqual([
      { Grantee: { Type: 'CanonicalUser', ID: PROD_OWNER, DisplayName: 'prod' }, Permission: 'FULL_CONTROL' },
      { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' },
      { Grantee: { Type: 'Group', URI: LOG_DELIVERY }, Permission: 'WRITE' },
      { Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: 'a&b@example.com' }, Permission: 'READ_ACP' },
    ]);
    expect(BucketAclSchema.parse({ Owner: answer.Owner, Grants: answer.Grants })).toBeDefined();
  });

  it('GetBucketAcl answers an empty grant list, and an absent ACL as the owner’s FULL_CONTROL', async () => {
    // Act
    const empty = await s3('eu-west-1').send(new GetBucketAclCommand({ Bucket: 'prod-data' }));
    const absent = await s3('us-east-1').send(new GetBucketAclCommand({ Bucket: 'prod-assets' }));

    // Assess
    expect(empty.Grants ?? []).toEqual([]);
    const owner = absent.Owner?.ID;
    expect(owner).toMatch(/^[0-9a-f]{64}$/);
    expect(absent.Grants).toEqual([
      { Grantee: { Type: 'CanonicalUser', ID: owner }, Permission: 'FULL_CONTROL' },
    ]);
  });

  it('GetBucketPolicy answers the document as JSON, and NoSuchBucketPolicy without one', async () => {
    // Act
    const { Policy } = await s3('eu-west-1').send(new GetBucketPolicyCommand({ Bucket: 'prod-logs' }));
    const none = await s3('eu-west-1')
      .send(new GetBucketPolicyCommand({ Bucket: 'prod-data' }))
      .catch((e) => e);

    // Assess
    expect(JSON.parse(Policy!)).toEqual(publicPolicy('prod-logs'));
    expect(none.name).toBe('NoSuchBucketPolicy');
    expect(statusOf(none)).toBe(404);
    expect(none.BucketName).toBe('prod-data');
  });

  it('GetBucketPolicyStatus derives IsPublic from the policy, or answers the estate’s status', async () => {
    // Act
    const derivedPublic = await s3('eu-west-1').send(
      new GetBucketPolicyStatusCommand({ Bucket: 'prod-logs' }),
    );
    const derivedPrivate = await s3('us-east-1').send(
      new GetBucketPolicyStatusCommand({ Bucket: 'prod-assets' }),
    );
    const given = await s3('us-east-1').send(new GetBucketPolicyStatusCommand({ Bucket: 'prod-archive' }));
    const none = await s3('eu-west-1')
      .send(new GetBucketPolicyStatusCommand({ Bucket: 'prod-data' }))
      .catch((e) => e);

    // Assess
    expect(derivedPublic.PolicyStatus).toEqual({ IsPublic: true });
    expect(derivedPrivate.PolicyStatus).toEqual({ IsPublic: false });
    expect(bucket('prod-archive').Policy).toEqual(privatePolicy('prod-archive'));
    expect(given.PolicyStatus).toEqual({ IsPublic: true });
    expect(none.name).toBe('NoSuchBucketPolicy');
  });

  it('GetPublicAccessBlock writes all four settings, and NoSuchPublicAccessBlockConfiguration without one', async () => {
    // Act
    const { PublicAccessBlockConfiguration } = await s3('eu-west-1').send(
      new GetPublicAccessBlockCommand({ Bucket: 'prod-logs' }),
    );
    const none = await s3('eu-west-1')
      .send(new GetPublicAccessBlockCommand({ Bucket: 'prod-data' }))
      .catch((e) => e);

    // Assess
    expect(PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    });
    expect(none.name).toBe('NoSuchPublicAccessBlockConfiguration');
    expect(statusOf(none)).toBe(404);
  });

  it('GetBucketOwnershipControls, and OwnershipControlsNotFoundError without them', async () => {
    // Act
    const preferred = await s3('eu-west-1').send(
      new GetBucketOwnershipControlsCommand({ Bucket: 'prod-logs' }),
    );
    const enforced = await s3('ap-southeast-3').send(
      new GetBucketOwnershipControlsCommand({ Bucket: 'prod-backups' }),
    );
    const none = await s3('eu-west-1')
      .send(new GetBucketOwnershipControlsCommand({ Bucket: 'prod-data' }))
      .catch((e) => e);

    // Assess
    expect(OwnershipControlsSchema.parse(preferred.OwnershipControls)).toEqual(
      bucket('prod-logs').OwnershipControls,
    );
    expect(enforced.OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    expect(none.name).toBe('OwnershipControlsNotFoundError');
    expect(statusOf(none)).toBe(404);
  });

  it('GetBucketEncryption, and ServerSideEncryptionConfigurationNotFoundError without it', async () => {
    // Act
    const kms = await s3('eu-west-1').send(new GetBucketEncryptionCommand({ Bucket: 'prod-logs' }));
    const aes = await s3('ap-southeast-3').send(new GetBucketEncryptionCommand({ Bucket: 'prod-backups' }));
    const none = await s3('eu-west-1')
      .send(new GetBucketEncryptionCommand({ Bucket: 'prod-data' }))
      .catch((e) => e);

    // Assess
    expect(ServerSideEncryptionConfigurationSchema.parse(kms.ServerSideEncryptionConfiguration)).toEqual(
      bucket('prod-logs').ServerSideEncryptionConfiguration,
    );
    expect(aes.ServerSideEncryptionConfiguration?.Rules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false },
    ]);
    expect(none.name).toBe('ServerSideEncryptionConfigurationNotFoundError');
    expect(statusOf(none)).toBe(404);
  });

  it('GetBucketVersioning, and an empty answer for a bucket never versioned', async () => {
    // Act
    const enabled = await s3('eu-west-1').send(new GetBucketVersioningCommand({ Bucket: 'prod-logs' }));
    const suspended = await s3('us-east-1').send(new GetBucketVersioningCommand({ Bucket: 'prod-archive' }));
    const never = await s3('eu-west-1').send(new GetBucketVersioningCommand({ Bucket: 'prod-data' }));

    // Assess
    expect([enabled.Status, enabled.MFADelete]).toEqual(['Enabled', 'Disabled']);
    expect([suspended.Status, suspended.MFADelete]).toEqual(['Suspended', undefined]);
    expect([never.Status, never.MFADelete]).toEqual([undefined, undefined]);
    expect(never.$metadata.httpStatusCode).toBe(200);
  });
});

describe('bucket errors', () => {
  it('answers a call signed for another region with PermanentRedirect (301) naming the bucket’s region', async () => {
    // Act
    const error = await s3('us-east-1')
      .send(new GetBucketPolicyCommand({ Bucket: 'prod-logs' }))
      .catch((e) => e);
    const noRegion = await s3('eu-west-1')
      .send(new GetBucketAclCommand({ Bucket: 'prod-archive' }))
      .catch((e) => e);

    // Assess
    expect(error.name).toBe('PermanentRedirect');
    expect(statusOf(error)).toBe(301);
    expect(error.$response?.headers?.['x-amz-bucket-region']).toBe('eu-west-1');
    expect(error.Endpoint).toBe('s3.eu-west-1.amazonaws.com');
    expect(noRegion.$response?.headers?.['x-amz-bucket-region']).toBe('us-east-1');
  });

  it('answers NoSuchBucket for a bucket nobody owns, AccessDenied for another account’s', async () => {
    // Act
    const missing = await s3('us-east-1')
      .send(new GetBucketAclCommand({ Bucket: 'nobody-owns' }))
      .catch((e) => e);
    const foreign = await s3('us-east-1')
      .send(new GetBucketAclCommand({ Bucket: 'management-trail' }))
      .catch((e) => e);

    // Assess
    expect(missing.name).toBe('NoSuchBucket');
    expect(statusOf(missing)).toBe(404);
    expect(missing.message).toBe('The specified bucket does not exist');
    expect(foreign.name).toBe('AccessDenied');
    expect(statusOf(foreign)).toBe(403);
  });

  it('refuses credentials the simulator never issued with InvalidAccessKeyId', async () => {
    const stranger = s3('us-east-1', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' });

    const error = await stranger.send(new ListBucketsCommand({})).catch((e) => e);

    expect(error.name).toBe('InvalidAccessKeyId');
    expect(statusOf(error)).toBe(403);
  });
});

describe('S3 Control GetPublicAccessBlock', () => {
  /** The scanner's own client factory, which reaches a custom endpoint without the account-id host prefix. */
  function s3control(as: Credentials | Simulator['credentials']): S3ControlClient {
    const factory = new AwsClients({
      credentials: as,
      endpoint: sim.endpoint,
      homeRegion: 'us-east-1',
      maxAttempts: 1,
    });
    clients.push(factory);
    return factory.s3control();
  }

  it('answers the account’s setting, logged as s3control', async () => {
    // Prepare
    sim.resetCalls();

    // Act
    const { PublicAccessBlockConfiguration } = await s3control(credentials).send(
      new GetAccountPublicAccessBlockCommand({ AccountId: PROD }),
    );

    // Assess
    expect(PublicAccessBlockConfiguration).toEqual(prodS3().AccountPublicAccessBlock);
    expect(sim.calls()).toEqual([
      {
        service: 's3control',
        operation: 'GetPublicAccessBlock',
        accountId: PROD,
        region: 'us-east-1',
        params: { AccountId: PROD },
      },
    ]);
  });

  it('answers NoSuchPublicAccessBlockConfiguration (404) for an account without one', async () => {
    const error = await s3control(sim.credentials)
      .send(new GetAccountPublicAccessBlockCommand({ AccountId: MANAGEMENT }))
      .catch((e) => e);

    expect(error.name).toBe('NoSuchPublicAccessBlockConfiguration');
    expect(statusOf(error)).toBe(404);
  });

  it('refuses another account’s setting', async () => {
    const error = await s3control(credentials)
      .send(new GetAccountPublicAccessBlockCommand({ AccountId: MANAGEMENT }))
      .catch((e) => e);

    expect(error.name).toBe('AccessDenied');
    expect(statusOf(error)).toBe(403);
  });
});

describe('faults', () => {
  it('fail the named S3 and S3 Control operations in S3’s dialect, and are logged', async () => {
    // Prepare
    const estate = parseEstate(
      {
        accounts: {
          [PROD]: {
            s3: {
              AccountPublicAccessBlock: { BlockPublicAcls: true },
              Buckets: [{ Name: 'faulty', BucketRegion: 'eu-west-1', Policy: publicPolicy('faulty') }],
            },
            faults: [
              { service: 's3', operation: 'GetBucketPolicy', error: 'AccessDenied' },
              { service: 's3control', error: 'Throttling' },
            ],
          },
        },
      },
      'faults',
    );
    const faulty = await startSimulator(estate);
    const client = new S3Client({ ...sdkConfig(faulty, 'eu-west-1'), forcePathStyle: true });
    const control = new AwsClients({
      credentials: faulty.credentials,
      endpoint: faulty.endpoint,
      homeRegion: 'us-east-1',
      maxAttempts: 1,
    });

    // Act
    const denied = await client.send(new GetBucketPolicyCommand({ Bucket: 'faulty' })).catch((e) => e);
    const status = await client.send(new GetBucketPolicyStatusCommand({ Bucket: 'faulty' }));
    const throttled = await control
      .s3control()
      .send(new GetAccountPublicAccessBlockCommand({ AccountId: PROD }))
      .catch((e) => e);

    // Assess
    expect(denied.name).toBe('AccessDenied');
    expect(statusOf(denied)).toBe(403);
    expect(denied.message).toContain('s3:GetBucketPolicy');
    expect(status.PolicyStatus?.IsPublic).toBe(true);
    expect(throttled.name).toBe('SlowDown');
    expect(statusOf(throttled)).toBe(503);
    expect(faulty.callCounts()).toEqual({
      's3:GetBucketPolicy': 1,
      's3:GetBucketPolicyStatus': 1,
      's3control:GetPublicAccessBlock': 1,
    });
    client.destroy();
    control.destroy();
    await faulty.close();
  });
});
