import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TicketPreflightError, TicketSinkError } from '../../tickets/errors.js';
import { checkAccountFingerprint } from '../../tickets/identity.js';
import { JiraTicketSink } from '../../tickets/jira.js';
import { preflight } from '../../tickets/preflight.js';
import { emptyTicketIndex, type TicketIndex } from '../../tickets/record.js';
import { type SyncOptions, syncTickets } from '../../tickets/sync.js';
import { CUSTOS_ACCOUNT, type FakeJira, STATUSES } from './fakes/jira.js';
import { ACCOUNT, OTHER_ACCOUNT, report, SG_CHECK, sgFail, sgPass } from './fixtures.js';
import { type Harness, jiraHarness } from './harness.js';

let h: Harness & { fake: FakeJira };
let record: TicketIndex;

async function start(options: Parameters<typeof jiraHarness>[0] = {}): Promise<void> {
  h = await jiraHarness(options);
  record = emptyTicketIndex(h.sink().id);
}

afterEach(async () => {
  await h.stop();
});

function sync(runId: string, findings: Parameters<typeof report>[0]['findings'], options: SyncOptions = {}) {
  const accounts = [...new Set([ACCOUNT, ...findings.map((f) => f.accountId)])];
  return syncTickets(
    report({ runId, findings, accounts }),
    h.sink(),
    { now: h.clock.date, ...options },
    record,
  );
}

describe('the Jira sink', () => {
  beforeEach(async () => {
    await start();
  });

  it('creates an issue with an ADF description, the labels, the priority and the custos property', async () => {
    // Act
    const result = await sync('run-1', [sgFail('sg-1')]);

    // Assess
    expect(result.status).toBe('ok');
    const issue = h.fake.issues.get('SEC-1')!;
    const fp = checkAccountFingerprint(SG_CHECK.id, ACCOUNT);
    expect(issue.properties.custos).toEqual({ fingerprint: fp, checkId: SG_CHECK.id, accountId: ACCOUNT });
    expect(issue.labels).toEqual(['custos', `custos-fp-${fp.slice(0, 20)}`]);
    expect(issue.priority).toBe('High');
    expect(issue.issueTypeId).toBe('10001');
    expect(issue.description.type).toBe('doc');
    expect(result.done[0]).toMatchObject({ key: 'SEC-1', url: `${h.fake.url}/browse/SEC-1` });
  });

  it('closes through the transition to the done category, with resolution Done', async () => {
    // Prepare
    await sync('run-1', [sgFail('sg-1')]);

    // Act
    const result = await sync('run-2', [sgPass('sg-1')]);

    // Assess
    expect(result.done.map((a) => a.action)).toEqual(['close']);
    const issue = h.fake.issues.get('SEC-1')!;
    expect(issue.status).toEqual(STATUSES.done);
    expect(issue.resolution?.name).toBe('Done');
    expect(issue.changelog.at(-1)?.author).toBe(CUSTOS_ACCOUNT);
    expect(h.fake.calls('POST', /\/transitions$/).map((r) => r.body)).toEqual([
      { transition: { id: '31' }, fields: { resolution: { id: '10000' } } },
    ]);
  });

  it('reports a close the workflow does not offer as not done, and does not walk the workflow', async () => {
    // Prepare
    await sync('run-1', [sgFail('sg-1')]);
    h.fake.personTransition('SEC-1', STATUSES.blocked);

    // Act
    const result = await sync('run-2', [sgPass('sg-1')]);

    // Assess
    expect(result.status).toBe('partial');
    expect(result.notDone).toEqual([
      expect.objectContaining({
        action: 'close',
        key: 'SEC-1',
        reason: 'the workflow offers no transition to a done status from "Blocked"',
      }),
    ]);
    expect(h.fake.issues.get('SEC-1')!.status).toEqual(STATUSES.blocked);
    expect(h.fake.calls('POST', /\/transitions$/)).toEqual([]);
    expect(h.fake.commentTexts('SEC-1')).toEqual([]);
  });

  it('treats a person closing without a resolution as their decision', async () => {
    // Prepare
    await sync('run-1', [sgFail('sg-1')]);
    h.fake.issues.get('SEC-1')!.status = STATUSES.done;
    h.fake.issues.get('SEC-1')!.changelog.push({
      id: '9',
      author: 'someone-else',
      created: new Date().toISOString(),
      items: [{ field: 'status', fieldId: 'status', fromString: 'To Do', toString: 'Done' }],
    });

    // Act
    const result = await sync('run-2', [sgFail('sg-1')]);

    // Assess
    expect(result.done.map((a) => a.action)).toEqual(['note-decision']);
    expect(h.fake.commentTexts('SEC-1')[0]).toContain('closed without a resolution');
  });

  it('lists every page of the search with nextPageToken', async () => {
    // Prepare: five problems, two issues per page.
    const accounts = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'];
    const findings = accounts.map((a) => sgFail('sg-1', { accountId: a }));
    await sync('run-1', findings);
    record = emptyTicketIndex(h.sink().id);

    // Act
    const again = await sync('run-2', findings);

    // Assess
    expect(again.planned).toEqual([]);
    const searches = h.fake.calls('POST', /\/search\/jql$/).slice(-3);
    expect(searches.map((r) => (r.body as { nextPageToken?: string }).nextPageToken !== undefined)).toEqual([
      false,
      true,
      true,
    ]);
    expect((searches[0]!.body as { jql: string }).jql).toBe(
      'project = "SEC" AND labels = custos ORDER BY key ASC',
    );
  });

  it('passes the ids the record knows as reconcileIssues, so a lagging index causes no duplicate', async () => {
    // Prepare
    await h.stop();
    await start({ indexLagMs: 3_600_000 });
    await sync('run-1', [sgFail('sg-1')]);

    // Act
    const second = await sync('run-2', [sgFail('sg-1')]);

    // Assess
    expect(second.planned).toEqual([]);
    expect(h.fake.issues.size).toBe(1);
    const search = h.fake.calls('POST', /\/search\/jql$/).at(-1)!;
    expect((search.body as { reconcileIssues?: number[] }).reconcileIssues).toEqual([
      Number(h.fake.issues.get('SEC-1')!.id),
    ]);
  });

  it('waits as a 429 Retry-After asks (without sleeping for real) and succeeds', async () => {
    // Prepare
    h.fake.fail({
      method: 'POST',
      path: /^\/rest\/api\/3\/issue$/,
      status: 429,
      headers: { 'retry-after': '7' },
      body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
    });

    // Act
    const result = await sync('run-1', [sgFail('sg-1')]);

    // Assess
    expect(result.status).toBe('ok');
    expect(h.clock.sleeps).toEqual([7000]);
    expect(h.fake.issues.size).toBe(1);
  });

  it('waits until X-RateLimit-Reset when a 429 has no Retry-After', async () => {
    // Prepare: the fake clock stands at 02:10:00Z.
    h.fake.fail({
      method: 'POST',
      path: /\/search\/jql$/,
      status: 429,
      headers: { 'x-ratelimit-reset': '2026-03-01T02:10:45Z' },
      body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
    });

    // Act
    const result = await sync('run-1', [sgFail('sg-1')]);

    // Assess
    expect(result.status).toBe('ok');
    expect(h.clock.sleeps).toEqual([45_000]);
  });

  it('retries a 503 with backoff', async () => {
    // Prepare
    h.fake.fail({
      method: 'POST',
      path: /\/search\/jql$/,
      status: 503,
      times: 2,
      body: 'Service Unavailable',
    });

    // Act
    const result = await sync('run-1', [sgFail('sg-1')]);

    // Assess
    expect(result.status).toBe('ok');
    expect(h.clock.sleeps).toEqual([1000, 2000]);
  });

  it('fails only the ticket step when Jira stays unavailable, and catches up on the next run', async () => {
    // Prepare
    const findings = [sgFail('sg-1'), sgFail('sg-1', { accountId: OTHER_ACCOUNT })];
    h.fake.fail({
      method: 'POST',
      path: /^\/rest\/api\/3\/issue$/,
      status: 503,
      times: 5,
      body: 'Service Unavailable',
    });

    // Act
    const failed = await sync('run-1', findings);
    const next = await sync('run-2', findings);

    // Assess
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('HTTP 503');
    expect(failed.notDone.map((a) => a.reason)).toEqual([
      expect.stringContaining('after 5 attempts'),
      expect.stringContaining('not attempted'),
    ]);
    expect(h.clock.sleeps).toEqual([1000, 2000, 4000, 8000]);
    expect(next.status).toBe('ok');
    expect(next.done.map((a) => a.action)).toEqual(['create', 'create']);
    expect(h.fake.issues.size).toBe(2);
  });

  it('retries a refused connection, then fails only the ticket step', async () => {
    // Prepare
    const url = h.fake.url;
    await h.fake.stop();
    const sink = new JiraTicketSink({
      baseUrl: url,
      projectKey: 'SEC',
      email: h.fake.email,
      token: h.fake.token,
      retry: { sleep: h.clock.sleep, now: h.clock.now },
    });

    // Act
    const result = await syncTickets(
      report({ runId: 'run-1', findings: [sgFail('sg-1')] }),
      sink,
      {},
      record,
    );

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toContain('no response');
    expect(h.clock.sleeps).toEqual([1000, 2000, 4000, 8000]);
  });

  it('gives up at once when a limit asks for more than 60 s', async () => {
    // Prepare
    h.fake.fail({ method: 'POST', path: /\/search\/jql$/, status: 429, headers: { 'retry-after': '120' } });

    // Act
    const result = await sync('run-1', [sgFail('sg-1')]);

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toContain('120 s');
    expect(h.clock.sleeps).toEqual([]);
  });

  it('never puts the token in an error, even when Jira echoes it', async () => {
    // Prepare
    const basic = Buffer.from(`${h.fake.email}:${h.fake.token}`).toString('base64');
    h.fake.fail({
      method: 'POST',
      path: /^\/rest\/api\/3\/issue$/,
      status: 400,
      body: { errorMessages: [`bad credentials ${h.fake.token}`], errors: { auth: `Basic ${basic}` } },
    });

    // Act
    const error = await h
      .sink()
      .create({ fingerprint: 'a'.repeat(64), title: 't', labels: ['custos'], description: [] })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(TicketSinkError);
    const message = (error as Error).message;
    expect(message).toContain('HTTP 400');
    expect(message).not.toContain(h.fake.token);
    expect(message).not.toContain(basic);
    expect(JSON.stringify(error)).not.toContain(h.fake.token);
  });
});

describe('Jira preflight', () => {
  beforeEach(async () => {
    await start();
  });

  it('passes with good credentials, project and issue type (by name or id)', async () => {
    await expect(preflight(h.sink())).resolves.toBeUndefined();
    const byId = new JiraTicketSink({
      baseUrl: h.fake.url,
      projectKey: 'SEC',
      issueType: '10002',
      email: h.fake.email,
      token: h.fake.token,
    });
    await expect(preflight(byId)).resolves.toBeUndefined();
  });

  it('names refused credentials without the token', async () => {
    // Prepare
    const sink = new JiraTicketSink({
      baseUrl: h.fake.url,
      projectKey: 'SEC',
      email: h.fake.email,
      token: 'wrong-token-0123456789',
    });

    // Act
    const error = await preflight(sink).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(TicketPreflightError);
    expect((error as TicketPreflightError).exitCode).toBe(2);
    expect((error as Error).message).toContain('were refused (HTTP 401)');
    expect((error as Error).message).not.toContain('wrong-token-0123456789');
  });

  it('names a missing project and a missing issue type', async () => {
    const noProject = new JiraTicketSink({
      baseUrl: h.fake.url,
      projectKey: 'NOPE',
      email: h.fake.email,
      token: h.fake.token,
    });
    await expect(preflight(noProject)).rejects.toThrow(/project NOPE was not found/);
    const noType = new JiraTicketSink({
      baseUrl: h.fake.url,
      projectKey: 'SEC',
      issueType: 'Story',
      email: h.fake.email,
      token: h.fake.token,
    });
    await expect(preflight(noType)).rejects.toThrow(
      'project SEC has no issue type "Story" (tickets.jira.issueType); it has Bug, Task',
    );
  });

  it('refuses plain http to anything but a loopback host', () => {
    expect(
      () =>
        new JiraTicketSink({ baseUrl: 'http://jira.example.com', projectKey: 'SEC', email: 'e', token: 't' }),
    ).toThrow(TicketPreflightError);
  });
});
