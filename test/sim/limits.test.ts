/**
 * The simulator's AWS-like limits, through the real SDK clients with one attempt each: token
 * buckets per EC2 action, account and region (and the smaller bucket of unpaginated calls),
 * per account for IAM and S3, per account and region for STS; each answered with the
 * service's own throttling error; and a seeded latency. The buckets run on an injected clock,
 * so no assertion depends on wall time.
 */
import {
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetBucketAclCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../../inventory/clients.js';
import { RateLimiter } from '../../inventory/rate-limit.js';
import { parseEstate } from '../../sim/estate.js';
import { AWS_TOKEN_RATES, bucketFor, LatencyModel } from '../../sim/limits.js';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../sim/server.js';
import { MANAGEMENT, PROD, sdkConfig } from './fixtures.js';

function limitsEstate() {
  return parseEstate(
    {
      organization: {
        managementAccountId: MANAGEMENT,
        accounts: [
          { Id: MANAGEMENT, State: 'ACTIVE' },
          { Id: PROD, State: 'ACTIVE' },
        ],
      },
      accounts: {
        [MANAGEMENT]: {
          regions: { 'eu-west-1': {}, 'us-east-1': {} },
          s3: { Buckets: [{ Name: 'management-logs', BucketRegion: 'eu-west-1' }] },
        },
        [PROD]: { regions: { 'eu-west-1': {} } },
      },
    },
    'limits estate',
  );
}

interface Outcome {
  readonly ok: number;
  /** Error name → [count, HTTP status]. */
  readonly errors: Record<string, [number, number | undefined]>;
}

/** Sends `count` calls at once and tallies what came back. */
async function burst(count: number, send: () => Promise<unknown>): Promise<Outcome> {
  const settled = await Promise.allSettled(Array.from({ length: count }, send));
  const errors: Record<string, [number, number | undefined]> = {};
  let ok = 0;
  for (const result of settled) {
    if (result.status === 'fulfilled') {
      ok += 1;
      continue;
    }
    const error = result.reason as { name: string; $metadata?: { httpStatusCode?: number } };
    const [seen] = errors[error.name] ?? [0];
    errors[error.name] = [seen + 1, error.$metadata?.httpStatusCode];
  }
  return { ok, errors };
}

let sim: Simulator | undefined;
/** The simulated clock, in milliseconds. */
let clock = 0;

async function start(options: SimulatorOptions = { throttle: { now: () => clock } }): Promise<Simulator> {
  clock = 0;
  sim = await startSimulator(limitsEstate(), options);
  return sim;
}

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('EC2 token buckets', () => {
  it('gives unpaginated DescribeSecurityGroups 50 tokens, then RequestLimitExceeded (503), refilled at 10 per second', async () => {
    // Prepare
    const s = await start();
    const ec2 = new EC2Client(sdkConfig(s, 'eu-west-1'));

    // Act
    const first = await burst(60, () => ec2.send(new DescribeSecurityGroupsCommand({})));
    clock += 1000;
    const afterOneSecond = await burst(20, () => ec2.send(new DescribeSecurityGroupsCommand({})));

    // Assess
    expect(first).toEqual({ ok: 50, errors: { RequestLimitExceeded: [10, 503] } });
    expect(afterOneSecond).toEqual({ ok: 10, errors: { RequestLimitExceeded: [10, 503] } });
    expect(s.throttled()).toEqual({ 'ec2:DescribeSecurityGroups': 20 });
    // Throttled calls are still calls the simulator received.
    expect(s.callCounts()['ec2:DescribeSecurityGroups']).toBe(80);
  });

  it('moves paginated or filtered calls of the listed actions to the 100 / 20 bucket', async () => {
    const s = await start();
    const ec2 = new EC2Client(sdkConfig(s, 'eu-west-1'));

    const paged = await burst(110, () => ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 1000 })));
    clock += 1000;
    const refilled = await burst(30, () => ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 1000 })));
    // The unpaginated calls have a bucket of their own, still full.
    const unpaged = await burst(50, () => ec2.send(new DescribeSecurityGroupsCommand({})));
    const filtered = await burst(110, () =>
      ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'encrypted', Values: ['false'] }] })),
    );

    expect(paged).toEqual({ ok: 100, errors: { RequestLimitExceeded: [10, 503] } });
    expect(refilled).toEqual({ ok: 20, errors: { RequestLimitExceeded: [10, 503] } });
    expect(unpaged).toEqual({ ok: 50, errors: {} });
    expect(filtered).toEqual({ ok: 100, errors: { RequestLimitExceeded: [10, 503] } });
  });

  it('keeps one bucket per action, per region and per account; other Describe calls get 100 / 20', async () => {
    const s = await start();
    const ec2 = new EC2Client(sdkConfig(s, 'eu-west-1'));
    await burst(50, () => ec2.send(new DescribeSecurityGroupsCommand({})));

    const otherAction = await burst(105, () => ec2.send(new DescribeVpcsCommand({})));
    const sameAction = await burst(1, () => ec2.send(new DescribeSecurityGroupsCommand({})));
    const otherRegion = await burst(50, () =>
      new EC2Client(sdkConfig(s, 'us-east-1')).send(new DescribeSecurityGroupsCommand({})),
    );
    const sts = new STSClient(sdkConfig(s, 'us-east-1'));
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PROD}:role/CustosAudit`, RoleSessionName: 'limits' }),
    );
    const prodEc2 = new EC2Client(
      sdkConfig(s, 'eu-west-1', {
        accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
        secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
        sessionToken: assumed.Credentials?.SessionToken ?? '',
      }),
    );
    const otherAccount = await burst(50, () => prodEc2.send(new DescribeSecurityGroupsCommand({})));

    expect(otherAction).toEqual({ ok: 100, errors: { RequestLimitExceeded: [5, 503] } });
    expect(sameAction.ok).toBe(0);
    expect(otherRegion.ok).toBe(50);
    expect(otherAccount.ok).toBe(50);
  });
});

describe('IAM, STS and S3 token buckets', () => {
  it('throttles IAM per account with Throttling (400)', async () => {
    const s = await start();
    const iam = new IAMClient(sdkConfig(s, 'us-east-1'));
    const { burst: size, perSecond } = AWS_TOKEN_RATES.iam;

    const first = await burst(size + 3, () => iam.send(new GetAccountSummaryCommand({})));
    clock += 1000;
    const refilled = await burst(perSecond + 2, () => iam.send(new GetAccountSummaryCommand({})));

    expect(first).toEqual({ ok: size, errors: { Throttling: [3, 400] } });
    expect(refilled).toEqual({ ok: perSecond, errors: { Throttling: [2, 400] } });
  });

  it('throttles STS per account and regional endpoint with Throttling (400)', async () => {
    const s = await start();
    const { burst: size } = AWS_TOKEN_RATES.sts;
    const east = new STSClient(sdkConfig(s, 'us-east-1'));
    const west = new STSClient(sdkConfig(s, 'eu-west-1'));

    const first = await burst(size + 4, () => east.send(new GetCallerIdentityCommand({})));
    const otherEndpoint = await burst(size, () => west.send(new GetCallerIdentityCommand({})));

    expect(first).toEqual({ ok: size, errors: { Throttling: [4, 400] } });
    expect(otherEndpoint.ok).toBe(size);
    expect(s.throttled()).toEqual({ 'sts:GetCallerIdentity': 4 });
  });

  it('throttles S3 bucket-configuration calls and ListBuckets per account with SlowDown (503)', async () => {
    const s = await start();
    const { burst: size } = AWS_TOKEN_RATES.s3;
    const s3 = new S3Client({ ...sdkConfig(s, 'eu-west-1'), forcePathStyle: true });

    const acls = await burst(size - 1, () => s3.send(new GetBucketAclCommand({ Bucket: 'management-logs' })));
    const lists = await burst(3, () => s3.send(new ListBucketsCommand({})));

    expect(acls).toEqual({ ok: size - 1, errors: {} });
    expect(lists).toEqual({ ok: 1, errors: { SlowDown: [2, 503] } });
    expect(s.throttled()).toEqual({ 's3:ListBuckets': 2 });
  });

  it('counts nothing and throttles nothing unless asked to', async () => {
    const s = await start({});
    const iam = new IAMClient(sdkConfig(s, 'us-east-1'));

    const many = await burst(AWS_TOKEN_RATES.iam.burst * 3, () => iam.send(new GetAccountSummaryCommand({})));

    expect(many.ok).toBe(AWS_TOKEN_RATES.iam.burst * 3);
    expect(s.throttled()).toEqual({});
  });

  it('takes bucket sizes from the options', async () => {
    const s = await start({ throttle: { now: () => clock, rates: { iam: { burst: 2, perSecond: 1 } } } });
    const iam = new IAMClient(sdkConfig(s, 'us-east-1'));

    const first = await burst(4, () => iam.send(new GetAccountSummaryCommand({})));
    s.resetCalls();
    clock += 1000;
    const refilled = await burst(2, () => iam.send(new GetAccountSummaryCommand({})));

    expect(first.ok).toBe(2);
    expect(refilled.ok).toBe(1);
    expect(s.throttled()).toEqual({ 'iam:GetAccountSummary': 1 });
  });
});

describe('bucketFor', () => {
  const call = (service: string, operation: string, params: Record<string, string> = {}) =>
    bucketFor({ service, operation, accountId: PROD, region: 'eu-west-1', params }, AWS_TOKEN_RATES);

  it('names the scope of each family', () => {
    expect(call('ec2', 'DescribeVolumes')?.family).toBe('ec2Unpaginated');
    expect(call('ec2', 'DescribeVolumes', { MaxResults: '500' })?.family).toBe('ec2');
    expect(call('ec2', 'DescribeVolumes', { 'Filter.1.Name': 'encrypted' })?.family).toBe('ec2');
    expect(call('ec2', 'DescribeRouteTables')?.family).toBe('ec2');
    expect(call('iam', 'GetAccountSummary')?.key).toBe(`iam|${PROD}`);
    expect(call('sts', 'AssumeRole')?.key).toBe(`sts|${PROD}|eu-west-1`);
    expect(call('s3', 'GetBucketAcl')?.key).toBe(`s3|${PROD}`);
    expect(call('organizations', 'ListAccounts')).toBeUndefined();
  });
});

describe('latency', () => {
  it('draws the same latencies from the same seed, around the median, within the cap', () => {
    const draw = (seed: number) => {
      const model = new LatencyModel({ medianMs: 40, seed }, 1);
      return Array.from({ length: 2001 }, () => model.next());
    };
    const a = draw(7);
    const sorted = [...a].sort((x, y) => x - y);

    expect(draw(7)).toEqual(a);
    expect(draw(8)).not.toEqual(a);
    expect(sorted[1000]).toBeGreaterThan(36);
    expect(sorted[1000]).toBeLessThan(44);
    expect(Math.max(...a)).toBeLessThanOrEqual(800);
    expect(Math.min(...a)).toBeGreaterThan(0);
  });

  it('answers through the SDK after a latency', async () => {
    const s = await start({ latency: { medianMs: 5, sigma: 0 } });
    const sts = new STSClient(sdkConfig(s, 'us-east-1'));

    const answer = await sts.send(new GetCallerIdentityCommand({}));

    expect(answer.Account).toBe(MANAGEMENT);
  });

  it('refuses a negative median', async () => {
    await expect(startSimulator(limitsEstate(), { latency: -1 })).rejects.toThrow(RangeError);
  });
});

describe("custos's rate limiter against the buckets", () => {
  const manyAcls = (clients: AwsClients, count: number) =>
    burst(count, () => clients.s3('eu-west-1').send(new GetBucketAclCommand({ Bucket: 'management-logs' })));

  it('paces bursts under AWS-sized buckets: no call is throttled', async () => {
    // Prepare: AWS's buckets and the product's limiter. A burst's first requests reach AWS
    // later than the tokens they were given (the event loop is busy sending the rest); the
    // share of each bucket custos leaves unused absorbs that.
    const s = await start({ throttle: true });
    const limiter = new RateLimiter();
    const clients = new AwsClients({
      credentials: s.credentials,
      endpoint: s.endpoint,
      homeRegion: 'us-east-1',
      maxAttempts: 1,
      rateLimiter: limiter,
    });
    const s3 = AWS_TOKEN_RATES.s3;
    const ec2 = AWS_TOKEN_RATES.ec2;

    // Act: a second's refill more than each bucket holds.
    const [acls, described] = await Promise.all([
      manyAcls(clients, s3.burst + s3.perSecond),
      burst(ec2.burst + ec2.perSecond, () =>
        clients.ec2('eu-west-1').send(new DescribeSecurityGroupsCommand({ MaxResults: 1000 })),
      ),
    ]);
    clients.destroy();

    // Assess
    expect(acls).toEqual({ ok: s3.burst + s3.perSecond, errors: {} });
    expect(described).toEqual({ ok: ec2.burst + ec2.perSecond, errors: {} });
    expect(s.throttled()).toEqual({});
    expect(limiter.stats().waits).toBeGreaterThan(0);
  });

  it('is what keeps them from being throttled: unpaced, the same burst is', async () => {
    const s = await start({ throttle: true });
    const clients = new AwsClients({
      credentials: s.credentials,
      endpoint: s.endpoint,
      homeRegion: 'us-east-1',
      maxAttempts: 1,
      rateLimiter: false,
    });

    const acls = await manyAcls(clients, AWS_TOKEN_RATES.s3.burst + 20);
    clients.destroy();

    expect(acls.errors.SlowDown?.[0]).toBeGreaterThan(0);
  });

  it('retries what another caller made AWS throttle, and spends its own tokens after a throttle', async () => {
    // Another tool has spent the account's S3 tokens: the first answers are SlowDown.
    const s = await start({ throttle: { rates: { s3: { burst: 1, perSecond: 20 } } } });
    const limiter = new RateLimiter();
    const clients = new AwsClients({
      credentials: s.credentials,
      endpoint: s.endpoint,
      homeRegion: 'us-east-1',
      maxAttempts: 8,
      rateLimiter: limiter,
    });

    const acls = await manyAcls(clients, 3);
    clients.destroy();

    expect(acls).toEqual({ ok: 3, errors: {} });
    expect(s.throttled()['s3:GetBucketAcl']).toBeGreaterThan(0);
    expect(limiter.stats().throttled).toBe(s.throttled()['s3:GetBucketAcl']);
  });
});

describe('RateLimiter', () => {
  it('hands out a bucket of tokens at once, then one per refill interval, in order', async () => {
    let now = 0;
    const limiter = new RateLimiter({
      share: 1,
      limits: { iam: { burst: 2, perSecond: 1000 } },
      now: () => now,
    });
    const ref = { family: 'iam' as const, key: 'iam|111111111111' };
    const order: number[] = [];

    const taken = [1, 2, 3, 4].map((n) => limiter.acquire(ref).then(() => order.push(n)));
    await Promise.resolve();
    await Promise.resolve();
    expect(order).toEqual([1, 2]);
    now = 2;
    await Promise.all(taken);

    expect(order).toEqual([1, 2, 3, 4]);
    expect(limiter.stats().waits).toBe(2);
  });

  it("keeps a share of each AWS bucket for the account's other callers", () => {
    const limiter = new RateLimiter({ share: 0.5 });

    expect(limiter.limitOf('ec2')).toEqual({ burst: 50, perSecond: 10 });
    expect(() => new RateLimiter({ share: 0 })).toThrow(RangeError);
  });

  it('takes no tokens when told not to pace', async () => {
    const limiter = new RateLimiter({ pace: false, limits: { iam: { burst: 1, perSecond: 1 } } });
    const ref = { family: 'iam' as const, key: 'iam|111111111111' };

    await Promise.all(Array.from({ length: 50 }, () => limiter.acquire(ref)));

    expect(limiter.stats().waits).toBe(0);
  });

  it('bounds the requests in flight', async () => {
    const limiter = new RateLimiter({ maxInFlight: 2 });
    const first = await limiter.slot();
    await limiter.slot();
    let third = false;
    const waiting = limiter.slot().then(() => {
      third = true;
    });
    await Promise.resolve();
    expect(third).toBe(false);

    first();
    await waiting;

    expect(third).toBe(true);
    expect(limiter.stats().peakInFlight).toBe(2);
  });
});
