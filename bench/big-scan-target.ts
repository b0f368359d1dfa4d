/**
 * One measured scanTarget, in a fresh process so its peak memory is its own: plan the
 * organization the simulator serves, then scan the one target asked for and write its shard into
 * a report store, as the cloud's scanTarget function does, and report its time, memory and shard.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyChecks } from '../checks/history/index.js';
import { ALL_CHECKS } from '../checks/registry.js';
import { resolveConfig } from '../core/config/load.js';
import type { EngineContext } from '../core/engine/context.js';
import { plan } from '../core/engine/plan.js';
import { scanTarget } from '../core/engine/scan-target.js';
import { AwsClients } from '../inventory/clients.js';
import { RateLimiter } from '../inventory/rate-limit.js';
import { AccountSessions } from '../inventory/sessions.js';
import { LocalReportStore } from '../reports/local-store.js';
import { REFERENCE_TIME, ROLE_NAME } from './generate.js';

export interface ScanTargetSpec {
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** `global`, or the region to scan. */
  readonly region: string;
}

export interface ScanTargetResult {
  readonly target: string;
  readonly wallMs: number;
  readonly peakRssMb: number;
  readonly findings: number;
  readonly shardBytes: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as ScanTargetSpec;
  const config = resolveConfig(
    { accounts: { source: 'organizations' }, assumeRole: { roleName: ROLE_NAME }, regions: 'all' },
    'benchmark config',
  );
  // Against a simulator without limits: the scan's own cost, not AWS's pace.
  const caller = new AwsClients({
    credentials: spec.credentials,
    endpoint: spec.endpoint,
    homeRegion: 'us-east-1',
    rateLimiter: new RateLimiter({ pace: false }),
  });
  const sessions = new AccountSessions(caller, config.assumeRole, 'bench-big');
  const ctx: EngineContext = {
    config,
    registry: ALL_CHECKS,
    historyRegistry: historyChecks,
    sessions,
    homeRegion: 'us-east-1',
    toolVersion: 'bench',
    now: () => new Date(Date.parse(REFERENCE_TIME) + 14 * 86_400_000),
  };
  const scanPlan = await plan(ctx, 'bench-big');
  const target = scanPlan.targets.find((t) => t.region === spec.region);
  if (target === undefined) throw new Error(`the plan has no ${spec.region} target`);
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-shard-'));
  const started = performance.now();
  const shard = await scanTarget(ctx, scanPlan, target);
  const body = JSON.stringify(shard);
  await new LocalReportStore(dir).put('shard.json', body);
  const wallMs = performance.now() - started;
  const result: ScanTargetResult = {
    target: `${target.accountId}/${target.region}`,
    wallMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    findings: shard.findings.length,
    shardBytes: Buffer.byteLength(body),
  };
  rmSync(dir, { recursive: true, force: true });
  sessions.destroy();
  process.send?.({ type: 'result', result });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
