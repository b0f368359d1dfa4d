/**
 * The period an evidence bundle covers, and where a run falls in time. A run id starts with the
 * UTC instant its scan started (`20261125T120000Z-a1b2c3`); that instant places it in a period.
 */
import { UsageError } from '../../core/errors.js';

export interface Period {
  /** As given, normalised: `YYYY-MM-DD` or an ISO-8601 UTC instant. */
  readonly from: string;
  readonly to: string;
  /** Inclusive bounds, ISO-8601 UTC with milliseconds. */
  readonly start: string;
  readonly end: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;
const RUN_ID_STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/;
const DAY_MS = 86_400_000;

/**
 * `--from` and `--to`: a UTC date (`2026-11-01`, the whole day) or a UTC instant
 * (`2026-11-01T08:00:00Z`). Both bounds are inclusive: `--to 2026-11-30` covers that whole day.
 */
export function parsePeriod(from: string, to: string): Period {
  const start = bound(from, '--from', 'start');
  const end = bound(to, '--to', 'end');
  if (start.getTime() > end.getTime()) {
    throw new UsageError(`--from ${from} is after --to ${to}: the period would be empty`);
  }
  return { from: from.trim(), to: to.trim(), start: start.toISOString(), end: end.toISOString() };
}

function bound(value: string, flag: string, side: 'start' | 'end'): Date {
  const text = value.trim();
  const date = DATE.exec(text);
  if (date !== null) {
    const day = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
    const parsed = new Date(day);
    if (parsed.toISOString().slice(0, 10) !== text) throw invalid(value, flag);
    return side === 'start' ? parsed : new Date(day + DAY_MS - 1);
  }
  if (INSTANT.test(text)) {
    const parsed = new Date(text);
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== text.slice(0, 10)) {
      throw invalid(value, flag);
    }
    return parsed;
  }
  throw invalid(value, flag);
}

function invalid(value: string, flag: string): UsageError {
  return new UsageError(
    `${flag}: ${JSON.stringify(value)}: expected a UTC date (2026-11-01) or instant (2026-11-01T08:00:00Z)`,
  );
}

/** The instant a run id starts with, or undefined for an id that does not start with one. */
export function runStartedAt(runId: string): Date | undefined {
  const m = RUN_ID_STAMP.exec(runId);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return at.getUTCMonth() === mo - 1 && at.getUTCDate() === d ? at : undefined;
}

export function inPeriod(runId: string, period: Period): boolean {
  const at = runStartedAt(runId)?.getTime();
  return at !== undefined && at >= Date.parse(period.start) && at <= Date.parse(period.end);
}

/** A bound as it appears in a key: the date as given, an instant compacted (`20261101T080000Z`). */
export function keyPart(bound: string): string {
  return DATE.test(bound) ? bound : compactInstant(new Date(bound));
}

/** `2026-11-25T12:00:00.000Z` → `20261125T120000Z`, the form run ids start with. */
export function compactInstant(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}
