/**
 * Dormant accounts suddenly becoming active: an IAM user's password or access key that had been
 * unused for `iam.dormantDays` (default 90) or more as of the previous run, and has been used
 * since. Compares the previous run's credential report with this run's, user by user (matched
 * by ARN; the root row is left to `iam.root.recent-use`).
 *
 * Per credential (password, access key 1, access key 2):
 * - dormant at the previous run: it existed then (a password or key that was enabled, or one
 *   with a recorded last use) and its last use, or its set/creation date when it had never been
 *   used (`no_information` / `N/A`, as CIS 1.12 counts), was `dormantDays` or more before the
 *   previous run's `asOf`;
 * - used since: this report's last-use date is later than the one the previous report counted
 *   (a stored report can lag its run by up to 4 hours, so the reports' own dates are compared,
 *   not the run instants).
 * A key or password replaced since then (new rotation or change date) still counts: the user's
 * dormant credential slot is in use again, and the message says it was replaced.
 *
 * The same holds for a credential that did not exist at the previous run when the user as a
 * whole was dormant then: created `dormantDays` or more before, with no credential used within
 * `dormantDays` (a long-idle user given a fresh key that is then used is the same event).
 */
import type { CheckResult } from '../../core/types.js';
import {
  ageInDays,
  type BooleanColumn,
  type CredentialReportColumn,
  type CredentialReportEntry,
  DAY_MS,
  type DateColumn,
  describeCellProblem,
  parseAsOf,
  readBoolean,
  readDate,
  splitCredentialReport,
  unattributableRowResult,
} from '../lib/credential-report.js';
import type { HistoryCheck } from './types.js';

type Credential = 'password' | 'access_key_1' | 'access_key_2';

interface Slot {
  readonly credential: Credential;
  readonly active: BooleanColumn;
  readonly lastUsed: DateColumn;
  /** When the password was set or the key created: the basis when it was never used. */
  readonly since: DateColumn;
}

const SLOTS: readonly Slot[] = [
  {
    credential: 'password',
    active: 'password_enabled',
    lastUsed: 'password_last_used',
    since: 'password_last_changed',
  },
  {
    credential: 'access_key_1',
    active: 'access_key_1_active',
    lastUsed: 'access_key_1_last_used_date',
    since: 'access_key_1_last_rotated',
  },
  {
    credential: 'access_key_2',
    active: 'access_key_2_active',
    lastUsed: 'access_key_2_last_used_date',
    since: 'access_key_2_last_rotated',
  },
];

interface Dated {
  readonly date: Date;
  readonly raw: string;
}

/** One credential as the previous report showed it, judged at the previous run's instant. */
type PreviousSlot =
  | { readonly kind: 'absent' }
  | {
      readonly kind: 'dormant' | 'recent';
      /** The column counted: the last use, or the set/creation date when never used. */
      readonly basis: DateColumn;
      readonly at: Dated;
      /** Whole days from `at` to the previous run's asOf. */
      readonly idleDays: number;
    }
  | { readonly kind: 'unknown'; readonly problems: readonly string[] };

/** One credential as this report shows it. */
interface CurrentSlot {
  readonly lastUsed: Dated | undefined;
  readonly since: Dated | undefined;
  readonly problems: readonly string[];
}

/** What the evidence records for each credential. */
interface CredentialComparison {
  readonly credential: Credential;
  readonly previous: PreviousSlot['kind'];
  readonly previousBasis?: DateColumn;
  readonly previousDate?: string;
  readonly idleDaysAtPreviousRun?: number;
  readonly lastUsed: string | null;
  readonly reactivated: boolean;
  readonly replaced?: true;
  readonly newCredential?: true;
}

interface Context {
  readonly dormantDays: number;
  readonly previousAsOf: string;
  readonly previousInstant: Date;
  readonly evidence: Readonly<Record<string, unknown>>;
}

export const iamUserDormantReactivatedCheck = {
  id: 'iam.user.dormant-reactivated',
  title: 'IAM user credentials dormant for the configured number of days stay unused',
  severity: 'high',
  resourceType: 'AwsIamUser',
  scope: 'global',
  needs: ['iam.credentialReport'],
  frameworks: {
    hipaa: ['164.308(a)(1)(ii)(D)', '164.308(a)(5)(ii)(C)'],
    gdpr: ['Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: "Confirm with the user's owner that the use was expected: CloudTrail shows what the credential did and from where. If it was not, deactivate the access key or remove the console password at once and investigate; if the user is no longer needed, delete it.",
    console:
      'CloudTrail → Event history → filter by User name "<user>"; IAM → Users → <user> → Security credentials',
    cli: 'aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=<user> --start-time <date>; aws iam update-access-key --user-name <user> --access-key-id <access-key-id> --status Inactive',
  },
  evaluateHistory(current, previous, settings, asOf, previousAsOf) {
    // Without an earlier report there is nothing to compare: no verdict (a PASS would claim an
    // assessment that did not happen); the engine records why in coverage.
    if (previous === undefined || previousAsOf === undefined) return [];
    const previousInstant = parseAsOf(previousAsOf);
    if (previousInstant.getTime() >= parseAsOf(asOf).getTime()) {
      throw new RangeError(`previousAsOf ${previousAsOf} is not before asOf ${asOf}`);
    }
    const report = splitCredentialReport(current.data['iam.credentialReport']);
    const earlier = splitCredentialReport(previous.data['iam.credentialReport']);
    const earlierByArn = new Map<string, CredentialReportEntry>();
    for (const entry of earlier.users) if (!earlierByArn.has(entry.arn)) earlierByArn.set(entry.arn, entry);
    const context: Context = {
      dormantDays: settings.iam.dormantDays,
      previousAsOf,
      previousInstant,
      evidence: {
        dormantDays: settings.iam.dormantDays,
        previousAsOf,
        credentialReportGeneratedTime: report.generatedTime,
        previousCredentialReportGeneratedTime: earlier.generatedTime,
      },
    };
    return [
      // `users` never holds the root row: root use is `iam.root.recent-use`'s concern.
      ...report.users.map((entry) => evaluateUser(entry, earlierByArn.get(entry.arn), context)),
      ...report.unattributable.map((row) =>
        unattributableRowResult(row, current.target.accountId, report.generatedTime),
      ),
    ];
  },
} satisfies HistoryCheck<'iam.credentialReport'>;

function evaluateUser(
  entry: CredentialReportEntry,
  before: CredentialReportEntry | undefined,
  context: Context,
): CheckResult {
  const base = { resourceId: entry.arn };
  if (before === undefined || wasRecreated(entry, before)) {
    const recreated = before !== undefined;
    return {
      ...base,
      status: 'PASS',
      message: recreated
        ? `${entry.user} was deleted and created again since the previous run (${context.previousAsOf}): there is no earlier use to compare with.`
        : `${entry.user} did not exist at the previous run (${context.previousAsOf}): there is no earlier use to compare with.`,
      evidence: {
        ...context.evidence,
        newUser: true,
        ...(recreated && {
          user_creation_time: entry.row.user_creation_time ?? null,
          previousUserCreationTime: before.row.user_creation_time ?? null,
        }),
      },
    };
  }

  const problems: string[] = [];
  const previousSlots = SLOTS.map((slot) => readPreviousSlot(before, slot, context));
  const currentSlots = SLOTS.map((slot) => readCurrentSlot(entry, slot));
  let userDormant: boolean | undefined;
  const wholeUserDormant = (): boolean => {
    userDormant ??= isUserDormant(before, previousSlots, context, problems);
    return userDormant;
  };

  const comparisons: CredentialComparison[] = SLOTS.map((slot, i) => {
    const was = previousSlots[i]!;
    const now = currentSlots[i]!;
    problems.push(...now.problems);
    const common = { credential: slot.credential, lastUsed: now.lastUsed?.raw.trim() ?? null };
    switch (was.kind) {
      case 'dormant':
      case 'recent': {
        const reactivated =
          was.kind === 'dormant' &&
          now.lastUsed !== undefined &&
          now.lastUsed.date.getTime() > was.at.date.getTime();
        const replaced =
          now.since !== undefined &&
          previousSince(before, slot)?.getTime() !== now.since.date.getTime() &&
          now.since.date.getTime() > was.at.date.getTime();
        return {
          ...common,
          previous: was.kind,
          previousBasis: was.basis,
          previousDate: was.at.raw.trim(),
          idleDaysAtPreviousRun: was.idleDays,
          reactivated,
          ...(reactivated && replaced && { replaced: true as const }),
        };
      }
      case 'absent': {
        const reactivated = now.lastUsed !== undefined && wholeUserDormant();
        return {
          ...common,
          previous: 'absent',
          reactivated,
          ...(now.lastUsed !== undefined && { newCredential: true as const }),
        };
      }
      default: {
        // What the previous report said cannot be read: only a use now makes that matter.
        if (now.lastUsed !== undefined) problems.push(...was.problems);
        return { ...common, previous: 'unknown', reactivated: false };
      }
    }
  });

  const evidence = {
    ...context.evidence,
    credentials: comparisons,
    ...(problems.length > 0 && { problems }),
  };
  const woke = comparisons.filter((c) => c.reactivated);
  if (woke.length > 0) {
    return {
      ...base,
      status: 'FAIL',
      evidence,
      message: `Dormant credentials of ${entry.user} (unused for ${context.dormantDays} days or more at the previous run, ${context.previousAsOf}) have been used since: ${woke.map((c) => describeWake(c, context.dormantDays)).join('; ')}.`,
    };
  }
  if (problems.length > 0) {
    return {
      ...base,
      status: 'ERROR',
      evidence,
      message: `Cannot compare ${entry.user}'s credentials with the previous run: ${problems.join('; ')}.`,
    };
  }
  return {
    ...base,
    status: 'PASS',
    evidence,
    message: `No credential of ${entry.user} that was unused for ${context.dormantDays} days or more at the previous run (${context.previousAsOf}) has been used since.`,
  };
}

/** Same ARN, different creation time: a new user under an old name. */
function wasRecreated(entry: CredentialReportEntry, before: CredentialReportEntry): boolean {
  const now = readDate(entry.row, 'user_creation_time');
  const then = readDate(before.row, 'user_creation_time');
  return now.kind === 'value' && then.kind === 'value' && now.value.getTime() !== then.value.getTime();
}

function readPreviousSlot(entry: CredentialReportEntry, slot: Slot, context: Context): PreviousSlot {
  const problems: string[] = [];
  const active = readBoolean(entry.row, slot.active);
  if (active.kind !== 'value') {
    const problem = active.kind === 'invalid' ? active.problem : `${active.value} is not a boolean`;
    problems.push(previousProblem(entry, slot.active, problem));
  }
  const lastUsed = readUse(entry, slot, problems, previousProblem);
  let basis: { column: DateColumn; at: Dated } | undefined;
  if (lastUsed !== undefined) basis = { column: slot.lastUsed, at: lastUsed };
  else if (active.kind === 'value' && active.value) {
    const since = readDate(entry.row, slot.since);
    if (since.kind === 'value') basis = { column: slot.since, at: { date: since.value, raw: since.raw } };
    else {
      const problem = since.kind === 'invalid' ? since.problem : `${since.value} where a date was expected`;
      problems.push(previousProblem(entry, slot.since, `${problem} (${slot.lastUsed} is not a date)`));
    }
  }
  if (problems.length > 0) return { kind: 'unknown', problems };
  if (basis === undefined) return { kind: 'absent' };
  const idleMs = context.previousInstant.getTime() - basis.at.date.getTime();
  return {
    kind: idleMs >= context.dormantDays * DAY_MS ? 'dormant' : 'recent',
    basis: basis.column,
    at: basis.at,
    idleDays: ageInDays(basis.at.date, context.previousInstant),
  };
}

function readCurrentSlot(entry: CredentialReportEntry, slot: Slot): CurrentSlot {
  const problems: string[] = [];
  const lastUsed = readUse(entry, slot, problems, describeCellProblem);
  const since = readDate(entry.row, slot.since);
  return {
    lastUsed,
    since: since.kind === 'value' ? { date: since.value, raw: since.raw } : undefined,
    problems,
  };
}

/** The last-use date; `no_information` and `N/A` (never used, no such credential) are none. */
function readUse(
  entry: CredentialReportEntry,
  slot: Slot,
  problems: string[],
  describe: (entry: CredentialReportEntry, column: CredentialReportColumn, problem: string) => string,
): Dated | undefined {
  const cell = readDate(entry.row, slot.lastUsed);
  if (cell.kind === 'value') return { date: cell.value, raw: cell.raw };
  if (cell.kind === 'invalid') problems.push(describe(entry, slot.lastUsed, cell.problem));
  else if (cell.value === 'not_supported') {
    problems.push(describe(entry, slot.lastUsed, 'not_supported on an IAM user row'));
  }
  return undefined;
}

function previousSince(entry: CredentialReportEntry, slot: Slot): Date | undefined {
  const cell = readDate(entry.row, slot.since);
  return cell.kind === 'value' ? cell.value : undefined;
}

/**
 * The whole user was dormant at the previous run: created `dormantDays` or more before it, and
 * none of its credentials used (or set) within `dormantDays`.
 */
function isUserDormant(
  before: CredentialReportEntry,
  slots: readonly PreviousSlot[],
  context: Context,
  problems: string[],
): boolean {
  const created = readDate(before.row, 'user_creation_time');
  if (created.kind !== 'value') {
    const problem =
      created.kind === 'invalid' ? created.problem : `${created.value} where a date was expected`;
    problems.push(previousProblem(before, 'user_creation_time', problem));
    return false;
  }
  if (context.previousInstant.getTime() - created.value.getTime() < context.dormantDays * DAY_MS)
    return false;
  for (const slot of slots) {
    if (slot.kind === 'recent') return false;
    if (slot.kind === 'unknown') {
      problems.push(...slot.problems);
      return false;
    }
  }
  return true;
}

function previousProblem(
  entry: CredentialReportEntry,
  column: CredentialReportColumn,
  problem: string,
): string {
  return `previous ${describeCellProblem(entry, column, problem)}`;
}

function describeWake(c: CredentialComparison, dormantDays: number): string {
  const name = c.credential === 'password' ? 'password' : c.credential.replaceAll('_', ' ');
  if (c.newCredential === true) {
    return `${name}, not in use at the previous run (none, or inactive and never used) while no credential of the user had been used for ${dormantDays} days or more, used ${c.lastUsed}`;
  }
  const before =
    c.previousBasis === 'password_last_changed'
      ? `never used, set ${c.previousDate}`
      : c.previousBasis?.endsWith('_last_rotated') === true
        ? `never used, created ${c.previousDate}`
        : `last used ${c.previousDate}`;
  const replaced = c.replaced === true ? ', since replaced,' : '';
  return `${name}${replaced} ${before} (${c.idleDaysAtPreviousRun} days before the previous run), used again ${c.lastUsed}`;
}
