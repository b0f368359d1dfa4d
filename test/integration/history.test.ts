/**
 * Run history across scans, through the CLI: three scans of the organization fixture into one
 * report store, with the estate changed in between. Run 2 fixes one open security group, opens
 * another, and loses the volume collector in one region; run 3 opens the fixed group again,
 * fixes the other one, and gets the volume collector back.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';
import type { Finding, Report } from '../../core/types.js';
import { EC2_CHECKS, MANAGEMENT, organizationEstate, PROD } from './fixtures.js';

const EU = 'eu-west-1';
const SG_CHECK = 'ec2.sg.admin-ports-public';
const VOLUME_CHECK = 'ec2.ebs.volume-unencrypted';
const DEFAULT_ENCRYPTION_CHECK = 'ec2.ebs.default-encryption';

const sg = (account: string, id: string) => `arn:aws:ec2:${EU}:${account}:security-group/${id}`;
const volume = (id: string) => `arn:aws:ec2:${EU}:${PROD}:volume/${id}`;
const defaultEncryption = `arn:aws:ec2:${EU}:${PROD}:ebs-default-encryption`;

type EstateDocument = ReturnType<typeof estateDocument>;

function estateDocument() {
  return JSON.parse(JSON.stringify(organizationEstate())) as {
    accounts: Record<
      string,
      {
        regions: Record<
          string,
          { ec2: { SecurityGroups: Array<{ GroupId: string; IpPermissions: unknown[] }> } }
        >;
        faults?: Array<Record<string, string>>;
      }
    >;
  };
}

const OPEN_SSH = [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
const PRIVATE_HTTPS = [
  { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
];

function setIngress(estate: EstateDocument, groupId: string, rules: unknown[]): void {
  const group = estate.accounts[PROD]!.regions[EU]!.ec2.SecurityGroups.find((g) => g.GroupId === groupId);
  if (group === undefined) throw new Error(`no group ${groupId} in the fixture`);
  group.IpPermissions = rules;
}

const VOLUMES_DENIED_IN_EU = {
  service: 'ec2',
  region: EU,
  operation: 'DescribeVolumes',
  error: 'UnauthorizedOperation',
};

let dir: string;
let reports: Report[];

async function scan(estate: EstateDocument): Promise<Report> {
  const estateFile = join(dir, 'estate.json');
  writeFileSync(estateFile, JSON.stringify(estate));
  const code = await main([
    'scan',
    '--estate',
    estateFile,
    '--config',
    join(dir, 'config.json'),
    '--out',
    join(dir, 'store'),
    '--quiet',
  ]);
  expect(code).toBe(0);
  const latest = JSON.parse(readFileSync(join(dir, 'store', 'latest.json'), 'utf8'));
  return JSON.parse(readFileSync(join(dir, 'store', latest.reportKey), 'utf8')) as Report;
}

function failing(report: Report, checkId: string, resourceId: string): Finding {
  const found = report.findings.find(
    (f) => f.checkId === checkId && f.resourceId === resourceId && f.status === 'FAIL',
  );
  if (found === undefined) throw new Error(`${checkId} does not fail on ${resourceId} in ${report.runId}`);
  return found;
}

const ref = (checkId: string, resourceId: string) => expect.objectContaining({ checkId, resourceId });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custos-history-'));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      accounts: { source: 'organizations' },
      assumeRole: { roleName: 'CustosAudit', externalId: 'x-123' },
      checks: { include: EC2_CHECKS },
    }),
  );

  const estate = estateDocument();
  const first = await scan(estate);

  // Run 2: sg-00000011 fixed, sg-00000012 opened, DescribeVolumes denied in PROD's eu-west-1.
  setIngress(estate, 'sg-00000011', PRIVATE_HTTPS);
  setIngress(estate, 'sg-00000012', OPEN_SSH);
  estate.accounts[PROD]!.faults = [...(estate.accounts[PROD]!.faults ?? []), VOLUMES_DENIED_IN_EU];
  const second = await scan(estate);

  // Run 3: sg-00000011 open again, sg-00000012 fixed again, the volumes readable again.
  setIngress(estate, 'sg-00000011', OPEN_SSH);
  setIngress(estate, 'sg-00000012', PRIVATE_HTTPS);
  estate.accounts[PROD]!.faults = estate.accounts[PROD]!.faults.filter((f) => f.region !== EU);
  const third = await scan(estate);

  reports = [first, second, third];
});

afterAll(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('run history across three scans', () => {
  it('classifies every failure of the first run as new, first seen then', () => {
    const [first] = reports;
    expect(first!.changes).toEqual({
      previousRunId: null,
      new: 6,
      persisting: 0,
      regressed: 0,
      resolved: [],
      notAssessed: [],
    });
    for (const f of first!.findings.filter((f) => f.status === 'FAIL')) {
      expect(f.history).toEqual({ state: 'new', firstSeen: first!.asOf });
    }
  });

  it('second run: a new open group, persisting failures, a resolved group, and volumes not assessed', () => {
    const [first, second] = reports;
    expect(second!.changes).toMatchObject({
      previousRunId: first!.runId,
      new: 1,
      persisting: 3,
      regressed: 0,
    });
    expect(failing(second!, SG_CHECK, sg(PROD, 'sg-00000012')).history).toEqual({
      state: 'new',
      firstSeen: second!.asOf,
    });
    for (const [checkId, resourceId] of [
      [SG_CHECK, sg(MANAGEMENT, 'sg-00000001')],
      [SG_CHECK, sg(PROD, 'sg-00000014')],
      [DEFAULT_ENCRYPTION_CHECK, defaultEncryption],
    ] as const) {
      expect(failing(second!, checkId, resourceId).history).toEqual({
        state: 'persisting',
        firstSeen: first!.asOf,
      });
    }
    expect(second!.changes?.resolved).toEqual([
      expect.objectContaining({
        checkId: SG_CHECK,
        accountId: PROD,
        resourceId: sg(PROD, 'sg-00000011'),
        firstSeen: first!.asOf,
        how: 'passes',
      }),
    ]);
  });

  it('does not resolve the findings of a collector that errored: they are not assessed since the last run that saw them', () => {
    const [first, second] = reports;
    expect(
      second!.findings.filter((f) => f.checkId === VOLUME_CHECK && f.accountId === PROD && f.region === EU),
    ).toEqual([expect.objectContaining({ status: 'ERROR', resourceId: `arn:aws:ec2:${EU}:${PROD}:*` })]);
    expect(second!.changes?.notAssessed).toEqual([
      expect.objectContaining({
        checkId: VOLUME_CHECK,
        resourceId: volume('vol-00000011'),
        previousState: 'new',
        firstSeen: first!.asOf,
        notAssessedSince: first!.runId,
      }),
      expect.objectContaining({
        checkId: VOLUME_CHECK,
        resourceId: volume('vol-00000014'),
        previousState: 'new',
        firstSeen: first!.asOf,
        notAssessedSince: first!.runId,
      }),
    ]);
    expect(second!.changes?.resolved).not.toContainEqual(ref(VOLUME_CHECK, volume('vol-00000011')));
  });

  it('third run: the group opened again has regressed with its original first-seen date', () => {
    const [first, second, third] = reports;
    expect(third!.changes).toMatchObject({
      previousRunId: second!.runId,
      new: 0,
      persisting: 5,
      regressed: 1,
      notAssessed: [],
    });
    expect(failing(third!, SG_CHECK, sg(PROD, 'sg-00000011')).history).toEqual({
      state: 'regressed',
      firstSeen: first!.asOf,
    });
    expect(failing(third!, SG_CHECK, sg(PROD, 'sg-00000011')).fingerprint).toBe(
      failing(first!, SG_CHECK, sg(PROD, 'sg-00000011')).fingerprint,
    );
    expect(third!.changes?.resolved).toEqual([
      expect.objectContaining({
        resourceId: sg(PROD, 'sg-00000012'),
        firstSeen: second!.asOf,
        how: 'passes',
      }),
    ]);
  });

  it('third run: the volumes assessed again still fail from their first run, not as new', () => {
    const [first, , third] = reports;
    for (const id of ['vol-00000011', 'vol-00000014']) {
      expect(failing(third!, VOLUME_CHECK, volume(id)).history).toEqual({
        state: 'persisting',
        firstSeen: first!.asOf,
      });
    }
  });
});
