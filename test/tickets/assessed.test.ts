import { describe, expect, it } from 'vitest';
import { reportAssessment } from '../../tickets/assessed.js';
import { ACCOUNT, report, SG_CHECK, scopeError, sgArn, sgFail, sgPass, target } from './fixtures.js';

const GONE = { checkId: SG_CHECK.id, accountId: ACCOUNT, region: 'eu-west-1', resourceId: sgArn('sg-gone') };

describe('reportAssessment', () => {
  it('counts a resource with a verdict as assessed, and one with an ERROR as not', () => {
    const pass = sgPass('sg-1');
    const fail = sgFail('sg-2');
    const error = { ...sgFail('sg-3'), status: 'ERROR' as const };
    const { isAssessed } = reportAssessment(report({ runId: 'r', findings: [pass, fail, error] }));
    expect(isAssessed(pass)).toBe(true);
    expect(isAssessed(fail)).toBe(true);
    expect(isAssessed(error)).toBe(false);
  });

  it('counts a gone resource as assessed when its scope was scanned without error', () => {
    const { isAssessed } = reportAssessment(report({ runId: 'r', findings: [] }));
    expect(isAssessed(GONE)).toBe(true);
  });

  it('does not when the scope has an ERROR finding, or the target errored in a needed collector', () => {
    const withError = reportAssessment(report({ runId: 'r', findings: [scopeError()] }));
    expect(withError.isAssessed(GONE)).toBe(false);

    const errored = (collectors: Parameters<typeof target>[3]) =>
      report({ runId: 'r', findings: [], targets: [target(ACCOUNT, 'eu-west-1', 'error', collectors)] });
    const denied = {
      ok: false as const,
      error: { kind: 'access-denied' as const, code: 'Denied', message: 'no' },
    };
    const needs = () => SG_CHECK.needs;
    expect(reportAssessment(errored({ 'ec2.securityGroups': denied }), needs).isAssessed(GONE)).toBe(false);
    expect(
      reportAssessment(
        errored({
          'ec2.securityGroups': { ok: true },
          'ec2.prefixLists': { ok: true },
          'ec2.volumes': denied,
        }),
        needs,
      ).isAssessed(GONE),
    ).toBe(true);
    // Without the check's needs, an errored target proves nothing.
    expect(reportAssessment(errored({ 'ec2.securityGroups': { ok: true } })).isAssessed(GONE)).toBe(false);
  });

  it('does not when the check, the account or the region was outside the run', () => {
    const outside = report({ runId: 'r', findings: [], checks: ['s3.bucket.public'] });
    expect(reportAssessment(outside).isAssessed(GONE)).toBe(false);
    expect(
      reportAssessment(report({ runId: 'r', findings: [] })).isAssessed({
        ...GONE,
        accountId: '999999999999',
      }),
    ).toBe(false);
    expect(
      reportAssessment(report({ runId: 'r', findings: [] })).isAssessed({ ...GONE, region: 'ap-south-2' }),
    ).toBe(false);
  });

  it('judges a whole check in an account: every region, no ERROR anywhere', () => {
    expect(
      reportAssessment(report({ runId: 'r', findings: [] })).wholeCheckAssessed(SG_CHECK.id, ACCOUNT),
    ).toBe(true);
    expect(
      reportAssessment(
        report({ runId: 'r', findings: [scopeError(SG_CHECK.id, ACCOUNT, 'global')] }),
      ).wholeCheckAssessed(SG_CHECK.id, ACCOUNT),
    ).toBe(false);
  });
});
