/**
 * A fake Jira Cloud (REST API v3) for the endpoints custos uses, with the shapes of Atlassian's
 * reference: ADF descriptions and comments, `{ errorMessages, errors }` error bodies, the JQL
 * search `POST /rest/api/3/search/jql` paged by `nextPageToken` with `reconcileIssues`, a search
 * index that lags behind writes, transitions with `to.statusCategory` and screen fields, issue
 * properties and the changelog.
 */
import { type FakeRequest, type FakeResponse, FakeServer } from './server.js';

export interface JiraStatus {
  readonly id: string;
  readonly name: string;
  readonly category: 'new' | 'indeterminate' | 'done';
}

export const STATUSES = {
  todo: { id: '10000', name: 'To Do', category: 'new' },
  progress: { id: '3', name: 'In Progress', category: 'indeterminate' },
  blocked: { id: '10100', name: 'Blocked', category: 'indeterminate' },
  done: { id: '10001', name: 'Done', category: 'done' },
} as const satisfies Record<string, JiraStatus>;

const CATEGORY_IDS = { new: 2, indeterminate: 4, done: 3 } as const;
const CATEGORY_NAMES = { new: 'To Do', indeterminate: 'In Progress', done: 'Done' } as const;

export const RESOLUTIONS = [
  { id: '10000', name: 'Done' },
  { id: '10001', name: "Won't Do" },
  { id: '10002', name: 'Duplicate' },
  { id: '10003', name: "Won't Fix" },
];

interface WorkflowTransition {
  readonly id: string;
  readonly name: string;
  readonly from: readonly string[];
  readonly to: JiraStatus;
  /** The transition screen asks for a resolution. */
  readonly resolution?: boolean;
}

/** To Do ⇄ In Progress → Done → Reopen; Blocked has no way to Done. */
export const WORKFLOW: readonly WorkflowTransition[] = [
  { id: '11', name: 'Start', from: ['10000'], to: STATUSES.progress },
  { id: '21', name: 'Stop', from: ['3'], to: STATUSES.todo },
  { id: '31', name: 'Close', from: ['10000', '3'], to: STATUSES.done, resolution: true },
  { id: '41', name: 'Reopen', from: ['10001'], to: STATUSES.todo },
  { id: '51', name: 'Block', from: ['10000', '3'], to: STATUSES.blocked },
  { id: '61', name: 'Unblock', from: ['10100'], to: STATUSES.progress },
];

export interface AdfNode {
  type: string;
  text?: string;
  content?: AdfNode[];
  attrs?: unknown;
  marks?: unknown[];
  version?: number;
}

export interface FakeJiraIssue {
  readonly id: string;
  readonly key: string;
  summary: string;
  description: AdfNode;
  labels: string[];
  status: JiraStatus;
  resolution: { id: string; name: string } | null;
  assignee: string | null;
  priority: string | null;
  issueTypeId: string;
  properties: Record<string, unknown>;
  comments: Array<{ id: string; author: string; body: AdfNode; created: string }>;
  changelog: Array<{
    id: string;
    author: string;
    created: string;
    items: Array<{ field: string; fieldId: string; fromString: string | null; toString: string | null }>;
  }>;
  /** When the search index sees it (the index lags behind writes). */
  indexedAt: number;
}

export interface FakeJiraOptions {
  readonly email?: string;
  readonly token?: string;
  readonly projectKey?: string;
  /** Search page size cap. */
  readonly pageSize?: number;
  /** How long a new issue stays out of search results unless reconciled. */
  readonly indexLagMs?: number;
}

export const CUSTOS_ACCOUNT = '5b10ac8d82e05b22cc7d4ef5';
export const PERSON_ACCOUNT = '5b10a2844c20165700ede21g';

function adfText(node: AdfNode | undefined): string {
  if (node === undefined) return '';
  if (typeof node.text === 'string') return node.text;
  return (node.content ?? [])
    .map(adfText)
    .join(node.type === 'doc' || node.type === 'bulletList' ? '\n' : '');
}

/** Checks the ADF rules Jira enforces that matter here: a doc of known nodes, no empty text. */
export function adfProblem(node: unknown, top = true): string | undefined {
  if (node === null || typeof node !== 'object')
    return 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
  const n = node as AdfNode;
  if (top && (n.type !== 'doc' || n.version !== 1))
    return 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
  const known = ['doc', 'paragraph', 'text', 'heading', 'bulletList', 'listItem', 'codeBlock'];
  if (!known.includes(n.type)) return `unknown node ${n.type}`;
  if (n.type === 'text' && (typeof n.text !== 'string' || n.text === ''))
    return 'text nodes must not be empty';
  for (const child of n.content ?? []) {
    const problem = adfProblem(child, false);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function jiraError(
  status: number,
  errorMessages: string[],
  errors: Record<string, string> = {},
): FakeResponse {
  return { status, body: { errorMessages, errors } };
}

export class FakeJira extends FakeServer {
  readonly email: string;
  readonly token: string;
  readonly projectKey: string;
  readonly issues = new Map<string, FakeJiraIssue>();
  readonly issueTypes = [
    { id: '10001', name: 'Bug', subtask: false },
    { id: '10002', name: 'Task', subtask: false },
  ];
  pageSize: number;
  indexLagMs: number;
  private nextId = 10000;
  private nextComment = 1;
  /** Who the credentials belong to. */
  caller = CUSTOS_ACCOUNT;

  constructor(options: FakeJiraOptions = {}) {
    super();
    this.email = options.email ?? 'custos@example.com';
    this.token = options.token ?? 'ATATT3xFfGF0-jira-token-0123456789';
    this.projectKey = options.projectKey ?? 'SEC';
    this.pageSize = options.pageSize ?? 2;
    this.indexLagMs = options.indexLagMs ?? 0;
    this.addRoutes();
  }

  protected authenticate(request: FakeRequest): FakeResponse | undefined {
    const expected = `Basic ${Buffer.from(`${this.email}:${this.token}`).toString('base64')}`;
    if (request.headers.authorization !== expected) {
      return jiraError(401, [
        'You are not authenticated. Authentication required to perform this operation.',
      ]);
    }
    return undefined;
  }

  protected override notFound(request: FakeRequest): FakeResponse {
    return jiraError(404, [`No route for ${request.method} ${request.path}`]);
  }

  // ------------------------------------------------ what a person does in the UI

  personTransition(key: string, to: JiraStatus, resolution?: string): void {
    const issue = this.must(key);
    this.move(
      issue,
      to,
      resolution === undefined ? undefined : RESOLUTIONS.find((r) => r.name === resolution),
      PERSON_ACCOUNT,
    );
  }

  personEdit(key: string, change: { summary?: string; labels?: string[]; assignee?: string }): void {
    const issue = this.must(key);
    if (change.summary !== undefined) issue.summary = change.summary;
    if (change.labels !== undefined) issue.labels = change.labels;
    if (change.assignee !== undefined) issue.assignee = change.assignee;
  }

  /** Comment bodies as plain text. */
  commentTexts(key: string): string[] {
    return this.must(key).comments.map((c) => adfText(c.body));
  }

  descriptionText(key: string): string {
    return adfText(this.must(key).description);
  }

  private must(key: string): FakeJiraIssue {
    const issue = this.issues.get(key);
    if (issue === undefined) throw new Error(`no issue ${key}`);
    return issue;
  }

  private move(
    issue: FakeJiraIssue,
    to: JiraStatus,
    resolution: { id: string; name: string } | undefined,
    author: string,
  ): void {
    const items: FakeJiraIssue['changelog'][number]['items'] = [
      { field: 'status', fieldId: 'status', fromString: issue.status.name, toString: to.name },
    ];
    if (to.category === 'done') {
      issue.resolution = resolution ?? null;
      items.push({
        field: 'resolution',
        fieldId: 'resolution',
        fromString: null,
        toString: resolution?.name ?? null,
      });
    } else if (issue.resolution !== null) {
      items.push({
        field: 'resolution',
        fieldId: 'resolution',
        fromString: issue.resolution.name,
        toString: null,
      });
      issue.resolution = null;
    }
    issue.status = to;
    issue.changelog.push({
      id: String(issue.changelog.length + 1),
      author,
      created: new Date().toISOString(),
      items,
    });
  }

  private find(idOrKey: string): FakeJiraIssue | undefined {
    return this.issues.get(idOrKey) ?? [...this.issues.values()].find((i) => i.id === idOrKey);
  }

  private issueJson(issue: FakeJiraIssue, fields: string[] | undefined, properties: string[]): unknown {
    const all: Record<string, unknown> = {
      summary: issue.summary,
      description: issue.description,
      labels: issue.labels,
      status: {
        self: `${this.url}/rest/api/3/status/${issue.status.id}`,
        id: issue.status.id,
        name: issue.status.name,
        statusCategory: {
          self: `${this.url}/rest/api/3/statuscategory/${CATEGORY_IDS[issue.status.category]}`,
          id: CATEGORY_IDS[issue.status.category],
          key: issue.status.category,
          colorName: issue.status.category === 'done' ? 'green' : 'blue-gray',
          name: CATEGORY_NAMES[issue.status.category],
        },
      },
      resolution:
        issue.resolution === null
          ? null
          : { self: `${this.url}/rest/api/3/resolution/${issue.resolution.id}`, ...issue.resolution },
      assignee: issue.assignee === null ? null : { accountId: issue.assignee },
      priority: issue.priority === null ? null : { name: issue.priority },
      issuetype: this.issueTypes.find((t) => t.id === issue.issueTypeId),
    };
    const wanted = fields === undefined || fields.includes('*all') ? Object.keys(all) : fields;
    const selected = Object.fromEntries(wanted.filter((f) => f in all).map((f) => [f, all[f]]));
    const props = Object.fromEntries(
      properties.filter((p) => p in issue.properties).map((p) => [p, issue.properties[p]]),
    );
    return {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id,
      self: `${this.url}/rest/api/3/issue/${issue.id}`,
      key: issue.key,
      fields: selected,
      ...(properties.length > 0 && { properties: props }),
    };
  }

  private transitionsFor(issue: FakeJiraIssue) {
    return WORKFLOW.filter((t) => t.from.includes(issue.status.id));
  }

  private addRoutes(): void {
    this.route('GET', /^\/rest\/api\/3\/myself$/, () => ({
      status: 200,
      body: {
        self: `${this.url}/rest/api/3/user?accountId=${this.caller}`,
        accountId: this.caller,
        accountType: 'atlassian',
        emailAddress: this.email,
        displayName: 'custos bot',
        active: true,
        timeZone: 'UTC',
      },
    }));

    this.route('GET', /^\/rest\/api\/3\/project\/([^/]+)$/, (_request, [key]) => {
      if (key !== this.projectKey) return jiraError(404, [`No project could be found with key '${key}'.`]);
      return {
        status: 200,
        body: {
          self: `${this.url}/rest/api/3/project/10000`,
          id: '10000',
          key: this.projectKey,
          name: 'Security',
          projectTypeKey: 'software',
          issueTypes: this.issueTypes.map((t) => ({
            self: `${this.url}/rest/api/3/issuetype/${t.id}`,
            ...t,
          })),
        },
      };
    });

    this.route('POST', /^\/rest\/api\/3\/search\/jql$/, (request) => {
      const body = (request.body ?? {}) as {
        jql?: string;
        nextPageToken?: string;
        maxResults?: number;
        fields?: string[];
        properties?: string[];
        reconcileIssues?: number[];
      };
      if (typeof body.jql !== 'string' || body.jql.trim() === '') {
        return jiraError(400, ['The JQL query is required and must be bounded.']);
      }
      const match = /project = "?([A-Z][A-Z0-9_]*)"? AND labels = "?([\w-]+)"?/.exec(body.jql);
      if (match === null)
        return jiraError(400, [`Error in the JQL Query: unsupported by this fake: ${body.jql}`]);
      if ((body.reconcileIssues ?? []).length > 50) {
        return jiraError(400, ['reconcileIssues accepts at most 50 issue ids.']);
      }
      const [, project, label] = match;
      const reconciled = new Set((body.reconcileIssues ?? []).map(String));
      const now = Date.now();
      const matching = [...this.issues.values()]
        .filter((i) => i.key.startsWith(`${project}-`) && i.labels.includes(label!))
        .filter((i) => i.indexedAt <= now || reconciled.has(i.id))
        .sort((a, b) => Number(a.id) - Number(b.id));
      const start =
        body.nextPageToken === undefined
          ? 0
          : Number(Buffer.from(body.nextPageToken, 'base64url').toString());
      if (Number.isNaN(start)) return jiraError(400, ['Invalid nextPageToken.']);
      const size = Math.min(body.maxResults ?? 50, this.pageSize);
      const page = matching.slice(start, start + size);
      const end = start + page.length;
      const isLast = end >= matching.length;
      return {
        status: 200,
        body: {
          issues: page.map((i) => this.issueJson(i, body.fields ?? ['id'], body.properties ?? [])),
          ...(isLast ? {} : { nextPageToken: Buffer.from(String(end)).toString('base64url') }),
          isLast,
        },
      };
    });

    this.route('POST', /^\/rest\/api\/3\/issue$/, (request) => {
      const body = (request.body ?? {}) as {
        fields?: {
          project?: { key?: string; id?: string };
          issuetype?: { id?: string; name?: string };
          summary?: string;
          description?: unknown;
          labels?: string[];
          priority?: { name?: string };
        };
        properties?: Array<{ key: string; value: unknown }>;
      };
      const fields = body.fields ?? {};
      const errors: Record<string, string> = {};
      if (fields.project?.key !== this.projectKey) errors.project = 'Specify a valid project ID or key';
      const type = this.issueTypes.find(
        (t) => t.id === fields.issuetype?.id || t.name === fields.issuetype?.name,
      );
      if (type === undefined) errors.issuetype = 'Specify a valid issue type';
      if (typeof fields.summary !== 'string' || fields.summary.trim() === '')
        errors.summary = 'You must specify a summary of the issue.';
      else if (fields.summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
      const adf = adfProblem(fields.description);
      if (adf !== undefined) errors.description = adf;
      if ((fields.labels ?? []).some((l) => /\s/.test(l)))
        errors.labels = 'The label must not contain spaces.';
      if (Object.keys(errors).length > 0) return jiraError(400, [], errors);
      this.nextId += 1;
      const id = String(this.nextId);
      const key = `${this.projectKey}-${this.issues.size + 1}`;
      this.issues.set(key, {
        id,
        key,
        summary: fields.summary!,
        description: fields.description as AdfNode,
        labels: [...(fields.labels ?? [])],
        status: STATUSES.todo,
        resolution: null,
        assignee: null,
        priority: fields.priority?.name ?? null,
        issueTypeId: type!.id,
        properties: Object.fromEntries((body.properties ?? []).map((p) => [p.key, p.value])),
        comments: [],
        changelog: [],
        indexedAt: Date.now() + this.indexLagMs,
      });
      return { status: 201, body: { id, key, self: `${this.url}/rest/api/3/issue/${id}` } };
    });

    this.route('GET', /^\/rest\/api\/3\/issue\/([^/]+)$/, (request, [idOrKey]) => {
      const issue = this.find(idOrKey!);
      if (issue === undefined)
        return jiraError(404, ['Issue does not exist or you do not have permission to see it.']);
      const fields = request.query.get('fields')?.split(',');
      const properties = request.query.get('properties')?.split(',') ?? [];
      return { status: 200, body: this.issueJson(issue, fields, properties) };
    });

    this.route('PUT', /^\/rest\/api\/3\/issue\/([^/]+)$/, (request, [idOrKey]) => {
      const issue = this.find(idOrKey!);
      if (issue === undefined)
        return jiraError(404, ['Issue does not exist or you do not have permission to see it.']);
      const body = (request.body ?? {}) as {
        update?: { labels?: Array<{ add?: string; remove?: string; set?: string[] }> };
        fields?: { summary?: string; labels?: string[] };
      };
      for (const op of body.update?.labels ?? []) {
        if (op.add !== undefined && !issue.labels.includes(op.add)) issue.labels.push(op.add);
        if (op.remove !== undefined) issue.labels = issue.labels.filter((l) => l !== op.remove);
        if (op.set !== undefined) issue.labels = [...op.set];
      }
      if (body.fields?.summary !== undefined) issue.summary = body.fields.summary;
      if (body.fields?.labels !== undefined) issue.labels = [...body.fields.labels];
      return { status: 204 };
    });

    this.route('POST', /^\/rest\/api\/3\/issue\/([^/]+)\/comment$/, (request, [idOrKey]) => {
      const issue = this.find(idOrKey!);
      if (issue === undefined)
        return jiraError(404, ['Issue does not exist or you do not have permission to see it.']);
      const body = (request.body ?? {}) as { body?: unknown };
      const problem = adfProblem(body.body);
      if (problem !== undefined) return jiraError(400, [], { comment: problem });
      const comment = {
        id: String(this.nextComment++),
        author: this.caller,
        body: body.body as AdfNode,
        created: new Date().toISOString(),
      };
      issue.comments.push(comment);
      return {
        status: 201,
        body: {
          self: `${this.url}/rest/api/3/issue/${issue.id}/comment/${comment.id}`,
          id: comment.id,
          body: comment.body,
          author: { accountId: comment.author },
        },
      };
    });

    this.route('GET', /^\/rest\/api\/3\/issue\/([^/]+)\/transitions$/, (request, [idOrKey]) => {
      const issue = this.find(idOrKey!);
      if (issue === undefined)
        return jiraError(404, ['Issue does not exist or you do not have permission to see it.']);
      const withFields = request.query.get('expand')?.includes('transitions.fields') === true;
      return {
        status: 200,
        body: {
          expand: 'transitions',
          transitions: this.transitionsFor(issue).map((t) => ({
            id: t.id,
            name: t.name,
            to: {
              self: `${this.url}/rest/api/3/status/${t.to.id}`,
              id: t.to.id,
              name: t.to.name,
              statusCategory: {
                id: CATEGORY_IDS[t.to.category],
                key: t.to.category,
                name: CATEGORY_NAMES[t.to.category],
              },
            },
            hasScreen: t.resolution === true,
            isGlobal: false,
            isInitial: false,
            isAvailable: true,
            isConditional: false,
            ...(withFields && {
              fields:
                t.resolution === true
                  ? {
                      resolution: {
                        required: true,
                        schema: { type: 'resolution', system: 'resolution' },
                        name: 'Resolution',
                        key: 'resolution',
                        operations: ['set'],
                        allowedValues: RESOLUTIONS.map((r) => ({
                          self: `${this.url}/rest/api/3/resolution/${r.id}`,
                          ...r,
                        })),
                      },
                    }
                  : {},
            }),
          })),
        },
      };
    });

    this.route('POST', /^\/rest\/api\/3\/issue\/([^/]+)\/transitions$/, (request, [idOrKey]) => {
      const issue = this.find(idOrKey!);
      if (issue === undefined)
        return jiraError(404, ['Issue does not exist or you do not have permission to see it.']);
      const body = (request.body ?? {}) as {
        transition?: { id?: string };
        fields?: { resolution?: { id?: string; name?: string } };
      };
      const transition = this.transitionsFor(issue).find((t) => t.id === body.transition?.id);
      if (transition === undefined) {
        return jiraError(400, [`Transition id '${body.transition?.id}' is not valid for this issue.`]);
      }
      let resolution: { id: string; name: string } | undefined;
      if (body.fields?.resolution !== undefined) {
        if (transition.resolution !== true) {
          return jiraError(400, [], {
            resolution: "Field 'resolution' cannot be set. It is not on the appropriate screen, or unknown.",
          });
        }
        const wanted = body.fields.resolution;
        resolution = RESOLUTIONS.find((r) => r.id === wanted.id || r.name === wanted.name);
        if (resolution === undefined)
          return jiraError(400, [], { resolution: 'Specify a valid resolution.' });
      } else if (transition.resolution === true) {
        return jiraError(400, [], { resolution: 'Resolution is required.' });
      }
      this.move(issue, transition.to, resolution, this.caller);
      return { status: 204 };
    });

    this.route('GET', /^\/rest\/api\/3\/issue\/([^/]+)\/changelog$/, (request, [idOrKey]) => {
      const issue = this.find(idOrKey!);
      if (issue === undefined)
        return jiraError(404, ['Issue does not exist or you do not have permission to see it.']);
      const startAt = Number(request.query.get('startAt') ?? 0);
      const maxResults = Math.min(Number(request.query.get('maxResults') ?? 100), 2);
      const values = issue.changelog.slice(startAt, startAt + maxResults).map((h) => ({
        id: h.id,
        author: { accountId: h.author },
        created: h.created,
        items: h.items,
      }));
      return {
        status: 200,
        body: {
          self: `${this.url}/rest/api/3/issue/${issue.key}/changelog`,
          maxResults,
          startAt,
          total: issue.changelog.length,
          isLast: startAt + values.length >= issue.changelog.length,
          values,
        },
      };
    });

    this.route(
      'GET',
      /^\/rest\/api\/3\/issue\/([^/]+)\/properties\/([^/]+)$/,
      (_request, [idOrKey, property]) => {
        const issue = this.find(idOrKey!);
        if (issue === undefined || !(property! in issue.properties)) {
          return jiraError(404, [`The property with key '${property}' does not exist.`]);
        }
        return { status: 200, body: { key: property, value: issue.properties[property!] } };
      },
    );

    this.route(
      'PUT',
      /^\/rest\/api\/3\/issue\/([^/]+)\/properties\/([^/]+)$/,
      (request, [idOrKey, property]) => {
        const issue = this.find(idOrKey!);
        if (issue === undefined)
          return jiraError(404, ['Issue does not exist or you do not have permission to see it.']);
        const existed = property! in issue.properties;
        issue.properties[property!] = request.body;
        return { status: existed ? 200 : 201 };
      },
    );
  }
}
