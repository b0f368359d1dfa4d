/**
 * `custos tickets sync --run <runId> [--dry-run]`: syncs the tracker with a stored run's report
 * and prints what was (or, with --dry-run, would be) created, updated, closed and reopened.
 *
 * Exit codes: 0 the sync ran (some actions may be listed as not done, e.g. a transition the
 * workflow does not offer), 3 the tracker failed or became unavailable (the next sync catches
 * up). Bad input (run id, missing run, tickets config, failed preflight) throws a `CustosError`
 * with exit code 2, which the CLI prints.
 */
import { CustosError, UsageError } from '../core/errors.js';
import type { Report } from '../core/types.js';
import type { ReportStore } from '../reports/store.js';
import type { CheckNeeds } from './assessed.js';
import type { TokenClients } from './credentials.js';
import { chosenSink, createTicketSink, syncOptionsFrom, type TicketsConfig } from './factory.js';
import type { RetryOptions } from './http.js';
import { preflight } from './preflight.js';
import { loadTicketIndex, saveTicketIndex } from './record.js';
import { type PlannedAction, type SyncResult, syncTickets } from './sync.js';
import type { TicketSink } from './types.js';

export const EXIT_SYNC_FAILED = 3;

/** Tickets left alone are listed up to this many; the report has them all. */
const KEPT_LISTED = 20;

export interface TicketsSyncCommandOptions {
  readonly runId: string;
  readonly dryRun?: boolean;
  /** SSM / Secrets Manager clients and the environment, for the token. */
  readonly tokens?: TokenClients;
  /** The collectors each check needs (from the check registry). */
  readonly checkNeeds?: CheckNeeds;
  readonly retry?: RetryOptions;
  readonly now?: () => Date;
  /** A ready sink instead of the configured one. */
  readonly sink?: TicketSink;
}

export async function ticketsSyncCommand(
  store: ReportStore,
  config: TicketsConfig | undefined,
  options: TicketsSyncCommandOptions,
  write: (text: string) => void,
): Promise<number> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(options.runId)) {
    throw new UsageError(`--run: ${JSON.stringify(options.runId)} is not a run id`);
  }
  const reportKey = `runs/${options.runId}/report.json`;
  const body = await store.get(reportKey);
  if (body === undefined) {
    throw new CustosError(
      `no run ${options.runId} in the report store (${store.locate(reportKey)} does not exist)`,
      {
        exitCode: 2,
      },
    );
  }
  let report: Report;
  try {
    report = JSON.parse(body.toString('utf8')) as Report;
  } catch (error) {
    throw new CustosError(`${store.locate(reportKey)} is not valid JSON`, { exitCode: 2, cause: error });
  }

  if (options.sink === undefined && chosenSink(config) === 'none') {
    write('tickets: tickets.sink is "none": nothing to sync.');
    return 0;
  }
  const sink =
    options.sink ??
    (await createTicketSink(config, {
      store,
      ...(options.tokens !== undefined && { tokens: options.tokens }),
      ...(options.retry !== undefined && { retry: options.retry }),
      ...(options.now !== undefined && { now: options.now }),
    }));
  if (sink === undefined) return 0;
  await preflight(sink);

  const record = await loadTicketIndex(store, sink.id);
  const result = await syncTickets(
    report,
    sink,
    {
      ...syncOptionsFrom(config),
      reportPath: store.locate(reportKey),
      runId: options.runId,
      dryRun: options.dryRun === true,
      ...(options.checkNeeds !== undefined && { checkNeeds: options.checkNeeds }),
      ...(options.now !== undefined && { now: options.now }),
    },
    record,
  );
  if (options.dryRun !== true) await saveTicketIndex(store, record);
  write(formatSyncResult(result));
  return result.status === 'failed' ? EXIT_SYNC_FAILED : 0;
}

const VERBS: Readonly<Record<PlannedAction['action'], string>> = {
  create: 'create',
  update: 'update',
  close: 'close',
  reopen: 'reopen',
  'note-decision': 'comment',
  relabel: 'relabel',
};

function describeAction(a: PlannedAction): string {
  const target = a.key === undefined ? a.title : `${a.key} ${a.title}`;
  const items =
    a.items === undefined || a.action === 'create' || a.action === 'reopen'
      ? ''
      : ` (+${a.items.added} −${a.items.removed}, ${a.items.total} now)`;
  return `${VERBS[a.action].padEnd(8)}${target}${items}: ${a.why}`;
}

/** What a sync did or plans, for people. */
export function formatSyncResult(result: SyncResult): string {
  const lines: string[] = [];
  const actions = result.dryRun ? result.planned : result.done;
  const count = (action: PlannedAction['action']) => actions.filter((a) => a.action === action).length;
  const head = result.dryRun ? 'tickets (dry run, nothing written)' : 'tickets';
  const summary = result.dryRun
    ? `${count('create')} to create, ${count('update')} to update, ${count('close')} to close, ` +
      `${count('reopen')} to reopen, ${count('note-decision')} to comment on`
    : `${count('create')} created, ${count('update')} updated, ${count('close')} closed, ` +
      `${count('reopen')} reopened, ${count('note-decision')} commented on`;
  lines.push(`${head}: ${result.target}: ${summary}`);
  for (const action of actions) lines.push(`  ${describeAction(action)}`);
  if (result.overflow.held > 0) {
    lines.push(
      `  ${result.overflow.held} new problem(s) wait in the overflow ticket (at most ${result.overflow.maxNewPerRun} new tickets per run)`,
    );
  }
  for (const kept of result.kept.slice(0, KEPT_LISTED)) lines.push(`  kept    ${kept.key}: ${kept.why}`);
  if (result.kept.length > KEPT_LISTED) {
    lines.push(`  … and ${result.kept.length - KEPT_LISTED} more tickets kept as they are (see the report)`);
  }
  for (const missed of result.notDone)
    lines.push(`  NOT DONE ${VERBS[missed.action]} ${missed.key ?? missed.title}: ${missed.reason}`);
  if (result.status === 'failed')
    lines.push(`tickets: the sync failed: ${result.error ?? 'unknown reason'}; the next sync catches up.`);
  return lines.join('\n');
}
