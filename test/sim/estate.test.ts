import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EstateError } from '../../core/errors.js';
import { loadEstateFile, parseEstate } from '../../sim/estate.js';
import { readablePath } from '../../sim/estate-problems.js';
import { PROD, richEstateDocument } from './fixtures.js';

function problemsOf(raw: unknown): Array<{ path: string; message: string }> {
  try {
    parseEstate(raw, 'estate.json');
  } catch (error) {
    expect(error).toBeInstanceOf(EstateError);
    return [...(error as EstateError).problems];
  }
  throw new Error('the estate was accepted');
}

const withGroup = (group: Record<string, unknown>) => ({
  accounts: { [PROD]: { regions: { 'eu-west-1': { ec2: { SecurityGroups: [group] } } } } },
});

describe('parseEstate', () => {
  it('accepts the full format and fills in what is absent', () => {
    // Act
    const estate = parseEstate(richEstateDocument(), 'rich');
    const minimal = parseEstate({ accounts: { [PROD]: { regions: { 'eu-west-1': {} } } } }, 'minimal');

    // Assess
    expect(estate.accounts[PROD]?.regions['eu-west-1']?.ec2.SecurityGroups).toHaveLength(5);
    const account = minimal.accounts[PROD]!;
    expect(account.regions['eu-west-1']?.ec2).toMatchObject({
      SecurityGroups: [],
      Snapshots: [],
      EbsEncryptionByDefault: false,
      SnapshotBlockPublicAccessState: 'unblocked',
      VpcBlockPublicAccessOptions: null,
    });
    expect(account.iam).toEqual({
      CredentialReport: [],
      AccountSummary: {},
      VirtualMFADevices: [],
      PasswordPolicy: null,
      OrganizationsFeatures: [],
    });
    expect(account.s3).toEqual({ AccountPublicAccessBlock: null, Buckets: [] });
    expect(account.faults).toEqual([]);
    expect(account.disabledRegions).toEqual([]);
  });

  it('accepts extra fields inside AWS objects and drops them', () => {
    const estate = parseEstate(
      withGroup({
        GroupId: 'sg-1',
        SecurityGroupArn: 'arn:x',
        IpPermissions: [{ IpProtocol: '-1', Extra: 1 }],
      }),
      'extra',
    );

    const group = estate.accounts[PROD]?.regions['eu-west-1']?.ec2.SecurityGroups[0];
    expect(group).toEqual({ GroupId: 'sg-1', IpPermissions: [{ IpProtocol: '-1' }] });
  });

  it('names the path of a wrong type deep inside an AWS object', () => {
    const problems = problemsOf(
      withGroup({ GroupId: 'sg-1', IpPermissions: [{ IpProtocol: 'tcp', FromPort: '22' }] }),
    );

    expect(problems).toEqual([
      {
        path: `accounts["${PROD}"].regions["eu-west-1"].ec2.SecurityGroups[0].IpPermissions[0].FromPort`,
        message: '"22" is not an integer',
      },
    ]);
  });

  it('says an integer is expected where a fraction is given', () => {
    const problems = problemsOf(
      withGroup({ GroupId: 'sg-1', IpPermissions: [{ IpProtocol: 'tcp', ToPort: 22.5 }] }),
    );

    expect(problems[0]?.message).toBe('22.5 is not an integer');
  });

  it('names an unknown key in the estate structure', () => {
    const problems = problemsOf({
      accounts: { [PROD]: { regions: { 'eu-west-1': { ec2: { SecurityGroup: [] } } } } },
    });

    expect(problems).toEqual([
      { path: `accounts["${PROD}"].regions["eu-west-1"].ec2.SecurityGroup`, message: 'unknown key' },
    ]);
  });

  it('names a bad account id, a bad region name and a bad management account', () => {
    const problems = problemsOf({
      organization: { managementAccountId: '1234', accounts: [{ Id: '99' }] },
      accounts: { '22222': {}, [PROD]: { regions: { Ireland: {} } } },
    });

    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'organization.managementAccountId', message: '"1234": expected a 12-digit account id' },
        { path: 'organization.accounts[0].Id', message: '"99": a 12-digit account id' },
        { path: 'accounts["22222"]', message: '"22222" is not a valid key: expected a 12-digit account id' },
        {
          path: `accounts["${PROD}"].regions.Ireland`,
          message: '"Ireland" is not a valid key: expected a region name such as eu-west-1',
        },
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('refuses a region that is both enabled and disabled', () => {
    const problems = problemsOf({
      accounts: { [PROD]: { regions: { 'eu-west-1': {}, 'ap-east-1': {} }, disabledRegions: ['ap-east-1'] } },
    });

    expect(problems).toEqual([
      {
        path: `accounts["${PROD}"].disabledRegions[0]`,
        message: '"ap-east-1" is also an enabled region (under "regions"); a region is one or the other',
      },
    ]);
  });

  it('refuses repeated resource ids and bucket names', () => {
    const problems = problemsOf({
      accounts: {
        [PROD]: {
          regions: {
            'eu-west-1': {
              ec2: {
                Volumes: [
                  { VolumeId: 'vol-1', Encrypted: true },
                  { VolumeId: 'vol-1', Encrypted: false },
                ],
              },
            },
          },
          s3: { Buckets: [{ Name: 'logs' }] },
        },
        '111111111111': { s3: { Buckets: [{ Name: 'logs' }] } },
      },
    });

    expect(problems).toEqual([
      {
        path: `accounts["${PROD}"].regions["eu-west-1"].ec2.Volumes[1].VolumeId`,
        message: '"vol-1" repeats item 0 of the list; each must be unique',
      },
      {
        path: 'accounts["111111111111"].s3.Buckets[0].Name',
        message: `"logs" is already a bucket in account ${PROD}; bucket names are unique across AWS`,
      },
    ]);
  });

  it('checks faults: service, error code and rate', () => {
    const problems = problemsOf({
      accounts: {
        [PROD]: { faults: [{ service: 'ec3', error: 'Nope', rate: 2, operation: 'describeVolumes' }] },
      },
    });

    expect(problems.map((problem) => problem.path)).toEqual([
      `accounts["${PROD}"].faults[0].service`,
      `accounts["${PROD}"].faults[0].operation`,
      `accounts["${PROD}"].faults[0].error`,
      `accounts["${PROD}"].faults[0].rate`,
    ]);
  });

  it('reads the IAM and S3 parts', () => {
    const estate = parseEstate(
      {
        accounts: {
          [PROD]: {
            iam: {
              CredentialReport: [
                { user: '<root_account>', mfa_active: 'true', access_key_1_active: 'false' },
              ],
              AccountSummary: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 },
              VirtualMFADevices: [
                { SerialNumber: 'arn:aws:iam::222222222222:mfa/root', EnableDate: '2024-01-01T00:00:00Z' },
              ],
              PasswordPolicy: { MinimumPasswordLength: 14, RequireSymbols: true },
              OrganizationsFeatures: ['RootCredentialsManagement'],
            },
            s3: {
              AccountPublicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true },
              Buckets: [
                {
                  Name: 'logs',
                  CreationDate: '2024-01-01T00:00:00Z',
                  BucketRegion: 'eu-west-1',
                  Acl: {
                    Owner: { ID: 'abc' },
                    Grants: [
                      {
                        Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
                        Permission: 'READ',
                      },
                    ],
                  },
                  Policy: {
                    Version: '2012-10-17',
                    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }],
                  },
                  PolicyStatus: { IsPublic: true },
                  PublicAccessBlock: { BlockPublicPolicy: false },
                  OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
                  ServerSideEncryptionConfiguration: {
                    Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
                  },
                  Versioning: { Status: 'Enabled' },
                },
              ],
            },
          },
        },
      },
      'iam and s3',
    );

    const account = estate.accounts[PROD]!;
    expect(account.iam.AccountSummary).toEqual({ AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 });
    expect(account.iam.PasswordPolicy?.MinimumPasswordLength).toBe(14);
    expect(account.s3.Buckets[0]?.Policy?.Statement).toHaveLength(1);
    expect(account.s3.Buckets[0]?.Versioning).toEqual({ Status: 'Enabled' });
  });

  it('names wrong types in the IAM and S3 parts', () => {
    const problems = problemsOf({
      accounts: {
        [PROD]: {
          iam: {
            AccountSummary: { AccountMFAEnabled: 'yes' },
            PasswordPolicy: { MinimumPasswordLength: 'long' },
          },
          s3: { Buckets: [{ Name: 'logs', CreationDate: 'yesterday', Acll: {} }] },
        },
      },
    });

    expect(problems.map((problem) => problem.path)).toEqual(
      expect.arrayContaining([
        `accounts["${PROD}"].iam.AccountSummary.AccountMFAEnabled`,
        `accounts["${PROD}"].iam.PasswordPolicy.MinimumPasswordLength`,
        `accounts["${PROD}"].s3.Buckets[0].CreationDate`,
        `accounts["${PROD}"].s3.Buckets[0].Acll`,
      ]),
    );
  });

  it('refuses an estate with no account at all', () => {
    expect(problemsOf({})).toEqual([
      { path: '', message: 'the estate holds no account: add one under "accounts"' },
    ]);
  });
});

describe('loadEstateFile', () => {
  const folder = mkdtempSync(join(tmpdir(), 'custos-estate-'));

  it('reads JSON and YAML', () => {
    // Prepare
    const json = join(folder, 'estate.json');
    const yaml = join(folder, 'estate.yaml');
    writeFileSync(json, JSON.stringify({ accounts: { [PROD]: { regions: { 'eu-west-1': {} } } } }));
    writeFileSync(
      yaml,
      `accounts:\n  "${PROD}":\n    regions:\n      eu-west-1: {}\n    disabledRegions: [ap-east-1]\n`,
    );

    // Act
    const fromJson = loadEstateFile(json);
    const fromYaml = loadEstateFile(yaml);

    // Assess
    expect(Object.keys(fromJson.accounts[PROD]?.regions ?? {})).toEqual(['eu-west-1']);
    expect(fromYaml.accounts[PROD]?.disabledRegions).toEqual(['ap-east-1']);
  });

  it('names the file when it cannot be read or parsed', () => {
    const broken = join(folder, 'broken.json');
    writeFileSync(broken, '{ "accounts": ');

    expect(() => loadEstateFile(join(folder, 'missing.json'))).toThrow(
      /missing\.json is not valid:\n {2}cannot be read/,
    );
    expect(() => loadEstateFile(broken)).toThrow(/broken\.json is not valid:\n {2}is not valid JSON/);
  });

  it('puts the file name and every problem in the message', () => {
    const bad = join(folder, 'bad.yml');
    writeFileSync(bad, `accounts:\n  "${PROD}":\n    regionz: {}\n`);

    expect(() => loadEstateFile(bad)).toThrow(
      `bad.yml is not valid:\n  accounts["${PROD}"].regionz: unknown key`,
    );
  });
});

describe('readablePath', () => {
  it('quotes hyphenated keys and leaves field names and indexes alone', () => {
    expect(readablePath('accounts["1"].regions.eu-west-1.ec2.SecurityGroups[0]')).toBe(
      'accounts["1"].regions["eu-west-1"].ec2.SecurityGroups[0]',
    );
    expect(readablePath('us-east-1')).toBe('["us-east-1"]');
    expect(readablePath('a["x.y-z"].b')).toBe('a["x.y-z"].b');
    expect(readablePath('')).toBe('');
  });
});
