/**
 * Keeps a tracker in step with a run's findings (TICKETS.md): a ticket for a new problem, left
 * alone while it persists, closed when the problem is fixed, reopened when it regresses; never a
 * duplicate, never a storm, never a person's decision undone.
 *
 * `syncTickets` lists the tracker's custos tickets, plans, and (unless `dryRun`) applies the plan.
 * It never throws for HTTP problems: a tracker that fails or stays unavailable fails the ticket
 * step only, and the result says what was done, what was not, and why. The record is updated in
 * place as each action succeeds; the caller saves it (`saveTicketIndex`) afterwards.
 */
import type { Finding, Report, Severity } from '../core/types.js';
import { SEVERITY_RANK } from '../core/types.js';
import { type CheckNeeds, type IsAssessed, reportAssessment } from './assessed.js';
import {
  closeComment,
  coverageDescription,
  decisionComment,
  overflowDescription,
  type ProblemSummary,
  problemDescription,
  type RunRef,
  reopenComment,
  resourcesChangedComment,
  standingChangedComment,
  standingCloseComment,
  standingReopenComment,
  type TicketItem,
} from './content.js';
import { isTicketSinkError } from './errors.js';
import {
  COVERAGE_FINGERPRINT,
  COVERAGE_TITLE,
  checkAccountFingerprint,
  fingerprintPrefixOf,
  missingLabels,
  OVERFLOW_FINGERPRINT,
  OVERFLOW_TITLE,
  problemTitle,
  type TicketGrouping,
  type TicketKind,
  ticketFingerprintOf,
  ticketLabels,
} from './identity.js';
import type { RecordedAction, TicketIndex, TicketIndexEntry } from './record.js';
import type { NewTicket, SinkKind, SinkTicket, TicketDoc, TicketSink, TransitionOutcome } from './types.js';

export const DEFAULT_MIN_SEVERITY: Severity = 'high';
export const DEFAULT_MAX_NEW_PER_RUN = 25;
export const DEFAULT_GROUPING: TicketGrouping = 'check-account';

export interface SyncOptions {
  /** Tickets are opened for unsuppressed FAIL findings at or above this severity. Default `high`. */
  readonly minSeverity?: Severity;
  /** At most this many tickets are created in one run; the rest wait in the overflow ticket. Default 25. */
  readonly maxNewPerRun?: number;
  /** Default `check-account`. */
  readonly grouping?: TicketGrouping;
  /** Where the run's report is, for people (a path or an s3:// URL). */
  readonly reportPath?: string;
  /** The run named in comments; default the report's. */
  readonly runId?: string;
  /** Plan only: nothing is written to the tracker or the record. */
  readonly dryRun?: boolean;
  /** Whether this run assessed a resource; default: the rule of `reportAssessment`. */
  readonly isAssessed?: IsAssessed;
  /** The collectors each check needs (the registry), for targets that errored in part. */
  readonly checkNeeds?: CheckNeeds;
  readonly now?: () => Date;
}

export type TicketAction = 'create' | 'update' | 'close' | 'reopen' | 'note-decision' | 'relabel';

export interface PlannedAction {
  readonly action: TicketAction;
  readonly ticket: TicketKind;
  readonly fingerprint: string;
  /** The existing ticket; absent on creates. */
  readonly key?: string;
  readonly title: string;
  readonly severity?: Severity;
  readonly checkId?: string;
  readonly accountId?: string;
  /** Resources (or gaps, or held-back problems) the ticket covers after the action. */
  readonly items?: { readonly added: number; readonly removed: number; readonly total: number };
  readonly why: string;
}

export interface DoneAction extends PlannedAction {
  readonly key: string;
  readonly url?: string;
}

export interface NotDoneAction extends PlannedAction {
  readonly reason: string;
}

/** A ticket custos left as it is, and why (not every resource assessed, a person's decision). */
export interface KeptTicket {
  readonly fingerprint: string;
  readonly key: string;
  readonly ticket: TicketKind;
  readonly why: string;
}

/** What the ticket step did; the run's report carries it. No secrets, no evidence. */
export interface SyncResult {
  readonly sink: SinkKind;
  readonly target: string;
  readonly runId: string;
  readonly dryRun: boolean;
  /** `failed`: the tracker could not be listed or became unavailable; `partial`: some actions not done. */
  readonly status: 'ok' | 'partial' | 'failed';
  readonly error?: string;
  readonly planned: readonly PlannedAction[];
  readonly done: readonly DoneAction[];
  readonly notDone: readonly NotDoneAction[];
  readonly kept: readonly KeptTicket[];
  /** New problems the storm guard held back in the overflow ticket. */
  readonly overflow: { readonly held: number; readonly maxNewPerRun: number };
}

// ---------------------------------------------------------------- internal model

interface Subject {
  readonly kind: TicketKind;
  readonly fingerprint: string;
  readonly checkId?: string;
  readonly accountId?: string;
  readonly severity?: Severity;
  /** What fails (or is missing, or waits) now. */
  readonly current: TicketItem[];
  /** Whether a ticket may be opened for `current`. */
  readonly eligible: boolean;
  /** Whether an item the ticket covered, no longer current, is settled (assessed) in this run. */
  readonly settled: (item: TicketItem) => boolean;
  /** Marks a settled item for people (a suppressed finding is not a fixed one). */
  readonly annotate?: (item: TicketItem) => TicketItem;
  /** With no record of what the ticket covered and nothing current: whether it may close. */
  readonly closableWithoutRecord: () => boolean;
  readonly newTicket: (items: readonly TicketItem[]) => NewTicket;
  readonly changedComment: (
    added: TicketItem[],
    removed: TicketItem[],
    total: number,
    kept: number,
  ) => TicketDoc;
  readonly closeComment: (resolved: TicketItem[]) => TicketDoc;
  readonly reopenComment: (items: readonly TicketItem[], custosClosedIt: boolean) => TicketDoc;
}

interface Step {
  readonly planned: PlannedAction;
  readonly apply: () => Promise<{ outcome: TransitionOutcome; ticket?: SinkTicket }>;
  /** Record update once the action is done. */
  readonly record: (ticket: SinkTicket | undefined) => void;
}

interface ProblemGroup {
  readonly fingerprint: string;
  readonly summary: ProblemSummary;
  readonly items: TicketItem[];
  eligible: boolean;
}

const key = (...parts: string[]): string => parts.join('\u001f');

export async function syncTickets(
  report: Report,
  sink: TicketSink,
  options: SyncOptions,
  record: TicketIndex,
): Promise<SyncResult> {
  const minSeverity = options.minSeverity ?? DEFAULT_MIN_SEVERITY;
  const maxNewPerRun = options.maxNewPerRun ?? DEFAULT_MAX_NEW_PER_RUN;
  const grouping = options.grouping ?? DEFAULT_GROUPING;
  const dryRun = options.dryRun === true;
  const now = options.now ?? (() => new Date());
  const run: RunRef = {
    runId: options.runId ?? report.runId,
    ...(options.reportPath !== undefined && { reportPath: options.reportPath }),
  };
  const assessment = reportAssessment(report, options.checkNeeds);
  const isAssessed = options.isAssessed ?? assessment.isAssessed;
  const atOrAbove = (s: Severity): boolean => SEVERITY_RANK[s] >= SEVERITY_RANK[minSeverity];

  const planned: PlannedAction[] = [];
  const done: DoneAction[] = [];
  const notDone: NotDoneAction[] = [];
  const kept: KeptTicket[] = [];
  let held = 0;
  const result = (status: SyncResult['status'], error?: string): SyncResult => ({
    sink: sink.kind,
    target: sink.describe,
    runId: run.runId,
    dryRun,
    status,
    ...(error !== undefined && { error }),
    planned,
    done,
    notDone,
    kept,
    overflow: { held, maxNewPerRun },
  });

  // ------------------------------------------------ what the report says

  const groups = problemGroups(report.findings, grouping, atOrAbove);
  const identities = ticketIdentities(report, grouping);
  const findingByFingerprint = new Map(report.findings.map((f) => [f.fingerprint, f]));
  const gaps = coverageGaps(report.findings, atOrAbove);

  // ------------------------------------------------ what the tracker says

  const steps: Step[] = [];
  const createSteps: Array<{ subject: Subject; step: Step }> = [];
  const touch = (fingerprint: string, update: (entry: TicketIndexEntry) => TicketIndexEntry): void => {
    const entry = record.tickets[fingerprint];
    if (entry !== undefined) record.tickets[fingerprint] = update(entry);
  };
  const stamp = (action: RecordedAction) => ({
    lastAction: action,
    lastActionAt: now().toISOString(),
    lastRunId: run.runId,
  });

  let listed: SinkTicket[];
  const lookups = new Map<string, SinkTicket | undefined>();
  let whoami: string | undefined | null = null;
  try {
    listed = await sink.list(knownIds(record));
  } catch (error) {
    if (!isTicketSinkError(error)) throw error;
    return result('failed', `listing the custos tickets failed: ${error.message}`);
  }
  const byKey = new Map(listed.map((t) => [t.key, t]));

  // Every fingerprint custos could mean, to read a ticket whose only identity is its label.
  const knownFingerprints = new Set<string>([
    ...groups.keys(),
    ...Object.keys(record.tickets),
    ...identities.keys(),
    ...(grouping === 'finding' ? findingByFingerprint.keys() : []),
    COVERAGE_FINGERPRINT,
    OVERFLOW_FINGERPRINT,
  ]);
  const byPrefix = new Map<string, string>();
  for (const fp of knownFingerprints) byPrefix.set(fp.slice(0, 20), fp);
  const fingerprintOf = (ticket: SinkTicket): string | undefined => {
    if (ticket.fingerprint !== undefined) return ticket.fingerprint;
    for (const label of ticket.labels) {
      const prefix = fingerprintPrefixOf(label);
      const fp = prefix === undefined ? undefined : byPrefix.get(prefix);
      if (fp !== undefined) return fp;
    }
    return undefined;
  };
  const candidates = new Map<string, SinkTicket[]>();
  for (const ticket of listed) {
    const fp = fingerprintOf(ticket);
    if (fp === undefined) continue;
    const list = candidates.get(fp) ?? [];
    list.push(ticket);
    candidates.set(fp, list);
  }

  /** The record first, then the label; open tickets before closed ones. */
  const findTicket = async (fp: string): Promise<SinkTicket | undefined> => {
    const entry = record.tickets[fp];
    if (entry !== undefined) {
      let ticket = byKey.get(entry.key);
      if (ticket === undefined) {
        if (!lookups.has(entry.key)) lookups.set(entry.key, await sink.get(entry.key));
        ticket = lookups.get(entry.key);
      }
      if (ticket !== undefined && (ticket.fingerprint === undefined || ticket.fingerprint === fp))
        return ticket;
    }
    const found = candidates.get(fp) ?? [];
    return found.find((t) => t.state === 'open') ?? found[0];
  };

  const closedByCustos = async (fp: string, ticket: SinkTicket): Promise<boolean> => {
    if (record.tickets[fp]?.closedByCustos === true) return true;
    if (whoami === null) whoami = await sink.whoami();
    if (whoami === undefined) return false;
    return (await sink.closedBy(ticket)) === whoami;
  };

  // ------------------------------------------------ subjects

  const problemSubject = (fp: string): Subject => {
    const group = groups.get(fp);
    const entry = record.tickets[fp];
    const identity = group?.summary ?? identities.get(fp) ?? identityFromEntry(entry);
    return {
      kind: 'finding',
      fingerprint: fp,
      ...(identity?.checkId !== undefined && { checkId: identity.checkId }),
      ...(identity?.accountId !== undefined && { accountId: identity.accountId }),
      ...(group !== undefined && { severity: group.summary.severity }),
      current: group?.items ?? [],
      eligible: group?.eligible === true,
      settled: (item) => {
        if (item.checkId === undefined || item.accountId === undefined || item.region === undefined)
          return false;
        // Failing, but no longer on this ticket (the grouping changed): not fixed, so not settled.
        const now = findingByFingerprint.get(item.key);
        if (now?.status === 'FAIL' && now.suppressed === undefined) return false;
        return isAssessed({
          checkId: item.checkId,
          accountId: item.accountId,
          region: item.region,
          ...(item.resourceId !== undefined && { resourceId: item.resourceId }),
          fingerprint: item.key,
        });
      },
      annotate: (item) =>
        findingByFingerprint.get(item.key)?.suppressed !== undefined ? { ...item, suppressed: true } : item,
      closableWithoutRecord: () => {
        if (grouping === 'finding') return findingByFingerprint.get(fp)?.status === 'PASS';
        return identity !== undefined && assessment.wholeCheckAssessed(identity.checkId, identity.accountId);
      },
      newTicket: (items) => {
        const summary = group!.summary;
        return {
          fingerprint: fp,
          title: problemTitle(summary.severity, summary.checkTitle, summary.accountId, items.length),
          labels: ticketLabels(fp, 'finding'),
          description: problemDescription(summary, items, run),
          severity: summary.severity,
          checkId: summary.checkId,
          accountId: summary.accountId,
        };
      },
      changedComment: (added, removed, total, notAssessed) =>
        resourcesChangedComment(run, { added, removed, failing: total - notAssessed, notAssessed }),
      closeComment: (resolved) => closeComment(run, resolved),
      reopenComment: (items, custosClosedIt) =>
        reopenComment(run, items, custosClosedIt ? 'regressed' : 'closed-while-failing'),
    };
  };

  const inRunScope = scopeTest(report);
  const standingSubject = (kind: 'coverage' | 'overflow', current: TicketItem[]): Subject => ({
    kind,
    fingerprint: kind === 'coverage' ? COVERAGE_FINGERPRINT : OVERFLOW_FINGERPRINT,
    current,
    eligible: current.length > 0,
    // A gap outside this run's scope was not looked at again; a held-back problem no longer
    // held back has its ticket now or no longer fails.
    settled: (item) =>
      kind === 'overflow' ||
      item.checkId === undefined ||
      item.accountId === undefined ||
      item.region === undefined ||
      inRunScope(item.checkId, item.accountId, item.region),
    closableWithoutRecord: () => true,
    newTicket: (items) => ({
      fingerprint: kind === 'coverage' ? COVERAGE_FINGERPRINT : OVERFLOW_FINGERPRINT,
      title: kind === 'coverage' ? COVERAGE_TITLE : OVERFLOW_TITLE,
      labels: ticketLabels(kind === 'coverage' ? COVERAGE_FINGERPRINT : OVERFLOW_FINGERPRINT, kind),
      description:
        kind === 'coverage' ? coverageDescription(items, run) : overflowDescription(items, maxNewPerRun, run),
    }),
    changedComment: (added, removed, total) => standingChangedComment(run, kind, added, removed, total),
    closeComment: () => standingCloseComment(run, kind),
    reopenComment: (items) => standingReopenComment(run, kind, items),
  });

  // ------------------------------------------------ planning one ticket

  const planSubject = async (subject: Subject): Promise<void> => {
    const fp = subject.fingerprint;
    const ticket = await findTicket(fp);
    // A record entry about another ticket than the one found (the label is the truth) is stale.
    const recorded = record.tickets[fp];
    const entry =
      recorded !== undefined && (ticket === undefined || recorded.key === ticket.key) ? recorded : undefined;
    const base = {
      ticket: subject.kind,
      fingerprint: fp,
      ...(subject.severity !== undefined && { severity: subject.severity }),
      ...(subject.checkId !== undefined && { checkId: subject.checkId }),
      ...(subject.accountId !== undefined && { accountId: subject.accountId }),
    };
    const currentKeys = new Set(subject.current.map((i) => i.key));
    const previous = entry?.items;
    let next: TicketItem[] | undefined;
    let added: TicketItem[] = [];
    const resolved: TicketItem[] = [];
    const notAssessed: TicketItem[] = [];
    if (previous !== undefined) {
      const previousKeys = new Set(previous.map((i) => i.key));
      added = subject.current.filter((i) => !previousKeys.has(i.key));
      for (const item of previous) {
        if (currentKeys.has(item.key)) continue;
        if (subject.settled(item)) resolved.push(subject.annotate?.(item) ?? item);
        else notAssessed.push(item);
      }
      next = [...subject.current, ...notAssessed];
    } else if (subject.current.length > 0) {
      next = subject.current;
    } else if (ticket !== undefined && subject.closableWithoutRecord()) {
      next = [];
    }

    if (ticket === undefined) {
      if (entry !== undefined && !dryRun) delete record.tickets[fp];
      if (subject.current.length === 0 || !subject.eligible) return;
      const items = subject.current;
      const draft = subject.newTicket(items);
      const step: Step = {
        planned: {
          ...base,
          action: 'create',
          title: draft.title,
          items: { added: items.length, removed: 0, total: items.length },
          why: subject.kind === 'finding' ? 'a new problem with no ticket' : `${subject.kind} ticket needed`,
        },
        apply: async () => ({ outcome: { done: true }, ticket: await sink.create(draft) }),
        record: (created) => {
          if (created === undefined) return;
          record.tickets[fp] = {
            key: created.key,
            id: created.id,
            ...(created.url !== undefined && { url: created.url }),
            kind: subject.kind,
            ...(subject.checkId !== undefined && { checkId: subject.checkId }),
            ...(subject.accountId !== undefined && { accountId: subject.accountId }),
            items,
            ...stamp('created'),
            closedByCustos: false,
            decisionNoted: false,
          };
        },
      };
      if (subject.kind === 'finding') createSteps.push({ subject, step });
      else steps.push(step);
      return;
    }

    // The ticket exists: remember it, and put back the labels a person removed.
    if (!dryRun && entry === undefined) {
      record.tickets[fp] = {
        key: ticket.key,
        id: ticket.id,
        ...(ticket.url !== undefined && { url: ticket.url }),
        kind: subject.kind,
        ...(subject.checkId !== undefined && { checkId: subject.checkId }),
        ...(subject.accountId !== undefined && { accountId: subject.accountId }),
        ...(next !== undefined && ticket.state === 'open' && { items: next }),
        ...stamp('found'),
        closedByCustos: false,
        decisionNoted: false,
      };
    }
    const ref = { ...base, key: ticket.key, title: ticket.title };
    const missing = missingLabels(ticket.labels, ticketLabels(fp, subject.kind));
    if (missing.length > 0) {
      steps.push({
        planned: {
          ...ref,
          action: 'relabel',
          why: `put back the label${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`,
        },
        apply: async () => {
          await sink.addLabels(ticket, missing);
          return { outcome: { done: true } };
        },
        record: () => touch(fp, (e) => ({ ...e, ...(e.lastAction === 'found' ? stamp('labelled') : {}) })),
      });
    }

    if (ticket.state === 'open') {
      // Open now: whatever custos or a person did before, a later close is judged afresh.
      if (!dryRun) touch(fp, (e) => ({ ...e, closedByCustos: false, decisionNoted: false }));
      const counts = (items: readonly TicketItem[]) => ({
        added: added.length,
        removed: resolved.length,
        total: items.length,
      });
      if (next !== undefined && next.length === 0) {
        steps.push({
          planned: {
            ...ref,
            action: 'close',
            items: counts([]),
            why:
              subject.kind === 'finding'
                ? 'this run assessed every resource and none fails'
                : subject.kind === 'coverage'
                  ? 'this run has no coverage gaps'
                  : 'no new problem waits for a ticket',
          },
          apply: async () => ({ outcome: await sink.close(ticket, subject.closeComment(resolved)) }),
          record: () => touch(fp, (e) => ({ ...e, items: [], ...stamp('closed'), closedByCustos: true })),
        });
        return;
      }
      if (next === undefined) {
        kept.push({
          fingerprint: fp,
          key: ticket.key,
          ticket: subject.kind,
          why: 'nothing fails now, but custos has no record of every resource and this run did not assess the whole check',
        });
        return;
      }
      if (notAssessed.length > 0) {
        kept.push({
          fingerprint: fp,
          key: ticket.key,
          ticket: subject.kind,
          why: `${notAssessed.length} resource${notAssessed.length === 1 ? '' : 's'} not assessed in this run stay on the ticket`,
        });
      }
      if (previous !== undefined && (added.length > 0 || resolved.length > 0)) {
        const items = next;
        steps.push({
          planned: {
            ...ref,
            action: 'update',
            items: counts(items),
            why: 'resources added or removed',
          },
          apply: async () => {
            await sink.comment(
              ticket,
              subject.changedComment(added, resolved, items.length, notAssessed.length),
            );
            return { outcome: { done: true } };
          },
          record: () => touch(fp, (e) => ({ ...e, items, ...stamp('updated') })),
        });
      } else if (!dryRun && next !== undefined) {
        const items = next;
        touch(fp, (e) => ({ ...e, items }));
      }
      return;
    }

    // Closed.
    if (subject.current.length === 0) return;
    const custos = ticket.closeKind === 'decision' ? false : await closedByCustos(fp, ticket);
    const decision = ticket.closeKind === 'decision' || (ticket.closeKind !== 'done' && !custos);
    if (decision) {
      const how = ticket.resolution !== undefined ? `as "${ticket.resolution}"` : 'without a resolution';
      if (entry?.decisionNoted === true) {
        kept.push({
          fingerprint: fp,
          key: ticket.key,
          ticket: subject.kind,
          why: `closed by a person ${how}: their decision stands (already noted)`,
        });
        return;
      }
      steps.push({
        planned: {
          ...ref,
          action: 'note-decision',
          why: `closed by a person ${how} while it still fails: their decision stands`,
        },
        apply: async () => {
          await sink.comment(ticket, decisionComment(run, ticket.resolution, subject.current.length));
          return { outcome: { done: true } };
        },
        record: () => touch(fp, (e) => ({ ...e, ...stamp('commented'), decisionNoted: true })),
      });
      return;
    }
    const items = subject.current;
    steps.push({
      planned: {
        ...ref,
        action: 'reopen',
        items: { added: items.length, removed: 0, total: items.length },
        why: custos ? 'custos closed it and it fails again' : 'closed as done while it still fails',
      },
      apply: async () => ({
        outcome: await sink.reopen(ticket, subject.reopenComment(items, custos)),
      }),
      record: () =>
        touch(fp, (e) => ({
          ...e,
          items,
          ...stamp('reopened'),
          closedByCustos: false,
          decisionNoted: false,
        })),
    });
  };

  // ------------------------------------------------ plan

  try {
    const problemFingerprints = new Set<string>([...groups.keys()]);
    for (const [fp, entry] of Object.entries(record.tickets))
      if (entry.kind === 'finding') problemFingerprints.add(fp);
    for (const fp of candidates.keys()) {
      if (fp !== COVERAGE_FINGERPRINT && fp !== OVERFLOW_FINGERPRINT) problemFingerprints.add(fp);
    }
    for (const fp of [...problemFingerprints].sort()) await planSubject(problemSubject(fp));

    // The storm guard: the most severe, widest problems first; the rest wait in the overflow ticket.
    createSteps.sort(
      (a, b) =>
        SEVERITY_RANK[b.subject.severity ?? 'info'] - SEVERITY_RANK[a.subject.severity ?? 'info'] ||
        b.subject.current.length - a.subject.current.length ||
        (a.subject.checkId ?? '').localeCompare(b.subject.checkId ?? '') ||
        (a.subject.accountId ?? '').localeCompare(b.subject.accountId ?? ''),
    );
    const limit = Math.max(0, maxNewPerRun);
    const waiting = createSteps.slice(limit).map(({ subject }) => overflowItem(subject));
    held = waiting.length;
    steps.push(...createSteps.slice(0, limit).map(({ step }) => step));
    await planSubject(standingSubject('overflow', waiting));
    await planSubject(standingSubject('coverage', gaps));
  } catch (error) {
    if (!isTicketSinkError(error)) throw error;
    return result('failed', `reading the custos tickets failed: ${error.message}`);
  }

  // Relabel first (the label is the truth), then the existing tickets, then creates.
  const order: Record<TicketAction, number> = {
    relabel: 0,
    reopen: 1,
    update: 2,
    close: 3,
    'note-decision': 4,
    create: 5,
  };
  const standing = (s: Step) => (s.planned.ticket === 'finding' ? 0 : 1);
  steps.sort((a, b) => standing(a) - standing(b) || order[a.planned.action] - order[b.planned.action]);
  planned.push(...steps.map((s) => s.planned));
  if (dryRun) return result('ok');

  // ------------------------------------------------ apply

  let unavailable: string | undefined;
  for (const step of steps) {
    if (unavailable !== undefined) {
      notDone.push({ ...step.planned, reason: `not attempted: ${unavailable}` });
      continue;
    }
    try {
      const { outcome, ticket } = await step.apply();
      if (!outcome.done) {
        notDone.push({ ...step.planned, reason: outcome.reason });
        continue;
      }
      step.record(ticket);
      const doneKey = ticket?.key ?? step.planned.key ?? '';
      const url =
        ticket?.url ??
        (step.planned.key !== undefined ? record.tickets[step.planned.fingerprint]?.url : undefined);
      done.push({ ...step.planned, key: doneKey, ...(url !== undefined && { url }) });
    } catch (error) {
      if (!isTicketSinkError(error)) throw error;
      notDone.push({ ...step.planned, reason: error.message });
      // Unavailable, or the credentials stopped working: every further call would fail the same way.
      if (error.unavailable || error.status === 401)
        unavailable = `${sink.describe} is unavailable (${error.message})`;
    }
  }
  record.updatedAt = now().toISOString();
  if (unavailable !== undefined) return result('failed', unavailable);
  return result(notDone.length > 0 ? 'partial' : 'ok');
}

// ---------------------------------------------------------------- reading the report

function itemOf(f: Finding): TicketItem {
  return {
    key: f.fingerprint,
    text: `${f.resourceId} (${f.region})`,
    checkId: f.checkId,
    accountId: f.accountId,
    region: f.region,
    resourceId: f.resourceId,
  };
}

/** Unsuppressed FAIL findings by ticket fingerprint; `eligible` when one is severe enough for a new ticket. */
function problemGroups(
  findings: readonly Finding[],
  grouping: TicketGrouping,
  atOrAbove: (s: Severity) => boolean,
): Map<string, ProblemGroup> {
  const groups = new Map<string, ProblemGroup>();
  for (const f of findings) {
    if (f.status !== 'FAIL' || f.suppressed !== undefined) continue;
    const fp = ticketFingerprintOf(f, grouping);
    let group = groups.get(fp);
    if (group === undefined) {
      group = {
        fingerprint: fp,
        summary: {
          checkId: f.checkId,
          accountId: f.accountId,
          severity: f.severity,
          checkTitle: f.title,
          remediation: f.remediation,
          frameworks: f.frameworks,
        },
        items: [],
        eligible: false,
      };
      groups.set(fp, group);
    }
    if (!group.items.some((i) => i.key === f.fingerprint)) group.items.push(itemOf(f));
    if (atOrAbove(f.severity)) group.eligible = true;
  }
  for (const group of groups.values()) {
    group.items.sort(
      (a, b) =>
        (a.region ?? '').localeCompare(b.region ?? '') ||
        (a.resourceId ?? '').localeCompare(b.resourceId ?? ''),
    );
  }
  return groups;
}

/** Ticket fingerprint → check and account, for every pair this run could have a ticket for. */
function ticketIdentities(
  report: Report,
  grouping: TicketGrouping,
): Map<string, { readonly checkId: string; readonly accountId: string }> {
  const out = new Map<string, { checkId: string; accountId: string }>();
  if (grouping === 'finding') {
    for (const f of report.findings) out.set(f.fingerprint, { checkId: f.checkId, accountId: f.accountId });
    return out;
  }
  const checks = new Set([...report.scope.checks, ...report.findings.map((f) => f.checkId)]);
  const accounts = new Set([...report.scope.accounts, ...report.findings.map((f) => f.accountId)]);
  for (const checkId of checks) {
    for (const accountId of accounts)
      out.set(checkAccountFingerprint(checkId, accountId), { checkId, accountId });
  }
  return out;
}

function identityFromEntry(
  entry: TicketIndexEntry | undefined,
): { checkId: string; accountId: string } | undefined {
  return entry?.checkId !== undefined && entry.accountId !== undefined
    ? { checkId: entry.checkId, accountId: entry.accountId }
    : undefined;
}

/**
 * What the run could not assess, at or above `minSeverity`: one item per account, region and
 * check, naming the error's kind and code (short identifiers; never the message or evidence).
 */
function coverageGaps(findings: readonly Finding[], atOrAbove: (s: Severity) => boolean): TicketItem[] {
  const gaps = new Map<string, { f: Finding; count: number; causes: Set<string> }>();
  for (const f of findings) {
    if (f.status !== 'ERROR' || f.suppressed !== undefined || !atOrAbove(f.severity)) continue;
    const k = key(f.accountId, f.region, f.checkId);
    const gap = gaps.get(k) ?? { f, count: 0, causes: new Set<string>() };
    gap.count += 1;
    const cause = errorCause(f);
    if (cause !== undefined) gap.causes.add(cause);
    gaps.set(k, gap);
  }
  return [...gaps.values()]
    .map(({ f, count, causes }) => {
      const region = f.region === '*' ? 'every region' : f.region;
      const what =
        f.resourceType === 'AwsScope' || f.resourceId.endsWith(':*')
          ? ''
          : ` (${count} ${count === 1 ? 'resource' : 'resources'})`;
      const why = causes.size > 0 ? `: ${[...causes].sort().join(', ')}` : '';
      return {
        key: `gap:${f.accountId}/${f.region}/${f.checkId}`,
        text: `account ${f.accountId} · ${region} · ${f.checkId}${what}${why}`,
        checkId: f.checkId,
        accountId: f.accountId,
        region: f.region,
      };
    })
    .sort((a, b) => a.key.localeCompare(b.key));
}

function errorCause(f: Finding): string | undefined {
  const kind = f.evidence.kind;
  const code = f.evidence.code;
  const safe = (v: unknown): v is string => typeof v === 'string' && /^[\w.:-]{1,64}$/.test(v);
  if (safe(kind) && safe(code)) return `${kind} (${code})`;
  if (safe(kind)) return kind;
  if (safe(code)) return code;
  return undefined;
}

function overflowItem(subject: Subject): TicketItem {
  const n = subject.current.length;
  return {
    key: subject.fingerprint,
    text: `${(subject.severity ?? 'info').toUpperCase()} ${subject.checkId ?? '?'} — account ${subject.accountId ?? '?'} (${n} ${n === 1 ? 'resource' : 'resources'})`,
    ...(subject.checkId !== undefined && { checkId: subject.checkId }),
    ...(subject.accountId !== undefined && { accountId: subject.accountId }),
  };
}

/** Whether a scope (check, account, region) was part of what this run set out to assess. */
function scopeTest(report: Report): (checkId: string, accountId: string, region: string) => boolean {
  const checks = new Set(report.scope.checks);
  const accounts = new Set(report.scope.accounts);
  const regions = report.scope.regions === 'all' ? undefined : new Set(report.scope.regions);
  return (checkId, accountId, region) =>
    checks.has(checkId) &&
    accounts.has(accountId) &&
    (region === 'global' || region === '*' || regions === undefined || regions.has(region));
}

/** The ids the record knows, most recently touched first (Jira reconciles at most 50). */
function knownIds(record: TicketIndex): string[] {
  return Object.values(record.tickets)
    .sort((a, b) => b.lastActionAt.localeCompare(a.lastActionAt))
    .map((e) => e.id);
}
