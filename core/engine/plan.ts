/**
 * Step one of a run: which accounts and regions to scan, which checks run, and the
 * organization-wide facts every target shares. Failures to enter an account are recorded
 * (they become ERROR findings), never skipped silently.
 */
import pLimit from 'p-limit';
import type { AnyHistoryCheck } from '../../checks/history/types.js';
import {
  accountRegions,
  callerAccountId,
  organizationAccounts,
  type RegionStatus,
} from '../../inventory/discovery.js';
import { classifyAwsError, describeKind } from '../../inventory/errors.js';
import { collectorFor } from '../../inventory/registry.js';
import { ScanSetupError } from '../errors.js';
import type {
  AccountCoverage,
  AnyCheck,
  CollectorId,
  InventoryResults,
  Target,
  TargetCoverage,
} from '../types.js';
import { GLOBAL_REGION } from '../types.js';
import { collectAll } from './collect.js';
import type { EngineContext, ScanPlan } from './context.js';
import { selectChecks } from './select.js';

const DISCOVERY_CONCURRENCY = 8;

export { newRunId } from './run-id.js';

export async function plan(ctx: EngineContext, runId: string): Promise<ScanPlan> {
  const started = ctx.now();
  const { config } = ctx;
  const selection = selectChecks<AnyCheck | AnyHistoryCheck>(
    [...ctx.registry, ...(ctx.historyRegistry ?? [])],
    config.checks,
    config.settings,
  );
  const needsRegions = selection.checks.some((c) => c.scope === 'regional');
  const needsGlobal = selection.checks.some((c) => c.scope === 'global');

  const caller = await identifyCaller(ctx);
  const candidates = await candidateAccounts(ctx, caller);

  const accounts: AccountCoverage[] = [];
  const targets: Target[] = [];
  const skippedTargets: TargetCoverage[] = [];
  const limit = pLimit(ctx.concurrency ?? DISCOVERY_CONCURRENCY);
  const discovered = await Promise.all(
    candidates.map((account) => limit(() => discoverAccount(ctx, account, caller, needsRegions))),
  );
  for (const d of discovered) {
    accounts.push(d.coverage);
    if (d.coverage.status !== 'scanned') continue;
    if (needsGlobal) targets.push({ accountId: d.coverage.accountId, region: GLOBAL_REGION });
    for (const region of d.regions) targets.push({ accountId: d.coverage.accountId, region });
    skippedTargets.push(...d.skipped);
  }

  const organizationResults = await collectOrganizationScope(ctx, selection.checks, caller);
  ctx.onEvent?.({ type: 'plan-ready', targets: targets.length, accounts: accounts.length });
  return {
    runId,
    startedAt: started.toISOString(),
    asOf: started.toISOString(),
    callerAccountId: caller,
    scope: {
      accounts: accounts.map((a) => a.accountId),
      regions: config.regions,
      checks: selection.checks.map((c) => c.id),
    },
    checkIds: selection.checks.map((c) => c.id),
    checksNotRun: selection.notRun,
    accounts,
    targets,
    skippedTargets,
    organizationResults,
  };
}

async function identifyCaller(ctx: EngineContext): Promise<string> {
  try {
    return await callerAccountId(ctx.sessions.caller);
  } catch (error) {
    const e = classifyAwsError(error, 'sts:GetCallerIdentity');
    throw new ScanSetupError(`cannot identify the caller (${e.code}: ${e.message}). ${callerFix(e.code)}`, {
      cause: error,
    });
  }
}

/** What to do about a caller the STS endpoint does not accept. */
function callerFix(code: string): string {
  if (/Expired/i.test(code)) {
    return 'The session has expired: sign in again (for example `aws sso login --profile <name>`) and rerun.';
  }
  if (code === 'CredentialsProviderError') {
    return 'No AWS credentials were found: pass --profile, set AWS_PROFILE or the AWS_ACCESS_KEY_ID pair, or run where an instance or task role is available.';
  }
  return 'Check the AWS credentials: a profile (--profile), environment variables, or an instance or task role.';
}

interface CandidateAccount {
  readonly accountId: string;
  readonly name?: string;
  readonly state?: string;
}

async function candidateAccounts(ctx: EngineContext, caller: string): Promise<CandidateAccount[]> {
  const { accounts } = ctx.config;
  const excluded = new Set(accounts.exclude);
  if (accounts.source === 'self') return excluded.has(caller) ? [] : [{ accountId: caller }];
  if (accounts.source === 'list') {
    return [...new Set(accounts.ids)].filter((id) => !excluded.has(id)).map((accountId) => ({ accountId }));
  }
  try {
    const listed = await organizationAccounts(ctx.sessions.caller);
    return listed
      .filter((a) => !excluded.has(a.Id))
      .map((a) => ({
        accountId: a.Id,
        ...(a.Name !== undefined && { name: a.Name }),
        ...(a.State !== undefined && { state: a.State }),
      }))
      .sort((a, b) => a.accountId.localeCompare(b.accountId));
  } catch (error) {
    const e = classifyAwsError(error, 'organizations:ListAccounts');
    throw new ScanSetupError(
      `cannot list the organization's accounts (${e.code}: ${e.message}). ListAccounts answers only in the ` +
        'management account or a delegated administrator; run from there, or set accounts.source to "list".',
      { cause: error },
    );
  }
}

interface DiscoveredAccount {
  readonly coverage: AccountCoverage;
  readonly regions: readonly string[];
  readonly skipped: readonly TargetCoverage[];
}

async function discoverAccount(
  ctx: EngineContext,
  account: CandidateAccount,
  caller: string,
  needsRegions: boolean,
): Promise<DiscoveredAccount> {
  const base = {
    accountId: account.accountId,
    ...(account.name !== undefined && { name: account.name }),
    ...(account.state !== undefined && { state: account.state }),
  };
  if (account.state !== undefined && account.state !== 'ACTIVE') {
    return {
      coverage: {
        ...base,
        status: 'not-scanned',
        reason: `account state is ${account.state}; only ACTIVE accounts are scanned`,
      },
      regions: [],
      skipped: [],
    };
  }
  if (ctx.config.assumeRole === undefined && account.accountId !== caller) {
    // Without a role the caller's own credentials would answer: never report them as another account's.
    const error = {
      kind: 'access-denied' as const,
      code: 'NoAuditRole',
      message: `no assumeRole is configured, so custos cannot enter account ${account.accountId}`,
    };
    return { coverage: { ...base, status: 'error', reason: error.message, error }, regions: [], skipped: [] };
  }
  try {
    await ctx.sessions.open(account.accountId);
  } catch (error) {
    const e = classifyAwsError(error, 'sts:AssumeRole');
    const role = ctx.config.assumeRole?.roleName;
    return {
      coverage: {
        ...base,
        status: 'error',
        reason: `cannot assume ${role ?? 'the audit role'}: ${describeKind(e.kind)} (${e.code})`,
        error: e,
      },
      regions: [],
      skipped: [],
    };
  }
  if (!needsRegions) return { coverage: { ...base, status: 'scanned' }, regions: [], skipped: [] };

  let statuses: RegionStatus[];
  try {
    statuses = await accountRegions(ctx.sessions.clientsFor(account.accountId), ctx.homeRegion);
  } catch (error) {
    const e = classifyAwsError(error, 'ec2:DescribeRegions');
    return {
      coverage: {
        ...base,
        status: 'error',
        reason: `cannot list regions: ${describeKind(e.kind)} (${e.code})`,
        error: e,
      },
      regions: [],
      skipped: [],
    };
  }
  const { regions: wanted } = ctx.config;
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const names = wanted === 'all' ? statuses.map((s) => s.name) : [...wanted];
  const regions: string[] = [];
  const skipped: TargetCoverage[] = [];
  for (const name of names) {
    const status = byName.get(name);
    if (status?.enabled === true) regions.push(name);
    else {
      const reason =
        status === undefined
          ? 'not a region this account can use'
          : `region not enabled (${status.optInStatus})`;
      skipped.push({
        accountId: account.accountId,
        region: name,
        status: 'not-scanned',
        reason,
        collectors: {},
      });
    }
  }
  return { coverage: { ...base, status: 'scanned' }, regions, skipped };
}

async function collectOrganizationScope(
  ctx: EngineContext,
  checks: ReadonlyArray<AnyCheck | AnyHistoryCheck>,
  caller: string,
): Promise<InventoryResults> {
  const ids = new Set<CollectorId>();
  for (const check of checks) {
    for (const id of check.needs as readonly CollectorId[])
      if (collectorFor(id).scope === 'organization') ids.add(id);
  }
  if (ids.size === 0) return {};
  return collectAll(
    ctx.sessions.caller,
    { accountId: caller, region: GLOBAL_REGION },
    [...ids],
    {},
    ctx.config.settings,
  );
}
