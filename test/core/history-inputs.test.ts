import { describe, expect, it } from 'vitest';
import { iamUserDormantReactivatedCheck } from '../../checks/history/iam-user-dormant-reactivated.js';
import { historyChecks } from '../../checks/history/index.js';
import type { HistoryCheck } from '../../checks/history/types.js';
import { ALL_CHECKS } from '../../checks/registry.js';
import type { CredentialReportRow } from '../../core/aws-shapes.js';
import { summarize } from '../../core/engine/finalize.js';
import { fingerprint } from '../../core/fingerprint.js';
import {
  advanceHistory,
  advanceHistoryInputs,
  evaluateHistoryChecks,
  type HistoryInputs,
  type Ledger,
  parseHistoryInputs,
} from '../../core/history.js';
import type { CollectorError, Finding, Inventory, InventoryResults, Report } from '../../core/types.js';
import { SETTINGS } from '../checks/iam/fixtures.js';

const A = '111122223333';
const B = '444455556666';
const DENIED: CollectorError = { kind: 'access-denied', code: 'AccessDenied', message: 'denied' };
const DAY_MS = 86_400_000;
const DORMANT = iamUserDormantReactivatedCheck.id;

const RUNS = [
  { runId: 'r1', asOf: '2025-03-01T00:00:00.000Z' },
  { runId: 'r2', asOf: '2025-03-02T00:00:00.000Z' },
  { runId: 'r3', asOf: '2025-03-03T00:00:00.000Z' },
] as const;

function at(run: 0 | 1 | 2, daysEarlier = 0): string {
  return new Date(Date.parse(RUNS[run].asOf) - daysEarlier * DAY_MS).toISOString();
}

function aliceRow(keyLastUsed: string): CredentialReportRow {
  return {
    user: 'alice',
    arn: `arn:aws:iam::${A}:user/alice`,
    user_creation_time: '2020-01-01T00:00:00Z',
    password_enabled: 'false',
    password_last_used: 'N/A',
    password_last_changed: 'N/A',
    access_key_1_active: 'true',
    access_key_1_last_rotated: '2020-01-01T00:00:00Z',
    access_key_1_last_used_date: keyLastUsed,
    access_key_2_active: 'false',
    access_key_2_last_rotated: 'N/A',
    access_key_2_last_used_date: 'N/A',
  };
}

function inventory(
  accountId: string,
  region: string,
  results: InventoryResults,
  run: 0 | 1 | 2 = 0,
): Inventory {
  return { target: { accountId, region }, collectedAt: at(run), results };
}

function credentialInventory(run: 0 | 1 | 2, keyLastUsed: string, accountId = A): Inventory {
  return inventory(
    accountId,
    'global',
    {
      'iam.credentialReport': { ok: true, data: { GeneratedTime: at(run), rows: [aliceRow(keyLastUsed)] } },
      'iam.accountSummary': { ok: true, data: { AccountMFAEnabled: 1 } },
    },
    run,
  );
}

describe('advanceHistoryInputs', () => {
  it('keeps only the named collectors that were ok, with the run that collected them', () => {
    // Prepare
    const inventories = [
      credentialInventory(0, at(0, 1)),
      inventory(B, 'global', { 'iam.credentialReport': { ok: false, error: DENIED } }),
    ];

    // Act
    const inputs = advanceHistoryInputs(undefined, inventories, ['iam.credentialReport'], RUNS[0]);

    // Assess
    expect(inputs).toEqual({
      schemaVersion: 1,
      runId: 'r1',
      targets: {
        [A]: {
          global: {
            'iam.credentialReport': {
              runId: 'r1',
              asOf: RUNS[0].asOf,
              collectedAt: at(0),
              data: { GeneratedTime: at(0), rows: [aliceRow(at(0, 1))] },
            },
          },
        },
      },
    });
  });

  it('carries over a target this run did not collect, and replaces one it did', () => {
    // Prepare
    const first = advanceHistoryInputs(
      undefined,
      [credentialInventory(0, at(0, 5)), credentialInventory(0, at(0, 5), B)],
      ['iam.credentialReport'],
      RUNS[0],
    );
    const failedB = inventory(B, 'global', { 'iam.credentialReport': { ok: false, error: DENIED } }, 1);

    // Act
    const second = advanceHistoryInputs(
      first,
      [credentialInventory(1, at(1, 1)), failedB],
      ['iam.credentialReport'],
      RUNS[1],
    );

    // Assess
    expect(second.runId).toBe('r2');
    expect(second.targets[A]?.global?.['iam.credentialReport']?.runId).toBe('r2');
    expect(second.targets[B]).toEqual(first.targets[B]);
  });

  it('forgets data older than forgetAfterDays', () => {
    // Prepare
    const old = advanceHistoryInputs(
      undefined,
      [credentialInventory(0, at(0, 5), B)],
      ['iam.credentialReport'],
      {
        runId: 'r0',
        asOf: '2024-01-01T00:00:00.000Z',
      },
    );

    // Act
    const inputs = advanceHistoryInputs(
      old,
      [credentialInventory(0, at(0, 1))],
      ['iam.credentialReport'],
      RUNS[0],
    );

    // Assess
    expect(Object.keys(inputs.targets)).toEqual([A]);
  });

  it('round-trips through JSON and parseHistoryInputs, and names what is wrong otherwise', () => {
    // Prepare
    const inputs = advanceHistoryInputs(
      undefined,
      [credentialInventory(0, at(0, 1))],
      ['iam.credentialReport'],
      RUNS[0],
    );

    // Act / Assess
    expect(parseHistoryInputs(JSON.parse(JSON.stringify(inputs)), 'runs/r1/history-inputs.json')).toEqual(
      inputs,
    );
    expect(() => parseHistoryInputs({ ...inputs, schemaVersion: 3 }, 'runs/r1/history-inputs.json')).toThrow(
      /history-inputs\.json is not valid/,
    );
  });
});

describe('evaluateHistoryChecks', () => {
  const inputsOf = (run: 0 | 1 | 2, keyLastUsed: string): HistoryInputs =>
    advanceHistoryInputs(
      undefined,
      [credentialInventory(run, keyLastUsed)],
      ['iam.credentialReport'],
      RUNS[run],
    );

  it('gives no verdict and says why for a target without earlier data', () => {
    // Act
    const result = evaluateHistoryChecks(
      historyChecks,
      [credentialInventory(0, at(0, 1))],
      undefined,
      SETTINGS,
      RUNS[0].asOf,
    );

    // Assess
    expect(result).toEqual({
      findings: [],
      notRun: [
        { checkId: DORMANT, reason: `needs a previous run: no earlier iam.credentialReport for ${A}/global` },
      ],
      unassessed: [{ checkId: DORMANT, accountId: A, region: 'global' }],
    });
  });

  it('turns verdicts into findings with the check metadata and fingerprints', () => {
    // Act
    const { findings, notRun } = evaluateHistoryChecks(
      historyChecks,
      [credentialInventory(1, at(1, 1))],
      inputsOf(0, at(0, 200)),
      SETTINGS,
      RUNS[1].asOf,
    );

    // Assess
    expect(notRun).toEqual([]);
    const resourceId = `arn:aws:iam::${A}:user/alice`;
    expect(findings).toMatchObject([
      {
        checkId: DORMANT,
        status: 'FAIL',
        severity: 'high',
        accountId: A,
        region: 'global',
        resourceType: 'AwsIamUser',
        resourceId,
        title: iamUserDormantReactivatedCheck.title,
        frameworks: iamUserDormantReactivatedCheck.frameworks,
        fingerprint: fingerprint({ checkId: DORMANT, accountId: A, region: 'global', resourceId }),
        evidence: { previousAsOf: RUNS[0].asOf },
      },
    ]);
  });

  it('reports ERROR for the scope when a collector the check needs failed this run', () => {
    // Act
    const { findings } = evaluateHistoryChecks(
      historyChecks,
      [inventory(A, 'global', { 'iam.credentialReport': { ok: false, error: DENIED } })],
      inputsOf(0, at(0, 1)),
      SETTINGS,
      RUNS[1].asOf,
    );

    // Assess
    expect(findings).toMatchObject([
      {
        checkId: DORMANT,
        status: 'ERROR',
        resourceId: `arn:aws:iam::${A}:*`,
        evidence: { source: 'iam.credentialReport', code: 'AccessDenied' },
      },
    ]);
  });

  it('reports ERROR for the scope when a check throws, and skips targets of the other scope', () => {
    // Prepare
    const throwing: HistoryCheck<'iam.credentialReport'> = {
      ...iamUserDormantReactivatedCheck,
      id: 'iam.user.throws',
      evaluateHistory() {
        throw new Error('boom');
      },
    };
    const regional = inventory(A, 'eu-west-1', {});

    // Act
    const { findings } = evaluateHistoryChecks(
      [throwing],
      [credentialInventory(1, at(1, 1)), regional],
      inputsOf(0, at(0, 1)),
      SETTINGS,
      RUNS[1].asOf,
    );

    // Assess
    expect(findings).toMatchObject([
      { checkId: 'iam.user.throws', status: 'ERROR', evidence: { code: 'CheckFailed', reason: 'boom' } },
    ]);
  });
});

describe('history end to end', () => {
  function report(
    run: 0 | 1 | 2,
    findings: readonly Finding[],
    checksNotRun: Report['coverage']['checksNotRun'],
  ): Report {
    const accounts = [{ accountId: A, status: 'scanned' as const }];
    const targets = [
      {
        accountId: A,
        region: 'global',
        status: 'scanned' as const,
        collectors: { 'iam.credentialReport': { ok: true as const } },
      },
    ];
    return {
      schemaVersion: 1,
      ...RUNS[run],
      startedAt: RUNS[run].asOf,
      finishedAt: RUNS[run].asOf,
      toolVersion: '0.1.0',
      configDigest: 'digest',
      scope: { accounts: [A], regions: 'all', checks: [DORMANT] },
      summary: summarize(findings, accounts, targets),
      coverage: { accounts, targets, checksNotRun },
      findings,
    };
  }

  it('finds a dormant key waking up in the second run and resolves it in the third', () => {
    // Prepare: the key was last used 200 days before run 1, then the day before run 2 and run 3.
    const uses = [at(0, 200), at(1, 1), at(2, 1)] as const;
    let ledger: Ledger | undefined;
    let inputs: HistoryInputs | undefined;
    const outcomes = ([0, 1, 2] as const).map((run) => {
      const inventories = [credentialInventory(run, uses[run])];
      const evaluation = evaluateHistoryChecks(historyChecks, inventories, inputs, SETTINGS, RUNS[run].asOf);
      const advanced = advanceHistory(ledger, report(run, evaluation.findings, evaluation.notRun), {
        registry: [...ALL_CHECKS, ...historyChecks],
        unassessed: evaluation.unassessed,
      });
      ledger = advanced.ledger;
      inputs = advanceHistoryInputs(inputs, inventories, ['iam.credentialReport'], RUNS[run]);
      return { evaluation, advanced };
    });

    // Assess
    const [first, second, third] = outcomes;
    expect(first!.evaluation.findings).toEqual([]);
    expect(first!.evaluation.notRun).toHaveLength(1);
    expect(second!.advanced.findings).toMatchObject([
      { status: 'FAIL', history: { state: 'new', firstSeen: RUNS[1].asOf } },
    ]);
    expect(second!.advanced.changes).toMatchObject({ previousRunId: 'r1', new: 1 });
    expect(third!.advanced.findings).toMatchObject([{ status: 'PASS' }]);
    expect(third!.advanced.changes.resolved).toMatchObject([{ checkId: DORMANT, how: 'passes' }]);
  });
});
