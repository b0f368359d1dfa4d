import { describe, expect, it } from 'vitest';
import { EXIT_CODES, evaluateGate, severityRange } from '../../core/gate.js';
import type { Finding, FindingHistory, Report, Severity } from '../../core/types.js';

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';

function finding(overrides: Partial<Finding> = {}): Finding {
  const base: Finding = {
    checkId: 's3.bucket.public',
    status: 'FAIL',
    severity: 'high',
    accountId: ACCOUNT,
    region: 'global',
    resourceType: 'AwsS3Bucket',
    resourceId: 'arn:aws:s3:::bucket',
    title: 'S3 buckets are not public',
    message: 'The bucket is public.',
    evidence: {},
    remediation: { text: 'Block public access.' },
    frameworks: {},
    fingerprint: 'fp',
  };
  return { ...base, ...overrides };
}

function fail(checkId: string, severity: Severity, extra: Partial<Finding> = {}): Finding {
  return finding({ checkId, severity, status: 'FAIL', ...extra });
}

function gap(checkId: string, accountId = ACCOUNT): Finding {
  return finding({
    checkId,
    status: 'ERROR',
    accountId,
    resourceType: 'AwsScope',
    resourceId: `aws:x:${accountId}`,
  });
}

function history(state: FindingHistory['state']): FindingHistory {
  return { state, firstSeen: '2026-01-01T00:00:00.000Z' };
}

function report(findings: readonly Finding[]): Report {
  // Only `findings` is read by the gate; the rest of the report is irrelevant here.
  return { findings } as unknown as Report;
}

const SG = 'ec2.sg.admin-ports-public';
const S3 = 's3.bucket.public';

describe('evaluateGate without a threshold', () => {
  it('exits 0 whatever was found, failures and gaps included', () => {
    // Prepare
    const findings = [fail(SG, 'critical'), gap(S3)];

    // Act
    const none = evaluateGate(report(findings), {});
    const flagsOnly = evaluateGate(report(findings), { onlyNew: true, allowIncomplete: false });

    // Assess
    for (const result of [none, flagsOnly]) {
      expect(result.exitCode).toBe(0);
      expect(result.blocking).toEqual([]);
      expect(result.reasons).toEqual([
        'no gate is set (gate.failOn): a finished scan exits 0 whatever it found',
      ]);
    }
  });
});

describe('evaluateGate with a threshold', () => {
  it('exits 0 when nothing at or above the threshold is open', () => {
    // Prepare
    const findings = [fail(SG, 'medium'), finding({ status: 'PASS', severity: 'critical' })];

    // Act
    const result = evaluateGate(report(findings), { failOn: 'high' });

    // Assess
    expect(result).toEqual({
      exitCode: EXIT_CODES.pass,
      reasons: ['no high or critical findings are open'],
      blocking: [],
    });
  });

  it('exits 1 and names the blocking checks, worst and most first', () => {
    // Prepare
    const findings = [
      fail(S3, 'high', { resourceId: 'a' }),
      fail(SG, 'high', { resourceId: 'b' }),
      fail(SG, 'high', { resourceId: 'c' }),
      fail('ec2.ebs.volume-unencrypted', 'medium'),
      finding({ status: 'PASS', severity: 'critical' }),
    ];

    // Act
    const result = evaluateGate(report(findings), { failOn: 'high' });

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.blocking).toEqual(findings.slice(0, 3));
    expect(result.reasons).toEqual([
      '3 high or critical findings are open: ec2.sg.admin-ports-public ×2, s3.bucket.public ×1',
    ]);
  });

  it('counts a critical finding against a high threshold and uses the singular', () => {
    // Act
    const result = evaluateGate(report([fail(SG, 'critical')]), { failOn: 'high' });

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.reasons).toEqual(['1 high or critical finding is open: ec2.sg.admin-ports-public ×1']);
  });

  it('does not count suppressed FAIL findings', () => {
    // Prepare
    const findings = [fail(SG, 'critical', { suppressed: { reason: 'accepted', expires: '2026-12-31' } })];

    // Act
    const result = evaluateGate(report(findings), { failOn: 'low' });

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.blocking).toEqual([]);
  });

  it('blocks on low and info findings at those thresholds', () => {
    // Prepare
    const findings = [fail('iam.password-policy.weak', 'low'), fail('ec2.vpc.flow-logs', 'info')];

    // Act
    const atMedium = evaluateGate(report(findings), { failOn: 'medium' });
    const atLow = evaluateGate(report(findings), { failOn: 'low' });
    const atInfo = evaluateGate(report(findings), { failOn: 'info' });

    // Assess
    expect(atMedium.exitCode).toBe(0);
    expect(atLow.exitCode).toBe(1);
    expect(atLow.blocking).toEqual([findings[0]]);
    expect(atLow.reasons).toEqual([
      '1 low, medium, high or critical finding is open: iam.password-policy.weak ×1',
    ]);
    expect(atInfo.exitCode).toBe(1);
    expect(atInfo.blocking).toEqual(findings);
    expect(atInfo.reasons).toEqual([
      '2 failing findings are open: iam.password-policy.weak ×1, ec2.vpc.flow-logs ×1',
    ]);
  });

  it('names at most ten checks and counts the rest', () => {
    // Prepare
    const findings = Array.from({ length: 12 }, (_, i) =>
      fail(`s3.bucket.c${String(i).padStart(2, '0')}`, 'high'),
    );

    // Act
    const result = evaluateGate(report(findings), { failOn: 'high' });

    // Assess
    expect(result.reasons[0]).toMatch(
      /^12 high or critical findings are open: s3\.bucket\.c00 ×1, .*, and 2 more checks$/,
    );
  });
});

describe('evaluateGate with onlyNew', () => {
  const findings = [
    fail(SG, 'high', { history: history('new'), resourceId: 'new' }),
    fail(SG, 'high', { history: history('regressed'), resourceId: 'regressed' }),
    fail(S3, 'critical', { history: history('persisting'), resourceId: 'persisting' }),
  ];

  it('blocks on new and regressed findings, not persisting ones', () => {
    // Act
    const result = evaluateGate(report(findings), { failOn: 'high', onlyNew: true });

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.blocking.map((f) => f.resourceId)).toEqual(['new', 'regressed']);
    expect(result.reasons).toEqual([
      '2 new high or critical findings are open: ec2.sg.admin-ports-public ×2',
    ]);
  });

  it('passes when only persisting findings are open, and says so', () => {
    // Act
    const result = evaluateGate(report([findings[2]!]), { failOn: 'high', onlyNew: true });

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.reasons).toEqual([
      'no new high or critical findings are open; 1 finding failing since earlier runs does not block (onlyNew)',
    ]);
  });

  it('counts a finding without history as new', () => {
    // Act
    const result = evaluateGate(report([fail(SG, 'high')]), { failOn: 'high', onlyNew: true });

    // Assess
    expect(result.exitCode).toBe(1);
  });
});

describe('evaluateGate on an incomplete scan', () => {
  it('exits 3 when a check could not assess an account', () => {
    // Prepare
    const findings = [gap(S3), gap(SG), gap(SG, ACCOUNT), finding({ status: 'PASS' })];

    // Act
    const result = evaluateGate(report(findings), { failOn: 'high' });

    // Assess
    expect(result.exitCode).toBe(3);
    expect(result.reasons).toEqual([
      'the scan is incomplete: 2 checks could not assess 1 account; pass --allow-incomplete to gate anyway',
    ]);
  });

  it('exits 3 before 1 when blocking findings exist too, and still lists them', () => {
    // Prepare
    const findings = [gap(S3, OTHER_ACCOUNT), fail(SG, 'critical')];

    // Act
    const result = evaluateGate(report(findings), { failOn: 'high' });

    // Assess
    expect(result.exitCode).toBe(3);
    expect(result.blocking).toEqual([findings[1]]);
    expect(result.reasons).toEqual([
      'the scan is incomplete: 1 check could not assess 1 account; pass --allow-incomplete to gate anyway',
      '1 high or critical finding is open: ec2.sg.admin-ports-public ×1',
    ]);
  });

  it('gates on what was assessed with allowIncomplete', () => {
    // Prepare
    const gaps = [gap(S3, ACCOUNT), gap(S3, OTHER_ACCOUNT)];

    // Act
    const blocked = evaluateGate(report([...gaps, fail(SG, 'high')]), {
      failOn: 'high',
      allowIncomplete: true,
    });
    const clear = evaluateGate(report(gaps), { failOn: 'high', allowIncomplete: true });

    // Assess
    expect(blocked.exitCode).toBe(1);
    expect(clear.exitCode).toBe(0);
    expect(clear.reasons).toEqual([
      'no high or critical findings are open',
      'the scan is incomplete (1 check could not assess 2 accounts); gated on what was assessed (allowIncomplete)',
    ]);
  });

  it('does not count a suppressed ERROR finding as a gap', () => {
    // Prepare
    const muted = { ...gap(S3), suppressed: { reason: 'accepted', expires: '2026-12-31' } };

    // Act
    const result = evaluateGate(report([muted]), { failOn: 'high' });

    // Assess
    expect(result.exitCode).toBe(0);
  });
});

describe('severityRange', () => {
  it('names the severities at or above a threshold', () => {
    // Assess
    expect(severityRange('critical')).toBe('critical');
    expect(severityRange('high')).toBe('high or critical');
    expect(severityRange('medium')).toBe('medium, high or critical');
    expect(severityRange('info')).toBe('');
  });
});
