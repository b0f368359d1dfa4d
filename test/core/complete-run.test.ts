/**
 * Completing a run from shards read one at a time leaves the store exactly as completing it from
 * shards in memory does: every artifact, the manifests, the history, the trend and the tickets.
 */
import { mkdtempSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { completeRun, completeRunFromShards } from '../../core/engine/complete-run.js';
import { shardsInMemory } from '../../core/engine/shards.js';
import { LocalReportStore } from '../../reports/local-store.js';
import { readReportSummary, readStoredHistory, TREND_FILE } from '../../reports/publish.js';
import type { ReportStore } from '../../reports/store.js';
import { LocalTicketSink } from '../../tickets/local.js';
import { syntheticRun } from './synthetic-run.js';

const RUNS = [
  { runId: '20261123T020000Z-aaaaaa', asOf: '2026-11-23T02:00:00.000Z', seed: 11 },
  { runId: '20261124T020000Z-bbbbbb', asOf: '2026-11-24T02:00:00.000Z', seed: 12 },
  { runId: '20261125T020000Z-cccccc', asOf: '2026-11-25T02:00:00.000Z', seed: 13 },
];
const SUPPRESSIONS = [{ checks: ['s3.*'], reason: 'Reviewed', expires: '2026-12-31' }];

const INDEX = join('tickets', 'index.json');

function undated(bytes: Buffer): unknown {
  return JSON.parse(bytes.toString('utf8'), (key, value) =>
    key === 'lastActionAt' || key === 'updatedAt' ? undefined : value,
  );
}

function files(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(root, path), readFileSync(path));
    }
  };
  walk(root);
  return out;
}

/** Three runs into a store at `root`, each completed by `complete`. */
async function threeRuns(
  root: string,
  streamed: boolean,
  tickets: 'local' | 'none',
): Promise<{ summaries: unknown[] }> {
  const store = new LocalReportStore(root);
  const summaries: unknown[] = [];
  for (const spec of RUNS) {
    const run = syntheticRun({ ...spec, suppressions: SUPPRESSIONS, tickets: { sink: tickets } });
    const options = {
      store,
      ...(tickets === 'local' && {
        ticketSink: new LocalTicketSink(store, { now: () => new Date(Date.parse(spec.asOf) + 60_000) }),
      }),
    };
    const completed = streamed
      ? await completeRunFromShards(run.ctx, run.plan, shardsInMemory(run.shards), options)
      : await completeRun(run.ctx, run.plan, run.shards, options);
    summaries.push(completed.report.summary);
  }
  return { summaries };
}

describe('completeRunFromShards', () => {
  it.each(['local', 'none'] as const)(
    'leaves the store byte for byte as completeRun does (tickets: %s)',
    async (tickets) => {
      // Prepare: the same folder for both, so that paths written into tickets are the same.
      const root = join(mkdtempSync(join(tmpdir(), 'custos-complete-')), 'store');
      const inMemory = await threeRuns(root, false, tickets);
      renameSync(root, `${root}-in-memory`);

      // Act
      const streamed = await threeRuns(root, true, tickets);

      // Assess
      expect(streamed.summaries).toEqual(inMemory.summaries);
      const expected = files(`${root}-in-memory`);
      const actual = files(root);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [path, bytes] of expected) {
        if (path === INDEX) continue;
        expect(actual.get(path)?.equals(bytes), path).toBe(true);
      }
      // The ticket record is dated by the wall clock; all else in it is the same.
      if (expected.has(INDEX)) expect(undated(actual.get(INDEX)!)).toEqual(undated(expected.get(INDEX)!));
      expect([...actual.keys()].some((k) => k.startsWith('tickets/'))).toBe(tickets === 'local');
    },
  );
});

describe('the HTML trend', () => {
  it('is read from the latest run alone: the runs folder is never listed', async () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), 'custos-trend-'));
    await threeRuns(root, true, 'none');
    const store = new LocalReportStore(root);
    const listed: string[] = [];
    const watched: ReportStore = Object.assign(Object.create(store) as LocalReportStore, {
      list: async (prefix: string) => {
        listed.push(prefix);
        return store.list(prefix);
      },
    });

    // Act
    const history = await readStoredHistory(watched);

    // Assess
    expect(listed).toEqual([]);
    expect(history.previousRunId).toBe(RUNS[2]!.runId);
    expect(history.trend.map((p) => p.runId)).toEqual(RUNS.map((r) => r.runId));
    const stored = JSON.parse((await store.get(`runs/${RUNS[1]!.runId}/${TREND_FILE}`))!.toString('utf8'));
    expect(stored.map((p: { runId: string }) => p.runId)).toEqual([RUNS[0]!.runId, RUNS[1]!.runId]);
  });

  it('is read from the summaries of a store written before the trend file existed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'custos-trend-legacy-'));
    await threeRuns(root, true, 'none');
    const store = new LocalReportStore(root);
    for (const run of RUNS) await store.delete(`runs/${run.runId}/${TREND_FILE}`);

    const history = await readStoredHistory(store);

    expect(history.trend.map((p) => p.runId)).toEqual(RUNS.map((r) => r.runId));
  });
});

describe('readReportSummary', () => {
  it('reads the summary from the start of report.json', async () => {
    const root = mkdtempSync(join(tmpdir(), 'custos-summary-'));
    await threeRuns(root, true, 'none');
    const store = new LocalReportStore(root);
    const key = `runs/${RUNS[2]!.runId}/report.json`;
    const report = JSON.parse((await store.get(key))!.toString('utf8'));

    expect(await readReportSummary(store, key)).toEqual(report.summary);
    expect(await readReportSummary(store, 'runs/none/report.json')).toBeUndefined();
  });
});
