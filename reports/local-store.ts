/**
 * The report store in a local folder, with the same layout as in S3:
 * `runs/<runId>/...` written once, `latest.json` written last so a reader never sees half a run.
 */
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { ReportStore } from './store.js';

export class LocalReportStore implements ReportStore {
  constructor(readonly root: string) {}

  /** Writes a key once; an existing key is never overwritten (runs are write-once). */
  async putOnce(key: string, body: string | Uint8Array): Promise<void> {
    const path = join(this.root, key);
    if (await exists(path)) throw new Error(`${path} already exists: runs are never rewritten`);
    await writeAtomically(path, body);
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

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Write to a temporary name, then rename: a crash never leaves a half-written file. */
async function writeAtomically(path: string, body: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, body);
  await rename(temporary, path);
}
