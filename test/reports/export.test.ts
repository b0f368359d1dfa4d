import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/registry.js';
import { UsageError } from '../../core/errors.js';
import { controlsToChecks } from '../../core/frameworks/index.js';
import type { Finding, FindingStatus, Report } from '../../core/types.js';
import { renderArtifacts } from '../../reports/artifacts.js';
import { controlChecks, controlMatrix, type PeriodRun } from '../../reports/export/matrix.js';
import {
  BUNDLE_MANIFEST,
  type BundleManifest,
  CHECKSUMS,
  type ControlRow,
  exportEvidence,
  verifyBundle,
} from '../../reports/export.js';
import { LocalReportStore } from '../../reports/local-store.js';
import { S3ReportStore } from '../../reports/s3-store.js';
import { type ReportStore, sha256Hex } from '../../reports/store.js';
import { writeRun } from '../../reports/write-run.js';
import { readZip, writeZip } from '../../reports/zip.js';
import { type S3Server, startS3rver } from './s3rver.js';

const A = '111122223333';
const B = '444455556666';
const EU = 'eu-west-1';
const SG = 'ec2.sg.admin-ports-public';
const EBS_DEFAULT = 'ec2.ebs.default-encryption';
const ROOT_KEYS = 'iam.root.access-keys';
const BUCKET_BPA = 's3.bucket.public-access-block';
const ACCOUNT_BPA = 's3.account.public-access-block';
const EXPORT_NOW = () => new Date('2026-12-01T09:00:00Z');

function finding(
  checkId: string,
  status: FindingStatus,
  resource: string,
  extra: Partial<Finding> = {},
): Finding {
  const check = ALL_CHECKS.find((c) => c.id === checkId);
  const account = extra.accountId ?? A;
  return {
    checkId,
    status,
    severity: check?.severity ?? 'high',
    accountId: account,
    region: EU,
    resourceType: check?.resourceType ?? 'AwsResource',
    resourceId: `arn:aws:ec2:${EU}:${account}:${resource}`,
    title: check?.title ?? checkId,
    message: `${resource} is ${status}`,
    evidence: {},
    remediation: { text: 'Fix it.' },
    frameworks: check?.frameworks ?? {},
    fingerprint: `${checkId}/${account}/${resource}`,
    ...extra,
  };
}

interface RunSpec {
  readonly asOf: string;
  readonly suffix?: string;
  readonly checks: readonly string[];
  readonly checksNotRun?: readonly string[];
  readonly findings: readonly Finding[];
}

function runIdOf(spec: RunSpec): string {
  return `${spec.asOf.replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}-${spec.suffix ?? 'a1b2c3'}`;
}

function makeReport(spec: RunSpec): Report {
  const count = (s: FindingStatus) => spec.findings.filter((f) => f.status === s).length;
  return {
    schemaVersion: 1,
    runId: runIdOf(spec),
    startedAt: spec.asOf,
    finishedAt: new Date(Date.parse(spec.asOf) + 180_000).toISOString(),
    asOf: spec.asOf,
    toolVersion: '0.1.0',
    configDigest: 'c'.repeat(64),
    scope: { accounts: [A, B], regions: [EU], checks: [...spec.checks] },
    summary: {
      findings: { PASS: count('PASS'), FAIL: count('FAIL'), ERROR: count('ERROR') },
      failBySeverity: { critical: 0, high: count('FAIL'), medium: 0, low: 0, info: 0 },
      suppressed: spec.findings.filter((f) => f.suppressed !== undefined).length,
      targets: { total: 2, scanned: 2, errored: 0 },
      accounts: { total: 2, scanned: 2, notScanned: 0, errored: 0 },
      topFailingChecks: [],
      incomplete: count('ERROR') > 0,
    },
    coverage: {
      accounts: [],
      targets: [
        { accountId: A, region: EU, status: 'scanned', collectors: {} },
        { accountId: B, region: EU, status: 'scanned', collectors: {} },
      ],
      checksNotRun: (spec.checksNotRun ?? []).map((checkId) => ({ checkId, reason: 'not configured' })),
    },
    findings: spec.findings,
  };
}

const SUPPRESSED = { reason: 'Replaced next quarter (CHG-1)', expires: '2027-01-01T00:00:00.000Z' };

/**
 * Four runs of November: the SSH group sg-1 fails in runs 1 and 2 and is fixed in run 3; EBS
 * default encryption cannot be assessed in account B in run 1; run 4 is a CI scan of the
 * security-group check only, where sg-2 fails under a suppression.
 */
const NOVEMBER: readonly RunSpec[] = [
  {
    asOf: '2026-11-01T02:00:00.000Z',
    checks: [SG, EBS_DEFAULT, ROOT_KEYS, BUCKET_BPA],
    checksNotRun: [ACCOUNT_BPA],
    findings: [
      finding(SG, 'FAIL', 'security-group/sg-1'),
      finding(SG, 'PASS', 'security-group/sg-2'),
      finding(EBS_DEFAULT, 'PASS', 'ebs-default-encryption'),
      finding(EBS_DEFAULT, 'ERROR', '*', { accountId: B }),
      finding(ROOT_KEYS, 'PASS', 'root'),
      finding(BUCKET_BPA, 'PASS', 'bucket/logs'),
    ],
  },
  {
    asOf: '2026-11-02T02:00:00.000Z',
    checks: [SG, EBS_DEFAULT, ROOT_KEYS, BUCKET_BPA],
    checksNotRun: [ACCOUNT_BPA],
    findings: [
      finding(SG, 'FAIL', 'security-group/sg-1'),
      finding(SG, 'PASS', 'security-group/sg-2'),
      finding(EBS_DEFAULT, 'PASS', 'ebs-default-encryption'),
      finding(EBS_DEFAULT, 'PASS', 'ebs-default-encryption', { accountId: B }),
      finding(ROOT_KEYS, 'PASS', 'root'),
      finding(BUCKET_BPA, 'PASS', 'bucket/logs'),
    ],
  },
  {
    asOf: '2026-11-03T02:00:00.000Z',
    checks: [SG, EBS_DEFAULT, ROOT_KEYS, BUCKET_BPA],
    checksNotRun: [ACCOUNT_BPA],
    findings: [
      finding(SG, 'PASS', 'security-group/sg-1'),
      finding(SG, 'PASS', 'security-group/sg-2'),
      finding(EBS_DEFAULT, 'PASS', 'ebs-default-encryption'),
      finding(EBS_DEFAULT, 'PASS', 'ebs-default-encryption', { accountId: B }),
      finding(ROOT_KEYS, 'PASS', 'root'),
      finding(BUCKET_BPA, 'PASS', 'bucket/logs'),
    ],
  },
  {
    asOf: '2026-11-04T09:30:00.000Z',
    checks: [SG],
    findings: [
      finding(SG, 'PASS', 'security-group/sg-1'),
      finding(SG, 'FAIL', 'security-group/sg-2', { suppressed: SUPPRESSED }),
      finding(SG, 'PASS', 'security-group/sg-3'),
    ],
  },
];

const RUN_IDS = NOVEMBER.map(runIdOf);

let dir: string;
let store: ReportStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custos-export-'));
  store = new LocalReportStore(dir);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes the runs as a scan does: artifacts, manifest chained to latest.json, then latest.json. */
async function writeRuns(specs: readonly RunSpec[]): Promise<void> {
  for (const spec of specs) {
    const report = makeReport(spec);
    await writeRun(
      store,
      report.runId,
      renderArtifacts(report, ['csv'], { region: EU, accountId: A, trend: [] }),
    );
  }
}

const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

function bundleOf(bytes: Uint8Array) {
  const { entries, problems } = readZip(bytes, { canonical: true });
  expect(problems).toEqual([]);
  const manifest = JSON.parse(text(entries.get(BUNDLE_MANIFEST))) as BundleManifest;
  return { entries, manifest };
}

function exportNovember(options: { from?: string; to?: string; now?: () => Date } = {}) {
  return exportEvidence(store, {
    framework: 'cis-aws-3.0',
    from: options.from ?? '2026-11-01',
    to: options.to ?? '2026-11-30',
    now: options.now ?? EXPORT_NOW,
    toolVersion: '9.9.9-test',
  });
}

/** The data offset and size of an entry, from its local header. */
function entryData(zip: Uint8Array, path: string): { start: number; size: number } {
  const at = Buffer.from(zip).indexOf(Buffer.from(path)) - 30;
  const view = new DataView(zip.buffer, zip.byteOffset);
  return {
    start: at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true),
    size: view.getUint32(at + 18, true),
  };
}

describe('the control matrix', () => {
  const runs: PeriodRun[] = NOVEMBER.map((spec) => ({ runId: runIdOf(spec), report: makeReport(spec) }));
  const matrix = controlMatrix('cis-aws-3.0', controlChecks('cis-aws-3.0', ALL_CHECKS, runs), runs);
  const row = (id: string) => matrix.find((r) => r.controlId === id) as ControlRow;

  it('lists every control the checks map to, in catalogue order, with its title', () => {
    expect(matrix.map((r) => r.controlId)).toEqual(Object.keys(controlsToChecks(ALL_CHECKS)['cis-aws-3.0']));
    expect(row('5.2').title).toBe(
      'Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports',
    );
    expect(row('5.2').checks).toEqual([SG]);
    expect(row('2.1.4').checks).toEqual([ACCOUNT_BPA, BUCKET_BPA]);
  });

  it('is FAIL when a run failed it, with the first and last failing run and counts from the last run', () => {
    expect(row('5.2')).toMatchObject({
      status: 'FAIL',
      runsAssessed: 4,
      runsFailed: 2,
      firstFailure: { runId: RUN_IDS[0], asOf: '2026-11-01T02:00:00.000Z' },
      lastFailure: { runId: RUN_IDS[1], asOf: '2026-11-02T02:00:00.000Z' },
      countsFrom: { runId: RUN_IDS[3] },
      // Run 4: sg-1 and sg-3 pass, sg-2 fails under a suppression.
      resources: { passing: 2, failing: 0, suppressed: 1, notAssessed: 0 },
      checksNotRun: [],
      file: 'controls/5.2.csv',
    });
  });

  it('is ERROR when something in scope could not be assessed and nothing failed', () => {
    expect(row('2.2.1')).toMatchObject({
      status: 'ERROR',
      runsAssessed: 3,
      runsError: 1,
      runsFailed: 0,
      firstFailure: null,
      // The CI run did not run the check: the counts come from run 3.
      countsFrom: { runId: RUN_IDS[2] },
      resources: { passing: 2, failing: 0, suppressed: 0, notAssessed: 0 },
    });
  });

  it('is PASS when every run that assessed it passed, naming the mapped checks no run ran', () => {
    expect(row('1.4')).toMatchObject({ status: 'PASS', runsAssessed: 3, resources: { passing: 1 } });
    expect(row('2.1.4')).toMatchObject({ status: 'PASS', checksNotRun: [ACCOUNT_BPA] });
  });

  it('is NOT_ASSESSED when no run ran any of its checks', () => {
    expect(row('5.4')).toMatchObject({
      status: 'NOT_ASSESSED',
      runsAssessed: 0,
      countsFrom: null,
      resources: { passing: 0, failing: 0, suppressed: 0, notAssessed: 0 },
      checksNotRun: ['ec2.sg.default-restricts-all'],
    });
    expect(controlMatrix('cis-aws-3.0', new Map([['5.2', [SG]]]), [])[0]?.status).toBe('NOT_ASSESSED');
  });

  it('counts a resource once, by its worst finding among the control checks', () => {
    const spec: RunSpec = {
      asOf: '2026-11-05T00:00:00.000Z',
      checks: ['x.one', 'x.two'],
      findings: [
        finding('x.one', 'PASS', 'thing/1'),
        finding('x.two', 'FAIL', 'thing/1'),
        finding('x.one', 'PASS', 'thing/2'),
        finding('x.two', 'ERROR', 'thing/2'),
        finding('x.one', 'PASS', 'thing/3'),
        finding('x.two', 'FAIL', 'thing/3', { suppressed: SUPPRESSED }),
      ],
    };
    const [only] = controlMatrix('cis-aws-3.0', new Map([['5.2', ['x.one', 'x.two']]]), [
      { runId: runIdOf(spec), report: makeReport(spec) },
    ]);
    expect(only?.resources).toEqual({ passing: 0, failing: 1, suppressed: 1, notAssessed: 1 });
  });

  it('keeps a control that a finding recorded and the catalogue does not know, after the known ones', () => {
    const spec: RunSpec = {
      asOf: '2026-11-05T00:00:00.000Z',
      checks: ['old.check'],
      findings: [finding('old.check', 'FAIL', 'thing/1', { frameworks: { 'cis-aws-3.0': ['9.99'] } })],
    };
    const mapping = controlChecks('cis-aws-3.0', ALL_CHECKS, [
      { runId: runIdOf(spec), report: makeReport(spec) },
    ]);
    expect([...mapping.keys()].at(-1)).toBe('9.99');
    const rows = controlMatrix('cis-aws-3.0', mapping, [{ runId: runIdOf(spec), report: makeReport(spec) }]);
    expect(rows.at(-1)).toMatchObject({
      controlId: '9.99',
      title: '(not in the framework catalogue)',
      status: 'FAIL',
    });
  });
});

describe('exportEvidence', () => {
  it('bundles the runs of the period and writes the bundle once to the store', async () => {
    await writeRuns(NOVEMBER);

    const exported = await exportNovember();

    expect(exported.key).toBe('exports/cis-aws-3.0-2026-11-01-2026-11-30-20261201T090000Z.zip');
    expect(exported.location).toBe(join(dir, exported.key));
    expect(Buffer.from(exported.bytes).equals((await store.get(exported.key))!)).toBe(true);
    expect(exported.intact).toBe(true);
    const { entries, manifest } = bundleOf(exported.bytes);
    const paths = [...entries.keys()];
    expect(paths.slice(0, 3)).toEqual(['README.txt', 'control-matrix.json', 'control-matrix.csv']);
    expect(paths).toContain('controls/5.2.csv');
    expect(paths).toContain('scope.json');
    for (const runId of RUN_IDS) {
      expect(paths).toContain(`runs/${runId}/manifest.json`);
      expect(paths).toContain(`runs/${runId}/summary.json`);
      expect(text(entries.get(`runs/${runId}/manifest.json`))).toBe(
        text(await store.get(`runs/${runId}/manifest.json`)),
      );
    }
    expect(paths.slice(-2)).toEqual([BUNDLE_MANIFEST, CHECKSUMS]);
    expect(manifest).toMatchObject({
      framework: 'cis-aws-3.0',
      from: '2026-11-01',
      to: '2026-11-30',
      period: { start: '2026-11-01T00:00:00.000Z', end: '2026-11-30T23:59:59.999Z' },
      createdAt: '2026-11-04T09:33:00.000Z',
      toolVersion: '9.9.9-test',
      chain: 'intact',
      artifacts: 'intact',
      precedingRuns: [],
    });
    expect(manifest.files.map((f) => f.path)).toEqual(paths.slice(0, -2));
    expect(manifest.runs.map((r) => [r.runId, r.previousRunId])).toEqual([
      [RUN_IDS[0], null],
      [RUN_IDS[1], RUN_IDS[0]],
      [RUN_IDS[2], RUN_IDS[1]],
      [RUN_IDS[3], RUN_IDS[2]],
    ]);
    expect(manifest.runs[1]?.previousManifestSha256).toBe(manifest.runs[0]?.manifestSha256);
    const storedManifest = JSON.parse(text(await store.get(`runs/${RUN_IDS[0]}/manifest.json`)));
    expect(manifest.runs[0]?.reportSha256).toBe(
      storedManifest.artifacts.find((a: { path: string }) => a.path === 'report.json').sha256,
    );
    expect(await verifyBundle(exported.bytes)).toMatchObject({ ok: true, problems: [], notes: [] });
    expect(await verifyBundle(exported.bytes, { store })).toMatchObject({ ok: true, problems: [] });
  });

  it('writes the matrix as JSON and CSV, each control findings file, the scope and a README', async () => {
    await writeRuns(NOVEMBER);

    const { entries } = bundleOf((await exportNovember()).bytes);

    const matrix = JSON.parse(text(entries.get('control-matrix.json')));
    expect(matrix.controls.find((c: ControlRow) => c.controlId === '5.2')).toMatchObject({
      status: 'FAIL',
      runsFailed: 2,
    });
    const csv = text(entries.get('control-matrix.csv')).split('\r\n');
    expect(csv[0]).toBe(
      'controlId,title,status,checks,runsAssessed,runsFailed,runsError,resourcesPassing,resourcesFailing,' +
        'resourcesSuppressed,resourcesNotAssessed,countsFromRun,firstFailure,firstFailureRun,lastFailure,' +
        'lastFailureRun,checksNotRun,file',
    );
    expect(csv.find((line) => line.startsWith('5.2,'))).toContain(
      `FAIL,${SG},4,2,0,2,0,1,0,${RUN_IDS[3]},2026-11-01T02:00:00.000Z,${RUN_IDS[0]},2026-11-02T02:00:00.000Z,${RUN_IDS[1]},,controls/5.2.csv`,
    );
    const findings = text(entries.get('controls/5.2.csv')).trimEnd().split('\r\n');
    expect(findings[0]).toBe(
      'runId,asOf,checkId,accountId,region,resourceId,status,suppressed,suppressedUntil',
    );
    expect(findings).toHaveLength(1 + 2 + 2 + 2 + 3);
    expect(findings[1]).toBe(
      `${RUN_IDS[0]},2026-11-01T02:00:00.000Z,${SG},${A},${EU},arn:aws:ec2:${EU}:${A}:security-group/sg-1,FAIL,,`,
    );
    expect(findings.at(-2)).toBe(
      `${RUN_IDS[3]},2026-11-04T09:30:00.000Z,${SG},${A},${EU},arn:aws:ec2:${EU}:${A}:security-group/sg-2,FAIL,` +
        `Replaced next quarter (CHG-1),2027-01-01T00:00:00.000Z`,
    );
    expect(text(entries.get('controls/5.4.csv')).trimEnd().split('\r\n')).toHaveLength(1);
    const scope = JSON.parse(text(entries.get('scope.json')));
    expect(scope).toMatchObject({
      accounts: [A, B],
      regions: [EU],
      checks: [BUCKET_BPA, EBS_DEFAULT, SG, ROOT_KEYS].sort(),
      toolVersions: ['0.1.0'],
      configDigests: ['c'.repeat(64)],
    });
    expect(scope.runs[3]).toMatchObject({ runId: RUN_IDS[3], checks: [SG], configDigest: 'c'.repeat(64) });
    const readme = text(entries.get('README.txt'));
    expect(readme).toContain('CIS Amazon Web Services Foundations Benchmark 3.0.0 (cis-aws-3.0)');
    expect(readme).toContain(`Runs:       4 (${RUN_IDS[0]} to ${RUN_IDS[3]})`);
    expect(readme).toContain('custos verify <bundle.zip>');
    expect(readme).toContain('sha256sum -c SHA256SUMS');
  });

  it('gives byte-identical bundles for the same period, whenever it is exported', async () => {
    await writeRuns(NOVEMBER);

    const first = await exportNovember();
    const second = await exportNovember({ now: () => new Date('2027-03-15T17:45:12Z') });

    expect(second.key).not.toBe(first.key);
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect(second.sha256).toBe(first.sha256);
    // The same instant twice: the key exists with the same bytes, which is not an error.
    await expect(exportNovember()).resolves.toMatchObject({ key: first.key });
  });

  it('takes the runs whose id starts within the period, both bounds included', async () => {
    const at = (asOf: string, suffix: string): RunSpec => ({
      asOf,
      suffix,
      checks: [SG],
      findings: [finding(SG, 'PASS', 'security-group/sg-1')],
    });
    const specs = [
      at('2026-10-31T23:59:59.000Z', 'aaaaaa'),
      at('2026-11-01T00:00:00.000Z', 'bbbbbb'),
      at('2026-11-30T23:59:59.000Z', 'cccccc'),
      at('2026-12-01T00:00:00.000Z', 'dddddd'),
    ];
    await writeRuns(specs);
    const ids = specs.map(runIdOf);

    const days = bundleOf((await exportNovember()).bytes).manifest;
    const instants = bundleOf(
      (await exportNovember({ from: '2026-11-01T00:00:01Z', to: '2026-12-01T00:00:00Z' })).bytes,
    ).manifest;

    expect(days.runs.map((r) => r.runId)).toEqual([ids[1], ids[2]]);
    expect(days.precedingRuns).toEqual([{ runId: ids[0], manifestSha256: expect.any(String) }]);
    expect(days.chain).toBe('intact');
    expect(instants.runs.map((r) => r.runId)).toEqual([ids[2], ids[3]]);
    expect(instants.period).toEqual({ start: '2026-11-01T00:00:01.000Z', end: '2026-12-01T00:00:00.000Z' });
  });

  it('bundles a period without runs, every control not assessed', async () => {
    await writeRuns(NOVEMBER);

    const exported = await exportNovember({ from: '2027-01-01', to: '2027-01-31' });

    expect(exported.manifest.runs).toEqual([]);
    expect(exported.manifest.createdAt).toBe('2027-01-31T23:59:59.999Z');
    expect(exported.controls.every((c) => c.status === 'NOT_ASSESSED')).toBe(true);
    expect((await verifyBundle(exported.bytes)).ok).toBe(true);
  });

  it('refuses a bad framework or period, writing nothing', async () => {
    await writeRuns(NOVEMBER.slice(0, 1));
    const attempt = (framework: string, from: string, to: string) =>
      exportEvidence(store, { framework, from, to, now: EXPORT_NOW });

    await expect(attempt('pci', '2026-11-01', '2026-11-30')).rejects.toThrow(
      /--framework: "pci": expected one of/,
    );
    await expect(attempt('fsbp', '2026-11-31', '2026-12-01')).rejects.toThrow(UsageError);
    await expect(attempt('fsbp', '2026/11/01', '2026-12-01')).rejects.toThrow(/--from: "2026\/11\/01"/);
    await expect(attempt('fsbp', '2026-11-01T25:00:00Z', '2026-12-01')).rejects.toThrow(UsageError);
    await expect(attempt('fsbp', '2026-12-01', '2026-11-01')).rejects.toThrow(/is after --to/);
    expect(await store.list('exports/')).toEqual([]);
  });

  it('detects a run deleted from the middle of the history', async () => {
    await writeRuns(NOVEMBER);
    for (const key of await store.list(`runs/${RUN_IDS[1]}/`)) rmSync(join(dir, key));

    const exported = await exportNovember();

    expect(exported.intact).toBe(false);
    expect(exported.manifest.chain).toBe(
      `broken: run ${RUN_IDS[2]} follows a run whose manifest (sha256 ${exported.manifest.runs[1]?.previousManifestSha256}) ` +
        `is not in the store: a run between ${RUN_IDS[0]} and ${RUN_IDS[2]} is missing`,
    );
    expect(exported.manifest.runs.map((r) => r.runId)).toEqual([RUN_IDS[0], RUN_IDS[2], RUN_IDS[3]]);
    const verified = await verifyBundle(exported.bytes);
    expect(verified.ok).toBe(false);
    expect(verified.problems).toContainEqual(
      expect.stringContaining(`run ${RUN_IDS[2]}: follows a manifest`),
    );
    expect(verified.problems).toContainEqual(
      expect.stringContaining('the run history was not intact when exported: chain broken'),
    );
  });

  it('detects the newest run deleted, from latest.json', async () => {
    await writeRuns(NOVEMBER);
    for (const key of await store.list(`runs/${RUN_IDS[3]}/`)) rmSync(join(dir, key));

    const exported = await exportNovember();

    expect(exported.manifest.chain).toBe(
      `broken: latest.json names run ${RUN_IDS[3]}, which is not in the store: the newest run is missing`,
    );
    expect((await verifyBundle(exported.bytes)).ok).toBe(false);
  });

  it('follows the chain by hash: scans that finish in another order than they started are intact', async () => {
    // The later scan finishes first; the earlier one chains to it.
    await writeRuns([NOVEMBER[1]!, NOVEMBER[0]!]);

    const exported = await exportNovember();

    expect(exported.manifest.chain).toBe('intact');
    expect(exported.manifest.runs.map((r) => [r.runId, r.previousRunId])).toEqual([
      [RUN_IDS[0], RUN_IDS[1]],
      [RUN_IDS[1], null],
    ]);
    expect((await verifyBundle(exported.bytes, { store })).ok).toBe(true);
  });

  it('passes over a run that never finished (no manifest), and lists it', async () => {
    await writeRuns(NOVEMBER.slice(0, 2));
    await store.putOnce('runs/20261101T120000Z-dead00/report.json', '{}');

    const exported = await exportNovember();

    expect(exported.manifest.chain).toBe('intact');
    expect(exported.manifest.unfinishedRuns).toEqual(['20261101T120000Z-dead00']);
  });

  it('records an artifact that no longer matches its manifest when exported', async () => {
    await writeRuns(NOVEMBER);
    const key = `runs/${RUN_IDS[1]}/findings.csv`;
    writeFileSync(join(dir, key), 'rewritten\r\n');

    const exported = await exportNovember();

    expect(exported.intact).toBe(false);
    expect(exported.manifest.artifacts).toMatch(
      new RegExp(
        `^modified: ${key}: modified: its SHA-256 is [0-9a-f]{64}, its manifest records [0-9a-f]{64}$`,
      ),
    );
    const verified = await verifyBundle(exported.bytes);
    expect(verified.problems).toEqual([
      expect.stringContaining('the run artifacts were not intact when exported'),
    ]);
  });
});

describe('exportEvidence with an S3 report store', () => {
  let server: S3Server;

  beforeAll(async () => {
    server = await startS3rver(['evidence']);
  });

  afterAll(async () => {
    await server.close();
  });

  it('exports from and into the bucket, and verification against it finds a removed run', async () => {
    const s3 = new S3ReportStore({ client: server.client(), bucket: 'evidence', prefix: 'org/reports' });
    store = s3;
    await writeRuns(NOVEMBER.slice(0, 3));

    const exported = await exportNovember();

    expect(exported.location).toBe(`s3://evidence/org/reports/${exported.key}`);
    expect(Buffer.from((await s3.get(exported.key))!).equals(Buffer.from(exported.bytes))).toBe(true);
    expect(exported.manifest.chain).toBe('intact');
    expect((await verifyBundle(exported.bytes, { store: s3 })).ok).toBe(true);

    for (const key of await s3.list(`runs/${RUN_IDS[1]}/`)) await s3.delete(key);
    const verified = await verifyBundle(exported.bytes, { store: s3 });
    expect(verified.ok).toBe(false);
    expect(verified.problems).toContain(
      `s3://evidence/org/reports/runs/${RUN_IDS[1]}/manifest.json: missing from the store: run ${RUN_IDS[1]} was removed`,
    );
  });
});

describe('verifyBundle', () => {
  it('names the file whose bytes were flipped in the bundle', async () => {
    await writeRuns(NOVEMBER);
    const { bytes } = await exportNovember();
    const { start, size } = entryData(bytes, 'controls/5.2.csv');

    for (const offset of [0, Math.floor(size / 2), size - 1]) {
      const flipped = bytes.slice();
      flipped[start + offset]! ^= 0xff;
      const verified = await verifyBundle(flipped);
      expect(verified.ok).toBe(false);
      expect(verified.problems.length).toBeGreaterThan(0);
      for (const problem of verified.problems) expect(problem).toMatch(/^controls\/5\.2\.csv: /);
    }
  });

  it('fails for a byte flipped anywhere in the bundle', async () => {
    await writeRuns(NOVEMBER.slice(0, 2));
    const { bytes } = await exportNovember();

    const step = Math.max(1, Math.floor(bytes.byteLength / 400));
    for (let at = 0; at < bytes.byteLength; at += step) {
      const flipped = bytes.slice();
      flipped[at]! ^= 0xff;
      expect((await verifyBundle(flipped)).ok, `byte ${at}`).toBe(false);
    }
  });

  it('catches an edited bundle manifest through SHA256SUMS, and a forged chain through the run manifests', async () => {
    await writeRuns(NOVEMBER);
    for (const key of await store.list(`runs/${RUN_IDS[1]}/`)) rmSync(join(dir, key));
    const { bytes } = await exportNovember();
    const { entries, manifest } = bundleOf(bytes);
    const forged = { ...manifest, chain: 'intact' };
    const files = [...entries].map(([path, body]) => ({
      path,
      body: path === BUNDLE_MANIFEST ? `${JSON.stringify(forged, null, 2)}\n` : body,
    }));

    const edited = await verifyBundle(writeZip(files));
    expect(edited.ok).toBe(false);
    expect(edited.problems).toContainEqual(expect.stringMatching(/^bundle-manifest\.json: modified: /));
    expect(edited.problems).toContainEqual(expect.stringContaining(`run ${RUN_IDS[2]}: follows a manifest`));
  });

  it('catches a run left out of a bundle whose hashes were all recomputed', async () => {
    await writeRuns(NOVEMBER.slice(0, 3));
    const { bytes } = await exportNovember();
    const { entries, manifest } = bundleOf(bytes);
    const dropped = RUN_IDS[1]!;
    const files = [...entries]
      .filter(
        ([path]) => !path.startsWith(`runs/${dropped}/`) && path !== BUNDLE_MANIFEST && path !== CHECKSUMS,
      )
      .map(([path, body]) => ({ path, body }));
    const listed = files.map((f) => ({ path: f.path, sha256: sha256Hex(f.body), size: f.body.byteLength }));
    const forged: BundleManifest = {
      ...manifest,
      files: listed,
      runs: manifest.runs.filter((r) => r.runId !== dropped),
      precedingRuns: [{ runId: dropped, manifestSha256: manifest.runs[1]!.manifestSha256 }],
    };
    const forgedBody = `${JSON.stringify(forged, null, 2)}\n`;
    const sums = [...listed, { path: BUNDLE_MANIFEST, sha256: sha256Hex(forgedBody) }]
      .map((f) => `${f.sha256}  ${f.path}\n`)
      .join('');
    const zip = writeZip([
      ...files,
      { path: BUNDLE_MANIFEST, body: forgedBody },
      { path: CHECKSUMS, body: sums },
    ]);

    const offline = await verifyBundle(zip);
    const withStore = await verifyBundle(zip, { store });

    expect(offline.problems).toEqual([`run ${dropped}: is in the period, but the bundle leaves it out`]);
    expect(withStore.problems).toContain(
      `store: run ${dropped} of the period comes before run ${RUN_IDS[2]}, but the bundle leaves it out`,
    );
  });

  it('reports a file added to or removed from the bundle', async () => {
    await writeRuns(NOVEMBER.slice(0, 1));
    const { entries } = bundleOf((await exportNovember()).bytes);
    const files = [...entries].map(([path, body]) => ({ path, body }));

    const added = await verifyBundle(writeZip([...files, { path: 'extra.txt', body: 'hello' }]));
    const removed = await verifyBundle(writeZip(files.filter((f) => f.path !== 'scope.json')));

    expect(added.problems).toContain(`extra.txt: not listed in ${BUNDLE_MANIFEST}: added to the bundle`);
    expect(removed.problems).toContain('scope.json: missing from the bundle');
  });

  it('with the store, detects an artifact modified or a run removed after the export', async () => {
    await writeRuns(NOVEMBER);
    const { bytes } = await exportNovember();
    const report = `runs/${RUN_IDS[2]}/report.json`;
    writeFileSync(join(dir, report), '{"tampered": true}\n');
    for (const key of await store.list(`runs/${RUN_IDS[1]}/`)) rmSync(join(dir, key));

    expect((await verifyBundle(bytes)).ok).toBe(true);
    const verified = await verifyBundle(bytes, { store });

    expect(verified.ok).toBe(false);
    expect(verified.problems).toContainEqual(
      expect.stringMatching(new RegExp(`^${join(dir, report)}: modified: its SHA-256 is [0-9a-f]{64}`)),
    );
    expect(verified.problems).toContainEqual(
      `${join(dir, 'runs', RUN_IDS[1]!, 'manifest.json')}: missing from the store: run ${RUN_IDS[1]} was removed`,
    );
    expect(verified.problems).toContainEqual(
      expect.stringMatching(/^store: run .* follows a run whose manifest/),
    );
  });

  it('notes a run of the period that the store holds and the bundle does not', async () => {
    await writeRuns(NOVEMBER.slice(0, 2));
    const { bytes } = await exportNovember();
    await writeRuns(NOVEMBER.slice(2, 3));

    const verified = await verifyBundle(bytes, { store });

    expect(verified.ok).toBe(true);
    expect(verified.notes).toEqual([
      `the store holds run ${RUN_IDS[2]} of the period, which the bundle does not cover`,
    ]);
  });

  it('fails for something that is not a bundle', async () => {
    expect(await verifyBundle(Buffer.from('hello'))).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('the bundle is not a readable zip archive')],
    });
    expect((await verifyBundle(writeZip([{ path: 'a.txt', body: 'a' }]))).problems).toEqual([
      'bundle-manifest.json: missing: without it nothing can be checked',
    ]);
  });
});
