/**
 * `npm run bench:big`: the memory of a very large run, against what a 3 GB Lambda gives.
 *
 * - finalize: a synthetic run of a million findings (200 accounts × 4 regions and their global
 *   targets, three of the regions as large as one of 45,000 EC2 resources) is written into a
 *   local report store as the scanTarget functions leave a run, with the previous night's
 *   history. The cloud's finalize then runs on it in a fresh process with the heap a 3 GB
 *   function gets: shards read one at a time, every report format written as it is rendered,
 *   with `tickets.sink: "none"`. With `--tickets`, once more (the next night, compared with the
 *   first) with the local ticket sink.
 * - scanTarget: one account whose one region holds about 45,000 EC2 resources, and whose global
 *   target 2,000 buckets and 1,000 IAM users, served by the simulator in its own process; each
 *   target is scanned in a fresh process.
 *
 * Figures only: nothing here passes or fails. Printed, and written to bench/results/big.json.
 *
 *   npm run bench:big                         finalize and scanTarget (about 5 minutes on 2 cores)
 *   npm run bench:big -- --tickets            and the next night with the local ticket sink (4 more)
 *   npm run bench:big -- --findings 200000    a smaller run
 *   npm run bench:big -- --skip-scan          finalize only
 */
import { type ChildProcess, fork } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScanPlan } from '../core/engine/context.js';
import { runKeys } from '../functions/events.js';
import { LocalReportStore } from '../reports/local-store.js';
import type { FinalizeResult, FinalizeSpec } from './big-finalize.js';
import { BIG_RUN_ID, type BigRun, writeBigRun } from './big-run.js';
import type { ScanTargetResult, ScanTargetSpec } from './big-scan-target.js';
import type { BigSimSpec } from './big-sim.js';
import type { EstateCounts } from './generate.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results', 'big.json');

/** A 3,008 MB Lambda: the heap Node is allowed, leaving room for the rest of the process. */
const FINALIZE_HEAP_MB = 2560;
const FINALIZE_TARGET_MB = 1536;
const SCAN_TARGET_MB = 1024;
const NEXT_RUN_ID = '20261126T020000Z-b16b17';

/** The largest target measured: one region of about 45,000 EC2 resources; 2,000 buckets, 1,000 users. */
const LARGEST_TARGET: BigSimSpec = {
  estate: { accounts: 1, regions: 1, seed: 7, bucketsPerAccount: 2000, usersPerAccount: 1000 },
  copies: 100,
};

interface Flags {
  readonly findings: number;
  readonly accounts: number;
  readonly regions: number;
  readonly tickets: boolean;
  readonly scan: boolean;
}

function readFlags(argv: readonly string[]): Flags {
  const value = (name: string, fallback: number) => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? Number(argv[at + 1]) : fallback;
  };
  return {
    findings: value('findings', 1_000_000),
    accounts: value('accounts', 200),
    regions: value('regions', 4),
    tickets: argv.includes('--tickets'),
    scan: !argv.includes('--skip-scan'),
  };
}

function child(script: string, arg: unknown, execArgv: readonly string[] = []): ChildProcess {
  return fork(join(HERE, script), [JSON.stringify(arg)], { execArgv: [...execArgv], stdio: 'inherit' });
}

function nextMessage<T>(process: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string }) => {
      if (message.type !== type) return;
      cleanup();
      resolve(message as T);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`a benchmark process exited (${code}) before sending '${type}'`));
    };
    const cleanup = () => {
      process.off('message', onMessage);
      process.off('exit', onExit);
    };
    process.on('message', onMessage);
    process.on('exit', onExit);
  });
}

async function measureFinalize(spec: FinalizeSpec): Promise<FinalizeResult> {
  const process = child('big-finalize.js', spec, [`--max-old-space-size=${FINALIZE_HEAP_MB}`]);
  const { result } = await nextMessage<{ result: FinalizeResult }>(process, 'result');
  return result;
}

/** The next night's run over the same targets: its plan, and the shards linked into its folder. */
async function prepareNextRun(dir: string): Promise<void> {
  const store = new LocalReportStore(dir);
  const plan = JSON.parse((await store.get(runKeys.plan(BIG_RUN_ID)))!.toString('utf8')) as ScanPlan;
  const asOf = new Date(Date.parse(plan.asOf) + 86_400_000).toISOString();
  await store.putOnce(
    runKeys.plan(NEXT_RUN_ID),
    JSON.stringify({ ...plan, runId: NEXT_RUN_ID, startedAt: asOf, asOf }),
  );
  const from = join(dir, runKeys.shards(BIG_RUN_ID));
  const to = join(dir, runKeys.shards(NEXT_RUN_ID));
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) linkSync(join(from, name), join(to, name));
}

async function measureScanTargets(): Promise<{ counts: EstateCounts; targets: ScanTargetResult[] }> {
  const sim = child('big-sim.js', LARGEST_TARGET, ['--max-old-space-size=8192']);
  try {
    const ready = await nextMessage<{
      endpoint: string;
      credentials: ScanTargetSpec['credentials'];
      counts: EstateCounts;
    }>(sim, 'ready');
    const targets: ScanTargetResult[] = [];
    for (const region of ['us-east-1', 'global']) {
      const scan = child('big-scan-target.js', {
        endpoint: ready.endpoint,
        credentials: ready.credentials,
        region,
      });
      targets.push((await nextMessage<{ result: ScanTargetResult }>(scan, 'result')).result);
    }
    return { counts: ready.counts, targets };
  } finally {
    sim.send({ type: 'close' });
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
const count = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function printFinalize(label: string, result: FinalizeResult): void {
  const total = result.findings.PASS + result.findings.FAIL + result.findings.ERROR;
  console.log(`\n${label}`);
  console.log(
    `  ${count(total)} findings (${count(result.findings.FAIL)} FAIL, ${count(result.findings.ERROR)} ERROR, ${count(result.findings.PASS)} PASS)`,
  );
  console.log(
    `  changes: ${count(result.changes.new)} new, ${count(result.changes.persisting)} persisting, ${count(result.changes.regressed)} regressed, ${count(result.changes.resolved)} resolved, ${count(result.changes.notAssessed)} not assessed`,
  );
  console.log(`  wall ${seconds(result.wallMs)}, CPU ${seconds(result.cpuMs)}`);
  console.log(
    `  peak RSS ${result.peakRssMb.toFixed(0)} MB (target < ${FINALIZE_TARGET_MB} MB), peak heap ${result.peakHeapMb.toFixed(0)} MB`,
  );
  if (result.tickets !== undefined) console.log(`  tickets: ${result.tickets}`);
  console.log('  artifacts:');
  for (const artifact of result.artifacts)
    console.log(`    ${artifact.path.padEnd(22)} ${mb(artifact.size).padStart(9)}`);
}

async function main(): Promise<void> {
  const flags = readFlags(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-big-'));
  const results: Record<string, unknown> = { flags };
  try {
    const started = performance.now();
    const run: BigRun = await writeBigRun({
      dir,
      accounts: flags.accounts,
      regions: flags.regions,
      findings: flags.findings,
      seed: 20_261_125,
    });
    results.run = run;
    console.log(
      `Synthetic run: ${count(run.shardFindings)} findings in ${count(run.targets)} shards (${flags.accounts} accounts × ${flags.regions} regions and their global targets), ${mb(run.shardBytes)} of shards; largest shard ${run.largestShard.target}: ${count(run.largestShard.findings)} findings, ${mb(run.largestShard.bytes)}. Previous ledger: ${count(run.previousLedgerEntries)} fingerprints. Written in ${seconds(performance.now() - started)}.`,
    );

    const none = await measureFinalize({ dir, runId: BIG_RUN_ID, tickets: 'none' });
    results.finalize = none;
    printFinalize(
      'finalize, tickets.sink "none" (the shards read one at a time; every format written as it is rendered)',
      none,
    );

    if (flags.tickets) {
      await prepareNextRun(dir);
      const local = await measureFinalize({ dir, runId: NEXT_RUN_ID, tickets: 'local' });
      results.finalizeWithTickets = local;
      printFinalize('finalize of the next night, with the local ticket sink', local);
    }
    rmSync(dir, { recursive: true, force: true });

    if (flags.scan) {
      const scans = await measureScanTargets();
      results.scanTarget = scans;
      console.log(
        `\nscanTarget of the largest target (${count(scans.counts.ec2Resources)} EC2 resources in one region; ${count(scans.counts.buckets)} buckets and ${count(scans.counts.iamUsers)} IAM users in the account), against the simulator without latency or limits:`,
      );
      for (const target of scans.targets) {
        console.log(
          `  ${target.target.padEnd(22)} wall ${seconds(target.wallMs)}, peak RSS ${target.peakRssMb.toFixed(0)} MB (target < ${SCAN_TARGET_MB} MB), ${count(target.findings)} findings, shard ${mb(target.shardBytes)}`,
        );
      }
    }
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nWritten to ${RESULTS}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
