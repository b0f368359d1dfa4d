/**
 * What makes the simulator behave like AWS under load, both opt-in: a latency per call drawn
 * from a seeded distribution, and AWS's token buckets, answering a call that finds its bucket
 * empty with the service's own throttling error (EC2 `RequestLimitExceeded` 503, IAM and STS
 * `Throttling` 400, S3 `SlowDown` 503).
 *
 * Buckets [AWS-SEMANTICS §7]:
 * - EC2, per account, region and action: 100 tokens refilled at 20 per second; the seven
 *   Describe calls AWS lists (DescribeInstances, DescribeInstanceStatus,
 *   DescribeNetworkInterfaces, DescribeSecurityGroups, DescribeSnapshots,
 *   DescribeSpotInstanceRequests, DescribeVolumes) draw on a 50 / 10 bucket of their own when
 *   sent without MaxResults and without a filter.
 * - IAM, per account (one global endpoint); STS, per account and region (each regional
 *   endpoint has its own limit); S3 bucket-configuration calls and ListBuckets, per account.
 *   AWS publishes no numbers for these; the defaults below are assumptions, overridable.
 * Other services are not limited: Organizations, and Config, for whose advanced queries and
 * batch reads AWS publishes no rate.
 */
import { mulberry32 } from './faults.js';

/** A token bucket's size and refill: AWS's "bucket maximum" and "refill rate per second". */
export interface TokenRate {
  readonly burst: number;
  readonly perSecond: number;
}

/** The bucket families the simulator keeps. */
export type LimitFamily = 'ec2' | 'ec2Unpaginated' | 'iam' | 'sts' | 's3';

export const AWS_TOKEN_RATES: Readonly<Record<LimitFamily, TokenRate>> = {
  /** Published [EC2-THR]: non-mutating actions, and the seven listed ones when paged or filtered. */
  ec2: { burst: 100, perSecond: 20 },
  /** Published [EC2-THR]: the seven listed actions, unpaginated and unfiltered. */
  ec2Unpaginated: { burst: 50, perSecond: 10 },
  /** Not published [IAM-THR]: an assumption. */
  iam: { burst: 20, perSecond: 10 },
  /** Not published [IAM-THR]: an assumption, per regional endpoint. */
  sts: { burst: 100, perSecond: 50 },
  /** Not published [S3-ERR]: an assumption for bucket-configuration calls. */
  s3: { burst: 100, perSecond: 50 },
};

/** The EC2 actions whose unpaginated, unfiltered calls draw on the smaller bucket. */
export const EC2_UNPAGINATED_ACTIONS: ReadonlySet<string> = new Set([
  'DescribeInstances',
  'DescribeInstanceStatus',
  'DescribeNetworkInterfaces',
  'DescribeSecurityGroups',
  'DescribeSnapshots',
  'DescribeSpotInstanceRequests',
  'DescribeVolumes',
]);

/** One call as the limiter sees it. */
export interface LimitedCall {
  readonly service: string;
  readonly operation: string;
  readonly accountId: string;
  readonly region: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** The bucket a call draws on: its key (the family's scope) and its size. */
export interface BucketRef {
  readonly family: LimitFamily;
  readonly key: string;
  readonly rate: TokenRate;
}

export interface ThrottleOptions {
  /** The clock in milliseconds; inject one to test buckets without waiting. Default: performance.now. */
  readonly now?: () => number;
  /** Replaces the default size of a family's buckets. */
  readonly rates?: Partial<Record<LimitFamily, TokenRate>>;
}

export interface LatencyOptions {
  /** The median time to answer a call, in milliseconds. */
  readonly medianMs: number;
  /**
   * The spread of the log-normal distribution (σ of ln latency): 0 answers every call in
   * exactly the median; the default 0.35 puts p90 at 1.6× and p99 at 2.3× the median.
   */
  readonly sigma?: number;
  /** No call takes longer than this; default 20× the median. */
  readonly maxMs?: number;
  /** Seeds the draws, so a run's latencies repeat; default: the simulator's seed. */
  readonly seed?: number;
}

function isUnpaginated(params: Readonly<Record<string, unknown>>): boolean {
  for (const key of Object.keys(params)) {
    if (key === 'MaxResults' || key.startsWith('Filter.')) return false;
  }
  return true;
}

/** The bucket a call draws on, or undefined when the service is not limited. */
export function bucketFor(
  call: LimitedCall,
  rates: Readonly<Record<LimitFamily, TokenRate>>,
): BucketRef | undefined {
  const { service, operation, accountId, region } = call;
  switch (service) {
    case 'ec2': {
      const family: LimitFamily =
        EC2_UNPAGINATED_ACTIONS.has(operation) && isUnpaginated(call.params) ? 'ec2Unpaginated' : 'ec2';
      return { family, key: `ec2|${accountId}|${region}|${operation}|${family}`, rate: rates[family] };
    }
    case 'iam':
      return { family: 'iam', key: `iam|${accountId}`, rate: rates.iam };
    case 'sts':
      return { family: 'sts', key: `sts|${accountId}|${region}`, rate: rates.sts };
    case 's3':
      return { family: 's3', key: `s3|${accountId}`, rate: rates.s3 };
    default:
      return undefined;
  }
}

interface Bucket {
  tokens: number;
  updated: number;
}

/** AWS's token buckets: a call takes a token, or is throttled when none is left. */
export class TokenBuckets {
  readonly rates: Readonly<Record<LimitFamily, TokenRate>>;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #throttled = new Map<string, number>();

  constructor(options: ThrottleOptions = {}) {
    this.rates = { ...AWS_TOKEN_RATES, ...options.rates };
    this.#now = options.now ?? (() => performance.now());
  }

  /** Takes a token for the call; false when its bucket is empty (the call is throttled). */
  admit(call: LimitedCall): boolean {
    const ref = bucketFor(call, this.rates);
    if (ref === undefined) return true;
    const now = this.#now();
    let bucket = this.#buckets.get(ref.key);
    if (bucket === undefined) {
      bucket = { tokens: ref.rate.burst, updated: now };
      this.#buckets.set(ref.key, bucket);
    } else {
      const refill = (Math.max(0, now - bucket.updated) / 1000) * ref.rate.perSecond;
      bucket.tokens = Math.min(ref.rate.burst, bucket.tokens + refill);
      bucket.updated = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    const name = `${call.service}:${call.operation}`;
    this.#throttled.set(name, (this.#throttled.get(name) ?? 0) + 1);
    return false;
  }

  /** Throttled calls per `service:Operation`. */
  throttled(): Record<string, number> {
    return Object.fromEntries(this.#throttled);
  }

  /** Forgets the throttling counts; the buckets keep their tokens. */
  resetCounts(): void {
    this.#throttled.clear();
  }
}

/**
 * Draws each call's latency from a log-normal distribution around the median, from a seeded
 * generator: the same run draws the same latencies in the same order of arrival.
 */
export class LatencyModel {
  readonly medianMs: number;
  readonly sigma: number;
  readonly maxMs: number;
  readonly #random: () => number;
  #spare: number | undefined;

  constructor(options: LatencyOptions, defaultSeed: number) {
    const { medianMs } = options;
    if (!Number.isFinite(medianMs) || medianMs < 0) {
      throw new RangeError(`latency.medianMs must be a number of milliseconds >= 0, got ${medianMs}`);
    }
    this.medianMs = medianMs;
    this.sigma = options.sigma ?? 0.35;
    this.maxMs = options.maxMs ?? medianMs * 20;
    this.#random = mulberry32(options.seed ?? defaultSeed);
  }

  /** The next call's latency in milliseconds. */
  next(): number {
    if (this.medianMs === 0) return 0;
    return Math.min(this.maxMs, this.medianMs * Math.exp(this.sigma * this.#gaussian()));
  }

  /** Box–Muller: two standard normal draws from two uniform ones. */
  #gaussian(): number {
    if (this.#spare !== undefined) {
      const spare = this.#spare;
      this.#spare = undefined;
      return spare;
    }
    const u = 1 - this.#random();
    const v = this.#random();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.#spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }
}
