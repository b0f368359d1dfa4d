/**
 * A real S3 protocol server (s3rver) on loopback for report-store tests, plus a recorder that
 * captures every HTTP request an SDK client sends, with its headers as they go on the wire.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { DeserializeMiddleware, HttpRequest, HttpResponse, MiddlewareStack } from '@smithy/types';

interface S3rverOptions {
  readonly port: number;
  readonly address: string;
  readonly silent: boolean;
  readonly directory: string;
  readonly configureBuckets: ReadonlyArray<{ readonly name: string }>;
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}

// s3rver is CommonJS and ships no types: load it through require with the slice of its API in use.
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: S3rverOptions) => S3rverInstance;

export interface S3Server {
  readonly endpoint: string;
  /** A path-style client signed with s3rver's credentials; destroyed by `close`. */
  client(): S3Client;
  close(): Promise<void>;
}

export async function startS3rver(buckets: readonly string[]): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'custos-s3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  return {
    endpoint,
    client() {
      const client = new S3Client({
        endpoint,
        forcePathStyle: true,
        region: 'us-east-1',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export interface RecordedRequest {
  readonly method: string;
  /** The path, bucket included (path-style). */
  readonly path: string;
  readonly query: Readonly<Record<string, unknown>>;
  /** Header names in lowercase. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Records each HTTP attempt the client sends. At the `deserialize` step with low priority the
 * middleware runs after checksums, retries and signing, right before the HTTP handler, so it sees
 * the request as it goes on the wire. `intercept` may answer a request itself instead of sending
 * it; the SDK then parses that answer (an error status becomes the SDK's error) as if S3 sent it.
 */
export function recordRequests(
  client: S3Client,
  intercept?: (request: RecordedRequest) => Promise<HttpResponse | undefined>,
): RecordedRequest[] {
  const requests: RecordedRequest[] = [];
  const middleware: DeserializeMiddleware<object, object> = (next) => async (args) => {
    const request = args.request as HttpRequest;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    const recorded: RecordedRequest = {
      method: request.method,
      path: request.path,
      query: { ...request.query },
      headers,
    };
    requests.push(recorded);
    const answer = intercept === undefined ? undefined : await intercept(recorded);
    if (answer !== undefined) return { output: {}, response: answer };
    return next(args);
  };
  (client.middlewareStack as unknown as MiddlewareStack<object, object>).add(middleware, {
    step: 'deserialize',
    priority: 'low',
    name: 'recordRequests',
  });
  return requests;
}

/** An error answer in S3's REST/XML shape, which the SDK parses into an error named `code`. */
export function s3ErrorResponse(statusCode: number, code: string, message: string): HttpResponse {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>TEST</RequestId></Error>`;
  return {
    statusCode,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'TEST' },
    body: Readable.from([Buffer.from(xml)]),
  };
}

/**
 * S3 conditional writes, which s3rver ignores: a PutObject or CompleteMultipartUpload sent with
 * `If-None-Match: *` for a key that already exists is answered 412 PreconditionFailed, as S3 does.
 * Pass the result as `intercept` to `recordRequests`.
 */
export function conditionalWrites(
  server: S3Server,
): (request: RecordedRequest) => Promise<HttpResponse | undefined> {
  const probe = server.client();
  return async (request) => {
    if (request.headers['if-none-match'] !== '*') return undefined;
    const isPut = request.method === 'PUT' && !('partNumber' in request.query);
    const isComplete = request.method === 'POST' && 'uploadId' in request.query;
    if (!isPut && !isComplete) return undefined;
    const [bucket = '', ...key] = request.path.split('/').slice(1).map(decodeURIComponent);
    try {
      await probe.send(new HeadObjectCommand({ Bucket: bucket, Key: key.join('/') }));
    } catch (error) {
      if (error instanceof Error && error.name === 'NotFound') return undefined;
      throw error;
    }
    return s3ErrorResponse(
      412,
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
    );
  };
}
