/**
 * The benchmark's estate generator: the same spec gives the same estate, the estate loads as
 * every estate file does, holds the sizes the benchmark reports, and scans cleanly: every
 * collector answers and no check is left unable to decide.
 */
import { describe, expect, it } from 'vitest';
import {
  accountIdOf,
  countEstate,
  generateEstate,
  generateEstateDocument,
  REFERENCE_TIME,
  ROLE_NAME,
} from '../../bench/generate.js';
import { ALL_CHECKS } from '../../checks/registry.js';
import { resolveConfig } from '../../core/config/load.js';
import { scanAll } from '../../core/engine/run.js';
import { AwsClients } from '../../inventory/clients.js';
import { AccountSessions } from '../../inventory/sessions.js';
import { parseEstate } from '../../sim/estate.js';
import { startSimulator } from '../../sim/server.js';

describe('generateEstateDocument', () => {
  it('gives the same estate for the same spec, and another for another seed', () => {
    const spec = { accounts: 3, regions: 2, seed: 7 };

    const first = generateEstateDocument(spec);
    const again = generateEstateDocument(spec);
    const reseeded = generateEstateDocument({ ...spec, seed: 8 });

    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(JSON.stringify(reseeded)).not.toBe(JSON.stringify(first));
  });

  it("does not change an account's resources when more accounts follow it", () => {
    const small = generateEstateDocument({ accounts: 2, regions: 2 }).accounts as Record<string, unknown>;
    const large = generateEstateDocument({ accounts: 5, regions: 2 }).accounts as Record<string, unknown>;

    expect(large[accountIdOf(1)]).toEqual(small[accountIdOf(1)]);
  });

  it('loads as an estate file, with about 450 EC2 resources per region, 100 buckets and 40 users per account', () => {
    const document = generateEstateDocument({ accounts: 3, regions: 4 });

    const estate = parseEstate(JSON.parse(JSON.stringify(document)), 'generated.json');
    const counts = countEstate(estate);

    expect(counts).toMatchObject({ accounts: 3, regions: 4, buckets: 300, iamUsers: 120 });
    expect(counts.ec2Resources / (3 * 4)).toBeGreaterThanOrEqual(420);
    expect(counts.ec2Resources / (3 * 4)).toBeLessThanOrEqual(480);
    expect(counts.resources).toBe(counts.ec2Resources + counts.buckets + counts.iamUsers);
    expect(estate.organization?.accounts.map((a) => a.Id)).toEqual(Object.keys(estate.accounts));
  });

  it('mixes bucket settings: owner-enforced and legacy ACLs, policies, account and bucket Block Public Access', () => {
    const estate = generateEstate({ accounts: 4, regions: 2 });
    const buckets = Object.values(estate.accounts).flatMap((a) => a.s3.Buckets);
    const share = (keep: (b: (typeof buckets)[number]) => boolean) =>
      buckets.filter(keep).length / buckets.length;

    const enforced = share((b) => b.OwnershipControls?.Rules[0]?.ObjectOwnership === 'BucketOwnerEnforced');
    expect(enforced).toBeGreaterThan(0.5);
    expect(enforced).toBeLessThan(0.8);
    expect(share((b) => b.Policy !== null)).toBeGreaterThan(0.3);
    expect(share((b) => b.PublicAccessBlock === null)).toBeGreaterThan(0.05);
    expect(
      share((b) => b.Acl?.Grants?.some((g) => g.Grantee?.URI?.endsWith('/AllUsers')) === true),
    ).toBeGreaterThan(0);
    expect(new Set(buckets.map((b) => b.Name)).size).toBe(buckets.length);
  });

  it('refuses sizes it cannot generate', () => {
    expect(() => generateEstateDocument({ accounts: 0, regions: 1 })).toThrow(RangeError);
    expect(() => generateEstateDocument({ accounts: 1, regions: 99 })).toThrow(RangeError);
  });
});

describe('a generated estate through the simulator', () => {
  it('is scanned with every collector answering and no check left undecided', async () => {
    // Prepare
    const estate = generateEstate({
      accounts: 2,
      regions: 1,
      seed: 3,
      bucketsPerAccount: 30,
      usersPerAccount: 10,
    });
    const sim = await startSimulator(estate);
    const config = resolveConfig(
      { accounts: { source: 'organizations' }, assumeRole: { roleName: ROLE_NAME }, regions: 'all' },
      'test config',
    );
    const caller = new AwsClients({
      credentials: sim.credentials,
      endpoint: sim.endpoint,
      homeRegion: 'us-east-1',
    });
    const sessions = new AccountSessions(caller, config.assumeRole, 'run-1');
    const asOf = new Date(Date.parse(REFERENCE_TIME) + 14 * 86_400_000);

    try {
      // Act
      const { plan, shards } = await scanAll(
        {
          config,
          registry: ALL_CHECKS,
          sessions,
          homeRegion: 'us-east-1',
          toolVersion: '0',
          now: () => asOf,
        },
        'run-1',
      );

      // Assess
      expect(plan.accounts.map((a) => a.status)).toEqual(['scanned', 'scanned']);
      expect(shards).toHaveLength(4);
      expect(shards.filter((s) => s.coverage.status !== 'scanned')).toEqual([]);
      const findings = shards.flatMap((s) => s.findings);
      expect(findings.filter((f) => f.status === 'ERROR')).toEqual([]);
      expect(findings.some((f) => f.status === 'FAIL')).toBe(true);
    } finally {
      sessions.destroy();
      await sim.close();
    }
  });
});
