import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from './lambda-harness.js';
import { FUNCTION_NAMES, packaged, REPO } from './packaged.js';

let BUILD_DIR: string;

beforeAll(async () => {
  BUILD_DIR = (await packaged()).buildDir;
}, 180_000);

/** The entries of a zip archive, by name (the central directory, then each entry's data). */
function unzip(bytes: Buffer): Map<string, Buffer> {
  const end = bytes.length - 22;
  expect(bytes.readUInt32LE(end)).toBe(0x06054b50);
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i += 1) {
    expect(bytes.readUInt32LE(at)).toBe(0x02014b50);
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30);
    const comment = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(dataAt, dataAt + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

/** A function's chunks beside its index.mjs, as paths inside its folder and zip. */
function chunksOf(name: string): string[] {
  return readdirSync(join(BUILD_DIR, name, 'chunks'))
    .sort()
    .map((file) => `chunks/${file}`);
}

/** All of a function's code: the handler and every chunk it may load. */
function codeOf(name: string): string {
  return ['index.mjs', ...chunksOf(name)]
    .map((file) => readFileSync(join(BUILD_DIR, name, file), 'utf8'))
    .join('\n');
}

describe('the function bundles', () => {
  it.each(FUNCTION_NAMES)('%s never contains the simulator', (name) => {
    const inputs = JSON.parse(readFileSync(join(BUILD_DIR, `${name}.inputs.json`), 'utf8')) as string[];
    expect(inputs.length).toBeGreaterThan(100);
    expect(inputs.filter((path) => path.startsWith('sim/'))).toEqual([]);
    const code = codeOf(name);
    expect(code).not.toContain('custos simulator');
    expect(code).not.toMatch(/sim\/(server|estate|dispatch)/);
  });

  it.each(FUNCTION_NAMES)('%s ships its code and the config, nothing else', (name) => {
    const entries = unzip(readFileSync(join(BUILD_DIR, `${name}.zip`)));
    const code = ['index.mjs', ...chunksOf(name)];
    expect([...entries.keys()]).toEqual([...code, 'custos.config.json']);
    for (const file of code) {
      expect(entries.get(file)!.equals(readFileSync(join(BUILD_DIR, name, file)))).toBe(true);
    }
    expect(JSON.parse(entries.get('custos.config.json')!.toString('utf8'))).toEqual(
      JSON.parse(readFileSync(join(REPO, 'custos.config.json'), 'utf8')),
    );
    // Minified: lines thousands of characters long on average.
    const text = codeOf(name);
    expect(text.length / text.split('\n').length).toBeGreaterThan(1_000);
  });

  it('loads as an ES module and runs its handler: a bad event is refused by name', async () => {
    const bundle = pathToFileURL(join(BUILD_DIR, 'scanTarget', 'index.mjs')).href;
    const { handler } = (await import(bundle)) as {
      handler: (event: unknown, context: unknown) => Promise<unknown>;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await expect(handler({ runId: 'x' }, lambdaContext('custos-prod-scanTarget'))).rejects.toMatchObject({
        name: 'Custos.InvalidEvent',
      });
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('carries the package version, defined when bundling', () => {
    const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string })
      .version;
    const code = codeOf('finalize');
    expect(code).toContain(JSON.stringify(version));
    expect(code).not.toContain('CUSTOS_TOOL_VERSION');
  });
});
