/**
 * SDK clients, one per (service, region) for one set of credentials, created lazily and
 * reused. Every client uses the SDK's adaptive retry mode (client-side rate limiting on top of
 * exponential backoff), so throttling is retried before it becomes a coverage gap.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, MiddlewareStack } from '@smithy/types';

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
  /** Where calls are counted; shared by every client created from these options. */
  readonly metrics?: CallMetrics;
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

  constructor(options: ClientOptions) {
    this.options = options;
  }

  ec2(region: string): EC2Client {
    return this.get(`ec2:${region}`, () => new EC2Client(this.config(region)));
  }

  sts(region = this.options.homeRegion): STSClient {
    return this.get(`sts:${region}`, () => new STSClient(this.config(region)));
  }

  iam(): IAMClient {
    return this.get('iam', () => new IAMClient(this.config(GLOBAL_SERVICE_REGION)));
  }

  organizations(): OrganizationsClient {
    return this.get('organizations', () => new OrganizationsClient(this.config(GLOBAL_SERVICE_REGION)));
  }

  s3(region: string): S3Client {
    return this.get(
      `s3:${region}`,
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
  }

  private get<T extends ServiceClient>(key: string, create: () => T): T {
    let client = this.cache.get(key);
    if (client === undefined) {
      client = create();
      if (this.options.metrics !== undefined) countCalls(client, this.options.metrics);
      this.cache.set(key, client);
    }
    return client as T;
  }

  private config(region: string) {
    return {
      region,
      credentials: this.options.credentials,
      retryMode: 'adaptive' as const,
      maxAttempts: this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: CONNECTION_TIMEOUT_MS },
      ...(this.options.endpoint !== undefined && { endpoint: this.options.endpoint }),
    };
  }
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
