import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateEstateDocument, ROLE_NAME } from '../../bench/generate.js';
import { main } from '../../cli/main.js';
import { MANAGEMENT, organizationEstate } from '../integration/fixtures.js';

let dir: string;
let stdout: string[];
let stderr: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custos-cli-'));
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
});

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

const estateJson = () => JSON.parse(JSON.stringify(organizationEstate()));

describe('custos scan', () => {
  it('scans an estate file, prints a summary and writes the run with latest.json last', async () => {
    // Prepare
    const estate = writeJson('estate.json', estateJson());
    const config = writeJson('config.json', {
      accounts: { source: 'list', ids: [MANAGEMENT] },
      assumeRole: { roleName: 'CustosAudit' },
      checks: { include: ['ec2.sg.*', 'ec2.ebs.*'] },
    });
    const out = join(dir, 'reports');

    // Act
    const code = await main(['scan', '--estate', estate, '--config', config, '--out', out]);

    // Assess
    expect(stderr.join('')).not.toContain('custos:');
    expect(code).toBe(0);
    const latest = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'));
    const report = JSON.parse(readFileSync(join(out, latest.reportKey), 'utf8'));
    expect(report.runId).toBe(latest.runId);
    expect(report.findings.length).toBeGreaterThan(0);
    const manifest = JSON.parse(readFileSync(join(out, 'runs', latest.runId, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ runId: latest.runId, previousManifestSha256: null });
    expect(manifest.artifacts[0]).toMatchObject({
      path: 'report.json',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const printed = stdout.join('');
    expect(printed).toMatch(/Findings: \d+ PASS, \d+ FAIL, \d+ ERROR/);
    expect(printed).toContain(join(out, latest.reportKey));
  });

  it('chains the second run to the first through the manifest hash', async () => {
    // Prepare
    const estate = writeJson('estate.json', estateJson());
    const out = join(dir, 'reports');
    const args = ['scan', '--estate', estate, '--checks', 'ec2.ebs.*', '--out', out, '--quiet'];

    // Act
    expect(await main(args)).toBe(0);
    const first = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')).runId;
    expect(await main(args)).toBe(0);
    const second = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')).runId;

    // Assess
    expect(second).not.toBe(first);
    const manifest = JSON.parse(readFileSync(join(out, 'runs', second, 'manifest.json'), 'utf8'));
    expect(manifest.previousManifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stdout.join('')).toBe('');
  });

  it('exits 2 naming the field path for a malformed config, and writes nothing', async () => {
    // Prepare
    const estate = writeJson('estate.json', estateJson());
    const config = writeJson('config.json', { network: { allowlist: ['10.0.0.0/33'] } });
    const out = join(dir, 'reports');

    // Act
    const code = await main(['scan', '--estate', estate, '--config', config, '--out', out]);

    // Assess
    expect(code).toBe(2);
    expect(stderr.join('')).toContain(
      'network.allowlist[0]: "10.0.0.0/33": is not an IPv4/IPv6 CIDR or prefix list id',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 naming the field path for a malformed estate, and writes nothing', async () => {
    // Prepare
    const bad = estateJson();
    bad.accounts[MANAGEMENT].regions['eu-west-1'].ec2.SecurityGroups[0].IpPermissions[0].FromPort = '22';
    const estate = writeJson('estate.json', bad);
    const out = join(dir, 'reports');

    // Act
    const code = await main(['scan', '--estate', estate, '--out', out]);

    // Assess
    expect(code).toBe(2);
    expect(stderr.join('')).toContain(
      `accounts["${MANAGEMENT}"].regions["eu-west-1"].ec2.SecurityGroups[0].IpPermissions[0].FromPort`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 for a check pattern that matches nothing', async () => {
    const estate = writeJson('estate.json', estateJson());
    const code = await main(['scan', '--estate', estate, '--checks', 'ec2.sg.typo', '--out', join(dir, 'r')]);
    expect(code).toBe(2);
    expect(stderr.join('')).toContain('checks.include[0]: "ec2.sg.typo" matches no check');
    expect(readdirSync(dir)).toEqual(['estate.json']);
  });

  it('exits 2 for a malformed flag', async () => {
    const code = await main(['scan', '--estate', 'x.json', '--accounts', '12345']);
    expect(code).toBe(2);
    expect(stderr.join('')).toContain('--accounts: "12345": expected comma-separated 12-digit account ids');
  });
});

describe('custos scan with AWS Config as the inventory source', () => {
  it('reads the organization through the aggregator, says so, and writes where each collector read from', async () => {
    // Prepare
    const estate = writeJson(
      'estate.json',
      generateEstateDocument({ accounts: 2, regions: 1, bucketsPerAccount: 5, config: true }),
    );
    const config = writeJson('config.json', {
      accounts: { source: 'organizations' },
      assumeRole: { roleName: ROLE_NAME },
      inventory: { source: 'config-aggregator', aggregatorName: 'custos-org' },
    });
    const out = join(dir, 'reports');

    // Act
    const code = await main(['scan', '--estate', estate, '--config', config, '--out', out]);

    // Assess
    expect(stderr.join('')).not.toContain('custos:');
    expect(code).toBe(0);
    expect(stdout.join('')).toMatch(
      /Inventory: AWS Config \(config-aggregator\) answered \d+ collector read\(s\), oldest item captured/,
    );
    expect(stdout.join('')).toContain('AWS Config does not record Object Ownership');
    const latest = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'));
    const report = JSON.parse(readFileSync(join(out, latest.reportKey), 'utf8'));
    const sources = report.coverage.targets.flatMap(
      (t: { collectors: Record<string, { source?: { source: string } }> }) =>
        Object.values(t.collectors).map((c) => c.source?.source),
    );
    expect(sources).toContain('config-aggregator');
  });

  it('prints the Config actions each source needs with the permissions', async () => {
    const aggregator = writeJson('aggregator.json', {
      inventory: { source: 'config-aggregator', aggregatorName: 'org' },
    });
    const own = writeJson('own.json', { inventory: { source: 'config' } });
    const actions = async (args: string[]) => {
      stdout.length = 0;
      expect(await main(['permissions', ...args])).toBe(0);
      return JSON.parse(stdout.join('')).Statement[0].Action as string[];
    };

    expect(await actions(['--config', own])).toEqual(
      expect.arrayContaining([
        'config:SelectResourceConfig',
        'config:BatchGetResourceConfig',
        'ec2:DescribeSecurityGroups',
      ]),
    );
    expect(await actions(['--config', aggregator])).not.toContain('config:SelectAggregateResourceConfig');
    expect(await actions(['--config', aggregator, '--for', 'organization'])).toEqual(
      expect.arrayContaining([
        'config:SelectAggregateResourceConfig',
        'config:BatchGetAggregateResourceConfig',
      ]),
    );
    expect(await actions([])).not.toContain('config:SelectResourceConfig');
  });
});

describe('custos checks and permissions', () => {
  it('lists the catalogue as JSON', async () => {
    expect(await main(['checks', '--json'])).toBe(0);
    const rows = JSON.parse(stdout.join(''));
    expect(rows.map((r: { id: string }) => r.id)).toContain('s3.bucket.public');
  });

  it('prints the policy for the selected checks', async () => {
    expect(await main(['permissions', '--checks', 'ec2.ebs.volume-unencrypted'])).toBe(0);
    expect(JSON.parse(stdout.join('')).Statement[0].Action).toEqual([
      'ec2:DescribeRegions',
      'ec2:DescribeVolumes',
    ]);
  });
});

describe('tickets after a scan', () => {
  it('files tickets into the local sink once, and a second run files none', async () => {
    // Prepare
    const estate = writeJson('estate.json', estateJson());
    const out = join(dir, 'reports');
    const args = ['scan', '--estate', estate, '--accounts', MANAGEMENT, '--out', out];

    // Act
    expect(await main([...args, '--quiet'])).toBe(0);
    const firstTickets = readdirSync(join(out, 'tickets')).filter((f) => f !== 'index.json');
    expect(await main(args)).toBe(0);

    // Assess
    expect(firstTickets.length).toBeGreaterThan(0);
    expect(readdirSync(join(out, 'tickets')).filter((f) => f !== 'index.json')).toEqual(firstTickets);
    expect(stdout.join('')).toMatch(/Tickets \(local tickets in .*\): nothing to do/);
    const latest = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'));
    const report = JSON.parse(readFileSync(join(out, latest.reportKey), 'utf8'));
    expect(report.tickets).toMatchObject({ sink: 'local', status: 'ok' });
  });
});
