/**
 * `custos scan` with a bad config or a bad estate: exit 2, a message on stderr, and nothing
 * written: no report store, no file beside the inputs.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';
import { resolveConfig } from '../../core/config/load.js';
import { parseEstate } from '../../sim/estate.js';
import { richEstateDocument } from '../sim/fixtures.js';
import { damaged } from './mutate.js';

const PROPERTY = { seed: 20_260_120, numRuns: 25 } as const;

let root: string;
let stderr: string[];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'custos-bad-input-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
  process.exitCode = undefined;
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const VALID_ESTATE = richEstateDocument();
const VALID_CONFIG = {
  accounts: { source: 'list', ids: ['222222222222'] },
  assumeRole: { roleName: 'CustosAudit', externalId: 'x-123' },
  regions: ['eu-west-1'],
  checks: { include: ['ec2.sg.*'] },
  network: { adminPorts: [22, 3389], allowlist: ['203.0.113.0/24'] },
  output: { formats: ['json', 'csv'] },
};

function rejects(load: () => unknown): boolean {
  try {
    load();
    return false;
  } catch {
    return true;
  }
}

/** A fresh folder holding only the given files; returns their paths and the store path. */
function workspace(files: Readonly<Record<string, string>>): {
  dir: string;
  paths: Record<string, string>;
  out: string;
} {
  const dir = mkdtempSync(join(root, 'case-'));
  const paths: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    paths[name] = join(dir, name);
    writeFileSync(paths[name], text);
  }
  return { dir, paths, out: join(dir, 'reports') };
}

async function scan(args: readonly string[]): Promise<number> {
  stderr = [];
  return main(['scan', '--quiet', ...args]);
}

describe('custos scan on bad input writes nothing', () => {
  it('a config that does not validate: exit 2, the problem on stderr, no store', async () => {
    const badConfig = damaged(VALID_CONFIG).filter((document) =>
      rejects(() => resolveConfig(document, 'config', {}, new Date().toISOString())),
    );
    await fc.assert(
      fc.asyncProperty(badConfig, async (document) => {
        // Prepare
        const { dir, paths, out } = workspace({
          'estate.json': JSON.stringify(VALID_ESTATE),
          'config.json': JSON.stringify(document),
        });

        // Act
        const code = await scan([
          '--estate',
          paths['estate.json'] ?? '',
          '--config',
          paths['config.json'] ?? '',
          '--out',
          out,
        ]);

        // Assess
        expect(code).toBe(2);
        expect(stderr.join('')).toMatch(/^custos: config\.json is not valid:\n|^custos: .*config\.json/);
        expect(existsSync(out)).toBe(false);
        expect(readdirSync(dir).sort()).toEqual(['config.json', 'estate.json']);
      }),
      PROPERTY,
    );
  });

  it('an estate that does not validate: exit 2, the problem on stderr, no store', async () => {
    const badEstate = damaged(VALID_ESTATE).filter((document) =>
      rejects(() => parseEstate(document, 'estate')),
    );
    await fc.assert(
      fc.asyncProperty(badEstate, async (document) => {
        // Prepare
        const { dir, paths, out } = workspace({
          'estate.json': JSON.stringify(document),
          'config.json': JSON.stringify(VALID_CONFIG),
        });

        // Act
        const code = await scan([
          '--estate',
          paths['estate.json'] ?? '',
          '--config',
          paths['config.json'] ?? '',
          '--out',
          out,
        ]);

        // Assess
        expect(code).toBe(2);
        expect(stderr.join('')).toContain('estate.json is not valid:\n');
        expect(existsSync(out)).toBe(false);
        expect(readdirSync(dir).sort()).toEqual(['config.json', 'estate.json']);
      }),
      PROPERTY,
    );
  });

  it('text that is not JSON at all, in either file: exit 2, no store', async () => {
    const notJson = fc.oneof(
      fc.string({ maxLength: 40 }).filter((text) => rejects(() => JSON.parse(text))),
      // (`null` is not here: an empty config document means "the defaults".)
      fc.constantFrom('', '{', '\uFEFF{}', '{"accounts": {}', '[1,]'),
    );
    await fc.assert(
      fc.asyncProperty(notJson, fc.boolean(), async (text, inConfig) => {
        const { dir, paths, out } = workspace({
          'estate.json': inConfig ? JSON.stringify(VALID_ESTATE) : text,
          'config.json': inConfig ? text : JSON.stringify(VALID_CONFIG),
        });

        const code = await scan([
          '--estate',
          paths['estate.json'] ?? '',
          '--config',
          paths['config.json'] ?? '',
          '--out',
          out,
        ]);

        expect(code).toBe(2);
        expect(existsSync(out)).toBe(false);
        expect(readdirSync(dir).sort()).toEqual(['config.json', 'estate.json']);
      }),
      PROPERTY,
    );
  });

  it('the valid pair used above does scan and write a run (the control case)', async () => {
    const { paths, out } = workspace({
      'estate.json': JSON.stringify(VALID_ESTATE),
      'config.json': JSON.stringify(VALID_CONFIG),
    });

    const code = await scan([
      '--estate',
      paths['estate.json'] ?? '',
      '--config',
      paths['config.json'] ?? '',
      '--out',
      out,
    ]);

    expect(stderr.join('')).not.toContain('custos:');
    expect(code).toBe(0);
    expect(existsSync(join(out, 'latest.json'))).toBe(true);
  });
});
