/**
 * Keeps custos under AWS's request rates instead of finding them by being throttled: a token
 * bucket per (account, region, API family) sized at a share of AWS's own [AWS-SEMANTICS §7],
 * waited on before every HTTP attempt (retries included), and one bound on the requests in
 * flight across every client of a scan (the sockets it may hold open).
 *
 * AWS's buckets, as custos assumes them:
 * - EC2: one per action, account and region: 100 tokens refilled at 20 per second; 50 / 10 for
 *   the seven listed Describe calls when sent without MaxResults or a filter (custos always
 *   pages, so its calls draw on the larger bucket). Published.
 * - IAM: one per account (a single global endpoint); STS: one per account and regional
 *   endpoint; S3 bucket-configuration calls and ListBuckets: one per account; Organizations
 *   and S3 Control: one per account. Not published: the sizes are assumptions, kept low.
 *
 * What still gets throttled (another tool spending the same account's tokens) empties the
 * bucket here too, and the SDK's adaptive retry mode backs off and retries it.
 */

/** A token bucket's size and refill rate. */
export interface RateLimit {
  readonly burst: number;
  readonly perSecond: number;
}

export type ApiFamily = 'ec2' | 'ec2Unpaginated' | 'iam' | 'sts' | 's3' | 's3control' | 'organizations';

/** AWS's buckets as custos assumes them (see above); custos uses `share` of each. */
export const AWS_RATE_LIMITS: Readonly<Record<ApiFamily, RateLimit>> = {
  ec2: { burst: 100, perSecond: 20 },
  ec2Unpaginated: { burst: 50, perSecond: 10 },
  iam: { burst: 20, perSecond: 10 },
  sts: { burst: 100, perSecond: 50 },
  s3: { burst: 100, perSecond: 50 },
  s3control: { burst: 20, perSecond: 10 },
  organizations: { burst: 20, perSecond: 10 },
};

/** The share of each AWS bucket custos spends, leaving the rest to the account's other callers. */
export const DEFAULT_RATE_SHARE = 0.9;
/** Requests in flight at once across every client of a scan (and sockets per host). */
export const DEFAULT_MAX_IN_FLIGHT = 128;

/** The EC2 actions whose unpaginated, unfiltered calls draw on the smaller bucket. */
const EC2_UNPAGINATED_ACTIONS: ReadonlySet<string> = new Set([
  'DescribeInstances',
  'DescribeInstanceStatus',
  'DescribeNetworkInterfaces',
  'DescribeSecurityGroups',
  'DescribeSnapshots',
  'DescribeSpotInstanceRequests',
  'DescribeVolumes',
]);

/** The bucket one call draws on. */
export interface LimitRef {
  readonly family: ApiFamily;
  readonly key: string;
}

/** What a call is, as the limiter reads it from the SDK's middleware context. */
export interface LimitedCall {
  /** The SDK client's name, e.g. `EC2Client`. */
  readonly clientName: string;
  /** The operation, e.g. `DescribeSecurityGroups`. */
  readonly operation: string;
  readonly input: unknown;
  /** The account whose credentials sign the call; `caller` when not known. */
  readonly accountId: string;
  /** The region the client signs for. */
  readonly region: string;
}

function paginatedOrFiltered(input: unknown): boolean {
  if (typeof input !== 'object' || input === null) return false;
  const { MaxResults, Filters } = input as { MaxResults?: unknown; Filters?: unknown };
  return MaxResults !== undefined || (Array.isArray(Filters) && Filters.length > 0);
}

/** The bucket a call draws on, or undefined for services custos does not pace. */
export function limitRefFor(call: LimitedCall): LimitRef | undefined {
  const { accountId, region, operation } = call;
  switch (call.clientName) {
    case 'EC2Client': {
      const family: ApiFamily =
        EC2_UNPAGINATED_ACTIONS.has(operation) && !paginatedOrFiltered(call.input) ? 'ec2Unpaginated' : 'ec2';
      return { family, key: `ec2|${accountId}|${region}|${operation}|${family}` };
    }
    case 'IAMClient':
      return { family: 'iam', key: `iam|${accountId}` };
    case 'STSClient':
      return { family: 'sts', key: `sts|${accountId}|${region}` };
    case 'S3Client':
      return { family: 's3', key: `s3|${accountId}` };
    case 'S3ControlClient':
      return { family: 's3control', key: `s3control|${accountId}` };
    case 'OrganizationsClient':
      return { family: 'organizations', key: `organizations|${accountId}` };
    default:
      return undefined;
  }
}

/** Throttling as each service says it. */
const THROTTLING = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'SlowDown',
  'RequestThrottled',
  'RequestThrottledException',
]);

export function isThrottling(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, Code } = error as { name?: unknown; Code?: unknown };
  return (
    (typeof name === 'string' && THROTTLING.has(name)) || (typeof Code === 'string' && THROTTLING.has(Code))
  );
}

export interface RateLimiterOptions {
  /** The share of AWS's burst and refill to use, in (0, 1]; default 0.9. */
  readonly share?: number;
  /** Replaces AWS's bucket for a family (before the share is applied). */
  readonly limits?: Partial<Record<ApiFamily, RateLimit>>;
  /** Requests in flight at once; default 128. */
  readonly maxInFlight?: number;
  /** The clock in milliseconds; default performance.now. */
  readonly now?: () => number;
  /**
   * False: take no tokens, only bound the requests in flight (benchmarks measuring the CPU
   * alone, against a simulator without limits). Default: true.
   */
  readonly pace?: boolean;
}

/** What the limiter did, for benchmarks and the progress line. */
export interface RateLimiterStats {
  /** Calls that had to wait for a token. */
  readonly waits: number;
  /** Sum of those waits, in milliseconds. */
  readonly waitedMs: number;
  /** Throttling errors AWS answered despite the pacing. */
  readonly throttled: number;
  /** The most requests in flight at once. */
  readonly peakInFlight: number;
}

interface Bucket {
  readonly limit: RateLimit;
  tokens: number;
  updated: number;
  readonly waiting: Array<{ readonly since: number; readonly resolve: () => void }>;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class RateLimiter {
  readonly maxInFlight: number;
  readonly #pace: boolean;
  readonly #limits: Readonly<Record<ApiFamily, RateLimit>>;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #slotQueue: Array<() => void> = [];
  #inFlight = 0;
  #waits = 0;
  #waitedMs = 0;
  #throttled = 0;
  #peakInFlight = 0;

  constructor(options: RateLimiterOptions = {}) {
    const share = options.share ?? DEFAULT_RATE_SHARE;
    if (!(share > 0 && share <= 1)) throw new RangeError(`share must be in (0, 1], got ${share}`);
    const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
      throw new RangeError(`maxInFlight must be a positive integer, got ${maxInFlight}`);
    }
    this.maxInFlight = maxInFlight;
    const aws = { ...AWS_RATE_LIMITS, ...options.limits };
    this.#limits = Object.fromEntries(
      Object.entries(aws).map(([family, { burst, perSecond }]) => [
        family,
        { burst: Math.max(1, Math.floor(burst * share)), perSecond: perSecond * share },
      ]),
    ) as Record<ApiFamily, RateLimit>;
    this.#now = options.now ?? (() => performance.now());
    this.#pace = options.pace ?? true;
  }

  /** The bucket custos keeps for a family: AWS's, times the share. */
  limitOf(family: ApiFamily): RateLimit {
    return this.#limits[family];
  }

  /** Resolves when the call may be sent: a token is taken from its bucket. */
  acquire(ref: LimitRef): Promise<void> {
    if (!this.#pace) return Promise.resolve();
    const bucket = this.#bucket(ref);
    const now = this.#now();
    this.#refill(bucket, now);
    if (bucket.waiting.length === 0 && bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      bucket.waiting.push({ since: now, resolve });
      this.#schedule(bucket);
    });
  }

  /** AWS throttled a call despite the pacing: spend what is left, so the next calls wait. */
  throttled(ref: LimitRef): void {
    this.#throttled += 1;
    const bucket = this.#bucket(ref);
    this.#refill(bucket, this.#now());
    bucket.tokens = Math.min(bucket.tokens, 0);
  }

  /** Resolves with a release function once fewer than `maxInFlight` requests are in flight. */
  async slot(): Promise<() => void> {
    if (this.#inFlight >= this.maxInFlight) {
      await new Promise<void>((resolve) => this.#slotQueue.push(resolve));
    }
    // A released slot passes straight to the next waiter, so the count holds.
    this.#inFlight += 1;
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
      this.#slotQueue.shift()?.();
    };
  }

  stats(): RateLimiterStats {
    return {
      waits: this.#waits,
      waitedMs: this.#waitedMs,
      throttled: this.#throttled,
      peakInFlight: this.#peakInFlight,
    };
  }

  #bucket(ref: LimitRef): Bucket {
    let bucket = this.#buckets.get(ref.key);
    if (bucket === undefined) {
      const limit = this.#limits[ref.family];
      bucket = { limit, tokens: limit.burst, updated: this.#now(), waiting: [], timer: undefined };
      this.#buckets.set(ref.key, bucket);
    }
    return bucket;
  }

  #refill(bucket: Bucket, now: number): void {
    const elapsed = Math.max(0, now - bucket.updated) / 1000;
    bucket.tokens = Math.min(bucket.limit.burst, bucket.tokens + elapsed * bucket.limit.perSecond);
    bucket.updated = now;
  }

  /** Hands out the tokens the bucket has, in order, and sleeps until the next one. */
  #schedule(bucket: Bucket): void {
    if (bucket.timer !== undefined) return;
    const now = this.#now();
    this.#refill(bucket, now);
    while (bucket.waiting.length > 0 && bucket.tokens >= 1) {
      bucket.tokens -= 1;
      const waiter = bucket.waiting.shift()!;
      this.#waits += 1;
      this.#waitedMs += now - waiter.since;
      waiter.resolve();
    }
    if (bucket.waiting.length === 0) return;
    const wait = Math.max(1, Math.ceil(((1 - bucket.tokens) / bucket.limit.perSecond) * 1000));
    bucket.timer = setTimeout(() => {
      bucket.timer = undefined;
      this.#schedule(bucket);
    }, wait);
  }
}
