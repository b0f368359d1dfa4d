/**
 * AWS Config as the inventory source gives the same verdicts as the services' APIs, with far
 * fewer calls, and falls back to the APIs wherever Config does not record what a check needs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEstateDocument, REFERENCE_TIME, ROLE_NAME } from '../../bench/generate.js';
import { historyChecks } from '../../checks/history/index.js';
import { ALL_CHECKS } from '../../checks/registry.js';
import { resolveConfig } from '../../core/config/load.js';
import type { EngineContext, TargetShard } from '../../core/engine/context.js';
import { plan } from '../../core/engine/plan.js';
import { scanAll } from '../../core/engine/run.js';
import { scanTarget } from '../../core/engine/scan-target.js';
import { AwsClients, CallMetrics } from '../../inventory/clients.js';
import { AccountSessions } from '../../inventory/sessions.js';
import { parseEstate } from '../../sim/estate.js';
import { type Simulator, startSimulator } from '../../sim/server.js';

const SCAN_TIME = new Date(Date.parse(REFERENCE_TIME) + 14 * 86_400_000);
const AGGREGATOR = 'custos-org';

type Inventory =
  | { source: 'api' }
  | { source: 'config' }
  | { source: 'config-aggregator'; aggregatorName: string };

interface Scan {
  readonly verdicts: Map<string, string>;
  readonly shards: readonly TargetShard[];
  readonly calls: Record<string, number>;
}

/**
 * `oneTargetAtATime`: plan, then each target on its own with a Config reader of its own, as the
 * cloud's scanTarget invocations run; otherwise `scanAll`, as the CLI runs.
 */
async function scan(sim: Simulator, inventory: Inventory, oneTargetAtATime = false): Promise<Scan> {
  sim.resetCalls();
  const config = resolveConfig(
    {
      accounts: { source: 'organizations' },
      assumeRole: { roleName: ROLE_NAME },
      regions: 'all',
      inventory,
    },
    'test config',
  );
  const caller = new AwsClients({
    credentials: sim.credentials,
    endpoint: sim.endpoint,
    homeRegion: 'us-east-1',
    maxAttempts: 2,
    metrics: new CallMetrics(),
    rateLimiter: false,
  });
  const sessions = new AccountSessions(caller, config.assumeRole, 'run-1');
  const ctx: EngineContext = {
    config,
    registry: ALL_CHECKS,
    historyRegistry: historyChecks,
    sessions,
    homeRegion: 'us-east-1',
    toolVersion: '0.0.0-test',
    now: () => SCAN_TIME,
  };
  try {
    const shards = oneTargetAtATime
      ? await (async () => {
          const scanPlan = await plan(ctx, 'run-1');
          const scanned: TargetShard[] = [];
          for (const target of scanPlan.targets) scanned.push(await scanTarget(ctx, scanPlan, target));
          return scanned;
        })()
      : (await scanAll(ctx, 'run-1')).shards;
    const verdicts = new Map<string, string>();
    for (const finding of shards.flatMap((s) => s.findings)) {
      verdicts.set(
        `${finding.checkId} ${finding.accountId} ${finding.region} ${finding.resourceId}`,
        finding.status,
      );
    }
    return { verdicts, shards, calls: sim.callCounts() };
  } finally {
    sessions.destroy();
    caller.destroy();
  }
}

const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

function differences(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).map((k) => `${k}: ${a.get(k)} vs ${b.get(k)}`);
}

function estateDocument(): Record<string, unknown> {
  return generateEstateDocument({
    accounts: 3,
    regions: 2,
    bucketsPerAccount: 30,
    usersPerAccount: 5,
    config: true,
  }) as Record<string, unknown>;
}

describe('inventory from AWS Config', () => {
  let sim: Simulator;
  let api: Scan;

  beforeAll(async () => {
    sim = await startSimulator(parseEstate(estateDocument(), 'generated estate'));
    api = await scan(sim, { source: 'api' });
  });

  afterAll(async () => {
    await sim.close();
  });

  it.each([
    { source: 'config' } as const,
    { source: 'config-aggregator', aggregatorName: AGGREGATOR } as const,
  ])('$source gives the verdicts the APIs give, with fewer calls', async (inventory) => {
    // Act
    const fromConfig = await scan(sim, inventory);

    // Assess
    expect(api.verdicts.size).toBeGreaterThan(1000);
    expect(differences(api.verdicts, fromConfig.verdicts)).toEqual([]);
    expect([...api.verdicts.values()].filter((s) => s === 'FAIL').length).toBeGreaterThan(50);
    expect(total(fromConfig.calls)).toBeLessThan(total(api.calls) / 3);
    expect(fromConfig.calls['ec2:DescribeSecurityGroups'] ?? 0).toBe(0);
    expect(fromConfig.calls['s3:GetBucketPolicy'] ?? 0).toBe(0);
    expect(fromConfig.calls['s3:GetBucketAcl'] ?? 0).toBe(0);
  });

  it('gives the same verdicts one target at a time, as the cloud scans, asking Config per target', async () => {
    // Act
    const perTarget = await scan(sim, { source: 'config-aggregator', aggregatorName: AGGREGATOR }, true);

    // Assess
    expect(differences(api.verdicts, perTarget.verdicts)).toEqual([]);
    expect(perTarget.calls['ec2:DescribeSecurityGroups'] ?? 0).toBe(0);
    // One query per regional target, and one for the recorders of the buckets' regions.
    const targets = perTarget.shards.length;
    expect(perTarget.calls['config:SelectAggregateResourceConfig']).toBeLessThanOrEqual(targets * 3);
  });

  it('says in coverage which source answered and how old its items are', async () => {
    // Act
    const { shards } = await scan(sim, { source: 'config-aggregator', aggregatorName: AGGREGATOR });

    // Assess
    const regional = shards.find((s) => s.target.region !== 'global');
    expect(regional?.coverage.collectors['ec2.securityGroups']?.source).toMatchObject({
      source: 'config-aggregator',
      recordingFrequency: ['CONTINUOUS'],
      oldestCapture: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // What Config does not record says so.
    expect(regional?.coverage.collectors['ec2.ebsEncryptionByDefault']?.source).toBeUndefined();
    const global = shards.find((s) => s.target.region === 'global');
    expect(global?.coverage.collectors['s3.bucketOwnershipControls']?.source).toMatchObject({
      source: 'api',
      fallback: 'AWS Config does not record Object Ownership',
    });
  });

  it('reads from the APIs where a recorder does not record, with the same verdicts', async () => {
    // Arrange: no recorder in one account's first region, and a recorder that skips volumes.
    const document = estateDocument();
    const accounts = document.accounts as Record<string, { config: { recorders: Record<string, unknown> } }>;
    const [first, second] = Object.values(accounts);
    const firstRegion = Object.keys(first!.config.recorders)[0]!;
    delete first!.config.recorders[firstRegion];
    const secondRegion = Object.keys(second!.config.recorders)[0]!;
    second!.config.recorders[secondRegion] = {
      ...(second!.config.recorders[secondRegion] as object),
      allSupported: false,
      resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::S3::Bucket'],
    };
    const partial = await startSimulator(parseEstate(document, 'partly recorded estate'));
    try {
      // Act
      const fromConfig = await scan(partial, { source: 'config-aggregator', aggregatorName: AGGREGATOR });

      // Assess
      expect(differences(api.verdicts, fromConfig.verdicts)).toEqual([]);
      const volumes = fromConfig.shards
        .filter((s) => s.target.region === secondRegion)
        .map((s) => s.coverage.collectors['ec2.volumes']?.source);
      expect(volumes).toContainEqual(
        expect.objectContaining({
          source: 'api',
          fallback: expect.stringMatching(/does not record AWS::EC2::Volume/),
        }),
      );
      expect(fromConfig.calls['ec2:DescribeVolumes']).toBeGreaterThanOrEqual(1);
      expect(fromConfig.calls['ec2:DescribeSecurityGroups']).toBeGreaterThanOrEqual(1);
    } finally {
      await partial.close();
    }
  });

  it('reads from the APIs when the aggregator does not exist, and says why', async () => {
    // Act
    const fromConfig = await scan(sim, { source: 'config-aggregator', aggregatorName: 'no-such-aggregator' });

    // Assess
    expect(differences(api.verdicts, fromConfig.verdicts)).toEqual([]);
    const regional = fromConfig.shards.find((s) => s.target.region !== 'global');
    expect(regional?.coverage.collectors['ec2.securityGroups']?.source).toMatchObject({
      source: 'api',
      fallback: expect.stringMatching(/NoSuchConfigurationAggregatorException/),
    });
  });
});
