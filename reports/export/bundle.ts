/**
 * The layout of an evidence bundle: its manifest, its checksum list and its README. The bundle
 * is a zip archive; `bundle-manifest.json` lists every other file with its SHA-256 and size,
 * and `SHA256SUMS` lists every file but itself (the manifest included) in `sha256sum`'s format.
 */
import type { FrameworkId } from '../../core/types.js';
import type { Period } from './period.js';

export const BUNDLE_MANIFEST = 'bundle-manifest.json';
export const CHECKSUMS = 'SHA256SUMS';
export const README = 'README.txt';
export const MATRIX_JSON = 'control-matrix.json';
export const MATRIX_CSV = 'control-matrix.csv';
export const SCOPE_JSON = 'scope.json';
export const BUNDLE_KIND = 'custos-evidence-bundle';
export const INTACT = 'intact';

export interface BundleFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

export interface BundleRun {
  readonly runId: string;
  /** The run's scan instant; null when its report could not be read. */
  readonly asOf: string | null;
  /** SHA-256 of `runs/<runId>/manifest.json`, as in the store and in the bundle. */
  readonly manifestSha256: string;
  /** What the manifest says the previous run's manifest hashed to. */
  readonly previousManifestSha256: string | null;
  /** The run that manifest belongs to, or null (the first run, or a run not in the store). */
  readonly previousRunId: string | null;
  /** SHA-256 of the run's `report.json`, as its manifest records it. */
  readonly reportSha256: string | null;
}

/** A run outside the period that a run of the period follows: where the chain is anchored. */
export interface PrecedingRun {
  readonly runId: string;
  readonly manifestSha256: string;
}

export interface BundleManifest {
  readonly schemaVersion: 1;
  readonly kind: typeof BUNDLE_KIND;
  readonly framework: FrameworkId;
  readonly frameworkName: string;
  /** The period as asked for, and its inclusive bounds as UTC instants. */
  readonly from: string;
  readonly to: string;
  readonly period: { readonly start: string; readonly end: string };
  /**
   * When the evidence was complete: the end of the newest run the bundle covers (the period's
   * end when it covers none). Derived from the runs, so exporting the same period twice gives
   * the same bytes; the moment of export is in the bundle's key in the store.
   */
  readonly createdAt: string;
  readonly toolVersion: string;
  /** Every file of the bundle except this manifest and SHA256SUMS. */
  readonly files: readonly BundleFile[];
  /** The runs of the period, oldest first. */
  readonly runs: readonly BundleRun[];
  readonly precedingRuns: readonly PrecedingRun[];
  /** Run folders of the period without a manifest: scans that never finished. */
  readonly unfinishedRuns: readonly string[];
  /** `intact`, or `broken: ` and what breaks the manifest chain. */
  readonly chain: string;
  /** `intact`, or `modified: ` and which run artifacts no longer match their manifests. */
  readonly artifacts: string;
}

export function verdict(problems: readonly string[], word: string): string {
  return problems.length === 0 ? INTACT : `${word}: ${problems.join('; ')}`;
}

/** `sha256sum` format: the hash, two spaces, the path; one line per file. */
export function renderChecksums(files: readonly BundleFile[]): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
}

export function parseChecksums(text: string): Map<string, string> | undefined {
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match === null) return undefined;
    sums.set(match[2]!, match[1]!);
  }
  return sums;
}

export interface ReadmeFacts {
  readonly frameworkName: string;
  readonly framework: FrameworkId;
  readonly period: Period;
  readonly runs: readonly BundleRun[];
  readonly controls: number;
  readonly chain: string;
  readonly artifacts: string;
  readonly toolVersion: string;
}

export function renderReadme(facts: ReadmeFacts): string {
  const { period, runs } = facts;
  const first = runs[0]?.runId;
  const last = runs.at(-1)?.runId;
  const lines = [
    'custos evidence bundle',
    '======================',
    '',
    `Framework:  ${facts.frameworkName} (${facts.framework})`,
    `Period:     ${period.from} to ${period.to}, both included (${period.start} to ${period.end}, UTC)`,
    `Runs:       ${runs.length}${first === undefined ? '' : ` (${first} to ${last})`}`,
    `Controls:   ${facts.controls}`,
    `Chain:      ${facts.chain}`,
    `Artifacts:  ${facts.artifacts}`,
    `Written by: custos ${facts.toolVersion}`,
    '',
    'A run belongs to the period when the UTC instant its id starts with (the start of its scan)',
    'falls within it.',
    '',
    'Contents',
    '--------',
    `${README.padEnd(30)}this file`,
    `${MATRIX_JSON.padEnd(30)}one entry per control that custos's checks map to: status over the`,
    `${''.padEnd(30)}period, resources passing / failing / suppressed / not assessed, first`,
    `${''.padEnd(30)}and last failure`,
    `${MATRIX_CSV.padEnd(30)}the same as a table`,
    `${'controls/<control>.csv'.padEnd(30)}every finding of the control's checks in the period's runs`,
    `${SCOPE_JSON.padEnd(30)}what each run scanned: accounts, regions, checks, custos version,`,
    `${''.padEnd(30)}config digest`,
    `${'runs/<runId>/manifest.json'.padEnd(30)}each run's manifest, byte for byte as the report store holds it:`,
    `${''.padEnd(30)}the SHA-256 of every artifact of the run (report.json included) and`,
    `${''.padEnd(30)}of the previous run's manifest`,
    `${'runs/<runId>/summary.json'.padEnd(30)}each run's summary, byte for byte as the report store holds it`,
    `${BUNDLE_MANIFEST.padEnd(30)}the SHA-256 and size of every file above, the runs and how their`,
    `${''.padEnd(30)}manifests chain; createdAt is the end of the newest run covered`,
    `${CHECKSUMS.padEnd(30)}the SHA-256 of every file, ${BUNDLE_MANIFEST} included`,
    '',
    'Control status over the period',
    '------------------------------',
    'In one run, a control is FAIL when a finding of its checks is an unsuppressed FAIL; else',
    'ERROR when a finding of its checks is ERROR (something in scope could not be assessed); else',
    'PASS when at least one of its checks ran; else NOT_ASSESSED (none of its checks ran).',
    'Over the period it is FAIL when any run was FAIL, else ERROR when any run was ERROR, else',
    'PASS when any run was PASS, else NOT_ASSESSED. Runs that did not assess a control (a scan',
    'of some checks only) do not count for it.',
    'Resource counts come from the last run of the period that assessed the control; a resource',
    'counts once, by its worst finding: failing, else not assessed, else suppressed, else passing.',
    '',
    'The manifest chain',
    '------------------',
    "Each run's manifest records the SHA-256 of the manifest of the run before it. A run removed",
    'from the history leaves the run after it pointing at a manifest that is no longer there; the',
    'export reports it above as a broken chain, and verification fails.',
    '',
    'How to verify',
    '-------------',
    '  custos verify <bundle.zip>',
    '      re-checks the SHA-256 of every file, every run manifest, and the chain between runs.',
    '  custos verify <bundle.zip> --store <folder or s3://bucket/prefix>',
    "      also checks that each run's artifacts in the report store still match its manifest.",
    'Without custos: unzip the bundle and run `sha256sum -c SHA256SUMS`; each',
    "runs/<runId>/manifest.json gives the SHA-256 of the run's report.json in the report store.",
    '',
  ];
  return lines.join('\n');
}
