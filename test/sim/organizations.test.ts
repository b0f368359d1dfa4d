import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrganizationAccountSchema } from '../../core/aws-shapes.js';
import { parseEstate } from '../../sim/estate.js';
import { type Simulator, startSimulator } from '../../sim/server.js';
import { MANAGEMENT, PROD, richEstate, sdkConfig } from './fixtures.js';

let sim: Simulator;
let organizations: OrganizationsClient;

beforeAll(async () => {
  sim = await startSimulator(richEstate(), { maxPageSize: 2 });
  organizations = new OrganizationsClient(sdkConfig(sim, 'us-east-1'));
});

afterAll(async () => {
  organizations.destroy();
  await sim.close();
});

describe('ListAccounts', () => {
  it('pages every account with its State, and no Status', async () => {
    // Act
    const pages = [];
    for await (const page of paginateListAccounts({ client: organizations }, { MaxResults: 20 }))
      pages.push(page);

    // Assess
    expect(pages).toHaveLength(3);
    const accounts = pages.flatMap((page) => page.Accounts ?? []);
    expect(accounts.map((account) => [account.Id, account.State])).toEqual([
      [MANAGEMENT, 'ACTIVE'],
      [PROD, 'ACTIVE'],
      ['333333333333', 'SUSPENDED'],
      ['444444444444', 'ACTIVE'],
      ['555555555555', 'PENDING_ACTIVATION'],
    ]);
    expect(accounts.some((account) => account.Status !== undefined)).toBe(false);
    expect(accounts[1]?.JoinedTimestamp).toEqual(new Date('2021-06-01T12:30:00.000Z'));
    expect(OrganizationAccountSchema.parse(accounts[0])).toEqual(richEstate().organization?.accounts[0]);
  });

  it('refuses MaxResults above 20', async () => {
    const error = await organizations.send(new ListAccountsCommand({ MaxResults: 21 })).catch((e) => e);

    expect(error.name).toBe('InvalidInputException');
  });

  it('is answered only in the management account', async () => {
    // Prepare
    const sts = new STSClient(sdkConfig(sim, 'us-east-1'));
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${PROD}:role/CustosAudit`,
        RoleSessionName: 'member',
        ExternalId: 'x-123',
      }),
    );
    const member = new OrganizationsClient(
      sdkConfig(sim, 'us-east-1', {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      }),
    );

    // Act
    const error = await member.send(new ListAccountsCommand({})).catch((e) => e);
    const described = await member.send(new DescribeOrganizationCommand({}));

    // Assess
    expect(error.name).toBe('AccessDeniedException');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(described.Organization?.MasterAccountId).toBe(MANAGEMENT);
    member.destroy();
    sts.destroy();
  });
});

describe('DescribeOrganization', () => {
  it('names the management account', async () => {
    const { Organization } = await organizations.send(new DescribeOrganizationCommand({}));

    expect(Organization).toMatchObject({
      MasterAccountId: MANAGEMENT,
      MasterAccountArn: expect.stringMatching(
        new RegExp(`^arn:aws:organizations::${MANAGEMENT}:account/o-[a-z0-9]{10}/${MANAGEMENT}$`),
      ),
      MasterAccountEmail: 'root@example.com',
      FeatureSet: 'ALL',
    });
    expect(Organization?.Id).toMatch(/^o-[a-z0-9]{10}$/);
  });
});

describe('an estate without an organization', () => {
  it('answers AWSOrganizationsNotInUseException', async () => {
    // Prepare
    const alone = await startSimulator(parseEstate({ accounts: { [PROD]: {} } }, 'alone'));
    const client = new OrganizationsClient(sdkConfig(alone, 'us-east-1'));

    // Act
    const listed = await client.send(new ListAccountsCommand({})).catch((e) => e);
    const described = await client.send(new DescribeOrganizationCommand({})).catch((e) => e);

    // Assess
    expect(listed.name).toBe('AWSOrganizationsNotInUseException');
    expect(described.name).toBe('AWSOrganizationsNotInUseException');
    client.destroy();
    await alone.close();
  });
});
