/**
 * Reports for the ticket tests: plain data, built the way the engine builds them.
 */
import { fingerprint } from '../../core/fingerprint.js';
import type {
  CollectorId,
  Finding,
  FindingStatus,
  Report,
  Severity,
  TargetCoverage,
} from '../../core/types.js';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const REGION = 'eu-west-1';

export const SG_CHECK = {
  id: 'ec2.sg.admin-ports-public',
  title: 'Security groups do not admit the internet on remote administration ports',
  severity: 'high' as Severity,
  needs: ['ec2.securityGroups', 'ec2.prefixLists'] as CollectorId[],
};

export const S3_CHECK = {
  id: 's3.bucket.public',
  title: 'S3 buckets are not publicly accessible through their policy or ACL',
  severity: 'critical' as Severity,
  needs: ['s3.bucketList', 's3.bucketPolicies'] as CollectorId[],
};

/** A secret an attacker would love: it must never reach a ticket. */
export const PLANTED_IP = '198.51.100.77';

export interface FindingSpec {
  readonly checkId?: string;
  readonly title?: string;
  readonly severity?: Severity;
  readonly status?: FindingStatus;
  readonly accountId?: string;
  readonly region?: string;
  readonly resourceId: string;
  readonly suppressed?: boolean;
}

export function finding(spec: FindingSpec): Finding {
  const checkId = spec.checkId ?? SG_CHECK.id;
  const accountId = spec.accountId ?? ACCOUNT;
  const region = spec.region ?? REGION;
  const status = spec.status ?? 'FAIL';
  return {
    checkId,
    status,
    severity: spec.severity ?? SG_CHECK.severity,
    accountId,
    region,
    resourceType: status === 'ERROR' && spec.resourceId.endsWith(':*') ? 'AwsScope' : 'AwsEc2SecurityGroup',
    resourceId: spec.resourceId,
    title: spec.title ?? SG_CHECK.title,
    message: `Security group ${spec.resourceId} admits ${PLANTED_IP}/32 and 0.0.0.0/0 on port 22.`,
    evidence:
      status === 'ERROR'
        ? {
            source: 'ec2.securityGroups',
            kind: 'access-denied',
            code: 'UnauthorizedOperation',
            reason: `denied from ${PLANTED_IP}`,
          }
        : {
            rules: [
              { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: `${PLANTED_IP}/32` }] },
            ],
            policy: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }],
            },
          },
    remediation: {
      text: 'Remove the inbound rules that admit 0.0.0.0/0 or ::/0 on administration ports.',
      console: 'EC2 console > Security Groups > Inbound rules',
      cli: 'aws ec2 revoke-security-group-ingress --group-id <group-id> --protocol tcp --port 22 --cidr 0.0.0.0/0',
    },
    frameworks: { 'cis-aws-5.0': ['5.3'], fsbp: ['EC2.13'] },
    fingerprint: fingerprint({ checkId, accountId, region, resourceId: spec.resourceId }),
    ...(spec.suppressed === true && { suppressed: { reason: 'accepted', expires: '2099-01-01' } }),
  };
}

export function sgArn(id: string, accountId = ACCOUNT, region = REGION): string {
  return `arn:aws:ec2:${region}:${accountId}:security-group/${id}`;
}

export function sgFail(id: string, more: Partial<FindingSpec> = {}): Finding {
  return finding({ resourceId: sgArn(id, more.accountId, more.region), ...more });
}

export function sgPass(id: string, more: Partial<FindingSpec> = {}): Finding {
  return finding({ resourceId: sgArn(id, more.accountId, more.region), status: 'PASS', ...more });
}

/** The ERROR the engine writes for a whole scope it could not assess. */
export function scopeError(checkId = SG_CHECK.id, accountId = ACCOUNT, region = REGION): Finding {
  return finding({
    checkId,
    accountId,
    region,
    status: 'ERROR',
    resourceId: `arn:aws:ec2:${region}:${accountId}:*`,
  });
}

export function target(
  accountId = ACCOUNT,
  region = REGION,
  status: TargetCoverage['status'] = 'scanned',
  collectors: TargetCoverage['collectors'] = {
    'ec2.securityGroups': { ok: true },
    'ec2.prefixLists': { ok: true },
  },
): TargetCoverage {
  return { accountId, region, status, collectors };
}

export interface ReportSpec {
  readonly runId: string;
  readonly findings: readonly Finding[];
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
  readonly checks?: readonly string[];
  readonly targets?: readonly TargetCoverage[];
}

export function report(spec: ReportSpec): Report {
  const accounts = spec.accounts ?? [ACCOUNT];
  const regions = spec.regions ?? [REGION];
  const targets = spec.targets ?? accounts.flatMap((a) => [...regions, 'global'].map((r) => target(a, r)));
  const count = (status: FindingStatus) => spec.findings.filter((f) => f.status === status).length;
  return {
    schemaVersion: 1,
    runId: spec.runId,
    startedAt: '2026-03-01T02:00:00.000Z',
    finishedAt: '2026-03-01T02:05:00.000Z',
    asOf: '2026-03-01T02:00:00.000Z',
    toolVersion: '0.1.0',
    configDigest: 'digest',
    scope: { accounts, regions: 'all', checks: spec.checks ?? [SG_CHECK.id, S3_CHECK.id] },
    summary: {
      findings: { PASS: count('PASS'), FAIL: count('FAIL'), ERROR: count('ERROR') },
      failBySeverity: { critical: 0, high: count('FAIL'), medium: 0, low: 0, info: 0 },
      suppressed: 0,
      targets: { total: targets.length, scanned: targets.length, errored: 0 },
      accounts: { total: accounts.length, scanned: accounts.length, notScanned: 0, errored: 0 },
      topFailingChecks: [],
      incomplete: count('ERROR') > 0,
    },
    coverage: {
      accounts: accounts.map((accountId) => ({ accountId, status: 'scanned' as const })),
      targets,
      checksNotRun: [],
    },
    findings: spec.findings,
  };
}

/** A clock and a sleep that only advance each other: no test waits. */
export class FakeClock {
  ms = Date.parse('2026-03-01T02:10:00.000Z');
  readonly sleeps: number[] = [];
  readonly now = (): number => this.ms;
  readonly date = (): Date => new Date(this.ms);
  readonly sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.ms += ms;
  };
}
