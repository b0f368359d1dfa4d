/**
 * One measured scan, in a fresh process so its peak memory is its own: plan and scan every
 * target of the organization the simulator serves (`scanAll`, as `custos scan` runs it before
 * writing reports), then report the wall time, the memory and the calls.
 */
import { createHash } from 'node:crypto';
import { historyChecks } from '../checks/history/index.js';
import { ALL_CHECKS } from '../checks/registry.js';
import { resolveConfig } from '../core/config/load.js';
import type { EngineContext, TargetShard } from '../core/engine/context.js';
import { scanAll } from '../core/engine/run.js';
import type { ErrorKind } from '../core/types.js';
import { AwsClients, CallMetrics } from '../inventory/clients.js';
import { RateLimiter, type RateLimiterStats } from '../inventory/rate-limit.js';
import { AccountSessions } from '../inventory/sessions.js';
import { REFERENCE_TIME, ROLE_NAME } from './generate.js';

/** Two weeks after the generated estate's reference time, so credential ages are as generated. */
const SCAN_TIME = new Date(Date.parse(REFERENCE_TIME) + 14 * 86_400_000);

export interface ScanProcessSpec {
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /**
   * Pace the calls under AWS's rates (the product's default), or only bound the requests in
   * flight as the product does (the CPU floor, against a simulator without limits).
   */
  readonly paced: boolean;
  /** Targets at once; absent: the engine's default. */
  readonly concurrency?: number;
  /** `inventory` of the config; absent: the services' APIs. */
  readonly inventory?: { readonly source: 'config-aggregator'; readonly aggregatorName: string };
}

export interface ScanResult {
  readonly wallMs: number;
  /** CPU time of this process (user + system) during the scan. */
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly targets: number;
  readonly findings: number;
  readonly errorFindings: number;
  /** SDK calls (one per command) and HTTP attempts (retries included). */
  readonly calls: number;
  readonly attempts: number;
  /** Collector and bucket errors by kind: what the scan could not assess. */
  readonly errorsByKind: Partial<Record<ErrorKind, number>>;
  readonly limiter: RateLimiterStats;
  /** SHA-256 over every finding's check, account, region, resource and status, sorted. */
  readonly verdictDigest: string;
}

function verdictDigest(shards: readonly TargetShard[]): string {
  const lines = shards
    .flatMap((s) =>
      s.findings.map((f) => `${f.checkId}|${f.accountId}|${f.region}|${f.resourceId}|${f.status}`),
    )
    .sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

function countErrors(shards: readonly TargetShard[], into: Partial<Record<ErrorKind, number>>): void {
  const add = (kind: ErrorKind) => {
    into[kind] = (into[kind] ?? 0) + 1;
  };
  for (const shard of shards) {
    for (const result of Object.values(shard.inventory.results)) {
      if (result === undefined) continue;
      if (!result.ok) {
        add(result.error.kind);
        continue;
      }
      const { data } = result as { data: unknown };
      if (data === null || typeof data !== 'object' || Array.isArray(data)) continue;
      // Per-bucket facets: one failed bucket is an error of its own.
      for (const facet of Object.values(data)) {
        if (typeof facet === 'object' && facet !== null && (facet as { ok?: unknown }).ok === false) {
          add((facet as { error: { kind: ErrorKind } }).error.kind);
        }
      }
    }
  }
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as ScanProcessSpec;
  const config = resolveConfig(
    {
      accounts: { source: 'organizations' },
      assumeRole: { roleName: ROLE_NAME },
      regions: 'all',
      ...(spec.inventory !== undefined && { inventory: spec.inventory }),
    },
    'benchmark config',
  );
  const metrics = new CallMetrics();
  const limiter = new RateLimiter({ pace: spec.paced });
  const caller = new AwsClients({
    credentials: spec.credentials,
    endpoint: spec.endpoint,
    homeRegion: 'us-east-1',
    metrics,
    rateLimiter: limiter,
  });
  const sessions = new AccountSessions(caller, config.assumeRole, 'bench');
  const ctx: EngineContext = {
    config,
    registry: ALL_CHECKS,
    historyRegistry: historyChecks,
    sessions,
    homeRegion: 'us-east-1',
    toolVersion: 'bench',
    now: () => SCAN_TIME,
    ...(spec.concurrency !== undefined && { concurrency: spec.concurrency }),
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const { plan, shards } = await scanAll(ctx, 'bench');
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const errorsByKind: Partial<Record<ErrorKind, number>> = {};
  for (const account of plan.accounts) {
    if (account.error !== undefined)
      errorsByKind[account.error.kind] = (errorsByKind[account.error.kind] ?? 0) + 1;
  }
  countErrors(shards, errorsByKind);
  const findings = shards.reduce((sum, s) => sum + s.findings.length, 0);
  const errorFindings = shards.reduce(
    (sum, s) => sum + s.findings.filter((f) => f.status === 'ERROR').length,
    0,
  );
  const result: ScanResult = {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    targets: shards.length,
    findings,
    errorFindings,
    calls: metrics.calls,
    attempts: metrics.attempts,
    errorsByKind,
    limiter: limiter.stats(),
    verdictDigest: verdictDigest(shards),
  };
  sessions.destroy();
  process.send?.({ type: 'result', result });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
