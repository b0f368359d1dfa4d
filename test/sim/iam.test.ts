import {
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListOrganizationsFeaturesCommand,
  ListVirtualMFADevicesCommand,
  paginateListVirtualMFADevices,
} from '@aws-sdk/client-iam';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordPolicySchema, VirtualMfaDeviceSchema } from '../../core/aws-shapes.js';
import { parseEstate } from '../../sim/estate.js';
import { type Simulator, startSimulator } from '../../sim/server.js';
import { CREDENTIAL_REPORT_COLUMNS } from '../../sim/services/iam-credential-report.js';
import { MANAGEMENT, managementIam, PROD, prodCredentials, richEstate, sdkConfig } from './fixtures.js';

let sim: Simulator;
let iam: IAMClient;
let prodIam: IAMClient;

beforeAll(async () => {
  sim = await startSimulator(richEstate(), { maxPageSize: 2 });
  iam = new IAMClient(sdkConfig(sim, 'us-east-1'));
  prodIam = new IAMClient(sdkConfig(sim, 'us-east-1', await prodCredentials(sim)));
});

afterAll(async () => {
  iam.destroy();
  prodIam.destroy();
  await sim.close();
});

const statusOf = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

describe('the credential report', () => {
  it('is absent before generation, STARTED then COMPLETE, then the CSV of the estate’s rows', async () => {
    // Act
    const before = await iam.send(new GetCredentialReportCommand({})).catch((e) => e);
    const first = await iam.send(new GenerateCredentialReportCommand({}));
    const second = await iam.send(new GenerateCredentialReportCommand({}));
    const report = await iam.send(new GetCredentialReportCommand({}));

    // Assess
    expect(before.name).toBe('CredentialReportNotPresentException');
    expect(statusOf(before)).toBe(410);
    expect(first.State).toBe('STARTED');
    expect(second.State).toBe('COMPLETE');
    expect(report.ReportFormat).toBe('text/csv');
    expect(report.GeneratedTime).toBeInstanceOf(Date);
    expect(Math.abs(Date.now() - report.GeneratedTime!.getTime())).toBeLessThan(60_000);

    const text = new TextDecoder().decode(report.Content);
    expect(text.split('\n')[0]).toBe(CREDENTIAL_REPORT_COLUMNS.join(','));
    const rows = parseCsv(text, { columns: true }) as Array<Record<string, string>>;
    const expected = managementIam().CredentialReport.map((row) =>
      Object.fromEntries(
        CREDENTIAL_REPORT_COLUMNS.map((column) => [column, (row as Record<string, string>)[column] ?? 'N/A']),
      ),
    );
    expect(rows).toEqual(expected);
    expect(rows[2]?.user).toBe('ops, "night" team');
    expect(rows[1]).toMatchObject({
      password_enabled: 'true',
      password_last_changed: 'N/A',
      cert_2_active: 'N/A',
    });
    expect(Object.keys(rows[0]!)).toHaveLength(22);
  });

  it('is kept per account: generating it in one account does not make another’s', async () => {
    // Prepare
    await iam.send(new GenerateCredentialReportCommand({}));

    // Act
    const missing = await prodIam.send(new GetCredentialReportCommand({})).catch((e) => e);
    const started = await prodIam.send(new GenerateCredentialReportCommand({}));
    const empty = await prodIam.send(new GetCredentialReportCommand({}));

    // Assess
    expect(missing.name).toBe('CredentialReportNotPresentException');
    expect(started.State).toBe('STARTED');
    expect(new TextDecoder().decode(empty.Content)).toBe(CREDENTIAL_REPORT_COLUMNS.join(','));
  });
});

describe('GetAccountSummary', () => {
  it('answers the SummaryMap as a map of numbers', async () => {
    const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));

    expect(SummaryMap).toEqual(managementIam().AccountSummary);
  });

  it('answers an empty map for an account the estate gives no summary', async () => {
    const { SummaryMap } = await prodIam.send(new GetAccountSummaryCommand({}));

    expect(SummaryMap).toEqual({});
  });
});

describe('ListVirtualMFADevices', () => {
  it('pages every device with Marker and IsTruncated, field for field', async () => {
    // Prepare
    sim.resetCalls();

    // Act
    const pages = [];
    for await (const page of paginateListVirtualMFADevices({ client: iam, pageSize: 1000 }, {})) {
      pages.push(page);
    }

    // Assess
    expect(pages).toHaveLength(3);
    expect(pages.map((page) => page.IsTruncated)).toEqual([true, true, false]);
    expect(pages.every((page) => (page.VirtualMFADevices ?? []).length <= 2)).toBe(true);
    expect(pages[2]?.Marker).toBeUndefined();
    const devices = pages.flatMap((page) => page.VirtualMFADevices ?? []);
    expect(devices.map((device) => VirtualMfaDeviceSchema.parse(device))).toEqual(
      managementIam().VirtualMFADevices.map((device) => {
        const { Tags: _tags, ...declared } = device as typeof device & { Tags?: unknown };
        return declared.EnableDate === undefined
          ? declared
          : { ...declared, EnableDate: new Date(declared.EnableDate).toISOString() };
      }),
    );
    expect(devices[0]?.User?.Arn).toBe(`arn:aws:iam::${MANAGEMENT}:root`);
    expect(devices[0]?.EnableDate).toEqual(new Date('2021-03-04T05:06:07Z'));
    expect(sim.callCounts()).toEqual({ 'iam:ListVirtualMFADevices': 3 });
    expect(sim.calls()[1]?.params).toMatchObject({ MaxItems: '1000' });
  });

  it('filters by AssignmentStatus', async () => {
    // Act
    const assigned = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }));
    const unassigned = [];
    for await (const page of paginateListVirtualMFADevices(
      { client: iam },
      { AssignmentStatus: 'Unassigned' },
    )) {
      unassigned.push(...(page.VirtualMFADevices ?? []));
    }

    // Assess
    expect(assigned.VirtualMFADevices?.map((device) => device.SerialNumber)).toEqual([
      `arn:aws:iam::${MANAGEMENT}:mfa/root-account-mfa-device`,
      `arn:aws:iam::${MANAGEMENT}:mfa/alice`,
    ]);
    expect(assigned.IsTruncated).toBe(false);
    expect(assigned.VirtualMFADevices?.[1]?.User).toEqual({
      Arn: `arn:aws:iam::${MANAGEMENT}:user/alice`,
      UserName: 'alice',
      UserId: 'AIDAALICE',
    });
    expect(unassigned.map((device) => device.SerialNumber)).toEqual([
      `arn:aws:iam::${MANAGEMENT}:mfa/spare-1`,
      `arn:aws:iam::${MANAGEMENT}:mfa/spare-2`,
      `arn:aws:iam::${MANAGEMENT}:mfa/spare-3`,
    ]);
    expect(unassigned.every((device) => device.User === undefined)).toBe(true);
  });

  it('refuses a Marker from another query, and MaxItems out of range', async () => {
    // Prepare
    const first = await iam.send(new ListVirtualMFADevicesCommand({}));

    // Act
    const otherQuery = await iam
      .send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned', Marker: first.Marker }))
      .catch((e) => e);
    const tooMany = await iam.send(new ListVirtualMFADevicesCommand({ MaxItems: 1001 })).catch((e) => e);

    // Assess
    expect(first.IsTruncated).toBe(true);
    expect(otherQuery.name).toBe('ValidationError');
    expect(tooMany.name).toBe('ValidationError');
  });
});

describe('GetAccountPasswordPolicy', () => {
  it('answers the estate’s policy', async () => {
    const { PasswordPolicy } = await iam.send(new GetAccountPasswordPolicyCommand({}));

    expect(PasswordPolicy).toEqual(managementIam().PasswordPolicy);
    expect(PasswordPolicySchema.parse(PasswordPolicy)).toEqual(PasswordPolicy);
  });

  it('answers NoSuchEntity (404) when the account has none', async () => {
    const error = await prodIam.send(new GetAccountPasswordPolicyCommand({})).catch((e) => e);

    expect(error.name).toBe('NoSuchEntityException');
    expect(error.Code).toBe('NoSuchEntity');
    expect(statusOf(error)).toBe(404);
    expect(error.message).toContain(PROD);
  });
});

describe('ListOrganizationsFeatures', () => {
  it('answers the management account with its features and the organization id', async () => {
    const answer = await iam.send(new ListOrganizationsFeaturesCommand({}));

    expect(answer.EnabledFeatures).toEqual(['RootCredentialsManagement', 'RootSessions']);
    expect(answer.OrganizationId).toMatch(/^o-[a-z0-9]{10}$/);
  });

  it('refuses a member account', async () => {
    const error = await prodIam.send(new ListOrganizationsFeaturesCommand({})).catch((e) => e);

    expect(error.name).toBe('AccountNotManagementOrDelegatedAdministratorException');
    expect(statusOf(error)).toBe(400);
  });

  it('answers OrganizationNotFoundException without an organization', async () => {
    // Prepare
    const alone = await startSimulator(parseEstate({ accounts: { [PROD]: {} } }, 'alone'));
    const client = new IAMClient(sdkConfig(alone, 'us-east-1'));

    // Act
    const error = await client.send(new ListOrganizationsFeaturesCommand({})).catch((e) => e);

    // Assess
    expect(error.name).toBe('OrganizationNotFoundException');
    client.destroy();
    await alone.close();
  });
});

describe('the global endpoint', () => {
  it('takes requests signed for us-east-1 only', async () => {
    // Prepare
    const elsewhere = new IAMClient(sdkConfig(sim, 'eu-west-1'));

    // Act
    const error = await elsewhere.send(new GetAccountSummaryCommand({})).catch((e) => e);

    // Assess
    expect(error.name).toBe('SignatureDoesNotMatch');
    expect(statusOf(error)).toBe(403);
    elsewhere.destroy();
  });
});
