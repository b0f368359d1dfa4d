/**
 * The report store in a local folder, with the same layout as in S3:
 * `runs/<runId>/...` written once, `latest.json` written last so a reader never sees half a run.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type BodyChunks,
  KeyExistsError,
  MeasuredBody,
  type ReportStore,
  type StoredBody,
  type StoredKey,
} from './store.js';

export class LocalReportStore implements ReportStore {
  constructor(readonly root: string) {}

  /**
   * Writes a key once; an existing key is never overwritten (runs are write-once). The body is
   * written aside and hard-linked into place: the link fails if the key exists, so two writers
   * cannot both win, and a reader never sees a half-written file.
   */
  async putOnce(key: string, body: string | Uint8Array): Promise<void> {
    const path = join(this.root, key);
    await linkInto(path, await writeAside(path, body));
  }

  /** `putOnce` of a body written as it is produced: aside first, then hard-linked into place. */
  async putOnceStream(key: string, body: BodyChunks): Promise<StoredBody> {
    const path = join(this.root, key);
    const measured = new MeasuredBody(body);
    await linkInto(path, await streamAside(path, measured));
    return measured.digest();
  }

  /** Rewrites a key in place (latest.json, the ticket files). */
  async put(key: string, body: string | Uint8Array): Promise<void> {
    await writeAtomically(join(this.root, key), body);
  }

  async putStream(key: string, body: BodyChunks): Promise<StoredBody> {
    const path = join(this.root, key);
    const measured = new MeasuredBody(body);
    await rename(await streamAside(path, measured), path);
    return measured.digest();
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.root, key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async getStream(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    try {
      const file = await open(join(this.root, key), 'r');
      return file.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(join(this.root, key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (!entry.name.endsWith('.tmp')) keys.push(relative(this.root, path).split(sep).join('/'));
      }
    };
    // Every key under `prefix` is in the prefix's folder: only that folder is walked.
    await walk(join(this.root, prefix.slice(0, prefix.lastIndexOf('/') + 1)));
    return keys.filter((k) => k.startsWith(prefix)).sort();
  }

  async listSized(prefix: string): Promise<StoredKey[]> {
    const sized: StoredKey[] = [];
    for (const key of await this.list(prefix)) {
      try {
        sized.push({ key, size: (await stat(join(this.root, key))).size });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return sized;
  }

  locate(key: string): string {
    return join(this.root, key);
  }
}

function temporaryFor(path: string): string {
  return `${path}.${process.pid}.${randomUUID()}.tmp`;
}

async function writeAside(path: string, body: string | Uint8Array): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryFor(path);
  await writeFile(temporary, body);
  return temporary;
}

async function streamAside(path: string, body: AsyncIterable<Uint8Array>): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryFor(path);
  try {
    await pipeline(Readable.from(body), createWriteStream(temporary));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return temporary;
}

/**
 * The link fails if the key exists, so two writers cannot both win, and a reader never sees a
 * half-written file. The written-aside file goes either way.
 */
async function linkInto(path: string, temporary: string): Promise<void> {
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyExistsError(path, { cause: error });
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Write to a temporary name, then rename: a crash never leaves a half-written file. */
async function writeAtomically(path: string, body: string | Uint8Array): Promise<void> {
  await rename(await writeAside(path, body), path);
}
