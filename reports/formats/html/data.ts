/**
 * The findings as the page's script reads them: one compact JSON document, embedded once.
 *
 * - Strings that repeat (accounts, regions, ARN prefixes, message templates, dates) are
 *   interned into one table `s`; a row holds their indexes.
 * - What a check contributes (id, title, severity, resource type, remediation, frameworks) is
 *   one entry of the meta table `m`, shared by all its findings; an account and region pair is
 *   one entry of the target table `t`.
 * - A resource id is split into an interned prefix and its own last part.
 * - A message becomes a template shared by many findings: the resource id and its last part
 *   become placeholders, and so does every word that occurs in fewer than three messages (names,
 *   rule ids), whose values the row carries as arguments.
 * - A fingerprint is left out when it is the standard one (the page recomputes it with SHA-256).
 * - Evidence and tags are kept, truncated, while the byte budget allows, worst findings first.
 *
 * Row layout: `[meta, state, target, prefix, suffix, template, args?, firstSeen?, extra?]` where
 * `state = status + 3 × history` (status 0 FAIL, 1 ERROR, 2 PASS; history 0 none, 1 new,
 * 2 persisting, 3 regressed); `args` is 0 (none) or the words joined by single spaces (a word
 * never holds whitespace);
 * `firstSeen` is a string index or -1; `extra` holds the rare fields: `s` suppression index,
 * `p` fingerprint, `e` evidence JSON, `g` tags JSON, `t` 1 when evidence or tags were cut.
 * Trailing defaults are left out.
 */

import { fingerprint } from '../../../core/fingerprint.js';
import { FRAMEWORKS, findControl } from '../../../core/frameworks/index.js';
import {
  type Finding,
  FRAMEWORK_IDS,
  type FrameworkId,
  type FrameworkRefs,
  type Report,
  SEVERITIES,
  SEVERITY_RANK,
} from '../../../core/types.js';
import { jsonForScript } from './escape.js';

/** Short framework names for tabs, tags and the detail view. */
export const FRAMEWORK_SHORT: Readonly<Record<FrameworkId, string>> = {
  'cis-aws-3.0': 'CIS 3.0',
  'cis-aws-5.0': 'CIS 5.0',
  fsbp: 'FSBP',
  hipaa: 'HIPAA',
  gdpr: 'GDPR',
  ferpa: 'FERPA',
};

/** Placeholder for the whole resource id in a message template. */
export const RESOURCE_MARK = '\u0001';
/** Placeholder for the resource id's last part in a message template. */
export const SUFFIX_MARK = '\u0002';
/** Placeholder for the next of the row's arguments in a message template. */
export const ARG_MARK = '\u0003';

/** A word in fewer messages than this is an argument, not part of the template. */
const RARE_WORD = 3;

const STATUS_CODE = { FAIL: 0, ERROR: 1, PASS: 2 } as const;
const HISTORY_CODE = { new: 1, persisting: 2, regressed: 3 } as const;

/** Evidence (or tags) of one finding is cut at this many characters. */
export const EVIDENCE_MAX_CHARS = 800;
/** Below this many bytes left, no evidence fits: `{"e":"{}"}` and its separators. */
const SMALLEST_EVIDENCE = 20;
/** After this many findings in a row whose evidence did not fit, the rest is not tried. */
const GIVE_UP_AFTER = 200;
/** Messages are one sentence; longer ones are cut at this many characters. */
const MESSAGE_CAP = 400;

/**
 * What to give up, in order, while the rows alone exceed the budget: cut messages a little, then
 * leave out PASS findings (report.json keeps them), then cut messages further.
 */
const FALLBACKS: ReadonlyArray<{ readonly pass: boolean; readonly cap: number }> = [
  { pass: true, cap: MESSAGE_CAP },
  { pass: true, cap: 160 },
  { pass: false, cap: MESSAGE_CAP },
  { pass: false, cap: 160 },
  { pass: false, cap: 80 },
  { pass: false, cap: 40 },
];

export interface CompactMeta {
  /** Check id. */
  readonly c: string;
  /** Title. */
  readonly t: string;
  /** Severity as an index into SEVERITIES (0 = critical). */
  readonly v: number;
  /** Resource type. */
  readonly k: string;
  /** Remediation: text, console path, CLI. */
  readonly r: { readonly x: string; readonly o?: string; readonly l?: string };
  readonly f: FrameworkRefs;
}

export type CompactExtra = {
  s?: number;
  p?: string;
  e?: string;
  g?: string;
  t?: 1;
};

export type CompactRow = Array<number | string | CompactExtra>;

export interface CompactData {
  readonly v: 2;
  readonly s: string[];
  readonly m: CompactMeta[];
  /** Targets: [account string index, region string index]. */
  readonly t: Array<[number, number]>;
  readonly f: CompactRow[];
  /** Account names by id. */
  readonly a: Readonly<Record<string, string>>;
  /** Framework names and the titles of the controls the findings cite. */
  readonly w: Readonly<
    Record<string, { readonly n: string; readonly k: string; readonly c: Readonly<Record<string, string>> }>
  >;
  /** Suppressions: [reason, expires]. */
  readonly u: Array<[string, string]>;
  /** How many findings' evidence was left out to keep the file small. */
  readonly eo: number;
  /** How many PASS findings were left out to keep the file small (0 unless the run is huge). */
  readonly po: number;
  /** Messages were cut to this many characters (0: not cut beyond the one-sentence cap). */
  readonly mc: number;
}

export interface EncodeStats {
  readonly bytes: number;
  readonly evidenceKept: number;
  readonly evidenceOmitted: number;
  readonly passOmitted: number;
  readonly messageCap: number;
}

export function splitResourceId(resourceId: string): [prefix: string, suffix: string] {
  const cut = Math.max(resourceId.lastIndexOf('/'), resourceId.lastIndexOf(':'));
  return cut < 0 ? ['', resourceId] : [resourceId.slice(0, cut + 1), resourceId.slice(cut + 1)];
}

/** Cuts `text` to at most `max` characters with an ellipsis, never inside a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** The message with the resource id and its last part as placeholders. */
function markResource(message: string, resourceId: string, suffix: string, cap: number): string {
  let text = message;
  for (const mark of [RESOURCE_MARK, SUFFIX_MARK, ARG_MARK]) {
    if (text.includes(mark)) text = text.split(mark).join('\ufffd');
  }
  text = cut(text, cap);
  if (resourceId.length > 0) text = text.split(resourceId).join(RESOURCE_MARK);
  if (suffix.length >= 4 && suffix !== resourceId) text = text.split(suffix).join(SUFFIX_MARK);
  return text;
}

const WORDS = /(\s+)/;

/** Splits a marked message into its template and the rare words it leaves out. */
function template(marked: string, wordCounts: ReadonlyMap<string, number>): [string, string[]] {
  const parts = marked.split(WORDS);
  const args: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const word = parts[i]!;
    if (word.length > 1 && (wordCounts.get(word) ?? 0) < RARE_WORD) {
      args.push(word);
      parts[i] = ARG_MARK;
    }
  }
  return [parts.join(''), args];
}

function truncateEvidence(text: string): { text: string; cut: boolean } {
  return text.length <= EVIDENCE_MAX_CHARS
    ? { text, cut: false }
    : { text: cut(text, EVIDENCE_MAX_CHARS + 1), cut: true };
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Findings worst first: unsuppressed FAIL by severity, ERROR, suppressed FAIL, PASS. */
function evidencePriority(finding: Finding): number {
  const rank = SEVERITY_RANK[finding.severity];
  if (finding.status === 'FAIL' && finding.suppressed === undefined) return 30 + rank;
  if (finding.status === 'ERROR') return 20 + rank;
  if (finding.status === 'FAIL') return 10 + rank;
  return rank;
}

interface Built {
  data: CompactData;
  extras: Array<CompactExtra | undefined>;
}

class Interner<T> {
  readonly values: T[] = [];
  private readonly index = new Map<string, number>();
  add(key: string, value: T): number {
    let at = this.index.get(key);
    if (at === undefined) {
      at = this.values.length;
      this.values.push(value);
      this.index.set(key, at);
    }
    return at;
  }
}

function build(report: Report, findings: readonly Finding[], messageCap: number, passOmitted: number): Built {
  const strings = new Interner<string>();
  const intern = (value: string) => strings.add(value, value);
  const metas = new Interner<CompactMeta>();
  const targets = new Interner<[number, number]>();
  const suppressions = new Interner<[string, string]>();
  const cited = new Map<string, Set<string>>();

  // Findings of one check usually share its remediation and frameworks objects: serialize each
  // object once, and key metas by the serialized form's id.
  const objectJson = new WeakMap<object, number>();
  const jsonIds = new Interner<string>();
  const objectId = (value: object): number => {
    let id = objectJson.get(value);
    if (id === undefined) {
      const json = JSON.stringify(value);
      id = jsonIds.add(json, json);
      objectJson.set(value, id);
    }
    return id;
  };

  const marked: string[] = [];
  const wordCounts = new Map<string, number>();
  for (const finding of findings) {
    const [, suffix] = splitResourceId(finding.resourceId);
    const text = markResource(finding.message, finding.resourceId, suffix, messageCap);
    marked.push(text);
    const seen = new Set<string>();
    const parts = text.split(WORDS);
    for (let i = 0; i < parts.length; i += 2) seen.add(parts[i]!);
    for (const word of seen) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  }

  const rows: CompactRow[] = [];
  const extras: Array<CompactExtra | undefined> = [];
  findings.forEach((finding, position) => {
    const metaKey = [
      finding.checkId,
      finding.title,
      finding.severity,
      finding.resourceType,
      objectId(finding.remediation),
      objectId(finding.frameworks),
    ].join('\u001f');
    const before = metas.values.length;
    const { text, console: consolePath, cli } = finding.remediation;
    const meta = metas.add(metaKey, {
      c: finding.checkId,
      t: finding.title,
      v: Math.max(0, SEVERITIES.indexOf(finding.severity)),
      k: finding.resourceType,
      r: {
        x: text,
        ...(consolePath !== undefined && { o: consolePath }),
        ...(cli !== undefined && { l: cli }),
      },
      f: finding.frameworks,
    });
    if (metas.values.length > before) {
      for (const [frameworkId, controlIds] of Object.entries(finding.frameworks)) {
        const set = cited.get(frameworkId) ?? new Set<string>();
        for (const controlId of controlIds ?? []) set.add(controlId);
        cited.set(frameworkId, set);
      }
    }
    const account = intern(finding.accountId);
    const region = intern(finding.region);
    const target = targets.add(`${account},${region}`, [account, region]);
    const [prefix, suffix] = splitResourceId(finding.resourceId);
    const [shape, args] = template(marked[position]!, wordCounts);
    const history = finding.history;
    const row: CompactRow = [
      meta,
      STATUS_CODE[finding.status] + 3 * (history === undefined ? 0 : HISTORY_CODE[history.state]),
      target,
      intern(prefix),
      suffix,
      intern(shape),
    ];
    const argValue = args.length === 0 ? 0 : args.join(' ');
    if (history !== undefined) row.push(argValue, intern(history.firstSeen));
    else if (argValue !== 0) row.push(argValue);
    let extra: CompactExtra | undefined;
    if (finding.suppressed !== undefined) {
      const { reason, expires } = finding.suppressed;
      extra = { s: suppressions.add(`${reason}\u001f${expires}`, [reason, expires]) };
    }
    if (finding.fingerprint !== fingerprint(finding)) extra = { ...extra, p: finding.fingerprint };
    rows.push(row);
    extras.push(extra);
  });

  const accountNames: Record<string, string> = {};
  for (const account of report.coverage.accounts) {
    if (account.name !== undefined) accountNames[account.accountId] = account.name;
  }
  const frameworks: Record<string, { n: string; k: string; c: Record<string, string> }> = {};
  for (const frameworkId of FRAMEWORK_IDS) {
    const controls = cited.get(frameworkId);
    if (controls === undefined || controls.size === 0) continue;
    const titles: Record<string, string> = {};
    for (const controlId of controls) titles[controlId] = findControl(frameworkId, controlId)?.title ?? '';
    frameworks[frameworkId] = { n: FRAMEWORKS[frameworkId].name, k: FRAMEWORK_SHORT[frameworkId], c: titles };
  }
  return {
    data: {
      v: 2,
      s: strings.values,
      m: metas.values,
      t: targets.values,
      f: rows,
      a: accountNames,
      w: frameworks,
      u: suppressions.values,
      eo: 0,
      po: passOmitted,
      mc: messageCap === MESSAGE_CAP ? 0 : messageCap,
    },
    extras,
  };
}

/** Puts each row's extra in its place: after `args` and `firstSeen`, filled with defaults. */
function attachExtras(built: Built): void {
  built.data.f.forEach((row, i) => {
    const extra = built.extras[i];
    if (extra === undefined) return;
    if (row.length === 6) row.push(0);
    if (row.length === 7) row.push(-1);
    row.push(extra);
  });
}

/** Bytes an extra adds to its row: its JSON, a separator, and the defaults it may need. */
function extraCost(extra: CompactExtra | undefined): number {
  return extra === undefined ? 0 : byteLength(jsonForScript(extra)) + 6;
}

/**
 * Encodes the report's findings into at most about `budgetBytes` bytes of script-safe JSON (as
 * `jsonForScript` writes it). Every finding keeps its row unless the rows alone exceed the budget
 * (see FALLBACKS); evidence fills what is left, worst findings first.
 */
export function encodeFindings(report: Report, budgetBytes: number): { json: string; stats: EncodeStats } {
  const measure = (b: Built) =>
    byteLength(jsonForScript(b.data)) + b.extras.reduce((n, extra) => n + extraCost(extra), 0);
  const open = report.findings.filter((f) => f.status !== 'PASS');
  let findings: readonly Finding[] = report.findings;
  let built: Built | undefined;
  let base = 0;
  for (const fallback of FALLBACKS) {
    findings = fallback.pass ? report.findings : open;
    built = build(report, findings, fallback.cap, report.findings.length - findings.length);
    base = measure(built);
    if (base <= budgetBytes) break;
  }
  if (built === undefined) throw new Error('no encoding attempted');

  let remaining = budgetBytes - base;
  let kept = 0;
  let omitted = 0;
  const order = findings.map((_, i) => i);
  order.sort((a, b) => evidencePriority(findings[b]!) - evidencePriority(findings[a]!) || a - b);
  let misses = 0;
  for (const i of order) {
    if (remaining < SMALLEST_EVIDENCE || misses >= GIVE_UP_AFTER) {
      omitted += 1;
      continue;
    }
    const finding = findings[i]!;
    const hasTags = finding.tags !== undefined && Object.keys(finding.tags).length > 0;
    const evidence = truncateEvidence(JSON.stringify(finding.evidence));
    const tags = hasTags ? truncateEvidence(JSON.stringify(finding.tags)) : undefined;
    const current = built.extras[i];
    const next: CompactExtra = {
      ...current,
      e: evidence.text,
      ...(tags !== undefined && { g: tags.text }),
      ...((evidence.cut || tags?.cut === true) && { t: 1 as const }),
    };
    const cost = extraCost(next) - extraCost(current);
    if (cost > remaining) {
      omitted += 1;
      misses += 1;
      continue;
    }
    misses = 0;
    remaining -= cost;
    built.extras[i] = next;
    kept += 1;
  }
  attachExtras(built);
  const data: CompactData = { ...built.data, eo: omitted };
  const json = jsonForScript(data);
  return {
    json,
    stats: {
      bytes: byteLength(json),
      evidenceKept: kept,
      evidenceOmitted: omitted,
      passOmitted: data.po,
      messageCap: data.mc,
    },
  };
}
