/**
 * Finalize one target at a time gives the report that merging every shard at once gave: the
 * reference below is the whole-run algorithm (every finding merged, sorted, suppressed, then
 * compared with history), and both `finalize` and `finalizeShards` must match it byte for byte,
 * with the shards arriving one at a time.
 */
import { describe, expect, it } from 'vitest';
import type { EngineContext, ScanPlan, TargetShard } from '../../core/engine/context.js';
import { type FinalizedRun, finalize, finalizeShards, type PreviousRun } from '../../core/engine/finalize.js';
import { errorFinding } from '../../core/engine/findings.js';
import { type ShardSource, shardsInMemory } from '../../core/engine/shards.js';
import { summarize } from '../../core/engine/summary.js';
import { advanceHistory, advanceHistoryInputs, evaluateHistoryChecks } from '../../core/history.js';
import { applySuppressions } from '../../core/suppressions.js';
import type { CheckMetadata, CollectorId, Finding, Report, TargetCoverage } from '../../core/types.js';
import { SCANNED, syntheticRun, UNREACHABLE } from './synthetic-run.js';

const FIRST = { runId: '20261124T020000Z-aaaaaa', asOf: '2026-11-24T02:00:00.000Z' };
const SECOND = { runId: '20261125T020000Z-bbbbbb', asOf: '2026-11-25T02:00:00.000Z' };

const SUPPRESSIONS = [
  { checks: ['ec2.*'], accounts: [SCANNED[0]], reason: 'Sandbox account', expires: '2026-12-31' },
  { resources: ['*:resource/db-*'], reason: 'Database team reviews these', expires: '2026-12-31' },
  { checks: ['iam.*'], reason: 'Lapsed acceptance', expires: '2026-11-01' },
  { accounts: ['999999999999'], reason: 'Matches nothing', expires: '2026-12-31' },
];

/** The finalize of before: every finding of the run merged, sorted, suppressed and compared at once. */
function referenceFinalize(
  ctx: EngineContext,
  plan: ScanPlan,
  shards: readonly TargetShard[],
  previous: PreviousRun,
): FinalizedRun {
  const selected = new Set(plan.checkIds);
  const checks = ctx.registry.filter((c) => selected.has(c.id));
  const historyChecks = (ctx.historyRegistry ?? []).filter((c) => selected.has(c.id));
  const inventories = shards.map((s) => s.inventory);
  const derived = evaluateHistoryChecks(
    historyChecks,
    inventories,
    previous.inputs,
    ctx.config.settings,
    plan.asOf,
  );
  const unreachable: Finding[] = [];
  for (const account of plan.accounts) {
    if (account.status !== 'error' || account.error === undefined) continue;
    for (const check of [...checks, ...historyChecks] as CheckMetadata[]) {
      const regions =
        check.scope === 'global'
          ? ['global']
          : plan.scope.regions === 'all'
            ? ['*']
            : [...plan.scope.regions];
      for (const region of regions) {
        unreachable.push(
          errorFinding(check, { accountId: account.accountId, region }, 'account access', account.error),
        );
      }
    }
  }
  const merged = [...shards.flatMap((s) => s.findings), ...derived.findings, ...unreachable].sort(
    (a, b) =>
      a.accountId.localeCompare(b.accountId) ||
      a.region.localeCompare(b.region) ||
      a.checkId.localeCompare(b.checkId) ||
      a.resourceId.localeCompare(b.resourceId),
  );
  const suppressed = applySuppressions(merged, ctx.config.suppressions, plan.asOf);
  const targets: TargetCoverage[] = [...shards.map((s) => s.coverage), ...plan.skippedTargets].sort(
    (a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region),
  );
  const coverage = {
    accounts: plan.accounts,
    targets,
    checksNotRun: [...plan.checksNotRun, ...derived.notRun],
  };
  const report: Report = {
    schemaVersion: 1,
    runId: plan.runId,
    startedAt: plan.startedAt,
    finishedAt: ctx.now().toISOString(),
    asOf: plan.asOf,
    toolVersion: ctx.toolVersion,
    configDigest: ctx.config.digest,
    scope: plan.scope,
    summary: summarize(suppressed.findings, coverage.accounts, targets),
    coverage,
    findings: suppressed.findings,
    ...(ctx.config.suppressions.length > 0 && {
      suppressions: { expired: suppressed.expired, unused: suppressed.unused },
    }),
  };
  const history = advanceHistory(previous.ledger, report, {
    registry: [...ctx.registry, ...(ctx.historyRegistry ?? [])].map((c) => ({
      id: c.id,
      needs: c.needs as readonly CollectorId[],
    })),
    unassessed: derived.unassessed,
  });
  const historyNeeds = [...new Set(historyChecks.flatMap((c) => c.needs as readonly CollectorId[]))];
  return {
    report: { ...report, findings: history.findings, changes: history.changes },
    ledger: history.ledger,
    historyInputs: advanceHistoryInputs(previous.inputs, inventories, historyNeeds, {
      runId: plan.runId,
      asOf: plan.asOf,
    }),
  };
}

/** Two runs, the second compared with the first: both the reference's and the tested finalize's. */
function twoRuns(finalizeRun: typeof referenceFinalize) {
  const first = syntheticRun({ ...FIRST, seed: 1, suppressions: SUPPRESSIONS });
  const firstRun = finalizeRun(first.ctx, first.plan, first.shards, {});
  const second = syntheticRun({ ...SECOND, seed: 2, suppressions: SUPPRESSIONS });
  const previous = { ledger: firstRun.ledger, inputs: firstRun.historyInputs };
  return { first: firstRun, second: finalizeRun(second.ctx, second.plan, second.shards, previous), previous };
}

/** A store-like source: each read parses a copy, and the reads in flight are counted. */
function countingSource(
  shards: readonly TargetShard[],
): ShardSource & { reads: number; maxInFlight: number } {
  const texts = shards.map((s) => JSON.stringify(s));
  let inFlight = 0;
  const source = {
    targets: shards.map((s) => s.target),
    size: (index: number) => texts[index]!.length,
    reads: 0,
    maxInFlight: 0,
    async read(index: number) {
      inFlight += 1;
      source.reads += 1;
      source.maxInFlight = Math.max(source.maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight -= 1;
      return JSON.parse(texts[index]!) as TargetShard;
    },
  };
  return source;
}

async function collect(findings: AsyncIterable<readonly Finding[]>): Promise<Finding[]> {
  const all: Finding[] = [];
  for await (const batch of findings) all.push(...batch);
  return all;
}

describe('finalize', () => {
  it('gives the report, ledger and history inputs the whole-run merge gave, byte for byte', () => {
    const expected = twoRuns(referenceFinalize);
    const actual = twoRuns(finalize);

    for (const run of ['first', 'second'] as const) {
      expect(JSON.stringify(actual[run].report)).toBe(JSON.stringify(expected[run].report));
      expect(JSON.stringify(actual[run].ledger)).toBe(JSON.stringify(expected[run].ledger));
      expect(JSON.stringify(actual[run].historyInputs)).toBe(JSON.stringify(expected[run].historyInputs));
    }
    // The fixture exercises what the merge has to place: every kind of finding is there.
    const { report } = actual.second;
    expect(report.findings.some((f) => f.accountId === UNREACHABLE && f.region === '*')).toBe(true);
    expect(
      report.findings.some((f) => f.checkId === 'ec2.sg.new-since-last-run' && f.status === 'PASS'),
    ).toBe(true);
    expect(report.findings.some((f) => f.suppressed !== undefined)).toBe(true);
    expect(report.suppressions?.expired[0]?.wouldMatch).toBeGreaterThan(0);
    expect(report.suppressions?.unused).toEqual([3]);
    expect(report.changes?.resolved.length).toBeGreaterThan(0);
    expect(report.changes?.notAssessed.length).toBeGreaterThan(0);
    expect(actual.first.report.coverage.checksNotRun.map((c) => c.checkId)).toEqual([
      'ec2.sg.new-since-last-run',
    ]);
  });
});

describe('finalizeShards', () => {
  it('reads the shards one target at a time and gives what the whole-run merge gave', async () => {
    // Prepare
    const { second: expected, previous } = twoRuns(referenceFinalize);
    const run = syntheticRun({ ...SECOND, seed: 2, suppressions: SUPPRESSIONS });
    const source = countingSource(run.shards);

    // Act
    const finalized = await finalizeShards(run.ctx, run.plan, source, previous, {
      readAhead: { shards: 2, bytes: 64 * 1024 * 1024 },
    });
    const findings = await collect(finalized.findings());

    // Assess
    const { findings: expectedFindings, ...header } = expected.report;
    expect(JSON.stringify(finalized.report)).toBe(JSON.stringify(header));
    expect(JSON.stringify(findings)).toBe(JSON.stringify(expectedFindings));
    expect(JSON.stringify(finalized.ledger)).toBe(JSON.stringify(expected.ledger));
    expect(JSON.stringify(finalized.historyInputs)).toBe(JSON.stringify(expected.historyInputs));
    // One pass to count, one to list: each shard read twice, never more than two at once.
    expect(source.reads).toBe(2 * run.shards.length);
    expect(source.maxInFlight).toBeLessThanOrEqual(2);
  });

  it('reads a shard larger than the read-ahead budget alone', async () => {
    const run = syntheticRun({ ...FIRST, seed: 6 });
    const source = countingSource(run.shards);

    const finalized = await finalizeShards(
      run.ctx,
      run.plan,
      source,
      {},
      { readAhead: { shards: 8, bytes: 1000 } },
    );
    await collect(finalized.findings());

    expect(source.maxInFlight).toBe(1);
    expect(source.reads).toBe(2 * run.shards.length);
  });

  it('gives batches of one account and region, in report order, the same on every reading', async () => {
    const run = syntheticRun({ ...FIRST, seed: 3 });
    const finalized = await finalizeShards(run.ctx, run.plan, shardsInMemory(run.shards));

    const batches: Array<readonly Finding[]> = [];
    for await (const batch of finalized.findings()) batches.push(batch);

    const keys = batches.map((b) => `${b[0]!.accountId}/${b[0]!.region}`);
    expect(keys).toEqual([
      `${SCANNED[1]}/eu-west-1`,
      `${SCANNED[1]}/global`,
      `${SCANNED[1]}/us-east-1`,
      `${SCANNED[0]}/eu-west-1`,
      `${SCANNED[0]}/global`,
      `${SCANNED[0]}/us-east-1`,
      `${UNREACHABLE}/*`,
      `${UNREACHABLE}/global`,
    ]);
    for (const batch of batches) expect(new Set(batch.map((f) => `${f.accountId}/${f.region}`)).size).toBe(1);
    expect(await collect(finalized.findings())).toEqual(batches.flat());
  });

  it('shows every finding once, in report order, to the onFinding observer of the counting pass', async () => {
    const run = syntheticRun({ ...FIRST, seed: 4, suppressions: SUPPRESSIONS });
    const seen: Finding[] = [];
    const finalized = await finalizeShards(
      run.ctx,
      run.plan,
      shardsInMemory(run.shards),
      {},
      {
        onFinding: (f) => seen.push(f),
      },
    );
    expect(seen).toEqual(await collect(finalized.findings()));
    expect(seen).toEqual(finalize(run.ctx, run.plan, run.shards).report.findings);
  });

  it('fails as the shard read fails', async () => {
    const run = syntheticRun({ ...FIRST, seed: 5 });
    const source: ShardSource = {
      targets: run.shards.map((s) => s.target),
      read: async (index) => {
        if (index === 3) throw new Error('shard 3 cannot be read');
        return run.shards[index]!;
      },
    };
    await expect(finalizeShards(run.ctx, run.plan, source)).rejects.toThrow('shard 3 cannot be read');
  });
});
