/**
 * One measured finalize, in a fresh process so its peak memory is its own: the cloud's finalize
 * (functions/work/finalize.ts) without the Lambda around it. The run's shards are listed in the
 * store and read one at a time; history, report files and tickets are written into the store.
 */
import { historyChecks } from '../checks/history/index.js';
import { ALL_CHECKS } from '../checks/registry.js';
import { resolveConfig } from '../core/config/load.js';
import { completeRunFromShards } from '../core/engine/complete-run.js';
import type { EngineContext, ScanPlan } from '../core/engine/context.js';
import { runKeys } from '../functions/events.js';
import { storedShards } from '../functions/stored-shards.js';
import { LocalReportStore } from '../reports/local-store.js';
import type { RunManifest } from '../reports/store.js';
import { LocalTicketSink } from '../tickets/local.js';

export interface FinalizeSpec {
  readonly dir: string;
  readonly runId: string;
  readonly tickets: 'none' | 'local';
}

export interface FinalizeResult {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  readonly findings: { readonly PASS: number; readonly FAIL: number; readonly ERROR: number };
  readonly changes: {
    readonly new: number;
    readonly persisting: number;
    readonly regressed: number;
    readonly resolved: number;
    readonly notAssessed: number;
  };
  readonly artifacts: ReadonlyArray<{ readonly path: string; readonly size: number }>;
  readonly tickets?: string;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as FinalizeSpec;
  const store = new LocalReportStore(spec.dir);
  const plan = JSON.parse((await store.get(runKeys.plan(spec.runId)))!.toString('utf8')) as ScanPlan;
  const config = resolveConfig(
    {
      output: { formats: ['json', 'csv', 'ocsf', 'asff', 'junit', 'html'] },
      tickets: { sink: spec.tickets },
      suppressions: [
        {
          checks: ['ec2.ebs.snapshot-unencrypted'],
          accounts: plan.scope.accounts.slice(0, 20),
          reason: 'Snapshots of the migration, deleted in Q1 (CHG-2291)',
          expires: '2026-12-31',
        },
      ],
    },
    'benchmark config',
    {},
    plan.asOf,
  );
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let peakHeap = 0;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 100);
  const ctx: EngineContext = {
    config,
    registry: ALL_CHECKS,
    historyRegistry: historyChecks,
    sessions: undefined as never,
    homeRegion: 'us-east-1',
    toolVersion: 'bench',
    now: () => new Date(Date.parse(plan.asOf) + 40 * 60_000),
  };
  const { source } = await storedShards(store, plan, ALL_CHECKS);
  const run = await completeRunFromShards(ctx, plan, source, {
    store,
    ...(spec.tickets === 'local' && { ticketSink: new LocalTicketSink(store) }),
  });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  clearInterval(sampler);
  const manifest = JSON.parse((await store.get(run.written.manifestKey))!.toString('utf8')) as RunManifest;
  const changes = run.report.changes;
  const result: FinalizeResult = {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb,
    peakHeapMb: peakHeap / 1024 / 1024,
    findings: run.report.summary.findings,
    changes: {
      new: changes?.new ?? 0,
      persisting: changes?.persisting ?? 0,
      regressed: changes?.regressed ?? 0,
      resolved: changes?.resolved.length ?? 0,
      notAssessed: changes?.notAssessed.length ?? 0,
    },
    artifacts: manifest.artifacts.map((a) => ({ path: a.path, size: a.size })),
    ...(run.tickets !== undefined && {
      tickets: `${run.tickets.status}: ${run.tickets.done.length} done, ${run.tickets.overflow.held} held in the overflow ticket`,
    }),
  };
  process.send?.({ type: 'result', result });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
