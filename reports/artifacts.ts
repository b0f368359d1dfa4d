/**
 * The files a run leaves behind, rendered from its report: the native report and its short
 * summary always, the other formats as `output.formats` says.
 */
import type { Report, Severity } from '../core/types.js';
import { renderAsff } from './formats/asff.js';
import { renderCsv } from './formats/csv.js';
import { renderHtml } from './formats/html.js';
import { renderJunit } from './formats/junit.js';
import { renderOcsf } from './formats/ocsf.js';

export const REPORT_FORMATS = ['json', 'csv', 'ocsf', 'asff', 'junit', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface Artifact {
  /** Relative to the run's folder. */
  readonly path: string;
  readonly body: string;
}

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

export function summaryPoint(report: Report): RunSummaryPoint {
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
