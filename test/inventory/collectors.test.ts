import {
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DescribeVpcBlockPublicAccessExclusionsCommand,
  DescribeVpcBlockPublicAccessOptionsCommand,
  EC2Client,
  EC2ServiceException,
  GetEbsEncryptionByDefaultCommand,
} from '@aws-sdk/client-ec2';
import {
  AccountNotManagementOrDelegatedAdministratorException,
  GetAccountPasswordPolicyCommand,
  IAMClient,
  ListOrganizationsFeaturesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import {
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  ListBucketsCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../core/config/load.js';
import { collectAll } from '../../core/engine/collect.js';
import { AwsClients } from '../../inventory/clients.js';
import { classifyAwsError } from '../../inventory/errors.js';

const target = { accountId: '111122223333', region: 'eu-west-1' };
const globalTarget = { accountId: '111122223333', region: 'global' };
const SETTINGS = resolveConfig({}, 'defaults').settings;

function clients(): AwsClients {
  return new AwsClients({
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' },
    homeRegion: 'us-east-1',
    maxAttempts: 1,
  });
}

function ec2Error(name: string, status: number): EC2ServiceException {
  return new EC2ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} happened`,
  });
}

const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
const s3 = mockClient(S3Client);

afterEach(() => {
  ec2.reset();
  iam.reset();
  s3.reset();
});

describe('collector error classification', () => {
  it.each([
    ['UnauthorizedOperation', 403, 'access-denied'],
    ['AuthFailure', 401, 'invalid-credentials'],
    ['OptInRequired', 401, 'opt-in-required'],
    ['RequestLimitExceeded', 503, 'throttled'],
    ['InternalError', 500, 'unavailable'],
    ['InvalidParameterValue', 400, 'bug'],
  ])('%s from DescribeVolumes becomes %s for that collector only', async (name, status, kind) => {
    // Prepare
    ec2.on(DescribeVolumesCommand).rejects(ec2Error(name, status));
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true });

    // Act
    const results = await collectAll(
      clients(),
      target,
      ['ec2.volumes', 'ec2.ebsEncryptionByDefault'],
      {},
      SETTINGS,
    );

    // Assess
    expect(results['ec2.volumes']).toEqual({
      ok: false,
      error: { kind, code: name, message: `${name} happened` },
    });
    expect(results['ec2.ebsEncryptionByDefault']).toEqual({ ok: true, data: true });
  });

  it('turns a wrongly typed AWS field into invalid-data naming the field', async () => {
    // Prepare
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        { GroupId: 'sg-1', IpPermissions: [{ IpProtocol: 'tcp', FromPort: '22' as unknown as number }] },
      ],
    });

    // Act
    const results = await collectAll(clients(), target, ['ec2.securityGroups'], {}, SETTINGS);

    // Assess
    const result = results['ec2.securityGroups'];
    expect(result?.ok).toBe(false);
    expect(result?.ok === false && result.error.kind).toBe('invalid-data');
    expect(result?.ok === false && result.error.message).toMatch(
      /DescribeSecurityGroups at \[0\]\.IpPermissions\[0\]\.FromPort/,
    );
  });

  it('asks for own snapshots only, and the public ones with one filtered call', async () => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand).callsFake((input: { RestorableByUserIds?: string[] }) =>
      input.RestorableByUserIds?.includes('all')
        ? { Snapshots: [{ SnapshotId: 'snap-2', Encrypted: false }] }
        : {
            Snapshots: [
              { SnapshotId: 'snap-1', Encrypted: true },
              { SnapshotId: 'snap-2', Encrypted: false },
            ],
          },
    );

    // Act
    const results = await collectAll(
      clients(),
      target,
      ['ec2.snapshots', 'ec2.publicSnapshotIds'],
      {},
      SETTINGS,
    );

    // Assess
    expect(results['ec2.publicSnapshotIds']).toEqual({ ok: true, data: ['snap-2'] });
    const calls = ec2.commandCalls(DescribeSnapshotsCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    for (const input of calls) expect(input.OwnerIds).toEqual(['self']);
  });

  it.each([
    ['off', { InternetGatewayBlockMode: 'off', State: 'default-state' } as const, 0],
    ['not configured', undefined, 0],
    ['blocking ingress', { InternetGatewayBlockMode: 'block-ingress', State: 'update-complete' } as const, 1],
  ])(
    'reads VPC Block Public Access exclusions only when the block is on (%s)',
    async (_name, options, calls) => {
      // Prepare
      ec2
        .on(DescribeVpcBlockPublicAccessOptionsCommand)
        .resolves(options === undefined ? {} : { VpcBlockPublicAccessOptions: options });
      ec2.on(DescribeVpcBlockPublicAccessExclusionsCommand).resolves({
        VpcBlockPublicAccessExclusions: [
          {
            ExclusionId: 'exclusion-1',
            InternetGatewayExclusionMode: 'allow-bidirectional',
            ResourceArn: 'arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-1',
          },
        ],
      });

      // Act
      const results = await collectAll(clients(), target, ['ec2.vpcBlockPublicAccess'], {}, SETTINGS);

      // Assess
      expect(results['ec2.vpcBlockPublicAccess']?.ok).toBe(true);
      expect(ec2.commandCalls(DescribeVpcBlockPublicAccessExclusionsCommand)).toHaveLength(calls);
    },
  );

  it('rethrows programming errors instead of hiding them as coverage gaps', () => {
    expect(() => classifyAwsError(new TypeError('x is undefined'))).toThrow(TypeError);
  });

  it('classifies socket failures as unavailable', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classifyAwsError(error).kind).toBe('unavailable');
  });

  it('keeps access key ids out of error messages', () => {
    const error = ec2Error('AuthFailure', 401);
    error.message = 'key AKIAIOSFODNN7EXAMPLE is not valid';
    expect(classifyAwsError(error).message).toBe('key <access-key-id> is not valid');
  });
});

describe('answers that are not errors', () => {
  it('reads "no password policy" as null', async () => {
    iam.on(GetAccountPasswordPolicyCommand).rejects(
      new NoSuchEntityException({
        $metadata: { httpStatusCode: 404 },
        message: 'The Password Policy with domain name x cannot be found.',
      }),
    );
    const results = await collectAll(clients(), globalTarget, ['iam.passwordPolicy'], {}, SETTINGS);
    expect(results['iam.passwordPolicy']).toEqual({ ok: true, data: null });
  });

  it('reads "not the management account" as null, not a coverage gap', async () => {
    iam.on(ListOrganizationsFeaturesCommand).rejects(
      new AccountNotManagementOrDelegatedAdministratorException({
        $metadata: { httpStatusCode: 400 },
        message: 'not management',
      }),
    );
    const results = await collectAll(clients(), globalTarget, ['iam.organizationsFeatures'], {}, SETTINGS);
    expect(results['iam.organizationsFeatures']).toEqual({ ok: true, data: null });
  });

  it("records per-bucket policy answers: none, a document, or that bucket's error", async () => {
    // Prepare
    s3.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: 'none', BucketRegion: 'eu-west-1' },
        { Name: 'doc', BucketRegion: 'us-east-1' },
        { Name: 'denied', BucketRegion: 'eu-west-1' },
      ],
    });
    s3.on(GetBucketPolicyCommand, { Bucket: 'none' }).rejects(
      new S3ServiceException({
        name: 'NoSuchBucketPolicy',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: 'none',
      }),
    );
    s3.on(GetBucketPolicyCommand, { Bucket: 'doc' }).resolves({
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
    });
    s3.on(GetBucketPolicyCommand, { Bucket: 'denied' }).rejects(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'Access Denied',
      }),
    );

    // Act
    const results = await collectAll(clients(), globalTarget, ['s3.bucketPolicies'], {}, SETTINGS);

    // Assess
    expect(results['s3.bucketPolicies']).toEqual({
      ok: true,
      data: {
        none: { ok: true, value: null },
        doc: { ok: true, value: { Version: '2012-10-17', Statement: [] } },
        denied: {
          ok: false,
          error: { kind: 'access-denied', code: 'AccessDenied', message: 'Access Denied' },
        },
      },
    });
  });

  it('does not read the ACL of a bucket whose ACLs are disabled', async () => {
    // Prepare
    s3.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: 'enforced', BucketRegion: 'eu-west-1' },
        { Name: 'legacy', BucketRegion: 'eu-west-1' },
      ],
    });
    s3.on(GetBucketOwnershipControlsCommand, { Bucket: 'enforced' }).resolves({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    s3.on(GetBucketOwnershipControlsCommand, { Bucket: 'legacy' }).rejects(
      new S3ServiceException({
        name: 'OwnershipControlsNotFoundError',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: 'none',
      }),
    );
    s3.on(GetBucketAclCommand).resolves({ Owner: { ID: 'abc' }, Grants: [] });

    // Act
    const results = await collectAll(clients(), globalTarget, ['s3.bucketAcls'], {}, SETTINGS);

    // Assess
    expect(s3.commandCalls(GetBucketAclCommand).map((c) => c.args[0].input.Bucket)).toEqual(['legacy']);
    expect(results['s3.bucketOwnershipControls']).toEqual({
      ok: true,
      data: {
        enforced: { ok: true, value: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } },
        legacy: { ok: true, value: null },
      },
    });
  });
});
