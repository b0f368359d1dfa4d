/**
 * `custos scan`: validate everything first (config, estate, flags), then plan, scan and write
 * the run. Nothing is written when the input is bad.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { ALL_CHECKS } from '../checks/registry.js';
import type { ConfigOverrides } from '../core/config/load.js';
import { runScan, type ScanRun } from '../core/engine/run.js';
import { selectChecks } from '../core/engine/select.js';
import { UsageError } from '../core/errors.js';
import { evaluateGate } from '../core/gate.js';
import type { Severity } from '../core/types.js';
import { openStore } from '../reports/open-store.js';
import { publishRun, readStoredHistory } from '../reports/publish.js';
import { loadConfig } from './config-file.js';
import { liveCredentials, openEngine } from './engine-context.js';
import { formatSummary, useColor } from './summary.js';

export interface ScanOptions {
  readonly estate?: string;
  readonly config?: string;
  readonly out?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly accounts?: string;
  readonly regions?: string;
  readonly checks?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly failOn?: Severity;
  readonly allowIncomplete?: boolean;
  readonly onlyNew?: boolean;
}

export interface ScanOutcome {
  readonly run: ScanRun;
  readonly reportPath: string;
  readonly exitCode: number;
}

function splitList(
  value: string | undefined,
  flag: string,
  pattern: RegExp,
  expected: string,
): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const bad = items.find((s) => !pattern.test(s));
  if (items.length === 0 || bad !== undefined) {
    throw new UsageError(
      `${flag}: ${bad === undefined ? 'empty list' : JSON.stringify(bad)}: expected ${expected}`,
    );
  }
  return items;
}

export function overridesFrom(options: ScanOptions): ConfigOverrides {
  const accounts = splitList(
    options.accounts,
    '--accounts',
    /^\d{12}$/,
    'comma-separated 12-digit account ids',
  );
  const regions = splitList(
    options.regions,
    '--regions',
    /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/,
    'comma-separated region names',
  );
  const checks = splitList(
    options.checks,
    '--checks',
    /^[a-z0-9.*-]+$/,
    'comma-separated check ids or prefixes',
  );
  return {
    ...(accounts !== undefined && { accounts }),
    ...(regions !== undefined && { regions }),
    ...(checks !== undefined && { checks }),
    ...(options.out !== undefined && { store: options.out }),
    ...(options.failOn !== undefined && { failOn: options.failOn }),
    ...(options.allowIncomplete === true && { allowIncomplete: true }),
    ...(options.onlyNew === true && { onlyNew: true }),
  };
}

export async function scanCommand(options: ScanOptions, write: (text: string) => void): Promise<ScanOutcome> {
  const now = () => new Date();
  const config = loadConfig(options.config, overridesFrom(options), now().toISOString());
  // Check selection errors (a pattern matching no check) surface before any AWS call.
  selectChecks(ALL_CHECKS, config.checks, config.settings, options.config ?? 'config');

  const interactive = options.quiet !== true && options.json !== true;
  const engine = await openEngine(config, options, { interactive, now });
  try {
    const store = openStore(
      config,
      () => new S3Client({ region: engine.ctx.homeRegion, credentials: liveCredentials(options) }),
    );
    const stored = await readStoredHistory(store);
    const run = await runScan(engine.ctx, engine.runId, stored.previous).finally(() => engine.stopProgress());
    const written = await publishRun(store, run, {
      formats: config.output.formats,
      region: engine.ctx.homeRegion,
      accountId: run.plan.callerAccountId,
      trend: stored.trend,
    });
    const reportPath = store.locate(written.reportKey);
    if (options.json === true) write(JSON.stringify(run.report, null, 2));
    else if (options.quiet !== true) write(formatSummary(run.report, reportPath, useColor(process.stdout)));
    // The run is written whatever the gate says: evidence of a failed gate matters most.
    const gate = evaluateGate(run.report, config.gate);
    if (config.gate.failOn !== undefined || gate.exitCode !== 0) {
      for (const reason of gate.reasons) process.stderr.write(`custos: ${reason}\n`);
    }
    return { run, reportPath, exitCode: gate.exitCode };
  } finally {
    await engine.close();
  }
}
