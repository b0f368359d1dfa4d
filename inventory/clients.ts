/**
 * SDK clients, one per (service, region) for one set of credentials, created lazily and
 * reused. Every attempt waits for a token of its (account, region, API family) bucket and for
 * a free connection (see rate-limit.ts): a scan stays under AWS's request rates rather than
 * discovering them. What still gets throttled is retried in the SDK's adaptive retry mode
 * (client-side rate limiting on top of exponential backoff) before it becomes a coverage gap.
 * The clients of every account of a scan share one rate limiter and one pool of connections.
 *
 * Each service's SDK package is loaded the first time it is needed (`loadService`), not when
 * this module is: a package takes tens to hundreds of milliseconds to load (EC2's the most), and
 * a command, a collector or a Lambda function that never calls a service should not pay for it.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { createRequire } from 'node:module';
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, MiddlewareStack } from '@smithy/types';
import { DEFAULT_MAX_IN_FLIGHT, isThrottling, limitRefFor, RateLimiter } from './rate-limit.js';

/** The SDK package of each service `AwsClients` builds clients for. */
export interface AwsSdk {
  readonly ec2: typeof import('@aws-sdk/client-ec2');
  readonly iam: typeof import('@aws-sdk/client-iam');
  readonly organizations: typeof import('@aws-sdk/client-organizations');
  readonly s3: typeof import('@aws-sdk/client-s3');
  readonly s3control: typeof import('@aws-sdk/client-s3-control');
  readonly sts: typeof import('@aws-sdk/client-sts');
  readonly config: typeof import('@aws-sdk/client-config-service');
}

export type AwsService = keyof AwsSdk;

// One literal import() per package: a bundler can only split out (and load on demand) what it
// can see.
const IMPORTS: { readonly [S in AwsService]: () => Promise<AwsSdk[S]> } = {
  ec2: () => import('@aws-sdk/client-ec2'),
  iam: () => import('@aws-sdk/client-iam'),
  organizations: () => import('@aws-sdk/client-organizations'),
  s3: () => import('@aws-sdk/client-s3'),
  s3control: () => import('@aws-sdk/client-s3-control'),
  sts: () => import('@aws-sdk/client-sts'),
  config: () => import('@aws-sdk/client-config-service'),
};

const PACKAGES: { readonly [S in AwsService]: string } = {
  ec2: '@aws-sdk/client-ec2',
  iam: '@aws-sdk/client-iam',
  organizations: '@aws-sdk/client-organizations',
  s3: '@aws-sdk/client-s3',
  s3control: '@aws-sdk/client-s3-control',
  sts: '@aws-sdk/client-sts',
  config: '@aws-sdk/client-config-service',
};

const loaded: { [S in AwsService]?: AwsSdk[S] } = {};
const loading = new Map<AwsService, Promise<AwsSdk[AwsService]>>();

/**
 * The SDK package of `service`, loaded on the first call and shared by every later one. Code
 * that sends commands awaits this first: it needs the package's commands, and afterwards the
 * `AwsClients` accessors build that service's clients from the loaded package.
 */
export function loadService<S extends AwsService>(service: S): Promise<AwsSdk[S]> {
  let pending = loading.get(service);
  if (pending === undefined) {
    pending = IMPORTS[service]().then((sdk) => {
      (loaded as Record<AwsService, AwsSdk[AwsService]>)[service] = sdk;
      return sdk;
    });
    loading.set(service, pending);
  }
  return pending as Promise<AwsSdk[S]>;
}

const requireFromHere = createRequire(import.meta.url);

/**
 * The loaded package of `service`. A client asked for before its package was loaded (a caller
 * that never awaited `loadService`) gets the package from Node's module loader synchronously:
 * the SDK packages are CommonJS, so this is the very module `import()` would give. Code that
 * runs in the Lambda bundles must await `loadService` first: there, a require would not find
 * the bundled package (at best the Lambda runtime's own copy of the SDK).
 */
function sdkOf<S extends AwsService>(service: S): AwsSdk[S] {
  const sdk = loaded[service] ?? (requireFromHere(PACKAGES[service]) as AwsSdk[S]);
  loaded[service] = sdk;
  return sdk;
}

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

type ServiceClient =
  | EC2Client
  | IAMClient
  | OrganizationsClient
  | S3Client
  | S3ControlClient
  | STSClient
  | ConfigServiceClient;

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
    return this.get(`ec2:${region}`, region, () => new (sdkOf('ec2').EC2Client)(this.config(region)));
  }

  sts(region = this.options.homeRegion): STSClient {
    return this.get(`sts:${region}`, region, () => new (sdkOf('sts').STSClient)(this.config(region)));
  }

  iam(): IAMClient {
    return this.get(
      'iam',
      GLOBAL_SERVICE_REGION,
      () => new (sdkOf('iam').IAMClient)(this.config(GLOBAL_SERVICE_REGION)),
    );
  }

  organizations(): OrganizationsClient {
    return this.get(
      'organizations',
      GLOBAL_SERVICE_REGION,
      () => new (sdkOf('organizations').OrganizationsClient)(this.config(GLOBAL_SERVICE_REGION)),
    );
  }

  s3(region: string): S3Client {
    return this.get(
      `s3:${region}`,
      region,
      () =>
        new (sdkOf('s3').S3Client)({
          ...this.config(region),
          forcePathStyle: this.options.endpoint !== undefined,
          followRegionRedirects: false,
        }),
    );
  }

  /** AWS Config (advanced queries), when it is the inventory source. */
  configService(region: string): ConfigServiceClient {
    return this.get(
      `config:${region}`,
      region,
      () => new (sdkOf('config').ConfigServiceClient)(this.config(region)),
    );
  }

  s3control(region = this.options.homeRegion): S3ControlClient {
    const { endpoint } = this.options;
    return this.get(
      `s3control:${region}`,
      region,
      () =>
        new (sdkOf('s3control').S3ControlClient)({
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
