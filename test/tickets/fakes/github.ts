/**
 * A fake GitHub REST API for the issue endpoints custos uses, with the shapes of GitHub's
 * reference: `x-ratelimit-*` headers on every response, Link-header pagination, pull requests
 * in the issues list (items with `pull_request`), `state_reason`, `closed_by`, and the error
 * bodies `{ message, documentation_url, status }`, secondary rate limits included.
 */
import { type FakeRequest, type FakeResponse, FakeServer } from './server.js';

export interface FakeGithubIssue {
  readonly id: number;
  readonly number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: 'completed' | 'not_planned' | 'duplicate' | 'reopened' | null;
  labels: string[];
  assignees: string[];
  closed_by: string | null;
  closed_at: string | null;
  readonly created_at: string;
  updated_at: string;
  readonly author: string;
  comments: Array<{ id: number; body: string; user: string }>;
  readonly pullRequest: boolean;
}

export interface FakeGithubOptions {
  readonly token?: string;
  readonly owner?: string;
  readonly repo?: string;
  readonly visibility?: 'public' | 'private' | 'internal';
  /** Items per page cap. */
  readonly pageSize?: number;
  /** Serve under a prefix, as GitHub Enterprise Server does (`/api/v3`). */
  readonly prefix?: string;
}

export const CUSTOS_LOGIN = 'custos-bot';
export const PERSON_LOGIN = 'octocat';

const DOCS = 'https://docs.github.com/rest';

function ghError(status: number, message: string, extra: Record<string, unknown> = {}): FakeResponse {
  return { status, body: { message, documentation_url: DOCS, status: String(status), ...extra } };
}

export const SECONDARY_LIMIT_BODY = {
  message:
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 9A40:3D81:1A2B3C:4D5E6F:65A1B2C3.',
  documentation_url:
    'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
  status: '403',
};

export class FakeGithub extends FakeServer {
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  visibility: 'public' | 'private' | 'internal';
  pageSize: number;
  readonly prefix: string;
  readonly issues = new Map<number, FakeGithubIssue>();
  private remaining = 5000;
  private nextComment = 1;
  caller = CUSTOS_LOGIN;
  /** GitHub drops a new issue's labels silently when the user may not set them. */
  dropLabelsOnCreate = false;
  /** The caller's role, as the repository answer's `permissions` shows it. */
  role: 'triage' | 'read' = 'triage';

  constructor(options: FakeGithubOptions = {}) {
    super();
    this.token = options.token ?? 'ghp_FAKEgithubToken0123456789abcdefABCD';
    this.owner = options.owner ?? 'acme';
    this.repo = options.repo ?? 'security';
    this.visibility = options.visibility ?? 'private';
    this.pageSize = options.pageSize ?? 2;
    this.prefix = options.prefix ?? '';
    this.addRoutes();
  }

  get apiUrl(): string {
    return `${this.url}${this.prefix}`;
  }

  protected authenticate(request: FakeRequest): FakeResponse | undefined {
    const header = request.headers.authorization ?? '';
    if (header !== `token ${this.token}` && header !== `Bearer ${this.token}`)
      return ghError(401, 'Bad credentials');
    return undefined;
  }

  protected override commonHeaders(): Record<string, string> {
    this.remaining = Math.max(0, this.remaining - 1);
    return {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(this.remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': String(5000 - this.remaining),
      'x-ratelimit-resource': 'core',
      'x-github-api-version-selected': '2022-11-28',
    };
  }

  protected override notFound(): FakeResponse {
    return ghError(404, 'Not Found');
  }

  // ------------------------------------------------ what people do in the UI

  /** A pull request carrying the custos label: the issues list returns it, custos must skip it. */
  addPullRequest(title: string, labels: string[]): number {
    return this.insert({ title, body: 'a pull request', labels, author: PERSON_LOGIN, pullRequest: true });
  }

  personClose(number: number, reason: 'completed' | 'not_planned' | 'duplicate'): void {
    const issue = this.must(number);
    issue.state = 'closed';
    issue.state_reason = reason;
    issue.closed_by = PERSON_LOGIN;
    issue.closed_at = new Date().toISOString();
  }

  personEdit(number: number, change: { title?: string; labels?: string[]; assignees?: string[] }): void {
    const issue = this.must(number);
    if (change.title !== undefined) issue.title = change.title;
    if (change.labels !== undefined) issue.labels = change.labels;
    if (change.assignees !== undefined) issue.assignees = change.assignees;
  }

  realIssues(): FakeGithubIssue[] {
    return [...this.issues.values()].filter((i) => !i.pullRequest);
  }

  private must(number: number): FakeGithubIssue {
    const issue = this.issues.get(number);
    if (issue === undefined) throw new Error(`no issue #${number}`);
    return issue;
  }

  private insert(fields: {
    title: string;
    body: string | null;
    labels: string[];
    author: string;
    pullRequest: boolean;
  }): number {
    const number = this.issues.size + 1;
    const at = new Date().toISOString();
    this.issues.set(number, {
      id: 1_000_000 + number,
      number,
      title: fields.title,
      body: fields.body,
      state: 'open',
      state_reason: null,
      labels: [...new Set(fields.labels)],
      assignees: [],
      closed_by: null,
      closed_at: null,
      created_at: at,
      updated_at: at,
      author: fields.author,
      comments: [],
      pullRequest: fields.pullRequest,
    });
    return number;
  }

  private user(login: string) {
    return { login, id: login === CUSTOS_LOGIN ? 1001 : 583231, type: 'User', site_admin: false };
  }

  private issueJson(issue: FakeGithubIssue) {
    const base = `${this.apiUrl}/repos/${this.owner}/${this.repo}`;
    return {
      url: `${base}/issues/${issue.number}`,
      html_url: `https://github.example/${this.owner}/${this.repo}/${issue.pullRequest ? 'pull' : 'issues'}/${issue.number}`,
      id: issue.id,
      node_id: `I_kwDO${issue.id}`,
      number: issue.number,
      title: issue.title,
      user: this.user(issue.author),
      labels: issue.labels.map((name, i) => ({ id: 7000 + i, name, color: 'ededed', default: false })),
      state: issue.state,
      state_reason: issue.state_reason,
      locked: false,
      assignee: issue.assignees[0] === undefined ? null : this.user(issue.assignees[0]),
      assignees: issue.assignees.map((a) => this.user(a)),
      comments: issue.comments.length,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      closed_at: issue.closed_at,
      closed_by: issue.closed_by === null ? null : this.user(issue.closed_by),
      body: issue.body,
      ...(issue.pullRequest && { pull_request: { url: `${base}/pulls/${issue.number}`, merged_at: null } }),
    };
  }

  private repoPath(path: string): RegExp {
    const prefix = this.prefix.replace(/\//g, '\\/');
    return new RegExp(`^${prefix}\\/repos\\/([^/]+)\\/([^/]+)${path}$`);
  }

  private sameRepo(owner: string | undefined, repo: string | undefined): boolean {
    return owner === this.owner && repo === this.repo;
  }

  private addRoutes(): void {
    const prefix = this.prefix.replace(/\//g, '\\/');
    this.route('GET', new RegExp(`^${prefix}\\/user$`), () => ({
      status: 200,
      body: this.user(this.caller),
    }));

    this.route('GET', this.repoPath(''), (_request, [owner, repo]) => {
      if (!this.sameRepo(owner, repo)) return ghError(404, 'Not Found');
      return {
        status: 200,
        body: {
          id: 42,
          name: this.repo,
          full_name: `${this.owner}/${this.repo}`,
          private: this.visibility !== 'public',
          visibility: this.visibility,
          has_issues: true,
          archived: false,
          permissions: {
            admin: false,
            maintain: false,
            push: false,
            triage: this.role === 'triage',
            pull: true,
          },
        },
      };
    });

    this.route('GET', this.repoPath('/issues'), (request, [owner, repo]) => {
      if (!this.sameRepo(owner, repo)) return ghError(404, 'Not Found');
      const labels = (request.query.get('labels') ?? '').split(',').filter((l) => l !== '');
      const state = request.query.get('state') ?? 'open';
      const perPage = Math.min(Number(request.query.get('per_page') ?? 30), this.pageSize);
      const page = Number(request.query.get('page') ?? 1);
      const matching = [...this.issues.values()]
        .filter((i) => labels.every((l) => i.labels.includes(l)))
        .filter((i) => state === 'all' || i.state === state)
        .sort((a, b) => b.number - a.number);
      const last = Math.max(1, Math.ceil(matching.length / perPage));
      const items = matching.slice((page - 1) * perPage, page * perPage).map((i) => this.issueJson(i));
      const link = (p: number) => {
        const query = new URLSearchParams(request.query);
        query.set('page', String(p));
        return `${this.apiUrl}/repos/${this.owner}/${this.repo}/issues?${query.toString()}`;
      };
      const links: string[] = [];
      if (page > 1) links.push(`<${link(page - 1)}>; rel="prev"`, `<${link(1)}>; rel="first"`);
      if (page < last) links.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
      return { status: 200, headers: links.length > 0 ? { link: links.join(', ') } : {}, body: items };
    });

    this.route('POST', this.repoPath('/issues'), (request, [owner, repo]) => {
      if (!this.sameRepo(owner, repo)) return ghError(404, 'Not Found');
      const body = (request.body ?? {}) as { title?: string; body?: string; labels?: string[] };
      if (typeof body.title !== 'string' || body.title === '') {
        return ghError(422, 'Validation Failed', {
          errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }],
        });
      }
      if (body.title.length > 256) {
        return ghError(422, 'Validation Failed', {
          errors: [
            {
              resource: 'Issue',
              code: 'custom',
              field: 'title',
              message: 'title is too long (maximum is 256 characters)',
            },
          ],
        });
      }
      if ((body.labels ?? []).some((l) => l.length > 50)) {
        return ghError(422, 'Validation Failed', {
          errors: [
            {
              resource: 'Label',
              code: 'custom',
              field: 'name',
              message: 'name is too long (maximum is 50 characters)',
            },
          ],
        });
      }
      const number = this.insert({
        title: body.title,
        body: body.body ?? null,
        labels: this.dropLabelsOnCreate ? [] : (body.labels ?? []),
        author: this.caller,
        pullRequest: false,
      });
      return { status: 201, body: this.issueJson(this.must(number)) };
    });

    this.route('GET', this.repoPath('/issues/(\\d+)'), (_request, [owner, repo, number]) => {
      const issue = this.issues.get(Number(number));
      if (!this.sameRepo(owner, repo) || issue === undefined) return ghError(404, 'Not Found');
      return { status: 200, body: this.issueJson(issue) };
    });

    this.route('PATCH', this.repoPath('/issues/(\\d+)'), (request, [owner, repo, number]) => {
      const issue = this.issues.get(Number(number));
      if (!this.sameRepo(owner, repo) || issue === undefined) return ghError(404, 'Not Found');
      const body = (request.body ?? {}) as {
        state?: 'open' | 'closed';
        state_reason?: FakeGithubIssue['state_reason'];
        title?: string;
        labels?: string[];
      };
      if (body.state === 'closed' && issue.state !== 'closed') {
        issue.state = 'closed';
        issue.closed_by = this.caller;
        issue.closed_at = new Date().toISOString();
        issue.state_reason = body.state_reason ?? 'completed';
      } else if (body.state === 'open' && issue.state !== 'open') {
        issue.state = 'open';
        issue.closed_by = null;
        issue.closed_at = null;
        issue.state_reason = 'reopened';
      }
      if (body.title !== undefined) issue.title = body.title;
      if (body.labels !== undefined) issue.labels = [...body.labels];
      issue.updated_at = new Date().toISOString();
      return { status: 200, body: this.issueJson(issue) };
    });

    this.route('POST', this.repoPath('/issues/(\\d+)/comments'), (request, [owner, repo, number]) => {
      const issue = this.issues.get(Number(number));
      if (!this.sameRepo(owner, repo) || issue === undefined) return ghError(404, 'Not Found');
      const body = (request.body ?? {}) as { body?: string };
      if (typeof body.body !== 'string' || body.body === '') {
        return ghError(422, 'Validation Failed', {
          errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }],
        });
      }
      const comment = { id: this.nextComment++, body: body.body, user: this.caller };
      issue.comments.push(comment);
      return { status: 201, body: { id: comment.id, body: comment.body, user: this.user(comment.user) } };
    });

    this.route('POST', this.repoPath('/issues/(\\d+)/labels'), (request, [owner, repo, number]) => {
      const issue = this.issues.get(Number(number));
      if (!this.sameRepo(owner, repo) || issue === undefined) return ghError(404, 'Not Found');
      const body = (request.body ?? {}) as { labels?: string[] };
      for (const label of body.labels ?? []) if (!issue.labels.includes(label)) issue.labels.push(label);
      return {
        status: 200,
        body: issue.labels.map((name, i) => ({ id: 7000 + i, name, color: 'ededed', default: false })),
      };
    });
  }
}
