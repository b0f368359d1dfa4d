/**
 * Does a bucket policy refuse every request made without TLS? That takes one `Deny` statement
 * that covers everyone (`Principal: "*"` or `{"AWS": "*"}`), every S3 action (`s3:*` or `*`),
 * the bucket and all its objects, with `aws:SecureTransport` = `false` under `Bool` or
 * `BoolIfExists` and no other condition. A `Deny` that falls short is reported with what it
 * leaves open. Accepts any JSON value and never throws.
 *
 * Choices where the catalogue is silent:
 * - Coverage is judged per statement: two Denies that each cover half (the bucket in one, the
 *   objects in the other) do not pass, as the catalogue asks for one statement.
 * - Any further condition (another key under `Bool`, or another operator) narrows the Deny, so
 *   it leaves open the insecure requests that do not also match it.
 * - A `Resource` pattern covers all objects only when it ends in `*` and what precedes that
 *   star can match a prefix of `arn:aws:s3:::<bucket>/` (so `arn:aws:s3:::<bucket>/*`,
 *   `arn:aws:s3:::<bucket>*`, `arn:aws:s3:::*`, `*`). `NotResource` leaves open whatever its
 *   patterns might match, judged conservatively from their text before the first wildcard.
 */
import { bucketArn } from './arn.js';
import {
  conditionEntries,
  describeJson,
  globMatch,
  isRecord,
  ownField,
  parseConditionOperator,
  policyStatements,
  scalarText,
  valueList,
} from './s3-policy.js';

export interface SecureTransportStatement {
  readonly index: number;
  readonly sid?: string;
}

export interface SecureTransportCandidate extends SecureTransportStatement {
  /** What the Deny does not cover; empty when it refuses every request made without TLS. */
  readonly leavesOpen: readonly string[];
}

export interface SecureTransportAnalysis {
  readonly enforced: boolean;
  /** The first statement that enforces TLS, when one does. */
  readonly statement?: SecureTransportStatement;
  /** Every Deny on `aws:SecureTransport` = false, with what each leaves open. */
  readonly candidates: readonly SecureTransportCandidate[];
}

const SECURE_TRANSPORT_KEY = 'aws:securetransport';

function isFalse(value: unknown): boolean {
  return value === false || (typeof value === 'string' && value.trim().toLowerCase() === 'false');
}

/** Whether `pattern` matches every string that starts with `prefix` (see the module notes). */
function coversEveryStringStartingWith(pattern: string, prefix: string): boolean {
  if (!pattern.endsWith('*')) return false;
  const head = pattern.replace(/\*+$/, '');
  for (let end = 0; end <= prefix.length; end += 1) {
    if (globMatch(head, prefix.slice(0, end))) return true;
  }
  return false;
}

/** Whether `pattern` might match some string that starts with `prefix` (over-approximation). */
function mayMatchSomethingStartingWith(pattern: string, prefix: string): boolean {
  const firstWildcard = pattern.search(/[*?]/);
  if (firstWildcard === -1) return pattern.startsWith(prefix) && pattern.length > prefix.length;
  const literal = pattern.slice(0, firstWildcard);
  return literal.startsWith(prefix) || prefix.startsWith(literal);
}

function strings(values: readonly unknown[]): string[] {
  return values.map(scalarText).filter((v): v is string => v !== undefined);
}

function principalGaps(statement: Record<string, unknown>): string[] {
  if (Object.hasOwn(statement, 'NotPrincipal')) {
    return [
      `requests by the principals in NotPrincipal ${describeJson(ownField(statement, 'NotPrincipal'))}`,
    ];
  }
  const principal = ownField(statement, 'Principal');
  if (principal === '*') return [];
  if (isRecord(principal) && valueList(ownField(principal, 'AWS')).includes('*')) return [];
  if (principal === undefined) return ['every principal (the statement names no Principal)'];
  return [`principals other than ${describeJson(principal)}`];
}

function actionGaps(statement: Record<string, unknown>): string[] {
  if (Object.hasOwn(statement, 'NotAction')) {
    return [`the actions in NotAction (${strings(valueList(ownField(statement, 'NotAction'))).join(', ')})`];
  }
  const actions = strings(valueList(ownField(statement, 'Action')));
  if (actions.some((a) => a === '*' || a.toLowerCase() === 's3:*')) return [];
  if (actions.length === 0) return ['every action (the statement names no Action)'];
  return [`actions other than ${actions.join(', ')}`];
}

function resourceGaps(statement: Record<string, unknown>, bucketName: string): string[] {
  const bucket = bucketArn(bucketName);
  const objectsPrefix = `${bucket}/`;
  const objects = `${objectsPrefix}*`;
  if (Object.hasOwn(statement, 'NotResource')) {
    const excluded = strings(valueList(ownField(statement, 'NotResource')));
    const gaps: string[] = [];
    if (excluded.some((p) => globMatch(p, bucket)))
      gaps.push(`the bucket itself (${bucket}, in NotResource)`);
    const objectExclusions = excluded.filter((p) => mayMatchSomethingStartingWith(p, objectsPrefix));
    if (objectExclusions.length > 0) gaps.push(`objects matching NotResource ${objectExclusions.join(', ')}`);
    return gaps;
  }
  const resources = strings(valueList(ownField(statement, 'Resource')));
  const gaps: string[] = [];
  if (!resources.some((p) => globMatch(p, bucket))) gaps.push(`the bucket itself (${bucket})`);
  if (!resources.some((p) => coversEveryStringStartingWith(p, objectsPrefix))) {
    gaps.push(`the bucket's objects (${objects})`);
  }
  return gaps;
}

/** Whether the statement's conditions target insecure transport, and what else narrows them. */
function conditionShape(statement: Record<string, unknown>): { matches: boolean; gaps: string[] } {
  const { entries, problems } = conditionEntries(statement);
  let matches = false;
  const gaps = problems.map((p) => `requests the unreadable condition does not match (${p})`);
  for (const entry of entries) {
    const op = parseConditionOperator(entry.operator);
    const isSecureTransport =
      entry.key.toLowerCase() === SECURE_TRANSPORT_KEY &&
      op.base === 'bool' &&
      op.qualifier === undefined &&
      entry.values.some(isFalse);
    if (isSecureTransport) {
      matches = true;
      continue;
    }
    gaps.push(`insecure requests that do not also match ${entry.operator} ${entry.key}`);
  }
  return { matches, gaps };
}

/** Whether the bucket policy denies every request made without TLS, and if not, what is open. */
export function analyzeSecureTransport(policy: unknown, bucketName: string): SecureTransportAnalysis {
  const candidates: SecureTransportCandidate[] = [];
  for (const entry of policyStatements(policy).statements) {
    const { statement } = entry;
    if (ownField(statement, 'Effect') !== 'Deny') continue;
    const condition = conditionShape(statement);
    if (!condition.matches) continue;
    const leavesOpen = [
      ...principalGaps(statement),
      ...actionGaps(statement),
      ...resourceGaps(statement, bucketName),
      ...condition.gaps,
    ];
    candidates.push(
      entry.sid === undefined
        ? { index: entry.index, leavesOpen }
        : { index: entry.index, sid: entry.sid, leavesOpen },
    );
  }
  const enforcing = candidates.find((c) => c.leavesOpen.length === 0);
  if (enforcing === undefined) return { enforced: false, candidates };
  const statement: SecureTransportStatement =
    enforcing.sid === undefined ? { index: enforcing.index } : { index: enforcing.index, sid: enforcing.sid };
  return { enforced: true, statement, candidates };
}
