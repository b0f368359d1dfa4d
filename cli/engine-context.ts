/**
 * The engine context the CLI's scanning commands share (`custos scan`, `custos record`): the
 * estate simulator when `--estate` is given, the caller's credentials, the account sessions, the
 * live progress line and the clock.
 */
import { createRequire } from 'node:module';
import { historyChecks } from '../checks/history/index.js';
import { ALL_CHECKS } from '../checks/registry.js';
import type { ResolvedConfig } from '../core/config/load.js';
import type { EngineContext } from '../core/engine/context.js';
import { newRunId } from '../core/engine/plan.js';
import { AwsClients, CallMetrics } from '../inventory/clients.js';
import { AccountSessions } from '../inventory/sessions.js';
import { createProgress } from './progress.js';
import { toolVersion } from './version.js';

/** The flags that decide where a scan's AWS calls go and with which credentials. */
export interface EngineTargetOptions {
  /** Scan this estate file through the built-in simulator instead of AWS. */
  readonly estate?: string;
  /** AWS shared-config profile for live scans. */
  readonly profile?: string;
  /** Region for discovery calls. */
  readonly region?: string;
}

export interface EngineSetup {
  readonly ctx: EngineContext;
  readonly runId: string;
  /** Stops the live progress line, if one is shown; call before printing anything else. */
  stopProgress(): void;
  /** Ends the account sessions and stops the simulator. */
  close(): Promise<void>;
}

const DEFAULT_HOME_REGION = 'us-east-1';

/**
 * Starts what a scan needs: the simulator for `--estate`, the caller's clients and the account
 * sessions. `interactive` shows the live progress line (on a terminal only).
 */
export async function openEngine(
  config: ResolvedConfig,
  options: EngineTargetOptions,
  settings: { readonly interactive: boolean; readonly now: () => Date },
): Promise<EngineSetup> {
  const simulator = options.estate === undefined ? undefined : await startEstateSimulator(options.estate);
  const homeRegion =
    options.region ?? (simulator ? DEFAULT_HOME_REGION : (process.env.AWS_REGION ?? DEFAULT_HOME_REGION));
  const metrics = new CallMetrics();
  const credentials = simulator ? simulator.credentials : liveCredentials(options);
  const caller = new AwsClients({
    credentials,
    homeRegion,
    metrics,
    ...(simulator !== undefined && { endpoint: simulator.endpoint }),
  });
  const progress = settings.interactive ? createProgress(process.stderr, metrics) : undefined;
  const { now } = settings;
  const runId = newRunId(now());
  const sessions = new AccountSessions(caller, config.assumeRole, runId);
  const ctx: EngineContext = {
    config,
    registry: ALL_CHECKS,
    historyRegistry: historyChecks,
    sessions,
    homeRegion,
    toolVersion: toolVersion(),
    now,
    ...(progress !== undefined && { onEvent: progress.onEvent }),
  };
  return {
    ctx,
    runId,
    stopProgress: () => progress?.stop(),
    async close() {
      sessions.destroy();
      await simulator?.close();
    },
  };
}

/** The caller's AWS credentials for live calls: a named profile, or the default chain. */
export function liveCredentials(options: Pick<EngineTargetOptions, 'profile'>) {
  const { fromIni, fromNodeProviderChain } = requireSdk('@aws-sdk/credential-providers');
  return options.profile !== undefined ? fromIni({ profile: options.profile }) : fromNodeProviderChain();
}

/** The SDK packages the CLI builds its own clients and credentials from. */
interface CliSdk {
  readonly '@aws-sdk/client-s3': typeof import('@aws-sdk/client-s3');
  readonly '@aws-sdk/credential-providers': typeof import('@aws-sdk/credential-providers');
}

const requireFromHere = createRequire(import.meta.url);

/**
 * An SDK package, loaded the first time it is asked for: a scan of an estate file needs no
 * credentials, a local report store no S3 client. Synchronous, for the factories that take
 * one; the SDK packages are CommonJS, so this is the module `import()` would give.
 */
export function requireSdk<P extends keyof CliSdk>(name: P): CliSdk[P] {
  return requireFromHere(name) as CliSdk[P];
}

async function startEstateSimulator(path: string) {
  // Loaded only for --estate: the simulator is never part of a live scan or a Lambda bundle.
  const { loadEstateFile } = await import('../sim/estate.js');
  const { startSimulator } = await import('../sim/server.js');
  const estate = loadEstateFile(path);
  return startSimulator(estate);
}
