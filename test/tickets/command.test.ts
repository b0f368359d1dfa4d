import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalReportStore } from '../../reports/local-store.js';
import { EXIT_SYNC_FAILED, ticketsSyncCommand } from '../../tickets/command.js';
import { TicketPreflightError } from '../../tickets/errors.js';
import { chosenSink } from '../../tickets/factory.js';
import { TICKET_INDEX_KEY } from '../../tickets/record.js';
import { FakeGithub } from './fakes/github.js';
import { FakeClock, report, sgFail, sgPass } from './fixtures.js';

let store: LocalReportStore;
let output: string[];
const write = (text: string) => output.push(text);

async function storeRun(runId: string, findings: Parameters<typeof report>[0]['findings']): Promise<void> {
  await store.putOnce(`runs/${runId}/report.json`, JSON.stringify(report({ runId, findings })));
}

beforeEach(() => {
  store = new LocalReportStore(mkdtempSync(join(tmpdir(), 'custos-tickets-cmd-')));
  output = [];
});

describe('custos tickets sync', () => {
  it('prints the planned creates on a dry run and writes nothing', async () => {
    // Prepare
    await storeRun('run-1', [sgFail('sg-1')]);

    // Act
    const code = await ticketsSyncCommand(store, undefined, { runId: 'run-1', dryRun: true }, write);

    // Assess
    expect(code).toBe(0);
    expect(output.join('\n')).toMatch(
      /^tickets \(dry run, nothing written\): local tickets in .*: 1 to create, 0 to update, 0 to close/,
    );
    expect(output.join('\n')).toContain('create  [custos] HIGH Security groups do not admit');
    expect(await store.list('tickets/')).toEqual([]);
  });

  it('syncs the local sink by default, saves the record, and closes on a later run', async () => {
    // Prepare
    await storeRun('run-1', [sgFail('sg-1')]);
    await storeRun('run-2', [sgPass('sg-1')]);

    // Act
    const first = await ticketsSyncCommand(store, {}, { runId: 'run-1' }, write);
    const second = await ticketsSyncCommand(store, {}, { runId: 'run-2' }, write);

    // Assess
    expect([first, second]).toEqual([0, 0]);
    expect(output[0]).toContain('1 created');
    expect(output[1]).toContain('1 closed');
    expect(output[1]).toMatch(/close {3}[0-9a-f]{64} \[custos\] HIGH/);
    expect(await store.list('tickets/')).toHaveLength(2);
    expect(await store.get(TICKET_INDEX_KEY)).toBeDefined();
  });

  it('does nothing with sink "none"', async () => {
    await storeRun('run-1', [sgFail('sg-1')]);
    expect(await ticketsSyncCommand(store, { sink: 'none' }, { runId: 'run-1' }, write)).toBe(0);
    expect(output).toEqual(['tickets: tickets.sink is "none": nothing to sync.']);
  });

  it('refuses a run that is not in the store, and a run id that is not one (exit 2)', async () => {
    await expect(ticketsSyncCommand(store, {}, { runId: 'nope' }, write)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('no run nope'),
    });
    await expect(ticketsSyncCommand(store, {}, { runId: '../etc' }, write)).rejects.toMatchObject({
      exitCode: 2,
    });
  });

  describe('with GitHub', () => {
    let fake: FakeGithub;

    beforeEach(async () => {
      fake = await new FakeGithub().start();
    });

    afterEach(async () => {
      await fake.stop();
    });

    const config = () => ({
      github: { repo: 'acme/security', token: { env: 'CUSTOS_TEST_GH' }, baseUrl: fake.apiUrl },
    });
    const tokens = () => ({ env: { CUSTOS_TEST_GH: fake.token } });

    it('chooses the one tracker configured and syncs it', async () => {
      // Prepare
      await storeRun('run-1', [sgFail('sg-1')]);
      const clock = new FakeClock();

      // Act
      const code = await ticketsSyncCommand(
        store,
        config(),
        { runId: 'run-1', tokens: tokens(), retry: { sleep: clock.sleep, now: clock.now } },
        write,
      );

      // Assess
      expect(chosenSink(config())).toBe('github');
      expect(code).toBe(0);
      expect(fake.realIssues()).toHaveLength(1);
      expect(output[0]).toContain('GitHub repository acme/security');
    });

    it('fails preflight on a public repository (exit 2) and writes nothing', async () => {
      // Prepare
      await storeRun('run-1', [sgFail('sg-1')]);
      fake.visibility = 'public';

      // Act
      const error = await ticketsSyncCommand(
        store,
        config(),
        { runId: 'run-1', tokens: tokens() },
        write,
      ).catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(TicketPreflightError);
      expect((error as TicketPreflightError).exitCode).toBe(2);
      expect(fake.realIssues()).toHaveLength(0);
      expect(await store.list('tickets/')).toEqual([]);
    });

    it('exits 3 when the tracker is unavailable, and keeps the record', async () => {
      // Prepare
      await storeRun('run-1', [sgFail('sg-1')]);
      fake.fail({ method: 'GET', path: /\/issues$/, status: 503, times: 5 });
      const clock = new FakeClock();

      // Act
      const code = await ticketsSyncCommand(
        store,
        config(),
        { runId: 'run-1', tokens: tokens(), retry: { sleep: clock.sleep, now: clock.now } },
        write,
      );

      // Assess
      expect(code).toBe(EXIT_SYNC_FAILED);
      expect(output.join('\n')).toContain('the sync failed');
      expect(output.join('\n')).not.toContain(fake.token);
    });
  });
});
