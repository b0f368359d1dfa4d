import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../cli/config-file.js';
import { openEngine } from '../../cli/engine-context.js';
import { main } from '../../cli/main.js';
import { buildEstate } from '../../cli/record/estate-builder.js';
import { collectorCall } from '../../cli/record/faults.js';
import { overridesFrom } from '../../cli/scan.js';
import type { ScanPlan, TargetShard } from '../../core/engine/context.js';
import { runScan } from '../../core/engine/run.js';
import type { CollectorError, CollectorId, InventoryResults, Report } from '../../core/types.js';
import { COLLECTORS } from '../../inventory/registry.js';
import { FAULT_SERVICES, parseEstate } from '../../sim/estate.js';
import { LOCKED, MANAGEMENT, organizationEstate, PROD, SUSPENDED } from '../integration/fixtures.js';
import { PROD as RICH_PROD, richEstateDocument } from '../sim/fixtures.js';

let dir: string;
let stdout: string[];
let stderr: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custos-record-'));
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
  process.exitCode = undefined;
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

// biome-ignore lint/suspicious/noExplicitAny: estate documents are read back as plain JSON.
type Json = any;

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * The report `custos scan --estate FILE --config CONFIG` builds: the same config loading and
 * engine context as the command, without writing the run (one test below runs the command).
 */
async function scan(estate: string, configPath: string, checks?: string): Promise<Report> {
  const config = loadConfig(configPath, overridesFrom(checks === undefined ? {} : { checks }));
  const engine = await openEngine(config, { estate }, { interactive: false, now: () => new Date() });
  try {
    return (await runScan(engine.ctx, engine.runId)).report;
  } finally {
    await engine.close();
  }
}

/** `custos record --estate`; the recorded document. */
async function record(
  estate: string,
  config: string,
  name: string,
  extra: readonly string[] = [],
): Promise<{ path: string; estate: Json; text: string }> {
  const path = join(dir, name);
  const code = await main(['record', '--estate', estate, '--config', config, '--out', path, ...extra]);
  expect(stderr.join('')).not.toContain('custos: internal error');
  expect(code).toBe(0);
  const text = readFileSync(path, 'utf8');
  return { path, estate: JSON.parse(text), text };
}

const USER_ARN = /^(arn:aws[a-z-]*:iam::\d{12}:user\/).+$/;

/** The verdicts as a sorted multiset of (checkId, accountId, region, resourceId, status). */
function verdicts(report: Report, options: { normaliseUsers: boolean }): string[] {
  return report.findings
    .map((f) => {
      const resource = options.normaliseUsers ? f.resourceId.replace(USER_ARN, '$1<user>') : f.resourceId;
      return [f.checkId, f.accountId, f.region, resource, f.status].join(' | ');
    })
    .sort();
}

const orgConfig = (externalId: string) => ({
  accounts: { source: 'organizations' },
  assumeRole: { roleName: 'CustosAudit', externalId },
});

/** Every email address an estate document holds. */
function emailsIn(document: unknown): string[] {
  return [...new Set(JSON.stringify(document).match(/[\w.&+-]+@[\w-]+(\.[\w-]+)+/g) ?? [])];
}

/** Every key anywhere in a JSON document. */
function keysIn(value: unknown, keys = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysIn(item, keys);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      keys.add(key);
      keysIn(inner, keys);
    }
  }
  return keys;
}

describe('custos record', () => {
  it('records an organization so that its replay gives the same verdicts, gaps included', async () => {
    // Prepare
    const original = writeJson('a.json', organizationEstate());
    const config = writeJson('config.json', orgConfig('x-123'));

    // Act
    const recorded = await record(original, config, 'b.json');
    const before = await scan(original, config);
    const after = await scan(recorded.path, config);
    const reports = join(dir, 'reports');
    const replayed = await main([
      'scan',
      '--estate',
      recorded.path,
      '--config',
      config,
      '--out',
      reports,
      '--quiet',
    ]);

    // Assess
    expect(() => parseEstate(recorded.estate, recorded.path)).not.toThrow();
    expect(verdicts(after, { normaliseUsers: false })).toEqual(verdicts(before, { normaliseUsers: false }));
    expect(replayed).toBe(0);
    const latest = readJson(join(reports, 'latest.json'));
    const written: Report = readJson(join(reports, latest.reportKey));
    expect(verdicts(written, { normaliseUsers: false })).toEqual(verdicts(before, { normaliseUsers: false }));
    expect(stdout.join('')).toContain(
      `Recorded 3 accounts, 3 regions, 14 resources and 1 fault to ${recorded.path}`,
    );
    const b = recorded.estate;
    expect(b.organization.managementAccountId).toBe(MANAGEMENT);
    expect(b.organization.accounts).toEqual([
      { Id: MANAGEMENT, Name: 'account-1111', State: 'ACTIVE' },
      { Id: PROD, Name: 'account-2222', State: 'ACTIVE' },
      { Id: LOCKED, Name: 'account-3333', State: 'ACTIVE' },
      { Id: SUSPENDED, Name: 'account-4444', State: 'SUSPENDED' },
    ]);
    expect(Object.keys(b.accounts).sort()).toEqual([MANAGEMENT, PROD, LOCKED]);
    expect(b.accounts[LOCKED]).toEqual({ assumeRole: { roleName: '<not-assumable>' } });
    expect(b.accounts[MANAGEMENT].disabledRegions).toEqual(['ap-east-1']);
    expect(Object.keys(b.accounts[PROD].regions).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(b.accounts[PROD].faults).toEqual([
      { service: 'ec2', region: 'us-east-1', operation: 'DescribeVolumes', error: 'UnauthorizedOperation' },
    ]);
    expect(b.accounts[PROD].regions['us-east-1'].ec2.Volumes).toBeUndefined();
    // The denied collector is an ERROR in the replay too, and the locked account is unreachable.
    const denied = (r: Report) =>
      r.findings.filter(
        (f) => f.checkId === 'ec2.ebs.volume-unencrypted' && f.accountId === PROD && f.region === 'us-east-1',
      );
    expect(denied(after).map((f) => f.status)).toEqual(['ERROR']);
    expect(denied(after)[0]?.evidence).toMatchObject({ code: 'UnauthorizedOperation' });
    expect(after.coverage.accounts.find((a) => a.accountId === LOCKED)?.status).toBe('error');
  });

  it('leaves out tags, emails and real names by default, keeps them on request, and keeps the verdicts', async () => {
    // Prepare
    const document = richEstateDocument();
    const original = writeJson('a.json', document);
    const config = writeJson('config.json', orgConfig('x-123'));
    const realUsers = ['alice', 'ops, \\"night\\" team'];

    // Act
    const minimised = await record(original, config, 'minimised.json');
    const kept = await record(original, config, 'kept.json', ['--keep-identifiers']);
    const before = await scan(original, config);
    const afterMinimised = await scan(minimised.path, config);
    const afterKept = await scan(kept.path, config);

    // Assess: the verdicts
    expect(verdicts(afterMinimised, { normaliseUsers: true })).toEqual(
      verdicts(before, { normaliseUsers: true }),
    );
    expect(verdicts(afterKept, { normaliseUsers: false })).toEqual(
      verdicts(before, { normaliseUsers: false }),
    );
    expect(before.findings.some((f) => USER_ARN.test(f.resourceId))).toBe(true);
    expect(() => parseEstate(minimised.estate, minimised.path)).not.toThrow();
    expect(() => parseEstate(kept.estate, kept.path)).not.toThrow();

    // Assess: what the default recording holds
    const keys = keysIn(minimised.estate);
    expect(keys.has('Tags')).toBe(false);
    expect(keys.has('TagSet')).toBe(false);
    expect(keys.has('DisplayName')).toBe(false);
    expect(emailsIn(document).length).toBeGreaterThan(0);
    for (const email of emailsIn(document)) expect(minimised.text).not.toContain(email);
    for (const user of realUsers) expect(minimised.text).not.toContain(user);
    for (const name of ['"management"', '"prod"', '"sandbox"', '"old"'])
      expect(minimised.text).not.toContain(name);
    expect(minimised.estate.organization.accounts.map((a: Json) => a.Name)).toEqual([
      'account-1111',
      'account-2222',
      'account-3333',
      'account-4444',
      'account-5555',
    ]);
    const iam = minimised.estate.accounts[MANAGEMENT].iam;
    expect(iam.CredentialReport.map((row: Json) => [row.user, row.arn])).toEqual([
      ['<root_account>', `arn:aws:iam::${MANAGEMENT}:root`],
      ['user-001', `arn:aws:iam::${MANAGEMENT}:user/user-001`],
      ['user-002', `arn:aws:iam::${MANAGEMENT}:user/user-002`],
    ]);
    // The same user keeps the same pseudonym in the MFA device list; root keeps its device name.
    const assigned = iam.VirtualMFADevices.filter((d: Json) => d.User !== undefined);
    expect(assigned.map((d: Json) => d.User)).toEqual([
      { Arn: `arn:aws:iam::${MANAGEMENT}:root` },
      { Arn: `arn:aws:iam::${MANAGEMENT}:user/user-001`, UserName: 'user-001', UserId: 'AIDAALICE' },
    ]);
    expect(assigned.map((d: Json) => d.SerialNumber)).toEqual([
      `arn:aws:iam::${MANAGEMENT}:mfa/root-account-mfa-device`,
      `arn:aws:iam::${MANAGEMENT}:mfa/mfa-002`,
    ]);
    // Policies decide verdicts: recorded as collected, Sids included.
    const logs = minimised.estate.accounts[RICH_PROD].s3.Buckets.find((b: Json) => b.Name === 'prod-logs');
    expect(logs.Policy.Statement[0].Sid).toBe('Public');
    expect(stdout.join('')).toContain('--keep-identifiers keeps them');

    // Assess: what --keep-identifiers keeps
    const keptKeys = keysIn(kept.estate);
    expect(keptKeys.has('Tags')).toBe(true);
    expect(keptKeys.has('TagSet')).toBe(true);
    for (const email of ['root@example.com', 'prod@example.com', 'a&b@example.com'])
      expect(kept.text).toContain(email);
    for (const user of realUsers) expect(kept.text).toContain(user);
    expect(kept.estate.organization.accounts.map((a: Json) => a.Name)).toEqual([
      'management',
      'prod',
      'old',
      'sandbox',
      'new',
    ]);
  });

  it('replays the demo estate (or a rich one when the demo is absent) with the same verdicts', async () => {
    // Prepare
    const demo = resolve('examples/demo-estate.json');
    const demoConfig = resolve('examples/demo.config.json');
    const original = existsSync(demo) ? demo : writeJson('a.json', richEstateDocument());
    const config =
      existsSync(demo) && existsSync(demoConfig) ? demoConfig : writeJson('config.json', orgConfig('x-123'));

    // Act
    const recorded = await record(original, config, 'b.json');
    const before = await scan(original, config);
    const after = await scan(recorded.path, config);

    // Assess
    expect(() => parseEstate(recorded.estate, recorded.path)).not.toThrow();
    expect(verdicts(after, { normaliseUsers: true })).toEqual(verdicts(before, { normaliseUsers: true }));
    const statuses = new Set(before.findings.map((f) => f.status));
    expect(statuses).toEqual(new Set(['PASS', 'FAIL', 'ERROR']));
  });

  it('records denied calls of every scope as faults, so the replay reports the same ERRORs', async () => {
    // Prepare
    const bucket = (Name: string, BucketRegion: string) => ({
      Name,
      BucketRegion,
      Policy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Name}/*` },
        ],
      },
    });
    const original = writeJson('a.json', {
      organization: {
        managementAccountId: MANAGEMENT,
        accounts: [
          { Id: MANAGEMENT, Name: 'management', State: 'ACTIVE' },
          { Id: PROD, Name: 'prod', State: 'ACTIVE' },
        ],
      },
      accounts: {
        [MANAGEMENT]: {
          regions: { 'eu-west-1': {}, 'us-east-1': {} },
          s3: { Buckets: [bucket('denied-logs', 'eu-west-1'), bucket('open-assets', 'us-east-1')] },
          iam: { OrganizationsFeatures: ['RootCredentialsManagement'] },
          faults: [
            { service: 's3', region: 'eu-west-1', operation: 'GetBucketPolicy', error: 'AccessDenied' },
            { service: 's3control', operation: 'GetPublicAccessBlock', error: 'AccessDenied' },
            { service: 'iam', operation: 'ListVirtualMFADevices', error: 'AccessDenied' },
            { service: 'iam', operation: 'ListOrganizationsFeatures', error: 'AccessDenied' },
            {
              service: 'ec2',
              region: 'eu-west-1',
              operation: 'GetEbsEncryptionByDefault',
              error: 'OptInRequired',
            },
          ],
        },
        [PROD]: {
          regions: { 'eu-west-1': {} },
          faults: [{ service: 'ec2', operation: 'DescribeRegions', error: 'UnauthorizedOperation' }],
        },
      },
    });
    const config = writeJson('config.json', orgConfig('x-123'));

    // Act
    const recorded = await record(original, config, 'b.json');
    const before = await scan(original, config);
    const after = await scan(recorded.path, config);

    // Assess
    expect(verdicts(after, { normaliseUsers: true })).toEqual(verdicts(before, { normaliseUsers: true }));
    const management = recorded.estate.accounts[MANAGEMENT];
    expect(management.faults).toEqual(
      expect.arrayContaining([
        {
          service: 'ec2',
          region: 'eu-west-1',
          operation: 'GetEbsEncryptionByDefault',
          error: 'OptInRequired',
        },
        { service: 'iam', operation: 'ListVirtualMFADevices', error: 'AccessDenied' },
        { service: 's3control', operation: 'GetPublicAccessBlock', error: 'AccessDenied' },
        { service: 's3', region: 'eu-west-1', operation: 'GetBucketPolicy', error: 'AccessDenied' },
        { service: 'iam', operation: 'ListOrganizationsFeatures', error: 'AccessDenied' },
      ]),
    );
    expect(management.faults).toHaveLength(5);
    expect(recorded.estate.accounts[PROD]).toEqual({
      faults: [{ service: 'ec2', operation: 'DescribeRegions', error: 'UnauthorizedOperation' }],
    });
    // The bucket whose policy could not be read is not assessed; the other one is.
    const bucketVerdict = (r: Report, name: string) =>
      r.findings.find(
        (f) => f.checkId === 's3.bucket.secure-transport' && f.resourceId.endsWith(`:::${name}`),
      )?.status;
    expect(bucketVerdict(after, 'denied-logs')).toBe('ERROR');
    expect(bucketVerdict(after, 'open-assets')).toBe('FAIL');
    expect(after.coverage.accounts.find((a) => a.accountId === PROD)?.status).toBe('error');
  });

  it('records a stand-alone account and a list of accounts with the caller as the default caller', async () => {
    // Prepare
    const original = writeJson('a.json', richEstateDocument());
    const self = writeJson('self.json', {});
    const list = writeJson('list.json', {
      accounts: { source: 'list', ids: [RICH_PROD] },
      assumeRole: { roleName: 'CustosAudit', externalId: 'x-123' },
    });

    // Act
    const alone = await record(original, self, 'self-estate.json');
    const listed = await record(original, list, 'list-estate.json');

    // Assess
    expect(Object.keys(alone.estate.accounts)).toEqual([MANAGEMENT]);
    // ListOrganizationsFeatures answered, which it does only in a management account.
    expect(alone.estate.organization).toEqual({ managementAccountId: MANAGEMENT, accounts: [] });
    expect(Object.keys(listed.estate.accounts)).toEqual([MANAGEMENT, RICH_PROD]);
    expect(listed.estate.accounts[MANAGEMENT]).toEqual({
      iam: { OrganizationsFeatures: ['RootCredentialsManagement', 'RootSessions'] },
    });
    for (const [estate, config] of [
      [alone.path, self],
      [listed.path, list],
    ] as const) {
      const before = await scan(original, config);
      const after = await scan(estate, config);
      expect(verdicts(after, { normaliseUsers: true })).toEqual(verdicts(before, { normaliseUsers: true }));
    }
  });

  it('records only what the checks named by --checks read', async () => {
    // Prepare
    const original = writeJson('a.json', richEstateDocument());
    const config = writeJson('config.json', orgConfig('x-123'));
    // Act
    const recorded = await record(original, config, 'b.json', ['--checks', 'ec2.ebs.*']);
    const before = await scan(original, config, 'ec2.ebs.*');
    const after = await scan(recorded.path, config, 'ec2.ebs.*');

    // Assess
    expect(verdicts(after, { normaliseUsers: false })).toEqual(verdicts(before, { normaliseUsers: false }));
    const prod = recorded.estate.accounts[RICH_PROD];
    expect(prod.iam).toBeUndefined();
    expect(prod.s3).toBeUndefined();
    expect(Object.keys(prod.regions['eu-west-1'].ec2).sort()).toEqual([
      'EbsEncryptionByDefault',
      'SnapshotBlockPublicAccessState',
      'Snapshots',
      'Volumes',
    ]);
    const snapshots = prod.regions['eu-west-1'].ec2.Snapshots;
    expect(snapshots.map((s: Json) => s.CreateVolumePermissions)).toEqual([
      [{ Group: 'all' }],
      [],
      [],
      [{ Group: 'all' }],
      [],
      [{ Group: 'all' }],
    ]);
  });

  it('writes YAML for a .yaml name and replaces an earlier recording whole, leaving no temporary file', async () => {
    // Prepare
    const original = writeJson('a.json', organizationEstate());
    const config = writeJson('config.json', orgConfig('x-123'));
    const out = join(dir, 'out', 'estate.yaml');

    // Act
    const first = await main(['record', '--estate', original, '--config', config, '--out', out, '--quiet']);
    const second = await main(['record', '--estate', original, '--config', config, '--out', out, '--quiet']);
    const before = await scan(original, config);
    const after = await scan(out, config);

    // Assess
    expect([first, second]).toEqual([0, 0]);
    expect(readdirSync(join(dir, 'out'))).toEqual(['estate.yaml']);
    expect(readFileSync(out, 'utf8')).toMatch(/^organization:\n {2}managementAccountId: "?111111111111"?\n/);
    expect(verdicts(after, { normaliseUsers: false })).toEqual(verdicts(before, { normaliseUsers: false }));
    expect(stdout.join('')).toBe('');
  });

  it('exits 2 for bad usage before scanning, and writes nothing', async () => {
    // Prepare
    const original = writeJson('a.json', organizationEstate());
    mkdirSync(join(dir, 'folder'));

    // Act
    const noOut = await main(['record', '--estate', original]);
    const folder = await main(['record', '--estate', original, '--out', join(dir, 'folder')]);
    const badChecks = await main([
      'record',
      '--estate',
      original,
      '--checks',
      'ec2.typo',
      '--out',
      join(dir, 'b.json'),
    ]);

    // Assess
    expect([noOut, folder, badChecks]).toEqual([2, 2, 2]);
    const errors = stderr.join('');
    expect(errors).toContain("required option '--out <file>' not specified");
    expect(errors).toContain('is a folder; expected the estate file to write');
    expect(errors).toContain('"ec2.typo" matches no check');
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'folder']);
  });

  it('says in --help what a recording leaves out', async () => {
    const code = await main(['record', '--help']);
    expect(code).toBe(0);
    const help = stdout.join('');
    expect(help).toContain('--keep-identifiers');
    expect(help).toContain('every Tags and TagSet list is dropped');
    expect(help).toContain('user-001');
    expect(help).toContain('account-<last 4 digits of the id>');
  });

  it('names an AWS call the simulator can fail for every collector', () => {
    for (const id of Object.keys(COLLECTORS) as CollectorId[]) {
      const call = collectorCall(id);
      expect(FAULT_SERVICES).toContain(call.service);
      expect(call.operation).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    }
  });
});

describe('buildEstate', () => {
  const plan: ScanPlan = {
    runId: 'run-1',
    startedAt: '2026-11-25T12:00:00.000Z',
    asOf: '2026-11-25T12:00:00.000Z',
    callerAccountId: MANAGEMENT,
    scope: { accounts: [MANAGEMENT], regions: 'all', checks: [] },
    checkIds: [],
    checksNotRun: [],
    accounts: [{ accountId: MANAGEMENT, status: 'scanned' }],
    targets: [],
    skippedTargets: [],
    organizationResults: {},
  };
  const denied: CollectorError = { kind: 'access-denied', code: 'AccessDenied', message: 'denied' };
  const shard = (region: string, results: InventoryResults): TargetShard => ({
    target: { accountId: MANAGEMENT, region },
    coverage: { accountId: MANAGEMENT, region, status: 'scanned', collectors: {} },
    findings: [],
    inventory: { target: { accountId: MANAGEMENT, region }, collectedAt: plan.asOf, results },
  });
  const build = (...shards: TargetShard[]) =>
    buildEstate({ plan, shards, accountSource: 'self', keepIdentifiers: false });

  it('scopes a bucket failure to the bucket region and warns about the buckets it also covers', () => {
    const { estate, warnings } = build(
      shard('global', {
        's3.bucketList': {
          ok: true,
          data: [
            { Name: 'a-bucket', BucketRegion: 'eu-west-1' },
            { Name: 'b-bucket', BucketRegion: 'eu-west-1' },
            { Name: 'c-bucket', BucketRegion: 'us-east-1' },
          ],
        },
        's3.bucketPolicies': {
          ok: true,
          data: {
            'a-bucket': { ok: false, error: denied },
            'b-bucket': { ok: true, value: null },
            'c-bucket': { ok: true, value: { Statement: [] } },
          },
        },
      }),
    );
    const account = estate.accounts[MANAGEMENT];
    expect(account?.faults).toEqual([
      { service: 's3', region: 'eu-west-1', operation: 'GetBucketPolicy', error: 'AccessDenied' },
    ]);
    expect(account?.s3?.Buckets?.map((b) => [b.Name, b.Policy])).toEqual([
      ['a-bucket', undefined],
      ['b-bucket', null],
      ['c-bucket', { Statement: [] }],
    ]);
    expect(warnings).toEqual([expect.stringContaining('also reports ERROR for b-bucket')]);
  });

  it('leaves out faults a replay repeats by itself, and records values an estate cannot hold as faults', () => {
    const { estate, warnings } = build(
      shard('global', {
        's3.bucketList': { ok: false, error: denied },
        's3.bucketPolicies': {
          ok: false,
          error: { kind: 'invalid-data', code: 'InvalidData', message: 'no bucket list' },
        },
      }),
      shard('eu-west-1', {
        'ec2.securityGroups': { ok: true, data: [] },
        'ec2.prefixLists': {
          ok: false,
          error: { kind: 'bug', code: 'InvalidPrefixListID.NotFound', message: 'not found' },
        },
        'ec2.snapshotBlockPublicAccess': { ok: true, data: 'block-everything' },
      }),
    );
    expect(estate.accounts[MANAGEMENT]?.faults).toEqual([
      {
        service: 'ec2',
        region: 'eu-west-1',
        operation: 'GetSnapshotBlockPublicAccessState',
        error: 'InternalError',
      },
      { service: 's3', operation: 'ListBuckets', error: 'AccessDenied' },
    ]);
    expect(estate.accounts[MANAGEMENT]?.regions?.['eu-west-1']).toEqual({ ec2: { SecurityGroups: [] } });
    expect(warnings).toEqual([expect.stringContaining('"block-everything" is not one an estate can hold')]);
  });
});
