import { inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ARCHIVE, crc32, readZip, writeZip, ZipFormatError } from '../../reports/zip.js';

const FILES = [
  { path: 'README.txt', body: 'hello\n' },
  { path: 'controls/1.4.csv', body: 'a,b\r\n1,2\r\n'.repeat(50) },
  { path: 'runs/20261125T120000Z-abcdef/manifest.json', body: new Uint8Array([0, 1, 2, 255]) },
  { path: 'empty.txt', body: '' },
];

const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');

/** Offset of an entry's compressed data, read from its local header. */
function dataOffset(zip: Uint8Array, name: string): { start: number; size: number } {
  const at = Buffer.from(zip).indexOf(Buffer.from(name)) - 30;
  const view = new DataView(zip.buffer, zip.byteOffset);
  expect(view.getUint32(at, true)).toBe(0x04034b50);
  return {
    start: at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true),
    size: view.getUint32(at + 18, true),
  };
}

const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('writeZip and readZip', () => {
  it('round-trips every entry in order, bytes and text alike', () => {
    const zip = writeZip(FILES);
    const { entries, problems } = readZip(zip, { canonical: true });
    expect(problems).toEqual([]);
    expect([...entries.keys()]).toEqual(FILES.map((f) => f.path));
    expect(text(entries.get('controls/1.4.csv'))).toBe(FILES[1]!.body);
    expect([...(entries.get(FILES[2]!.path) ?? [])]).toEqual([0, 1, 2, 255]);
    expect(entries.get('empty.txt')?.byteLength).toBe(0);
  });

  it('writes standard DEFLATE entries with a fixed 1980-01-01 time and a correct CRC-32', () => {
    const zip = writeZip(FILES);
    const view = new DataView(zip.buffer, zip.byteOffset);
    const at = 0;
    expect(view.getUint16(at + 8, true)).toBe(8); // DEFLATE
    expect(view.getUint16(at + 10, true)).toBe(0); // 00:00:00
    expect(view.getUint16(at + 12, true)).toBe(0x21); // 1980-01-01
    const { start, size } = dataOffset(zip, 'README.txt');
    const body = inflateRawSync(zip.subarray(start, start + size));
    expect(body.toString('utf8')).toBe('hello\n');
    expect(view.getUint32(at + 14, true)).toBe(crc32(body));
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('gives the same bytes for the same files, in any time zone', () => {
    process.env.TZ = 'Pacific/Kiritimati';
    const east = writeZip(FILES);
    process.env.TZ = 'America/Los_Angeles';
    const west = writeZip(FILES);
    expect(Buffer.from(east).equals(Buffer.from(west))).toBe(true);
    expect(Buffer.from(writeZip(FILES)).equals(Buffer.from(west))).toBe(true);
  });

  it('refuses duplicate and unsafe paths', () => {
    expect(() => writeZip([FILES[0]!, FILES[0]!])).toThrow(/given twice/);
    for (const path of ['/abs', '../up', 'a//b', 'a\\b', '', 'a/./b']) {
      expect(() => writeZip([{ path, body: 'x' }])).toThrow(/Not a safe zip entry path/);
    }
  });

  it('names an entry whose data was changed, and still reads the others', () => {
    const zip = writeZip(FILES);
    const { start, size } = dataOffset(zip, 'controls/1.4.csv');
    const damaged = zip.slice();
    damaged[start + Math.floor(size / 2)]! ^= 0xff;
    const { entries, problems } = readZip(damaged);
    expect(problems.map((p) => p.path)).toEqual(['controls/1.4.csv']);
    expect(problems[0]!.problem).toMatch(/cannot be decompressed|CRC-32/);
    expect(text(entries.get('README.txt'))).toBe('hello\n');
  });

  it('names an entry whose CRC-32 or time was changed', () => {
    const zip = writeZip(FILES);
    const crcChanged = zip.slice();
    crcChanged[14]! ^= 0x01; // README.txt's local header CRC-32
    expect(readZip(crcChanged).problems).toEqual([
      { path: 'README.txt', problem: expect.stringContaining('disagree (CRC-32)') },
    ]);
    const timeChanged = zip.slice();
    timeChanged[10]! ^= 0x01; // README.txt's local header time
    expect(readZip(timeChanged, { canonical: true }).problems).toEqual([
      { path: 'README.txt', problem: expect.stringContaining('disagree (time)') },
    ]);
  });

  it('reports a path that appears twice', () => {
    const zip = writeZip([
      { path: 'a.txt', body: 'first' },
      { path: 'b.txt', body: 'second' },
    ]);
    const renamed = Buffer.from(zip);
    for (let at = renamed.indexOf('b.txt'); at >= 0; at = renamed.indexOf('b.txt', at + 1))
      renamed[at] = 0x61;
    const { problems } = readZip(renamed);
    expect(problems).toContainEqual({ path: 'a.txt', problem: 'appears 2 times in the archive' });
  });

  it('reports bytes added to the archive in canonical mode', () => {
    const zip = writeZip(FILES);
    const padded = new Uint8Array(zip.byteLength + 3);
    padded.set(zip);
    expect(readZip(padded).problems).toEqual([]);
    expect(readZip(padded, { canonical: true }).problems).toContainEqual({
      path: ARCHIVE,
      problem: 'has bytes after its end record',
    });
  });

  it('throws ZipFormatError for something that is not a zip', () => {
    expect(() => readZip(Buffer.from('not a zip at all, just text'))).toThrow(ZipFormatError);
    expect(() => readZip(new Uint8Array())).toThrow(ZipFormatError);
    const zip = writeZip(FILES);
    expect(() => readZip(zip.subarray(0, zip.byteLength - 30))).toThrow(ZipFormatError);
  });
});
