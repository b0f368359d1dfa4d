/**
 * The report store in a local folder, with the same layout as in S3:
 * `runs/<runId>/...` written once, `latest.json` written last so a reader never sees half a run.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { KeyExistsError, type ReportStore } from './store.js';

export class LocalReportStore implements ReportStore {
  constructor(readonly root: string) {}

  /**
   * Writes a key once; an existing key is never overwritten (runs are write-once). The body is
   * written aside and hard-linked into place: the link fails if the key exists, so two writers
   * cannot both win, and a reader never sees a half-written file.
   */
  async putOnce(key: string, body: string | Uint8Array): Promise<void> {
    const path = join(this.root, key);
    const temporary = await writeAside(path, body);
    try {
      await link(temporary, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST')
        throw new KeyExistsError(path, { cause: error });
      throw error;
    } finally {
      await rm(temporary, { force: true });
    }
  }

  /** Rewrites a key in place (latest.json, the ticket files). */
  async put(key: string, body: string | Uint8Array): Promise<void> {
    await writeAtomically(join(this.root, key), body);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.root, key));
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
    await walk(this.root);
    return keys.filter((k) => k.startsWith(prefix)).sort();
  }

  locate(key: string): string {
    return join(this.root, key);
  }
}

async function writeAside(path: string, body: string | Uint8Array): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temporary, body);
  return temporary;
}

/** Write to a temporary name, then rename: a crash never leaves a half-written file. */
async function writeAtomically(path: string, body: string | Uint8Array): Promise<void> {
  await rename(await writeAside(path, body), path);
}
