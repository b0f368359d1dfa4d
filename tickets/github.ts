/**
 * GitHub Issues through @octokit/rest.
 *
 * - Listing: `GET /repos/{owner}/{repo}/issues?labels=custos&state=all`, every page (Link
 *   header), pull requests skipped. Never the search API: its index lags.
 * - Close: `state: closed`, `state_reason: completed`; reopen: `state: open`.
 * - The full fingerprint is a hidden marker at the end of the body.
 * - Every request goes through the rate-limit rules (a hook on Octokit's request); creates are
 *   spaced at least one second apart, as GitHub asks of content-creating requests.
 * - Preflight refuses a public repository unless `allowPublic`.
 */
import { Octokit } from '@octokit/rest';
import { toMarkdown } from './content.js';
import { isTicketSinkError, preflightProblem, Redactor, TicketPreflightError } from './errors.js';
import {
  checkBaseUrl,
  type HttpFailure,
  normalizeHeaders,
  type RetryOptions,
  realSleep,
  Spacer,
  withRetries,
} from './http.js';
import { bodyMarker, CUSTOS_LABEL, fingerprintFromBody, missingLabels } from './identity.js';
import type { CloseKind, NewTicket, SinkTicket, TicketDoc, TicketSink, TransitionOutcome } from './types.js';

export const GITHUB_API = 'https://api.github.com';
/** GitHub's issue bodies hold at most 65,536 characters. */
const MAX_BODY = 65_000;

export interface GithubSinkOptions {
  /** `owner/name`. */
  readonly repo: string;
  readonly token: string;
  /** The API root; GitHub Enterprise Server: `https://<host>/api/v3`. Default GitHub's. */
  readonly baseUrl?: string;
  readonly allowPublic?: boolean;
  readonly retry?: RetryOptions;
  /** Minimum time between two creates; default 1000 ms. */
  readonly createIntervalMs?: number;
  /** Issues per page; default 100 (GitHub's maximum). */
  readonly pageSize?: number;
}

interface GithubIssue {
  readonly number: number;
  readonly html_url?: string;
  readonly title: string;
  readonly body?: string | null;
  readonly state: string;
  readonly state_reason?: string | null;
  readonly labels?: ReadonlyArray<string | { readonly name?: string }>;
  readonly pull_request?: unknown;
  readonly closed_by?: { readonly login?: string } | null;
}

export function githubCloseKind(stateReason: string | null | undefined): CloseKind {
  if (stateReason === null || stateReason === undefined || stateReason === '') return 'unspecified';
  return stateReason === 'completed' ? 'done' : 'decision';
}

/** Reads an Octokit failure as the retry rules see it; undefined for anything else. */
export function githubFailure(error: unknown): HttpFailure | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as {
    name?: string;
    status?: number;
    message?: string;
    response?: { status?: number; headers?: unknown; data?: unknown };
  };
  if (e.name !== 'HttpError' || typeof e.status !== 'number') return undefined;
  if (e.response === undefined) return { headers: {}, message: 'network error' };
  return {
    status: e.response.status ?? e.status,
    headers: normalizeHeaders(e.response.headers),
    message: githubErrorMessage(e.response.data),
  };
}

/** `{ message, errors: [...], documentation_url }`, GitHub's error body, as one line. */
export function githubErrorMessage(data: unknown): string {
  if (typeof data === 'string') return data.slice(0, 300);
  if (data === null || typeof data !== 'object') return '';
  const body = data as { message?: unknown; errors?: unknown };
  const parts: string[] = [];
  if (typeof body.message === 'string') parts.push(body.message);
  if (Array.isArray(body.errors)) {
    for (const item of body.errors) {
      if (typeof item === 'string') parts.push(item);
      else if (item !== null && typeof item === 'object') {
        const { field, code, message } = item as { field?: unknown; code?: unknown; message?: unknown };
        parts.push([field, code, message].filter((p) => typeof p === 'string').join(' '));
      }
    }
  }
  return parts.join('; ').slice(0, 500);
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export class GithubTicketSink implements TicketSink {
  readonly kind = 'github' as const;
  readonly id: string;
  readonly describe: string;
  private readonly owner: string;
  private readonly repo: string;
  private readonly baseUrl: string;
  private readonly octokit: Octokit;
  private readonly redactor: Redactor;
  private readonly spacer: Spacer;
  private me: string | undefined | null = null;

  constructor(private readonly options: GithubSinkOptions) {
    const [owner, repo, extra] = options.repo.split('/');
    if (owner === undefined || owner === '' || repo === undefined || repo === '' || extra !== undefined) {
      throw new TicketPreflightError(
        `tickets.github.repo: ${JSON.stringify(options.repo)} is not "owner/name"`,
      );
    }
    this.owner = owner;
    this.repo = repo;
    this.baseUrl = checkBaseUrl(options.baseUrl ?? GITHUB_API, 'tickets.github.baseUrl');
    this.id = `github:${this.baseUrl === GITHUB_API ? '' : `${this.baseUrl}/`}${owner}/${repo}`;
    this.describe = `GitHub repository ${owner}/${repo}${this.baseUrl === GITHUB_API ? '' : ` at ${this.baseUrl}`}`;
    this.redactor = new Redactor([options.token]);
    const retry = options.retry ?? {};
    this.spacer = new Spacer(
      options.createIntervalMs ?? 1000,
      retry.now ?? Date.now,
      retry.sleep ?? realSleep,
    );
    this.octokit = new Octokit({
      auth: options.token,
      baseUrl: this.baseUrl,
      userAgent: 'custos',
      log: quiet,
    });
    const redactor = this.redactor;
    this.octokit.hook.wrap('request', (request, requestOptions) =>
      withRetries(
        `GitHub ${requestOptions.method} ${requestOptions.url}`,
        async () => request(requestOptions),
        githubFailure,
        redactor,
        retry,
      ),
    );
  }

  private toTicket(issue: GithubIssue): SinkTicket {
    const closed = issue.state === 'closed';
    const labels = (issue.labels ?? [])
      .map((l) => (typeof l === 'string' ? l : l.name))
      .filter((l): l is string => l !== undefined);
    const fingerprint = fingerprintFromBody(issue.body);
    return {
      key: String(issue.number),
      id: String(issue.number),
      ...(issue.html_url !== undefined && { url: issue.html_url }),
      title: issue.title,
      labels,
      ...(fingerprint !== undefined && { fingerprint }),
      state: closed ? 'closed' : 'open',
      status: issue.state,
      ...(closed && { closeKind: githubCloseKind(issue.state_reason) }),
      ...(closed && typeof issue.state_reason === 'string' && { resolution: issue.state_reason }),
    };
  }

  private get repoRef() {
    return { owner: this.owner, repo: this.repo };
  }

  async list(): Promise<SinkTicket[]> {
    const issues = (await this.octokit.paginate(this.octokit.rest.issues.listForRepo, {
      ...this.repoRef,
      labels: CUSTOS_LABEL,
      state: 'all',
      per_page: this.options.pageSize ?? 100,
    })) as GithubIssue[];
    return issues.filter((issue) => issue.pull_request == null).map((issue) => this.toTicket(issue));
  }

  private async issue(key: string): Promise<GithubIssue | undefined> {
    try {
      const { data } = await this.octokit.rest.issues.get({ ...this.repoRef, issue_number: Number(key) });
      return data as GithubIssue;
    } catch (error) {
      if (isTicketSinkError(error) && (error.status === 404 || error.status === 410)) return undefined;
      throw error;
    }
  }

  async get(key: string): Promise<SinkTicket | undefined> {
    if (!/^\d+$/.test(key)) return undefined;
    const issue = await this.issue(key);
    return issue === undefined || issue.pull_request != null ? undefined : this.toTicket(issue);
  }

  async create(ticket: NewTicket): Promise<SinkTicket> {
    await this.spacer.wait();
    const marker = bodyMarker(ticket.fingerprint);
    let text = toMarkdown(ticket.description);
    if (text.length + marker.length + 2 > MAX_BODY)
      text = `${text.slice(0, MAX_BODY - marker.length - 40)}\n\n… (see the report)`;
    const { data } = await this.octokit.rest.issues.create({
      ...this.repoRef,
      title: ticket.title,
      body: `${text}\n\n${marker}`,
      labels: [...ticket.labels],
    });
    const created = this.toTicket(data as GithubIssue);
    // GitHub drops the labels of a new issue silently when the user may not set them; without
    // them custos would not find its ticket again, so add them explicitly (this one does fail).
    const missing = missingLabels(created.labels, ticket.labels);
    if (missing.length === 0) return created;
    await this.addLabels(created, missing);
    return { ...created, labels: [...created.labels, ...missing] };
  }

  async comment(ticket: SinkTicket, body: TicketDoc): Promise<void> {
    await this.octokit.rest.issues.createComment({
      ...this.repoRef,
      issue_number: Number(ticket.key),
      body: toMarkdown(body).slice(0, MAX_BODY),
    });
  }

  async close(ticket: SinkTicket, comment: TicketDoc): Promise<TransitionOutcome> {
    await this.octokit.rest.issues.update({
      ...this.repoRef,
      issue_number: Number(ticket.key),
      state: 'closed',
      state_reason: 'completed',
    });
    await this.comment(ticket, comment);
    return { done: true };
  }

  async reopen(ticket: SinkTicket, comment: TicketDoc): Promise<TransitionOutcome> {
    await this.octokit.rest.issues.update({
      ...this.repoRef,
      issue_number: Number(ticket.key),
      state: 'open',
      state_reason: 'reopened',
    });
    await this.comment(ticket, comment);
    return { done: true };
  }

  async addLabels(ticket: SinkTicket, labels: readonly string[]): Promise<void> {
    await this.octokit.rest.issues.addLabels({
      ...this.repoRef,
      issue_number: Number(ticket.key),
      labels: [...labels],
    });
  }

  async closedBy(ticket: SinkTicket): Promise<string | undefined> {
    return (await this.issue(ticket.key))?.closed_by?.login ?? undefined;
  }

  async whoami(): Promise<string | undefined> {
    if (this.me !== null) return this.me;
    try {
      const { data } = await this.octokit.rest.users.getAuthenticated();
      this.me = data.login;
    } catch (error) {
      // A GitHub App's installation token may not ask: then only the record knows what custos closed.
      if (!isTicketSinkError(error) || error.unavailable) throw error;
      this.me = undefined;
    }
    return this.me;
  }

  async preflight(): Promise<void> {
    const name = `${this.owner}/${this.repo}`;
    const subject = `GitHub repository ${name}${this.baseUrl === GITHUB_API ? '' : ` at ${this.baseUrl}`}`;
    let repo: {
      visibility?: string;
      private?: boolean;
      has_issues?: boolean;
      archived?: boolean;
      permissions?: { admin?: boolean; maintain?: boolean; push?: boolean; triage?: boolean };
    };
    try {
      ({ data: repo } = await this.octokit.rest.repos.get(this.repoRef));
    } catch (error) {
      throw preflightProblem(
        error,
        subject,
        {
          401: 'refused the token (HTTP 401: bad credentials): check tickets.github.token',
          403: 'is not accessible with this token (HTTP 403): it needs Issues read/write and Metadata read, or the classic repo scope',
          404: 'was not found, or the token cannot see it (tickets.github.repo)',
        },
        this.redactor,
      );
    }
    const visibility = repo.visibility ?? (repo.private === false ? 'public' : 'private');
    if (visibility === 'public' && this.options.allowPublic !== true) {
      throw new TicketPreflightError(
        `${subject} is public: custos tickets describe weaknesses an attacker could use. ` +
          'Use a private repository, or set tickets.github.allowPublic to true to accept that.',
      );
    }
    if (repo.has_issues === false) throw new TicketPreflightError(`${subject} has issues turned off`);
    if (repo.archived === true) {
      throw new TicketPreflightError(`${subject} is archived: its issues are read-only`);
    }
    const can = repo.permissions;
    if (can !== undefined && !(can.admin || can.maintain || can.push || can.triage)) {
      throw new TicketPreflightError(
        `${subject}: the token's user may not label or close issues there (it needs at least the triage role)`,
      );
    }
  }
}
