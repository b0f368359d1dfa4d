/**
 * `npm run bench`: scans generated organizations of growing size through the simulator with
 * AWS-like latency and token buckets, and prints per size what the scan cost (API calls, per
 * resource, per bucket and per EC2 resource; throttling answers and what was left of them
 * after retries; wall time; peak memory) against a lower bound: the largest of
 *
 *   (a) the latency floor: the longest chain of calls that must follow one another (each needs
 *       the previous answer), times the median latency;
 *   (b) the token-bucket floor: over every AWS bucket (per account and region, and per action
 *       for EC2), (calls − burst) / refill, plus one latency;
 *   (c) the CPU floor: the same scan measured in the same run with no latency, no limits and
 *       no pacing (the requests in flight bounded as the product bounds them).
 *
 * Figures only: nothing here passes or fails on time. Each scan runs in a fresh process and
 * the simulator in another (AWS's CPU is not the scanner's). Rows go to
 * bench/results/latest.json. Also measured: the time from spawning `custos scan --estate` to
 * its first AWS call, and, when Lambda bundles have been built (.build/<name>/index.mjs), each
 * bundle's size and module-load time.
 *
 *   npm run bench                      sizes 10, 50, 200 accounts × 4 regions
 *   npm run bench -- --sizes 10,50     other sizes
 *   npm run bench -- --scans-only      the scans alone (no start-up or bundle figures)
 *   npm run bench -- --concurrency 16  targets at once, instead of the engine's default
 *   npm run bench -- --config-sizes 10 sizes also scanned with inventory.source config-aggregator
 *                                      (default: the largest size; `none` for none)
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_SEED, type EstateCounts } from './generate.js';
import type { ScanProcessSpec, ScanResult } from './scan-process.js';
import type { SimMode, SimProcessMessage, SimProcessSpec, SimReport } from './sim-process.js';

/** The repository root: this file runs from <root>/node_modules/.cache/custos-bench/bench/. */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results', 'latest.json');

const REGIONS = 4;
/** Median latency of one AWS call from inside a region, with a log-normal tail (p99 ≈ 2.3×). */
const LATENCY_MS = 40;
/** Organizations pages ListAccounts at 20. */
const LIST_ACCOUNTS_PAGE = 20;
/**
 * Calls that must follow one another in a target, whatever the concurrency: the security
 * groups, then the prefix lists they name, then those lists' entries; the bucket list, then
 * each bucket's Object Ownership, then its ACL; GenerateCredentialReport until COMPLETE, then
 * GetCredentialReport.
 */
const TARGET_CHAIN = 3;
const CHILD_ARGS = ['--max-old-space-size=8192'];
/** Extra node flags for the scanning process, e.g. `--cpu-prof` to profile it. */
const SCAN_ARGS = (process.env.CUSTOS_BENCH_SCAN_ARGS ?? '').split(' ').filter((arg) => arg !== '');

/** The inventory sources measured: the services' APIs, and AWS Config through an aggregator. */
export type BenchMode = 'api' | 'config-aggregator';

/** The aggregator the generated organization has (bench/generate.ts, `config: true`). */
const AGGREGATOR_NAME = 'custos-org';

export interface BenchRow {
  /** The `inventory.source` scanned with. */
  readonly mode: BenchMode;
  readonly accounts: number;
  readonly regions: number;
  readonly resources: number;
  readonly ec2Resources: number;
  readonly buckets: number;
  readonly iamUsers: number;
  readonly targets: number;
  /** Requests AWS (the simulator) received, throttled ones and retries included. */
  readonly apiCalls: number;
  /** Of those, AWS Config's (advanced queries and BatchGets). */
  readonly configCalls: number;
  readonly callsPerResource: number;
  readonly ec2CallsPerResource: number;
  readonly s3CallsPerBucket: number;
  /** Throttling answers AWS gave. */
  readonly throttleResponses: number;
  /** Throttling errors left after retries: what the scan could not assess because of them. */
  readonly throttlesSurfaced: number;
  readonly retries: number;
  readonly wallMs: number;
  readonly lowerBoundMs: number;
  readonly lowerBound: 'latency' | 'token-bucket' | 'cpu';
  readonly latencyFloorMs: number;
  readonly tokenFloorMs: number;
  readonly tokenFloorBucket: string | undefined;
  readonly cpuFloorMs: number;
  /** CPU time (user + system, all threads) of the scanning process in the CPU-floor run. */
  readonly cpuFloorCpuMs: number;
  readonly ratio: number;
  readonly peakRssMb: number;
  readonly cpuMs: number;
  readonly findings: number;
  readonly errorFindings: number;
  /** Digest of every verdict (check, account, region, resource, status): equal means same verdicts. */
  readonly verdictDigest: string;
  readonly limiterWaits: number;
  /** What the scan could not assess, by kind of error (collectors and single buckets). */
  readonly errorsByKind: Partial<Record<string, number>>;
}

interface Measured {
  readonly counts: EstateCounts;
  readonly sim: SimReport;
  readonly scan: ScanResult;
}

function nextMessage<T extends { type: string }>(child: ChildProcess, type: T['type']): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: T) => {
      if (message.type !== type) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`a benchmark process exited (${code}) before sending '${type}'`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Targets at once (`--concurrency N`); absent: the engine's default, which is what is measured. */
function readConcurrency(argv: readonly string[]): number | undefined {
  const index = argv.indexOf('--concurrency');
  if (index < 0) return undefined;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--concurrency: expected a positive integer`);
  return value;
}

const CONCURRENCY = readConcurrency(process.argv.slice(2));

/** One scan in a fresh process against one of the simulators; then what that simulator saw. */
async function scanOnce(
  sim: ChildProcess,
  ready: SimReady,
  mode: SimMode,
  inventory: BenchMode,
): Promise<Measured> {
  sim.send({ type: 'reset' });
  await nextMessage<Extract<SimProcessMessage, { type: 'reset-done' }>>(sim, 'reset-done');
  const scanSpec: ScanProcessSpec = {
    ...ready.simulators[mode],
    paced: mode === 'limited',
    ...(CONCURRENCY !== undefined && { concurrency: CONCURRENCY }),
    ...(inventory === 'config-aggregator' && {
      inventory: { source: 'config-aggregator', aggregatorName: AGGREGATOR_NAME },
    }),
  };
  const scanner = fork(join(HERE, 'scan-process.js'), [JSON.stringify(scanSpec)], {
    execArgv: [...CHILD_ARGS, ...SCAN_ARGS],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { result } = await nextMessage<{ type: 'result'; result: ScanResult }>(scanner, 'result');
  await exited(scanner);
  sim.send({ type: 'report', mode });
  const { report } = await nextMessage<Extract<SimProcessMessage, { type: 'report' }>>(sim, 'report');
  return { counts: ready.counts, sim: report, scan: result };
}

type SimReady = Extract<SimProcessMessage, { type: 'ready' }>;

interface ModeMeasures {
  readonly mode: BenchMode;
  readonly cpu: Measured;
  readonly api: Measured;
}

/**
 * One size: the estate generated once in the simulator process (with AWS Config recording
 * everywhere and an organization aggregator, which the API scan never reads), then per mode
 * scanned first without latency or limits (the CPU floor), then with both.
 */
async function measure(accounts: number, modes: readonly BenchMode[]): Promise<ModeMeasures[]> {
  const simSpec: SimProcessSpec = {
    estate: { accounts, regions: REGIONS, seed: DEFAULT_SEED, config: true },
    latencyMs: LATENCY_MS,
  };
  const sim = fork(join(HERE, 'sim-process.js'), [JSON.stringify(simSpec)], {
    execArgv: CHILD_ARGS,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const ready = await nextMessage<SimReady>(sim, 'ready');
    const measures: ModeMeasures[] = [];
    for (const mode of modes) {
      process.stdout.write(` [${mode}] CPU floor run…`);
      const cpu = await scanOnce(sim, ready, 'plain', mode);
      process.stdout.write(` ${seconds(cpu.scan.wallMs)}; with latency and limits…`);
      const api = await scanOnce(sim, ready, 'limited', mode);
      process.stdout.write(` ${seconds(api.scan.wallMs)}`);
      measures.push({ mode, cpu, api });
    }
    process.stdout.write('\n');
    sim.send({ type: 'close' });
    await exited(sim);
    return measures;
  } finally {
    if (sim.exitCode === null) sim.kill();
  }
}

function sum(counts: Record<string, number>, services: readonly string[]): number {
  let total = 0;
  for (const [name, n] of Object.entries(counts)) {
    if (services.includes(name.slice(0, name.indexOf(':')))) total += n;
  }
  return total;
}

const round = (value: number, digits = 0) => Number(value.toFixed(digits));

function row(accounts: number, mode: BenchMode, api: Measured, cpu: Measured): BenchRow {
  const { counts } = api;
  const apiCalls = Object.values(api.sim.callCounts).reduce((a, b) => a + b, 0);
  const throttleResponses = Object.values(api.sim.throttled).reduce((a, b) => a + b, 0);
  const planChain = 1 + Math.ceil(accounts / LIST_ACCOUNTS_PAGE) + 2;
  const latencyFloorMs = LATENCY_MS * (planChain + TARGET_CHAIN);
  // Read from the run without throttling, whose calls are exactly those the scan needs.
  const tokenFloorMs = cpu.sim.tokenFloorMs + LATENCY_MS;
  const cpuFloorMs = cpu.scan.wallMs;
  const floors = { latency: latencyFloorMs, 'token-bucket': tokenFloorMs, cpu: cpuFloorMs } as const;
  const [lowerBound, lowerBoundMs] = (
    Object.entries(floors) as Array<[BenchRow['lowerBound'], number]>
  ).reduce((best, entry) => (entry[1] > best[1] ? entry : best));
  return {
    mode,
    accounts,
    regions: counts.regions,
    resources: counts.resources,
    ec2Resources: counts.ec2Resources,
    buckets: counts.buckets,
    iamUsers: counts.iamUsers,
    targets: api.scan.targets,
    apiCalls,
    configCalls: sum(api.sim.callCounts, ['config']),
    callsPerResource: round(apiCalls / counts.resources, 3),
    ec2CallsPerResource: round(sum(api.sim.callCounts, ['ec2']) / counts.ec2Resources, 4),
    s3CallsPerBucket: round(sum(api.sim.callCounts, ['s3', 's3control']) / counts.buckets, 2),
    throttleResponses,
    throttlesSurfaced: api.scan.errorsByKind.throttled ?? 0,
    retries: api.scan.attempts - api.scan.calls,
    wallMs: round(api.scan.wallMs),
    lowerBoundMs: round(lowerBoundMs),
    lowerBound,
    latencyFloorMs: round(latencyFloorMs),
    tokenFloorMs: round(tokenFloorMs),
    tokenFloorBucket: cpu.sim.tokenFloorBucket,
    cpuFloorMs: round(cpuFloorMs),
    cpuFloorCpuMs: round(cpu.scan.cpuMs),
    ratio: round(api.scan.wallMs / lowerBoundMs, 2),
    peakRssMb: round(api.scan.peakRssMb),
    cpuMs: round(api.scan.cpuMs),
    findings: api.scan.findings,
    errorFindings: api.scan.errorFindings,
    verdictDigest: api.scan.verdictDigest,
    limiterWaits: api.scan.limiter.waits,
    errorsByKind: api.scan.errorsByKind,
  };
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatTable(rows: readonly BenchRow[]): string {
  const header = [
    'mode',
    'accounts',
    'resources',
    'API calls',
    'calls/resource',
    'EC2 calls/EC2 res.',
    'S3 calls/bucket',
    'throttled (left)',
    'wall',
    'lower bound',
    'ratio',
    'peak RSS',
  ];
  const lines = rows.map((r) => [
    r.mode,
    `${r.accounts} × ${r.regions}`,
    r.resources.toLocaleString('en-US'),
    r.apiCalls.toLocaleString('en-US'),
    r.callsPerResource.toFixed(3),
    r.ec2CallsPerResource.toFixed(4),
    r.s3CallsPerBucket.toFixed(2),
    `${r.throttleResponses} (${r.throttlesSurfaced})`,
    seconds(r.wallMs),
    `${seconds(r.lowerBoundMs)} (${r.lowerBound})`,
    r.ratio.toFixed(2),
    `${r.peakRssMb} MB`,
  ]);
  const table = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...table.map((cells) => cells[i]!.length)));
  const format = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = format(widths.map((w) => '-'.repeat(w)));
  return [format(header), rule, ...lines.map(format)].join('\n');
}

function floorsTable(rows: readonly BenchRow[]): string {
  return rows
    .map(
      (r) =>
        `  ${r.accounts} accounts, ${r.mode}: latency floor ${seconds(r.latencyFloorMs)}, token-bucket floor ${seconds(r.tokenFloorMs)}` +
        ` (${r.tokenFloorBucket ?? 'no bucket'}), CPU floor ${seconds(r.cpuFloorMs)} (scanner CPU ${seconds(r.cpuFloorCpuMs)});` +
        ` with latency and limits: scanner CPU ${seconds(r.cpuMs)},` +
        ` ${r.findings.toLocaleString('en-US')} findings (${r.errorFindings} ERROR), ${r.retries} retries, ${r.limiterWaits} paced waits;` +
        ` not assessed: ${JSON.stringify(r.errorsByKind)}`,
    )
    .join('\n');
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const now = () => performance.timeOrigin + performance.now();

function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number | null> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}

/** Spawn → the built-in simulator's first request, for `custos scan --estate` (the demo estate). */
async function timeToFirstCall(runs: number): Promise<number[] | string> {
  // The CLI as it ships (package.json `bin`): the bundle `npm run build` writes.
  const bin = join(ROOT, 'dist', 'bundle', 'custos.mjs');
  if (!existsSync(bin)) return 'dist/bundle/custos.mjs is missing: run `npm run build` first';
  const probe = pathToFileURL(join(HERE, 'first-call-probe.js')).href;
  const folder = mkdtempSync(join(tmpdir(), 'custos-bench-'));
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const probeFile = join(folder, `first-call-${i}`);
      const args = [
        '--import',
        probe,
        bin,
        'scan',
        '--estate',
        join(ROOT, 'examples', 'demo-estate.json'),
        '--config',
        join(ROOT, 'examples', 'demo.config.json'),
        '--out',
        join(folder, `out-${i}`),
        '--quiet',
      ];
      const spawned = now();
      await run(process.execPath, args, { ...process.env, CUSTOS_BENCH_PROBE: probeFile });
      if (!existsSync(probeFile)) return 'the scan made no AWS call (see its errors above)';
      times.push(Number(readFileSync(probeFile, 'utf8')) - spawned);
    }
    return times;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

interface BundleFigures {
  readonly name: string;
  /** index.mjs and the chunks it imports statically: the code that loads with the handler. */
  readonly startBytes: number;
  /** All of the function's code, the chunks its invocations load on demand included. */
  readonly totalBytes: number;
  readonly loadMs: number;
}

/**
 * Each Lambda bundle (.build/<name>/index.mjs and its chunks): the size of the code that loads
 * with the handler and of all its code, and the median over 20 fresh node processes of the time
 * to import the handler.
 */
async function bundles(): Promise<BundleFigures[]> {
  const folder = join(ROOT, '.build');
  if (!existsSync(folder)) return [];
  const found: BundleFigures[] = [];
  for (const name of readdirSync(folder).sort()) {
    const file = join(folder, name, 'index.mjs');
    if (!existsSync(file)) continue;
    try {
      const loads: number[] = [];
      for (let i = 0; i < 20; i++) loads.push(await importTime(file));
      if (loads.some((ms) => !Number.isFinite(ms))) continue;
      const code = readdirSync(join(folder, name), { recursive: true, encoding: 'utf8' })
        .filter((path) => path.endsWith('.mjs'))
        .map((path) => join(folder, name, path));
      found.push({
        name,
        startBytes: bytesOf(loadedWith(file)),
        totalBytes: bytesOf(code),
        loadMs: median(loads),
      });
    } catch {
      // A bundle that vanished or does not load (being rebuilt) is left out.
    }
  }
  return found;
}

/** A static import or re-export of a relative module, as esbuild writes them (`import("…")` is not one). */
const STATIC_IMPORT = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{},\s]+?from\s*)?["'](\.\.?\/[^"']+)["']/g;

/** `file` and every module it imports statically, transitively: what loads when it is imported. */
function loadedWith(file: string): string[] {
  const loaded = new Set<string>();
  const pending = [file];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (loaded.has(next)) continue;
    loaded.add(next);
    for (const match of readFileSync(next, 'utf8').matchAll(STATIC_IMPORT)) {
      pending.push(join(dirname(next), match[1]!));
    }
  }
  return [...loaded];
}

const bytesOf = (files: readonly string[]) => files.reduce((sum, file) => sum + statSync(file).size, 0);

function importTime(file: string): Promise<number> {
  const script =
    'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, pathToFileURL(file).href], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code === 0 && out !== '' ? Number(out) : Number.NaN));
  });
}

function readSizes(argv: readonly string[]): number[] {
  const index = argv.indexOf('--sizes');
  const text = index >= 0 ? argv[index + 1] : process.env.CUSTOS_BENCH_SIZES;
  const sizes = (text ?? '10,50,200').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`--sizes: expected e.g. 10,50,200, got ${text}`);
  return sizes;
}

/** Sizes also scanned with AWS Config through the aggregator (`--config-sizes`); default: the largest. */
function readConfigSizes(argv: readonly string[], sizes: readonly number[]): number[] {
  const index = argv.indexOf('--config-sizes');
  if (index < 0) return [Math.max(...sizes)];
  const text = argv[index + 1] ?? '';
  if (text === 'none') return [];
  const chosen = text.split(',').map(Number);
  if (chosen.some((n) => !sizes.includes(n)))
    throw new Error(`--config-sizes: expected some of ${sizes.join(',')}`);
  return chosen;
}

/** Per size scanned both ways: how many times fewer calls the aggregator needed. */
function configComparison(rows: readonly BenchRow[]): string {
  const lines = rows
    .filter((r) => r.mode === 'config-aggregator')
    .map((config) => {
      const api = rows.find((r) => r.mode === 'api' && r.accounts === config.accounts);
      if (api === undefined) return '';
      return (
        `  ${config.accounts} accounts: ${api.apiCalls.toLocaleString('en-US')} calls with the APIs, ` +
        `${config.apiCalls.toLocaleString('en-US')} with the aggregator (${config.configCalls.toLocaleString('en-US')} to AWS Config, ` +
        `the rest what Config does not record): ${(api.apiCalls / config.apiCalls).toFixed(1)}× fewer; ` +
        `findings ${api.findings.toLocaleString('en-US')} vs ${config.findings.toLocaleString('en-US')}, ` +
        `verdicts ${api.verdictDigest === config.verdictDigest ? 'identical' : 'DIFFERENT'}`
      );
    })
    .filter((line) => line !== '');
  return lines.length === 0 ? '' : `\nAWS Config aggregator vs the APIs:\n${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  // Every process below runs on this machine's Node; the SDK's notice about Node versions would
  // interleave with the figures.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const sizes = readSizes(process.argv.slice(2));
  const started = now();
  const rows: BenchRow[] = [];
  const configSizes = readConfigSizes(process.argv.slice(2), sizes);
  for (const accounts of sizes) {
    process.stdout.write(`${accounts} accounts × ${REGIONS} regions: generating…`);
    const modes: BenchMode[] = configSizes.includes(accounts) ? ['api', 'config-aggregator'] : ['api'];
    for (const { mode, cpu, api } of await measure(accounts, modes)) rows.push(row(accounts, mode, api, cpu));
  }
  process.stdout.write(
    `\nScan (plan + every target) through the simulator: ${LATENCY_MS} ms median latency with a log-normal tail, ` +
      `AWS's token buckets, ${REGIONS} regions per account.\n\n${formatTable(rows)}\n\nFloors:\n${floorsTable(rows)}\n` +
      configComparison(rows),
  );
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(rows, null, 2)}\n`);
  process.stdout.write(`\nRows written to bench/results/latest.json\n`);
  if (process.argv.includes('--scans-only')) return;

  const firstCall = await timeToFirstCall(5);
  process.stdout.write(
    typeof firstCall === 'string'
      ? `\nTime to first AWS call: not measured (${firstCall})\n`
      : `\nTime from spawning \`custos scan --estate examples/demo-estate.json\` to its first AWS call: ` +
          `median ${median(firstCall).toFixed(0)} ms over ${firstCall.length} runs ` +
          `(${firstCall.map((t) => t.toFixed(0)).join(', ')}; target < 300 ms)\n`,
  );
  const built = await bundles();
  process.stdout.write(
    built.length === 0
      ? '\nLambda bundles: none in .build/<name>/index.mjs; build them and rerun to see their size and load time.\n'
      : `\nLambda bundles (module load: median of 20 fresh node processes; the code loaded with the handler, of all the function's code):\n${built
          .map(
            (b) =>
              `  ${b.name}: ${(b.startBytes / 1024).toFixed(0)} of ${(b.totalBytes / 1024).toFixed(0)} KiB, load ${b.loadMs.toFixed(0)} ms`,
          )
          .join('\n')}\n`,
  );
  process.stdout.write(`\nBenchmark finished in ${seconds(now() - started)}.\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
