/**
 * Zip archives for evidence bundles, on fflate (DEFLATE, in memory, no dependencies of its own).
 *
 * Writing is deterministic: entries keep the order given, every entry carries the same fixed
 * time (1980-01-01 00:00, the earliest a zip can hold, in the writer's local time so the stored
 * DOS date is the same in every time zone) and the same attributes, so the same files always
 * give the same bytes.
 *
 * Reading is built for checking damaged or altered archives: it reports an entry that cannot be
 * decompressed, and a name that appears twice, by name, and keeps reading the rest.
 */
import { type UnzipFileInfo, unzipSync, type ZipOptions, zipSync } from 'fflate';

export interface ZipFile {
  /** Forward slashes; no leading slash. */
  readonly path: string;
  readonly body: string | Uint8Array;
}

export interface ZipEntryProblem {
  readonly path: string;
  readonly problem: string;
}

export interface ZipContents {
  /** The entries that could be read, by path, in archive order. */
  readonly entries: ReadonlyMap<string, Uint8Array>;
  /** Entries that could not be read, or whose path appears more than once. */
  readonly problems: readonly ZipEntryProblem[];
}

/** The archive itself cannot be read (no end-of-central-directory record, truncated headers). */
export class ZipFormatError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ZipFormatError';
  }
}

const ENCODER = new TextEncoder();

/** The local-time constructor on purpose: fflate stores the local date and time fields. */
const FIXED_TIME = (): Date => new Date(1980, 0, 1, 0, 0, 0);

const ENTRY_OPTIONS = (): ZipOptions => ({ level: 6, mtime: FIXED_TIME(), os: 0, attrs: 0 });

/** Builds the archive. Paths must be unique, relative and use forward slashes. */
export function writeZip(files: readonly ZipFile[]): Uint8Array {
  const seen = new Set<string>();
  const zippable: Record<string, [Uint8Array, ZipOptions]> = {};
  for (const file of files) {
    if (!isSafePath(file.path)) throw new Error(`Not a safe zip entry path: '${file.path}'`);
    if (seen.has(file.path)) throw new Error(`Zip entry '${file.path}' given twice`);
    seen.add(file.path);
    zippable[file.path] = [toBytes(file.body), ENTRY_OPTIONS()];
  }
  // Object keys that look like array indices would be reordered; entry paths always hold a
  // letter or a dot, and the order is checked to be safe.
  const order = Object.keys(zippable);
  if (order.some((path, i) => path !== files[i]?.path)) {
    throw new Error('Zip entry order would not be kept: use paths that are not plain numbers');
  }
  return zipSync(zippable, { level: 6, mtime: FIXED_TIME() });
}

/**
 * Reads every entry. Throws ZipFormatError when the archive's directory cannot be read at all;
 * an entry that cannot be decompressed or a duplicated path is reported in `problems`.
 */
export function readZip(bytes: Uint8Array): ZipContents {
  const infos: UnzipFileInfo[] = [];
  try {
    unzipSync(bytes, {
      filter: (info) => {
        infos.push(info);
        return false;
      },
    });
  } catch (error) {
    throw new ZipFormatError(`not a readable zip archive (${(error as Error).message})`, { cause: error });
  }
  const entries = new Map<string, Uint8Array>();
  const problems: ZipEntryProblem[] = [];
  const counts = new Map<string, number>();
  for (const info of infos) counts.set(info.name, (counts.get(info.name) ?? 0) + 1);
  for (const [path, count] of counts) {
    if (count > 1) problems.push({ path, problem: `appears ${count} times in the archive` });
  }
  // The directory was read whole above, so an error now comes from decompressing this entry.
  for (let index = 0; index < infos.length; index += 1) {
    const name = infos[index]!.name;
    if ((counts.get(name) ?? 0) > 1) continue;
    let position = -1;
    try {
      const files = unzipSync(bytes, {
        filter: () => {
          position += 1;
          return position === index;
        },
      });
      const body = files[name];
      if (body === undefined) problems.push({ path: name, problem: 'cannot be read from the archive' });
      else entries.set(name, body);
    } catch (error) {
      problems.push({ path: name, problem: `cannot be decompressed (${(error as Error).message})` });
    }
  }
  return { entries, problems };
}

function toBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? ENCODER.encode(body) : body;
}

function isSafePath(path: string): boolean {
  return (
    path !== '' &&
    !path.startsWith('/') &&
    !path.includes('\\') &&
    path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..')
  );
}
