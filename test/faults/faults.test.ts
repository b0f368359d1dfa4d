/**
 * The fault campaign: the demo organization scanned under one fault at a time (5xx errors,
 * throttling, slow answers past the client timeout, a denied region, an account without the
 * audit role, sessions expiring mid-scan), each compared resource by resource with a fault-free
 * scan. The run must complete, hide nothing behind a PASS, and leave untouched resources as
 * they were. `npm run test:faults` prints one table line per fault.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_SERVICES, parseEstate } from '../../sim/estate.js';
import { startSimulator } from '../../sim/server.js';
import {
  type Comparison,
  compare,
  DEV,
  demoEstate,
  type FaultScan,
  formatTable,
  MANAGEMENT,
  PROD,
  type ScanSetup,
  scanWithFaults,
  type TableRow,
  tableRow,
} from './campaign.js';

const RAW_ESTATE = fileURLToPath(new URL('../../examples/demo-estate.json', import.meta.url));

interface RawAccount {
  faults?: unknown[];
  assumeRole?: { roleName: string; externalId?: string };
}

/** The demo estate with `change` applied to its raw JSON. */
function estateWith(change: (accounts: Record<string, RawAccount>) => void) {
  const raw = JSON.parse(readFileSync(RAW_ESTATE, 'utf8')) as { accounts: Record<string, RawAccount> };
  change(raw.accounts);
  return parseEstate(raw, 'demo estate with a fault');
}

const rows: TableRow[] = [];
let baseline: FaultScan;

beforeAll(async () => {
  baseline = await scanWithFaults();
  rows.push(tableRow('none (baseline)', baseline));
});

afterAll(() => {
  if (rows.length > 0) console.log(`\nfault campaign on the demo organization\n${formatTable(rows)}\n`);
});

/** Runs the faulted scan, records its table line and checks the campaign's rules. */
async function campaign(
  fault: string,
  setup: ScanSetup,
): Promise<{ scan: FaultScan; comparison: Comparison }> {
  const scan = await scanWithFaults(setup);
  const comparison = compare(baseline.run.report, scan.run.report);
  rows.push(tableRow(fault, scan, comparison));
  expect(comparison.falsePasses, 'false PASSes').toEqual([]);
  expect(comparison.changedUntouched, 'untouched resources that changed').toEqual([]);
  expect(comparison.hiddenNotError, 'hidden resources that are not ERROR').toEqual([]);
  expect(comparison.unexpected, 'findings the baseline does not have').toEqual([]);
  return { scan, comparison };
}

describe('the fault campaign on the demo organization', () => {
  it('has a baseline with verdicts for every active account', () => {
    const accounts = new Set(baseline.run.report.findings.map((f) => f.accountId));
    expect([...accounts].sort()).toEqual([MANAGEMENT, PROD, DEV]);
    expect(baseline.run.report.findings.filter((f) => f.status === 'PASS').length).toBeGreaterThan(0);
  });

  it('absorbs 5% InternalError on every operation with retries', async () => {
    const estate = estateWith((accounts) => {
      for (const account of Object.values(accounts)) {
        account.faults = [
          ...(account.faults ?? []),
          ...FAULT_SERVICES.map((service) => ({ service, error: 'InternalError', rate: 0.05 })),
        ];
      }
    });
    const { scan } = await campaign('InternalError 5% on every call', { estate });
    expect(scan.metrics.retries).toBeGreaterThan(0);
  });

  it('rides out throttling bursts on every API', async () => {
    const tiny = { burst: 3, perSecond: 30 };
    const { scan } = await campaign('token buckets of 3 on every API', {
      sim: { throttle: { rates: { ec2: tiny, ec2Unpaginated: tiny, iam: tiny, sts: tiny, s3: tiny } } },
    });
    expect(Object.values(scan.throttled).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(scan.metrics.retries).toBeGreaterThan(0);
  });

  it('retries answers slower than the client timeout', async () => {
    const { scan } = await campaign('answers past a 250 ms timeout', {
      sim: { latency: { medianMs: 40, sigma: 1, maxMs: 2_000 } },
      requestTimeoutMs: 250,
    });
    expect(scan.metrics.retries).toBeGreaterThan(0);
  });

  it('turns a denied region into ERROR for exactly its EC2 resources', async () => {
    const estate = estateWith((accounts) => {
      const prod = accounts[PROD];
      if (prod === undefined) throw new Error('the demo has no prod account');
      prod.faults = [
        ...(prod.faults ?? []),
        { service: 'ec2', region: 'eu-west-1', error: 'UnauthorizedOperation' },
      ];
    });
    const { comparison } = await campaign('ec2 denied in prod eu-west-1', { estate });
    expect(comparison.hidden).toBeGreaterThan(0);
    expect(comparison.targetsAffected).toBeGreaterThan(0);
  });

  it('turns an account without the audit role into ERROR for every check there', async () => {
    const estate = estateWith((accounts) => {
      const dev = accounts[DEV];
      if (dev === undefined) throw new Error('the demo has no dev account');
      dev.assumeRole = { roleName: 'SomeOtherRole', externalId: 'custos-demo' };
    });
    const { scan, comparison } = await campaign('no audit role in dev', { estate });
    const assessedBefore = baseline.run.report.findings.filter(
      (f) => f.accountId === DEV && f.status !== 'ERROR',
    );
    expect(comparison.hidden).toBe(assessedBefore.length);
    expect(scan.run.report.coverage.accounts.find((a) => a.accountId === DEV)?.status).toBe('error');
  });

  it('renews sessions that expire mid-scan and keeps every verdict', async () => {
    // Answers of 40 ms stretch the scan over several renewals. The SDK fixes a command's
    // credentials before the command waits for its rate-limit token (an S3 queue waits about
    // a second), so the margin must outlast that wait, or a token lapses in the queue.
    const { scan, comparison } = await campaign('sessions expire every 2.3 s', {
      sim: { sessionTtlMs: 2_300, latency: { medianMs: 40, sigma: 0 } },
      refreshMarginMs: 2_000,
    });
    expect(comparison.targetsAffected).toBe(0);
    expect(comparison.hidden).toBe(0);
    const accounts = scan.run.report.coverage.accounts.filter((a) => a.status === 'scanned').length;
    // One session per account would do if none expired: more AssumeRole calls mean renewals.
    expect(scan.callCounts['sts:AssumeRole'] ?? 0).toBeGreaterThan(accounts);
    expect(scan.wallMs).toBeGreaterThan(500);
  });
});

describe('the simulator enforces session expiry', () => {
  it('refuses a call signed with an expired session as AWS does', async () => {
    const sim = await startSimulator(demoEstate(), { sessionTtlMs: 300 });
    const caller = new STSClient({
      region: 'us-east-1',
      endpoint: sim.endpoint,
      credentials: sim.credentials,
    });
    try {
      const answer = await caller.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${PROD}:role/CustosAudit`,
          RoleSessionName: 'expiry-test',
          ExternalId: 'custos-demo',
        }),
      );
      const c = answer.Credentials;
      expect(c?.Expiration?.getTime()).toBeLessThanOrEqual(Date.now() + 300);
      const session = new STSClient({
        region: 'us-east-1',
        endpoint: sim.endpoint,
        maxAttempts: 1,
        credentials: {
          accessKeyId: c?.AccessKeyId ?? '',
          secretAccessKey: c?.SecretAccessKey ?? '',
          sessionToken: c?.SessionToken ?? '',
        },
      });
      try {
        const who = await session.send(new GetCallerIdentityCommand({}));
        expect(who.Account).toBe(PROD);
        await new Promise((resolve) => setTimeout(resolve, 350));
        await expect(session.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
          name: 'ExpiredToken',
          $metadata: { httpStatusCode: 403 },
        });
      } finally {
        session.destroy();
      }
    } finally {
      caller.destroy();
      await sim.close();
    }
  });
});
