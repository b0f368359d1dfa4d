/**
 * Writes one finished run into the store: the artifacts, a manifest that hashes each of them
 * and chains to the previous run's manifest, then `latest.json` last.
 */
import type { Artifact } from './artifacts.js';
import {
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
 * Writes a finished run: each artifact once under `runs/<runId>/`, then the manifest, then
 * `latest.json`. A crash before the end leaves `latest.json` on the previous run.
 */
export async function writeRun(
  store: ReportStore,
  runId: string,
  artifacts: readonly Artifact[],
): Promise<WrittenRun> {
  const folder = `runs/${runId}`;
  const stored: StoredArtifact[] = [];
  for (const artifact of artifacts) {
    await store.putOnce(`${folder}/${artifact.path}`, artifact.body);
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
  const manifestKey = `${folder}/manifest.json`;
  await store.putOnce(manifestKey, `${JSON.stringify(manifest, null, 2)}\n`);
  const reportKey = `${folder}/report.json`;
  const latest: LatestPointer = { runId, reportKey };
  await store.put('latest.json', `${JSON.stringify(latest, null, 2)}\n`);
  return { runId, reportKey, manifestKey };
}

async function previousManifestSha256(store: ReportStore): Promise<string | null> {
  const latest = await store.get('latest.json');
  if (latest === undefined) return null;
  const pointer = JSON.parse(latest.toString('utf8')) as LatestPointer;
  const manifest = await store.get(`runs/${pointer.runId}/manifest.json`);
  return manifest === undefined ? null : sha256Hex(manifest);
}
