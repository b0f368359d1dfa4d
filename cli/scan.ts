/**
 * `custos scan`: validate everything first (config, estate, flags), then plan, scan and write
 * the run. Nothing is written when the input is bad.
 */
import { historyChecks } from '../checks/history/index.js';
import { ALL_CHECKS } from '../checks/registry.js';
import type { ConfigOverrides } from '../core/config/load.js';
import { type ScanRun, scanAll } from '../core/engine/run.js';
import { selectChecks } from '../core/engine/select.js';
import { UsageError } from '../core/errors.js';
import { evaluateGate } from '../core/gate.js';
import type { Severity } from '../core/types.js';
import { openStore } from '../reports/open-store.js';
import type { TokenClients } from '../tickets/credentials.js';
import { createTicketSink } from '../tickets/factory.js';
import { preflight } from '../tickets/preflight.js';
import { loadConfig } from './config-file.js';
import { liveCredentials, openEngine, requireSdk } from './engine-context.js';
import { formatSummary, useColor } from './summary.js';

// Only what comes before the first AWS call is imported above; what runs after the scan (the
// run's completion: history, reports, tickets) and the SDK clients a scan may not need are
// loaded where they are used.

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
  selectChecks([...ALL_CHECKS, ...historyChecks], config.checks, config.settings, options.config ?? 'config');
  const homeRegion = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const store = openStore(config, () => {
    const { S3Client } = requireSdk('@aws-sdk/client-s3');
    return new S3Client({ region: homeRegion, credentials: liveCredentials(options) });
  });
  // The tracker is checked before the scan: a bad token or a public repository stops here (exit 2).
  const ticketSink = await createTicketSink(config.tickets, {
    store,
    tokens: cliTokenClients(homeRegion, options),
  });
  if (ticketSink !== undefined) await preflight(ticketSink);

  const interactive = options.quiet !== true && options.json !== true;
  const engine = await openEngine(config, options, { interactive, now });
  try {
    const scanned = await scanAll(engine.ctx, engine.runId).finally(() => engine.stopProgress());
    const { completeRun } = await import('../core/engine/complete-run.js');
    const run = await completeRun(engine.ctx, scanned.plan, scanned.shards, {
      store,
      ...(ticketSink !== undefined && { ticketSink }),
    });
    const reportPath = store.locate(run.written.reportKey);
    if (options.json === true) write(JSON.stringify(run.report, null, 2));
    else if (options.quiet !== true) write(formatSummary(run.report, reportPath, useColor(process.stdout)));
    // The run is written whatever the gate says: evidence of a failed gate matters most.
    const gate = evaluateGate(run.report, config.gate);
    if (config.gate.failOn !== undefined || gate.exitCode !== 0) {
      for (const reason of gate.reasons) process.stderr.write(`custos: ${reason}\n`);
    }
    return { run: { ...run, ...scanned }, reportPath, exitCode: gate.exitCode };
  } finally {
    await engine.close();
  }
}

/** Ticket tokens on a workstation or CI runner: SSM, Secrets Manager, or a named environment variable. */
function cliTokenClients(region: string, options: Pick<ScanOptions, 'profile'>): TokenClients {
  return {
    ssm: async () => {
      const { SSM } = await import('@aws-sdk/client-ssm');
      return new SSM({ region, credentials: liveCredentials(options) });
    },
    secretsManager: async () => {
      const { SecretsManager } = await import('@aws-sdk/client-secrets-manager');
      return new SecretsManager({ region, credentials: liveCredentials(options) });
    },
    env: process.env,
  };
}
