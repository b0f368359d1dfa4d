import {
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { AwsClients } from '../../inventory/clients.js';
import { parseEstate } from '../../sim/estate.js';
import { type Simulator, startSimulator } from '../../sim/server.js';
import { MANAGEMENT, sdkConfig } from './fixtures.js';

type Fault = { service: string; region?: string; operation?: string; error: string; rate?: number };

function estateWith(faults: Fault[], seed?: number) {
  return parseEstate(
    {
      ...(seed === undefined ? {} : { seed }),
      organization: { managementAccountId: MANAGEMENT, accounts: [{ Id: MANAGEMENT, State: 'ACTIVE' }] },
      accounts: {
        [MANAGEMENT]: {
          regions: { 'eu-west-1': {}, 'us-east-1': {} },
          disabledRegions: ['ap-east-1'],
          faults,
        },
      },
    },
    'faults estate',
  );
}

async function withSimulator<T>(
  estate: ReturnType<typeof estateWith>,
  run: (sim: Simulator) => Promise<T>,
  seed?: number,
): Promise<T> {
  const sim = await startSimulator(estate, seed === undefined ? {} : { seed });
  try {
    return await run(sim);
  } finally {
    await sim.close();
  }
}

const errorOf = (promise: Promise<unknown>) => promise.then(() => undefined).catch((error: Error) => error);

describe('regions', () => {
  it('answers a disabled region, and one the estate does not name, with AuthFailure 401', async () => {
    await withSimulator(estateWith([]), async (sim) => {
      // Act
      const disabled = await errorOf(
        new EC2Client(sdkConfig(sim, 'ap-east-1')).send(new DescribeSecurityGroupsCommand({})),
      );
      const unknown = await errorOf(
        new EC2Client(sdkConfig(sim, 'sa-east-1')).send(new DescribeSecurityGroupsCommand({})),
      );

      // Assess
      expect(disabled?.name).toBe('AuthFailure');
      expect(disabled?.message).toBe('AWS was not able to validate the provided access credentials');
      expect((disabled as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(401);
      expect(unknown?.name).toBe('AuthFailure');
      expect(sim.callCounts()).toEqual({ 'ec2:DescribeSecurityGroups': 2 });
    });
  });

  it('answers discovery (DescribeRegions, STS) in any region but a disabled one', async () => {
    await withSimulator(estateWith([]), async (sim) => {
      // Prepare: sa-east-1 is neither enabled nor disabled in the estate.
      const home = (region: string) => ({
        ec2: new EC2Client(sdkConfig(sim, region)),
        sts: new STSClient(sdkConfig(sim, region)),
      });
      const unnamed = home('sa-east-1');
      const disabled = home('ap-east-1');

      // Act
      const regions = await unnamed.ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
      const identity = await unnamed.sts.send(new GetCallerIdentityCommand({}));
      const refusedRegions = await errorOf(disabled.ec2.send(new DescribeRegionsCommand({})));
      const refusedIdentity = await errorOf(disabled.sts.send(new GetCallerIdentityCommand({})));

      // Assess
      expect(regions.Regions?.map((region) => region.RegionName)).toEqual([
        'eu-west-1',
        'us-east-1',
        'ap-east-1',
      ]);
      expect(identity.Account).toBe(MANAGEMENT);
      expect(refusedRegions?.name).toBe('AuthFailure');
      expect(refusedIdentity?.name).toBe('InvalidClientTokenId');
      for (const client of [unnamed, disabled]) {
        client.ec2.destroy();
        client.sts.destroy();
      }
    });
  });
});

describe('faults', () => {
  it('fail only the named operation in the named region, with the code the SDK names', async () => {
    const estate = estateWith([
      { service: 'ec2', region: 'eu-west-1', operation: 'DescribeVolumes', error: 'UnauthorizedOperation' },
    ]);
    await withSimulator(estate, async (sim) => {
      // Prepare
      const euWest = new EC2Client(sdkConfig(sim, 'eu-west-1'));
      const usEast = new EC2Client(sdkConfig(sim, 'us-east-1'));

      // Act
      const faulted = await errorOf(euWest.send(new DescribeVolumesCommand({})));
      const otherOperation = await euWest.send(new DescribeSecurityGroupsCommand({}));
      const otherRegion = await usEast.send(new DescribeVolumesCommand({}));

      // Assess
      expect(faulted?.name).toBe('UnauthorizedOperation');
      expect((faulted as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(403);
      expect(faulted?.message).toContain('ec2:DescribeVolumes');
      expect(otherOperation.SecurityGroups).toEqual([]);
      expect(otherRegion.Volumes).toEqual([]);
      expect(sim.callCounts()['ec2:DescribeVolumes']).toBe(2);
    });
  });

  it('speak each service’s dialect: status, code and the name the SDK gives it', async () => {
    const cases: Array<[Fault, string, number]> = [
      [{ service: 'ec2', error: 'RequestLimitExceeded' }, 'RequestLimitExceeded', 503],
      [{ service: 'ec2', error: 'Throttling' }, 'RequestLimitExceeded', 503],
      [{ service: 'ec2', error: 'AccessDenied' }, 'UnauthorizedOperation', 403],
      [{ service: 'ec2', error: 'OptInRequired' }, 'OptInRequired', 401],
      [{ service: 'ec2', error: 'AuthFailure' }, 'AuthFailure', 401],
      [{ service: 'ec2', error: 'InternalError' }, 'InternalError', 500],
      [{ service: 'ec2', error: 'ServiceUnavailable' }, 'ServiceUnavailable', 503],
      [{ service: 'sts', error: 'AccessDenied' }, 'AccessDenied', 403],
      [{ service: 'sts', error: 'Throttling' }, 'Throttling', 400],
      [{ service: 'sts', error: 'InternalError' }, 'InternalFailure', 500],
      [{ service: 'organizations', error: 'AccessDenied' }, 'AccessDeniedException', 403],
      [{ service: 'organizations', error: 'Throttling' }, 'TooManyRequestsException', 400],
      [{ service: 'organizations', error: 'InternalError' }, 'ServiceException', 500],
      [{ service: 'iam', error: 'AccessDenied' }, 'AccessDenied', 403],
      [{ service: 'iam', error: 'Throttling' }, 'Throttling', 400],
      [{ service: 'iam', error: 'InternalError' }, 'ServiceFailureException', 500],
      [{ service: 's3', error: 'AccessDenied' }, 'AccessDenied', 403],
      [{ service: 's3', error: 'Throttling' }, 'SlowDown', 503],
      [{ service: 's3', error: 'OptInRequired' }, 'NotSignedUp', 403],
      [{ service: 's3', error: 'AuthFailure' }, 'InvalidAccessKeyId', 403],
      [{ service: 's3', error: 'InternalError' }, 'InternalError', 500],
      [{ service: 's3control', error: 'AccessDenied' }, 'AccessDenied', 403],
      [{ service: 's3control', error: 'ServiceUnavailable' }, 'ServiceUnavailable', 503],
    ];
    const send = (sim: Simulator, service: string): Promise<unknown> => {
      switch (service) {
        case 'ec2':
          return new EC2Client(sdkConfig(sim, 'eu-west-1')).send(new DescribeRegionsCommand({}));
        case 'sts':
          return new STSClient(sdkConfig(sim, 'us-east-1')).send(new GetCallerIdentityCommand({}));
        case 'iam':
          return new IAMClient(sdkConfig(sim, 'us-east-1')).send(new GetAccountSummaryCommand({}));
        case 's3':
          return new S3Client({ ...sdkConfig(sim, 'us-east-1'), forcePathStyle: true }).send(
            new ListBucketsCommand({}),
          );
        case 's3control':
          return new AwsClients({ ...sdkConfig(sim, 'us-east-1'), homeRegion: 'us-east-1' })
            .s3control()
            .send(new GetPublicAccessBlockCommand({ AccountId: MANAGEMENT }));
        default:
          return new OrganizationsClient(sdkConfig(sim, 'us-east-1')).send(new ListAccountsCommand({}));
      }
    };
    for (const [fault, name, status] of cases) {
      await withSimulator(estateWith([fault]), async (sim) => {
        // Act
        const error = await errorOf(send(sim, fault.service));

        // Assess
        expect([fault.error, error?.name]).toEqual([fault.error, name]);
        expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(status);
      });
    }
  });

  it('intermittent faults repeat exactly with the same seed, and differ with another', async () => {
    const estate = estateWith([
      { service: 'ec2', operation: 'DescribeSecurityGroups', error: 'RequestLimitExceeded', rate: 0.5 },
    ]);
    const outcomes = (seed: number) =>
      withSimulator(
        estate,
        async (sim) => {
          const client = new EC2Client(sdkConfig(sim, 'eu-west-1'));
          const results: string[] = [];
          for (let i = 0; i < 40; i++) {
            const error = await errorOf(client.send(new DescribeSecurityGroupsCommand({})));
            results.push(error === undefined ? 'ok' : error.name);
          }
          expect(sim.callCounts()['ec2:DescribeSecurityGroups']).toBe(40);
          return results.join(',');
        },
        seed,
      );

    // Act
    const first = await outcomes(1);
    const again = await outcomes(1);
    const other = await outcomes(2);

    // Assess
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    const failures = first.split(',').filter((outcome) => outcome === 'RequestLimitExceeded').length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
  });

  it('take the seed from the estate when the options give none', async () => {
    const fault: Fault = { service: 'ec2', operation: 'DescribeRegions', error: 'InternalError', rate: 0.5 };
    const run = (estate: ReturnType<typeof estateWith>) =>
      withSimulator(estate, async (sim) => {
        const client = new EC2Client(sdkConfig(sim, 'eu-west-1'));
        const results: boolean[] = [];
        for (let i = 0; i < 30; i++)
          results.push((await errorOf(client.send(new DescribeRegionsCommand({})))) === undefined);
        return results.join('');
      });

    expect(await run(estateWith([fault], 11))).toBe(await run(estateWith([fault], 11)));
    expect(await run(estateWith([fault], 11))).not.toBe(await run(estateWith([fault], 12)));
  });
});
