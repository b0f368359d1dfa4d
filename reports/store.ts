/**
 * The report store: the same layout in a local folder and in S3, behind one interface.
 * `runs/<runId>/...` is written once; `latest.json` and the ticket files are rewritten.
 */
import { createHash } from 'node:crypto';

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

export interface ReportStore {
  /** Writes `key` once; writing an existing key is an error (runs are never rewritten). */
  putOnce(key: string, body: string | Uint8Array): Promise<void>;
  /** Writes `key`, replacing what was there (`latest.json`, ticket records). */
  put(key: string, body: string | Uint8Array): Promise<void>;
  /** The body of `key`, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  /** Removes `key` (a lease, never a run artifact); removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Keys under `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Where `key` lives, for people: a path or an s3:// URL. */
  locate(key: string): string;
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
