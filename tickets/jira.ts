/**
 * Jira Cloud, REST API v3, through jira.js (`Version3Client`).
 *
 * - Listing: `POST /rest/api/3/search/jql` with `project = KEY AND labels = custos`, every page
 *   by `nextPageToken`, `reconcileIssues` = the ids the record knows (the search index lags).
 * - Open or closed by `fields.status.statusCategory.key`, never by a status name.
 * - Close: the transition whose `to.statusCategory.key` is `done` (resolution Done, or Fixed,
 *   where the screen has the field); reopen: one to `new`, else `indeterminate`. A workflow that
 *   offers neither from the current status is reported, not walked.
 * - The full fingerprint lives in the issue property `custos`: `{ fingerprint, checkId, accountId }`.
 */
import { Version3Client } from 'jira.js';
import type { Severity } from '../core/types.js';
import { toAdf } from './content.js';
import { isTicketSinkError, preflightProblem, Redactor, TicketPreflightError } from './errors.js';
import { checkBaseUrl, type HttpFailure, normalizeHeaders, type RetryOptions, withRetries } from './http.js';
import { CUSTOS_LABEL, JIRA_PROPERTY_KEY } from './identity.js';
import type { CloseKind, NewTicket, SinkTicket, TicketDoc, TicketSink, TransitionOutcome } from './types.js';

export interface JiraSinkOptions {
  /** The site, e.g. `https://example.atlassian.net`. */
  readonly baseUrl: string;
  readonly projectKey: string;
  /** Issue type name or id; default `Task`. */
  readonly issueType?: string;
  readonly email: string;
  readonly token: string;
  /** Jira priority name per severity. */
  readonly priorities?: Partial<Record<Severity, string>>;
  readonly retry?: RetryOptions;
  /** Issues per search page (Jira caps it at 100 when properties are requested). */
  readonly pageSize?: number;
  /** Per-request timeout. */
  readonly timeoutMs?: number;
}

const FIELDS = ['summary', 'labels', 'status', 'resolution'];
/** Jira reconciles at most 50 issue ids per search. */
const MAX_RECONCILE = 50;

interface JiraIssue {
  readonly id: string;
  readonly key: string;
  readonly fields?: {
    readonly summary?: string;
    readonly labels?: string[];
    readonly status?: { readonly name?: string; readonly statusCategory?: { readonly key?: string } };
    readonly resolution?: { readonly name?: string } | null;
  };
  readonly properties?: Record<string, unknown>;
}

interface JiraSearchPage {
  readonly issues?: JiraIssue[];
  readonly nextPageToken?: string | null;
  readonly isLast?: boolean;
}

interface JiraTransition {
  readonly id: string;
  readonly name?: string;
  readonly isAvailable?: boolean;
  readonly to?: { readonly name?: string; readonly statusCategory?: { readonly key?: string } };
  readonly fields?: Record<
    string,
    {
      readonly required?: boolean;
      readonly allowedValues?: Array<{ readonly id?: string; readonly name?: string }>;
    }
  >;
}

interface JiraChangelogPage {
  readonly values?: Array<{
    readonly author?: { readonly accountId?: string };
    readonly created?: string;
    readonly items?: Array<{ readonly field?: string; readonly fieldId?: string }>;
  }>;
  readonly isLast?: boolean;
  readonly total?: number;
  readonly startAt?: number;
  readonly maxResults?: number;
}

interface JiraProject {
  readonly id?: string;
  readonly key?: string;
  readonly issueTypes?: Array<{ readonly id?: string; readonly name?: string }>;
}

/** The resolutions that mean "done"; any other is a person's decision. */
export function jiraCloseKind(resolution: string | undefined): CloseKind {
  if (resolution === undefined || resolution.trim() === '') return 'unspecified';
  return /^(done|fixed)$/i.test(resolution.trim()) ? 'done' : 'decision';
}

/** Reads a jira.js failure as the retry rules see it; undefined for anything else. */
export function jiraFailure(error: unknown): HttpFailure | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as {
    name?: string;
    isAxiosError?: boolean;
    code?: string;
    message?: string;
    status?: number;
    response?: { data?: unknown; status?: number } | string;
    cause?: { response?: { headers?: unknown; data?: unknown } };
  };
  if (e.isAxiosError === true && (typeof e.response !== 'object' || e.response === null)) {
    return { headers: {}, message: e.code ?? 'network error' };
  }
  if (e.name !== 'HttpException' || typeof e.status !== 'number') return undefined;
  const data = typeof e.response === 'object' && e.response !== null ? e.response.data : undefined;
  return {
    status: e.status,
    headers: normalizeHeaders(e.cause?.response?.headers),
    message: jiraErrorMessage(data ?? e.cause?.response?.data),
  };
}

/** `{ errorMessages: [...], errors: { field: message } }`, Jira's error body, as one line. */
export function jiraErrorMessage(data: unknown): string {
  if (typeof data === 'string')
    return data
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 300);
  if (data === null || typeof data !== 'object') return '';
  const body = data as { errorMessages?: unknown; errors?: unknown; message?: unknown };
  const parts: string[] = [];
  if (Array.isArray(body.errorMessages)) parts.push(...body.errorMessages.map(String));
  if (body.errors !== null && typeof body.errors === 'object') {
    for (const [field, message] of Object.entries(body.errors as Record<string, unknown>)) {
      parts.push(`${field}: ${String(message)}`);
    }
  }
  if (parts.length === 0 && typeof body.message === 'string') parts.push(body.message);
  return parts.join('; ').slice(0, 500);
}

function quoteJql(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export class JiraTicketSink implements TicketSink {
  readonly kind = 'jira' as const;
  readonly id: string;
  readonly describe: string;
  private readonly baseUrl: string;
  private readonly client: Version3Client;
  private readonly redactor: Redactor;
  private issueTypeId: string | undefined;
  private me: string | undefined | null = null;

  constructor(private readonly options: JiraSinkOptions) {
    this.baseUrl = checkBaseUrl(options.baseUrl, 'tickets.jira.baseUrl');
    this.id = `jira:${this.baseUrl}/${options.projectKey}`;
    this.describe = `Jira project ${options.projectKey} at ${this.baseUrl}`;
    this.redactor = new Redactor([options.token]).withSecret(`${options.email}:${options.token}`);
    this.client = new Version3Client({
      host: this.baseUrl,
      authentication: { basic: { email: options.email, apiToken: options.token } },
      baseRequestConfig: { timeout: options.timeoutMs ?? 30_000 },
    });
    const type = options.issueType ?? 'Task';
    if (/^\d+$/.test(type)) this.issueTypeId = type;
  }

  private call<T>(what: string, operation: () => Promise<T>): Promise<T> {
    return withRetries(`Jira ${what}`, operation, jiraFailure, this.redactor, this.options.retry);
  }

  private url(key: string): string {
    return `${this.baseUrl}/browse/${key}`;
  }

  private toTicket(issue: JiraIssue): SinkTicket {
    const fields = issue.fields ?? {};
    const category = fields.status?.statusCategory?.key;
    const closed = category === 'done';
    const resolution = fields.resolution?.name ?? undefined;
    const property = issue.properties?.[JIRA_PROPERTY_KEY] as { fingerprint?: unknown } | undefined;
    const fingerprint =
      typeof property?.fingerprint === 'string' && /^[0-9a-f]{64}$/.test(property.fingerprint)
        ? property.fingerprint
        : undefined;
    return {
      key: issue.key,
      id: String(issue.id),
      url: this.url(issue.key),
      title: fields.summary ?? '',
      labels: fields.labels ?? [],
      ...(fingerprint !== undefined && { fingerprint }),
      state: closed ? 'closed' : 'open',
      ...(fields.status?.name !== undefined && { status: fields.status.name }),
      ...(closed && { closeKind: jiraCloseKind(resolution) }),
      ...(closed && resolution !== undefined && { resolution }),
    };
  }

  async list(knownIds: readonly string[]): Promise<SinkTicket[]> {
    const jql = `project = ${quoteJql(this.options.projectKey)} AND labels = ${CUSTOS_LABEL} ORDER BY key ASC`;
    const reconcileIssues = knownIds
      .filter((id) => /^\d+$/.test(id))
      .slice(0, MAX_RECONCILE)
      .map(Number);
    const tickets = new Map<string, SinkTicket>();
    const seen = new Set<string>();
    let nextPageToken: string | undefined;
    do {
      const token = nextPageToken;
      const page = await this.call('search (POST /rest/api/3/search/jql)', () =>
        this.client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost<JiraSearchPage>({
          jql,
          fields: FIELDS,
          properties: [JIRA_PROPERTY_KEY],
          maxResults: this.options.pageSize ?? 100,
          ...(token !== undefined && { nextPageToken: token }),
          ...(reconcileIssues.length > 0 && { reconcileIssues }),
        }),
      );
      for (const issue of page.issues ?? []) tickets.set(issue.key, this.toTicket(issue));
      nextPageToken = page.isLast === true ? undefined : (page.nextPageToken ?? undefined);
      if (nextPageToken !== undefined) {
        if (seen.has(nextPageToken)) break;
        seen.add(nextPageToken);
      }
    } while (nextPageToken !== undefined);
    return [...tickets.values()];
  }

  async get(key: string): Promise<SinkTicket | undefined> {
    try {
      const issue = await this.call(`get issue ${key}`, () =>
        this.client.issues.getIssue<JiraIssue>({
          issueIdOrKey: key,
          fields: FIELDS,
          properties: [JIRA_PROPERTY_KEY],
        }),
      );
      return this.toTicket(issue);
    } catch (error) {
      if (isTicketSinkError(error) && (error.status === 404 || error.status === 403)) return undefined;
      throw error;
    }
  }

  async create(ticket: NewTicket): Promise<SinkTicket> {
    const issueType =
      this.issueTypeId !== undefined ? { id: this.issueTypeId } : { name: this.options.issueType ?? 'Task' };
    const priority = ticket.severity === undefined ? undefined : this.options.priorities?.[ticket.severity];
    const created = await this.call('create issue', () =>
      this.client.issues.createIssue<{ id: string; key: string }>({
        fields: {
          project: { key: this.options.projectKey },
          issuetype: issueType,
          summary: ticket.title,
          description: toAdf(ticket.description) as never,
          labels: [...ticket.labels],
          ...(priority !== undefined && { priority: { name: priority } }),
        },
        properties: [
          {
            key: JIRA_PROPERTY_KEY,
            value: {
              fingerprint: ticket.fingerprint,
              checkId: ticket.checkId ?? null,
              accountId: ticket.accountId ?? null,
            },
          },
        ],
      }),
    );
    return {
      key: created.key,
      id: String(created.id),
      url: this.url(created.key),
      title: ticket.title,
      labels: [...ticket.labels],
      fingerprint: ticket.fingerprint,
      state: 'open',
    };
  }

  async comment(ticket: SinkTicket, body: TicketDoc): Promise<void> {
    await this.call(`comment on ${ticket.key}`, () =>
      this.client.issueComments.addComment({ issueIdOrKey: ticket.key, comment: toAdf(body) as never }),
    );
  }

  private async transitions(ticket: SinkTicket): Promise<JiraTransition[]> {
    const answer = await this.call(`transitions of ${ticket.key}`, () =>
      this.client.issues.getTransitions<{ transitions?: JiraTransition[] }>({
        issueIdOrKey: ticket.key,
        expand: 'transitions.fields',
      }),
    );
    return (answer.transitions ?? []).filter((t) => t.isAvailable !== false);
  }

  async close(ticket: SinkTicket, comment: TicketDoc): Promise<TransitionOutcome> {
    const transition = (await this.transitions(ticket)).find((t) => t.to?.statusCategory?.key === 'done');
    if (transition === undefined) {
      return {
        done: false,
        reason: `the workflow offers no transition to a done status from "${ticket.status ?? 'its current status'}"`,
      };
    }
    const field = transition.fields?.resolution;
    let fields: Record<string, unknown> | undefined;
    if (field !== undefined) {
      const allowed = field.allowedValues ?? [];
      const choice =
        allowed.find((v) => /^done$/i.test(v.name ?? '')) ??
        allowed.find((v) => /^fixed$/i.test(v.name ?? ''));
      if (choice !== undefined)
        fields = { resolution: choice.id !== undefined ? { id: choice.id } : { name: choice.name } };
      else if (allowed.length === 0) fields = { resolution: { name: 'Done' } };
      else if (field.required === true) {
        return {
          done: false,
          reason: `the "${transition.name ?? transition.id}" transition asks for a resolution and offers neither Done nor Fixed`,
        };
      }
    }
    await this.call(`close ${ticket.key}`, () =>
      this.client.issues.doTransition({
        issueIdOrKey: ticket.key,
        transition: { id: transition.id },
        ...(fields !== undefined && { fields }),
      }),
    );
    await this.comment(ticket, comment);
    return { done: true };
  }

  async reopen(ticket: SinkTicket, comment: TicketDoc): Promise<TransitionOutcome> {
    const transitions = await this.transitions(ticket);
    const transition =
      transitions.find((t) => t.to?.statusCategory?.key === 'new') ??
      transitions.find((t) => t.to?.statusCategory?.key === 'indeterminate');
    if (transition === undefined) {
      return {
        done: false,
        reason: `the workflow offers no transition back to an open status from "${ticket.status ?? 'its current status'}"`,
      };
    }
    await this.call(`reopen ${ticket.key}`, () =>
      this.client.issues.doTransition({ issueIdOrKey: ticket.key, transition: { id: transition.id } }),
    );
    await this.comment(ticket, comment);
    return { done: true };
  }

  async addLabels(ticket: SinkTicket, labels: readonly string[]): Promise<void> {
    await this.call(`label ${ticket.key}`, () =>
      this.client.issues.editIssue({
        issueIdOrKey: ticket.key,
        update: { labels: labels.map((label) => ({ add: label })) },
      }),
    );
  }

  async closedBy(ticket: SinkTicket): Promise<string | undefined> {
    let closer: string | undefined;
    let startAt = 0;
    for (let page = 0; page < 100; page += 1) {
      const from = startAt;
      const answer = await this.call(`changelog of ${ticket.key}`, () =>
        this.client.issues.getChangeLogs<JiraChangelogPage>({
          issueIdOrKey: ticket.key,
          startAt: from,
          maxResults: 100,
        }),
      );
      const values = answer.values ?? [];
      for (const history of values) {
        if ((history.items ?? []).some((i) => i.fieldId === 'status' || i.field === 'status')) {
          closer = history.author?.accountId;
        }
      }
      startAt = from + values.length;
      const total = answer.total ?? startAt;
      if (answer.isLast === true || values.length === 0 || startAt >= total) break;
    }
    return closer;
  }

  async whoami(): Promise<string | undefined> {
    if (this.me !== null) return this.me;
    try {
      const user = await this.call('who am I (/rest/api/3/myself)', () =>
        this.client.myself.getCurrentUser<{ accountId?: string }>(),
      );
      this.me = user.accountId;
    } catch (error) {
      if (!isTicketSinkError(error) || error.unavailable) throw error;
      this.me = undefined;
    }
    return this.me;
  }

  async preflight(): Promise<void> {
    const where = `Jira at ${this.baseUrl}`;
    try {
      const user = await this.call('who am I (/rest/api/3/myself)', () =>
        this.client.myself.getCurrentUser<{ accountId?: string }>(),
      );
      this.me = user.accountId;
    } catch (error) {
      throw preflightProblem(
        error,
        `${where}: the credentials of ${this.options.email}`,
        {
          401: 'were refused (HTTP 401): check tickets.jira.email and the API token',
          403: 'may not use the REST API (HTTP 403)',
        },
        this.redactor,
      );
    }
    let project: JiraProject;
    try {
      project = await this.call(`project ${this.options.projectKey}`, () =>
        this.client.projects.getProject<JiraProject>({ projectIdOrKey: this.options.projectKey }),
      );
    } catch (error) {
      throw preflightProblem(
        error,
        `${where}: project ${this.options.projectKey}`,
        {
          404: `was not found, or ${this.options.email} may not browse it (tickets.jira.projectKey)`,
          403: `may not be browsed by ${this.options.email}`,
        },
        this.redactor,
      );
    }
    const wanted = this.options.issueType ?? 'Task';
    const types = project.issueTypes ?? [];
    const match =
      types.find((t) => t.id === wanted) ?? types.find((t) => t.name?.toLowerCase() === wanted.toLowerCase());
    if (match?.id === undefined) {
      const names = types.map((t) => t.name).filter((n) => n !== undefined);
      throw new TicketPreflightError(
        `${where}: project ${this.options.projectKey} has no issue type ${JSON.stringify(wanted)} (tickets.jira.issueType)` +
          (names.length > 0 ? `; it has ${names.join(', ')}` : ''),
      );
    }
    this.issueTypeId = match.id;
  }
}
