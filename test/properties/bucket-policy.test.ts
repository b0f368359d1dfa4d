/**
 * The bucket-policy evaluator on input nobody wrote by hand: any JSON text, statements in any
 * order, and more statements than S3 could ever hold. test/checks/lib/s3-policy.test.ts already
 * holds "never throws on generated documents", "an appended Allow to * stays public", "Statement
 * as an object or a list" and "Deny never adds publicity"; these extend them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPolicyPublic, MAX_POLICY_STATEMENTS, type PolicyAccess } from '../../checks/lib/s3-policy.js';
import { analyzeSecureTransport } from '../../checks/lib/s3-secure-transport.js';

const PROPERTY = { seed: 20_260_115, numRuns: 300 } as const;

const ACCESS: readonly PolicyAccess[] = ['read', 'write', 'list', 'other'];

// ---------------------------------------------------------------- generators

const word = fc.constantFrom(
  '*',
  'Allow',
  'Deny',
  'allow',
  's3:*',
  's3:GetObject',
  's3:Get*',
  'arn:aws:s3:::bucket/*',
  '444455556666',
  'arn:aws:iam::444455556666:role/reader',
  '0.0.0.0/0',
  '10.0.0.0/8',
  'vpc-1234',
  'o-abc123',
  `\${aws:username}`,
  '__proto__',
  'constructor',
  'toString',
  '',
);
const key = fc.oneof(
  word,
  fc.constantFrom(
    'Statement',
    'Effect',
    'Principal',
    'NotPrincipal',
    'Action',
    'NotAction',
    'Resource',
    'Condition',
    'AWS',
    'Service',
    'Federated',
    'CanonicalUser',
    'StringEquals',
    'IpAddress',
    'aws:SourceIp',
    'aws:SourceVpc',
    'aws:PrincipalOrgID',
  ),
  fc.string({ maxLength: 6 }),
);
const scalar = fc.oneof(
  word,
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

/** JSON text, so that `__proto__` and `constructor` become own keys as they do in a real policy. */
const { json: jsonText } = fc.letrec<{ json: string }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar.map((value) => JSON.stringify(value)),
    fc.array(tie('json'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(key, tie('json')), { maxLength: 5 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
}));
const policyText = fc.oneof(
  jsonText,
  fc.array(jsonText, { maxLength: 5 }).map((items) => `{"Statement":[${items.join(',')}]}`),
  jsonText.map((statement) => `{"Version":"2012-10-17","Statement":${statement}}`),
);

/** A statement of any shape, as the evaluator may meet it. */
const statement: fc.Arbitrary<unknown> = policyText.map((text) => JSON.parse(text) as unknown);

/** Principals that mean "anyone", in the spellings IAM accepts. */
const anyone = fc.constantFrom<unknown>(
  '*',
  { AWS: '*' },
  { AWS: ['*'] },
  { AWS: ['arn:aws:iam::444455556666:root', '*'] },
);
const actions = fc.constantFrom<Record<string, unknown>>(
  {},
  { Action: '*' },
  { Action: 's3:GetObject' },
  { Action: ['s3:PutObject', 's3:ListBucket'] },
  { Action: 's3:Describe*' },
  { NotAction: 's3:DeleteBucket' },
  { NotAction: '*' },
);
/** An Allow to anyone without a condition: public by S3's definition, whatever it grants. */
const unconditionedPublicAllow = fc
  .tuple(anyone, actions, fc.option(fc.string({ maxLength: 8 }), { nil: undefined }), fc.boolean())
  .map(([principal, action, sid, withResource]) => ({
    ...(sid === undefined ? {} : { Sid: sid }),
    Effect: 'Allow',
    Principal: principal,
    ...action,
    ...(withResource ? { Resource: 'arn:aws:s3:::bucket/*' } : {}),
  }));

/** Allow statements whose principals are all fixed: they never make a policy public. */
const fixedPrincipalAllow = fc
  .tuple(
    fc.constantFrom<unknown>(
      { AWS: '444455556666' },
      { AWS: ['arn:aws:iam::444455556666:role/reader', '111122223333'] },
      { Service: 'logging.s3.amazonaws.com' },
      { CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' },
    ),
    actions,
    fc.option(statement, { nil: undefined }),
  )
  .map(([principal, action, condition]) => ({
    Effect: 'Allow',
    Principal: principal,
    ...action,
    ...(condition === undefined ? {} : { Condition: condition }),
  }));

function checkShape(result: ReturnType<typeof isPolicyPublic>, statementCount: number): void {
  expect(result.public).toBe(result.statements.length > 0);
  for (const entry of result.statements) {
    expect(entry.index).toBeGreaterThanOrEqual(0);
    expect(entry.index).toBeLessThan(Math.max(statementCount, 1));
    expect(entry.reason.trim()).not.toBe('');
    for (const effect of entry.effects) expect(ACCESS).toContain(effect);
  }
  for (const note of result.notes) expect(typeof note).toBe('string');
}

function statementCountOf(document: unknown): number {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return 0;
  if (!Object.hasOwn(document, 'Statement')) return 0;
  const raw = (document as { Statement: unknown }).Statement;
  return Array.isArray(raw) ? raw.length : 1;
}

// ---------------------------------------------------------------- properties

describe('isPolicyPublic on any JSON text', () => {
  it('never throws, and its answer is consistent, for any JSON text (own __proto__ keys included)', () => {
    fc.assert(
      fc.property(
        policyText,
        fc.option(fc.constantFrom('111122223333', '', '__proto__')),
        (text, account) => {
          // Prepare
          const document: unknown = JSON.parse(text);

          // Act
          const result = isPolicyPublic(document, account === null ? {} : { bucketAccountId: account });

          // Assess
          checkShape(result, statementCountOf(document));
        },
      ),
      PROPERTY,
    );
  });

  it('does not read a statement through its prototype: an own __proto__ key grants nothing', () => {
    const document = JSON.parse(
      '{"Statement":[{"__proto__":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}}]}',
    );

    expect(isPolicyPublic(document).public).toBe(false);
  });

  it('survives values nested thousands of levels deep', () => {
    // Prepare
    const depth = 20_000;
    const deep = `${'['.repeat(depth)}"*"${']'.repeat(depth)}`;
    const document = JSON.parse(
      `{"Statement":[{"Effect":"Allow","Principal":{"AWS":${deep}},"Condition":{"StringEquals":{"aws:SourceVpc":${deep}}}}]}`,
    );

    // Act
    const result = isPolicyPublic(document);

    // Assess
    expect(result.public).toBe(true);
    expect(analyzeSecureTransport(document, 'bucket').enforced).toBe(false);
  });
});

describe('isPolicyPublic: what adding or moving statements can do', () => {
  it('an unconditioned Allow to anyone, inserted anywhere, makes any policy public and is named', () => {
    fc.assert(
      fc.property(
        fc.array(statement, { maxLength: 5 }),
        unconditionedPublicAllow,
        fc.nat(),
        (statements, allow, at) => {
          // Prepare
          const position = at % (statements.length + 1);
          const before = isPolicyPublic({ Statement: statements });
          const withAllow = [...statements.slice(0, position), allow, ...statements.slice(position)];

          // Act
          const after = isPolicyPublic({ Statement: withAllow });

          // Assess
          expect(after.public).toBe(true);
          expect(after.statements.map((s) => s.index)).toContain(position);
          // Nothing that was public stops being public.
          const shifted = before.statements.map((s) => (s.index >= position ? s.index + 1 : s.index));
          for (const index of shifted) expect(after.statements.map((s) => s.index)).toContain(index);
        },
      ),
      PROPERTY,
    );
  });

  it('the same unconditioned Allow as the only statement, written as an object, is public', () => {
    fc.assert(
      fc.property(unconditionedPublicAllow, (allow) => {
        expect(isPolicyPublic({ Version: '2012-10-17', Statement: allow }).public).toBe(true);
      }),
      PROPERTY,
    );
  });

  it('an Allow to fixed principals never changes the verdict, whatever its condition', () => {
    fc.assert(
      fc.property(
        fc.array(statement, { maxLength: 5 }),
        fixedPrincipalAllow,
        fc.nat(),
        (statements, allow, at) => {
          const position = at % (statements.length + 1);
          const withAllow = [...statements.slice(0, position), allow, ...statements.slice(position)];

          expect(isPolicyPublic({ Statement: withAllow }).public).toBe(
            isPolicyPublic({ Statement: statements }).public,
          );
        },
      ),
      PROPERTY,
    );
  });

  it('the order of the statements never changes the verdict', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(statement, fc.double({ noNaN: true })), { maxLength: 6 }), (keyed) => {
        const original = keyed.map(([s]) => s);
        const shuffled = [...keyed].sort((a, b) => a[1] - b[1]).map(([s]) => s);

        expect(isPolicyPublic({ Statement: shuffled }).public).toBe(
          isPolicyPublic({ Statement: original }).public,
        );
      }),
      PROPERTY,
    );
  });

  it('a policy none of whose statements says exactly "Allow" is never public', () => {
    const notAllow = fc.oneof(fc.constantFrom('Deny', 'DENY', '', 'Allowed', ' Allow'), scalar);
    fc.assert(
      fc.property(fc.array(fc.tuple(statement, notAllow), { maxLength: 6 }), (pairs) => {
        const statements = pairs.map(([s, effect]) =>
          s !== null && typeof s === 'object' && !Array.isArray(s) ? { ...s, Effect: effect } : s,
        );
        fc.pre(pairs.every(([, effect]) => effect !== 'Allow'));

        expect(isPolicyPublic({ Statement: statements }).public).toBe(false);
      }),
      PROPERTY,
    );
  });
});

describe(`isPolicyPublic reads at most ${MAX_POLICY_STATEMENTS} statements`, () => {
  const DENY = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' };
  const FIXED = { Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 's3:GetObject' };

  it('is public past the bound, naming what it did not read, and unchanged up to it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MAX_POLICY_STATEMENTS - 3, max: MAX_POLICY_STATEMENTS + 3 }),
        fc.constantFrom(DENY, FIXED),
        (count, filler) => {
          // Act
          const result = isPolicyPublic({ Statement: Array.from({ length: count }, () => filler) });

          // Assess
          expect(result.public).toBe(count > MAX_POLICY_STATEMENTS);
          if (count > MAX_POLICY_STATEMENTS) {
            expect(result.statements).toEqual([
              {
                index: MAX_POLICY_STATEMENTS,
                reason: `the policy has ${count} statements; only the first ${MAX_POLICY_STATEMENTS} were read, so the other ${count - MAX_POLICY_STATEMENTS} cannot be shown to be restricted`,
                effects: ['read', 'write', 'list', 'other'],
              },
            ]);
          }
        },
      ),
      { ...PROPERTY, numRuns: 20 },
    );
  });

  it('still names a public statement among the ones it read', () => {
    const statements = [
      { Sid: 'open', Effect: 'Allow', Principal: '*', Action: 's3:GetObject' },
      ...Array.from({ length: MAX_POLICY_STATEMENTS + 10 }, () => DENY),
    ];

    const result = isPolicyPublic({ Statement: statements });

    expect(result.statements.map((s) => s.index)).toEqual([0, MAX_POLICY_STATEMENTS]);
  });

  it('answers a million statements with bounded work', () => {
    const result = isPolicyPublic({ Statement: Array.from({ length: 1_000_000 }, () => DENY) });

    expect(result.public).toBe(true);
    expect(result.statements).toHaveLength(1);
  });
});
