/**
 * SDK clients, one per (service, region) for one set of credentials, created lazily and
 * reused. Every attempt waits for a token of its (account, region, API family) bucket and for
 * a free connection (see rate-limit.ts): a scan stays under AWS's request rates rather than
 * discovering them. What still gets throttled is retried in the SDK's adaptive retry mode
 * (client-side rate limiting on top of exponential backoff) before it becomes a coverage gap.
 * The clients of every account of a scan share one rate limiter and one pool of connections.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, MiddlewareStack } from '@smithy/types';
import { DEFAULT_MAX_IN_FLIGHT, isThrottling, limitRefFor, RateLimiter } from './rate-limit.js';

/** Counts of AWS calls made through a set of clients: shown while scanning and by benchmarks. */
export class CallMetrics {
  /** Logical calls (one per command sent). */
  calls = 0;
  /** HTTP attempts, retries included. */
  attempts = 0;
  readonly byOperation = new Map<string, number>();

  get retries(): number {
    return this.attempts - this.calls;
  }
}

export interface ClientOptions {
  readonly credentials: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  /** A custom endpoint for every service (the simulator, or a local S3 server). */
  readonly endpoint?: string;
  /** Where global services are called and regional ones are asked by default. */
  readonly homeRegion: string;
  readonly maxAttempts?: number;
  /**
   * How long one HTTP attempt may wait for its answer before it fails (and is retried, as a
   * transient error). Default: 30 s, which the SDK's handler only warns about.
   */
  readonly requestTimeoutMs?: number;
  /** Where calls are counted; shared by every client created from these options. */
  readonly metrics?: CallMetrics;
  /**
   * The account whose credentials these clients hold, for the rate limiter's buckets (AWS
   * limits per account); absent for the caller's own clients.
   */
  readonly accountId?: string;
  /**
   * Paces every attempt under AWS's rates and bounds the requests in flight; shared by every
   * client created from these options. Default: a new limiter; `false`: neither (only the
   * connection pool's own bound on sockets remains).
   */
  readonly rateLimiter?: RateLimiter | false;
  /** The connections every client created from these options shares. Default: a new pool. */
  readonly connections?: ConnectionPool;
}

/**
 * One keep-alive agent per protocol for every client of a scan, bounded in sockets per host
 * and in total, so hundreds of accounts × regions × services do not each open their own.
 */
export class ConnectionPool {
  readonly httpAgent: SharedHttpAgent;
  readonly httpsAgent: SharedHttpsAgent;

  constructor(maxSockets: number) {
    const options = { keepAlive: true, maxSockets, maxTotalSockets: maxSockets };
    this.httpAgent = new SharedHttpAgent(options);
    this.httpsAgent = new SharedHttpsAgent(options);
  }

  destroy(): void {
    this.httpAgent.close();
    this.httpsAgent.close();
  }
}

/**
 * The SDK destroys a client's agent with the client; a shared agent outlives each client and
 * is closed by its pool.
 */
class SharedHttpAgent extends HttpAgent {
  override destroy(): void {}

  close(): void {
    super.destroy();
  }
}

class SharedHttpsAgent extends HttpsAgent {
  override destroy(): void {}

  close(): void {
    super.destroy();
  }
}

/** IAM and Organizations are global services signed for us-east-1. */
const GLOBAL_SERVICE_REGION = 'us-east-1';
const DEFAULT_MAX_ATTEMPTS = 8;
const REQUEST_TIMEOUT_MS = 30_000;
const CONNECTION_TIMEOUT_MS = 5_000;

type ServiceClient = EC2Client | IAMClient | OrganizationsClient | S3Client | S3ControlClient | STSClient;

export class AwsClients {
  readonly options: ClientOptions;
  private readonly cache = new Map<string, ServiceClient>();
  /** The pool this instance created (and closes); clients built from its options share it. */
  private readonly ownPool: ConnectionPool | undefined;

  constructor(options: ClientOptions) {
    const rateLimiter = options.rateLimiter ?? new RateLimiter();
    const maxSockets = rateLimiter === false ? undefined : rateLimiter.maxInFlight;
    this.ownPool =
      options.connections === undefined ? new ConnectionPool(maxSockets ?? DEFAULT_MAX_IN_FLIGHT) : undefined;
    this.options = { ...options, rateLimiter, connections: options.connections ?? this.ownPool };
  }

  /** The limiter pacing these clients, when they are paced. */
  get rateLimiter(): RateLimiter | undefined {
    return this.options.rateLimiter === false ? undefined : this.options.rateLimiter;
  }

  ec2(region: string): EC2Client {
    return this.get(`ec2:${region}`, region, () => new EC2Client(this.config(region)));
  }

  sts(region = this.options.homeRegion): STSClient {
    return this.get(`sts:${region}`, region, () => new STSClient(this.config(region)));
  }

  iam(): IAMClient {
    return this.get('iam', GLOBAL_SERVICE_REGION, () => new IAMClient(this.config(GLOBAL_SERVICE_REGION)));
  }

  organizations(): OrganizationsClient {
    return this.get(
      'organizations',
      GLOBAL_SERVICE_REGION,
      () => new OrganizationsClient(this.config(GLOBAL_SERVICE_REGION)),
    );
  }

  s3(region: string): S3Client {
    return this.get(
      `s3:${region}`,
      region,
      () =>
        new S3Client({
          ...this.config(region),
          forcePathStyle: this.options.endpoint !== undefined,
          followRegionRedirects: false,
        }),
    );
  }

  s3control(region = this.options.homeRegion): S3ControlClient {
    const { endpoint } = this.options;
    return this.get(
      `s3control:${region}`,
      region,
      () =>
        new S3ControlClient({
          ...this.config(region),
          // S3 Control's endpoint rules put the account id in front of a custom endpoint's host
          // (`111111111111.127.0.0.1:PORT`, which is no URL); send the calls to it unchanged.
          ...(endpoint !== undefined && { endpointProvider: () => ({ url: new URL(endpoint) }) }),
        }),
    );
  }

  destroy(): void {
    for (const client of this.cache.values()) client.destroy();
    this.cache.clear();
    this.ownPool?.destroy();
  }

  private get<T extends ServiceClient>(key: string, region: string, create: () => T): T {
    let client = this.cache.get(key);
    if (client === undefined) {
      client = create();
      if (this.options.metrics !== undefined) countCalls(client, this.options.metrics);
      const limiter = this.rateLimiter;
      if (limiter !== undefined) {
        paceCalls(client, limiter, this.options.accountId ?? 'caller', region);
      }
      this.cache.set(key, client);
    }
    return client as T;
  }

  private config(region: string) {
    const pool = this.options.connections;
    return {
      region,
      credentials: this.options.credentials,
      retryMode: 'adaptive' as const,
      maxAttempts: this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      requestHandler: {
        requestTimeout: this.options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
        // Without this the handler only logs a warning when an attempt outlasts the timeout, and a
        // hung answer would hang the scan.
        throwOnRequestTimeout: true,
        connectionTimeout: CONNECTION_TIMEOUT_MS,
        ...(pool !== undefined && { httpAgent: pool.httpAgent, httpsAgent: pool.httpsAgent }),
      },
      ...(this.options.endpoint !== undefined && { endpoint: this.options.endpoint }),
    };
  }
}

/**
 * Before each HTTP attempt (inside the retry loop, after signing is set up): wait for a token
 * of the call's bucket, then for a free connection; a throttled answer empties the bucket.
 */
function paceCalls(client: ServiceClient, limiter: RateLimiter, accountId: string, region: string): void {
  const stack = client.middlewareStack as unknown as MiddlewareStack<object, object>;
  stack.add(
    (next, context) => async (args) => {
      const ref = limitRefFor({
        clientName: String(context.clientName ?? ''),
        operation: String(context.commandName ?? '').replace(/Command$/, ''),
        input: (args as { input?: unknown }).input,
        accountId,
        region,
      });
      if (ref !== undefined) await limiter.acquire(ref);
      const release = await limiter.slot();
      try {
        return await next(args);
      } catch (error) {
        if (ref !== undefined && isThrottling(error)) limiter.throttled(ref);
        throw error;
      } finally {
        release();
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'custosRateLimit' },
  );
}

/**
 * Counts each command once at `initialize` and each HTTP attempt inside the retry loop
 * (`finalizeRequest` at low priority runs after the retry middleware, once per attempt).
 */
function countCalls(client: ServiceClient, metrics: CallMetrics): void {
  const stack = client.middlewareStack as unknown as MiddlewareStack<object, object>;
  stack.add(
    (next, context) => async (args) => {
      metrics.calls += 1;
      const name = `${String(context.clientName ?? '').replace(/Client$/, '')}:${String(context.commandName ?? '').replace(/Command$/, '')}`;
      metrics.byOperation.set(name, (metrics.byOperation.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'custosCallCounter' },
  );
  stack.add(
    (next) => async (args) => {
      metrics.attempts += 1;
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'custosAttemptCounter' },
  );
}
