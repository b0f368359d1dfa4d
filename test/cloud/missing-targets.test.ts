import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/registry.js';
import { resolveConfig } from '../../core/config/load.js';
import type { ScanPlan, TargetShard } from '../../core/engine/context.js';
import { finalize } from '../../core/engine/finalize.js';
import { checksForTarget } from '../../core/engine/scan-target.js';
import { evaluateGate } from '../../core/gate.js';
import type { Target } from '../../core/types.js';
import { completeShards, MISSING_SHARD_ERROR } from '../../functions/missing-targets.js';

const ACCOUNT = '222222222222';
const ASOF = '2026-11-25T02:00:00.000Z';
const GLOBAL: Target = { accountId: ACCOUNT, region: 'global' };
const IRELAND: Target = { accountId: ACCOUNT, region: 'eu-west-1' };
const OHIO: Target = { accountId: ACCOUNT, region: 'us-east-2' };

function planOf(targets: readonly Target[]): ScanPlan {
  return {
    runId: '20261125T020000Z-0a1b2c',
    startedAt: ASOF,
    asOf: ASOF,
    callerAccountId: '111111111111',
    scope: { accounts: [ACCOUNT], regions: 'all', checks: ALL_CHECKS.map((c) => c.id) },
    checkIds: ALL_CHECKS.map((c) => c.id),
    checksNotRun: [],
    accounts: [{ accountId: ACCOUNT, status: 'scanned' }],
    targets,
    skippedTargets: [],
    organizationResults: {},
  };
}

function scanned(target: Target): TargetShard {
  return {
    target,
    coverage: { accountId: target.accountId, region: target.region, status: 'scanned', collectors: {} },
    findings: [],
    inventory: { target, collectedAt: ASOF, results: {} },
  };
}

describe('completeShards', () => {
  it('keeps the shards that were written, in plan order', () => {
    // Act
    const { shards, missing } = completeShards(
      planOf([GLOBAL, IRELAND]),
      [scanned(IRELAND), scanned(GLOBAL)],
      ALL_CHECKS,
    );

    // Assess
    expect(missing).toEqual([]);
    expect(shards.map((s) => s.target)).toEqual([GLOBAL, IRELAND]);
    expect(shards.every((s) => s.coverage.status === 'scanned')).toBe(true);
  });

  it('turns a target without a shard into ERROR coverage and one ERROR finding per check that would have run', () => {
    // Act
    const { shards, missing } = completeShards(
      planOf([GLOBAL, IRELAND, OHIO]),
      [scanned(GLOBAL)],
      ALL_CHECKS,
    );

    // Assess
    expect(missing).toEqual([IRELAND, OHIO]);
    const ireland = shards[1]!;
    expect(ireland.coverage).toMatchObject({
      accountId: ACCOUNT,
      region: 'eu-west-1',
      status: 'error',
      error: MISSING_SHARD_ERROR,
    });
    const expectedChecks = checksForTarget(ALL_CHECKS, planOf([]).checkIds, IRELAND).map((c) => c.id);
    expect(expectedChecks.length).toBeGreaterThan(0);
    expect(ireland.findings.map((f) => f.checkId).sort()).toEqual([...expectedChecks].sort());
    for (const finding of ireland.findings) {
      expect(finding).toMatchObject({ status: 'ERROR', accountId: ACCOUNT, region: 'eu-west-1' });
      expect(finding.evidence).toMatchObject({ source: 'scanTarget', code: 'TargetScanFailed' });
    }
    // Every collector those checks need is recorded as failed: nothing reads as collected.
    for (const result of Object.values(ireland.inventory.results))
      expect(result).toEqual({ ok: false, error: MISSING_SHARD_ERROR });
    expect(Object.keys(ireland.coverage.collectors).length).toBeGreaterThan(0);
  });

  it('ignores a shard for a target the plan does not list', () => {
    const { shards } = completeShards(planOf([GLOBAL]), [scanned(GLOBAL), scanned(OHIO)], ALL_CHECKS);
    expect(shards.map((s) => s.target)).toEqual([GLOBAL]);
  });

  it('gives a run that finalizes, is incomplete at the gate, and passes nothing it did not see', () => {
    // Prepare
    const scanPlan = planOf([GLOBAL, IRELAND]);
    const { shards } = completeShards(scanPlan, [scanned(GLOBAL)], ALL_CHECKS);
    const ctx = {
      config: resolveConfig({}, 'test'),
      registry: ALL_CHECKS,
      sessions: undefined as never,
      homeRegion: 'us-east-1',
      toolVersion: 'test',
      now: () => new Date(ASOF),
    };

    // Act
    const { report } = finalize(ctx, scanPlan, shards);

    // Assess
    const ireland = report.findings.filter((f) => f.region === 'eu-west-1');
    expect(ireland.length).toBeGreaterThan(0);
    expect(ireland.some((f) => f.status === 'PASS')).toBe(false);
    expect(report.summary.targets).toEqual({ total: 2, scanned: 1, errored: 1 });
    expect(evaluateGate(report, { failOn: 'critical' }).exitCode).toBe(3);
  });
});
