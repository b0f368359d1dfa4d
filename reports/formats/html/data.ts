/**
 * The findings as the page's script reads them: one compact JSON document, embedded once.
 *
 * - Strings that repeat (accounts, regions, resource types, ARN prefixes, message templates,
 *   dates) are interned into one table `s`; a row holds their indexes.
 * - What a check contributes (id, title, severity, remediation, frameworks) is one entry of the
 *   meta table `m`, shared by all its findings.
 * - A resource id is split into an interned prefix and its own last part; a message is stored as
 *   a template where the resource id and that last part are placeholders.
 * - A fingerprint is left out when it is the standard one (the page recomputes it with SHA-256).
 * - Evidence and tags are kept, truncated, while the byte budget allows, worst findings first.
 *
 * Row layout: `[meta, state, account, region, resourceType, prefix, suffix, message, firstSeen?,
 * extra?]` where `state = status + 3 × history` (status 0 FAIL, 1 ERROR, 2 PASS; history 0 none,
 * 1 new, 2 persisting, 3 regressed), `firstSeen` is a string index or -1, and `extra` holds the
 * rare fields: `s` suppression index, `p` fingerprint, `e` evidence JSON, `g` tags JSON, `t` 1
 * when evidence or tags were truncated.
 */
import { FRAMEWORKS, findControl } from '../../../core/frameworks/index.js';
import { fingerprint } from '../../../core/fingerprint.js';
import {
  FRAMEWORK_IDS,
  type Finding,
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

const STATUS_CODE = { FAIL: 0, ERROR: 1, PASS: 2 } as const;
const HISTORY_CODE = { new: 1, persisting: 2, regressed: 3 } as const;

/** Evidence (or tags) of one finding is cut at this many characters. */
export const EVIDENCE_MAX_CHARS = 800;
/** Messages are one sentence; longer ones are cut, and cut further if the budget needs it. */
const MESSAGE_CAPS = [400, 160, 80] as const;

export interface CompactMeta {
  /** Check id. */
  readonly c: string;
  /** Title. */
  readonly t: string;
  /** Severity as an index into SEVERITIES (0 = critical). */
  readonly v: number;
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
  readonly v: 1;
  readonly s: string[];
  readonly m: CompactMeta[];
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
  /** Messages were cut to this many characters (0: not cut beyond the one-sentence cap). */
  readonly mc: number;
}

export interface EncodeStats {
  readonly bytes: number;
  readonly evidenceKept: number;
  readonly evidenceOmitted: number;
  readonly messageCap: number;
}

export function splitResourceId(resourceId: string): [prefix: string, suffix: string] {
  const cut = Math.max(resourceId.lastIndexOf('/'), resourceId.lastIndexOf(':'));
  return cut < 0 ? ['', resourceId] : [resourceId.slice(0, cut + 1), resourceId.slice(cut + 1)];
}

function messageTemplate(message: string, resourceId: string, suffix: string, cap: number): string {
  let text = message.replace(/[\u0001\u0002]/g, '\ufffd');
  if (text.length > cap) text = `${text.slice(0, cap - 1)}…`;
  if (resourceId.length > 0) text = text.split(resourceId).join(RESOURCE_MARK);
  if (suffix.length >= 4 && suffix !== resourceId) text = text.split(suffix).join(SUFFIX_MARK);
  return text;
}

function truncate(text: string): { text: string; cut: boolean } {
  return text.length <= EVIDENCE_MAX_CHARS
    ? { text, cut: false }
    : { text: `${text.slice(0, EVIDENCE_MAX_CHARS)}…`, cut: true };
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

function build(report: Report, messageCap: number): Built {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (value: string): number => {
    let index = stringIndex.get(value);
    if (index === undefined) {
      index = strings.length;
      strings.push(value);
      stringIndex.set(value, index);
    }
    return index;
  };
  const metas: CompactMeta[] = [];
  const metaIndex = new Map<string, number>();
  const suppressions: Array<[string, string]> = [];
  const suppressionIndex = new Map<string, number>();
  const cited = new Map<string, Set<string>>();
  const rows: CompactRow[] = [];
  const extras: Array<CompactExtra | undefined> = [];

  for (const finding of report.findings) {
    const metaKey = JSON.stringify([
      finding.checkId,
      finding.title,
      finding.severity,
      finding.remediation,
      finding.frameworks,
    ]);
    let meta = metaIndex.get(metaKey);
    if (meta === undefined) {
      meta = metas.length;
      const { text, console: consolePath, cli } = finding.remediation;
      metas.push({
        c: finding.checkId,
        t: finding.title,
        v: Math.max(0, SEVERITIES.indexOf(finding.severity)),
        r: {
          x: text,
          ...(consolePath !== undefined && { o: consolePath }),
          ...(cli !== undefined && { l: cli }),
        },
        f: finding.frameworks,
      });
      metaIndex.set(metaKey, meta);
      for (const [frameworkId, controlIds] of Object.entries(finding.frameworks)) {
        const set = cited.get(frameworkId) ?? new Set<string>();
        for (const controlId of controlIds ?? []) set.add(controlId);
        cited.set(frameworkId, set);
      }
    }
    const [prefix, suffix] = splitResourceId(finding.resourceId);
    const history = finding.history;
    const row: CompactRow = [
      meta,
      STATUS_CODE[finding.status] + 3 * (history === undefined ? 0 : HISTORY_CODE[history.state]),
      intern(finding.accountId),
      intern(finding.region),
      intern(finding.resourceType),
      intern(prefix),
      suffix,
      intern(messageTemplate(finding.message, finding.resourceId, suffix, messageCap)),
    ];
    let extra: CompactExtra | undefined;
    if (finding.suppressed !== undefined) {
      const key = `${finding.suppressed.reason}\u001f${finding.suppressed.expires}`;
      let index = suppressionIndex.get(key);
      if (index === undefined) {
        index = suppressions.length;
        suppressions.push([finding.suppressed.reason, finding.suppressed.expires]);
        suppressionIndex.set(key, index);
      }
      extra = { s: index };
    }
    if (finding.fingerprint !== fingerprint(finding)) {
      extra = { ...extra, p: finding.fingerprint };
    }
    if (history !== undefined) row.push(intern(history.firstSeen));
    rows.push(row);
    extras.push(extra);
  }

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
      v: 1,
      s: strings,
      m: metas,
      f: rows,
      a: accountNames,
      w: frameworks,
      u: suppressions,
      eo: 0,
      mc: messageCap === MESSAGE_CAPS[0] ? 0 : messageCap,
    },
    extras,
  };
}

function attachExtras(built: Built): void {
  built.data.f.forEach((row, i) => {
    const extra = built.extras[i];
    if (extra === undefined) return;
    if (row.length === 8) row.push(-1);
    row.push(extra);
  });
}

/**
 * Encodes the report's findings into at most about `budgetBytes` bytes of script-safe JSON (as
 * `jsonForScript` writes it). The rows themselves are always kept; messages are cut shorter if
 * the rows alone exceed the budget; evidence fills what is left, worst findings first.
 */
export function encodeFindings(report: Report, budgetBytes: number): { json: string; stats: EncodeStats } {
  let built = build(report, MESSAGE_CAPS[0]);
  // Each extra costs at most its fields plus a few bytes of punctuation; measure with a margin.
  const extrasBytes = (b: Built) =>
    b.extras.reduce((n, extra) => n + (extra === undefined ? 0 : byteLength(JSON.stringify(extra)) + 4), 0);
  let base = byteLength(jsonForScript(built.data)) + extrasBytes(built);
  for (const cap of MESSAGE_CAPS.slice(1)) {
    if (base <= budgetBytes) break;
    built = build(report, cap);
    base = byteLength(jsonForScript(built.data)) + extrasBytes(built);
  }

  let remaining = budgetBytes - base;
  let kept = 0;
  let omitted = 0;
  const order = report.findings.map((_, i) => i);
  order.sort((a, b) => evidencePriority(report.findings[b]!) - evidencePriority(report.findings[a]!) || a - b);
  for (const i of order) {
    const finding = report.findings[i]!;
    const hasTags = finding.tags !== undefined && Object.keys(finding.tags).length > 0;
    const evidence = truncate(JSON.stringify(finding.evidence));
    const tags = hasTags ? truncate(JSON.stringify(finding.tags)) : undefined;
    const addition: CompactExtra = {
      e: evidence.text,
      ...(tags !== undefined && { g: tags.text }),
      ...((evidence.cut || tags?.cut === true) && { t: 1 as const }),
    };
    // The row grows by the extra's fields, a brace pair, separators and possibly a -1.
    const cost = byteLength(jsonForScript(addition)) + (built.extras[i] === undefined ? 5 : 0);
    if (cost > remaining) {
      omitted += 1;
      continue;
    }
    remaining -= cost;
    built.extras[i] = { ...built.extras[i], ...addition };
    kept += 1;
  }
  attachExtras(built);
  const data: CompactData = { ...built.data, eo: omitted };
  const json = jsonForScript(data);
  return {
    json,
    stats: { bytes: byteLength(json), evidenceKept: kept, evidenceOmitted: omitted, messageCap: data.mc },
  };
}
