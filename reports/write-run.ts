/**
 * Writes one finished run into the store: the artifacts, a manifest that hashes each of them
 * and chains to the previous run's manifest, then `latest.json` last.
 */
import type { Artifact, RunArtifact, StreamedArtifact } from './artifacts.js';
import { PassAbandonedError } from './fan-out.js';
import {
  KeyExistsError,
  type LatestPointer,
  type ReportStore,
  type RunManifest,
  type StoredArtifact,
  type StoredBody,
  sha256Hex,
} from './store.js';

export interface WrittenRun {
  readonly runId: string;
  readonly reportKey: string;
  readonly manifestKey: string;
}

/**
 * Writes a finished run: each artifact under `runs/<runId>/`, then the manifest (the commit
 * point, written once), then `latest.json`. A crash before the manifest leaves `latest.json` on
 * the previous run; the retry rewrites the uncommitted artifacts (in a versioned bucket the
 * crashed attempt's versions remain) and commits. A retry after the commit changes nothing but
 * a `latest.json` the crash did not get to.
 *
 * Streamed artifacts are written concurrently (those of one pass over the findings must be),
 * each hashed as it is written; the manifest lists every artifact in the order given.
 */
export async function writeRun(
  store: ReportStore,
  runId: string,
  artifacts: readonly RunArtifact[],
): Promise<WrittenRun> {
  const folder = `runs/${runId}`;
  const manifestKey = `${folder}/manifest.json`;
  const reportKey = `${folder}/report.json`;
  const streamed = artifacts.filter(isStreamed);
  if ((await store.get(manifestKey)) !== undefined) {
    for (const artifact of streamed) artifact.abandon?.();
    await pointLatestAt(store, runId, reportKey);
    return { runId, reportKey, manifestKey };
  }
  const writes = new Map<RunArtifact, Promise<StoredBody>>();
  for (const artifact of streamed)
    writes.set(artifact, writeStreamed(store, `${folder}/${artifact.path}`, artifact));
  let failure: { readonly error: unknown } | undefined;
  const written = new Map<RunArtifact, StoredBody>();
  for (const artifact of artifacts) {
    if (isStreamed(artifact)) continue;
    try {
      written.set(artifact, await writeBody(store, `${folder}/${artifact.path}`, artifact));
    } catch (error) {
      failure = { error };
      for (const other of streamed) other.abandon?.();
      break;
    }
  }
  const settled = await Promise.allSettled(writes.values());
  [...writes.keys()].forEach((artifact, i) => {
    const outcome = settled[i]!;
    if (outcome.status === 'fulfilled') written.set(artifact, outcome.value);
    // The artifact that failed says why; the others of its pass only say that it did.
    else if (failure === undefined || failure.error instanceof PassAbandonedError)
      failure = { error: outcome.reason };
  });
  if (failure !== undefined) throw failure.error;
  const stored: StoredArtifact[] = artifacts.map((artifact) => ({
    path: artifact.path,
    ...written.get(artifact)!,
  }));
  const manifest: RunManifest = {
    runId,
    previousManifestSha256: await previousManifestSha256(store),
    artifacts: stored,
  };
  await store.putOnce(manifestKey, `${JSON.stringify(manifest, null, 2)}\n`);
  await pointLatestAt(store, runId, reportKey);
  return { runId, reportKey, manifestKey };
}

function isStreamed(artifact: RunArtifact): artifact is StreamedArtifact {
  return 'chunks' in artifact;
}

async function writeBody(store: ReportStore, key: string, artifact: Artifact): Promise<StoredBody> {
  try {
    await store.putOnce(key, artifact.body);
  } catch (error) {
    // Left by an attempt that crashed before its manifest: that run was never committed.
    if (!(error instanceof KeyExistsError)) throw error;
    await store.put(key, artifact.body);
  }
  return { sha256: sha256Hex(artifact.body), size: Buffer.byteLength(artifact.body) };
}

async function writeStreamed(
  store: ReportStore,
  key: string,
  artifact: StreamedArtifact,
): Promise<StoredBody> {
  try {
    return await store.putOnceStream(key, artifact.chunks());
  } catch (error) {
    if (!(error instanceof KeyExistsError)) {
      artifact.abandon?.();
      throw error;
    }
    // Left by an attempt that crashed before its manifest: rendered again and rewritten.
    return await store.putStream(key, artifact.chunks());
  }
}

async function pointLatestAt(store: ReportStore, runId: string, reportKey: string): Promise<void> {
  const latest = await store.get('latest.json');
  if (latest !== undefined && (JSON.parse(latest.toString('utf8')) as LatestPointer).runId === runId) return;
  const pointer: LatestPointer = { runId, reportKey };
  await store.put('latest.json', `${JSON.stringify(pointer, null, 2)}\n`);
}

async function previousManifestSha256(store: ReportStore): Promise<string | null> {
  const latest = await store.get('latest.json');
  if (latest === undefined) return null;
  const pointer = JSON.parse(latest.toString('utf8')) as LatestPointer;
  const manifest = await store.get(`runs/${pointer.runId}/manifest.json`);
  return manifest === undefined ? null : sha256Hex(manifest);
}
