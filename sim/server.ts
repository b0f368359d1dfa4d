/**
 * The AWS simulator: a local HTTP server that serves an estate over AWS's wire protocols, so
 * the real SDK clients talk to it unchanged (`endpoint: simulator.endpoint`, and
 * `forcePathStyle: true` for S3).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog, type SimCall } from './call-log.js';
import { createDispatch, type Dispatch } from './dispatch.js';
import type { Estate } from './estate.js';
import { DEFAULT_SEED, FaultInjector } from './faults.js';
import { Identities, type StaticCredentials } from './identity.js';
import { LatencyModel, type LatencyOptions, type ThrottleOptions, TokenBuckets } from './limits.js';
import type { RawRequest, ServiceModule } from './service.js';
import { configService } from './services/config.js';
import { ec2Service } from './services/ec2.js';
import { iamService } from './services/iam.js';
import { organizationsService } from './services/organizations.js';
import { s3Service } from './services/s3.js';
import { s3ControlService } from './services/s3control.js';
import { stsService } from './services/sts.js';

export type { SimCall } from './call-log.js';
export type { LatencyOptions, ThrottleOptions, TokenRate } from './limits.js';

export interface SimulatorOptions {
  /** Caps every page below AWS's own maximum, so that tests walk several pages. */
  readonly maxPageSize?: number;
  /** Seeds intermittent faults; default: the estate's `seed`, else a fixed one. */
  readonly seed?: number;
  /**
   * Answers each call after a latency drawn from a seeded log-normal distribution (a number is
   * the median in milliseconds). Default: answer at once.
   */
  readonly latency?: number | LatencyOptions;
  /**
   * AWS's token buckets (EC2 per action, account and region; IAM, STS and S3 per account): a
   * call that finds its bucket empty gets the service's throttling error. Default: no limits.
   */
  readonly throttle?: boolean | ThrottleOptions;
  /**
   * Caps the sessions AssumeRole issues at this many milliseconds; a call signed with an
   * expired session is refused as AWS refuses it (`ExpiredToken`, EC2 `RequestExpired`).
   * Default: the DurationSeconds asked for. Sessions always expire at their Expiration.
   */
  readonly sessionTtlMs?: number;
}

export interface Simulator {
  /** `http://127.0.0.1:PORT`, for the SDK's `endpoint`. */
  readonly endpoint: string;
  /** The default caller's keys: the management account, or the estate's only account. */
  readonly credentials: StaticCredentials;
  calls(): ReadonlyArray<SimCall>;
  /** Calls per `service:Operation`, e.g. `ec2:DescribeSecurityGroups`. */
  callCounts(): Record<string, number>;
  /** Calls answered with a throttling error because their token bucket was empty, per `service:Operation`. */
  throttled(): Record<string, number>;
  /** Forgets the calls and the throttling counts (the buckets keep their tokens). */
  resetCalls(): void;
  close(): Promise<void>;
}

/** S3 Control comes before S3: both sign as `s3`, and the first that accepts a request answers it. */
const SERVICES: ReadonlyArray<ServiceModule> = [
  ec2Service,
  stsService,
  organizationsService,
  iamService,
  s3ControlService,
  s3Service,
  configService,
];

export async function startSimulator(estate: Estate, options: SimulatorOptions = {}): Promise<Simulator> {
  const { maxPageSize } = options;
  if (maxPageSize !== undefined && (!Number.isInteger(maxPageSize) || maxPageSize < 1)) {
    throw new RangeError(`maxPageSize must be a positive integer, got ${maxPageSize}`);
  }
  const identities = new Identities(defaultAccountId(estate), {
    ...(options.sessionTtlMs !== undefined && { sessionTtlMs: options.sessionTtlMs }),
  });
  const log = new CallLog();
  const seed = options.seed ?? estate.seed ?? DEFAULT_SEED;
  const faults = new FaultInjector(estate, seed);
  const state = { estate, identities, maxPageSize, credentialReports: new Map<string, Date>() };
  const buckets = tokenBuckets(options.throttle);
  const latency = latencyModel(options.latency, seed);
  const dispatch = createDispatch(state, SERVICES, faults, log, buckets);

  const server = createServer((request, response) => {
    serve(dispatch, request, response, latency).catch((error: unknown) => {
      console.error('custos simulator: could not answer a request', error);
      response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    credentials: identities.defaultCredentials,
    calls: () => log.calls(),
    callCounts: () => log.counts(),
    throttled: () => buckets?.throttled() ?? {},
    resetCalls: () => {
      log.reset();
      buckets?.resetCounts();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; without this close() would wait for them.
        server.closeAllConnections();
      }),
  };
}

/** The management account when there is an organization, else the estate's first account. */
function defaultAccountId(estate: Estate): string {
  return estate.organization?.managementAccountId ?? Object.keys(estate.accounts)[0] ?? '000000000000';
}

function tokenBuckets(option: SimulatorOptions['throttle']): TokenBuckets | undefined {
  if (option === undefined || option === false) return undefined;
  return new TokenBuckets(option === true ? {} : option);
}

function latencyModel(option: SimulatorOptions['latency'], seed: number): LatencyModel | undefined {
  if (option === undefined) return undefined;
  const model = new LatencyModel(typeof option === 'number' ? { medianMs: option } : option, seed);
  return model.medianMs === 0 ? undefined : model;
}

async function serve(
  dispatch: Dispatch,
  request: IncomingMessage,
  response: ServerResponse,
  latency: LatencyModel | undefined,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const raw: RawRequest = {
    method: request.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
  // The call is decided when it arrives (a token is taken then); its answer travels back later.
  const answer = dispatch(raw);
  const delay = latency?.next() ?? 0;
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  response.writeHead(answer.status, {
    ...answer.headers,
    'content-length': String(Buffer.byteLength(answer.body)),
  });
  response.end(answer.body);
}
