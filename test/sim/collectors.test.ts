/**
 * The scanner's own IAM and S3 collectors, run against the simulator as a scan runs them: the
 * answers the simulator writes must be what the collectors read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../core/config/load.js';
import { collectAll } from '../../core/engine/collect.js';
import { GLOBAL_REGION } from '../../core/types.js';
import { AwsClients } from '../../inventory/clients.js';
import { type Simulator, startSimulator } from '../../sim/server.js';
import { MANAGEMENT, managementIam, PROD, prodCredentials, prodS3, richEstate } from './fixtures.js';

let sim: Simulator;
const SETTINGS = resolveConfig({}, 'defaults').settings;

beforeAll(async () => {
  sim = await startSimulator(richEstate(), { maxPageSize: 2 });
});

afterAll(async () => {
  await sim.close();
});

function clientsFor(credentials: Simulator['credentials']): AwsClients {
  return new AwsClients({ credentials, endpoint: sim.endpoint, homeRegion: 'us-east-1', maxAttempts: 1 });
}

describe('the IAM collectors', () => {
  it('read the management account’s IAM', async () => {
    // Prepare
    const clients = clientsFor(sim.credentials);

    // Act
    const results = await collectAll(
      clients,
      { accountId: MANAGEMENT, region: GLOBAL_REGION },
      [
        'iam.credentialReport',
        'iam.accountSummary',
        'iam.virtualMfaDevices',
        'iam.passwordPolicy',
        'iam.organizationsFeatures',
      ],
      {},
      SETTINGS,
    );

    // Assess
    const report = results['iam.credentialReport'];
    expect(report?.ok).toBe(true);
    if (report?.ok) {
      expect(report.data.rows.map((row) => row.user)).toEqual([
        '<root_account>',
        'alice',
        'ops, "night" team',
      ]);
      expect(report.data.rows[1]?.cert_1_active).toBe('N/A');
    }
    expect(results['iam.accountSummary']).toEqual({ ok: true, data: managementIam().AccountSummary });
    const devices = results['iam.virtualMfaDevices'];
    expect(devices?.ok && devices.data.length).toBe(5);
    expect(results['iam.passwordPolicy']).toEqual({ ok: true, data: managementIam().PasswordPolicy });
    const features = results['iam.organizationsFeatures'];
    expect(features?.ok && features.data?.features).toEqual(['RootCredentialsManagement', 'RootSessions']);
    clients.destroy();
  });
});

describe('the S3 collectors', () => {
  it('read every bucket of the production account, each in its own region', async () => {
    // Prepare
    const clients = clientsFor(await prodCredentials(sim));
    sim.resetCalls();

    // Act
    const results = await collectAll(
      clients,
      { accountId: PROD, region: GLOBAL_REGION },
      [
        's3.accountPublicAccessBlock',
        's3.bucketList',
        's3.bucketPolicies',
        's3.bucketPolicyStatus',
        's3.bucketPublicAccessBlock',
        's3.bucketOwnershipControls',
        's3.bucketAcls',
      ],
      {},
      SETTINGS,
    );

    // Assess
    expect(results['s3.accountPublicAccessBlock']).toEqual({
      ok: true,
      data: prodS3().AccountPublicAccessBlock,
    });
    const list = results['s3.bucketList'];
    expect(list?.ok && list.data.map((bucket) => [bucket.Name, bucket.BucketRegion])).toEqual([
      ['prod-archive', 'us-east-1'],
      ['prod-assets', 'us-east-1'],
      ['prod-backups', 'ap-southeast-3'],
      ['prod-data', 'eu-west-1'],
      ['prod-logs', 'eu-west-1'],
    ]);
    for (const id of [
      's3.bucketPolicies',
      's3.bucketPolicyStatus',
      's3.bucketPublicAccessBlock',
      's3.bucketOwnershipControls',
      's3.bucketAcls',
    ] as const) {
      const result = results[id];
      expect(result?.ok, id).toBe(true);
      if (result?.ok) {
        const failed = Object.entries(result.data).filter(([, facet]) => !facet.ok);
        expect(failed, id).toEqual([]);
      }
    }
    const status = results['s3.bucketPolicyStatus'];
    expect(status?.ok && status.data['prod-logs']).toEqual({ ok: true, value: { IsPublic: true } });
    expect(sim.calls().some((call) => call.service === 's3' && call.region !== 'us-east-1')).toBe(true);
    clients.destroy();
  });
});
