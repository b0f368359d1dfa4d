/**
 * Every file rendered as the findings come is byte for byte the file rendered from the whole
 * report in memory, for a normal run; a run too large for the page embeds part of it and says so.
 */
import { describe, expect, it } from 'vitest';
import { type FinalizedShards, finalize, finalizeShards } from '../../core/engine/finalize.js';
import { shardsInMemory } from '../../core/engine/shards.js';
import type { Finding, Report } from '../../core/types.js';
import {
  type RenderableRun,
  renderArtifacts,
  reportJsonChunks,
  streamedArtifacts,
} from '../../reports/artifacts.js';
import { asffChunks, renderAsff } from '../../reports/formats/asff.js';
import { csvChunks, renderCsv } from '../../reports/formats/csv.js';
import { HTML_MAX_FINDINGS, htmlChunks, renderHtml } from '../../reports/formats/html.js';
import { batchesOf, collectText } from '../../reports/formats/json-stream.js';
import { junitChunks, renderJunit } from '../../reports/formats/junit.js';
import { ocsfChunks, renderOcsf } from '../../reports/formats/ocsf.js';
import { historyInputsChunks, ledgerChunks } from '../../reports/publish.js';
import { syntheticRun } from '../core/synthetic-run.js';
import { criticalFinding, FINDINGS, makeReport, manyFindings, passFinding } from './formats/fixture.js';

const OPTIONS = {
  region: 'eu-west-1',
  accountId: '111122223333',
  trend: [
    {
      runId: '20261101T020000Z-000000',
      finishedAt: '2026-11-01T02:05:00.000Z',
      failBySeverity: { critical: 1, high: 2, medium: 3, low: 4, info: 5 },
      error: 1,
    },
  ],
};
const FORMATS = ['json', 'csv', 'ocsf', 'asff', 'junit', 'html'];

function inMemory(report: Report): RenderableRun {
  const { findings, ...header } = report;
  return { report: header, findings: () => batchesOf(findings, 7) };
}

async function streamed(
  run: RenderableRun,
  formats = FORMATS,
): Promise<Array<{ path: string; body: string }>> {
  // Read together, as writeRun reads them: the findings-based files share one pass.
  return Promise.all(
    streamedArtifacts(run, formats, OPTIONS).map(async (artifact) => ({
      path: artifact.path,
      body: 'body' in artifact ? artifact.body : await collectText(artifact.chunks()),
    })),
  );
}

describe('streamedArtifacts', () => {
  it('writes the files renderArtifacts renders, byte for byte, for a finalized run', async () => {
    // Prepare
    const run = syntheticRun({
      runId: '20261125T020000Z-cccccc',
      asOf: '2026-11-25T02:00:00.000Z',
      seed: 9,
      suppressions: [{ checks: ['ec2.*'], reason: 'Accepted', expires: '2026-12-31' }],
    });
    const { report } = finalize(run.ctx, run.plan, run.shards);
    const finalized: FinalizedShards = await finalizeShards(run.ctx, run.plan, shardsInMemory(run.shards));

    // Act
    const actual = await streamed(finalized);

    // Assess
    expect(actual).toEqual(renderArtifacts(report, FORMATS, OPTIONS));
  });

  it('writes the fixture report with hostile names, and an empty run, as renderArtifacts does', async () => {
    for (const report of [makeReport(), makeReport([])]) {
      expect(await streamed(inMemory(report))).toEqual(renderArtifacts(report, FORMATS, OPTIONS));
      expect(await streamed(inMemory(report), ['json'])).toEqual(renderArtifacts(report, ['json'], OPTIONS));
    }
  });

  it('renders each format the same from batches of any size', async () => {
    const report = makeReport([...FINDINGS, ...manyFindings(50), ...manyFindings(20, passFinding)]);
    const { findings, ...header } = report;
    for (const size of [1, 3, 1000]) {
      const batches = () => batchesOf(findings, size);
      expect(await collectText(reportJsonChunks(header, batches()))).toBe(
        `${JSON.stringify(report, null, 2)}\n`,
      );
      expect(await collectText(csvChunks(batches()))).toBe(renderCsv(report));
      expect(await collectText(csvChunks(batches(), { bom: true }))).toBe(renderCsv(report, { bom: true }));
      expect(await collectText(ocsfChunks(header, batches()))).toBe(renderOcsf(report));
      const asff = { region: 'eu-west-1', accountId: '111122223333' };
      expect(await collectText(asffChunks(header, batches(), asff))).toBe(renderAsff(report, asff));
      expect(await collectText(junitChunks(header, batches()))).toBe(renderJunit(report));
      expect(await collectText(htmlChunks(header, batches()))).toBe(renderHtml(report));
    }
  });

  it('keeps JUnit test cases aside compressed and gives them back in place', async () => {
    // Enough text per suite that the spool compresses several blocks.
    const long: Finding = { ...criticalFinding, message: `${'The root user is used. '.repeat(40)}ü€😀` };
    const report = makeReport([...manyFindings(2500, long), ...manyFindings(300, passFinding)]);
    const { findings, ...header } = report;
    expect(await collectText(junitChunks(header, batchesOf(findings, 100)))).toBe(renderJunit(report));
  });
});

describe('history files', () => {
  it('are written entry by entry as JSON.stringify writes them whole', async () => {
    const first = syntheticRun({
      runId: '20261124T020000Z-dddddd',
      asOf: '2026-11-24T02:00:00.000Z',
      seed: 21,
      resources: 60,
    });
    const firstRun = finalize(first.ctx, first.plan, first.shards);
    const second = syntheticRun({
      runId: '20261125T020000Z-eeeeee',
      asOf: '2026-11-25T02:00:00.000Z',
      seed: 22,
      resources: 60,
    });
    const { ledger, historyInputs } = finalize(second.ctx, second.plan, second.shards, {
      ledger: firstRun.ledger,
      inputs: firstRun.historyInputs,
    });
    // More entries than are written at once.
    expect(Object.keys(ledger.entries).length).toBeGreaterThan(1000);

    expect(await collectText(ledgerChunks(ledger))).toBe(`${JSON.stringify(ledger)}\n`);
    expect(await collectText(historyInputsChunks(historyInputs))).toBe(`${JSON.stringify(historyInputs)}\n`);
    const empty = { ...ledger, entries: {} };
    expect(await collectText(ledgerChunks(empty))).toBe(`${JSON.stringify(empty)}\n`);
  });
});

describe('report.html of a run larger than the page holds', () => {
  it('embeds the open findings first, up to the cap, and says the rest is in report.json', async () => {
    // Prepare: more findings than the cap, the failing ones last in report order.
    const pass = manyFindings(HTML_MAX_FINDINGS, passFinding);
    const failing = manyFindings(1500, criticalFinding).map((f, i) => ({
      ...f,
      resourceId: `${f.resourceId}-z`,
      fingerprint: (i + 1_000_000).toString(16).padStart(64, '0'),
    }));
    const base = makeReport([...pass, ...failing]);
    const report: Report = {
      ...base,
      summary: { ...base.summary, failBySeverity: { critical: 1500, high: 0, medium: 0, low: 0, info: 0 } },
    };
    const { findings, ...header } = report;

    // Act
    const page = await collectText(htmlChunks(header, batchesOf(findings, 1000)));

    // Assess
    expect(page).toBe(renderHtml(report));
    const data = JSON.parse(
      page.slice(page.indexOf('id="custos-data">') + 'id="custos-data">'.length, page.indexOf('</script>')),
    ) as { f: number[][]; po: number };
    expect(data.f.length + data.po).toBe(HTML_MAX_FINDINGS);
    expect(page).toContain('This run has 51,500 findings; the page holds 50,000 of them');
    expect(page).toContain('1,500 more findings not embedded');
    // Every failure is embedded although the failures come last: open findings go first.
    expect(data.f.filter((row) => row[1]! % 3 === 0)).toHaveLength(1500);
    expect(page).toContain('report.json and findings.csv list them all');
  }, 120_000);
});
