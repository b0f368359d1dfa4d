/**
 * `custos export` builds a compliance evidence bundle from the report store's runs of a period;
 * `custos verify` checks one. Exit codes: export 0 written and intact, 1 written but the run
 * history or an artifact was not intact (the bundle says what), 2 bad usage; verify 0 intact,
 * 1 not intact (naming what), 2 bad usage.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { S3Client } from '@aws-sdk/client-s3';
import { UsageError } from '../core/errors.js';
import { exportEvidence, verifyBundle } from '../reports/export.js';
import { openStore } from '../reports/open-store.js';
import type { ReportStore } from '../reports/store.js';
import { loadConfig } from './config-file.js';
import { liveCredentials } from './engine-context.js';
import { toolVersion } from './version.js';

export interface StoreFlags {
  /** A report store folder or `s3://bucket/prefix`. */
  readonly store?: string;
  readonly profile?: string;
  readonly region?: string;
}

export interface ExportFlags extends StoreFlags {
  readonly framework: string;
  readonly from: string;
  readonly to: string;
  readonly config?: string;
  readonly out?: string;
  readonly quiet?: boolean;
}

export interface VerifyFlags extends StoreFlags {
  readonly json?: boolean;
}

export async function exportCommand(
  flags: ExportFlags,
  write: (text: string) => void,
  now: () => Date = () => new Date(),
): Promise<number> {
  // The store, its KMS key and Object Lock settings come from the config; --store overrides it.
  const config = loadConfig(flags.config, flags.store === undefined ? {} : { store: flags.store });
  const store = openReportStore(config.output.store, flags, config);
  const exported = await exportEvidence(store, {
    framework: flags.framework,
    from: flags.from,
    to: flags.to,
    now,
    toolVersion: toolVersion(),
  });
  if (flags.out !== undefined) await writeFile(flags.out, exported.bytes);
  const { manifest } = exported;
  if (flags.quiet !== true) {
    write(
      [
        `Evidence bundle for ${manifest.frameworkName}, ${manifest.from} to ${manifest.to}: ` +
          `${manifest.runs.length} run(s), ${exported.controls.length} control(s)`,
        `  ${exported.location}`,
        ...(flags.out === undefined ? [] : [`  ${flags.out}`]),
        `  sha256 ${exported.sha256}`,
        `  chain: ${manifest.chain}`,
        `  artifacts: ${manifest.artifacts}`,
      ].join('\n'),
    );
  }
  if (manifest.runs.length === 0) {
    process.stderr.write(
      `custos: the store holds no finished run between ${manifest.from} and ${manifest.to}\n`,
    );
  }
  if (!exported.intact) {
    process.stderr.write('custos: the run history is not intact; the bundle records what is wrong\n');
    return 1;
  }
  return 0;
}

export async function verifyCommand(
  file: string,
  flags: VerifyFlags,
  write: (text: string) => void,
): Promise<number> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such bundle file`);
  const bytes = await readFile(file);
  const store = flags.store === undefined ? undefined : openReportStore(flags.store, flags);
  const result = await verifyBundle(bytes, store === undefined ? {} : { store });
  if (flags.json === true) {
    write(JSON.stringify({ file, ok: result.ok, problems: result.problems, notes: result.notes }, null, 2));
  } else {
    const m = result.manifest;
    const what =
      m === undefined
        ? ''
        : ` (${m.framework}, ${m.from} to ${m.to}: ${m.files.length + 2} files, ${m.runs.length} run(s))`;
    const lines = result.ok
      ? [`${file}: intact${what}${store === undefined ? '' : `; its runs match ${store.locate('runs/')}`}`]
      : [`${file}: NOT intact${what}`, ...result.problems.map((p) => `  - ${p}`)];
    for (const note of result.notes) lines.push(`  note: ${note}`);
    write(lines.join('\n'));
  }
  return result.ok ? 0 : 1;
}

/** A store the user names: a local folder that must exist, or an S3 location. */
function openReportStore(
  location: string,
  flags: StoreFlags,
  config?: Parameters<typeof openStore>[0],
): ReportStore {
  if (!location.startsWith('s3://') && !(existsSync(location) && statSync(location).isDirectory())) {
    throw new UsageError(`--store: ${location}: no such report store folder`);
  }
  const region = flags.region ?? process.env.AWS_REGION ?? 'us-east-1';
  let s3: S3Client | undefined;
  const client = () => {
    s3 ??= new S3Client({ region, credentials: liveCredentials(flags) });
    return s3;
  };
  try {
    return openStore(
      { output: { ...(config?.output ?? { formats: [] }), store: location }, evidence: config?.evidence },
      client,
    );
  } catch (error) {
    throw new UsageError(`--store: ${(error as Error).message}`);
  }
}
