/**
 * The report store: the same layout in a local folder and in S3, behind one interface.
 * `runs/<runId>/...` is written once; `latest.json` and the ticket files are rewritten.
 */
import { createHash, type Hash } from 'node:crypto';

/** `putOnce` of a key that exists (or that another writer is writing at the same moment). */
export class KeyExistsError extends Error {
  readonly key: string;

  constructor(location: string, options: { cause?: unknown; racing?: boolean } = {}) {
    super(
      options.racing === true
        ? `${location} is being written by another writer: runs are never rewritten`
        : `${location} already exists: runs are never rewritten`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'KeyExistsError';
    this.key = location;
  }
}

/** A body written as it is produced: text (written as UTF-8) and bytes, in order. */
export type BodyChunks = AsyncIterable<string | Uint8Array>;

/** What was written, measured on the way. */
export interface StoredBody {
  readonly sha256: string;
  readonly size: number;
}

export interface ReportStore {
  /** Writes `key` once; writing an existing key is an error (runs are never rewritten). */
  putOnce(key: string, body: string | Uint8Array): Promise<void>;
  /**
   * `putOnce` of a body too large to hold in memory. A reader never sees it half-written, and
   * the existing-key check is the same as `putOnce`'s (it may come once the body is consumed).
   */
  putOnceStream(key: string, body: BodyChunks): Promise<StoredBody>;
  /** Writes `key`, replacing what was there (`latest.json`, ticket records). */
  put(key: string, body: string | Uint8Array): Promise<void>;
  /** `put` of a body written as it is produced. */
  putStream(key: string, body: BodyChunks): Promise<StoredBody>;
  /** The body of `key`, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  /** The body of `key` as it arrives (for reading the start of a large file), or undefined. */
  getStream(key: string): Promise<AsyncIterable<Uint8Array> | undefined>;
  /** Removes `key` (a lease, never a run artifact); removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Keys under `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Keys under `prefix` with their sizes in bytes, sorted by key. */
  listSized(prefix: string): Promise<StoredKey[]>;
  /** Where `key` lives, for people: a path or an s3:// URL. */
  locate(key: string): string;
}

export interface StoredKey {
  readonly key: string;
  readonly size: number;
}

export interface LatestPointer {
  readonly runId: string;
  readonly reportKey: string;
}

export interface StoredArtifact {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

export interface RunManifest {
  readonly runId: string;
  readonly previousManifestSha256: string | null;
  readonly artifacts: readonly StoredArtifact[];
}

export function sha256Hex(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Bytes handed to a store at once: small writes are joined up to about this size. */
const WRITE_SIZE = 1 << 20;

/**
 * The body as UTF-8 bytes in writes of about 1 MiB, hashed and counted on the way: `digest()`
 * is what went through once the bytes are consumed. The hash is of exactly the bytes written.
 */
export class MeasuredBody implements AsyncIterable<Buffer> {
  private readonly hash: Hash = createHash('sha256');
  private size = 0;
  private done = false;

  constructor(private readonly body: BodyChunks) {}

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    let texts: string[] = [];
    let pending = 0;
    const flush = (): Buffer => {
      const bytes = Buffer.from(texts.join(''), 'utf8');
      texts = [];
      pending = 0;
      return this.measure(bytes);
    };
    for await (const chunk of this.body) {
      if (typeof chunk === 'string') {
        if (chunk.length === 0) continue;
        texts.push(chunk);
        pending += chunk.length;
        if (pending >= WRITE_SIZE) yield flush();
        continue;
      }
      if (pending > 0) yield flush();
      if (chunk.byteLength > 0)
        yield this.measure(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    if (pending > 0) yield flush();
    this.done = true;
  }

  /** The SHA-256 and size of the whole body; only once it has been consumed to its end. */
  digest(): StoredBody {
    if (!this.done) throw new Error('the body was not written to its end');
    return { sha256: this.hash.digest('hex'), size: this.size };
  }

  private measure(bytes: Buffer): Buffer {
    this.hash.update(bytes);
    this.size += bytes.byteLength;
    return bytes;
  }
}
