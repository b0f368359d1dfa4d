import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';
import { EC2_CHECKS, organizationEstate } from '../integration/fixtures.js';

let dir: string;
let store: string;
let stdout: string[];
let stderr: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custos-cli-export-'));
  store = join(dir, 'reports');
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
  process.exitCode = undefined;
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Three scans of the organization fixture into one store; the run ids, oldest first. */
async function scanThreeTimes(): Promise<string[]> {
  const estate = join(dir, 'estate.json');
  writeFileSync(estate, JSON.stringify(organizationEstate()));
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      accounts: { source: 'organizations' },
      assumeRole: { roleName: 'CustosAudit', externalId: 'x-123' },
      checks: { include: EC2_CHECKS },
    }),
  );
  const runIds: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    expect(await main(['scan', '--estate', estate, '--config', config, '--out', store, '--quiet'])).toBe(0);
    runIds.push(JSON.parse(readFileSync(join(store, 'latest.json'), 'utf8')).runId);
  }
  return runIds;
}

const PERIOD = ['--from', '2000-01-01', '--to', '2100-12-31'];

async function exportBundle(extra: string[] = []): Promise<{ code: number; bundle: string }> {
  const bundle = join(dir, 'evidence.zip');
  const code = await main([
    'export',
    '--framework',
    'cis-aws-3.0',
    ...PERIOD,
    '--store',
    store,
    '--out',
    bundle,
    ...extra,
  ]);
  return { code, bundle };
}

/** The offset and size of an entry's data in a zip, from its local header. */
function entryData(zip: Buffer, path: string): { start: number; size: number } {
  const at = zip.indexOf(Buffer.from(path)) - 30;
  return {
    start: at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28),
    size: zip.readUInt32LE(at + 18),
  };
}

describe('custos export and custos verify', () => {
  it('exports three runs into a bundle in the store and a file, and verifies it', async () => {
    // Prepare
    const runIds = await scanThreeTimes();
    stdout = [];

    // Act
    const { code, bundle } = await exportBundle();

    // Assess
    expect(stderr.join('')).not.toContain('custos:');
    expect(code).toBe(0);
    const printed = stdout.join('');
    expect(printed).toContain(
      'Evidence bundle for CIS Amazon Web Services Foundations Benchmark 3.0.0, 2000-01-01 to 2100-12-31: 3 run(s)',
    );
    expect(printed).toContain('chain: intact');
    const exports = readdirSync(join(store, 'exports'));
    expect(exports).toHaveLength(1);
    expect(exports[0]).toMatch(/^cis-aws-3\.0-2000-01-01-2100-12-31-\d{8}T\d{6}Z\.zip$/);
    expect(readFileSync(join(store, 'exports', exports[0]!)).equals(readFileSync(bundle))).toBe(true);
    const zip = readFileSync(bundle);
    for (const runId of runIds) expect(zip.includes(Buffer.from(`runs/${runId}/manifest.json`))).toBe(true);

    stdout = [];
    expect(await main(['verify', bundle])).toBe(0);
    expect(stdout.join('')).toContain(`${bundle}: intact (cis-aws-3.0, 2000-01-01 to 2100-12-31:`);
    stdout = [];
    expect(await main(['verify', bundle, '--store', store])).toBe(0);
    expect(stdout.join('')).toContain('its runs match');
  });

  it('fails verification when one byte of the bundle is flipped, naming the file', async () => {
    // Prepare
    await scanThreeTimes();
    const { bundle } = await exportBundle();
    const zip = readFileSync(bundle);
    const { start, size } = entryData(zip, 'controls/5.2.csv');
    zip[start + Math.floor(size / 2)]! ^= 0xff;
    writeFileSync(bundle, zip);
    stdout = [];

    // Act
    const code = await main(['verify', bundle]);

    // Assess
    expect(code).toBe(1);
    const printed = stdout.join('');
    expect(printed).toContain(`${bundle}: NOT intact`);
    expect(printed).toMatch(/ {2}- controls\/5\.2\.csv: /);
  });

  it('detects a run deleted from the middle of the store, in the export and in verification', async () => {
    // Prepare
    const [first, second, third] = await scanThreeTimes();
    rmSync(join(store, 'runs', second!), { recursive: true });
    stdout = [];

    // Act
    const { code, bundle } = await exportBundle();

    // Assess
    expect(code).toBe(1);
    expect(stderr.join('')).toContain(
      'custos: the run history is not intact; the bundle records what is wrong',
    );
    expect(stdout.join('')).toContain(`a run between ${first} and ${third} is missing`);
    expect(existsSync(bundle)).toBe(true);
    stdout = [];
    expect(await main(['verify', bundle, '--json'])).toBe(1);
    const result = JSON.parse(stdout.join(''));
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.stringContaining(`chain broken: run ${third} follows a run whose manifest`),
    );
  });

  it('with --store, detects a run artifact modified after the export', async () => {
    // Prepare
    const [, second] = await scanThreeTimes();
    const { code, bundle } = await exportBundle();
    expect(code).toBe(0);
    const artifact = join(store, 'runs', second!, 'findings.csv');
    writeFileSync(artifact, `${readFileSync(artifact, 'utf8')}extra row\r\n`);
    stdout = [];

    // Act
    const offline = await main(['verify', bundle]);
    const withStore = await main(['verify', bundle, '--store', store]);

    // Assess
    expect(offline).toBe(0);
    expect(withStore).toBe(1);
    expect(stdout.join('')).toContain(`  - ${artifact}: modified: its SHA-256 is`);
  });

  it('exits 2 for bad usage, writing nothing', async () => {
    await scanThreeTimes();
    const bundle = join(dir, 'evidence.zip');
    const exportWith = (...args: string[]) => main(['export', '--store', store, '--out', bundle, ...args]);

    expect(await exportWith('--framework', 'pci-dss', ...PERIOD)).toBe(2);
    expect(await exportWith('--framework', 'fsbp', '--from', '2026-13-01', '--to', '2026-12-31')).toBe(2);
    expect(await exportWith('--framework', 'fsbp', '--to', '2026-12-31')).toBe(2);
    expect(
      await main([
        'export',
        '--framework',
        'fsbp',
        ...PERIOD,
        '--store',
        join(dir, 'nowhere'),
        '--out',
        bundle,
      ]),
    ).toBe(2);
    expect(await main(['verify', join(dir, 'missing.zip')])).toBe(2);
    expect(await main(['verify'])).toBe(2);
    expect(existsSync(bundle)).toBe(false);
    expect(existsSync(join(store, 'exports'))).toBe(false);
    const errors = stderr.join('');
    expect(errors).toContain(
      '--framework: "pci-dss": expected one of cis-aws-3.0, cis-aws-5.0, fsbp, hipaa, gdpr, ferpa',
    );
    expect(errors).toContain('--from: "2026-13-01"');
    expect(errors).toContain(`--store: ${join(dir, 'nowhere')}: no such report store folder`);
    expect(errors).toContain(`${join(dir, 'missing.zip')}: no such bundle file`);

    writeFileSync(bundle, 'not a zip');
    expect(await main(['verify', bundle, '--store', join(dir, 'nowhere')])).toBe(2);
    expect(await main(['verify', bundle])).toBe(1);
  });
});
