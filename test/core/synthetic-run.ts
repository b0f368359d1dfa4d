/**
 * Runs built without scanning: a plan and target shards with findings of the real checks, in
 * the shape scanTarget gives them, for finalize and publishing tests. Two scanned accounts (one
 * target in error), an account that could not be entered, a region not enabled, a history check
 * that compares security groups with the previous run's, shards listed out of report order and
 * findings unsorted within each shard.
 */
import type { AnyHistoryCheck } from '../../checks/history/types.js';
import { ALL_CHECKS } from '../../checks/registry.js';
import { resolveConfig } from '../../core/config/load.js';
import type { EngineContext, ScanPlan, TargetShard } from '../../core/engine/context.js';
import { errorFinding, toFinding } from '../../core/engine/findings.js';
import type { AnyCheck, CollectorError, Finding, Target } from '../../core/types.js';
import { mulberry32 } from '../../sim/faults.js';

export const SCANNED = ['222222222222', '111111111111'] as const;
export const UNREACHABLE = '333333333333';
const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const SG = 'ec2.securityGroups';

const DENIED: CollectorError = {
  kind: 'access-denied',
  code: 'UnauthorizedOperation',
  message: 'not authorized to perform ec2:DescribeSecurityGroups',
};

/** A history check: FAIL for each security group the previous run did not see, PASS otherwise. */
export const newGroupCheck: AnyHistoryCheck = {
  id: 'ec2.sg.new-since-last-run',
  title: 'Security groups are not created between runs',
  severity: 'low',
  resourceType: 'AwsEc2SecurityGroup',
  scope: 'regional',
  needs: [SG],
  frameworks: {},
  remediation: { text: 'Review the new group.' },
  evaluateHistory(current, previous) {
    const before = new Set(
      ((previous?.data as Record<string, Array<{ GroupId: string }>> | undefined)?.[SG] ?? []).map(
        (g) => g.GroupId,
      ),
    );
    const groups = (current.data as Record<string, Array<{ GroupId: string }>>)[SG] ?? [];
    return groups.map((g) => ({
      status: before.has(g.GroupId) ? 'PASS' : 'FAIL',
      resourceId: `arn:aws:ec2:${current.target.region}:${current.target.accountId}:security-group/${g.GroupId}`,
      message: `${g.GroupId} ${before.has(g.GroupId) ? 'was seen before' : 'is new'}.`,
      evidence: { groupId: g.GroupId },
    }));
  },
};

const CHECKS: readonly AnyCheck[] = [
  ...ALL_CHECKS.filter((c) => c.scope === 'global').slice(0, 4),
  ...ALL_CHECKS.filter((c) => c.scope === 'regional').slice(0, 6),
];

export interface SyntheticRunOptions {
  readonly runId: string;
  readonly asOf: string;
  readonly seed: number;
  /** Resources per check and target. */
  readonly resources?: number;
  readonly suppressions?: readonly unknown[];
  readonly tickets?: Record<string, unknown>;
}

export interface SyntheticRun {
  readonly ctx: EngineContext;
  readonly plan: ScanPlan;
  readonly shards: TargetShard[];
}

export function syntheticRun(options: SyntheticRunOptions): SyntheticRun {
  const random = mulberry32(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const resources = options.resources ?? 12;
  const config = resolveConfig(
    {
      output: { formats: ['json', 'csv', 'ocsf', 'asff', 'junit', 'html'] },
      ...(options.suppressions !== undefined && { suppressions: options.suppressions }),
      ...(options.tickets !== undefined && { tickets: options.tickets }),
    },
    'synthetic config',
    {},
    options.asOf,
  );
  const ctx: EngineContext = {
    config,
    registry: ALL_CHECKS,
    historyRegistry: [newGroupCheck],
    sessions: undefined as never,
    homeRegion: 'us-east-1',
    toolVersion: '0.0.0-test',
    now: () => new Date(Date.parse(options.asOf) + 90_000),
  };
  // Listed as discovery finds them, not in report order.
  const targets: Target[] = SCANNED.flatMap((accountId) => [
    ...REGIONS.map((region) => ({ accountId, region })),
    { accountId, region: 'global' },
  ]);
  const shards = targets.map((target): TargetShard => {
    // Each run loses the security groups of another target: what failed there is not assessed.
    const denied = target.accountId === SCANNED[options.seed % 2] && target.region === 'eu-west-1';
    const scope = target.region === 'global' ? 'global' : 'regional';
    const findings: Finding[] = [];
    for (const check of CHECKS.filter((c) => c.scope === scope)) {
      if (denied && (check.needs as readonly string[]).includes(SG)) {
        findings.push(errorFinding(check, target, SG, DENIED));
        continue;
      }
      for (let i = 0; i < resources; i++) {
        const roll = random();
        const status = roll < 0.45 ? 'FAIL' : roll < 0.5 ? 'ERROR' : 'PASS';
        const name = `${pick(['web', 'db', 'batch', 'ops'])}-${Math.floor(random() * 3 * resources)}`;
        findings.push(
          toFinding(check, target, {
            status,
            resourceId: `arn:aws:ec2:${target.region}:${target.accountId}:resource/${name}`,
            message: `${name} is ${status === 'FAIL' ? 'open' : 'fine'} (${Math.floor(random() * 1000)}).`,
            evidence: { name, port: pick([22, 443, 3389]), note: 'x'.repeat(Math.floor(random() * 300)) },
            ...(random() < 0.3 && { tags: { team: pick(['red', 'blue']) } }),
          }),
        );
      }
    }
    // Shuffled: finalize sorts.
    findings.sort(() => random() - 0.5);
    const groups = Array.from({ length: 4 }, () => ({ GroupId: `sg-${Math.floor(random() * 12)}` }));
    const sg =
      scope === 'global'
        ? undefined
        : denied
          ? { ok: false as const, error: DENIED }
          : { ok: true as const, data: [...new Map(groups.map((g) => [g.GroupId, g])).values()] };
    return {
      target,
      coverage: denied
        ? {
            accountId: target.accountId,
            region: target.region,
            status: 'error',
            reason: `1 collector(s) failed: ${SG}`,
            error: DENIED,
            collectors: { [SG]: { ok: false, error: DENIED } },
          }
        : {
            accountId: target.accountId,
            region: target.region,
            status: 'scanned',
            collectors: sg === undefined ? {} : { [SG]: { ok: true } },
          },
      findings,
      inventory: {
        target,
        collectedAt: options.asOf,
        results: sg === undefined ? {} : { [SG]: sg },
      },
    };
  });
  const checkIds = [...CHECKS.map((c) => c.id), newGroupCheck.id];
  const plan: ScanPlan = {
    runId: options.runId,
    startedAt: options.asOf,
    asOf: options.asOf,
    callerAccountId: SCANNED[1],
    scope: { accounts: [...SCANNED, UNREACHABLE], regions: 'all', checks: checkIds },
    checkIds,
    checksNotRun: [],
    accounts: [
      { accountId: SCANNED[1], status: 'scanned' },
      { accountId: SCANNED[0], status: 'scanned' },
      {
        accountId: UNREACHABLE,
        status: 'error',
        reason: 'could not be entered',
        error: { kind: 'access-denied', code: 'AccessDenied', message: 'not authorized to assume the role' },
      },
    ],
    targets,
    skippedTargets: [
      {
        accountId: SCANNED[0],
        region: 'ap-east-1',
        status: 'not-scanned',
        reason: 'not enabled',
        collectors: {},
      },
    ],
    organizationResults: {},
  };
  return { ctx, plan, shards };
}
