import { describe, expect, it } from 'vitest';
import { COVERAGE_FINGERPRINT, checkAccountFingerprint } from '../../tickets/identity.js';
import { type LocalTicketFile, LocalTicketSink } from '../../tickets/local.js';
import { loadTicketIndex, saveTicketIndex, TICKET_INDEX_KEY } from '../../tickets/record.js';
import { syncTickets } from '../../tickets/sync.js';
import { ACCOUNT, PLANTED_IP, report, SG_CHECK, scopeError, sgFail, sgPass, target } from './fixtures.js';
import { localHarness } from './harness.js';

describe('the local sink', () => {
  it('keeps one file per ticket, tickets/<fingerprint>.json, and the record in tickets/index.json', async () => {
    // Prepare
    const h = await localHarness();
    const sink = h.sink();
    const record = await loadTicketIndex(h.store, sink.id);
    const fp = checkAccountFingerprint(SG_CHECK.id, ACCOUNT);

    // Act
    await syncTickets(
      report({
        runId: 'run-1',
        findings: [sgFail('sg-1'), scopeError(SG_CHECK.id, ACCOUNT, 'us-east-1')],
        targets: [target(), target(ACCOUNT, 'us-east-1', 'error', {}), target(ACCOUNT, 'global')],
      }),
      sink,
      { reportPath: h.store.locate('runs/run-1/report.json'), now: h.clock.date },
      record,
    );
    await saveTicketIndex(h.store, record);

    // Assess
    expect(await h.store.list('tickets/')).toEqual(
      [`tickets/${COVERAGE_FINGERPRINT}.json`, `tickets/${fp}.json`, TICKET_INDEX_KEY].sort(),
    );
    const file = JSON.parse((await h.store.get(`tickets/${fp}.json`))!.toString('utf8')) as LocalTicketFile;
    expect(file).toMatchObject({
      schemaVersion: 1,
      key: fp,
      fingerprint: fp,
      state: 'open',
      resolution: null,
      checkId: SG_CHECK.id,
      accountId: ACCOUNT,
      severity: 'high',
      labels: ['custos', `custos-fp-${fp.slice(0, 20)}`],
      comments: [],
    });
    expect(file.description).toContain('runs/run-1/report.json');
    expect(file.description).not.toContain(PLANTED_IP);
    const index = JSON.parse((await h.store.get(TICKET_INDEX_KEY))!.toString('utf8'));
    expect(index).toMatchObject({
      schemaVersion: 1,
      sink: 'local',
      tickets: {
        [fp]: { key: fp, kind: 'finding', lastAction: 'created', lastRunId: 'run-1', closedByCustos: false },
        [COVERAGE_FINGERPRINT]: { kind: 'coverage', lastAction: 'created' },
      },
    });
    expect(index.tickets[fp].items).toEqual([
      expect.objectContaining({
        resourceId: `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-1`,
        region: 'eu-west-1',
      }),
    ]);
    expect(await loadTicketIndex(h.store, 'local')).toEqual(index);
  });

  it('rewrites a ticket file in place when it closes it', async () => {
    // Prepare
    const h = await localHarness();
    const record = await loadTicketIndex(h.store, 'local');
    await syncTickets(
      report({ runId: 'run-1', findings: [sgFail('sg-1')] }),
      h.sink(),
      { now: h.clock.date },
      record,
    );

    // Act
    await syncTickets(
      report({ runId: 'run-2', findings: [sgPass('sg-1')] }),
      h.sink(),
      { now: h.clock.date },
      record,
    );

    // Assess
    const [ticket] = await h.tickets();
    expect(ticket!.state).toBe('closed');
    expect((await h.store.list('tickets/')).filter((k) => k !== TICKET_INDEX_KEY)).toHaveLength(1);
  });

  it('reads a record written for another tracker as empty', async () => {
    // Prepare
    const h = await localHarness();
    await h.store.put(
      TICKET_INDEX_KEY,
      JSON.stringify({ schemaVersion: 1, sink: 'github:acme/security', tickets: {} }),
    );

    // Act
    const index = await loadTicketIndex(h.store, 'local');

    // Assess
    expect(index).toEqual({ schemaVersion: 1, sink: 'local', tickets: {} });
  });

  it('fails the sync, rather than overwrite it, when a person broke a ticket file', async () => {
    // Prepare
    const h = await localHarness();
    const fp = checkAccountFingerprint(SG_CHECK.id, ACCOUNT);
    await h.store.put(`tickets/${fp}.json`, '{ not json');

    // Act
    const result = await syncTickets(
      report({ runId: 'run-1', findings: [sgFail('sg-1')] }),
      new LocalTicketSink(h.store),
      {},
      await loadTicketIndex(h.store, 'local'),
    );

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toContain('is not valid JSON');
    expect((await h.store.get(`tickets/${fp}.json`))!.toString()).toBe('{ not json');
  });
});
