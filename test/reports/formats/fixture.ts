/**
 * A small hand-built report for the export format tests: a PASS, a critical FAIL with history,
 * a suppressed FAIL, an ERROR, and a FAIL whose resource name and message are hostile to CSV,
 * XML and spreadsheets.
 */
import type { Finding, Report } from '../../../core/types.js';

export const AS_OF = '2025-06-01T02:00:00.000Z';
export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';

/** Evidence values that must never leave report.json. */
export const SECRET_EVIDENCE = '203.0.113.77';

/** A name an attacker may choose: markup, quotes and a spreadsheet formula. */
export const HOSTILE_NAME = `=cmd|' /C calc'!A0<&"'>`;

export const passFinding: Finding = {
  checkId: 's3.bucket.public',
  status: 'PASS',
  severity: 'critical',
  accountId: ACCOUNT,
  region: 'eu-west-1',
  resourceType: 'AwsS3Bucket',
  resourceId: 'arn:aws:s3:::site-assets',
  title: 'S3 buckets are not public',
  message: 'Bucket site-assets is not public.',
  evidence: { policyPublic: false },
  remediation: { text: 'Remove public grants and statements; turn on Block Public Access.' },
  frameworks: { fsbp: ['S3.2', 'S3.3'] },
  fingerprint: 'a'.repeat(64),
};

export const criticalFinding: Finding = {
  checkId: 'iam.root.access-keys',
  status: 'FAIL',
  severity: 'critical',
  accountId: ACCOUNT,
  region: 'global',
  resourceType: 'AwsAccount',
  resourceId: `arn:aws:iam::${ACCOUNT}:root`,
  title: 'The root user has no access keys',
  message: 'The root user has an active access key (AKIA…EXAMPLE), last used 3 days ago.',
  evidence: { accessKey1Active: true, lastUsedFrom: SECRET_EVIDENCE },
  remediation: {
    text: 'Delete the root user access keys.',
    console: 'Security credentials → Access keys → Delete',
    cli: 'aws iam delete-access-key --access-key-id <root-access-key-id>',
  },
  frameworks: { 'cis-aws-3.0': ['1.4'], 'cis-aws-5.0': ['1.3'], fsbp: ['IAM.4'] },
  fingerprint: 'b'.repeat(64),
  history: { state: 'persisting', firstSeen: '2025-05-01T02:00:00.000Z' },
};

export const suppressedFinding: Finding = {
  checkId: 'ec2.sg.admin-ports-public',
  status: 'FAIL',
  severity: 'high',
  accountId: ACCOUNT,
  region: 'eu-west-1',
  resourceType: 'AwsEc2SecurityGroup',
  resourceId: `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-0123456789abcdef0`,
  title: 'Security groups do not admit the internet on administration ports',
  message: 'sg-0123456789abcdef0 admits 0.0.0.0/0 on TCP 22.',
  evidence: { rules: [{ port: 22, cidr: '0.0.0.0/0' }] },
  remediation: { text: 'Restrict the rule to the approved ranges, or use Session Manager.' },
  frameworks: {
    'cis-aws-3.0': ['5.2', '5.3'],
    'cis-aws-5.0': ['5.3', '5.4'],
    fsbp: ['EC2.53', 'EC2.54', 'EC2.13', 'EC2.14'],
  },
  fingerprint: 'c'.repeat(64),
  history: { state: 'new', firstSeen: AS_OF },
  suppressed: { reason: 'Bastion host, replaced in Q3 (CHG-1234)', expires: '2025-09-30T00:00:00.000Z' },
};

export const errorFinding: Finding = {
  checkId: 'ec2.ebs.volume-unencrypted',
  status: 'ERROR',
  severity: 'high',
  accountId: OTHER_ACCOUNT,
  region: 'ap-southeast-2',
  resourceType: 'AwsEc2Volume',
  resourceId: `arn:aws:ec2:ap-southeast-2:${OTHER_ACCOUNT}:*`,
  title: 'EBS volumes are encrypted',
  message: 'Could not assess: DescribeVolumes was denied (UnauthorizedOperation).',
  evidence: { code: 'UnauthorizedOperation' },
  remediation: { text: 'Grant ec2:DescribeVolumes to the audit role.' },
  frameworks: { fsbp: ['EC2.3'] },
  fingerprint: 'd'.repeat(64),
};

export const hostileFinding: Finding = {
  checkId: 'iam.user.console-mfa',
  status: 'FAIL',
  severity: 'high',
  accountId: ACCOUNT,
  region: 'global',
  resourceType: 'AwsIamUser',
  resourceId: `arn:aws:iam::${ACCOUNT}:user/${HOSTILE_NAME}`,
  title: 'IAM users with a console password have MFA',
  message: `${HOSTILE_NAME} has a console password and no MFA.\u0001\uFFFE Line two,\r\nwith "quotes"\tand a tab.`,
  evidence: { passwordEnabled: true },
  remediation: { text: '-Enable an MFA device for the user, or remove the console password.' },
  frameworks: { 'cis-aws-3.0': ['1.10'], 'cis-aws-5.0': ['1.9'], fsbp: ['IAM.5'] },
  fingerprint: 'e'.repeat(64),
  history: { state: 'regressed', firstSeen: '2025-04-01T02:00:00.000Z' },
};

export const FINDINGS: readonly Finding[] = [
  passFinding,
  criticalFinding,
  suppressedFinding,
  errorFinding,
  hostileFinding,
];

export function makeReport(findings: readonly Finding[] = FINDINGS): Report {
  const count = (status: Finding['status']) => findings.filter((f) => f.status === status).length;
  return {
    schemaVersion: 1,
    runId: '2025-06-01T02-00-00Z-abc123',
    startedAt: '2025-06-01T02:00:00.000Z',
    finishedAt: '2025-06-01T02:03:10.000Z',
    asOf: AS_OF,
    toolVersion: '0.1.0',
    configDigest: 'f'.repeat(64),
    scope: { accounts: [ACCOUNT, OTHER_ACCOUNT], regions: ['eu-west-1', 'ap-southeast-2'], checks: [] },
    summary: {
      findings: { PASS: count('PASS'), FAIL: count('FAIL'), ERROR: count('ERROR') },
      failBySeverity: { critical: 1, high: 1, medium: 0, low: 0, info: 0 },
      suppressed: findings.filter((f) => f.suppressed !== undefined).length,
      targets: { total: 4, scanned: 3, errored: 1 },
      accounts: { total: 2, scanned: 2, notScanned: 0, errored: 0 },
      topFailingChecks: [],
      incomplete: count('ERROR') > 0,
    },
    coverage: { accounts: [], targets: [], checksNotRun: [] },
    findings,
  };
}

/** `count` findings like `template`, each on its own resource with its own fingerprint. */
export function manyFindings(count: number, template: Finding = criticalFinding): Finding[] {
  return Array.from({ length: count }, (_, index) => ({
    ...template,
    resourceId: `${template.resourceId}-${index}`,
    fingerprint: index.toString(16).padStart(64, '0'),
  }));
}
