import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';
import { MANAGEMENT, organizationEstate, PROD } from '../integration/fixtures.js';

let dir: string;
let stderr: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custos-gate-'));
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** The management account alone: its open SSH group fails (high), nothing errors. */
function scanManagement(...flags: string[]): Promise<number> {
  const estate = writeJson('estate.json', organizationEstate());
  return main([
    'scan',
    '--estate',
    estate,
    '--accounts',
    MANAGEMENT,
    '--checks',
    'ec2.sg.admin-ports-public',
    '--out',
    join(dir, 'r'),
    '--quiet',
    ...flags,
  ]).then((code) => code);
}

describe('the release gate', () => {
  it('exits 0 without a gate, whatever the scan found', async () => {
    expect(await scanManagement()).toBe(0);
  });

  it('exits 1 when an unsuppressed FAIL is at or above --fail-on, and names it', async () => {
    expect(await scanManagement('--fail-on', 'high')).toBe(1);
    expect(stderr.join('')).toMatch(/ec2\.sg\.admin-ports-public/);
  });

  it('exits 0 when the threshold is above every failure', async () => {
    expect(await scanManagement('--fail-on', 'critical')).toBe(0);
  });

  it('exits 0 when the failing finding is suppressed, and still writes the run', async () => {
    // Prepare
    const config = writeJson('config.json', {
      suppressions: [
        {
          checks: ['ec2.sg.admin-ports-public'],
          resources: ['arn:aws:ec2:*:111111111111:security-group/sg-00000001'],
          reason: 'bastion reached over SSH, reviewed',
          expires: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
        },
      ],
    });

    // Act
    const code = await scanManagement('--config', config, '--fail-on', 'high');

    // Assess
    expect(code).toBe(0);
    const latest = JSON.parse(readFileSync(join(dir, 'r', 'latest.json'), 'utf8'));
    const report = JSON.parse(readFileSync(join(dir, 'r', latest.reportKey), 'utf8'));
    const suppressed = report.findings.filter((f: { suppressed?: unknown }) => f.suppressed !== undefined);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].status).toBe('FAIL');
    expect(report.summary.suppressed).toBe(1);
  });

  it('exits 3 for an incomplete scan, before 1, unless --allow-incomplete', async () => {
    // Prepare: the production account's volumes are denied in us-east-1.
    const estate = writeJson('estate.json', organizationEstate());
    const config = writeJson('config.json', {
      accounts: { source: 'list', ids: [PROD] },
      assumeRole: { roleName: 'CustosAudit', externalId: 'x-123' },
      checks: { include: ['ec2.sg.admin-ports-public', 'ec2.ebs.volume-unencrypted'] },
    });
    const base = ['scan', '--estate', estate, '--config', config, '--out', join(dir, 'r'), '--quiet'];

    // Act
    const incomplete = await main([...base, '--fail-on', 'high']);
    const allowed = await main([...base, '--fail-on', 'high', '--allow-incomplete']);
    const ungated = await main(base);

    // Assess
    expect(incomplete).toBe(3);
    expect(stderr.join('')).toMatch(/incomplete/);
    expect(allowed).toBe(1);
    expect(ungated).toBe(0);
  });

  it('exits 2 for a gate threshold that is not a severity', async () => {
    expect(await scanManagement('--fail-on', 'urgent')).toBe(2);
  });
});

describe('--only-new', () => {
  it('gates only on findings new or regressed since the last stored run', async () => {
    // Prepare: a first run stores the open SSH group as a known problem.
    expect(await scanManagement()).toBe(0);

    // Act
    const onlyNew = await scanManagement('--fail-on', 'high', '--only-new');
    const everything = await scanManagement('--fail-on', 'high');

    // Assess
    expect(onlyNew).toBe(0);
    expect(everything).toBe(1);
  });

  it('counts everything as new on the first run', async () => {
    expect(await scanManagement('--fail-on', 'high', '--only-new')).toBe(1);
  });
});
