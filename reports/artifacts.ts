/**
 * The files a run leaves behind, rendered from its report: the native report and its short
 * summary always, the other formats as `output.formats` says.
 *
 * `renderArtifacts` renders a report held in memory to strings. `streamedArtifacts` renders a
 * run of any size: the formats are written as the findings come, all of them in one pass over
 * the findings, so memory never holds the findings nor a rendered file.
 */
import type { ReportHeader } from '../core/engine/finalize.js';
import type { Finding, Report, Severity } from '../core/types.js';
import { fanOut, type PassBranch } from './fan-out.js';
import { asffChunks, renderAsff } from './formats/asff.js';
import { csvChunks, renderCsv } from './formats/csv.js';
import { htmlChunks, renderHtml } from './formats/html.js';
import { arrayMarker, prettyJsonWithArray } from './formats/json-stream.js';
import { junitChunks, renderJunit } from './formats/junit.js';
import { ocsfChunks, renderOcsf } from './formats/ocsf.js';
import type { BodyChunks } from './store.js';

export const REPORT_FORMATS = ['json', 'csv', 'ocsf', 'asff', 'junit', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface Artifact {
  /** Relative to the run's folder. */
  readonly path: string;
  readonly body: string;
}

/** An artifact written as it is rendered. */
export interface StreamedArtifact {
  readonly path: string;
  /** The body; a second call renders it again (a retry after a crash rewrites it). */
  chunks(): BodyChunks;
  /** The body will not be read (its write failed first): whatever it shares a pass with stops. */
  abandon?(): void;
}

export type RunArtifact = Artifact | StreamedArtifact;

/** One point of the trend the HTML report draws; also the run's `summary.json`. */
export interface RunSummaryPoint {
  readonly runId: string;
  readonly finishedAt: string;
  readonly failBySeverity: Record<Severity, number>;
  readonly error: number;
}

export interface RenderOptions {
  /** Where ASFF findings would be imported: the scanning account and its home region. */
  readonly region: string;
  readonly accountId: string;
  /** Earlier runs, oldest first, for the HTML trend. */
  readonly trend: readonly RunSummaryPoint[];
}

/** A run to render: its report without the findings, and the findings, read again on each call. */
export interface RenderableRun {
  readonly report: ReportHeader;
  findings(): AsyncIterable<readonly Finding[]>;
}

export function summaryPoint(report: Pick<Report, 'runId' | 'finishedAt' | 'summary'>): RunSummaryPoint {
  return {
    runId: report.runId,
    finishedAt: report.finishedAt,
    failBySeverity: { ...report.summary.failBySeverity },
    error: report.summary.findings.ERROR,
  };
}

export function renderArtifacts(
  report: Report,
  formats: readonly string[],
  options: RenderOptions,
): Artifact[] {
  const wanted = new Set(formats);
  const artifacts: Artifact[] = [
    // The native report is always written: history, exports and tickets read it.
    { path: 'report.json', body: `${JSON.stringify(report, null, 2)}\n` },
    { path: 'summary.json', body: `${JSON.stringify(summaryPoint(report), null, 2)}\n` },
  ];
  if (wanted.has('csv')) artifacts.push({ path: 'findings.csv', body: renderCsv(report) });
  if (wanted.has('ocsf')) artifacts.push({ path: 'findings.ocsf.json', body: renderOcsf(report) });
  if (wanted.has('asff')) {
    artifacts.push({
      path: 'findings.asff.json',
      body: renderAsff(report, { region: options.region, accountId: options.accountId }),
    });
  }
  if (wanted.has('junit')) artifacts.push({ path: 'junit.xml', body: renderJunit(report) });
  if (wanted.has('html')) {
    artifacts.push({
      path: 'report.html',
      body: renderHtml(report, { trend: [...options.trend, summaryPoint(report)] }),
    });
  }
  return artifacts;
}

type Renderer = (findings: AsyncIterable<readonly Finding[]>) => BodyChunks;

/**
 * The same files as `renderArtifacts`, byte for byte, in the same order, rendered as they are
 * written. The findings-based files share one pass over the findings; each must be read
 * concurrently with the others (as `writeRun` does).
 */
export function streamedArtifacts(
  run: RenderableRun,
  formats: readonly string[],
  options: RenderOptions,
): RunArtifact[] {
  const { report } = run;
  const wanted = new Set(formats);
  const rendered: Array<{ readonly path: string; readonly render: Renderer }> = [
    // The native report is always written: history, exports and tickets read it.
    { path: 'report.json', render: (findings) => reportJsonChunks(report, findings) },
  ];
  if (wanted.has('csv')) rendered.push({ path: 'findings.csv', render: (f) => csvChunks(f) });
  if (wanted.has('ocsf')) rendered.push({ path: 'findings.ocsf.json', render: (f) => ocsfChunks(report, f) });
  if (wanted.has('asff')) {
    const asff = { region: options.region, accountId: options.accountId };
    rendered.push({ path: 'findings.asff.json', render: (f) => asffChunks(report, f, asff) });
  }
  if (wanted.has('junit')) rendered.push({ path: 'junit.xml', render: (f) => junitChunks(report, f) });
  if (wanted.has('html')) {
    const trend = [...options.trend, summaryPoint(report)];
    rendered.push({ path: 'report.html', render: (f) => htmlChunks(report, f, { trend }) });
  }
  const pass = sharedPass(() => run.findings(), rendered.length);
  const artifacts: RunArtifact[] = rendered.map(({ path, render }, index) => ({
    path,
    chunks: () => render(pass.branch(index)),
    abandon: () => pass.abandon(index),
  }));
  artifacts.splice(1, 0, {
    path: 'summary.json',
    body: `${JSON.stringify(summaryPoint(report), null, 2)}\n`,
  });
  return artifacts;
}

/** `JSON.stringify(report, null, 2)` and a newline, with the findings written as they come. */
export async function* reportJsonChunks(
  report: ReportHeader,
  findings: AsyncIterable<readonly Finding[]>,
): AsyncGenerator<string> {
  const marker = arrayMarker();
  // The findings go after `coverage`, where the report has always had them.
  const shape: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(report)) {
    shape[key] = value;
    if (key === 'coverage') shape.findings = marker;
  }
  yield* prettyJsonWithArray(shape, marker, findings);
  yield '\n';
}

/**
 * The first reading of each branch joins the shared pass; reading a branch again (a retry)
 * makes a pass of its own.
 */
function sharedPass<T>(
  source: () => AsyncIterable<T>,
  readers: number,
): { branch(index: number): AsyncIterable<T>; abandon(index: number): void } {
  const branches: PassBranch<T>[] = fanOut(source, readers);
  const claimed = new Set<number>();
  return {
    branch(index) {
      if (claimed.has(index)) return source();
      claimed.add(index);
      return branches[index]!;
    },
    abandon(index) {
      claimed.add(index);
      branches[index]!.abandon();
    },
  };
}
