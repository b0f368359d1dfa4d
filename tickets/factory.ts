/**
 * From the `tickets` config section to a sink: which tracker, its token, its options.
 */
import type { ParsedConfig } from '../core/config/schema.js';
import type { ReportStore } from '../reports/store.js';
import { resolveToken, type TokenClients } from './credentials.js';
import { TicketPreflightError } from './errors.js';
import type { RetryOptions } from './http.js';
import { LocalTicketSink } from './local.js';
import type { SyncOptions } from './sync.js';
import type { TicketSink } from './types.js';

/** The `tickets` section of the config file, as the schema parses it. */
export type TicketsConfig = NonNullable<ParsedConfig['tickets']>;

export type SinkChoice = 'local' | 'jira' | 'github' | 'none';

/**
 * The sink the config asks for: `sink` when set; otherwise the one tracker configured (a `jira`
 * or a `github` section alone), or the local sink when there is none.
 */
export function chosenSink(config: TicketsConfig | undefined): SinkChoice {
  if (config?.sink !== undefined) return config.sink;
  const jira = config?.jira !== undefined;
  const github = config?.github !== undefined;
  if (jira && github) {
    throw new TicketPreflightError(
      'tickets: both "jira" and "github" are configured: set tickets.sink to choose one',
    );
  }
  return jira ? 'jira' : github ? 'github' : 'local';
}

/** What `syncTickets` takes from the config. */
export function syncOptionsFrom(
  config: TicketsConfig | undefined,
): Pick<SyncOptions, 'minSeverity' | 'maxNewPerRun' | 'grouping'> {
  return {
    ...(config?.minSeverity !== undefined && { minSeverity: config.minSeverity }),
    ...(config?.maxNewPerRun !== undefined && { maxNewPerRun: config.maxNewPerRun }),
    ...(config?.grouping !== undefined && { grouping: config.grouping }),
  };
}

export interface SinkDependencies {
  /** The report store: the local sink's home. */
  readonly store: ReportStore;
  /** SSM and Secrets Manager clients, and the environment, for tokens. */
  readonly tokens?: TokenClients;
  /** Rate-limit waits (tests inject the sleep and the clock). */
  readonly retry?: RetryOptions;
  readonly now?: () => Date;
}

/** The configured sink, or undefined for `sink: "none"`. Throws `TicketPreflightError` (exit 2) on bad settings. */
export async function createTicketSink(
  config: TicketsConfig | undefined,
  deps: SinkDependencies,
): Promise<TicketSink | undefined> {
  const choice = chosenSink(config);
  switch (choice) {
    case 'none':
      return undefined;
    case 'local':
      return new LocalTicketSink(deps.store, deps.now !== undefined ? { now: deps.now } : {});
    case 'jira': {
      const jira = config?.jira;
      if (jira === undefined)
        throw new TicketPreflightError('tickets.jira: required when tickets.sink is "jira"');
      const token = await resolveToken(jira.token, deps.tokens, 'tickets.jira.token');
      // A tracker's client is loaded only when that tracker is configured.
      const { JiraTicketSink } = await import('./jira.js');
      return new JiraTicketSink({
        baseUrl: jira.baseUrl,
        projectKey: jira.projectKey,
        ...(jira.issueType !== undefined && { issueType: jira.issueType }),
        email: jira.email,
        token,
        ...(jira.priorities !== undefined && { priorities: jira.priorities }),
        ...(deps.retry !== undefined && { retry: deps.retry }),
      });
    }
    case 'github': {
      const github = config?.github;
      if (github === undefined)
        throw new TicketPreflightError('tickets.github: required when tickets.sink is "github"');
      const token = await resolveToken(github.token, deps.tokens, 'tickets.github.token');
      const { GithubTicketSink } = await import('./github.js');
      return new GithubTicketSink({
        repo: github.repo,
        token,
        ...(github.baseUrl !== undefined && { baseUrl: github.baseUrl }),
        ...(github.allowPublic !== undefined && { allowPublic: github.allowPublic }),
        ...(deps.retry !== undefined && { retry: deps.retry }),
      });
    }
  }
}
