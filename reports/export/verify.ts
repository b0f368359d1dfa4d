/**
 * Verifying an evidence bundle: every file against `bundle-manifest.json` and `SHA256SUMS`,
 * every run manifest against the run list, the chain between the runs, and each run's summary
 * against its manifest. Given the report store, also that each run's manifest and artifacts in
 * the store still match, and that the store's chain over the period is intact.
 *
 * Each problem is one sentence that starts with what it is about: a file of the bundle, a key
 * of the store, or a run.
 */
import type { ReportStore } from '../store.js';
import { sha256Hex } from '../store.js';
import { readZip, ZipFormatError } from '../zip.js';
import {
  BUNDLE_KIND,
  BUNDLE_MANIFEST,
  type BundleManifest,
  CHECKSUMS,
  INTACT,
  parseChecksums,
} from './bundle.js';
import { artifactProblem, checkChain, parseManifest, readStoreHistory, startsBefore } from './chain.js';
import { inPeriod, type Period } from './period.js';

export interface VerifyOptions {
  /** The report store the bundle was exported from: its runs are checked too. */
  readonly store?: ReportStore;
}

export interface VerifyResult {
  readonly ok: boolean;
  /** What is not intact, one sentence each; empty when `ok`. */
  readonly problems: readonly string[];
  /** Worth knowing, not a failure (a run of the period the store holds and the bundle does not). */
  readonly notes: readonly string[];
  /** The bundle manifest, when it could be read. */
  readonly manifest?: BundleManifest;
}

export async function verifyBundle(bytes: Uint8Array, options: VerifyOptions = {}): Promise<VerifyResult> {
  const problems: string[] = [];
  const notes: string[] = [];
  const done = (manifest?: BundleManifest): VerifyResult => ({
    ok: problems.length === 0,
    problems,
    notes,
    ...(manifest !== undefined && { manifest }),
  });

  let contents: ReturnType<typeof readZip>;
  try {
    contents = readZip(bytes, { canonical: true });
  } catch (error) {
    if (error instanceof ZipFormatError) {
      problems.push(`the bundle is ${error.message}`);
      return done();
    }
    throw error;
  }
  const { entries } = contents;
  for (const p of contents.problems) problems.push(`${p.path}: ${p.problem}`);

  const manifestBytes = entries.get(BUNDLE_MANIFEST);
  if (manifestBytes === undefined) {
    problems.push(`${BUNDLE_MANIFEST}: missing: without it nothing can be checked`);
    return done();
  }
  const manifest = parseBundleManifest(manifestBytes);
  if (manifest === undefined) {
    problems.push(`${BUNDLE_MANIFEST}: not a custos evidence bundle manifest`);
    return done();
  }

  // Every file against the bundle manifest; one problem per file.
  const flagged = new Set<string>();
  const flag = (path: string, problem: string) => {
    flagged.add(path);
    problems.push(`${path}: ${problem}`);
  };
  const recorded = new Map(manifest.files.map((f) => [f.path, f]));
  for (const file of manifest.files) {
    const body = entries.get(file.path);
    if (body === undefined) {
      if (!contents.problems.some((p) => p.path === file.path)) flag(file.path, 'missing from the bundle');
      continue;
    }
    const sha256 = sha256Hex(body);
    if (sha256 !== file.sha256) {
      flag(file.path, `modified: its SHA-256 is ${sha256}, ${BUNDLE_MANIFEST} records ${file.sha256}`);
    } else if (body.byteLength !== file.size) {
      flag(file.path, `modified: it has ${body.byteLength} bytes, ${BUNDLE_MANIFEST} records ${file.size}`);
    }
  }
  for (const path of entries.keys()) {
    if (!recorded.has(path) && path !== BUNDLE_MANIFEST && path !== CHECKSUMS) {
      flag(path, `not listed in ${BUNDLE_MANIFEST}: added to the bundle`);
    }
  }

  // SHA256SUMS covers the bundle manifest itself.
  const checksumBytes = entries.get(CHECKSUMS);
  const sums =
    checksumBytes === undefined ? undefined : parseChecksums(Buffer.from(checksumBytes).toString('utf8'));
  if (checksumBytes === undefined) flag(CHECKSUMS, 'missing from the bundle');
  else if (sums === undefined) flag(CHECKSUMS, 'not in sha256sum format');
  else {
    const manifestSha = sha256Hex(manifestBytes);
    const ownSum = sums.get(BUNDLE_MANIFEST);
    if (ownSum !== manifestSha) {
      flag(
        BUNDLE_MANIFEST,
        `modified: its SHA-256 is ${manifestSha}, ${CHECKSUMS} records ${ownSum ?? 'nothing'}`,
      );
    }
    const expected = new Set([...recorded.keys(), BUNDLE_MANIFEST]);
    const disagree = [...expected].filter(
      (path) =>
        path !== BUNDLE_MANIFEST && !flagged.has(path) && sums.get(path) !== recorded.get(path)?.sha256,
    );
    const extra = [...sums.keys()].filter((path) => !expected.has(path));
    if (disagree.length > 0 || extra.length > 0) {
      flag(
        CHECKSUMS,
        `modified: its lines for ${[...disagree, ...extra].join(', ')} do not match the bundle`,
      );
    }
  }

  checkRuns(manifest, entries, problems);
  const period: Period = { from: manifest.from, to: manifest.to, ...manifest.period };
  for (const run of manifest.precedingRuns) {
    if (inPeriod(run.runId, period)) {
      problems.push(`run ${run.runId}: is in the period, but the bundle leaves it out`);
    }
  }

  if (manifest.chain !== INTACT)
    problems.push(`the run history was not intact when exported: chain ${manifest.chain}`);
  if (manifest.artifacts !== INTACT) {
    problems.push(`the run artifacts were not intact when exported: ${manifest.artifacts}`);
  }

  if (options.store !== undefined) await checkStore(options.store, manifest, problems, notes);
  return done(manifest);
}

/** The bundled run manifests and summaries, and the links between the runs. */
function checkRuns(
  manifest: BundleManifest,
  entries: ReadonlyMap<string, Uint8Array>,
  problems: string[],
): void {
  const shaOf = new Map<string, string>([
    ...manifest.precedingRuns.map((r) => [r.runId, r.manifestSha256] as const),
    ...manifest.runs.map((r) => [r.runId, r.manifestSha256] as const),
  ]);
  const previousOf = new Map(manifest.runs.map((r) => [r.runId, r.previousRunId]));
  for (const run of manifest.runs) {
    const path = `runs/${run.runId}/manifest.json`;
    const body = entries.get(path);
    if (body === undefined) {
      problems.push(`run ${run.runId}: ${path} is not in the bundle`);
      continue;
    }
    const sha256 = sha256Hex(body);
    if (sha256 !== run.manifestSha256) {
      problems.push(
        `run ${run.runId}: ${path} has SHA-256 ${sha256}, the run list records ${run.manifestSha256}`,
      );
      continue;
    }
    const parsed = parseManifest(body);
    if (parsed === undefined) {
      problems.push(`run ${run.runId}: ${path} is not a run manifest`);
      continue;
    }
    if (parsed.previousManifestSha256 !== run.previousManifestSha256) {
      problems.push(`run ${run.runId}: the run list and ${path} disagree on the previous manifest`);
    }
    const previous = parsed.previousManifestSha256;
    if (previous === null) {
      const otherStart = manifest.runs.some(
        (r) => r.runId !== run.runId && r.previousManifestSha256 === null,
      );
      const earlier = manifest.runs.some(
        (r) => startsBefore(r.runId, run.runId) && !descendsFrom(r.runId, run.runId, previousOf),
      );
      if (otherStart || earlier) {
        problems.push(`run ${run.runId}: starts a new history after earlier runs (chain broken)`);
      }
    } else if (run.previousRunId === null || shaOf.get(run.previousRunId) !== previous) {
      problems.push(
        `run ${run.runId}: follows a manifest (sha256 ${previous}) that is neither in the bundle nor among ` +
          'the runs it records before the period (chain broken)',
      );
    }
    const summary = entries.get(`runs/${run.runId}/summary.json`);
    const recordedSummary = parsed.artifacts.find((a) => a.path === 'summary.json');
    if (
      summary !== undefined &&
      recordedSummary !== undefined &&
      sha256Hex(summary) !== recordedSummary.sha256
    ) {
      problems.push(`runs/${run.runId}/summary.json: does not match the SHA-256 its run manifest records`);
    }
    const report = parsed.artifacts.find((a) => a.path === 'report.json');
    if ((report?.sha256 ?? null) !== run.reportSha256) {
      problems.push(`run ${run.runId}: the run list and ${path} disagree on report.json's SHA-256`);
    }
  }
}

/** The store still holds what the bundle says, byte for byte, and its chain over the period is intact. */
async function checkStore(
  store: ReportStore,
  manifest: BundleManifest,
  problems: string[],
  notes: string[],
): Promise<void> {
  /** The store's copy of a run manifest, when it still matches the bundle's. */
  const storedManifest = async (runId: string, manifestSha256: string): Promise<Buffer | undefined> => {
    const key = `runs/${runId}/manifest.json`;
    const body = await store.get(key);
    if (body === undefined) {
      problems.push(`${store.locate(key)}: missing from the store: run ${runId} was removed`);
      return undefined;
    }
    if (sha256Hex(body) !== manifestSha256) {
      problems.push(`${store.locate(key)}: modified: it no longer matches the bundle's copy`);
      return undefined;
    }
    return body;
  };
  for (const run of manifest.precedingRuns) await storedManifest(run.runId, run.manifestSha256);
  for (const run of manifest.runs) {
    const body = await storedManifest(run.runId, run.manifestSha256);
    if (body === undefined) continue;
    for (const artifact of parseManifest(body)?.artifacts ?? []) {
      const key = `runs/${run.runId}/${artifact.path}`;
      const problem = artifactProblem(await store.get(key), artifact);
      if (problem !== undefined) problems.push(`${store.locate(key)}: ${problem}`);
    }
  }
  const period: Period = { from: manifest.from, to: manifest.to, ...manifest.period };
  const holds = (runId: string) => inPeriod(runId, period);
  const history = await readStoreHistory(store);
  const inStore = history.runs.filter((r) => holds(r.runId)).map((r) => r.runId);
  const chain = checkChain(history, inStore, holds);
  for (const problem of chain.problems) problems.push(`store: ${problem}`);
  const bundled = new Set(manifest.runs.map((r) => r.runId));
  // A run of the period that a bundled run follows was in the store when the bundle was made.
  const followed = new Map(
    chain.links.filter((l) => l.previousRunId !== null).map((l) => [l.previousRunId, l.runId] as const),
  );
  for (const runId of inStore) {
    if (bundled.has(runId)) continue;
    const next = followed.get(runId);
    if (next !== undefined && bundled.has(next)) {
      problems.push(
        `store: run ${runId} of the period comes before run ${next}, but the bundle leaves it out`,
      );
    } else notes.push(`the store holds run ${runId} of the period, which the bundle does not cover`);
  }
}

/** Whether following `previousOf` from `runId` reaches `ancestor`. */
function descendsFrom(
  runId: string,
  ancestor: string,
  previousOf: ReadonlyMap<string, string | null>,
): boolean {
  const seen = new Set<string>();
  for (let current = previousOf.get(runId); current !== undefined && current !== null; ) {
    if (current === ancestor) return true;
    if (seen.has(current)) return false;
    seen.add(current);
    current = previousOf.get(current);
  }
  return false;
}

function parseBundleManifest(bytes: Uint8Array): BundleManifest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const period = m.period as Record<string, unknown> | undefined;
  const ok =
    m.kind === BUNDLE_KIND &&
    m.schemaVersion === 1 &&
    typeof m.from === 'string' &&
    typeof m.to === 'string' &&
    typeof period?.start === 'string' &&
    typeof period?.end === 'string' &&
    typeof m.chain === 'string' &&
    typeof m.artifacts === 'string' &&
    Array.isArray(m.files) &&
    m.files.every(
      (f: unknown) =>
        isRecord(f) &&
        typeof f.path === 'string' &&
        typeof f.sha256 === 'string' &&
        typeof f.size === 'number',
    ) &&
    Array.isArray(m.runs) &&
    m.runs.every(
      (r: unknown) =>
        isRecord(r) &&
        typeof r.runId === 'string' &&
        typeof r.manifestSha256 === 'string' &&
        (r.previousManifestSha256 === null || typeof r.previousManifestSha256 === 'string') &&
        (r.previousRunId === null || typeof r.previousRunId === 'string') &&
        (r.reportSha256 === null || typeof r.reportSha256 === 'string'),
    ) &&
    Array.isArray(m.precedingRuns) &&
    m.precedingRuns.every(
      (r: unknown) => isRecord(r) && typeof r.runId === 'string' && typeof r.manifestSha256 === 'string',
    );
  return ok ? (value as BundleManifest) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
