import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../sim/server.js';
import { MANAGEMENT, OPEN, PROD, richEstate, SUSPENDED, sdkConfig } from './fixtures.js';

let sim: Simulator;
let sts: STSClient;

beforeAll(async () => {
  sim = await startSimulator(richEstate(), { maxPageSize: 2 });
  sts = new STSClient(sdkConfig(sim, 'us-east-1'));
});

afterAll(async () => {
  sts.destroy();
  await sim.close();
});

const roleArn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

function sessionOf(
  credentials: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined,
) {
  return {
    accessKeyId: credentials!.AccessKeyId!,
    secretAccessKey: credentials!.SecretAccessKey!,
    sessionToken: credentials!.SessionToken!,
  };
}

describe('GetCallerIdentity', () => {
  it('answers the management account for the default credentials', async () => {
    const identity = await sts.send(new GetCallerIdentityCommand({}));

    expect(identity.Account).toBe(MANAGEMENT);
    expect(identity.Arn).toBe(`arn:aws:iam::${MANAGEMENT}:user/custos-simulator`);
    expect(identity.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
  });

  it('refuses an access key the simulator never issued with InvalidClientTokenId', async () => {
    const stranger = new STSClient(
      sdkConfig(sim, 'us-east-1', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' }),
    );

    const error = await stranger.send(new GetCallerIdentityCommand({})).catch((e) => e);

    expect(error.name).toBe('InvalidClientTokenId');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(sim.calls().at(-1)).toMatchObject({
      service: 'sts',
      operation: 'GetCallerIdentity',
      accountId: '',
    });
    stranger.destroy();
  });
});

describe('AssumeRole', () => {
  it('issues session credentials bound to the target account', async () => {
    // Act
    const before = Date.now();
    const result = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn(PROD, 'CustosAudit'),
        RoleSessionName: 'custos-run-1',
        ExternalId: 'x-123',
        DurationSeconds: 900,
      }),
    );
    const assumed = new STSClient(sdkConfig(sim, 'eu-west-1', sessionOf(result.Credentials)));
    const identity = await assumed.send(new GetCallerIdentityCommand({}));

    // Assess
    expect(result.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(result.Credentials?.SessionToken).toBeTruthy();
    const expiration = result.Credentials?.Expiration?.getTime() ?? 0;
    expect(expiration).toBeGreaterThanOrEqual(before + 899_000);
    expect(expiration).toBeLessThanOrEqual(Date.now() + 901_000);
    expect(result.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/CustosAudit/custos-run-1`);
    expect(identity.Account).toBe(PROD);
    expect(identity.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/CustosAudit/custos-run-1`);
    assumed.destroy();
  });

  it('later calls with the session are answered from the target account', async () => {
    // Prepare
    const result = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn(PROD, 'CustosAudit'),
        RoleSessionName: 's1',
        ExternalId: 'x-123',
      }),
    );
    const asProd = new EC2Client(sdkConfig(sim, 'us-east-1', sessionOf(result.Credentials)));
    const asManagement = new EC2Client(sdkConfig(sim, 'us-east-1'));

    // Act
    const prodGroups = await asProd.send(new DescribeSecurityGroupsCommand({}));
    const managementGroups = await asManagement.send(new DescribeSecurityGroupsCommand({}));

    // Assess
    expect(prodGroups.SecurityGroups?.map((group) => group.GroupId)).toEqual(['sg-00000100']);
    expect(managementGroups.SecurityGroups?.map((group) => group.GroupId)).toEqual(['sg-00000900']);
    expect(
      sim
        .calls()
        .slice(-2)
        .map((call) => call.accountId),
    ).toEqual([PROD, MANAGEMENT]);
    asProd.destroy();
    asManagement.destroy();
  });

  it('refuses a role name other than the one the account trusts', async () => {
    const error = await sts
      .send(
        new AssumeRoleCommand({
          RoleArn: roleArn(PROD, 'Admin'),
          RoleSessionName: 'scan',
          ExternalId: 'x-123',
        }),
      )
      .catch((e) => e);

    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toBe(
      `User: arn:aws:iam::${MANAGEMENT}:user/custos-simulator is not authorized to perform: sts:AssumeRole on resource: ${roleArn(PROD, 'Admin')}`,
    );
  });

  it('refuses a wrong or missing ExternalId', async () => {
    const wrong = await sts
      .send(
        new AssumeRoleCommand({
          RoleArn: roleArn(PROD, 'CustosAudit'),
          RoleSessionName: 'scan',
          ExternalId: 'x-999',
        }),
      )
      .catch((e) => e);
    const missing = await sts
      .send(new AssumeRoleCommand({ RoleArn: roleArn(PROD, 'CustosAudit'), RoleSessionName: 'scan' }))
      .catch((e) => e);

    expect(wrong.name).toBe('AccessDenied');
    expect(missing.name).toBe('AccessDenied');
  });

  it('refuses an account outside the estate, and one that is not ACTIVE', async () => {
    const unknown = await sts
      .send(
        new AssumeRoleCommand({ RoleArn: roleArn('999999999999', 'CustosAudit'), RoleSessionName: 'scan' }),
      )
      .catch((e) => e);
    const suspended = await sts
      .send(new AssumeRoleCommand({ RoleArn: roleArn(SUSPENDED, 'CustosAudit'), RoleSessionName: 'scan' }))
      .catch((e) => e);

    expect(unknown.name).toBe('AccessDenied');
    expect(suspended.name).toBe('AccessDenied');
  });

  it('lets any role into an account that names none', async () => {
    const result = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn(OPEN, 'Whatever'), RoleSessionName: 'ok' }),
    );

    expect(result.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${OPEN}:assumed-role/Whatever/ok`);
  });

  it('validates the session name, the duration and the role ARN', async () => {
    const send = (input: ConstructorParameters<typeof AssumeRoleCommand>[0]) =>
      sts.send(new AssumeRoleCommand(input)).catch((e) => e);

    const shortName = await send({ RoleArn: roleArn(OPEN, 'R'), RoleSessionName: 'x' });
    const tooLong = await send({
      RoleArn: roleArn(OPEN, 'R'),
      RoleSessionName: 'ok',
      DurationSeconds: 43_201,
    });
    const badArn = await send({ RoleArn: 'arn:aws:iam::123:role/R', RoleSessionName: 'ok' });

    expect([shortName.name, tooLong.name, badArn.name]).toEqual([
      'ValidationError',
      'ValidationError',
      'ValidationError',
    ]);
  });

  it('caps a chained session at one hour', async () => {
    // Prepare
    const first = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn(OPEN, 'Hop'), RoleSessionName: 'hop' }),
    );
    const chained = new STSClient(sdkConfig(sim, 'us-east-1', sessionOf(first.Credentials)));

    // Act
    const tooLong = await chained
      .send(
        new AssumeRoleCommand({
          RoleArn: roleArn(OPEN, 'Next'),
          RoleSessionName: 'next',
          DurationSeconds: 7200,
        }),
      )
      .catch((e) => e);
    const hour = await chained.send(
      new AssumeRoleCommand({
        RoleArn: roleArn(OPEN, 'Next'),
        RoleSessionName: 'next',
        DurationSeconds: 3600,
      }),
    );

    // Assess
    expect(tooLong.name).toBe('ValidationError');
    expect(hour.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${OPEN}:assumed-role/Next/next`);
    chained.destroy();
  });

  it('refuses a session key sent without its session token', async () => {
    const result = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn(OPEN, 'R'), RoleSessionName: 'ok' }),
    );
    const { accessKeyId, secretAccessKey } = sessionOf(result.Credentials);
    const tokenless = new STSClient(sdkConfig(sim, 'us-east-1', { accessKeyId, secretAccessKey }));

    const error = await tokenless.send(new GetCallerIdentityCommand({})).catch((e) => e);

    expect(error.name).toBe('InvalidClientTokenId');
    tokenless.destroy();
  });
});
