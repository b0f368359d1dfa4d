import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/registry.js';
import { summarize } from '../../core/engine/finalize.js';
import { errorFinding } from '../../core/engine/findings.js';
import { fingerprint } from '../../core/fingerprint.js';
import {
  type AdvanceHistoryOptions,
  advanceHistory,
  type Ledger,
  type LedgerEntry,
  parseLedger,
  summarizeTrend,
} from '../../core/history.js';
import type {
  AccountCoverage,
  AnyCheck,
  CollectorError,
  CollectorId,
  Finding,
  Report,
  RunScope,
  TargetCoverage,
} from '../../core/types.js';

// ---------------------------------------------------------------- fixtures

const A = '111122223333';
const B = '444455556666';
const EU = 'eu-west-1';
const US = 'us-east-1';
const SG = 'ec2.sg.admin-ports-public';
const VOL = 'ec2.ebs.volume-unencrypted';
const MFA = 'iam.user.console-mfa';
const CHECKS = [SG, VOL, MFA];

const RUNS = [
  '20250601T000000Z-000001',
  '20250602T000000Z-000002',
  '20250603T000000Z-000003',
  '20250604T000000Z-000004',
] as const;
const AS_OF = [
  '2025-06-01T00:00:00.000Z',
  '2025-06-02T00:00:00.000Z',
  '2025-06-03T00:00:00.000Z',
  '2025-06-04T00:00:00.000Z',
] as const;
const [R1, R2, R3] = RUNS;
const [T1, T2, T3] = AS_OF;

const DENIED: CollectorError = { kind: 'access-denied', code: 'UnauthorizedOperation', message: 'denied' };
const OPTIONS: AdvanceHistoryOptions = { registry: ALL_CHECKS };

function check(id: string): AnyCheck {
  const found = ALL_CHECKS.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no check ${id}`);
  return found;
}

function sgArn(region: string, id: string, account = A): string {
  return `arn:aws:ec2:${region}:${account}:security-group/${id}`;
}

function userArn(name: string, account = A): string {
  return `arn:aws:iam::${account}:user/${name}`;
}

function finding(
  status: Finding['status'],
  checkId: string,
  region: string,
  resourceId: string,
  options: { account?: string; suppressed?: boolean } = {},
): Finding {
  const c = check(checkId);
  const accountId = options.account ?? A;
  return {
    checkId,
    status,
    severity: c.severity,
    accountId,
    region,
    resourceType: c.resourceType,
    resourceId,
    title: c.title,
    message: `${status} ${resourceId}`,
    evidence: {},
    remediation: c.remediation,
    frameworks: c.frameworks,
    fingerprint: fingerprint({ checkId, accountId, region, resourceId }),
    ...(options.suppressed === true && { suppressed: { reason: 'accepted', expires: '2030-01-01' } }),
  };
}

const fail = (checkId: string, region: string, resourceId: string, options = {}) =>
  finding('FAIL', checkId, region, resourceId, options);
const pass = (checkId: string, region: string, resourceId: string, options = {}) =>
  finding('PASS', checkId, region, resourceId, options);

function fp(checkId: string, region: string, resourceId: string, accountId = A): string {
  return fingerprint({ checkId, accountId, region, resourceId });
}

const REGIONAL_COLLECTORS: CollectorId[] = ['ec2.prefixLists', 'ec2.securityGroups', 'ec2.volumes'];

function target(
  accountId: string,
  region: string,
  failed: readonly CollectorId[] = [],
  status?: TargetCoverage['status'],
): TargetCoverage {
  const ids: CollectorId[] = region === 'global' ? ['iam.credentialReport'] : REGIONAL_COLLECTORS;
  const collectors = Object.fromEntries(
    ids.map((id) => [id, failed.includes(id) ? { ok: false, error: DENIED } : { ok: true }]),
  );
  return {
    accountId,
    region,
    status: status ?? (failed.length > 0 ? 'error' : 'scanned'),
    ...(failed.length > 0 && { reason: `${failed.length} collector(s) failed`, error: DENIED }),
    collectors,
  };
}

function accountTargets(accountId: string): TargetCoverage[] {
  return [target(accountId, 'global'), target(accountId, EU), target(accountId, US)];
}

interface RunSpec {
  readonly run: 0 | 1 | 2 | 3;
  readonly findings: readonly Finding[];
  readonly accounts?: readonly AccountCoverage[];
  readonly targets?: readonly TargetCoverage[];
  readonly scope?: Partial<RunScope>;
}

/** A report as finalize writes it: by default account A, both regions and three checks, all ok. */
function makeReport(spec: RunSpec): Report {
  const accounts = spec.accounts ?? [{ accountId: A, status: 'scanned' }];
  const targets = spec.targets ?? accountTargets(A);
  return {
    schemaVersion: 1,
    runId: RUNS[spec.run],
    startedAt: AS_OF[spec.run],
    finishedAt: AS_OF[spec.run],
    asOf: AS_OF[spec.run],
    toolVersion: '0.1.0',
    configDigest: 'digest',
    scope: {
      accounts: accounts.map((a) => a.accountId),
      regions: [EU, US],
      checks: CHECKS,
      ...spec.scope,
    },
    summary: summarize(spec.findings, accounts, targets),
    coverage: { accounts, targets, checksNotRun: [] },
    findings: spec.findings,
  };
}

/** Runs the specs in order, each against the ledger the one before wrote. */
function runAll(specs: readonly RunSpec[], options: AdvanceHistoryOptions = OPTIONS) {
  let ledger: Ledger | undefined;
  return specs.map((spec) => {
    const result = advanceHistory(ledger, makeReport(spec), options);
    ledger = result.ledger;
    return result;
  });
}

function historyOf(findings: readonly Finding[], resourceId: string) {
  return findings.find((f) => f.resourceId === resourceId)?.history;
}

// ---------------------------------------------------------------- tests

describe('advanceHistory', () => {
  const sg1 = sgArn(EU, 'sg-1');

  it('follows a problem from new to persisting to resolved to regressed, keeping its first sighting', () => {
    // Act
    const [first, second, third, fourth] = runAll([
      { run: 0, findings: [fail(SG, EU, sg1)] },
      { run: 1, findings: [fail(SG, EU, sg1)] },
      { run: 2, findings: [pass(SG, EU, sg1)] },
      { run: 3, findings: [fail(SG, EU, sg1)] },
    ]);

    // Assess
    expect(historyOf(first!.findings, sg1)).toEqual({ state: 'new', firstSeen: T1 });
    expect(first!.changes).toEqual({
      previousRunId: null,
      new: 1,
      persisting: 0,
      regressed: 0,
      resolved: [],
      notAssessed: [],
    });
    expect(historyOf(second!.findings, sg1)).toEqual({ state: 'persisting', firstSeen: T1 });
    expect(second!.changes).toMatchObject({ previousRunId: R1, new: 0, persisting: 1, regressed: 0 });
    expect(third!.changes.resolved).toEqual([
      {
        fingerprint: fp(SG, EU, sg1),
        checkId: SG,
        severity: check(SG).severity,
        accountId: A,
        region: EU,
        resourceId: sg1,
        title: check(SG).title,
        firstSeen: T1,
        how: 'passes',
      },
    ]);
    expect(third!.findings[0]?.history).toBeUndefined();
    expect(historyOf(fourth!.findings, sg1)).toEqual({ state: 'regressed', firstSeen: T1 });
    expect(fourth!.changes).toMatchObject({
      previousRunId: R3,
      new: 0,
      persisting: 0,
      regressed: 1,
      resolved: [],
    });
  });

  it('records in the ledger the state and dates of each fingerprint, and nothing else', () => {
    // Act
    const [, second] = runAll([
      { run: 0, findings: [fail(SG, EU, sg1)] },
      { run: 1, findings: [fail(SG, EU, sg1)] },
    ]);

    // Assess
    expect(second!.ledger).toEqual({
      schemaVersion: 1,
      runId: R2,
      asOf: T2,
      entries: {
        [fp(SG, EU, sg1)]: {
          checkId: SG,
          severity: check(SG).severity,
          accountId: A,
          region: EU,
          resourceId: sg1,
          title: check(SG).title,
          lastStatus: 'FAIL',
          state: 'persisting',
          firstSeen: T1,
          lastFailedAt: T2,
          lastAssessedRunId: R2,
          lastAssessedAt: T2,
        },
      },
    });
  });

  it('returns every finding in the report order, annotating only FAILs', () => {
    // Prepare
    const findings = [pass(SG, EU, sgArn(EU, 'sg-0')), fail(SG, EU, sg1), pass(VOL, US, 'vol')];

    // Act
    const [result] = runAll([{ run: 0, findings }]);

    // Assess
    expect(result!.findings.map((f) => f.resourceId)).toEqual(findings.map((f) => f.resourceId));
    expect(result!.findings.map((f) => f.history?.state)).toEqual([undefined, 'new', undefined]);
    expect(result!.findings[0]).toBe(findings[0]);
  });

  describe('resolution by deletion', () => {
    it('resolves a vanished resource when its whole scope was assessed', () => {
      // Act
      const [, second] = runAll([
        { run: 0, findings: [fail(SG, EU, sg1)] },
        { run: 1, findings: [] },
      ]);

      // Assess
      expect(second!.changes.resolved).toMatchObject([{ resourceId: sg1, how: 'gone', firstSeen: T1 }]);
      expect(second!.changes.notAssessed).toEqual([]);
      expect(second!.ledger.entries[fp(SG, EU, sg1)]).toMatchObject({
        lastStatus: 'PASS',
        lastFailedAt: T1,
        lastAssessedRunId: R2,
      });
    });

    it('does not resolve it when a collector the check needs failed in its target', () => {
      // Prepare
      const targets = [target(A, 'global'), target(A, EU, ['ec2.prefixLists']), target(A, US)];

      // Act
      const [, second] = runAll([
        { run: 0, findings: [fail(SG, EU, sg1)] },
        { run: 1, findings: [], targets },
      ]);

      // Assess
      expect(second!.changes.resolved).toEqual([]);
      expect(second!.changes.notAssessed).toMatchObject([{ resourceId: sg1, notAssessedSince: R1 }]);
    });

    it('resolves it when only a collector the check does not need failed in its target', () => {
      // Prepare
      const targets = [target(A, 'global'), target(A, EU, ['ec2.volumes']), target(A, US)];

      // Act
      const [, second] = runAll([
        { run: 0, findings: [fail(SG, EU, sg1)] },
        { run: 1, findings: [], targets },
      ]);

      // Assess
      expect(second!.changes.resolved).toMatchObject([{ resourceId: sg1, how: 'gone' }]);
    });

    it('does not resolve it when its region was not scanned (no longer enabled)', () => {
      // Prepare
      const targets = [
        target(A, 'global'),
        {
          accountId: A,
          region: EU,
          status: 'not-scanned',
          reason: 'region not enabled',
          collectors: {},
        } as const,
        target(A, US),
      ];

      // Act
      const [, second] = runAll([
        { run: 0, findings: [fail(SG, EU, sg1)] },
        { run: 1, findings: [], targets },
      ]);

      // Assess
      expect(second!.changes.resolved).toEqual([]);
      expect(second!.changes.notAssessed).toMatchObject([{ resourceId: sg1 }]);
    });

    it('does not resolve it when its target is missing from coverage', () => {
      // Act
      const [, second] = runAll([
        { run: 0, findings: [fail(SG, EU, sg1)] },
        { run: 1, findings: [], targets: [target(A, 'global'), target(A, US)] },
      ]);

      // Assess
      expect(second!.changes.resolved).toEqual([]);
      expect(second!.changes.notAssessed).toMatchObject([{ resourceId: sg1 }]);
    });

    it('consults collectorOk when given', () => {
      // Prepare
      const targets = [target(A, 'global'), target(A, EU, ['ec2.volumes']), target(A, US)];
      const options = { ...OPTIONS, collectorOk: () => false };

      // Act
      const [, second] = runAll(
        [
          { run: 0, findings: [fail(SG, EU, sg1)] },
          { run: 1, findings: [], targets },
        ],
        options,
      );

      // Assess
      expect(second!.changes.resolved).toEqual([]);
    });
  });

  describe('errors', () => {
    it('keeps the previous state of a problem whose scope errored, with the run that last assessed it', () => {
      // Prepare
      const scopeError = errorFinding(check(SG), { accountId: A, region: EU }, 'ec2.securityGroups', DENIED);
      const sg2 = sgArn(EU, 'sg-2');

      // Act
      const [first, second, third] = runAll([
        { run: 0, findings: [fail(SG, EU, sg1), fail(SG, EU, sg2)] },
        {
          run: 1,
          findings: [scopeError],
          targets: [target(A, 'global'), target(A, EU, ['ec2.securityGroups']), target(A, US)],
        },
        { run: 2, findings: [fail(SG, EU, sg1)] },
      ]);

      // Assess
      expect(scopeError.resourceId).toBe(`arn:aws:ec2:${EU}:${A}:*`);
      expect(second!.changes.resolved).toEqual([]);
      expect(second!.changes.notAssessed).toEqual(
        [sg1, sg2].map((resourceId) => ({
          fingerprint: fp(SG, EU, resourceId),
          checkId: SG,
          severity: check(SG).severity,
          accountId: A,
          region: EU,
          resourceId,
          title: check(SG).title,
          previousState: 'new',
          firstSeen: T1,
          notAssessedSince: R1,
        })),
      );
      expect(second!.ledger.entries).toEqual(first!.ledger.entries);
      expect(historyOf(third!.findings, sg1)).toEqual({ state: 'persisting', firstSeen: T1 });
      expect(third!.changes.resolved).toMatchObject([{ resourceId: sg2, how: 'gone' }]);
    });

    it('does not resolve anything on an ERROR scope finding even when coverage says scanned', () => {
      // Prepare
      const thrown = errorFinding(check(SG), { accountId: A, region: EU }, 'evaluate', {
        kind: 'bug',
        code: 'CheckFailed',
        message: 'boom',
      });

      // Act
      const [, second] = runAll([
        { run: 0, findings: [fail(SG, EU, sg1)] },
        { run: 1, findings: [thrown] },
      ]);

      // Assess
      expect(second!.changes.resolved).toEqual([]);
      expect(second!.changes.notAssessed).toMatchObject([{ resourceId: sg1 }]);
    });

    it('reads an ERROR on the resource itself as not assessed', () => {
      // Act
      const [, second] = runAll([
        { run: 0, findings: [fail(MFA, 'global', userArn('alice'))] },
        { run: 1, findings: [finding('ERROR', MFA, 'global', userArn('alice'))] },
      ]);

      // Assess
      expect(second!.changes.resolved).toEqual([]);
      expect(second!.changes.notAssessed).toMatchObject([{ resourceId: userArn('alice') }]);
    });

    it('keeps the previous state of an ERROR that follows a regression', () => {
      // Act
      const [, , , next] = runAll([
        { run: 0, findings: [fail(SG, EU, sg1)] },
        { run: 1, findings: [pass(SG, EU, sg1)] },
        { run: 2, findings: [fail(SG, EU, sg1)] },
        { run: 3, findings: [finding('ERROR', SG, EU, sg1)] },
      ]);

      // Assess
      expect(next!.changes.notAssessed).toMatchObject([
        { resourceId: sg1, previousState: 'regressed', firstSeen: T1, notAssessedSince: R3 },
      ]);
    });

    it('resolves nothing in an account that could not be entered', () => {
      // Prepare
      const accounts: AccountCoverage[] = [
        { accountId: A, status: 'scanned' },
        { accountId: B, status: 'error', reason: 'cannot assume the audit role', error: DENIED },
      ];
      const unreachable = [SG, VOL].map((id) =>
        errorFinding(check(id), { accountId: B, region: '*' }, 'account access', DENIED),
      );
      const first = [
        fail(SG, EU, sgArn(EU, 'sg-b', B), { account: B }),
        fail(MFA, 'global', userArn('bob', B), { account: B }),
      ];

      // Act
      const [, second] = runAll([
        {
          run: 0,
          findings: first,
          accounts: [
            { accountId: A, status: 'scanned' },
            { accountId: B, status: 'scanned' },
          ],
          targets: [...accountTargets(A), ...accountTargets(B)],
        },
        {
          run: 1,
          findings: [
            ...unreachable,
            errorFinding(check(MFA), { accountId: B, region: 'global' }, 'account access', DENIED),
          ],
          accounts,
        },
      ]);

      // Assess
      expect(second!.changes.resolved).toEqual([]);
      expect(second!.changes.notAssessed.map((n) => n.resourceId).sort()).toEqual(
        [sgArn(EU, 'sg-b', B), userArn('bob', B)].sort(),
      );
    });

    it('does not resolve in an account that could not be entered even without ERROR findings', () => {
      // Act
      const [, second] = runAll([
        { run: 0, findings: [fail(SG, EU, sg1)] },
        { run: 1, findings: [], accounts: [{ accountId: A, status: 'error', error: DENIED }], targets: [] },
      ]);

      // Assess
      expect(second!.changes.resolved).toEqual([]);
      expect(second!.changes.notAssessed).toMatchObject([{ resourceId: sg1 }]);
    });

    it('treats a suspended (not scanned) account as not assessed', () => {
      // Act
      const [, second] = runAll([
        { run: 0, findings: [fail(SG, EU, sg1)] },
        {
          run: 1,
          findings: [],
          accounts: [{ accountId: A, status: 'not-scanned', state: 'SUSPENDED' }],
          targets: [],
        },
      ]);

      // Assess
      expect(second!.changes.resolved).toEqual([]);
      expect(second!.changes.notAssessed).toMatchObject([{ resourceId: sg1 }]);
    });

    it('treats the scopes named in `unassessed` as not assessed', () => {
      // Act
      const [, second] = runAll(
        [
          { run: 0, findings: [fail(MFA, 'global', userArn('alice'))] },
          { run: 1, findings: [] },
        ],
        { ...OPTIONS, unassessed: [{ checkId: MFA, accountId: A, region: 'global' }] },
      );

      // Assess
      expect(second!.changes.resolved).toEqual([]);
      expect(second!.changes.notAssessed).toMatchObject([{ resourceId: userArn('alice') }]);
    });
  });

  describe('scoped runs', () => {
    const sgUs = sgArn(US, 'sg-9');

    it('leaves regions outside the run untouched, and a later full run compares with the right state', () => {
      // Act
      const [first, second, third] = runAll([
        { run: 0, findings: [fail(SG, EU, sg1), fail(SG, US, sgUs)] },
        {
          run: 1,
          findings: [pass(SG, EU, sg1)],
          scope: { regions: [EU] },
          targets: [target(A, 'global'), target(A, EU)],
        },
        { run: 2, findings: [fail(SG, EU, sg1), fail(SG, US, sgUs)] },
      ]);

      // Assess
      expect(second!.changes.resolved).toMatchObject([{ resourceId: sg1, how: 'passes' }]);
      expect(second!.changes.notAssessed).toEqual([]);
      expect(second!.ledger.entries[fp(SG, US, sgUs)]).toEqual(first!.ledger.entries[fp(SG, US, sgUs)]);
      expect(historyOf(third!.findings, sgUs)).toEqual({ state: 'persisting', firstSeen: T1 });
      expect(historyOf(third!.findings, sg1)).toEqual({ state: 'regressed', firstSeen: T1 });
      expect(third!.changes).toMatchObject({ previousRunId: R2, persisting: 1, regressed: 1, new: 0 });
    });

    it('leaves checks outside the run untouched', () => {
      // Act
      const [, second, third] = runAll([
        { run: 0, findings: [fail(SG, EU, sg1), fail(MFA, 'global', userArn('alice'))] },
        { run: 1, findings: [], scope: { checks: [SG] } },
        { run: 2, findings: [fail(MFA, 'global', userArn('alice'))] },
      ]);

      // Assess
      expect(second!.changes.resolved).toMatchObject([{ resourceId: sg1, how: 'gone' }]);
      expect(second!.changes.notAssessed).toEqual([]);
      expect(historyOf(third!.findings, userArn('alice'))).toEqual({ state: 'persisting', firstSeen: T1 });
    });

    it('leaves accounts outside the run untouched', () => {
      // Act
      const [, second, third] = runAll([
        {
          run: 0,
          findings: [fail(SG, EU, sg1), fail(SG, EU, sgArn(EU, 'sg-b', B), { account: B })],
          accounts: [
            { accountId: A, status: 'scanned' },
            { accountId: B, status: 'scanned' },
          ],
          targets: [...accountTargets(A), ...accountTargets(B)],
        },
        { run: 1, findings: [fail(SG, EU, sg1)] },
        {
          run: 2,
          findings: [fail(SG, EU, sg1)],
          accounts: [
            { accountId: A, status: 'scanned' },
            { accountId: B, status: 'scanned' },
          ],
          targets: [...accountTargets(A), ...accountTargets(B)],
        },
      ]);

      // Assess
      expect(second!.changes).toMatchObject({ persisting: 1, resolved: [], notAssessed: [] });
      expect(third!.changes.resolved).toMatchObject([{ accountId: B, how: 'gone', firstSeen: T1 }]);
    });
  });

  it('tracks suppressed FAILs without counting them', () => {
    // Act
    const [first, second] = runAll([
      { run: 0, findings: [fail(SG, EU, sg1, { suppressed: true })] },
      { run: 1, findings: [fail(SG, EU, sg1)] },
    ]);

    // Assess
    expect(historyOf(first!.findings, sg1)).toEqual({ state: 'new', firstSeen: T1 });
    expect(first!.changes.new).toBe(0);
    expect(first!.ledger.entries[fp(SG, EU, sg1)]).toMatchObject({ lastStatus: 'FAIL' });
    expect(historyOf(second!.findings, sg1)).toEqual({ state: 'persisting', firstSeen: T1 });
    expect(second!.changes.persisting).toBe(1);
  });

  it('never records or reports resources that only ever passed', () => {
    // Act
    const results = runAll([
      { run: 0, findings: [pass(SG, EU, sg1), pass(MFA, 'global', userArn('alice'))] },
      { run: 1, findings: [pass(SG, EU, sg1)] },
      { run: 2, findings: [finding('ERROR', SG, EU, sg1)] },
    ]);

    // Assess
    for (const { ledger, changes } of results) {
      expect(ledger.entries).toEqual({});
      expect(changes).toMatchObject({ new: 0, persisting: 0, regressed: 0, resolved: [], notAssessed: [] });
    }
  });

  it('forgets a fingerprint that has not failed for forgetAfterDays, but never one still failing', () => {
    // Prepare
    const old: LedgerEntry = {
      checkId: SG,
      severity: 'high',
      accountId: A,
      region: EU,
      resourceId: sg1,
      title: 't',
      lastStatus: 'PASS',
      state: 'new',
      firstSeen: '2024-01-01T00:00:00.000Z',
      lastFailedAt: '2024-01-01T00:00:00.000Z',
      lastAssessedRunId: 'old',
      lastAssessedAt: '2025-05-01T00:00:00.000Z',
    };
    const sg2 = sgArn(US, 'sg-2');
    const previous: Ledger = {
      schemaVersion: 1,
      runId: 'old',
      asOf: '2025-05-01T00:00:00.000Z',
      entries: {
        [fp(SG, EU, sg1)]: old,
        [fp(SG, US, sg2)]: { ...old, region: US, resourceId: sg2, lastStatus: 'FAIL' },
      },
    };

    // Act
    const result = advanceHistory(
      previous,
      makeReport({ run: 0, findings: [pass(SG, EU, sg1)], scope: { regions: [EU] } }),
      OPTIONS,
    );

    // Assess
    expect(Object.keys(result.ledger.entries)).toEqual([fp(SG, US, sg2)]);
    expect(
      Object.keys(
        advanceHistory(previous, makeReport({ run: 0, findings: [] }), { ...OPTIONS, forgetAfterDays: 800 })
          .ledger.entries,
      ),
    ).toHaveLength(2);
  });

  it('refuses a previous ledger written by the same run', () => {
    // Prepare
    const [first] = runAll([{ run: 0, findings: [fail(SG, EU, sg1)] }]);

    // Act / Assess
    expect(() => advanceHistory(first!.ledger, makeReport({ run: 0, findings: [] }), OPTIONS)).toThrow(
      /written by run 20250601T000000Z-000001 itself/,
    );
  });
});

describe('parseLedger', () => {
  it('accepts a ledger advanceHistory wrote, after a JSON round trip', () => {
    // Prepare
    const [result] = runAll([{ run: 0, findings: [fail(SG, EU, sgArn(EU, 'sg-1'))] }]);
    const stored: unknown = JSON.parse(JSON.stringify(result!.ledger));

    // Act / Assess
    expect(parseLedger(stored, 'runs/x/history.json')).toEqual(result!.ledger);
  });

  it('names what is wrong with a ledger it cannot read', () => {
    // Prepare
    const stored = { schemaVersion: 2, runId: 'x', asOf: 'yesterday', entries: {} };

    // Act / Assess
    expect(() => parseLedger(stored, 'runs/x/history.json')).toThrow(/runs\/x\/history\.json is not valid/);
    expect(() => parseLedger(stored, 'runs/x/history.json')).toThrow(/asOf/);
  });
});

describe('summarizeTrend', () => {
  it('gives each run its failing count and changes, oldest first', () => {
    // Prepare
    const results = runAll([
      { run: 0, findings: [fail(SG, EU, sgArn(EU, 'sg-1')), fail(VOL, US, 'vol-1')] },
      { run: 1, findings: [fail(SG, EU, sgArn(EU, 'sg-1'))] },
    ]);
    const reports = [
      { ...makeReport({ run: 1, findings: results[1]!.findings }), changes: results[1]!.changes },
      { ...makeReport({ run: 0, findings: results[0]!.findings }), changes: results[0]!.changes },
      makeReport({ run: 2, findings: [] }),
    ];

    // Act
    const trend = summarizeTrend(reports);

    // Assess
    expect(trend.map((p) => [p.runId, p.failing, p.new, p.resolved])).toEqual([
      [R1, 2, 2, 0],
      [R2, 1, 0, 1],
      [R3, 0, undefined, undefined],
    ]);
    expect(trend[0]?.asOf).toBe(T1);
    expect(trend[2]?.asOf).toBe(T3);
  });
});
