/**
 * How a ticket is recognised: its fingerprint, its labels and its title (TICKETS.md, Identity).
 * The label is the truth; the full fingerprint is also stored on the ticket (a Jira issue
 * property, a hidden marker at the end of a GitHub body) so that a removed label can be put back.
 */
import { createHash } from 'node:crypto';
import type { Severity } from '../core/types.js';

export type TicketGrouping = 'check-account' | 'finding';

/** What a ticket is about: a problem (check × account, or one finding) or a standing ticket. */
export type TicketKind = 'finding' | 'coverage' | 'overflow';

export const CUSTOS_LABEL = 'custos';
export const COVERAGE_LABEL = 'custos-coverage';
export const OVERFLOW_LABEL = 'custos-overflow';
export const FINGERPRINT_LABEL_PREFIX = 'custos-fp-';
/** 20 hex characters: `custos-fp-` + 20 = 30 characters, well inside GitHub's 50. */
export const FINGERPRINT_LABEL_HEX = 20;
export const MAX_TITLE_LENGTH = 255;

/** The Jira issue property that holds the full fingerprint. */
export const JIRA_PROPERTY_KEY = 'custos';

const SEPARATOR = '\u001f';

function sha256(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join(SEPARATOR)).digest('hex');
}

/** The fingerprint of the ticket for one check in one account (grouping `check-account`). */
export function checkAccountFingerprint(checkId: string, accountId: string): string {
  return sha256(['custos-ticket', 'check-account', checkId, accountId]);
}

/** The standing ticket that lists what a run could not assess. */
export const COVERAGE_FINGERPRINT = sha256(['custos-ticket', 'coverage']);
/** The standing ticket that lists the new problems the storm guard held back. */
export const OVERFLOW_FINGERPRINT = sha256(['custos-ticket', 'overflow']);

/** The ticket fingerprint a finding belongs to under `grouping`. */
export function ticketFingerprintOf(
  finding: { readonly checkId: string; readonly accountId: string; readonly fingerprint: string },
  grouping: TicketGrouping,
): string {
  return grouping === 'finding'
    ? finding.fingerprint
    : checkAccountFingerprint(finding.checkId, finding.accountId);
}

export function fingerprintLabel(fingerprint: string): string {
  return `${FINGERPRINT_LABEL_PREFIX}${fingerprint.slice(0, FINGERPRINT_LABEL_HEX)}`;
}

/** The fingerprint prefix a label carries, or undefined when it is not a fingerprint label. */
export function fingerprintPrefixOf(label: string): string | undefined {
  const match = /^custos-fp-([0-9a-f]{20})$/.exec(label);
  return match?.[1];
}

/** Every label a custos ticket of this kind carries. */
export function ticketLabels(fingerprint: string, kind: TicketKind): string[] {
  const labels = [CUSTOS_LABEL, fingerprintLabel(fingerprint)];
  if (kind === 'coverage') labels.push(COVERAGE_LABEL);
  if (kind === 'overflow') labels.push(OVERFLOW_LABEL);
  return labels;
}

/** The labels of `wanted` that `labels` lacks. */
export function missingLabels(labels: readonly string[], wanted: readonly string[]): string[] {
  const have = new Set(labels);
  return wanted.filter((l) => !have.has(l));
}

/** `[custos] <SEVERITY> <check title> — account <id> (<n> resources)`, at most 255 characters. */
export function problemTitle(
  severity: Severity,
  checkTitle: string,
  accountId: string,
  resources: number,
): string {
  const head = `[custos] ${severity.toUpperCase()} `;
  const tail = ` — account ${accountId} (${resources} ${resources === 1 ? 'resource' : 'resources'})`;
  return `${head}${truncate(oneLine(checkTitle), MAX_TITLE_LENGTH - head.length - tail.length)}${tail}`;
}

export const COVERAGE_TITLE = '[custos] Coverage gaps — what the last run could not assess';
export const OVERFLOW_TITLE = '[custos] New problems waiting for a ticket (storm guard)';

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

// ---------------------------------------------------------------- GitHub body marker

const MARKER = /<!-- custos:fp=([0-9a-f]{64}) -->/;

export function bodyMarker(fingerprint: string): string {
  return `<!-- custos:fp=${fingerprint} -->`;
}

/** The fingerprint of a GitHub body's hidden marker, if it still has one. */
export function fingerprintFromBody(body: string | null | undefined): string | undefined {
  return body == null ? undefined : MARKER.exec(body)?.[1];
}
