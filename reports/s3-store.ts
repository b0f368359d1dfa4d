/**
 * The report store in an S3 bucket, with the same layout as the local folder:
 * `runs/<runId>/...` written once (a conditional write: S3 itself refuses a second write of the
 * same key), `latest.json` and the ticket files rewritten in place. Every object is encrypted
 * with SSE-KMS and carries a SHA-256 checksum that S3 verifies on arrival; run artifacts can be
 * locked with Object Lock retention so that evidence cannot be altered or deleted.
 */

import { Readable } from 'node:stream';
import type { PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import {
  type BodyChunks,
  KeyExistsError,
  MeasuredBody,
  type ReportStore,
  type StoredBody,
  type StoredKey,
} from './store.js';

export interface S3ObjectLock {
  /** GOVERNANCE can be lifted by a principal with s3:BypassGovernanceRetention; COMPLIANCE by nobody. */
  readonly mode: 'GOVERNANCE' | 'COMPLIANCE';
  /** How long each run artifact stays locked, counted from the moment it is written. */
  readonly retentionDays: number;
}

export interface S3ReportStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Folder inside the bucket; leading and trailing slashes are ignored. */
  readonly prefix?: string;
  /** The KMS key (id, ARN or alias) to encrypt with; the bucket's default KMS key when absent. */
  readonly kmsKeyId?: string;
  /** Object Lock retention for run artifacts (`putOnce`); the bucket must have Object Lock enabled. */
  readonly objectLock?: S3ObjectLock;
  /** The clock that dates Object Lock retention; injectable for tests. */
  readonly now?: () => Date;
}

export interface S3Location {
  readonly bucket: string;
  /** The folder inside the bucket, without leading or trailing slash; '' for the bucket root. */
  readonly prefix: string;
}

/** Bodies above this size are sent as a multipart upload, in parts of this size. */
export const MULTIPART_THRESHOLD_BYTES = 8 * 1024 * 1024;
const MULTIPART_QUEUE_SIZE = 4;
/**
 * Parts in flight for a body written as it is produced: a run writes its formats at once, and
 * each upload holds this many parts (plus the one filling) in memory.
 */
const STREAM_QUEUE_SIZE = 2;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A PutObject whose body is in memory, so its size is known before choosing how to send it. */
type WriteInput = PutObjectCommandInput & { Body: Uint8Array };

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
  xml: 'application/xml',
};
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

// Bucket naming rules (general purpose buckets): 3-63 characters, lowercase letters, digits,
// dots and hyphens, beginning and ending with a letter or digit.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Splits `s3://bucket/some/prefix` into its bucket and prefix; throws on anything else. */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(url.trim());
  if (match === null) {
    throw new Error(`Not an S3 URL: '${url}' (expected s3://bucket or s3://bucket/prefix)`);
  }
  const bucket = match[1] ?? '';
  if (!BUCKET_NAME.test(bucket)) {
    throw new Error(
      `Not an S3 URL: '${url}' has no valid bucket name ` +
        '(3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit)',
    );
  }
  return { bucket, prefix: normalisePrefix(match[2] ?? '', url) };
}

export class S3ReportStore implements ReportStore {
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly kmsKeyId: string | undefined;
  private readonly objectLock: S3ObjectLock | undefined;
  private readonly now: () => Date;

  constructor(options: S3ReportStoreOptions) {
    if (!BUCKET_NAME.test(options.bucket)) throw new Error(`Not a valid S3 bucket name: '${options.bucket}'`);
    const { objectLock } = options;
    if (objectLock !== undefined) {
      if (objectLock.mode !== 'GOVERNANCE' && objectLock.mode !== 'COMPLIANCE') {
        throw new Error(
          `Object Lock mode must be GOVERNANCE or COMPLIANCE, not '${String(objectLock.mode)}'`,
        );
      }
      if (!Number.isFinite(objectLock.retentionDays) || objectLock.retentionDays <= 0) {
        throw new Error(
          `Object Lock retentionDays must be a positive number, not ${objectLock.retentionDays}`,
        );
      }
    }
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = normalisePrefix(options.prefix ?? '', options.prefix ?? '');
    this.kmsKeyId = options.kmsKeyId;
    this.objectLock = objectLock;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Writes `key` only if it does not exist (`If-None-Match: *`, enforced by S3 itself, so two
   * writers racing for the same key cannot both win), locked with Object Lock when configured.
   */
  async putOnce(key: string, body: string | Uint8Array): Promise<void> {
    await this.once(key, () => this.send(this.onceInput(this.writeInput(key, bytesOf(body)))));
  }

  /**
   * `putOnce` of a body written as it is produced: a multipart upload (a single PutObject when
   * the body is small) with the same headers; S3 checks If-None-Match when it completes.
   */
  async putOnceStream(key: string, body: BodyChunks): Promise<StoredBody> {
    const measured = new MeasuredBody(body);
    await this.once(key, () =>
      this.upload(this.onceInput(this.writeInput(key, Readable.from(measured))), STREAM_QUEUE_SIZE),
    );
    return measured.digest();
  }

  /** Rewrites `key` in place (latest.json, the ticket files): encrypted, never locked. */
  async put(key: string, body: string | Uint8Array): Promise<void> {
    await this.send(this.writeInput(key, bytesOf(body)));
  }

  async putStream(key: string, body: BodyChunks): Promise<StoredBody> {
    const measured = new MeasuredBody(body);
    await this.upload(this.writeInput(key, Readable.from(measured)), STREAM_QUEUE_SIZE);
    return measured.digest();
  }

  /** What a write-once adds: If-None-Match, and Object Lock retention when configured. */
  private onceInput<B extends Uint8Array | Readable>(
    input: PutObjectCommandInput & { Body: B },
  ): PutObjectCommandInput & { Body: B } {
    const once: PutObjectCommandInput & { Body: B } = { ...input, IfNoneMatch: '*' };
    if (this.objectLock !== undefined) {
      once.ObjectLockMode = this.objectLock.mode;
      once.ObjectLockRetainUntilDate = new Date(
        this.now().getTime() + this.objectLock.retentionDays * DAY_MS,
      );
    }
    return once;
  }

  /** S3's answers to a conditional write that lost, as `KeyExistsError`. */
  private async once(key: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (errorName(error) === 'PreconditionFailed' || httpStatus(error) === 412) {
        throw new KeyExistsError(this.locate(key), { cause: error });
      }
      if (errorName(error) === 'ConditionalRequestConflict') {
        throw new KeyExistsError(this.locate(key), { cause: error, racing: true });
      }
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const { DeleteObjectCommand } = await s3Sdk();
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  async get(key: string): Promise<Buffer | undefined> {
    const { GetObjectCommand } = await s3Sdk();
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      if (response.Body === undefined) return Buffer.alloc(0);
      const bytes = await response.Body.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      if (errorName(error) === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async getStream(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    const { GetObjectCommand } = await s3Sdk();
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      // In Node the SDK's body is a Readable stream, which is async-iterable.
      return (response.Body as AsyncIterable<Uint8Array> | undefined) ?? Readable.from([]);
    } catch (error) {
      if (errorName(error) === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.listSized(prefix)).map((k) => k.key);
  }

  async listSized(prefix: string): Promise<StoredKey[]> {
    if (prefix.startsWith('/')) throw new Error(`Report store prefixes never start with '/': '${prefix}'`);
    const base = this.prefix === '' ? '' : `${this.prefix}/`;
    const keys: StoredKey[] = [];
    const { paginateListObjectsV2 } = await s3Sdk();
    const pages = paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.bucket, Prefix: `${base}${prefix}` },
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (object.Key?.startsWith(base))
          keys.push({ key: object.Key.slice(base.length), size: object.Size ?? 0 });
      }
    }
    // Sorted as `list` always sorted its keys: by UTF-16 code units.
    return keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  locate(key: string): string {
    return `s3://${this.bucket}/${this.objectKey(key)}`;
  }

  private objectKey(key: string): string {
    if (key === '') throw new Error('Report store keys are never empty');
    if (key.startsWith('/')) throw new Error(`Report store keys never start with '/': '${key}'`);
    return this.prefix === '' ? key : `${this.prefix}/${key}`;
  }

  /** What every write carries: SSE-KMS with a bucket key, a SHA-256 checksum, a content type. */
  private writeInput<B extends Uint8Array | Readable>(
    key: string,
    body: B,
  ): PutObjectCommandInput & { Body: B } {
    return {
      Bucket: this.bucket,
      Key: this.objectKey(key),
      Body: body,
      ContentType: contentTypeOf(key),
      ServerSideEncryption: 'aws:kms',
      ...(this.kmsKeyId !== undefined && { SSEKMSKeyId: this.kmsKeyId }),
      BucketKeyEnabled: true,
      ChecksumAlgorithm: 'SHA256',
    };
  }

  /** One PutObject for small bodies; a multipart upload with the same headers for large ones. */
  private async send(input: WriteInput): Promise<void> {
    if (input.Body.byteLength <= MULTIPART_THRESHOLD_BYTES) {
      const { PutObjectCommand } = await s3Sdk();
      await this.client.send(new PutObjectCommand(input));
      return;
    }
    await this.upload(input);
  }

  /**
   * A multipart upload in parts of 8 MiB, or one PutObject when the body fits in one part. The
   * upload copies these parameters onto CreateMultipartUpload (encryption, lock, checksum
   * algorithm, content type), UploadPart (a SHA-256 checksum per part) and
   * CompleteMultipartUpload (If-None-Match), and aborts the upload when a step fails.
   */
  private async upload(input: PutObjectCommandInput, queueSize = MULTIPART_QUEUE_SIZE): Promise<void> {
    const { Upload } = await import('@aws-sdk/lib-storage');
    const upload = new Upload({
      client: this.client,
      params: input,
      partSize: MULTIPART_THRESHOLD_BYTES,
      queueSize,
    });
    await upload.done();
  }
}

function bytesOf(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/**
 * The S3 package, loaded by the first request: a run whose store is a local folder never needs
 * it, and opening the store comes before a scan's first AWS call.
 */
function s3Sdk(): Promise<typeof import('@aws-sdk/client-s3')> {
  return import('@aws-sdk/client-s3');
}

function contentTypeOf(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot < 0) return DEFAULT_CONTENT_TYPE;
  return CONTENT_TYPES[name.slice(dot + 1).toLowerCase()] ?? DEFAULT_CONTENT_TYPE;
}

/** Strips leading and trailing slashes; an empty segment (`a//b`) is a mistake, not a folder. */
function normalisePrefix(prefix: string, shownAs: string): string {
  const trimmed = prefix.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed.split('/').some((segment) => segment === '') && trimmed !== '') {
    throw new Error(`S3 prefix '${shownAs}' has an empty folder name ('//')`);
  }
  return trimmed;
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  return metadata?.httpStatusCode;
}
