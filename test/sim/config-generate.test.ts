/**
 * The benchmark generator's `config` option: recorders in every region of every account and
 * an organization aggregator, which the simulator answers from; without it, the estate is the
 * one the generator always gave.
 */
import { ConfigServiceClient, paginateSelectAggregateResourceConfig } from '@aws-sdk/client-config-service';
import { describe, expect, it } from 'vitest';
import {
  accountIdOf,
  CONFIG_AGGREGATOR_NAME,
  generateEstate,
  generateEstateDocument,
  REFERENCE_TIME,
} from '../../bench/generate.js';
import { startSimulator } from '../../sim/server.js';
import { sdkConfig } from './fixtures.js';

describe('generateEstateDocument with config', () => {
  it('adds recorders and the aggregator, and changes nothing else', () => {
    const plain = generateEstateDocument({ accounts: 2, regions: 2 });
    const withConfig = generateEstateDocument({ accounts: 2, regions: 2, config: true });
    const off = generateEstateDocument({ accounts: 2, regions: 2, config: false });

    expect(JSON.stringify(off)).toBe(JSON.stringify(plain));
    expect(JSON.stringify(plain)).not.toContain('recorders');
    const { configAggregator, ...organization } = withConfig.organization as Record<string, unknown>;
    expect(organization).toEqual(plain.organization);
    expect(configAggregator).toEqual({
      name: CONFIG_AGGREGATOR_NAME,
      accountId: accountIdOf(0),
      region: 'us-east-1',
    });
    const accounts = withConfig.accounts as Record<string, Record<string, unknown>>;
    const plainAccounts = plain.accounts as Record<string, Record<string, unknown>>;
    for (const [id, { config, ...rest }] of Object.entries(accounts)) {
      expect(rest).toEqual(plainAccounts[id]);
      expect(config).toEqual({
        recorders: Object.fromEntries(
          ['us-east-1', 'eu-west-1'].map((region) => [
            region,
            {
              recording: true,
              allSupported: true,
              resourceTypes: [],
              exclusions: [],
              frequency: 'CONTINUOUS',
              capturedAt: new Date(Date.parse(REFERENCE_TIME) + 14 * 86_400_000 - 3_600_000).toISOString(),
            },
          ]),
        ),
      });
    }
  });

  it('gives an estate the aggregator answers for every account and region', async () => {
    const sim = await startSimulator(generateEstate({ accounts: 2, regions: 2, config: true }));
    const config = new ConfigServiceClient(sdkConfig(sim, 'us-east-1'));
    try {
      const places = new Set<string>();
      const paginator = paginateSelectAggregateResourceConfig(
        { client: config, pageSize: 100 },
        {
          Expression: "SELECT accountId, awsRegion WHERE resourceType = 'AWS::EC2::SecurityGroup'",
          ConfigurationAggregatorName: CONFIG_AGGREGATOR_NAME,
        },
      );
      for await (const page of paginator) {
        for (const text of page.Results ?? []) {
          const row = JSON.parse(text) as { accountId: string; awsRegion: string };
          places.add(`${row.accountId} ${row.awsRegion}`);
        }
      }

      expect([...places]).toEqual([
        `${accountIdOf(0)} eu-west-1`,
        `${accountIdOf(0)} us-east-1`,
        `${accountIdOf(1)} eu-west-1`,
        `${accountIdOf(1)} us-east-1`,
      ]);
    } finally {
      config.destroy();
      await sim.close();
    }
  });
});
