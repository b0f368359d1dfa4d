/**
 * A synthetic run of about a million findings, left in a report store as the cloud's scanTarget
 * functions leave a run for finalize: the plan, one shard per target (findings of the real checks,
 * with their messages, evidence and tags, and the inventory the history check needs), and the
 * previous run's history (a ledger of the fingerprints that failed before, the history inputs,
 * the trend) as the night before left it.
 *
 * Seeded: the same spec always writes the same run. Shards are written one at a time, so this
 * process never holds the run either.
 */

import { historyChecks } from '../checks/history/index.js';
import { ALL_CHECKS } from '../checks/registry.js';
import type { SecurityGroup } from '../core/aws-shapes.js';
import type { ScanPlan, TargetShard } from '../core/engine/context.js';
import { toFinding } from '../core/engine/findings.js';
import type { HistoryInputs, Ledger, LedgerEntry } from '../core/history.js';
import type {
  AccountCoverage,
  AnyCheck,
  CheckResult,
  CollectorId,
  CredentialReport,
  Finding,
  InventoryResults,
  Target,
  TargetCoverage,
} from '../core/types.js';
import { runKeys } from '../functions/events.js';
import type { RunSummaryPoint } from '../reports/artifacts.js';
import { LocalReportStore } from '../reports/local-store.js';
import { TREND_FILE } from '../reports/publish.js';
import { sha256Hex } from '../reports/store.js';
import { mulberry32 } from '../sim/faults.js';

export interface BigRunSpec {
  /** The report store's folder. */
  readonly dir: string;
  readonly accounts: number;
  readonly regions: number;
  /** Findings in the shards (the history check adds its own). */
  readonly findings: number;
  readonly seed: number;
}

export interface BigRun {
  readonly runId: string;
  readonly asOf: string;
  readonly targets: number;
  readonly shardFindings: number;
  readonly largestShard: { readonly target: string; readonly findings: number; readonly bytes: number };
  readonly shardBytes: number;
  readonly previousLedgerEntries: number;
}

export const BIG_RUN_ID = '20261125T020000Z-b16b16';
export const BIG_AS_OF = '2026-11-25T02:00:00.000Z';
const PREVIOUS_RUN_ID = '20261124T020000Z-b16b15';
const PREVIOUS_AS_OF = '2026-11-24T02:00:00.000Z';
const REGION_POOL = [
  'us-east-1',
  'eu-west-1',
  'us-west-2',
  'ap-southeast-2',
  'eu-central-1',
  'ap-northeast-1',
];
const USERS_PER_ACCOUNT = 40;
/** Findings of the largest targets: about what a region of 45,000 EC2 resources gives. */
const LARGE_TARGET_FINDINGS = 50_000;
const DAY = 86_400_000;

type Random = () => number;

export function accountIdOf(index: number): string {
  return String(200_000_000_000 + index);
}

export function writeBigRun(spec: BigRunSpec): Promise<BigRun> {
  return new BigRunWriter(spec).write();
}

class BigRunWriter {
  private readonly random: Random;
  private readonly store: LocalReportStore;
  private readonly accounts: string[];
  private readonly regions: string[];
  private readonly ledger = new Map<string, LedgerEntry>();
  private readonly previousInputs: Record<string, Record<string, unknown>> = {};

  constructor(private readonly spec: BigRunSpec) {
    this.random = mulberry32(spec.seed);
    this.store = new LocalReportStore(spec.dir);
    this.accounts = Array.from({ length: spec.accounts }, (_, i) => accountIdOf(i));
    this.regions = REGION_POOL.slice(0, spec.regions);
  }

  async write(): Promise<BigRun> {
    const targets: Target[] = this.accounts.flatMap((accountId) => [
      { accountId, region: 'global' },
      ...this.regions.map((region) => ({ accountId, region })),
    ]);
    const counts = this.shardSizes(targets);
    let shardBytes = 0;
    let shardFindings = 0;
    let largest = { target: '', findings: 0, bytes: 0 };
    const coverages: TargetCoverage[] = [];
    for (const [index, target] of targets.entries()) {
      const shard = this.shard(target, counts[index]!);
      const body = JSON.stringify(shard);
      await this.store.putOnce(runKeys.shard(BIG_RUN_ID, target), body);
      shardBytes += body.length;
      shardFindings += shard.findings.length;
      if (shard.findings.length > largest.findings) {
        largest = {
          target: `${target.accountId}/${target.region}`,
          findings: shard.findings.length,
          bytes: body.length,
        };
      }
      coverages.push(shard.coverage);
    }
    await this.writePlan(targets);
    await this.writePrevious();
    return {
      runId: BIG_RUN_ID,
      asOf: BIG_AS_OF,
      targets: targets.length,
      shardFindings,
      largestShard: largest,
      shardBytes,
      previousLedgerEntries: this.ledger.size,
    };
  }

  /**
   * Targets of unequal size adding up to the findings asked for: most around the average, and
   * one account whose first three regions are as large as a region of 45,000 EC2 resources
   * scans to (next to each other, the worst case for what finalize reads ahead).
   */
  private shardSizes(targets: readonly Target[]): number[] {
    const large = new Set(
      targets
        .map((t, i) => ({ t, i }))
        .filter(
          ({ t }) =>
            t.accountId === accountIdOf(Math.min(7, this.spec.accounts - 1)) && t.region !== 'global',
        )
        .slice(0, 3)
        .map(({ i }) => i),
    );
    const largeSize = Math.min(LARGE_TARGET_FINDINGS, Math.floor(this.spec.findings / 10));
    const rest = this.spec.findings - largeSize * large.size;
    const weights = targets.map((_, i) => (large.has(i) ? 0 : 0.3 + 2.8 * this.random() ** 2));
    const total = weights.reduce((a, b) => a + b, 0);
    const sizes = weights.map((w, i) => (large.has(i) ? largeSize : Math.floor((rest * w) / total)));
    const last = sizes.length - 1;
    sizes[last] = sizes[last]! + this.spec.findings - sizes.reduce((a, b) => a + b, 0);
    return sizes;
  }

  private shard(target: Target, size: number): TargetShard {
    const scope = target.region === 'global' ? 'global' : 'regional';
    const checks = ALL_CHECKS.filter((c) => c.scope === scope);
    const needs = new Set<CollectorId>(checks.flatMap((c) => c.needs as CollectorId[]));
    needs.delete('iam.organizationsFeatures');
    const findings: Finding[] = [];
    const perCheck = Math.ceil(size / checks.length);
    for (const check of checks) {
      for (let i = 0; i < perCheck && findings.length < size; i++) {
        findings.push(this.finding(check, target, i));
      }
    }
    const results: InventoryResults = {};
    const collectors: TargetCoverage['collectors'] = {};
    for (const id of [...needs].sort()) {
      (collectors as Record<string, { ok: true }>)[id] = { ok: true };
    }
    if (scope === 'global') {
      const report = this.credentialReport(target.accountId, BIG_AS_OF);
      results['iam.credentialReport'] = { ok: true, data: report };
      this.previousInputs[target.accountId] = {
        global: {
          'iam.credentialReport': {
            runId: PREVIOUS_RUN_ID,
            asOf: PREVIOUS_AS_OF,
            collectedAt: PREVIOUS_AS_OF,
            data: this.credentialReport(target.accountId, PREVIOUS_AS_OF),
          },
        },
      };
    } else {
      results['ec2.securityGroups'] = {
        ok: true,
        data: Array.from({ length: Math.ceil(size / 12) }, (_, i) => this.securityGroup(target, i)),
      };
    }
    return {
      target,
      coverage: { accountId: target.accountId, region: target.region, status: 'scanned', collectors },
      findings,
      inventory: { target, collectedAt: BIG_AS_OF, results },
    };
  }

  private finding(check: AnyCheck, target: Target, i: number): Finding {
    const roll = this.random();
    const status = roll < 0.3 ? 'FAIL' : roll < 0.32 ? 'ERROR' : 'PASS';
    const verdict = this.verdict(check, target, i, status);
    const finding = toFinding(check, target, verdict);
    this.remember(finding);
    return finding;
  }

  /** The previous night's ledger: most failures persist, a few passed then, a few are gone now. */
  private remember(finding: Finding): void {
    const r = this.random();
    const failedBefore = finding.status === 'FAIL' ? r < 0.85 : finding.status === 'PASS' && r < 0.03;
    if (failedBefore || (finding.status === 'FAIL' && r < 0.9)) {
      const firstSeen = new Date(
        Date.parse(PREVIOUS_AS_OF) - Math.floor(this.random() * 200) * DAY,
      ).toISOString();
      this.ledger.set(finding.fingerprint, {
        checkId: finding.checkId,
        severity: finding.severity,
        accountId: finding.accountId,
        region: finding.region,
        resourceId: finding.resourceId,
        title: finding.title,
        lastStatus: failedBefore ? 'FAIL' : 'PASS',
        state: 'persisting',
        firstSeen,
        lastFailedAt: failedBefore ? PREVIOUS_AS_OF : firstSeen,
        lastAssessedRunId: PREVIOUS_RUN_ID,
        lastAssessedAt: PREVIOUS_AS_OF,
      });
    }
    // A resource that failed last night and is gone now.
    if (finding.status === 'FAIL' && r > 0.98) {
      const resourceId = `${finding.resourceId}-deleted`;
      this.ledger.set(sha256Hex(`${finding.fingerprint}/gone`), {
        checkId: finding.checkId,
        severity: finding.severity,
        accountId: finding.accountId,
        region: finding.region,
        resourceId,
        title: finding.title,
        lastStatus: 'FAIL',
        state: 'new',
        firstSeen: PREVIOUS_AS_OF,
        lastFailedAt: PREVIOUS_AS_OF,
        lastAssessedRunId: PREVIOUS_RUN_ID,
        lastAssessedAt: PREVIOUS_AS_OF,
      });
    }
  }

  private verdict(
    check: AnyCheck,
    target: Target,
    i: number,
    status: 'PASS' | 'FAIL' | 'ERROR',
  ): CheckResult {
    const { accountId, region } = target;
    const name = this.name(i);
    const id = this.hex(17);
    if (status === 'ERROR') {
      return {
        status,
        resourceId: this.resourceArn(check, target, name, id),
        message: `Not assessed: a call for ${name} failed (access denied: AccessDenied).`,
        evidence: {
          source: check.needs[0],
          kind: 'access-denied',
          code: 'AccessDenied',
          reason: `User is not authorized on ${name}`,
        },
      };
    }
    const resourceId = this.resourceArn(check, target, name, id);
    if (check.id.startsWith('ec2.sg') || check.id.startsWith('ec2.eni') || check.id.startsWith('ec2.nacl')) {
      const port = [22, 3389, 5432, 6379, 9200, 27017][Math.floor(this.random() * 6)]!;
      return {
        status,
        resourceId,
        message:
          status === 'FAIL'
            ? `sg-${id} (${name}) admits 0.0.0.0/0 and ::/0 on TCP ${port} through rule sgr-${this.hex(17)}.`
            : `sg-${id} (${name}) admits no public traffic on administration ports.`,
        evidence: {
          groupId: `sg-${id}`,
          groupName: name,
          vpcId: `vpc-${this.hex(17)}`,
          rules:
            status === 'FAIL'
              ? [
                  {
                    IpProtocol: 'tcp',
                    FromPort: port,
                    ToPort: port,
                    CidrIp: '0.0.0.0/0',
                    RuleId: `sgr-${this.hex(17)}`,
                  },
                  {
                    IpProtocol: 'tcp',
                    FromPort: port,
                    ToPort: port,
                    CidrIpv6: '::/0',
                    RuleId: `sgr-${this.hex(17)}`,
                  },
                ]
              : [],
        },
        tags: { Name: name, owner: `team-${this.hex(3)}`, 'cost-center': this.hex(6) },
      };
    }
    if (check.id.startsWith('ec2.ebs')) {
      return {
        status,
        resourceId,
        message:
          status === 'FAIL'
            ? `${name} in ${region} is not encrypted.`
            : `${name} in ${region} is encrypted with KMS.`,
        evidence: {
          encrypted: status !== 'FAIL',
          kmsKeyId: status === 'FAIL' ? null : `arn:aws:kms:${region}:${accountId}:key/${this.hex(8)}`,
          sizeGiB: 8 + Math.floor(this.random() * 500),
        },
        tags: { Name: name },
      };
    }
    if (check.id.startsWith('s3')) {
      return {
        status,
        resourceId,
        message:
          status === 'FAIL'
            ? `Bucket ${name}-${accountId} can be read by anyone: its policy grants s3:GetObject to "*".`
            : `Bucket ${name}-${accountId} is not public.`,
        evidence: {
          policyPublic: status === 'FAIL',
          blockPublicAccess: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: status !== 'FAIL',
            RestrictPublicBuckets: status !== 'FAIL',
          },
          statements:
            status === 'FAIL'
              ? [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }]
              : [],
        },
      };
    }
    return {
      status,
      resourceId,
      message:
        status === 'FAIL'
          ? `User ${name} has an access key last rotated ${90 + Math.floor(this.random() * 400)} days ago.`
          : `User ${name} rotates its access keys.`,
      evidence: {
        user: name,
        accessKey1Active: true,
        accessKey1LastRotated: '2026-01-04T10:00:00Z',
        passwordEnabled: this.random() < 0.4,
      },
    };
  }

  private resourceArn(check: AnyCheck, target: Target, name: string, id: string): string {
    const { accountId, region } = target;
    if (check.id.startsWith('s3')) return `arn:aws:s3:::${name}-${accountId}-${id.slice(0, 6)}`;
    if (check.id.startsWith('iam')) return `arn:aws:iam::${accountId}:user/${name}-${id.slice(0, 6)}`;
    const kind = check.id.startsWith('ec2.ebs.snapshot')
      ? 'snapshot/snap'
      : check.id.startsWith('ec2.ebs')
        ? 'volume/vol'
        : check.id.startsWith('ec2.eni')
          ? 'network-interface/eni'
          : check.id.startsWith('ec2.nacl')
            ? 'network-acl/acl'
            : 'security-group/sg';
    return `arn:aws:ec2:${region}:${accountId}:${kind}-${id}`;
  }

  private securityGroup(target: Target, i: number): SecurityGroup {
    return {
      GroupId: `sg-${this.hex(17)}`,
      GroupName: this.name(i),
      Description: 'managed by terraform',
      OwnerId: target.accountId,
      VpcId: `vpc-${this.hex(17)}`,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          IpRanges: [{ CidrIp: '10.0.0.0/8' }],
          Ipv6Ranges: [],
          PrefixListIds: [],
          UserIdGroupPairs: [],
        },
        {
          IpProtocol: 'tcp',
          FromPort: 22,
          ToPort: 22,
          IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'office' }],
          Ipv6Ranges: [],
          PrefixListIds: [],
          UserIdGroupPairs: [],
        },
      ],
      IpPermissionsEgress: [
        {
          IpProtocol: '-1',
          IpRanges: [{ CidrIp: '0.0.0.0/0' }],
          Ipv6Ranges: [],
          PrefixListIds: [],
          UserIdGroupPairs: [],
        },
      ],
      Tags: [{ Key: 'Name', Value: this.name(i) }],
    };
  }

  /** The account's credential report at `asOf`: a few keys woke up since the night before. */
  private credentialReport(accountId: string, asOf: string): CredentialReport {
    const random = mulberry32(Number(accountId.slice(-6)) + 7);
    const now = Date.parse(asOf);
    const rows = Array.from({ length: USERS_PER_ACCOUNT }, (_, u) => {
      const dormant = random() < 0.2;
      const woke = dormant && random() < 0.3 && asOf === BIG_AS_OF;
      const lastUsed = new Date(now - (dormant && !woke ? 200 : 2) * DAY)
        .toISOString()
        .replace(/\.\d{3}Z$/, '+00:00');
      return {
        user: `svc-user-${u}`,
        arn: `arn:aws:iam::${accountId}:user/svc-user-${u}`,
        user_creation_time: '2022-01-01T00:00:00+00:00',
        password_enabled: 'false',
        password_last_used: 'N/A',
        password_last_changed: 'N/A',
        password_next_rotation: 'N/A',
        mfa_active: 'false',
        access_key_1_active: 'true',
        access_key_1_last_rotated: '2025-01-01T00:00:00+00:00',
        access_key_1_last_used_date: lastUsed,
        access_key_1_last_used_region: 'us-east-1',
        access_key_1_last_used_service: 's3',
        access_key_2_active: 'false',
        access_key_2_last_rotated: 'N/A',
        cert_1_active: 'false',
        cert_2_active: 'false',
      };
    });
    return { GeneratedTime: asOf, rows };
  }

  private async writePlan(targets: readonly Target[]): Promise<void> {
    const checkIds = [...ALL_CHECKS, ...historyChecks].map((c) => c.id);
    const error = {
      kind: 'access-denied' as const,
      code: 'AccessDenied',
      message: 'not authorized to perform sts:AssumeRole',
    };
    const unreachable = [accountIdOf(this.spec.accounts), accountIdOf(this.spec.accounts + 1)];
    const accounts: AccountCoverage[] = [
      ...this.accounts.map((accountId) => ({ accountId, status: 'scanned' as const })),
      ...unreachable.map((accountId) => ({
        accountId,
        status: 'error' as const,
        reason: 'could not be entered',
        error,
      })),
    ];
    const plan: ScanPlan = {
      runId: BIG_RUN_ID,
      startedAt: BIG_AS_OF,
      asOf: BIG_AS_OF,
      callerAccountId: accountIdOf(0),
      scope: { accounts: [...this.accounts, ...unreachable], regions: 'all', checks: checkIds },
      checkIds,
      checksNotRun: [],
      accounts,
      targets,
      skippedTargets: this.accounts.flatMap((accountId) =>
        ['ap-east-1', 'me-south-1'].map((region) => ({
          accountId,
          region,
          status: 'not-scanned' as const,
          reason: 'region not enabled (opt-in-not-required: not-opted-in)',
          collectors: {},
        })),
      ),
      organizationResults: {},
    };
    await this.store.putOnce(runKeys.plan(BIG_RUN_ID), JSON.stringify(plan));
  }

  /** The night before, as its finalize left it: history, inputs, trend, manifest, latest.json. */
  private async writePrevious(): Promise<void> {
    const folder = `runs/${PREVIOUS_RUN_ID}`;
    const entries = [...this.ledger.keys()].sort().map((fp) => [fp, this.ledger.get(fp)!] as const);
    const ledger: Ledger = {
      schemaVersion: 1,
      runId: PREVIOUS_RUN_ID,
      asOf: PREVIOUS_AS_OF,
      entries: Object.fromEntries(entries),
    };
    const inputs = {
      schemaVersion: 1,
      runId: PREVIOUS_RUN_ID,
      targets: this.previousInputs,
    } as unknown as HistoryInputs;
    const trend: RunSummaryPoint[] = Array.from({ length: 29 }, (_, i) => ({
      runId: `202610${String(i + 1).padStart(2, '0')}T020000Z-b16b00`,
      finishedAt: `2026-10-${String(i + 1).padStart(2, '0')}T02:40:00.000Z`,
      failBySeverity: { critical: 40_000 + i * 100, high: 120_000, medium: 110_000, low: 0, info: 0 },
      error: 20_000,
    }));
    const files: Array<[string, string]> = [
      ['history.json', `${JSON.stringify(ledger)}\n`],
      ['history-inputs.json', `${JSON.stringify(inputs)}\n`],
      [TREND_FILE, `${JSON.stringify(trend, null, 2)}\n`],
    ];
    for (const [path, body] of files) await this.store.putOnce(`${folder}/${path}`, body);
    const manifest = {
      runId: PREVIOUS_RUN_ID,
      previousManifestSha256: null,
      artifacts: files.map(([path, body]) => ({
        path,
        sha256: sha256Hex(body),
        size: Buffer.byteLength(body),
      })),
    };
    await this.store.putOnce(`${folder}/manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
    await this.store.put(
      'latest.json',
      `${JSON.stringify({ runId: PREVIOUS_RUN_ID, reportKey: `${folder}/report.json` }, null, 2)}\n`,
    );
  }

  private name(i: number): string {
    const words = [
      'prod',
      'web',
      'api',
      'db',
      'cache',
      'batch',
      'etl',
      'bastion',
      'legacy',
      'ml',
      'payments',
      'search',
    ];
    return `${words[Math.floor(this.random() * words.length)]}-${words[Math.floor(this.random() * words.length)]}-${i}`;
  }

  private hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += '0123456789abcdef'[Math.floor(this.random() * 16)];
    return out;
  }
}
