/**
 * What the engine's three steps share: the resolved config, the selected checks, the
 * sessions into each account and the clock. The CLI and the Lambda handlers build it.
 */
import type { AnyHistoryCheck } from '../../checks/history/types.js';
import type { AccountSessions } from '../../inventory/sessions.js';
import type { ResolvedConfig } from '../config/load.js';
import type {
  AccountCoverage,
  AnyCheck,
  CollectorError,
  Finding,
  Inventory,
  InventoryResults,
  RunScope,
  Target,
  TargetCoverage,
} from '../types.js';

export interface EngineContext {
  readonly config: ResolvedConfig;
  /** Every registered check; the config selects among them. */
  readonly registry: readonly AnyCheck[];
  /** History-derived checks, run in finalize with the previous run's inventory. */
  readonly historyRegistry?: readonly AnyHistoryCheck[];
  readonly sessions: AccountSessions;
  /** Where discovery calls go (DescribeRegions, STS). */
  readonly homeRegion: string;
  readonly toolVersion: string;
  /** The clock, injected so the engine stays testable; `asOf` is fixed once per run. */
  readonly now: () => Date;
  /** How many targets run at once. */
  readonly concurrency?: number;
  readonly onEvent?: (event: EngineEvent) => void;
}

export type EngineEvent =
  | { readonly type: 'plan-ready'; readonly targets: number; readonly accounts: number }
  | { readonly type: 'target-start'; readonly target: Target }
  | { readonly type: 'target-done'; readonly target: Target; readonly status: TargetCoverage['status'] };

/** The plan is plain data: it crosses Lambda invocations in the cloud. */
export interface ScanPlan {
  readonly runId: string;
  readonly startedAt: string;
  readonly asOf: string;
  readonly callerAccountId: string;
  readonly scope: RunScope;
  /** Ids of the checks that run. */
  readonly checkIds: readonly string[];
  readonly checksNotRun: ReadonlyArray<{ readonly checkId: string; readonly reason: string }>;
  readonly accounts: readonly AccountCoverage[];
  /** Regions each scanned account has enabled, as DescribeRegions answered. */
  readonly targets: readonly Target[];
  /** Targets that are not scanned (regions not enabled), for coverage. */
  readonly skippedTargets: readonly TargetCoverage[];
  /** Results of organization-scope collectors, shared by every target. */
  readonly organizationResults: InventoryResults;
}

/** What one scanned target yields: its findings, coverage and the inventory they came from. */
export interface TargetShard {
  readonly target: Target;
  readonly coverage: TargetCoverage;
  readonly findings: readonly Finding[];
  readonly inventory: Inventory;
}

export interface AccountFailure {
  readonly accountId: string;
  readonly error: CollectorError;
}
