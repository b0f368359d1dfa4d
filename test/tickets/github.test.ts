import { afterEach, describe, expect, it } from 'vitest';
import { TicketPreflightError, TicketSinkError } from '../../tickets/errors.js';
import { GithubTicketSink } from '../../tickets/github.js';
import {
  bodyMarker,
  CUSTOS_LABEL,
  checkAccountFingerprint,
  fingerprintLabel,
} from '../../tickets/identity.js';
import { preflight } from '../../tickets/preflight.js';
import { emptyTicketIndex, type TicketIndex } from '../../tickets/record.js';
import { type SyncOptions, syncTickets } from '../../tickets/sync.js';
import { CUSTOS_LOGIN, type FakeGithub, SECONDARY_LIMIT_BODY } from './fakes/github.js';
import { ACCOUNT, report, SG_CHECK, sgFail, sgPass } from './fixtures.js';
import { githubHarness, type Harness } from './harness.js';

let h: Harness & { fake: FakeGithub };
let record: TicketIndex;

async function start(options: Parameters<typeof githubHarness>[0] = {}): Promise<void> {
  h = await githubHarness(options);
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

const fp = checkAccountFingerprint(SG_CHECK.id, ACCOUNT);

describe('the GitHub sink', () => {
  it('creates an issue whose body ends with the hidden fingerprint marker', async () => {
    // Prepare
    await start();

    // Act
    const result = await sync('run-1', [sgFail('sg-1')]);

    // Assess
    expect(result.status).toBe('ok');
    const [issue] = h.fake.realIssues();
    expect(issue!.body!.endsWith(bodyMarker(fp))).toBe(true);
    expect(issue!.labels).toEqual([CUSTOS_LABEL, fingerprintLabel(fp)]);
    expect(fingerprintLabel(fp).length).toBeLessThanOrEqual(50);
  });

  it('closes as completed and reopens, as custos’s own user', async () => {
    // Prepare
    await start();
    await sync('run-1', [sgFail('sg-1')]);

    // Act
    await sync('run-2', [sgPass('sg-1')]);
    const closed = { ...h.fake.issues.get(1)! };
    await sync('run-3', [sgFail('sg-1')]);

    // Assess
    expect(closed).toMatchObject({ state: 'closed', state_reason: 'completed', closed_by: CUSTOS_LOGIN });
    expect(h.fake.issues.get(1)).toMatchObject({ state: 'open', state_reason: 'reopened' });
    expect(h.fake.calls('PATCH', /\/issues\/1$/).map((r) => r.body)).toEqual([
      { state: 'closed', state_reason: 'completed' },
      { state: 'open', state_reason: 'reopened' },
    ]);
  });

  it('skips pull requests in the issues list, every page of it', async () => {
    // Prepare: a pull request that even carries the fingerprint label, and more issues than a page.
    await start({ pageSize: 2 });
    h.fake.addPullRequest('Fix the security group', [CUSTOS_LABEL, fingerprintLabel(fp)]);
    const others = ['222222222222', '333333333333', '444444444444'].map((a) =>
      sgFail('sg-1', { accountId: a }),
    );
    const findings = [sgFail('sg-1'), ...others];

    // Act
    const first = await sync('run-1', findings);
    record = emptyTicketIndex(h.sink().id);
    const second = await sync('run-2', findings);

    // Assess
    expect(first.done.map((a) => a.action)).toEqual(['create', 'create', 'create', 'create']);
    expect(second.planned).toEqual([]);
    const pages = h.fake.calls('GET', /\/issues$/).slice(-3);
    expect(pages.map((r) => r.query.get('page') ?? '1')).toEqual(['1', '2', '3']);
    expect(pages[0]!.query.get('labels')).toBe('custos');
    expect(pages[0]!.query.get('state')).toBe('all');
    expect(h.fake.calls('GET', /\/search\//)).toEqual([]);
  });

  it('adds the labels GitHub dropped from a new issue, so the ticket is found again', async () => {
    // Prepare
    await start();
    h.fake.dropLabelsOnCreate = true;

    // Act
    await sync('run-1', [sgFail('sg-1')]);
    const second = await sync('run-2', [sgFail('sg-1')]);

    // Assess
    expect(h.fake.realIssues().map((i) => i.labels)).toEqual([[CUSTOS_LABEL, fingerprintLabel(fp)]]);
    expect(second.planned).toEqual([]);
  });

  it('spaces creates at least one second apart', async () => {
    // Prepare
    await start();
    const findings = ['222222222222', '333333333333', '444444444444'].map((a) =>
      sgFail('sg-1', { accountId: a }),
    );

    // Act
    await sync('run-1', findings);

    // Assess: the fake clock moves only when custos sleeps.
    expect(h.clock.sleeps).toEqual([1000, 1000]);
    expect(h.fake.realIssues()).toHaveLength(3);
  });

  it('waits out a secondary rate limit (403) as retry-after says', async () => {
    // Prepare
    await start();
    h.fake.fail({
      method: 'POST',
      path: /\/issues$/,
      status: 403,
      headers: { 'retry-after': '30', 'x-ratelimit-remaining': '4990' },
      body: SECONDARY_LIMIT_BODY,
    });

    // Act
    const result = await sync('run-1', [sgFail('sg-1')]);

    // Assess
    expect(result.status).toBe('ok');
    expect(h.clock.sleeps).toEqual([30_000]);
    expect(h.fake.realIssues()).toHaveLength(1);
  });

  it('waits a minute after a secondary rate limit that names no time', async () => {
    // Prepare
    await start();
    h.fake.fail({
      method: 'GET',
      path: /\/issues$/,
      status: 429,
      body: { ...SECONDARY_LIMIT_BODY, status: '429' },
    });

    // Act
    const result = await sync('run-1', [sgFail('sg-1')]);

    // Assess
    expect(result.status).toBe('ok');
    expect(h.clock.sleeps).toEqual([60_000]);
  });

  it('waits for the primary limit to reset (x-ratelimit-remaining: 0)', async () => {
    // Prepare
    await start();
    const reset = Math.floor(h.clock.ms / 1000) + 12;
    h.fake.fail({
      method: 'GET',
      path: /\/issues$/,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      body: {
        message: 'API rate limit exceeded for user ID 1001.',
        documentation_url: 'https://docs.github.com/rest',
      },
    });

    // Act
    const result = await sync('run-1', [sgFail('sg-1')]);

    // Assess
    expect(result.status).toBe('ok');
    expect(h.clock.sleeps).toEqual([12_000]);
  });

  it('fails the ticket step, without throwing, when the primary limit resets in an hour', async () => {
    // Prepare
    await start();
    h.fake.fail({
      method: 'GET',
      path: /\/issues$/,
      status: 403,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(h.clock.ms / 1000) + 3600),
      },
      body: { message: 'API rate limit exceeded for user ID 1001.' },
    });

    // Act
    const result = await sync('run-1', [sgFail('sg-1')]);

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toContain('API rate limit exceeded');
    expect(h.clock.sleeps).toEqual([]);
    expect(h.fake.realIssues()).toHaveLength(0);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    // Prepare
    await start();
    h.fake.fail({
      method: 'GET',
      path: /\/issues$/,
      status: 503,
      headers: { 'retry-after': new Date(h.clock.ms + 5000).toUTCString() },
      body: { message: 'Service Unavailable' },
    });

    // Act
    const result = await sync('run-1', [sgFail('sg-1')]);

    // Assess
    expect(result.status).toBe('ok');
    expect(h.clock.sleeps).toEqual([5000]);
  });

  it('does not retry a 422 and reports it with GitHub’s message, never the token', async () => {
    // Prepare
    await start();
    h.fake.fail({
      method: 'POST',
      path: /\/issues$/,
      status: 422,
      body: {
        message: `Validation Failed for token ${h.fake.token}`,
        errors: [{ resource: 'Issue', code: 'custom', field: 'title', message: 'title is too long' }],
      },
    });

    // Act
    const result = await sync('run-1', [sgFail('sg-1')]);

    // Assess
    expect(result.status).toBe('partial');
    expect(result.notDone[0]!.reason).toContain('HTTP 422: Validation Failed');
    expect(result.notDone[0]!.reason).toContain('title is too long');
    expect(JSON.stringify(result)).not.toContain(h.fake.token);
    expect(h.clock.sleeps).toEqual([]);
  });

  it('works against a GitHub Enterprise Server API root', async () => {
    // Prepare
    await start({ prefix: '/api/v3' });

    // Act
    const result = await sync('run-1', [sgFail('sg-1')]);

    // Assess
    expect(result.status).toBe('ok');
    expect(h.fake.calls('POST', /^\/api\/v3\/repos\/acme\/security\/issues$/)).toHaveLength(1);
    expect(h.sink().id).toBe(`github:${h.fake.apiUrl}/acme/security`);
  });

  it('surfaces the token nowhere in a thrown sink error', async () => {
    // Prepare
    await start();
    h.fake.fail({
      method: 'POST',
      path: /\/comments$/,
      status: 400,
      body: { message: `echo: token ${h.fake.token}` },
    });

    // Act
    const error = await h
      .sink()
      .comment({ key: '1', id: '1', title: '', labels: [], state: 'open' }, [
        { type: 'paragraph', content: ['x'] },
      ])
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(TicketSinkError);
    expect((error as Error).message).not.toContain(h.fake.token);
    expect((error as Error).message).toContain('[REDACTED]');
  });
});

describe('GitHub preflight', () => {
  it('refuses a public repository unless allowPublic', async () => {
    // Prepare
    await start();
    h.fake.visibility = 'public';
    const allowed = new GithubTicketSink({
      repo: 'acme/security',
      token: h.fake.token,
      baseUrl: h.fake.apiUrl,
      allowPublic: true,
    });

    // Act
    const refused = await preflight(h.sink()).catch((e: unknown) => e);

    // Assess
    expect(refused).toBeInstanceOf(TicketPreflightError);
    expect((refused as TicketPreflightError).exitCode).toBe(2);
    expect((refused as Error).message).toContain('GitHub repository acme/security');
    expect((refused as Error).message).toContain('is public');
    expect((refused as Error).message).toContain('allowPublic');
    await expect(preflight(allowed)).resolves.toBeUndefined();
  });

  it('accepts private and internal repositories', async () => {
    await start();
    await expect(preflight(h.sink())).resolves.toBeUndefined();
    h.fake.visibility = 'internal';
    await expect(preflight(h.sink())).resolves.toBeUndefined();
  });

  it('names bad credentials and a missing repository, without the token', async () => {
    // Prepare
    await start();
    const badToken = new GithubTicketSink({
      repo: 'acme/security',
      token: 'ghp_wrong0123456789',
      baseUrl: h.fake.apiUrl,
    });
    const missing = new GithubTicketSink({ repo: 'acme/nope', token: h.fake.token, baseUrl: h.fake.apiUrl });

    // Act
    const bad = await preflight(badToken).catch((e: unknown) => e);

    // Assess
    expect((bad as Error).message).toContain('refused the token (HTTP 401');
    expect((bad as Error).message).not.toContain('ghp_wrong0123456789');
    await expect(preflight(missing)).rejects.toThrow(/acme\/nope .*was not found/);
  });

  it('names a token whose user may not label or close issues', async () => {
    await start();
    h.fake.role = 'read';
    await expect(preflight(h.sink())).rejects.toThrow('needs at least the triage role');
  });

  it('refuses a repository that is not owner/name', () => {
    expect(() => new GithubTicketSink({ repo: 'acme', token: 't' })).toThrow(TicketPreflightError);
  });
});
