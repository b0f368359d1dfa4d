import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScan, type ScanRun } from '../../core/engine/run.js';
import type { Finding } from '../../core/types.js';
import { type Simulator, startSimulator } from '../../sim/server.js';
import {
  EC2_CHECKS,
  engineContext,
  LOCKED,
  MANAGEMENT,
  organizationEstate,
  PROD,
  SUSPENDED,
} from './fixtures.js';

function findingsOf(run: ScanRun, accountId: string, region?: string): Finding[] {
  return run.report.findings.filter(
    (f) => f.accountId === accountId && (region === undefined || f.region === region),
  );
}

describe('a scan of an organization through the simulator', () => {
  let sim: Simulator;
  let run: ScanRun;

  beforeAll(async () => {
    // Pages of two make every paginated call walk several pages.
    sim = await startSimulator(organizationEstate(), { maxPageSize: 2 });
    const ctx = engineContext(sim);
    try {
      run = await runScan(ctx, 'run-1');
    } finally {
      ctx.sessions.destroy();
    }
  });

  afterAll(async () => {
    await sim?.close();
  });

  it('scans the ACTIVE accounts and records the suspended one as not scanned', () => {
    const accounts = Object.fromEntries(run.report.coverage.accounts.map((a) => [a.accountId, a]));
    expect(accounts[MANAGEMENT]?.status).toBe('scanned');
    expect(accounts[PROD]?.status).toBe('scanned');
    expect(accounts[SUSPENDED]).toMatchObject({ status: 'not-scanned', state: 'SUSPENDED' });
    expect(findingsOf(run, SUSPENDED)).toEqual([]);
  });

  it('scans only enabled regions and records the disabled one in coverage', () => {
    expect(run.plan.targets).toEqual([
      { accountId: MANAGEMENT, region: 'eu-west-1' },
      { accountId: PROD, region: 'eu-west-1' },
      { accountId: PROD, region: 'us-east-1' },
    ]);
    expect(run.report.coverage.targets).toContainEqual({
      accountId: MANAGEMENT,
      region: 'ap-east-1',
      status: 'not-scanned',
      reason: 'region not enabled (not-opted-in)',
      collectors: {},
    });
    expect(findingsOf(run, MANAGEMENT, 'ap-east-1')).toEqual([]);
  });

  it('finds the open and the closed groups across pages', () => {
    const verdicts = Object.fromEntries(
      findingsOf(run, PROD, 'eu-west-1')
        .filter((f) => f.checkId === 'ec2.sg.admin-ports-public')
        .map((f) => [f.resourceId.split('/').pop(), f.status]),
    );
    expect(verdicts).toEqual({
      'sg-00000011': 'FAIL',
      'sg-00000012': 'PASS',
      'sg-00000013': 'PASS',
      'sg-00000014': 'FAIL',
      'sg-00000015': 'PASS',
    });
  });

  it('reports an account whose role cannot be assumed as ERROR for every check, never PASS', () => {
    const locked = findingsOf(run, LOCKED);
    expect(locked.map((f) => f.status)).toEqual(locked.map(() => 'ERROR'));
    expect(locked.map((f) => f.checkId).sort()).toEqual([...EC2_CHECKS].sort());
    expect(locked[0]?.resourceId).toContain(LOCKED);
    expect(locked[0]?.evidence).toMatchObject({ kind: 'access-denied', code: 'AccessDenied' });
    expect(run.report.coverage.accounts.find((a) => a.accountId === LOCKED)).toMatchObject({
      status: 'error',
    });
  });

  it('turns a denied collector into ERROR for exactly the checks that need it', () => {
    const usEast = findingsOf(run, PROD, 'us-east-1');
    const volumes = usEast.filter((f) => f.checkId === 'ec2.ebs.volume-unencrypted');
    expect(volumes).toHaveLength(1);
    expect(volumes[0]).toMatchObject({
      status: 'ERROR',
      resourceId: `arn:aws:ec2:us-east-1:${PROD}:*`,
      evidence: { source: 'ec2.volumes', kind: 'access-denied', code: 'UnauthorizedOperation' },
    });
    // The other checks in the same region still assess their resources.
    expect(usEast.filter((f) => f.checkId === 'ec2.sg.admin-ports-public').map((f) => f.status)).toEqual([
      'PASS',
    ]);
    expect(usEast.filter((f) => f.checkId === 'ec2.ebs.default-encryption').map((f) => f.status)).toEqual([
      'PASS',
    ]);
    const coverage = run.report.coverage.targets.find(
      (t) => t.accountId === PROD && t.region === 'us-east-1',
    );
    expect(coverage?.status).toBe('error');
    expect(coverage?.collectors['ec2.volumes']).toMatchObject({
      ok: false,
      error: { kind: 'access-denied' },
    });
  });

  it('summarises the run and marks it incomplete', () => {
    const { summary } = run.report;
    expect(summary.incomplete).toBe(true);
    expect(summary.findings.FAIL).toBe(run.report.findings.filter((f) => f.status === 'FAIL').length);
    expect(summary.accounts).toEqual({ total: 4, scanned: 2, notScanned: 1, errored: 1 });
    expect(run.report).toMatchObject({ runId: 'run-1', schemaVersion: 1, toolVersion: '0.0.0-test' });
    expect(run.report.scope.checks).toEqual(EC2_CHECKS);
  });

  it('gives every finding the fields a report promises and a unique fingerprint', () => {
    const fingerprints = new Set(run.report.findings.map((f) => f.fingerprint));
    expect(fingerprints.size).toBe(run.report.findings.length);
    for (const f of run.report.findings) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining([
          'checkId',
          'status',
          'severity',
          'accountId',
          'region',
          'resourceType',
          'resourceId',
          'title',
          'evidence',
          'remediation',
          'frameworks',
          'fingerprint',
        ]),
      );
    }
  });

  it('fetches no resource twice: one paginated walk per list API and target', () => {
    const walks = new Map<string, number>();
    for (const call of sim.calls()) {
      if (call.service !== 'ec2' || call.operation === 'DescribeRegions') continue;
      // A walk starts with a call that carries no NextToken.
      if (call.params.NextToken !== undefined) continue;
      const key = `${call.accountId}/${call.region}/${call.operation}`;
      walks.set(key, (walks.get(key) ?? 0) + 1);
    }
    for (const [key, count] of walks) expect(count, key).toBe(1);
    expect(walks.get(`${PROD}/eu-west-1/DescribeSecurityGroups`)).toBe(1);
  });

  it('assumes the audit role once per account, with the ExternalId and a session name carrying the run id', () => {
    const assumes = sim.calls().filter((c) => c.operation === 'AssumeRole');
    const byAccount = new Map<string, number>();
    for (const call of assumes) {
      const arn = String(call.params.RoleArn);
      byAccount.set(arn, (byAccount.get(arn) ?? 0) + 1);
      expect(call.params.RoleSessionName).toBe('custos-run-1');
    }
    expect(byAccount.get(`arn:aws:iam::${PROD}:role/CustosAudit`)).toBe(1);
    expect(assumes.find((c) => String(c.params.RoleArn).includes(PROD))?.params.ExternalId).toBe('x-123');
  });
});

describe('scan scope from config', () => {
  it('scans a configured region list and reports requested regions that are not enabled', async () => {
    // Prepare
    const sim = await startSimulator(organizationEstate());
    const ctx = engineContext(sim, {
      regions: ['eu-west-1', 'ap-east-1'],
      accounts: { source: 'list', ids: [MANAGEMENT] },
    });

    // Act
    const run = await runScan(ctx, 'run-2').finally(async () => {
      ctx.sessions.destroy();
      await sim.close();
    });

    // Assess
    expect(run.plan.targets).toEqual([{ accountId: MANAGEMENT, region: 'eu-west-1' }]);
    expect(run.report.coverage.targets.find((t) => t.region === 'ap-east-1')?.status).toBe('not-scanned');
    expect(run.report.findings.every((f) => f.accountId === MANAGEMENT)).toBe(true);
  });
});

describe('accounts without a role to enter them', () => {
  it("never reports the caller's own resources as another account's", async () => {
    // Prepare
    const sim = await startSimulator(organizationEstate());
    const ctx = engineContext(sim, { accounts: { source: 'list', ids: [MANAGEMENT, PROD] } });
    const noRole = { ...ctx, config: { ...ctx.config, assumeRole: undefined } };

    // Act
    const run = await runScan(noRole, 'run-3').finally(async () => {
      ctx.sessions.destroy();
      await sim.close();
    });

    // Assess
    expect(run.report.coverage.accounts.find((a) => a.accountId === PROD)).toMatchObject({
      status: 'error',
      error: { code: 'NoAuditRole' },
    });
    expect(findingsOf(run, PROD).every((f) => f.status === 'ERROR')).toBe(true);
    expect(findingsOf(run, MANAGEMENT).some((f) => f.status === 'FAIL')).toBe(true);
  });
});
