/**
 * Suppressions: config entries that accept known findings for a while, with a reason and an
 * expiry. Pure: no I/O, no clock (`asOf` is the scan's instant).
 *
 * An entry matches a finding when every criterion it states matches; an absent criterion means
 * "any". `checks` are ids or family prefixes ending in ".*" (or "*"), `accounts` ids or "*",
 * `regions` region names, "global" or "*", `resources` anchored globs over the resource id where
 * `*` matches any run of characters (including `:` and `/`) and `?` exactly one, `tags` must all
 * be present on the finding with the given value ("*": the key is present, any value).
 *
 * A matching entry marks the finding `suppressed` and never changes its status. The first
 * matching unexpired entry wins. An entry applies up to the end of its `expires` day (UTC).
 *
 * ERROR findings are never suppressed. An ERROR says a scope could not be assessed; muting it
 * would let an unassessed scope read as covered and let the gate pass an incomplete scan, and an
 * entry written for a resource ("this bucket is public on purpose") must not hide "no bucket in
 * this account could be read". A gap that is accepted for good is configured where it shows up
 * as coverage (`checks.exclude`, `accounts.exclude`) or gated with `gate.allowIncomplete`.
 */
import { matchesPattern } from './engine/select.js';
import type { FieldProblem } from './errors.js';
import type { ExpiredSuppression, Finding, Suppression } from './types.js';

export type { ExpiredSuppression } from './types.js';

/** One `suppressions[]` entry of the config file. */
export interface SuppressionEntry {
  readonly checks?: readonly string[];
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
  readonly resources?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly reason: string;
  /** `YYYY-MM-DD`; the entry applies up to the end of that day, UTC. */
  readonly expires: string;
}

/** An entry past its expiry: it no longer applies, and the summary says so. */
export interface SuppressionOutcome {
  /** The findings in their order, matched ones with `suppressed` set. */
  readonly findings: Finding[];
  readonly expired: ExpiredSuppression[];
  /**
   * Indices of unexpired entries that suppressed nothing this run: nothing matched, or every
   * finding they match was taken by an earlier entry. An entry whose scope could not be
   * assessed (it overlaps an ERROR finding) is not listed: whether it is still needed is unknown.
   */
  readonly unused: number[];
}

const CRITERIA = ['checks', 'accounts', 'regions', 'resources', 'tags'] as const;
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Problems with the entries that the schema cannot see: expiry dates (real dates, at most one
 * year after `asOf`), empty reasons, empty criteria, entries that would match everything. An
 * entry that has already expired is not a problem: it stops applying and is reported.
 */
export function validateSuppressions(
  entries: readonly SuppressionEntry[],
  asOf: string | Date,
): FieldProblem[] {
  const limit = oneYearAfter(instantOf(asOf));
  const problems: FieldProblem[] = [];
  entries.forEach((entry, index) => {
    const at = `suppressions[${index}]`;
    const expiresAt = dayStart(entry.expires);
    if (expiresAt === undefined) {
      problems.push({
        path: `${at}.expires`,
        message: `${JSON.stringify(entry.expires)} is not a date; expected "YYYY-MM-DD"`,
      });
    } else if (expiresAt > limit) {
      problems.push({
        path: `${at}.expires`,
        message: `${JSON.stringify(entry.expires)} is more than a year away; suppressions must be reviewed at least yearly`,
      });
    }
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '') {
      problems.push({
        path: `${at}.reason`,
        message: 'is empty: say why these findings are accepted',
      });
    }
    for (const key of CRITERIA) {
      const value = entry[key];
      const empty = Array.isArray(value) ? value.length === 0 : value !== undefined && isEmptyRecord(value);
      if (empty) {
        problems.push({ path: `${at}.${key}`, message: `is empty: omit the key to match any ${key}` });
      }
    }
    if (CRITERIA.every((key) => entry[key] === undefined)) {
      problems.push({
        path: at,
        message:
          'matches every finding: narrow it with checks, accounts, regions, resources or tags (checks: ["*"] if that is really meant)',
      });
    }
  });
  return problems;
}

/**
 * Marks the findings that an unexpired entry matches as suppressed (first matching entry wins),
 * and reports the expired and the unused entries. Statuses never change; a finding that is
 * already suppressed keeps its suppression; ERROR findings are never suppressed.
 */
export function applySuppressions(
  findings: readonly Finding[],
  entries: readonly SuppressionEntry[],
  asOf: string | Date,
): SuppressionOutcome {
  const suppressor = createSuppressor(entries, asOf);
  const out = findings.map((finding) => suppressor.apply(finding));
  return { findings: out, ...suppressor.use() };
}

/**
 * `applySuppressions` one finding at a time, for a run whose findings never sit in memory
 * together: what the entries did is known once every finding has been through `apply`.
 */
export interface Suppressor {
  /** The finding, suppressed when an unexpired entry matches it. */
  apply(finding: Finding): Finding;
  /** The expired and the unused entries, over the findings applied so far. */
  use(): { readonly expired: ExpiredSuppression[]; readonly unused: number[] };
}

export function createSuppressor(entries: readonly SuppressionEntry[], asOf: string | Date): Suppressor {
  const now = instantOf(asOf);
  const compiled = entries.map((entry, index) => ({ entry, index, match: compile(entry) }));
  const active = compiled.filter(({ entry }) => isActive(entry, now));
  const lapsed = compiled
    .filter(({ entry }) => !isActive(entry, now))
    .map((c) => ({ ...c, wouldMatch: 0, failing: 0 }));
  const used = new Set<number>();
  return {
    apply(finding) {
      for (const c of lapsed) {
        if (finding.status === 'ERROR' || !c.match.matches(finding)) continue;
        c.wouldMatch += 1;
        if (finding.status === 'FAIL') c.failing += 1;
      }
      if (finding.status === 'ERROR') {
        for (const c of active) if (c.match.overlapsScope(finding)) used.add(c.index);
        return finding;
      }
      const first = active.find((c) => c.match.matches(finding));
      if (first === undefined) return finding;
      used.add(first.index);
      if (finding.suppressed !== undefined) return finding;
      const suppressed: Suppression = { reason: first.entry.reason, expires: first.entry.expires };
      return { ...finding, suppressed };
    },
    use() {
      return {
        expired: lapsed.map(({ entry, index, wouldMatch, failing }) => ({
          index,
          reason: entry.reason,
          expires: entry.expires,
          wouldMatch,
          failing,
        })),
        unused: active.filter((c) => !used.has(c.index)).map((c) => c.index),
      };
    },
  };
}

/** Whether `entry` still applies at `asOf`: up to the end of its `expires` day, UTC. */
export function isSuppressionActive(entry: Pick<SuppressionEntry, 'expires'>, asOf: string | Date): boolean {
  return isActive(entry, instantOf(asOf));
}

/**
 * Anchored glob over a whole string: `*` matches any run of characters (`/` and `:` included),
 * `?` exactly one character; everything else is literal.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

// ---------------------------------------------------------------- internals

interface CompiledEntry {
  /** Every criterion matches the finding. */
  matches(finding: Finding): boolean;
  /** Checks, accounts and regions match the scope of an ERROR finding (its region may be `*`). */
  overlapsScope(finding: Finding): boolean;
}

function compile(entry: SuppressionEntry): CompiledEntry {
  const resources = entry.resources?.map(globToRegExp);
  const inScope = (f: Finding, regionStar: boolean): boolean =>
    (entry.checks === undefined || entry.checks.some((p) => matchesPattern(f.checkId, p))) &&
    (entry.accounts === undefined || entry.accounts.some((a) => a === '*' || a === f.accountId)) &&
    (entry.regions === undefined ||
      (regionStar && f.region === '*' && entry.regions.length > 0) ||
      entry.regions.some((r) => r === '*' || r === f.region));
  return {
    matches: (f) =>
      inScope(f, false) &&
      (resources === undefined || resources.some((re) => re.test(f.resourceId))) &&
      (entry.tags === undefined || tagsMatch(entry.tags, f.tags)),
    overlapsScope: (f) => inScope(f, true),
  };
}

function tagsMatch(
  wanted: Readonly<Record<string, string>>,
  tags: Readonly<Record<string, string>> | undefined,
): boolean {
  return Object.entries(wanted).every(([key, value]) => {
    if (tags === undefined || !Object.hasOwn(tags, key)) return false;
    return value === '*' || tags[key] === value;
  });
}

function isActive(entry: Pick<SuppressionEntry, 'expires'>, now: number): boolean {
  const start = dayStart(entry.expires);
  // An unparseable date never applies: validation refuses it before a scan runs.
  return start !== undefined && now < start + DAY_MS;
}

/** Milliseconds at 00:00 UTC of a `YYYY-MM-DD` day, or undefined when it is not a real date. */
function dayStart(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATE.exec(value);
  if (m === null) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    return undefined;
  return ms;
}

/** 00:00 UTC of the same calendar day one year after `now` (29 February → 28 February). */
function oneYearAfter(now: number): number {
  const d = new Date(now);
  const year = d.getUTCFullYear() + 1;
  const month = d.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay));
}

function instantOf(asOf: string | Date): number {
  const ms = asOf instanceof Date ? asOf.getTime() : Date.parse(asOf);
  if (Number.isNaN(ms))
    throw new TypeError(`asOf ${JSON.stringify(String(asOf))} is not an ISO-8601 instant`);
  return ms;
}

function isEmptyRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}
