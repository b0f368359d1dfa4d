/**
 * Compliance evidence export: the runs of a period, for one framework, as one zip bundle.
 *
 * The bundle holds a control matrix (status of each control over the period, resource counts,
 * first and last failure), every finding of each control's checks, each run's manifest and
 * summary byte for byte as the store holds them, the scope of every run, a README, and
 * `bundle-manifest.json` with the SHA-256 of every file. The manifest chain of the store's runs
 * is checked on the way: a run missing from the history, or an artifact that no longer matches
 * its run's manifest, is recorded in the bundle (and makes `verifyBundle` fail).
 *
 * Exporting the same period of the same store twice gives the same bytes: file times are fixed
 * and nothing in the bundle depends on the moment of export, which only names the key.
 */
import pLimit from 'p-limit';
import { historyChecks } from '../checks/history/index.js';
import { ALL_CHECKS } from '../checks/registry.js';
import { UsageError } from '../core/errors.js';
import { FRAMEWORKS, type FrameworkMapped } from '../core/frameworks/index.js';
import { FRAMEWORK_IDS, type FrameworkId, type Report } from '../core/types.js';
import {
  BUNDLE_KIND,
  BUNDLE_MANIFEST,
  type BundleFile,
  type BundleManifest,
  type BundleRun,
  CHECKSUMS,
  MATRIX_CSV,
  MATRIX_JSON,
  type PrecedingRun,
  README,
  renderChecksums,
  renderReadme,
  SCOPE_JSON,
  verdict,
} from './export/bundle.js';
import { artifactProblem, checkChain, compareIds, readStoreHistory, type StoredRun } from './export/chain.js';
import {
  type ControlRow,
  controlChecks,
  controlMatrix,
  type PeriodRun,
  renderControlCsv,
  renderMatrixCsv,
} from './export/matrix.js';
import {
  compactInstant,
  inPeriod,
  keyPart,
  type Period,
  parsePeriod,
  runStartedAt,
} from './export/period.js';
import { KeyExistsError, type ReportStore, sha256Hex } from './store.js';
import { writeZip } from './zip.js';

export type { BundleFile, BundleManifest, BundleRun, PrecedingRun } from './export/bundle.js';
export { BUNDLE_MANIFEST, CHECKSUMS } from './export/bundle.js';
export type { ControlResources, ControlRow, ControlStatus, RunRef } from './export/matrix.js';
export { type VerifyOptions, type VerifyResult, verifyBundle } from './export/verify.js';

/** Where bundles go in the store. */
export const EXPORTS_PREFIX = 'exports/';

const READ_CONCURRENCY = 4;

export interface ExportOptions {
  /** One of FRAMEWORK_IDS. */
  readonly framework: string;
  /** A UTC date (`2026-11-01`, the whole day) or instant (`2026-11-01T08:00:00Z`); inclusive. */
  readonly from: string;
  readonly to: string;
  /** The clock that names the bundle's key; nothing inside the bundle depends on it. */
  readonly now?: () => Date;
  /** The exporting custos's version, recorded in the bundle. */
  readonly toolVersion?: string;
  /** The checks whose framework mapping defines the controls; default: every custos check. */
  readonly checks?: readonly FrameworkMapped[];
}

export interface EvidenceExport {
  /** The bundle's key in the store: `exports/<framework>-<from>-<to>-<timestamp>.zip`. */
  readonly key: string;
  /** Where it lives, for people: a path or an s3:// URL. */
  readonly location: string;
  readonly bytes: Uint8Array;
  /** SHA-256 of the zip file. */
  readonly sha256: string;
  readonly manifest: BundleManifest;
  readonly controls: readonly ControlRow[];
  /** True when the chain and every run artifact were intact. */
  readonly intact: boolean;
}

interface ReadRun {
  readonly stored: StoredRun;
  readonly report: Report | undefined;
  readonly summary: Buffer | undefined;
  readonly problems: readonly string[];
}

/**
 * Builds the bundle for the runs of the period, writes it once to
 * `exports/<framework>-<from>-<to>-<timestamp>.zip` in the store and returns it.
 */
export async function exportEvidence(store: ReportStore, options: ExportOptions): Promise<EvidenceExport> {
  const framework = frameworkId(options.framework);
  const period = parsePeriod(options.from, options.to);
  const now = options.now ?? (() => new Date());
  const built = await buildBundle(store, { ...options, framework, period });
  const key = `${EXPORTS_PREFIX}${framework}-${keyPart(period.from)}-${keyPart(period.to)}-${compactInstant(now())}.zip`;
  try {
    await store.putOnce(key, built.bytes);
  } catch (error) {
    // The same period exported twice within a second: the same bytes are already there.
    if (!(error instanceof KeyExistsError)) throw error;
    const existing = await store.get(key);
    if (existing === undefined || !Buffer.from(built.bytes).equals(existing)) throw error;
  }
  return { key, location: store.locate(key), ...built };
}

export interface BuildOptions {
  readonly framework: FrameworkId;
  readonly period: Period;
  readonly toolVersion?: string;
  readonly checks?: readonly FrameworkMapped[];
}

/** The bundle, in memory, without writing it anywhere. */
export async function buildBundle(
  store: ReportStore,
  options: BuildOptions,
): Promise<Omit<EvidenceExport, 'key' | 'location'>> {
  const { framework, period } = options;
  const holds = (runId: string) => inPeriod(runId, period);
  const history = await readStoreHistory(store);
  const selected = history.runs.filter((r) => holds(r.runId));
  const chain = checkChain(
    history,
    selected.map((r) => r.runId),
    holds,
  );
  const limit = pLimit(READ_CONCURRENCY);
  const runs = (await Promise.all(selected.map((stored) => limit(() => readRun(store, stored))))).sort(
    byScanInstant,
  );
  const periodRuns: PeriodRun[] = runs.map((r) => ({ runId: r.stored.runId, report: r.report }));

  const checks = options.checks ?? [...ALL_CHECKS, ...historyChecks];
  const rows = controlMatrix(framework, controlChecks(framework, checks, periodRuns), periodRuns);
  const links = new Map(chain.links.map((l) => [l.runId, l]));
  const bundleRuns: BundleRun[] = runs.map(({ stored, report }) => {
    const link = links.get(stored.runId);
    return {
      runId: stored.runId,
      asOf: report?.asOf ?? null,
      manifestSha256: stored.manifestSha256,
      previousManifestSha256: link?.previousManifestSha256 ?? null,
      previousRunId: link?.previousRunId ?? null,
      reportSha256: stored.manifest?.artifacts.find((a) => a.path === 'report.json')?.sha256 ?? null,
    };
  });
  const inBundle = new Set(bundleRuns.map((r) => r.runId));
  const manifestShaOf = new Map(history.runs.map((r) => [r.runId, r.manifestSha256]));
  const preceding: PrecedingRun[] = [
    ...new Set(
      bundleRuns.map((r) => r.previousRunId).filter((id): id is string => id !== null && !inBundle.has(id)),
    ),
  ]
    .sort()
    .map((runId) => ({ runId, manifestSha256: manifestShaOf.get(runId)! }));
  const chainVerdict = verdict(chain.problems, 'broken');
  const artifactsVerdict = verdict(
    runs.flatMap((r) => r.problems),
    'modified',
  );
  const toolVersion = options.toolVersion ?? 'unknown';
  const frameworkName = frameworkTitle(framework);

  const files: Array<{ path: string; body: string | Uint8Array }> = [
    {
      path: README,
      body: renderReadme({
        frameworkName,
        framework,
        period,
        runs: bundleRuns,
        controls: rows.length,
        chain: chainVerdict,
        artifacts: artifactsVerdict,
        toolVersion,
      }),
    },
    {
      path: MATRIX_JSON,
      body: json({
        framework,
        frameworkName,
        from: period.from,
        to: period.to,
        period: bounds(period),
        controls: rows,
      }),
    },
    { path: MATRIX_CSV, body: renderMatrixCsv(rows) },
    ...rows.map((row) => ({ path: row.file, body: renderControlCsv(row, periodRuns) })),
    { path: SCOPE_JSON, body: json(scopeOf(period, runs)) },
  ];
  for (const run of runs) {
    files.push({ path: `runs/${run.stored.runId}/manifest.json`, body: run.stored.manifestBytes });
    if (run.summary !== undefined)
      files.push({ path: `runs/${run.stored.runId}/summary.json`, body: run.summary });
  }
  const listed: BundleFile[] = files.map((f) => describe(f.path, f.body));
  const lastFinished = [...runs].reverse().find((r) => r.report !== undefined)?.report?.finishedAt;
  const manifest: BundleManifest = {
    schemaVersion: 1,
    kind: BUNDLE_KIND,
    framework,
    frameworkName,
    from: period.from,
    to: period.to,
    period: bounds(period),
    createdAt: lastFinished ?? period.end,
    toolVersion,
    files: listed,
    runs: bundleRuns,
    precedingRuns: preceding,
    unfinishedRuns: history.unfinished.filter(holds),
    chain: chainVerdict,
    artifacts: artifactsVerdict,
  };
  const manifestBody = json(manifest);
  const checksums = renderChecksums([...listed, describe(BUNDLE_MANIFEST, manifestBody)]);
  const bytes = writeZip([
    ...files,
    { path: BUNDLE_MANIFEST, body: manifestBody },
    { path: CHECKSUMS, body: checksums },
  ]);
  return {
    bytes,
    sha256: sha256Hex(bytes),
    manifest,
    controls: rows,
    intact: chain.problems.length === 0 && runs.every((r) => r.problems.length === 0),
  };
}

/**
 * Oldest first, by the scan's `asOf` (milliseconds); run ids carry whole seconds only. A run whose
 * report cannot be read is placed by its id.
 */
function byScanInstant(a: ReadRun, b: ReadRun): number {
  const at = (r: ReadRun) => r.report?.asOf ?? runStartedAt(r.stored.runId)?.toISOString() ?? '';
  return at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : compareIds(a.stored.runId, b.stored.runId);
}

export function frameworkId(value: string): FrameworkId {
  if (!(FRAMEWORK_IDS as readonly string[]).includes(value)) {
    throw new UsageError(
      `--framework: ${JSON.stringify(value)}: expected one of ${FRAMEWORK_IDS.join(', ')}`,
    );
  }
  return value as FrameworkId;
}

function frameworkTitle(id: FrameworkId): string {
  const framework = FRAMEWORKS[id];
  return framework.version === undefined ? framework.name : `${framework.name} ${framework.version}`;
}

/**
 * Reads one run's artifacts and checks each against its manifest; keeps the report (parsed)
 * and the summary (as bytes).
 */
async function readRun(store: ReportStore, stored: StoredRun): Promise<ReadRun> {
  const { runId, manifest } = stored;
  const problems: string[] = [];
  if (manifest === undefined) {
    return {
      stored,
      report: undefined,
      summary: undefined,
      problems: [`runs/${runId}/manifest.json: not a run manifest`],
    };
  }
  let reportBytes: Buffer | undefined;
  let summary: Buffer | undefined;
  for (const artifact of manifest.artifacts) {
    const key = `runs/${runId}/${artifact.path}`;
    const body = await store.get(key);
    const problem = artifactProblem(body, artifact);
    if (problem !== undefined) problems.push(`${key}: ${problem}`);
    if (artifact.path === 'report.json') reportBytes = body;
    if (artifact.path === 'summary.json' && problem === undefined) summary = body;
  }
  if (!manifest.artifacts.some((a) => a.path === 'report.json')) {
    problems.push(`runs/${runId}/manifest.json: lists no report.json`);
  }
  const report = reportBytes === undefined ? undefined : parseReport(reportBytes, runId);
  if (reportBytes !== undefined && report === undefined) {
    problems.push(`runs/${runId}/report.json: not a readable report of run ${runId}`);
  }
  return { stored, report, summary, problems };
}

function parseReport(bytes: Buffer, runId: string): Report | undefined {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as Partial<Report> | null;
    if (
      value === null ||
      typeof value !== 'object' ||
      value.runId !== runId ||
      typeof value.asOf !== 'string' ||
      !Array.isArray(value.findings) ||
      !Array.isArray(value.scope?.checks) ||
      !Array.isArray(value.coverage?.checksNotRun)
    ) {
      return undefined;
    }
    return value as Report;
  } catch {
    return undefined;
  }
}

function scopeOf(period: Period, runs: readonly ReadRun[]) {
  const reports = runs.map((r) => r.report).filter((r): r is Report => r !== undefined);
  const distinct = (values: Iterable<string>) => [...new Set(values)].sort();
  return {
    period: bounds(period),
    accounts: distinct(reports.flatMap((r) => r.scope.accounts)),
    regions: distinct(reports.flatMap((r) => r.coverage.targets.map((t) => t.region))),
    checks: distinct(reports.flatMap((r) => r.scope.checks)),
    toolVersions: distinct(reports.map((r) => r.toolVersion)),
    configDigests: distinct(reports.map((r) => r.configDigest)),
    runs: runs.map(({ stored, report }) =>
      report === undefined
        ? { runId: stored.runId, readable: false }
        : {
            runId: report.runId,
            startedAt: report.startedAt,
            finishedAt: report.finishedAt,
            asOf: report.asOf,
            toolVersion: report.toolVersion,
            configDigest: report.configDigest,
            accounts: report.scope.accounts,
            regions: report.scope.regions,
            checks: report.scope.checks,
            checksNotRun: report.coverage.checksNotRun,
            targets: {
              total: report.coverage.targets.length,
              scanned: report.coverage.targets.filter((t) => t.status === 'scanned').length,
            },
          },
    ),
  };
}

function bounds(period: Period): { start: string; end: string } {
  return { start: period.start, end: period.end };
}

function describe(path: string, body: string | Uint8Array): BundleFile {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return { path, sha256: sha256Hex(bytes), size: bytes.byteLength };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
