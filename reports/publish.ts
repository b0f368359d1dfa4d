/**
 * Reading what earlier runs left in the store, and writing a finished run into it: its
 * artifacts, its history files, the manifest, then `latest.json`.
 */
import type { FinalizedRun, PreviousRun } from '../core/engine/finalize.js';
import { InputError } from '../core/errors.js';
import { parseHistoryInputs, parseLedger } from '../core/history.js';
import { type Artifact, type RunSummaryPoint, renderArtifacts } from './artifacts.js';
import type { LatestPointer, ReportStore } from './store.js';
import { type WrittenRun, writeRun } from './write-run.js';

/** How many earlier runs the HTML trend shows. */
const TREND_RUNS = 30;

export interface StoredHistory {
  readonly previous: PreviousRun;
  readonly previousRunId: string | null;
  /** Summaries of earlier runs, oldest first. */
  readonly trend: readonly RunSummaryPoint[];
}

async function readJson(store: ReportStore, key: string): Promise<unknown> {
  const body = await store.get(key);
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new InputError(
      store.locate(key),
      [{ path: '', message: 'is not valid JSON: the report store is damaged' }],
      {
        cause: error,
      },
    );
  }
}

export async function readStoredHistory(store: ReportStore): Promise<StoredHistory> {
  const latest = (await readJson(store, 'latest.json')) as LatestPointer | undefined;
  const trend = await readTrend(store);
  if (latest === undefined) return { previous: {}, previousRunId: null, trend };
  const ledgerKey = `runs/${latest.runId}/history.json`;
  const inputsKey = `runs/${latest.runId}/history-inputs.json`;
  const ledger = await readJson(store, ledgerKey);
  const inputs = await readJson(store, inputsKey);
  return {
    previous: {
      ...(ledger !== undefined && { ledger: parseLedger(ledger, store.locate(ledgerKey)) }),
      ...(inputs !== undefined && { inputs: parseHistoryInputs(inputs, store.locate(inputsKey)) }),
    },
    previousRunId: latest.runId,
    trend,
  };
}

async function readTrend(store: ReportStore): Promise<RunSummaryPoint[]> {
  const keys = (await store.list('runs/')).filter((k) => k.endsWith('/summary.json')).slice(-TREND_RUNS);
  const points: RunSummaryPoint[] = [];
  for (const key of keys) {
    const point = (await readJson(store, key)) as RunSummaryPoint | undefined;
    if (point !== undefined) points.push(point);
  }
  return points;
}

export interface PublishOptions {
  readonly formats: readonly string[];
  /** The scanning account and its home region, for ASFF's product ARN. */
  readonly region: string;
  readonly accountId: string;
  readonly trend: readonly RunSummaryPoint[];
}

export async function publishRun(
  store: ReportStore,
  run: FinalizedRun,
  options: PublishOptions,
): Promise<WrittenRun> {
  const artifacts: Artifact[] = [
    ...renderArtifacts(run.report, options.formats, options),
    { path: 'history.json', body: `${JSON.stringify(run.ledger)}\n` },
    { path: 'history-inputs.json', body: `${JSON.stringify(run.historyInputs)}\n` },
  ];
  return writeRun(store, run.report.runId, artifacts);
}
