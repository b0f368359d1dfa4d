/**
 * The run history as the store holds it, and the manifest chain that makes a missing run
 * visible. Each run's `manifest.json` carries the SHA-256 of the manifest of the run before it
 * (the run `latest.json` named when it was written). A run removed from the middle of the
 * history leaves the run after it pointing at a manifest that is no longer in the store.
 *
 * The chain is followed by hash, not by run id: two scans that overlap finish in the order the
 * finalize lease lets them, which need not be the order they started in.
 */
import pLimit from 'p-limit';
import type { LatestPointer, ReportStore, RunManifest, StoredArtifact } from '../store.js';
import { sha256Hex } from '../store.js';
import { runStartedAt } from './period.js';

const READ_CONCURRENCY = 8;

/** A run that finished: its manifest is in the store. */
export interface StoredRun {
  readonly runId: string;
  readonly manifestBytes: Buffer;
  readonly manifestSha256: string;
  /** Undefined when the manifest is not valid JSON of the expected shape. */
  readonly manifest: RunManifest | undefined;
}

export interface StoreHistory {
  /** Every run with a manifest, by run id. */
  readonly runs: readonly StoredRun[];
  /** Run folders without a manifest: runs that did not finish (the chain passes over them). */
  readonly unfinished: readonly string[];
  /** The run `latest.json` names, when there is one. */
  readonly latestRunId: string | undefined;
}

/** How one run joins the run before it. */
export interface RunLink {
  readonly runId: string;
  readonly manifestSha256: string;
  readonly previousManifestSha256: string | null;
  /** The run whose manifest has that hash, or null (first run, or not in the store). */
  readonly previousRunId: string | null;
}

export interface ChainCheck {
  readonly links: readonly RunLink[];
  /** What breaks the chain, one sentence each; empty when it is intact. */
  readonly problems: readonly string[];
}

export async function readStoreHistory(store: ReportStore): Promise<StoreHistory> {
  const keys = await store.list('runs/');
  const folders = new Map<string, Set<string>>();
  for (const key of keys) {
    const [, runId, ...rest] = key.split('/');
    if (runId === undefined || runId === '' || rest.length === 0) continue;
    const files = folders.get(runId) ?? new Set<string>();
    files.add(rest.join('/'));
    folders.set(runId, files);
  }
  const withManifest = [...folders].filter(([, files]) => files.has('manifest.json')).map(([id]) => id);
  const unfinished = [...folders].filter(([, files]) => !files.has('manifest.json')).map(([id]) => id);
  const limit = pLimit(READ_CONCURRENCY);
  const read = await Promise.all(
    withManifest.map((runId) =>
      limit(async (): Promise<StoredRun | undefined> => {
        const bytes = await store.get(`runs/${runId}/manifest.json`);
        if (bytes === undefined) return undefined;
        return {
          runId,
          manifestBytes: bytes,
          manifestSha256: sha256Hex(bytes),
          manifest: parseManifest(bytes),
        };
      }),
    ),
  );
  const latest = await store.get('latest.json');
  let latestRunId: string | undefined;
  if (latest !== undefined) {
    try {
      const pointer = JSON.parse(latest.toString('utf8')) as Partial<LatestPointer>;
      if (typeof pointer.runId === 'string') latestRunId = pointer.runId;
    } catch {
      latestRunId = undefined;
    }
  }
  return {
    runs: read.filter((r): r is StoredRun => r !== undefined).sort((a, b) => compareIds(a.runId, b.runId)),
    unfinished: unfinished.sort(compareIds),
    latestRunId,
  };
}

/** The manifest, or undefined when the bytes are not one. */
export function parseManifest(bytes: Uint8Array): RunManifest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const previous = m.previousManifestSha256;
  if (typeof m.runId !== 'string' || !(previous === null || typeof previous === 'string')) return undefined;
  if (!Array.isArray(m.artifacts) || !m.artifacts.every(isArtifact)) return undefined;
  return value as RunManifest;
}

function isArtifact(value: unknown): value is StoredArtifact {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Record<string, unknown>;
  return typeof a.path === 'string' && typeof a.sha256 === 'string' && typeof a.size === 'number';
}

/**
 * Checks the chain for the selected runs (ids of `history.runs`). Each must point at the
 * manifest of a run in the store, or be the one run that started the history (the earliest,
 * and the only one that points at nothing). `latest.json` naming a run that is gone, in the
 * period (`periodHolds`), shows that the newest run was removed.
 *
 * Where a run is missing, the run before the gap is the one that no run follows (other than
 * the newest): it is named when it can be told.
 */
export function checkChain(
  history: StoreHistory,
  selected: readonly string[],
  periodHolds: (runId: string) => boolean,
): ChainCheck {
  const bySha = new Map(history.runs.map((r) => [r.manifestSha256, r.runId]));
  const byId = new Map(history.runs.map((r) => [r.runId, r]));
  const previousOf = (run: StoredRun): string | null => {
    const previous = run.manifest?.previousManifestSha256;
    return previous === undefined || previous === null ? null : (bySha.get(previous) ?? null);
  };
  const followed = new Set(history.runs.map(previousOf).filter((id): id is string => id !== null));
  const head =
    history.latestRunId !== undefined && byId.has(history.latestRunId)
      ? history.latestRunId
      : history.runs.at(-1)?.runId;
  // Runs nothing follows, apart from the newest: each is the last run before a gap.
  const beforeGaps = history.runs
    .filter((r) => !followed.has(r.runId) && r.runId !== head)
    .map((r) => r.runId);
  const starts = history.runs.filter(
    (r) => r.manifest !== undefined && r.manifest.previousManifestSha256 === null,
  );
  // The run each run's chain goes back to; null when it ends at a manifest that is not there.
  const roots = new Map<string, string | null>();
  const rootOf = (runId: string): string | null => {
    const path: string[] = [];
    let current: string | null = runId;
    let root: string | null = null;
    while (current !== null) {
      const known = roots.get(current);
      if (known !== undefined) {
        root = known;
        break;
      }
      if (path.includes(current)) break;
      path.push(current);
      const run = byId.get(current);
      const previous = run?.manifest?.previousManifestSha256;
      if (run === undefined || previous === undefined) break;
      if (previous === null) {
        root = current;
        break;
      }
      current = previousOf(run);
    }
    for (const id of path) roots.set(id, root);
    return root;
  };

  const links: RunLink[] = [];
  const problems: string[] = [];
  for (const runId of [...selected].sort(compareIds)) {
    const run = byId.get(runId);
    if (run === undefined) throw new Error(`run ${runId} is not in the history read from the store`);
    if (run.manifest === undefined) {
      problems.push(`runs/${runId}/manifest.json is not a run manifest, so the run it follows is unknown`);
      links.push({
        runId,
        manifestSha256: run.manifestSha256,
        previousManifestSha256: null,
        previousRunId: null,
      });
      continue;
    }
    if (run.manifest.runId !== runId) {
      problems.push(`runs/${runId}/manifest.json names run ${run.manifest.runId}: it belongs to another run`);
    }
    const previous = run.manifest.previousManifestSha256;
    const previousRunId = previousOf(run);
    links.push({
      runId,
      manifestSha256: run.manifestSha256,
      previousManifestSha256: previous,
      previousRunId,
    });
    if (previous === null) {
      // The first run of a store may finish after a scan that started before it and chains to it.
      const earlier = history.runs.find((r) => startsBefore(r.runId, runId) && rootOf(r.runId) !== runId);
      const otherStart = starts.find((r) => r.runId !== runId);
      if (earlier !== undefined || otherStart !== undefined) {
        problems.push(
          `run ${runId} starts a new history although the store holds ` +
            (earlier !== undefined
              ? `earlier runs (the first: ${earlier.runId})`
              : `another run that starts one (${otherStart?.runId})`) +
            ': latest.json was missing or replaced when it was written',
        );
      }
    } else if (previousRunId === null) {
      const gapAfter = beforeGaps.filter((id) => !startsBefore(runId, id)).at(-1);
      problems.push(
        `run ${runId} follows a run whose manifest (sha256 ${previous}) is not in the store: ` +
          (gapAfter === undefined
            ? `a run before ${runId} is missing`
            : `a run between ${gapAfter} and ${runId} is missing`),
      );
    } else if (previousRunId === runId) {
      problems.push(`run ${runId} names its own manifest as the previous one`);
    }
  }
  const latest = history.latestRunId;
  if (latest !== undefined && !byId.has(latest) && periodHolds(latest)) {
    problems.push(`latest.json names run ${latest}, which is not in the store: the newest run is missing`);
  }
  return { links, problems };
}

/** Whether run `a` started in an earlier second than run `b` (run ids carry whole seconds). */
export function startsBefore(a: string, b: string): boolean {
  const at = runStartedAt(a)?.getTime();
  const bt = runStartedAt(b)?.getTime();
  return at !== undefined && bt !== undefined && at < bt;
}

/** Why an artifact read from the store does not match its manifest entry; undefined when it does. */
export function artifactProblem(body: Uint8Array | undefined, artifact: StoredArtifact): string | undefined {
  if (body === undefined) return 'missing from the store';
  const sha256 = sha256Hex(body);
  if (sha256 !== artifact.sha256)
    return `modified: its SHA-256 is ${sha256}, its manifest records ${artifact.sha256}`;
  if (body.byteLength !== artifact.size) {
    return `modified: it has ${body.byteLength} bytes, its manifest records ${artifact.size}`;
  }
  return undefined;
}

/** Run ids sort by the instant they start with; plain string order, without locale rules. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
