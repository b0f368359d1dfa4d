/**
 * Writes one finished run into the store: the artifacts, a manifest that hashes each of them
 * and chains to the previous run's manifest, then `latest.json` last.
 */
import type { Artifact } from './artifacts.js';
import {
  KeyExistsError,
  type LatestPointer,
  type ReportStore,
  type RunManifest,
  type StoredArtifact,
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
 */
export async function writeRun(
  store: ReportStore,
  runId: string,
  artifacts: readonly Artifact[],
): Promise<WrittenRun> {
  const folder = `runs/${runId}`;
  const manifestKey = `${folder}/manifest.json`;
  const reportKey = `${folder}/report.json`;
  if ((await store.get(manifestKey)) !== undefined) {
    await pointLatestAt(store, runId, reportKey);
    return { runId, reportKey, manifestKey };
  }
  const stored: StoredArtifact[] = [];
  for (const artifact of artifacts) {
    const key = `${folder}/${artifact.path}`;
    try {
      await store.putOnce(key, artifact.body);
    } catch (error) {
      // Left by an attempt that crashed before its manifest: that run was never committed.
      if (!(error instanceof KeyExistsError)) throw error;
      await store.put(key, artifact.body);
    }
    stored.push({
      path: artifact.path,
      sha256: sha256Hex(artifact.body),
      size: Buffer.byteLength(artifact.body),
    });
  }
  const manifest: RunManifest = {
    runId,
    previousManifestSha256: await previousManifestSha256(store),
    artifacts: stored,
  };
  await store.putOnce(manifestKey, `${JSON.stringify(manifest, null, 2)}\n`);
  await pointLatestAt(store, runId, reportKey);
  return { runId, reportKey, manifestKey };
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
