import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  COVERAGE_LABEL,
  CUSTOS_LABEL,
  checkAccountFingerprint,
  fingerprintLabel,
  OVERFLOW_LABEL,
} from '../../tickets/identity.js';
import { emptyTicketIndex, type TicketIndex } from '../../tickets/record.js';
import { type SyncOptions, type SyncResult, syncTickets } from '../../tickets/sync.js';
import type { TicketSink } from '../../tickets/types.js';
import {
  ACCOUNT,
  finding,
  PLANTED_IP,
  REGION,
  report,
  SG_CHECK,
  scopeError,
  sgFail,
  sgPass,
  target,
} from './fixtures.js';
import { HARNESSES, type Harness } from './harness.js';

const REPORT_PATH = '/srv/custos-reports/runs/RUN/report.json';

describe.each(HARNESSES)('ticket lifecycle with the %s sink', (_name, makeHarness) => {
  let h: Harness;
  let record: TicketIndex;

  beforeEach(async () => {
    h = await makeHarness();
    record = emptyTicketIndex(h.sink().id);
  });

  afterEach(async () => {
    await h.stop();
  });

  async function sync(
    runId: string,
    findings: Parameters<typeof report>[0]['findings'],
    options: SyncOptions & { targets?: Parameters<typeof report>[0]['targets']; sink?: TicketSink } = {},
  ): Promise<SyncResult> {
    const { targets, sink, ...rest } = options;
    const result = await syncTickets(
      report({ runId, findings, ...(targets !== undefined && { targets }) }),
      sink ?? h.sink(),
      { reportPath: REPORT_PATH.replace('RUN', runId), now: h.clock.date, ...rest },
      record,
    );
    expect(result.error).toBeUndefined();
    return result;
  }

  it('opens one ticket per problem and leaves it alone over three identical runs', async () => {
    // Prepare
    const findings = [sgFail('sg-1'), sgFail('sg-2'), sgPass('sg-3')];

    // Act
    const first = await sync('run-1', findings);
    const second = await sync('run-2', findings);
    const third = await sync('run-3', findings);

    // Assess
    expect(first.done.map((a) => a.action)).toEqual(['create']);
    expect(second.planned).toEqual([]);
    expect(third.planned).toEqual([]);
    const tickets = await h.tickets();
    expect(tickets).toHaveLength(1);
    const [ticket] = tickets;
    const fp = checkAccountFingerprint(SG_CHECK.id, ACCOUNT);
    expect(ticket!.labels).toEqual(expect.arrayContaining([CUSTOS_LABEL, fingerprintLabel(fp)]));
    expect(ticket!.title).toBe(`[custos] HIGH ${SG_CHECK.title} — account ${ACCOUNT} (2 resources)`);
    expect(ticket!.comments).toEqual([]);
    expect(record.tickets[fp]?.key).toBe(ticket!.key);
  });

  it('writes a description that says what, why, how and where, and no raw evidence', async () => {
    // Act
    await sync('run-1', [sgFail('sg-1')]);

    // Assess
    const [ticket] = await h.tickets();
    expect(ticket!.description).toContain(sgFailArn('sg-1'));
    expect(ticket!.description).toContain('Remove the inbound rules');
    expect(ticket!.description).toContain('/srv/custos-reports/runs/run-1/report.json');
    expect(ticket!.description).toMatch(/HIGH/);
    expect(ticket!.description).not.toContain(PLANTED_IP);
    expect(ticket!.description).not.toContain('Statement');
    expect(ticket!.description).not.toContain('admits');
  });

  it('comments on added and removed resources, then closes with a comment naming the run', async () => {
    // Prepare
    await sync('run-1', [sgFail('sg-1'), sgFail('sg-2')]);

    // Act
    const partly = await sync('run-2', [sgPass('sg-1'), sgFail('sg-2'), sgFail('sg-4')]);
    const fixed = await sync('run-3', [sgPass('sg-1'), sgPass('sg-2'), sgPass('sg-4')]);

    // Assess
    expect(partly.done.map((a) => [a.action, a.items])).toEqual([
      ['update', { added: 1, removed: 1, total: 2 }],
    ]);
    expect(fixed.done.map((a) => a.action)).toEqual(['close']);
    const [ticket] = await h.tickets();
    expect(ticket!.state).toBe('closed');
    expect(ticket!.comments).toHaveLength(2);
    expect(ticket!.comments[0]).toContain('run-2');
    expect(ticket!.comments[0]).toContain(sgFailArn('sg-4'));
    expect(ticket!.comments[0]).toContain(sgFailArn('sg-1'));
    expect(ticket!.comments[1]).toContain('run-3');
    expect(ticket!.comments[1]).toContain('none fails');
  });

  it('closes when the failing resource is gone and its whole scope was assessed', async () => {
    // Prepare
    await sync('run-1', [sgFail('sg-1')]);

    // Act
    const result = await sync('run-2', []);

    // Assess
    expect(result.done.map((a) => a.action)).toEqual(['close']);
  });

  it('reopens the same ticket when a fixed problem regresses', async () => {
    // Prepare
    await sync('run-1', [sgFail('sg-1')]);
    await sync('run-2', [sgPass('sg-1')]);

    // Act
    const regressed = await sync('run-3', [sgFail('sg-1')]);

    // Assess
    expect(regressed.done.map((a) => a.action)).toEqual(['reopen']);
    const tickets = await h.tickets();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.state).toBe('open');
    expect(tickets[0]!.comments.at(-1)).toContain('run-3');
    expect(tickets[0]!.comments.at(-1)).toContain('fails again');
  });

  it('reopens a regression custos closed even when the record is lost (the closer is custos)', async () => {
    // Prepare
    await sync('run-1', [sgFail('sg-1')]);
    await sync('run-2', [sgPass('sg-1')]);
    record = emptyTicketIndex(h.sink().id);

    // Act
    const regressed = await sync('run-3', [sgFail('sg-1')]);

    // Assess
    expect(regressed.done.map((a) => [a.action, a.why])).toEqual([
      ['reopen', 'custos closed it and it fails again'],
    ]);
    expect(await h.tickets()).toHaveLength(1);
  });

  it('creates no duplicate after a crash between the create and saving the record', async () => {
    // Prepare
    const crashing = new Proxy(h.sink(), {
      get(target, property, receiver) {
        if (property === 'create') {
          return async (...args: Parameters<TicketSink['create']>) => {
            await target.create(...args);
            throw new Error('process killed');
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect(sync('run-1', [sgFail('sg-1')], { sink: crashing })).rejects.toThrow('process killed');
    record = emptyTicketIndex(h.sink().id);

    // Act
    const rerun = await sync('run-1', [sgFail('sg-1')]);

    // Assess
    expect(rerun.planned.filter((a) => a.action === 'create')).toEqual([]);
    expect(await h.tickets()).toHaveLength(1);
    expect(record.tickets[checkAccountFingerprint(SG_CHECK.id, ACCOUNT)]).toBeDefined();
  });

  it('keeps tickets open when their target errored in the next run, and lists the gap', async () => {
    // Prepare
    await sync('run-1', [sgFail('sg-1')]);

    // Act
    const errored = await sync('run-2', [scopeError()], {
      targets: [
        target(ACCOUNT, REGION, 'error', {
          'ec2.securityGroups': {
            ok: false,
            error: { kind: 'access-denied', code: 'UnauthorizedOperation', message: 'denied' },
          },
        }),
        target(ACCOUNT, 'global'),
      ],
    });

    // Assess
    expect(errored.planned.filter((a) => a.ticket === 'finding')).toEqual([]);
    expect(errored.kept.map((k) => k.why)).toEqual([expect.stringContaining('not assessed')]);
    const tickets = await h.tickets();
    const problem = tickets.find((t) => !t.labels.includes(COVERAGE_LABEL));
    expect(problem!.state).toBe('open');
    const coverage = tickets.find((t) => t.labels.includes(COVERAGE_LABEL));
    expect(coverage!.state).toBe('open');
    expect(coverage!.description).toContain('access-denied (UnauthorizedOperation)');
    expect(coverage!.description).not.toContain(PLANTED_IP);
  });

  it('keeps a partly assessed ticket open: an errored region hides what it hid', async () => {
    // Prepare
    const east = 'us-east-1';
    await sync('run-1', [sgFail('sg-1'), sgFail('sg-9', { region: east })]);

    // Act
    const result = await sync('run-2', [sgPass('sg-1'), scopeError(SG_CHECK.id, ACCOUNT, east)], {
      targets: [target(), target(ACCOUNT, east, 'error', {}), target(ACCOUNT, 'global')],
    });

    // Assess
    const update = result.done.find((a) => a.ticket === 'finding');
    expect(update).toMatchObject({ action: 'update', items: { added: 0, removed: 1, total: 1 } });
    const problem = (await h.tickets()).find((t) => !t.labels.includes(COVERAGE_LABEL));
    expect(problem!.state).toBe('open');
  });

  it('respects a person closing as Won’t Fix / not planned: never reopened, commented once', async () => {
    // Prepare
    await sync('run-1', [sgFail('sg-1')]);
    const [ticket] = await h.tickets();
    await h.closeAsDecision(ticket!.key);

    // Act
    const second = await sync('run-2', [sgFail('sg-1')]);
    const third = await sync('run-3', [sgFail('sg-1'), sgFail('sg-2')]);

    // Assess
    expect(second.done.map((a) => a.action)).toEqual(['note-decision']);
    expect(third.planned).toEqual([]);
    expect(third.kept.map((k) => k.why)).toEqual([expect.stringContaining('decision stands')]);
    const tickets = await h.tickets();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.state).toBe('closed');
    expect(tickets[0]!.comments).toHaveLength(1);
    expect(tickets[0]!.comments[0]).toContain('suppression');
  });

  it('reopens a ticket a person closed as done while the check still fails', async () => {
    // Prepare
    await sync('run-1', [sgFail('sg-1')]);
    const [ticket] = await h.tickets();
    await h.closeAsDone(ticket!.key);

    // Act
    const result = await sync('run-2', [sgFail('sg-1')]);

    // Assess
    expect(result.done.map((a) => [a.action, a.why])).toEqual([
      ['reopen', 'closed as done while it still fails'],
    ]);
    const after = await h.ticket(ticket!.key);
    expect(after.state).toBe('open');
    expect(after.comments.at(-1)).toContain('still fails');
  });

  it('opens at most maxNewPerRun tickets and holds the rest in the overflow ticket', async () => {
    // Prepare
    const findings = Array.from({ length: 26 }, (_, i) => sgFail(`sg-${String(i).padStart(2, '0')}`));

    // Act
    const first = await sync('run-1', findings, { grouping: 'finding', maxNewPerRun: 25 });
    const second = await sync('run-2', findings, { grouping: 'finding', maxNewPerRun: 25 });

    // Assess
    expect(first.done.filter((a) => a.action === 'create' && a.ticket === 'finding')).toHaveLength(25);
    expect(first.done.filter((a) => a.ticket === 'overflow').map((a) => a.action)).toEqual(['create']);
    expect(first.overflow).toEqual({ held: 1, maxNewPerRun: 25 });
    expect(second.done.map((a) => [a.ticket, a.action])).toEqual([
      ['finding', 'create'],
      ['overflow', 'close'],
    ]);
    const tickets = await h.tickets();
    expect(tickets.filter((t) => !t.labels.includes(OVERFLOW_LABEL))).toHaveLength(26);
    const overflow = tickets.find((t) => t.labels.includes(OVERFLOW_LABEL));
    expect(overflow!.state).toBe('closed');
    expect(overflow!.description).toContain('maxNewPerRun = 25');
  });

  it('keeps a person’s title, label and assignee edits', async () => {
    // Prepare
    await sync('run-1', [sgFail('sg-1')]);
    const [ticket] = await h.tickets();
    await h.edit(ticket!.key, {
      title: 'Open SSH on the build hosts',
      labels: [...ticket!.labels, 'team-platform'],
      assignee: 'alice',
    });

    // Act
    await sync('run-2', [sgFail('sg-1'), sgFail('sg-2')]);

    // Assess
    const after = await h.ticket(ticket!.key);
    expect(after.title).toBe('Open SSH on the build hosts');
    expect(after.labels).toContain('team-platform');
    expect(after.assignee).toBe('alice');
    expect(after.description).toBe(ticket!.description);
    expect(after.comments).toHaveLength(1);
  });

  it('puts back a fingerprint label a person removed, and opens no duplicate', async () => {
    // Prepare
    await sync('run-1', [sgFail('sg-1')]);
    const [ticket] = await h.tickets();
    const fpLabel = fingerprintLabel(checkAccountFingerprint(SG_CHECK.id, ACCOUNT));
    await h.edit(ticket!.key, { labels: ticket!.labels.filter((l) => l !== fpLabel) });
    record = emptyTicketIndex(h.sink().id);

    // Act
    const result = await sync('run-2', [sgFail('sg-1')]);

    // Assess
    expect(result.done.map((a) => a.action)).toEqual(['relabel']);
    expect(await h.tickets()).toHaveLength(1);
    expect((await h.ticket(ticket!.key)).labels).toContain(fpLabel);
  });

  it('opens the coverage ticket for errors and closes it when a run has none', async () => {
    // Prepare
    const errorTargets = [target(ACCOUNT, REGION, 'error', {}), target(ACCOUNT, 'global')];

    // Act
    const gaps = await sync('run-1', [scopeError()], { targets: errorTargets });
    const same = await sync('run-2', [scopeError()], { targets: errorTargets });
    const clean = await sync('run-3', [sgPass('sg-1')]);

    // Assess
    expect(gaps.done.map((a) => [a.ticket, a.action])).toEqual([['coverage', 'create']]);
    expect(same.planned).toEqual([]);
    expect(clean.done.map((a) => [a.ticket, a.action])).toEqual([['coverage', 'close']]);
    const tickets = await h.tickets();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.labels).toEqual(expect.arrayContaining([CUSTOS_LABEL, COVERAGE_LABEL]));
    expect(tickets[0]!.state).toBe('closed');
    expect(tickets[0]!.comments.at(-1)).toContain('run-3');
  });

  it('opens no ticket below minSeverity, for suppressed findings or for ERROR findings', async () => {
    // Act
    const result = await sync('run-1', [
      sgFail('sg-1', { severity: 'medium' }),
      sgFail('sg-2', { suppressed: true }),
      finding({
        resourceId: 'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-3',
        status: 'ERROR',
        severity: 'low',
      }),
    ]);

    // Assess
    expect(result.planned).toEqual([]);
    expect(await h.tickets()).toHaveLength(0);
  });

  it('closes when the last failure is suppressed, and says so', async () => {
    // Prepare
    await sync('run-1', [sgFail('sg-1')]);

    // Act
    const result = await sync('run-2', [sgFail('sg-1', { suppressed: true })]);

    // Assess
    expect(result.done.map((a) => a.action)).toEqual(['close']);
    const [ticket] = await h.tickets();
    expect(ticket!.comments.at(-1)).toContain('suppressed as an accepted risk');
  });

  it('does not close a ticket whose resources still fail under another grouping', async () => {
    // Prepare
    await sync('run-1', [sgFail('sg-1')]);

    // Act
    const result = await sync('run-2', [sgFail('sg-1')], { grouping: 'finding' });

    // Assess
    expect(result.planned.filter((a) => a.action === 'close')).toEqual([]);
    const tickets = await h.tickets();
    expect(tickets.filter((t) => t.state === 'open')).toHaveLength(2);
  });

  it('plans without writing on a dry run', async () => {
    // Act
    const result = await sync('run-1', [sgFail('sg-1')], { dryRun: true });

    // Assess
    expect(result.dryRun).toBe(true);
    expect(result.planned.map((a) => a.action)).toEqual(['create']);
    expect(result.done).toEqual([]);
    expect(await h.tickets()).toHaveLength(0);
    expect(record.tickets).toEqual({});
  });
});

function sgFailArn(id: string): string {
  return `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${id}`;
}
