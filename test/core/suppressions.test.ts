import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applySuppressions,
  globToRegExp,
  isSuppressionActive,
  type SuppressionEntry,
  validateSuppressions,
} from '../../core/suppressions.js';
import type { Finding } from '../../core/types.js';

const ASOF = '2026-06-15T12:00:00.000Z';
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
    resourceId: 'arn:aws:s3:::public-website-assets',
    title: 'S3 buckets are not public',
    message: 'The bucket is public.',
    evidence: {},
    remediation: { text: 'Block public access.' },
    frameworks: {},
    fingerprint: 'fp',
  };
  return { ...base, ...overrides };
}

function entry(overrides: Partial<SuppressionEntry> = {}): SuppressionEntry {
  return { reason: 'static website, reviewed', expires: '2026-12-31', ...overrides };
}

function suppressedBy(findings: readonly Finding[], entries: readonly SuppressionEntry[], asOf = ASOF) {
  return applySuppressions(findings, entries, asOf).findings.map((f) => f.suppressed?.reason);
}

describe('applySuppressions matching', () => {
  it('matches by check id, family prefix and "*"', () => {
    // Prepare
    const findings = [
      finding({ checkId: 'ec2.sg.admin-ports-public' }),
      finding({ checkId: 'ec2.ebs.volume-unencrypted' }),
      finding({ checkId: 's3.bucket.public' }),
    ];

    // Act
    const exact = suppressedBy(findings, [entry({ checks: ['s3.bucket.public'], reason: 'r' })]);
    const prefix = suppressedBy(findings, [entry({ checks: ['ec2.sg.*'], reason: 'r' })]);
    const family = suppressedBy(findings, [entry({ checks: ['ec2.*'], reason: 'r' })]);
    const all = suppressedBy(findings, [entry({ checks: ['*'], reason: 'r' })]);

    // Assess
    expect(exact).toEqual([undefined, undefined, 'r']);
    expect(prefix).toEqual(['r', undefined, undefined]);
    expect(family).toEqual(['r', 'r', undefined]);
    expect(all).toEqual(['r', 'r', 'r']);
  });

  it('does not read a check id as a prefix without ".*"', () => {
    // Act
    const result = suppressedBy(
      [finding({ checkId: 'ec2.sg.admin-ports-public' })],
      [entry({ checks: ['ec2.sg'] })],
    );

    // Assess
    expect(result).toEqual([undefined]);
  });

  it('matches by account, with "*" for any', () => {
    // Prepare
    const findings = [finding({ accountId: ACCOUNT }), finding({ accountId: OTHER_ACCOUNT })];

    // Act
    const one = suppressedBy(findings, [entry({ accounts: [OTHER_ACCOUNT], reason: 'r' })]);
    const any = suppressedBy(findings, [entry({ accounts: ['*'], reason: 'r' })]);

    // Assess
    expect(one).toEqual([undefined, 'r']);
    expect(any).toEqual(['r', 'r']);
  });

  it('matches by region, "global" and "*"', () => {
    // Prepare
    const findings = [
      finding({ region: 'global' }),
      finding({ region: 'eu-west-1' }),
      finding({ region: 'us-east-1' }),
    ];

    // Act
    const global = suppressedBy(findings, [entry({ regions: ['global'], reason: 'r' })]);
    const listed = suppressedBy(findings, [entry({ regions: ['eu-west-1', 'us-east-1'], reason: 'r' })]);
    const any = suppressedBy(findings, [entry({ regions: ['*'], reason: 'r' })]);

    // Assess
    expect(global).toEqual(['r', undefined, undefined]);
    expect(listed).toEqual([undefined, 'r', 'r']);
    expect(any).toEqual(['r', 'r', 'r']);
  });

  it('matches resources by anchored glob, "*" spanning ":" and "/"', () => {
    // Prepare
    const findings = [
      finding({ resourceId: 'arn:aws:s3:::public-website-assets' }),
      finding({ resourceId: 'arn:aws:s3:::private-logs' }),
      finding({ resourceId: `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-0123` }),
      finding({ resourceId: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-0456` }),
    ];

    // Act
    const bucketPrefix = suppressedBy(findings, [entry({ resources: ['arn:aws:s3:::public-website-*'] })]);
    const acrossColonsAndSlashes = suppressedBy(findings, [entry({ resources: [`arn:aws:ec2:*/sg-0123`] })]);
    const anyRegion = suppressedBy(findings, [
      entry({ resources: [`arn:aws:ec2:*:${ACCOUNT}:security-group/*`] }),
    ]);
    const unanchored = suppressedBy(findings, [entry({ resources: ['public-website'] })]);

    // Assess
    const r = 'static website, reviewed';
    expect(bucketPrefix).toEqual([r, undefined, undefined, undefined]);
    expect(acrossColonsAndSlashes).toEqual([undefined, undefined, r, undefined]);
    expect(anyRegion).toEqual([undefined, undefined, r, r]);
    expect(unanchored).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('reads glob characters other than "*" and "?" literally', () => {
    // Assess
    expect(globToRegExp('arn:aws:s3:::a.b').test('arn:aws:s3:::a.b')).toBe(true);
    expect(globToRegExp('arn:aws:s3:::a.b').test('arn:aws:s3:::axb')).toBe(false);
    expect(globToRegExp('sg-0?23').test('sg-0123')).toBe(true);
    expect(globToRegExp('sg-0?23').test('sg-00123')).toBe(false);
    expect(globToRegExp('(x)+[y]').test('(x)+[y]')).toBe(true);
  });

  it('matches tags by value and by presence with "*", all of them', () => {
    // Prepare
    const findings = [
      finding({ tags: { exposure: 'public', owner: 'web' } }),
      finding({ tags: { exposure: 'internal', owner: 'web' } }),
      finding({ tags: { owner: 'web' } }),
      finding(),
    ];

    // Act
    const byValue = suppressedBy(findings, [entry({ tags: { exposure: 'public' }, reason: 'r' })]);
    const byPresence = suppressedBy(findings, [entry({ tags: { exposure: '*' }, reason: 'r' })]);
    const both = suppressedBy(findings, [entry({ tags: { exposure: '*', owner: 'web' }, reason: 'r' })]);
    const allMustMatch = suppressedBy(findings, [
      entry({ tags: { exposure: 'public', owner: 'db' }, reason: 'r' }),
    ]);

    // Assess
    expect(byValue).toEqual(['r', undefined, undefined, undefined]);
    expect(byPresence).toEqual(['r', 'r', undefined, undefined]);
    expect(both).toEqual(['r', 'r', undefined, undefined]);
    expect(allMustMatch).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('needs every stated criterion to match', () => {
    // Prepare
    const suppression = entry({
      checks: ['s3.bucket.public'],
      accounts: [ACCOUNT],
      regions: ['*'],
      resources: ['arn:aws:s3:::public-website-*'],
      tags: { exposure: 'public' },
      reason: 'r',
    });
    const findings = [
      finding({ tags: { exposure: 'public' } }),
      finding({ tags: { exposure: 'public' }, accountId: OTHER_ACCOUNT }),
      finding({ tags: { exposure: 'public' }, checkId: 's3.bucket.unencrypted' }),
      finding({ tags: { exposure: 'public' }, resourceId: 'arn:aws:s3:::other' }),
      finding({ tags: { exposure: 'private' } }),
    ];

    // Act
    const result = suppressedBy(findings, [suppression]);

    // Assess
    expect(result).toEqual(['r', undefined, undefined, undefined, undefined]);
  });

  it('suppresses PASS and FAIL, keeps their status, and never suppresses ERROR', () => {
    // Prepare
    const findings = [finding({ status: 'PASS' }), finding({ status: 'FAIL' }), finding({ status: 'ERROR' })];

    // Act
    const result = applySuppressions(findings, [entry({ checks: ['*'] })], ASOF).findings;

    // Assess
    expect(result.map((f) => f.status)).toEqual(['PASS', 'FAIL', 'ERROR']);
    expect(result[0]?.suppressed).toEqual({ reason: 'static website, reviewed', expires: '2026-12-31' });
    expect(result[1]?.suppressed).toEqual({ reason: 'static website, reviewed', expires: '2026-12-31' });
    expect(result[2]?.suppressed).toBeUndefined();
    expect(result[2]).toBe(findings[2]);
  });

  it('lets the first matching entry win', () => {
    // Prepare
    const entries = [
      entry({ checks: ['ec2.*'], reason: 'first' }),
      entry({ checks: ['ec2.sg.*'], reason: 'second' }),
      entry({ checks: ['s3.*'], reason: 'third' }),
    ];
    const findings = [
      finding({ checkId: 'ec2.sg.admin-ports-public' }),
      finding({ checkId: 's3.bucket.public' }),
    ];

    // Act
    const result = applySuppressions(findings, entries, ASOF);

    // Assess
    expect(result.findings.map((f) => f.suppressed?.reason)).toEqual(['first', 'third']);
    expect(result.unused).toEqual([1]);
  });

  it('does not touch findings it does not match, nor their input objects', () => {
    // Prepare
    const findings = [finding({ checkId: 'ec2.sg.admin-ports-public' }), finding()];

    // Act
    const result = applySuppressions(findings, [entry({ checks: ['s3.*'] })], ASOF);

    // Assess
    expect(result.findings[0]).toBe(findings[0]);
    expect(findings[1]?.suppressed).toBeUndefined();
    expect(result.findings[1]?.suppressed).toBeDefined();
  });
});

describe('applySuppressions expiry', () => {
  const findings = [finding({ status: 'FAIL' }), finding({ status: 'PASS' }), finding({ status: 'ERROR' })];
  const entries = [entry({ checks: ['s3.*'], expires: '2026-06-15', reason: 'until the 15th' })];

  it('applies through the last second of the expiry day, UTC', () => {
    // Act
    const morning = applySuppressions(findings, entries, '2026-06-15T00:00:00.000Z');
    const lastInstant = applySuppressions(findings, entries, '2026-06-15T23:59:59.999Z');

    // Assess
    expect(morning.findings[0]?.suppressed?.reason).toBe('until the 15th');
    expect(lastInstant.findings[0]?.suppressed?.reason).toBe('until the 15th');
    expect(lastInstant.expired).toEqual([]);
    expect(isSuppressionActive(entries[0]!, '2026-06-15T23:59:59.999Z')).toBe(true);
  });

  it('stops applying the next day and lists the expired entry with what it would match', () => {
    // Act
    const nextDay = applySuppressions(findings, entries, '2026-06-16T00:00:00.000Z');

    // Assess
    expect(nextDay.findings.map((f) => f.suppressed)).toEqual([undefined, undefined, undefined]);
    expect(nextDay.expired).toEqual([
      { index: 0, reason: 'until the 15th', expires: '2026-06-15', wouldMatch: 2, failing: 1 },
    ]);
    expect(nextDay.unused).toEqual([]);
    expect(isSuppressionActive(entries[0]!, '2026-06-16T00:00:00.000Z')).toBe(false);
  });

  it('reads expiry in UTC whatever the offset of asOf', () => {
    // Act: 01:30 on the 16th in UTC+2 is 23:30 on the 15th UTC.
    const result = applySuppressions(findings, entries, '2026-06-16T01:30:00+02:00');

    // Assess
    expect(result.findings[0]?.suppressed).toBeDefined();
  });

  it('lets a later entry apply when an earlier matching one has expired', () => {
    // Prepare
    const both = [
      entry({ expires: '2026-01-01', reason: 'old' }),
      entry({ expires: '2026-12-31', reason: 'new' }),
    ];

    // Act
    const result = applySuppressions([finding()], both, ASOF);

    // Assess
    expect(result.findings[0]?.suppressed?.reason).toBe('new');
    expect(result.expired.map((e) => e.index)).toEqual([0]);
    expect(result.unused).toEqual([]);
  });
});

describe('applySuppressions unused entries', () => {
  it('lists unexpired entries that matched nothing', () => {
    // Prepare
    const entries = [
      entry({ checks: ['s3.*'] }),
      entry({ checks: ['iam.*'] }),
      entry({ accounts: [OTHER_ACCOUNT] }),
      entry({ checks: ['iam.*'], expires: '2026-01-01' }),
    ];

    // Act
    const result = applySuppressions([finding()], entries, ASOF);

    // Assess
    expect(result.unused).toEqual([1, 2]);
    expect(result.expired.map((e) => e.index)).toEqual([3]);
  });

  it('does not call an entry unused when its scope could not be assessed', () => {
    // Prepare: the account could not be entered, so every check is an ERROR with region "*".
    const gap = finding({ status: 'ERROR', region: '*', resourceId: `aws:s3:${ACCOUNT}:*` });
    const entries = [
      entry({ accounts: [ACCOUNT], regions: ['eu-west-1'], resources: ['arn:aws:s3:::public-website-*'] }),
      entry({ accounts: [OTHER_ACCOUNT] }),
    ];

    // Act
    const result = applySuppressions([gap], entries, ASOF);

    // Assess
    expect(result.findings[0]?.suppressed).toBeUndefined();
    expect(result.unused).toEqual([1]);
  });

  it('keeps an existing suppression and counts the entry as used', () => {
    // Prepare
    const earlier = finding({ suppressed: { reason: 'set earlier', expires: '2026-07-01' } });

    // Act
    const result = applySuppressions([earlier], [entry()], ASOF);

    // Assess
    expect(result.findings[0]?.suppressed?.reason).toBe('set earlier');
    expect(result.unused).toEqual([]);
  });
});

describe('validateSuppressions', () => {
  // A valid entry needs at least one criterion.
  const valid = (overrides: Partial<SuppressionEntry> = {}) => entry({ checks: ['s3.*'], ...overrides });

  it('accepts a valid entry, an expiry exactly a year away and an already expired entry', () => {
    // Act
    const problems = validateSuppressions(
      [valid(), valid({ expires: '2027-06-15' }), valid({ expires: '2020-01-01' })],
      ASOF,
    );

    // Assess
    expect(problems).toEqual([]);
  });

  it('refuses an expiry more than a year after asOf', () => {
    // Act
    const problems = validateSuppressions([valid(), valid(), valid({ expires: '2028-01-01' })], ASOF);
    const dayAfterLimit = validateSuppressions([valid({ expires: '2027-06-16' })], ASOF);

    // Assess
    expect(problems).toEqual([
      {
        path: 'suppressions[2].expires',
        message: '"2028-01-01" is more than a year away; suppressions must be reviewed at least yearly',
      },
    ]);
    expect(dayAfterLimit.map((p) => p.path)).toEqual(['suppressions[0].expires']);
  });

  it('counts a year from 29 February as ending on 28 February', () => {
    // Act
    const onLimit = validateSuppressions([valid({ expires: '2029-02-28' })], '2028-02-29T10:00:00Z');
    const past = validateSuppressions([valid({ expires: '2029-03-01' })], '2028-02-29T10:00:00Z');

    // Assess
    expect(onLimit).toEqual([]);
    expect(past).toHaveLength(1);
  });

  it('refuses a date that is not a real YYYY-MM-DD day', () => {
    // Act
    const problems = validateSuppressions(
      [
        valid({ expires: '2026-02-30' }),
        valid({ expires: '31/12/2026' }),
        valid({ expires: '2026-12-31T00:00Z' }),
      ],
      ASOF,
    );

    // Assess
    expect(problems).toEqual([
      { path: 'suppressions[0].expires', message: '"2026-02-30" is not a date; expected "YYYY-MM-DD"' },
      { path: 'suppressions[1].expires', message: '"31/12/2026" is not a date; expected "YYYY-MM-DD"' },
      {
        path: 'suppressions[2].expires',
        message: '"2026-12-31T00:00Z" is not a date; expected "YYYY-MM-DD"',
      },
    ]);
  });

  it('refuses an empty reason', () => {
    // Act
    const problems = validateSuppressions([valid({ reason: '' }), valid({ reason: '   ' })], ASOF);

    // Assess
    expect(problems).toEqual([
      { path: 'suppressions[0].reason', message: 'is empty: say why these findings are accepted' },
      { path: 'suppressions[1].reason', message: 'is empty: say why these findings are accepted' },
    ]);
  });

  it('refuses empty criteria and an entry that would match every finding', () => {
    // Act
    const problems = validateSuppressions(
      [{ reason: 'r', expires: '2026-12-31' }, valid({ checks: [], tags: {} }), valid({ checks: ['*'] })],
      ASOF,
    );

    // Assess
    expect(problems).toEqual([
      {
        path: 'suppressions[0]',
        message:
          'matches every finding: narrow it with checks, accounts, regions, resources or tags (checks: ["*"] if that is really meant)',
      },
      { path: 'suppressions[1].checks', message: 'is empty: omit the key to match any checks' },
      { path: 'suppressions[1].tags', message: 'is empty: omit the key to match any tags' },
    ]);
  });

  it('refuses an asOf that is not an instant', () => {
    // Assess
    expect(() => validateSuppressions([valid()], 'yesterday')).toThrow(TypeError);
  });
});

describe('applySuppressions properties', () => {
  const statusArb = fc.constantFrom<Finding['status']>('PASS', 'FAIL', 'ERROR');
  const findingArb = fc
    .record({
      checkId: fc.constantFrom('s3.bucket.public', 'ec2.sg.admin-ports-public', 'iam.root.mfa'),
      status: statusArb,
      accountId: fc.constantFrom(ACCOUNT, OTHER_ACCOUNT),
      region: fc.constantFrom('global', 'eu-west-1', '*'),
      resourceId: fc.constantFrom('arn:aws:s3:::public-website-a', 'arn:aws:ec2:eu-west-1:1:sg/sg-1', 'x'),
      tags: fc.option(fc.dictionary(fc.constantFrom('exposure', 'owner'), fc.constantFrom('public', 'web')), {
        nil: undefined,
      }),
      suppressed: fc.option(
        fc.record({ reason: fc.string({ minLength: 1 }), expires: fc.constant('2026-07-01') }),
        {
          nil: undefined,
        },
      ),
    })
    .map(({ tags, suppressed, ...rest }) =>
      finding({
        ...rest,
        ...(tags !== undefined && { tags }),
        ...(suppressed !== undefined && { suppressed }),
      }),
    );
  const entryArb = fc.record(
    {
      checks: fc.array(fc.constantFrom('*', 's3.*', 'ec2.sg.*', 'iam.root.mfa'), { minLength: 1 }),
      accounts: fc.array(fc.constantFrom('*', ACCOUNT, OTHER_ACCOUNT), { minLength: 1 }),
      regions: fc.array(fc.constantFrom('*', 'global', 'eu-west-1'), { minLength: 1 }),
      resources: fc.array(fc.constantFrom('*', 'arn:aws:s3:::public-*', 'arn:*/sg-?', 'x'), { minLength: 1 }),
      tags: fc.dictionary(fc.constantFrom('exposure', 'owner'), fc.constantFrom('public', 'web', '*')),
      reason: fc.string({ minLength: 1 }),
      expires: fc.constantFrom('2026-01-01', '2026-06-15', '2026-06-16', '2027-01-01'),
    },
    { requiredKeys: ['reason', 'expires'] },
  );
  const asOfArb = fc.constantFrom('2026-06-15T00:00:00Z', '2026-06-15T23:59:59.999Z', '2026-06-16T00:00:00Z');

  it('never changes a status, never un-suppresses, and changes nothing but `suppressed`', () => {
    fc.assert(
      fc.property(fc.array(findingArb), fc.array(entryArb), asOfArb, (findings, entries, asOf) => {
        // Act
        const result = applySuppressions(findings, entries, asOf);

        // Assess
        expect(result.findings).toHaveLength(findings.length);
        result.findings.forEach((after, i) => {
          const before = findings[i]!;
          expect(after.status).toBe(before.status);
          if (before.suppressed !== undefined) expect(after.suppressed).toEqual(before.suppressed);
          if (before.status === 'ERROR') expect(after).toBe(before);
          const { suppressed: _a, ...restAfter } = after;
          const { suppressed: _b, ...restBefore } = before;
          expect(restAfter).toEqual(restBefore);
        });
      }),
    );
  });

  it('suppresses only with an entry that is unexpired at asOf', () => {
    fc.assert(
      fc.property(fc.array(findingArb), fc.array(entryArb), asOfArb, (findings, entries, asOf) => {
        // Prepare
        const fresh = findings.map(({ suppressed: _s, ...f }) => f as Finding);

        // Act
        const result = applySuppressions(fresh, entries, asOf);

        // Assess
        for (const f of result.findings) {
          if (f.suppressed === undefined) continue;
          expect(isSuppressionActive(f.suppressed, asOf)).toBe(true);
        }
        const expiredIndices = result.expired.map((e) => e.index);
        for (const i of result.unused) expect(expiredIndices).not.toContain(i);
      }),
    );
  });
});
