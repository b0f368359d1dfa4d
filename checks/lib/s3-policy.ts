/**
 * Bucket-policy analysis: whether a policy is "public" by S3 Block Public Access's definition
 * (AWS-SEMANTICS §1.3), plus the small pieces of IAM policy grammar the S3 checks share.
 *
 * S3 starts by assuming a policy is public and calls it non-public only when every `Allow`
 * statement grants access to fixed values: a fixed principal, or a condition with fixed values
 * on one of the keys the S3 User Guide lists. This module follows that rule:
 *
 * - A statement is restricted when every principal it names is fixed (an account id, an ARN, a
 *   service principal or a canonical user id, none with `*`, `?` or `${...}`), or when at least
 *   one of its conditions is a positive operator on a listed key with only fixed values
 *   (conditions in a statement are ANDed, so one restricting condition restricts the statement).
 * - Values in one condition key are ORed, so a single non-fixed value spoils the whole key.
 * - `...IfExists` and `ForAllValues:` operators do not restrict: both match requests that lack
 *   the key. `ForAnyValue:` does. Negated operators (`StringNotEquals`, `NotIpAddress`, ...) and
 *   `Null` never restrict [§1.3 item 7, inference].
 * - `NotPrincipal` with `Allow` is public whatever its conditions [§1.3 item 7, inference].
 *   `Federated` principals are not fixed;
 *   like `"*"`, a restricting condition makes them non-public (the User Guide says its public
 *   examples, the `Federated` one included, become non-public with such a condition).
 * - `aws:SourceIp`: each value is a CIDR or an address; the key restricts only when no value is
 *   broader than /8 (IPv4) or /32 (IPv6). "Broader" means a shorter prefix: `/8` restricts,
 *   `/7` is public; for IPv6 `/32` restricts, `/31` is public. The User Guide excludes RFC 1918
 *   ranges from the rule; the widest of them is 10.0.0.0/8, so they are never broader than /8
 *   and the exclusion changes nothing. Private space is not subtracted from wider ranges:
 *   10.0.0.0/7 is public. IPv4-mapped IPv6 ranges (`::ffff:0:0/96` and narrower) are judged as
 *   the IPv4 range they map. IPv4 must be written in four-part decimal; anything that is not a
 *   valid address or CIDR does not restrict.
 * - `aws:userid` restricts unless its value is the `AROLEID:*` pattern (any session of a role);
 *   that pattern holds a wildcard, so the wildcard rule already covers it.
 * - `s3:DataAccessPointArn` may hold a wildcard in the access point name when the rest of the
 *   ARN, the account id included, is fixed (bucket-policy rule; access point policies differ).
 * - `aws:PrincipalAccount`, `aws:PrincipalOrgPaths`, `aws:SourceOrgID`, `aws:SourceOrgPaths`
 *   are treated as restricting with fixed values. The User Guide does not list them
 *   [§1.3 item 6, unverified]; the result names every statement that relies on one.
 * - `Deny` statements never make a policy public. Statements whose `Effect` is not `Allow`
 *   grant nothing. Anything in an `Allow` statement that cannot be read (a principal of an
 *   unknown type, a value that is not a string) cannot be shown to be restricted, so it counts
 *   as public, as S3's own starting assumption does.
 *
 * The functions accept any JSON value and never throw.
 */
import ipaddr from 'ipaddr.js';

// ---------------------------------------------------------------- policy grammar

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property of a JSON object, never one inherited from `Object.prototype`. */
export function ownField(record: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** IAM accepts a single value or a list wherever a list is allowed. */
export function valueList(value: unknown): readonly unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The string values of a field; numbers and booleans are written as IAM would read them. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export interface PolicyStatementEntry {
  /** Position in the `Statement` list (0 when `Statement` is a single object). */
  readonly index: number;
  readonly sid?: string;
  readonly statement: Record<string, unknown>;
}

/** The statements of a policy document, whether `Statement` is one object or a list. */
export function policyStatements(policy: unknown): {
  readonly statements: readonly PolicyStatementEntry[];
  readonly problems: readonly string[];
} {
  if (!isRecord(policy)) {
    return { statements: [], problems: ['the policy is not a JSON object'] };
  }
  const raw = ownField(policy, 'Statement');
  if (raw === undefined) return { statements: [], problems: ['the policy has no Statement'] };
  const statements: PolicyStatementEntry[] = [];
  const problems: string[] = [];
  valueList(raw).forEach((statement, index) => {
    if (!isRecord(statement)) {
      problems.push(`statement ${index} is not a JSON object`);
      return;
    }
    const sid = ownField(statement, 'Sid');
    statements.push(typeof sid === 'string' ? { index, sid, statement } : { index, statement });
  });
  return { statements, problems };
}

/** How a statement is named in evidence and messages: its Sid, else its index. */
export function statementLabel(entry: { readonly index: number; readonly sid?: string }): string {
  return entry.sid === undefined || entry.sid === ''
    ? `statement ${entry.index}`
    : `statement "${entry.sid}"`;
}

/** `*` and `?` are IAM wildcards; `${...}` is a policy variable. Either makes a value not fixed. */
export function isFixedValue(value: string): boolean {
  return value !== '' && !/[*?]/.test(value) && !value.includes('${');
}

/**
 * IAM glob matching: `*` matches any run of characters, `?` exactly one. Linear-time in
 * practice (no regular expression, so no backtracking blow-up on hostile patterns).
 */
export function globMatch(pattern: string, subject: string, options: { ignoreCase?: boolean } = {}): boolean {
  const p = options.ignoreCase === true ? pattern.toLowerCase() : pattern;
  const s = options.ignoreCase === true ? subject.toLowerCase() : subject;
  let pi = 0;
  let si = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (si < s.length) {
    const pc = p[pi];
    if (pc !== undefined && pc !== '*' && (pc === '?' || pc === s[si])) {
      pi += 1;
      si += 1;
    } else if (pc === '*') {
      starAt = pi;
      resumeAt = si;
      pi += 1;
    } else if (starAt !== -1) {
      pi = starAt + 1;
      resumeAt += 1;
      si = resumeAt;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi += 1;
  return pi === p.length;
}

export interface ConditionOperator {
  /** The operator without qualifier or `IfExists`, lower-cased: `stringequals`, `bool`, ... */
  readonly base: string;
  readonly ifExists: boolean;
  readonly qualifier?: 'forallvalues' | 'foranyvalue';
}

/** Splits `ForAnyValue:StringEqualsIfExists` into its parts (case-insensitively). */
export function parseConditionOperator(operator: string): ConditionOperator {
  let rest = operator.trim().toLowerCase();
  let qualifier: ConditionOperator['qualifier'];
  for (const q of ['forallvalues', 'foranyvalue'] as const) {
    if (rest.startsWith(`${q}:`)) {
      qualifier = q;
      rest = rest.slice(q.length + 1);
    }
  }
  const ifExists = rest.endsWith('ifexists') && rest !== 'ifexists';
  const base = ifExists ? rest.slice(0, -'ifexists'.length) : rest;
  return qualifier === undefined ? { base, ifExists } : { base, ifExists, qualifier };
}

export interface ConditionEntry {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly unknown[];
}

/** A statement's `Condition` block as a flat list of (operator, key, values). */
export function conditionEntries(statement: Record<string, unknown>): {
  readonly entries: readonly ConditionEntry[];
  readonly problems: readonly string[];
} {
  const condition = ownField(statement, 'Condition');
  if (condition === undefined) return { entries: [], problems: [] };
  if (!isRecord(condition)) return { entries: [], problems: ['Condition is not a JSON object'] };
  const entries: ConditionEntry[] = [];
  const problems: string[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    if (!isRecord(block)) {
      problems.push(`condition operator ${operator} does not hold an object of keys`);
      continue;
    }
    for (const [key, values] of Object.entries(block)) {
      entries.push({ operator, key, values: valueList(values) });
    }
  }
  return { entries, problems };
}

// ---------------------------------------------------------------- principals

type PrincipalAnalysis =
  | { readonly fixed: true; readonly accounts: readonly string[] }
  | {
      readonly fixed: false;
      readonly reason: string;
      /** False for NotPrincipal: treated as public whatever its conditions say [§1.3 item 7]. */
      readonly conditionsCanRestrict: boolean;
    };

const ACCOUNT_ID = /^\d{12}$/;
const IAM_ARN_ACCOUNT = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/;

function principalAccount(value: string): string | undefined {
  if (ACCOUNT_ID.test(value)) return value;
  return IAM_ARN_ACCOUNT.exec(value)?.[1];
}

/** A short JSON rendering of a policy value for messages; never throws. */
export function describeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    // Nested too deep for the stack (String() would recurse the same way).
    return '(a value nested too deeply to show)';
  }
}

function analyzePrincipal(statement: Record<string, unknown>): PrincipalAnalysis {
  if (Object.hasOwn(statement, 'NotPrincipal')) {
    return {
      fixed: false,
      conditionsCanRestrict: false,
      reason: 'NotPrincipal with Allow grants everyone except the principals it lists',
    };
  }
  const principal = ownField(statement, 'Principal');
  if (principal === undefined) {
    return { fixed: false, conditionsCanRestrict: true, reason: 'the statement names no Principal' };
  }
  if (principal === '*') return { fixed: false, conditionsCanRestrict: true, reason: 'Principal "*"' };
  if (!isRecord(principal)) {
    return {
      fixed: false,
      conditionsCanRestrict: true,
      reason: `Principal ${describeJson(principal)} is not a fixed principal`,
    };
  }
  const accounts: string[] = [];
  for (const [type, raw] of Object.entries(principal)) {
    for (const item of valueList(raw)) {
      if (typeof item !== 'string') {
        return {
          fixed: false,
          conditionsCanRestrict: true,
          reason: `Principal ${type} value ${describeJson(item)} is not a string`,
        };
      }
      if (type === 'Federated') {
        return { fixed: false, conditionsCanRestrict: true, reason: `Federated principal "${item}"` };
      }
      if (type !== 'AWS' && type !== 'Service' && type !== 'CanonicalUser') {
        return {
          fixed: false,
          conditionsCanRestrict: true,
          reason: `Principal type "${type}" is not a fixed principal`,
        };
      }
      if (item === '*')
        return { fixed: false, conditionsCanRestrict: true, reason: `Principal {"${type}": "*"}` };
      if (!isFixedValue(item)) {
        return {
          fixed: false,
          conditionsCanRestrict: true,
          reason: `Principal ${type} "${item}" contains a wildcard or policy variable`,
        };
      }
      if (type === 'AWS') {
        const account = principalAccount(item);
        if (account !== undefined) accounts.push(account);
      }
    }
  }
  return { fixed: true, accounts };
}

// ---------------------------------------------------------------- conditions

type KeyKind = 'fixed' | 'arn' | 'ip' | 'userid' | 'access-point-arn';

/** The condition keys that can make a statement non-public, lower-cased (keys are case-insensitive). */
const RESTRICTING_KEYS: ReadonlyMap<string, { readonly kind: KeyKind; readonly unverified?: true }> = new Map(
  [
    ['aws:sourceip', { kind: 'ip' }],
    ['aws:sourcearn', { kind: 'arn' }],
    ['aws:sourcevpc', { kind: 'fixed' }],
    ['aws:sourcevpce', { kind: 'fixed' }],
    ['aws:sourceowner', { kind: 'fixed' }],
    ['aws:sourceaccount', { kind: 'fixed' }],
    ['s3:x-amz-server-side-encryption-aws-kms-key-id', { kind: 'fixed' }],
    ['aws:userid', { kind: 'userid' }],
    ['s3:dataaccesspointarn', { kind: 'access-point-arn' }],
    ['s3:dataaccesspointaccount', { kind: 'fixed' }],
    ['aws:principalorgid', { kind: 'fixed' }],
    ['aws:principalaccount', { kind: 'fixed', unverified: true }],
    ['aws:principalorgpaths', { kind: 'fixed', unverified: true }],
    ['aws:sourceorgid', { kind: 'fixed', unverified: true }],
    ['aws:sourceorgpaths', { kind: 'fixed', unverified: true }],
  ] as const,
);

const STRING_OPERATORS = new Set(['stringequals', 'stringequalsignorecase', 'stringlike']);
const ARN_OPERATORS = new Set(['arnequals', 'arnlike']);

const IPV4_MAX_BREADTH = 8;
const IPV6_MAX_BREADTH = 32;
const IPV4_MAPPED_PREFIX = 96;

/**
 * Why an `aws:SourceIp` value does not restrict, or `undefined` when it does: a valid address
 * or CIDR no broader than /8 (IPv4) or /32 (IPv6).
 */
export function sourceIpBreadthProblem(value: string): string | undefined {
  const cidr = value.includes('/') ? value : `${value}/${value.includes(':') ? 128 : 32}`;
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(cidr);
  } catch {
    return `"${value}" is not an IP address or CIDR`;
  }
  const [address, length] = parsed;
  if (address.kind() === 'ipv4') {
    if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr))
      return `"${value}" is not a four-part decimal IPv4 CIDR`;
    return length < IPV4_MAX_BREADTH ? `"${value}" is broader than /${IPV4_MAX_BREADTH}` : undefined;
  }
  const v6 = address as ipaddr.IPv6;
  if (v6.zoneId !== undefined) return `"${value}" carries a zone id`;
  if (v6.isIPv4MappedAddress() && length >= IPV4_MAPPED_PREFIX) {
    return length - IPV4_MAPPED_PREFIX < IPV4_MAX_BREADTH
      ? `"${value}" maps an IPv4 range broader than /${IPV4_MAX_BREADTH}`
      : undefined;
  }
  return length < IPV6_MAX_BREADTH ? `"${value}" is broader than /${IPV6_MAX_BREADTH}` : undefined;
}

const ACCESS_POINT_ARN = /^arn:([^:]+):s3:([^:]+):(\d{12}):accesspoint\/(.+)$/;

function accessPointArnProblem(value: string): string | undefined {
  if (isFixedValue(value)) return undefined;
  const match = ACCESS_POINT_ARN.exec(value);
  if (match === null) return `"${value}" contains a wildcard or policy variable`;
  const [, partition = '', region = '', , name = ''] = match;
  if (!isFixedValue(partition) || !isFixedValue(region)) {
    return `"${value}" has a wildcard outside the access point name`;
  }
  if (name.includes('${')) return `"${value}" has a policy variable in the access point name`;
  return undefined;
}

/** Why one condition entry does not restrict the statement to fixed values, or `undefined`. */
function conditionProblem(entry: ConditionEntry): string | undefined {
  const label = `${entry.operator} ${entry.key}`;
  const spec = RESTRICTING_KEYS.get(entry.key.toLowerCase());
  if (spec === undefined) return `${label}: not a key that can restrict a policy to fixed values`;
  const op = parseConditionOperator(entry.operator);
  if (op.ifExists) return `${label}: IfExists also matches requests without the key`;
  if (op.qualifier === 'forallvalues') return `${label}: ForAllValues also matches requests without the key`;
  const operatorFits =
    spec.kind === 'ip'
      ? op.base === 'ipaddress'
      : STRING_OPERATORS.has(op.base) ||
        ((spec.kind === 'arn' || spec.kind === 'access-point-arn') && ARN_OPERATORS.has(op.base));
  if (!operatorFits) return `${label}: the operator does not restrict the key to fixed values`;
  if (entry.values.length === 0) return `${label}: no values`;
  for (const raw of entry.values) {
    const value = scalarText(raw);
    if (value === undefined) return `${label}: value ${describeJson(raw)} is not a string`;
    let problem: string | undefined;
    switch (spec.kind) {
      case 'ip':
        problem = sourceIpBreadthProblem(value);
        break;
      case 'access-point-arn':
        problem = accessPointArnProblem(value);
        break;
      case 'userid':
        problem = value.endsWith(':*')
          ? `"${value}" is the AROLEID:* pattern (any session of a role)`
          : isFixedValue(value)
            ? undefined
            : `"${value}" contains a wildcard or policy variable`;
        break;
      default:
        problem = isFixedValue(value) ? undefined : `"${value}" contains a wildcard or policy variable`;
    }
    if (problem !== undefined) return `${label}: ${problem}`;
  }
  return undefined;
}

// ---------------------------------------------------------------- actions

/** What a public statement lets anyone do with the bucket. */
export type PolicyAccess = 'read' | 'write' | 'list' | 'other';

const ACCESS_ORDER: readonly PolicyAccess[] = ['read', 'write', 'list', 'other'];

/** Representative actions for each kind of access; anything else is `other`. */
const ACCESS_ACTIONS: ReadonlyArray<readonly [PolicyAccess, readonly string[]]> = [
  ['read', ['s3:GetObject', 's3:GetObjectVersion']],
  ['write', ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:AbortMultipartUpload']],
  [
    'list',
    [
      's3:ListBucket',
      's3:ListBucketVersions',
      's3:ListBucketMultipartUploads',
      's3:ListMultipartUploadParts',
    ],
  ],
];

const KNOWN_ACTIONS = new Set(ACCESS_ACTIONS.flatMap(([, actions]) => actions.map((a) => a.toLowerCase())));

function sortAccess(access: Iterable<PolicyAccess>): PolicyAccess[] {
  const set = new Set(access);
  return ACCESS_ORDER.filter((a) => set.has(a));
}

/**
 * The kinds of access an `Allow` statement's `Action` or `NotAction` grants. A wildcard pattern
 * also counts as `other`: it covers actions outside the representative sets, including actions
 * AWS adds later (Block Public Access considers those too).
 */
export function statementAccess(statement: Record<string, unknown>): PolicyAccess[] {
  const hasAction = Object.hasOwn(statement, 'Action');
  const hasNotAction = Object.hasOwn(statement, 'NotAction');
  if (!hasAction && !hasNotAction) return [...ACCESS_ORDER];
  const access = new Set<PolicyAccess>();
  if (hasAction) {
    for (const raw of valueList(ownField(statement, 'Action'))) {
      const pattern = scalarText(raw);
      if (pattern === undefined) {
        access.add('other');
        continue;
      }
      for (const [kind, actions] of ACCESS_ACTIONS) {
        if (actions.some((action) => globMatch(pattern, action, { ignoreCase: true }))) access.add(kind);
      }
      if (!isFixedValue(pattern) || !KNOWN_ACTIONS.has(pattern.toLowerCase())) access.add('other');
    }
  }
  if (hasNotAction) {
    const excluded = valueList(ownField(statement, 'NotAction'))
      .map(scalarText)
      .filter((p): p is string => p !== undefined);
    const isExcluded = (action: string) => excluded.some((p) => globMatch(p, action, { ignoreCase: true }));
    for (const [kind, actions] of ACCESS_ACTIONS) {
      if (actions.some((action) => !isExcluded(action))) access.add(kind);
    }
    if (!excluded.some((p) => p === '*' || p.toLowerCase() === 's3:*')) access.add('other');
  }
  return sortAccess(access);
}

// ---------------------------------------------------------------- is the policy public

export interface PublicStatement {
  readonly index: number;
  readonly sid?: string;
  /** Why the statement is public: the principal and why no condition restricts it. */
  readonly reason: string;
  /** What it lets anyone do. */
  readonly effects: readonly PolicyAccess[];
}

export interface PolicyPublicity {
  readonly public: boolean;
  /** The statements that make the policy public; empty when it is not. */
  readonly statements: readonly PublicStatement[];
  /**
   * Facts worth reporting that do not change the verdict: statements kept non-public only by a
   * condition key the User Guide does not list, parts of the document that could not be read,
   * and accounts that lose access if RestrictPublicBuckets is turned on for a public policy.
   */
  readonly notes: readonly string[];
}

export interface IsPolicyPublicOptions {
  /**
   * The bucket owner's account. When given, fixed principals in other accounts are named in
   * `notes`: RestrictPublicBuckets cuts them off too once the policy is public [§1.1].
   */
  readonly bucketAccountId?: string;
}

/**
 * The most statements `isPolicyPublic` reads. S3 caps a bucket policy at 20 KB and every
 * statement it accepts names at least an Effect, a Principal, an Action and a Resource (some 60
 * bytes), so a policy S3 holds has a few hundred statements at most. A document with more did
 * not come from S3; its first statements are read and the rest are not.
 */
export const MAX_POLICY_STATEMENTS = 1000;

/**
 * Whether a bucket policy is public by Block Public Access's definition [§1.3]. A document with
 * more than `MAX_POLICY_STATEMENTS` statements is public: what was not read cannot be shown to
 * be restricted, and S3 itself starts from "public".
 */
export function isPolicyPublic(policy: unknown, options: IsPolicyPublicOptions = {}): PolicyPublicity {
  const { statements: all, problems } = policyStatements(policy);
  const statements = all.slice(0, MAX_POLICY_STATEMENTS);
  const publicStatements: PublicStatement[] = [];
  const notes: string[] = [...problems];
  const crossAccount = new Set<string>();

  for (const entry of statements) {
    const { statement } = entry;
    if (ownField(statement, 'Effect') !== 'Allow') continue;
    const principal = analyzePrincipal(statement);
    if (principal.fixed) {
      for (const account of principal.accounts) {
        if (options.bucketAccountId !== undefined && account !== options.bucketAccountId) {
          crossAccount.add(account);
        }
      }
      continue;
    }
    const conditions = conditionEntries(statement);
    notes.push(...conditions.problems.map((p) => `${statementLabel(entry)}: ${p}`));
    const problemsByEntry = conditions.entries.map((c) => ({ entry: c, problem: conditionProblem(c) }));
    const restricting = problemsByEntry.filter((c) => c.problem === undefined).map((c) => c.entry);
    if (restricting.length > 0 && principal.conditionsCanRestrict) {
      const verified = restricting.filter(
        (c) => RESTRICTING_KEYS.get(c.key.toLowerCase())?.unverified !== true,
      );
      if (verified.length === 0) {
        notes.push(
          `${statementLabel(entry)} is non-public only through ${restricting
            .map((c) => c.key)
            .join(', ')}, which the S3 User Guide does not list (unverified)`,
        );
      }
      continue;
    }
    const why = !principal.conditionsCanRestrict
      ? '(conditions cannot make it non-public)'
      : problemsByEntry.length === 0
        ? 'and no condition'
        : `and no condition restricts it to fixed values (${problemsByEntry
            .map((c) => c.problem)
            .join('; ')})`;
    const sidPart = entry.sid === undefined ? {} : { sid: entry.sid };
    publicStatements.push({
      index: entry.index,
      ...sidPart,
      reason: `${principal.reason} ${why}`,
      effects: statementAccess(statement),
    });
  }

  const unread = all.slice(MAX_POLICY_STATEMENTS);
  const [firstUnread] = unread;
  if (firstUnread !== undefined) {
    publicStatements.push({
      index: firstUnread.index,
      reason: `the policy has ${all.length} statements; only the first ${MAX_POLICY_STATEMENTS} were read, so the other ${unread.length} cannot be shown to be restricted`,
      effects: [...ACCESS_ORDER],
    });
  }

  if (publicStatements.length > 0 && crossAccount.size > 0) {
    notes.push(
      `RestrictPublicBuckets would also block the cross-account access this policy grants to ${[
        ...crossAccount,
      ]
        .sort()
        .join(', ')}`,
    );
  }
  return { public: publicStatements.length > 0, statements: publicStatements, notes };
}
