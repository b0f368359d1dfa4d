import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeSecureTransport } from '../../../checks/lib/s3-secure-transport.js';

const NAME = 'example-bucket';
const BUCKET = `arn:aws:s3:::${NAME}`;
const OBJECTS = `${BUCKET}/*`;

type Statement = Record<string, unknown>;

function deny(overrides: Statement = {}): Statement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [BUCKET, OBJECTS],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    ...overrides,
  };
}

function analyze(...statements: Statement[]) {
  return analyzeSecureTransport({ Version: '2012-10-17', Statement: statements }, NAME);
}

describe('analyzeSecureTransport', () => {
  it.each([
    ['the canonical statement', deny()],
    ['Principal {"AWS": "*"}', deny({ Principal: { AWS: '*' } })],
    ['Action "*"', deny({ Action: '*' })],
    ['Action in a list', deny({ Action: ['s3:GetObject', 's3:*'] })],
    ['Resource "*"', deny({ Resource: '*' })],
    ['Resource arn:aws:s3:::*', deny({ Resource: 'arn:aws:s3:::*' })],
    ['Resource bucket*', deny({ Resource: `${BUCKET}*` })],
    ['BoolIfExists', deny({ Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } })],
    ['boolean false', deny({ Condition: { Bool: { 'aws:SecureTransport': false } } })],
    ['false in a list', deny({ Condition: { Bool: { 'aws:SecureTransport': ['false'] } } })],
    ['"FALSE" and a key in another case', deny({ Condition: { Bool: { 'AWS:SecureTransport': 'FALSE' } } })],
  ])('passes %s', (_name, statement) => {
    // Act
    const result = analyze(
      { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 's3:*' },
      statement,
    );

    // Assess
    expect(result.enforced).toBe(true);
    expect(result.statement).toEqual({ index: 1, sid: 'DenyInsecureTransport' });
  });

  it.each([
    ['no object resource', deny({ Resource: BUCKET }), `the bucket's objects (${OBJECTS})`],
    ['no bucket resource', deny({ Resource: OBJECTS }), `the bucket itself (${BUCKET})`],
    [
      'a prefix of the objects only',
      deny({ Resource: [BUCKET, `${BUCKET}/private/*`] }),
      `the bucket's objects`,
    ],
    [
      'another bucket',
      deny({ Resource: ['arn:aws:s3:::other', 'arn:aws:s3:::other/*'] }),
      'the bucket itself',
    ],
    ['a narrower action', deny({ Action: 's3:GetObject' }), 'actions other than s3:GetObject'],
    ['s3:Get*', deny({ Action: 's3:Get*' }), 'actions other than s3:Get*'],
    [
      'NotAction',
      deny({ Action: undefined, NotAction: 's3:GetObject' }),
      'the actions in NotAction (s3:GetObject)',
    ],
    [
      'a fixed principal',
      deny({ Principal: { AWS: '444455556666' } }),
      'principals other than {"AWS":"444455556666"}',
    ],
    ['NotPrincipal', deny({ Principal: undefined, NotPrincipal: { AWS: '111122223333' } }), 'NotPrincipal'],
    [
      'an extra condition',
      deny({
        Condition: { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:SourceVpc': 'vpc-1' } },
      }),
      'do not also match StringEquals aws:SourceVpc',
    ],
    [
      'NotResource on the objects',
      deny({ Resource: undefined, NotResource: `${BUCKET}/public/*` }),
      `objects matching NotResource ${BUCKET}/public/*`,
    ],
  ])('fails with %s and names what it leaves open', (_name, statement, gap) => {
    // Act
    const result = analyze(JSON.parse(JSON.stringify(statement)) as Statement);

    // Assess
    expect(result.enforced).toBe(false);
    expect(result.candidates).toHaveLength(1);
    expect(result.candidates[0]?.leavesOpen.join(' | ')).toContain(gap);
  });

  it('accepts a NotResource that only excludes other buckets', () => {
    // Act
    const result = analyze(deny({ Resource: undefined, NotResource: 'arn:aws:s3:::other-bucket/*' }));

    // Assess
    expect(result.enforced).toBe(true);
  });

  it.each([
    [
      'an Allow on SecureTransport true',
      { ...deny(), Effect: 'Allow', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
    ],
    ['a Deny on SecureTransport true', deny({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } })],
    [
      'a Deny with no condition on SecureTransport',
      deny({ Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } }),
    ],
    ['the key under StringEquals', deny({ Condition: { StringEquals: { 'aws:SecureTransport': 'false' } } })],
  ])('finds no candidate in %s', (_name, statement) => {
    // Act
    const result = analyze(statement);

    // Assess
    expect(result).toEqual({ enforced: false, candidates: [] });
  });

  it('reads a single-object Statement', () => {
    // Act
    const result = analyzeSecureTransport({ Statement: deny({ Sid: undefined }) }, NAME);

    // Assess
    expect(result.statement).toEqual({ index: 0 });
  });

  it('does not combine two half-covering Denies', () => {
    // Act
    const result = analyze(
      deny({ Sid: 'Bucket', Resource: BUCKET }),
      deny({ Sid: 'Objects', Resource: OBJECTS }),
    );

    // Assess
    expect(result.enforced).toBe(false);
    expect(result.candidates.map((c) => c.sid)).toEqual(['Bucket', 'Objects']);
  });

  it('never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue({ maxDepth: 4 }),
          fc.record({
            Statement: fc.array(
              fc.dictionary(
                fc.constantFrom(
                  'Effect',
                  'Principal',
                  'NotPrincipal',
                  'Action',
                  'NotAction',
                  'Resource',
                  'NotResource',
                  'Condition',
                ),
                fc.jsonValue({ maxDepth: 3 }),
              ),
              { maxLength: 3 },
            ),
          }),
        ),
        (document) => {
          const result = analyzeSecureTransport(document, NAME);
          expect(result.enforced).toBe(result.statement !== undefined);
        },
      ),
      { seed: 20_250_601, numRuns: 400 },
    );
  });
});
