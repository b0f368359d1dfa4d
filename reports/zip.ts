/**
 * Zip archives for evidence bundles: written with fflate (DEFLATE, in memory, no dependencies of
 * its own), read with node:zlib.
 *
 * Writing is deterministic: entries keep the order given, every entry carries the same fixed
 * time (1980-01-01 00:00, the earliest a zip can hold, in the writer's local time so the stored
 * DOS date is the same in every time zone) and the same attributes, so the same files always
 * give the same bytes.
 *
 * Reading is built for checking damaged or altered archives and is written here, independent
 * of the writer: it reports each entry that cannot be decompressed, fails its CRC-32, or
 * appears twice, by name, and keeps reading the rest.
 */
import { inflateRawSync } from 'node:zlib';
import { type ZipOptions, zipSync } from 'fflate';

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
 * Reads every entry, with its own reading of the zip structure (not the writer's): the central
 * directory, each local header, DEFLATE through node:zlib, and each entry's CRC-32 and sizes.
 * Throws ZipFormatError when the directory cannot be read at all; everything else is reported
 * in `problems` by entry path (or `(zip)` for the archive's own records), and the rest is read.
 *
 * With `canonical`, also reports every header field that differs from what `writeZip` writes
 * (times, attributes, flags, versions, extra fields, comments) and bytes that belong to no
 * entry, so that a change anywhere in the archive is noticed, not only in the contents.
 */
export function readZip(bytes: Uint8Array, options: { canonical?: boolean } = {}): ZipContents {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const eocd = findEndOfDirectory(bytes, view);
  const count = u16(eocd + 10);
  const directorySize = u32(eocd + 12);
  const directoryOffset = u32(eocd + 16);
  const commentLength = u16(eocd + 20);
  if (directoryOffset + directorySize > eocd) {
    throw new ZipFormatError('not a readable zip archive (its central directory overlaps its end record)');
  }
  const problems: ZipEntryProblem[] = [];
  const archive = (problem: string) => problems.push({ path: ARCHIVE, problem });
  if (options.canonical === true) {
    if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0 || u16(eocd + 8) !== count) {
      archive('its end record names other disks');
    }
    if (commentLength !== 0 || eocd + 22 !== bytes.byteLength) archive('has bytes after its end record');
    if (directoryOffset + directorySize !== eocd)
      archive('has bytes between its central directory and its end record');
  }

  const headers: CentralHeader[] = [];
  let at = directoryOffset;
  for (let index = 0; index < count; index += 1) {
    if (at + 46 > eocd || u32(at) !== CENTRAL_SIGNATURE) {
      throw new ZipFormatError(
        `not a readable zip archive (central directory entry ${index + 1} is damaged)`,
      );
    }
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const entryCommentLength = u16(at + 32);
    const end = at + 46 + nameLength + extraLength + entryCommentLength;
    if (end > eocd) {
      throw new ZipFormatError(
        `not a readable zip archive (central directory entry ${index + 1} is damaged)`,
      );
    }
    headers.push({
      name: DECODER.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      nameBytes: bytes.subarray(at + 46, at + 46 + nameLength),
      madeBy: u16(at + 4),
      needed: u16(at + 6),
      flags: u16(at + 8),
      method: u16(at + 10),
      time: u16(at + 12),
      date: u16(at + 14),
      crc: u32(at + 16),
      compressedSize: u32(at + 20),
      size: u32(at + 24),
      extraLength,
      commentLength: entryCommentLength,
      disk: u16(at + 34),
      internalAttributes: u16(at + 36),
      externalAttributes: u32(at + 38),
      localOffset: u32(at + 42),
    });
    at = end;
  }
  if (at !== directoryOffset + directorySize && options.canonical === true) {
    archive('its central directory size does not match its entries');
  }

  const counts = new Map<string, number>();
  for (const h of headers) counts.set(h.name, (counts.get(h.name) ?? 0) + 1);
  for (const [path, n] of counts) {
    if (n > 1) problems.push({ path, problem: `appears ${n} times in the archive` });
  }

  const entries = new Map<string, Uint8Array>();
  let expectedOffset = 0;
  for (const h of headers) {
    const entryProblem = (problem: string) => problems.push({ path: h.name, problem });
    if (options.canonical === true) {
      const differs = canonicalDifferences(h);
      if (differs.length > 0) entryProblem(`zip header altered (${differs.join(', ')})`);
      if (h.localOffset !== expectedOffset)
        archive(`bytes ${expectedOffset} to ${h.localOffset} belong to no entry`);
    }
    const local = h.localOffset;
    if (local + 30 > directoryOffset || u32(local) !== LOCAL_SIGNATURE) {
      entryProblem('its local header is missing or damaged');
      continue;
    }
    const localNameLength = u16(local + 26);
    const localExtraLength = u16(local + 28);
    const dataStart = local + 30 + localNameLength + localExtraLength;
    const dataEnd = dataStart + h.compressedSize;
    expectedOffset = dataEnd;
    const disagree = [
      u16(local + 4) !== h.needed && 'version',
      u16(local + 6) !== h.flags && 'flags',
      u16(local + 8) !== h.method && 'method',
      (u16(local + 10) !== h.time || u16(local + 12) !== h.date) && 'time',
      u32(local + 14) !== h.crc && 'CRC-32',
      u32(local + 18) !== h.compressedSize && 'compressed size',
      u32(local + 22) !== h.size && 'size',
      !sameBytes(bytes.subarray(local + 30, local + 30 + localNameLength), h.nameBytes) && 'name',
    ].filter((d): d is string => d !== false);
    if (disagree.length > 0)
      entryProblem(`its local header and the central directory disagree (${disagree.join(', ')})`);
    if (dataEnd > directoryOffset) {
      entryProblem('its data runs past the end of the entries');
      continue;
    }
    if ((counts.get(h.name) ?? 0) > 1) continue;
    const data = bytes.subarray(dataStart, dataEnd);
    let body: Uint8Array;
    try {
      if (h.method === METHOD_STORE) body = data.slice();
      else if (h.method === METHOD_DEFLATE) body = new Uint8Array(inflateRawSync(data));
      else {
        entryProblem(`uses compression method ${h.method}, which custos does not write`);
        continue;
      }
    } catch (error) {
      entryProblem(`cannot be decompressed (${(error as Error).message})`);
      continue;
    }
    if (body.byteLength !== h.size) {
      entryProblem(`has ${body.byteLength} bytes, its header records ${h.size}`);
    } else if (crc32(body) !== h.crc) {
      entryProblem('does not match its CRC-32: damaged');
    }
    entries.set(h.name, body);
  }
  if (options.canonical === true && headers.length > 0 && expectedOffset !== directoryOffset) {
    archive(`bytes ${expectedOffset} to ${directoryOffset} belong to no entry`);
  }
  return { entries, problems };
}

/** The path problems with the archive's own records are reported under. */
export const ARCHIVE = '(zip)';

const LOCAL_SIGNATURE = 0x04034b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const END_SIGNATURE = 0x06054b50;
const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
/** What writeZip writes: version 2.0, MS-DOS, 1980-01-01 00:00 (date 0x21, time 0). */
const CANONICAL = { version: 20, time: 0, date: 0x21 } as const;
const UTF8_FLAG = 0x800;
const DECODER = new TextDecoder();

interface CentralHeader {
  readonly name: string;
  readonly nameBytes: Uint8Array;
  readonly madeBy: number;
  readonly needed: number;
  readonly flags: number;
  readonly method: number;
  readonly time: number;
  readonly date: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly extraLength: number;
  readonly commentLength: number;
  readonly disk: number;
  readonly internalAttributes: number;
  readonly externalAttributes: number;
  readonly localOffset: number;
}

function canonicalDifferences(h: CentralHeader): string[] {
  const ascii = h.nameBytes.every((b) => b < 0x80);
  return [
    h.madeBy !== CANONICAL.version && 'version made by',
    h.needed !== CANONICAL.version && 'version needed',
    h.flags !== (ascii ? 0 : UTF8_FLAG) && 'flags',
    h.method !== METHOD_DEFLATE && 'method',
    (h.time !== CANONICAL.time || h.date !== CANONICAL.date) && 'time',
    (h.extraLength !== 0 || h.commentLength !== 0) && 'extra field or comment',
    (h.disk !== 0 || h.internalAttributes !== 0 || h.externalAttributes !== 0) && 'attributes',
  ].filter((d): d is string => d !== false);
}

function findEndOfDirectory(bytes: Uint8Array, view: DataView): number {
  const lowest = Math.max(0, bytes.byteLength - 22 - 0xffff);
  for (let at = bytes.byteLength - 22; at >= lowest; at -= 1) {
    if (view.getUint32(at, true) === END_SIGNATURE) return at;
  }
  throw new ZipFormatError('not a readable zip archive (no end of central directory record)');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO-HDLC, as zip uses); node:zlib has one only from Node 20.15. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
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
