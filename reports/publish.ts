/**
 * Reading what earlier runs left in the store, and writing a finished run into it: its
 * artifacts, its history files, the manifest, then `latest.json`.
 */
import { StringDecoder } from 'node:string_decoder';
import type { PreviousRun } from '../core/engine/finalize.js';
import { InputError } from '../core/errors.js';
import { type HistoryInputs, type Ledger, parseHistoryInputs, parseLedger } from '../core/history.js';
import type { Summary } from '../core/types.js';
import {
  type RenderableRun,
  type RunArtifact,
  type RunSummaryPoint,
  streamedArtifacts,
  summaryPoint,
} from './artifacts.js';
import type { LatestPointer, ReportStore } from './store.js';
import { type WrittenRun, writeRun } from './write-run.js';

/** How many runs the HTML trend shows, and `trend.json` keeps. */
const TREND_RUNS = 30;

/** Each run's trend: its own summary and those of the runs before it, oldest first. */
export const TREND_FILE = 'trend.json';

/** Entries of a large JSON object written at once. */
const ENTRIES_PER_WRITE = 1000;

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
    throw damaged(store, key, error);
  }
}

function damaged(store: ReportStore, key: string, cause: unknown): InputError {
  return new InputError(
    store.locate(key),
    [{ path: '', message: 'is not valid JSON: the report store is damaged' }],
    { cause },
  );
}

export async function readStoredHistory(store: ReportStore): Promise<StoredHistory> {
  const latest = (await readJson(store, 'latest.json')) as LatestPointer | undefined;
  if (latest === undefined) return { previous: {}, previousRunId: null, trend: [] };
  const trend = await readTrend(store, latest.runId);
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

/**
 * The trend the latest run wrote: one small file, whatever the number of runs (and of the
 * cloud's plan and shard files) in the store. A store whose latest run is older than the trend
 * file is read the way it was written then: every run's summary, found by listing the runs.
 */
async function readTrend(store: ReportStore, latestRunId: string): Promise<RunSummaryPoint[]> {
  const stored = await readJson(store, `runs/${latestRunId}/${TREND_FILE}`);
  if (stored !== undefined) return (stored as RunSummaryPoint[]).slice(-TREND_RUNS);
  const keys = (await store.list('runs/')).filter((k) => k.endsWith('/summary.json')).slice(-TREND_RUNS);
  const points: RunSummaryPoint[] = [];
  for (const key of keys) {
    const point = (await readJson(store, key)) as RunSummaryPoint | undefined;
    if (point !== undefined) points.push(point);
  }
  return points;
}

/**
 * The summary of a published report, read from the start of `report.json` alone: the summary
 * comes before the findings, and a large run's report is too large to read whole.
 */
export async function readReportSummary(store: ReportStore, key: string): Promise<Summary | undefined> {
  const body = await store.getStream(key);
  if (body === undefined) return undefined;
  const decoder = new StringDecoder('utf8');
  let text = '';
  let head: string | undefined;
  for await (const chunk of body) {
    text += decoder.write(Buffer.from(chunk));
    // report.json is written with two-space indentation: its own keys alone start a line so.
    const at = text.indexOf('\n  "findings": ');
    if (at >= 0) {
      head = `${text.slice(0, at).replace(/,$/, '')}\n}`;
      break;
    }
  }
  try {
    const report = JSON.parse(head ?? text + decoder.end()) as { summary?: Summary };
    return report.summary;
  } catch (error) {
    throw damaged(store, key, error);
  }
}

export interface PublishOptions {
  readonly formats: readonly string[];
  /** The scanning account and its home region, for ASFF's product ARN. */
  readonly region: string;
  readonly accountId: string;
  readonly trend: readonly RunSummaryPoint[];
}

/** A finalized run, ready to write: its report, its findings (read as they are written) and its history. */
export interface PublishableRun extends RenderableRun {
  readonly ledger: Ledger;
  readonly historyInputs: HistoryInputs;
}

export async function publishRun(
  store: ReportStore,
  run: PublishableRun,
  options: PublishOptions,
): Promise<WrittenRun> {
  const { report } = run;
  const trend = [...options.trend.filter((p) => p.runId !== report.runId), summaryPoint(report)].slice(
    -TREND_RUNS,
  );
  const artifacts: RunArtifact[] = [
    ...streamedArtifacts(run, options.formats, options),
    { path: 'history.json', chunks: () => ledgerChunks(run.ledger) },
    { path: 'history-inputs.json', chunks: () => historyInputsChunks(run.historyInputs) },
    { path: TREND_FILE, body: `${JSON.stringify(trend, null, 2)}\n` },
  ];
  return writeRun(store, report.runId, artifacts);
}

/** `JSON.stringify(ledger)` and a newline, its entries (one per failing fingerprint) a thousand at a time. */
export function ledgerChunks(ledger: Ledger): AsyncGenerator<string> {
  return objectWithEntries(ledger, 'entries');
}

/** `JSON.stringify(inputs)` and a newline, an account at a time. */
export function historyInputsChunks(inputs: HistoryInputs): AsyncGenerator<string> {
  return objectWithEntries(inputs, 'targets');
}

/** `JSON.stringify(value)` and a newline, where `value[key]` is an object written entry by entry. */
async function* objectWithEntries<T extends object>(value: T, key: keyof T & string): AsyncGenerator<string> {
  const marker = `\u0000custos-${key}\u0000`;
  const text = JSON.stringify({ ...value, [key]: marker });
  const token = JSON.stringify(marker);
  const at = text.indexOf(token);
  yield `${text.slice(0, at)}{`;
  let parts: string[] = [];
  let first = true;
  for (const [name, entry] of Object.entries(value[key] as Record<string, unknown>)) {
    if (entry === undefined) continue;
    parts.push(`${first ? '' : ','}${JSON.stringify(name)}:${JSON.stringify(entry)}`);
    first = false;
    if (parts.length >= ENTRIES_PER_WRITE) {
      yield parts.join('');
      parts = [];
    }
  }
  yield `${parts.join('')}}${text.slice(at + token.length)}\n`;
}
