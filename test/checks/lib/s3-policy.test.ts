import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  globMatch,
  isPolicyPublic,
  parseConditionOperator,
  policyStatements,
  sourceIpBreadthProblem,
  statementAccess,
} from '../../../checks/lib/s3-policy.js';

const BUCKET = 'arn:aws:s3:::example-bucket';
const OBJECTS = `${BUCKET}/*`;

type Statement = Record<string, unknown>;

function policy(...statements: Statement[]): Record<string, unknown> {
  return { Version: '2012-10-17', Statement: statements };
}

function allowAll(extra: Statement = {}): Statement {
  return { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: OBJECTS, ...extra };
}

function when(operator: string, key: string, value: unknown): Statement {
  return { Condition: { [operator]: { [key]: value } } };
}

describe('isPolicyPublic: principals', () => {
  it.each([
    ['Principal "*" with no condition', allowAll(), true],
    ['{"AWS": "*"} with no condition', allowAll({ Principal: { AWS: '*' } }), true],
    ['{"AWS": ["*"]} in a list', allowAll({ Principal: { AWS: ['*'] } }), true],
    ['a fixed account id', allowAll({ Principal: { AWS: '444455556666' } }), false],
    ['a fixed role ARN', allowAll({ Principal: { AWS: 'arn:aws:iam::444455556666:role/reader' } }), false],
    ['a service principal', allowAll({ Principal: { Service: 'cloudtrail.amazonaws.com' } }), false],
    ['a canonical user id', allowAll({ Principal: { CanonicalUser: 'a'.repeat(64) } }), false],
    ['a fixed principal next to "*"', allowAll({ Principal: { AWS: ['444455556666', '*'] } }), true],
    ['a wildcard inside an ARN', allowAll({ Principal: { AWS: 'arn:aws:iam::*:root' } }), true],
    [
      'a policy variable',
      allowAll({ Principal: { AWS: `arn:aws:iam::\${aws:PrincipalAccount}:root` } }),
      true,
    ],
    ['a Federated principal', allowAll({ Principal: { Federated: 'graph.facebook.com' } }), true],
    ['an unknown principal type', allowAll({ Principal: { Unknown: 'x' } }), true],
    ['a principal value that is not a string', allowAll({ Principal: { AWS: 42 } }), true],
    [
      'NotPrincipal with Allow',
      { ...allowAll(), Principal: undefined, NotPrincipal: { AWS: '444455556666' } },
      true,
    ],
  ])('%s → public %s', (_name, statement, expected) => {
    // Prepare
    const document = policy(JSON.parse(JSON.stringify(statement)) as Statement);

    // Act
    const result = isPolicyPublic(document);

    // Assess
    expect(result.public).toBe(expected);
    expect(result.statements.length > 0).toBe(expected);
  });

  it('keeps NotPrincipal with Allow public even under a restricting condition', () => {
    // Prepare
    const statement: Statement = {
      Effect: 'Allow',
      NotPrincipal: { AWS: '444455556666' },
      Action: 's3:GetObject',
      Resource: OBJECTS,
      ...when('StringEquals', 'aws:SourceVpc', 'vpc-1234'),
    };

    // Act
    const result = isPolicyPublic(policy(statement));

    // Assess
    expect(result.public).toBe(true);
    expect(result.statements[0]?.reason).toContain('NotPrincipal');
  });

  it('lets a restricting condition make a Federated principal non-public', () => {
    // Prepare
    const statement = allowAll({
      Principal: { Federated: 'graph.facebook.com' },
      ...when('StringEquals', 'aws:SourceAccount', '444455556666'),
    });

    // Act
    const result = isPolicyPublic(policy(statement));

    // Assess
    expect(result.public).toBe(false);
  });
});

describe('isPolicyPublic: conditions with Principal "*"', () => {
  it.each([
    ['StringEquals aws:SourceVpc fixed', when('StringEquals', 'aws:SourceVpc', 'vpc-1234'), false],
    ['StringLike aws:SourceVpc with a wildcard', when('StringLike', 'aws:SourceVpc', 'vpc-*'), true],
    ['StringLike aws:SourceVpc without a wildcard', when('StringLike', 'aws:SourceVpc', 'vpc-1234'), false],
    ['StringEquals aws:SourceVpc with a ? wildcard', when('StringEquals', 'aws:SourceVpc', 'vpc-123?'), true],
    [
      'StringEquals aws:SourceVpc with a policy variable',
      when('StringEquals', 'aws:SourceVpc', `\${aws:SourceVpc}`),
      true,
    ],
    [
      'StringEquals aws:SourceVpc, one of two values a wildcard',
      when('StringEquals', 'aws:SourceVpc', ['vpc-1', '*']),
      true,
    ],
    ['StringEquals aws:SourceVpc, no values', when('StringEquals', 'aws:SourceVpc', []), true],
    ['StringEqualsIfExists aws:SourceVpc', when('StringEqualsIfExists', 'aws:SourceVpc', 'vpc-1234'), true],
    [
      'ForAllValues:StringEquals aws:SourceVpc',
      when('ForAllValues:StringEquals', 'aws:SourceVpc', 'vpc-1'),
      true,
    ],
    [
      'ForAnyValue:StringEquals aws:SourceVpc',
      when('ForAnyValue:StringEquals', 'aws:SourceVpc', 'vpc-1'),
      false,
    ],
    ['StringNotEquals aws:SourceVpc (negated)', when('StringNotEquals', 'aws:SourceVpc', 'vpc-1234'), true],
    ['Null aws:SourceVpc', when('Null', 'aws:SourceVpc', 'false'), true],
    ['condition key written in another case', when('StringEquals', 'AWS:SOURCEVPC', 'vpc-1234'), false],
    ['StringEquals aws:SourceVpce', when('StringEquals', 'aws:SourceVpce', 'vpce-1234'), false],
    [
      'ArnEquals aws:SourceArn',
      when('ArnEquals', 'aws:SourceArn', 'arn:aws:cloudtrail:us-east-1:444455556666:trail/t'),
      false,
    ],
    [
      'ArnLike aws:SourceArn with a wildcard',
      when('ArnLike', 'aws:SourceArn', 'arn:aws:cloudtrail:*:444455556666:trail/*'),
      true,
    ],
    ['StringEquals aws:SourceOwner', when('StringEquals', 'aws:SourceOwner', '444455556666'), false],
    [
      'StringEquals aws:SourceAccount as a number',
      when('StringEquals', 'aws:SourceAccount', 444455556666),
      false,
    ],
    [
      'StringEquals aws:SourceAccount as an object',
      when('StringEquals', 'aws:SourceAccount', { a: 1 }),
      true,
    ],
    ['StringEquals aws:PrincipalOrgID', when('StringEquals', 'aws:PrincipalOrgID', 'o-abc123'), false],
    ['StringLike aws:PrincipalOrgID with a wildcard', when('StringLike', 'aws:PrincipalOrgID', 'o-*'), true],
    [
      'StringEquals s3:x-amz-server-side-encryption-aws-kms-key-id',
      when(
        'StringEquals',
        's3:x-amz-server-side-encryption-aws-kms-key-id',
        'arn:aws:kms:us-east-1:444455556666:key/k',
      ),
      false,
    ],
    [
      'StringEquals s3:DataAccessPointAccount',
      when('StringEquals', 's3:DataAccessPointAccount', '444455556666'),
      false,
    ],
    [
      'StringLike s3:DataAccessPointArn, wildcard only in the name, account fixed',
      when('StringLike', 's3:DataAccessPointArn', 'arn:aws:s3:us-west-2:444455556666:accesspoint/*'),
      false,
    ],
    [
      'ArnLike s3:DataAccessPointArn, wildcard in the account',
      when('ArnLike', 's3:DataAccessPointArn', 'arn:aws:s3:us-west-2:*:accesspoint/*'),
      true,
    ],
    [
      'StringLike s3:DataAccessPointArn, wildcard in the region',
      when('StringLike', 's3:DataAccessPointArn', 'arn:aws:s3:*:444455556666:accesspoint/*'),
      true,
    ],
    ['StringEquals aws:userid fixed', when('StringEquals', 'aws:userid', 'AIDAEXAMPLEUSERID'), false],
    ['StringLike aws:userid AROLEID:*', when('StringLike', 'aws:userid', 'AROAEXAMPLEROLEID:*'), true],
    [
      'StringEquals aws:userid role session',
      when('StringEquals', 'aws:userid', 'AROAEXAMPLEROLEID:alice'),
      false,
    ],
    [
      'StringEquals on a key not listed (aws:PrincipalArn)',
      when('StringEquals', 'aws:PrincipalArn', 'arn:aws:iam::1:root'),
      true,
    ],
    ['Bool aws:SecureTransport (not a restricting key)', when('Bool', 'aws:SecureTransport', 'true'), true],
    [
      'StringEquals aws:SourceIp (wrong operator)',
      when('StringEquals', 'aws:SourceIp', '203.0.113.0/24'),
      true,
    ],
  ])('%s → public %s', (_name, condition, expected) => {
    // Prepare
    const document = policy(allowAll(condition));

    // Act
    const result = isPolicyPublic(document);

    // Assess
    expect(result.public).toBe(expected);
  });

  it.each([
    ['aws:PrincipalAccount', 'StringEquals', '444455556666'],
    ['aws:PrincipalOrgPaths', 'StringEquals', 'o-abc/r-ab12/ou-ab12-11111111/'],
    ['aws:SourceOrgID', 'StringEquals', 'o-abc123'],
    ['aws:SourceOrgPaths', 'StringEquals', 'o-abc/r-ab12/'],
  ])('treats %s with a fixed value as non-public and notes it is unverified', (key, operator, value) => {
    // Prepare
    const document = policy(allowAll({ Sid: 'Org', ...when(operator, key, value) }));

    // Act
    const result = isPolicyPublic(document);

    // Assess
    expect(result.public).toBe(false);
    expect(result.notes.join(' ')).toMatch(/statement "Org" is non-public only through .*unverified/);
  });

  it('needs only one restricting condition: conditions are ANDed', () => {
    // Prepare
    const statement = allowAll({
      Condition: {
        StringLike: { 'aws:SourceVpc': 'vpc-*' },
        StringEquals: { 'aws:SourceAccount': '444455556666' },
      },
    });

    // Act
    const result = isPolicyPublic(policy(statement));

    // Assess
    expect(result.public).toBe(false);
  });

  it('explains the wildcard value in the reason', () => {
    // Prepare
    const document = policy(allowAll({ Sid: 'VpcOnly', ...when('StringLike', 'aws:SourceVpc', 'vpc-*') }));

    // Act
    const result = isPolicyPublic(document);

    // Assess
    expect(result.statements).toEqual([
      {
        index: 0,
        sid: 'VpcOnly',
        reason: expect.stringContaining('StringLike aws:SourceVpc: "vpc-*" contains a wildcard'),
        effects: ['read'],
      },
    ]);
  });
});

describe('isPolicyPublic: aws:SourceIp breadth', () => {
  it.each([
    ['IPv4 /8', '10.0.0.0/8', false],
    ['IPv4 /8 outside RFC 1918', '11.0.0.0/8', false],
    ['IPv4 /7', '10.0.0.0/7', true],
    ['IPv4 /1', '0.0.0.0/1', true],
    ['IPv4 /0', '0.0.0.0/0', true],
    ['IPv4 /24', '203.0.113.0/24', false],
    ['IPv4 single address', '203.0.113.10', false],
    ['IPv4 RFC 1918 /16', '192.168.0.0/16', false],
    ['IPv4 not four-part decimal', '10/8', true],
    ['IPv6 /32', '2001:db8::/32', false],
    ['IPv6 /31', '2001:db8::/31', true],
    ['IPv6 /0', '::/0', true],
    ['IPv6 /64', '2001:db8:1234::/64', false],
    ['IPv6 single address', '2001:db8::1', false],
    ['IPv4-mapped IPv6 covering all IPv4', '::ffff:0:0/96', true],
    ['IPv4-mapped IPv6 /104 (an IPv4 /8)', '::ffff:a00:0/104', false],
    ['not an address', 'somewhere', true],
    ['prefix too long', '10.0.0.0/33', true],
  ])('%s (%s) → public %s', (_name, cidr, expected) => {
    // Prepare
    const document = policy(allowAll(when('IpAddress', 'aws:SourceIp', cidr)));

    // Act
    const result = isPolicyPublic(document);

    // Assess
    expect(result.public).toBe(expected);
    expect(sourceIpBreadthProblem(cidr) !== undefined).toBe(expected);
  });

  it('is public when any one of several ranges is too broad', () => {
    // Prepare
    const document = policy(allowAll(when('IpAddress', 'aws:SourceIp', ['203.0.113.0/24', '0.0.0.0/1'])));

    // Act
    const result = isPolicyPublic(document);

    // Assess
    expect(result.public).toBe(true);
    expect(result.statements[0]?.reason).toContain('"0.0.0.0/1" is broader than /8');
  });

  it('does not count NotIpAddress as a restriction', () => {
    // Prepare
    const document = policy(allowAll(when('NotIpAddress', 'aws:SourceIp', '203.0.113.0/24')));

    // Act
    const result = isPolicyPublic(document);

    // Assess
    expect(result.public).toBe(true);
  });
});

describe('isPolicyPublic: document shape and effects', () => {
  it('reads a single-object Statement', () => {
    // Prepare
    const document = { Version: '2012-10-17', Statement: allowAll({ Sid: 'One' }) };

    // Act
    const result = isPolicyPublic(document);

    // Assess
    expect(result.public).toBe(true);
    expect(result.statements[0]).toMatchObject({ index: 0, sid: 'One' });
  });

  it('never calls a Deny-only policy public', () => {
    // Prepare
    const document = policy(
      { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [BUCKET, OBJECTS] },
      { Effect: 'Deny', NotPrincipal: { AWS: '111122223333' }, Action: 's3:*', Resource: OBJECTS },
    );

    // Act
    const result = isPolicyPublic(document);

    // Assess
    expect(result).toEqual({ public: false, statements: [], notes: [] });
  });

  it('names each public statement by index when it has no Sid', () => {
    // Prepare
    const document = policy(
      allowAll({ Principal: { AWS: '444455556666' } }),
      allowAll({ Action: ['s3:PutObject', 's3:ListBucket'], Resource: [BUCKET, OBJECTS] }),
    );

    // Act
    const result = isPolicyPublic(document);

    // Assess
    expect(result.statements).toEqual([{ index: 1, reason: expect.any(String), effects: ['write', 'list'] }]);
  });

  it('notes cross-account principals that RestrictPublicBuckets would also cut off', () => {
    // Prepare
    const document = policy(allowAll({ Principal: { AWS: 'arn:aws:iam::444455556666:root' } }), allowAll());

    // Act
    const result = isPolicyPublic(document, { bucketAccountId: '111122223333' });

    // Assess
    expect(result.notes).toContain(
      'RestrictPublicBuckets would also block the cross-account access this policy grants to 444455556666',
    );
  });

  it.each([
    ['not an object', 'text'],
    ['no Statement', { Version: '2012-10-17' }],
    ['a Statement that is a number', { Statement: 3 }],
    ['statements that are not objects', { Statement: [1, 'x', null] }],
  ])('treats %s as granting nothing, with a note', (_name, document) => {
    // Act
    const result = isPolicyPublic(document);

    // Assess
    expect(result.public).toBe(false);
    expect(result.notes.length).toBeGreaterThan(0);
  });

  it.each([
    ['s3:GetObject', ['read']],
    ['s3:getobject', ['read']],
    ['s3:ListBucket', ['list']],
    ['s3:PutObject', ['write']],
    ['s3:Get*', ['read', 'other']],
    ['s3:*Object', ['read', 'write', 'other']],
    ['s3:*', ['read', 'write', 'list', 'other']],
    ['*', ['read', 'write', 'list', 'other']],
    ['s3:GetBucketPolicy', ['other']],
  ])('Action %s grants %j', (action, expected) => {
    // Act
    const access = statementAccess({ Action: action });

    // Assess
    expect(access).toEqual(expected);
  });

  it('reads NotAction as everything but the listed actions', () => {
    // Act
    const access = statementAccess({
      NotAction: ['s3:PutObject', 's3:DeleteObject*', 's3:AbortMultipartUpload'],
    });
    const noS3 = statementAccess({ NotAction: 's3:*' });

    // Assess
    expect(access).toEqual(['read', 'list', 'other']);
    expect(noS3).toEqual([]);
  });
});

describe('policy grammar helpers', () => {
  it.each([
    ['*', 'anything', true],
    ['s3:Get*', 's3:GetObject', true],
    ['s3:Get?bject', 's3:GetObject', true],
    ['s3:Get?', 's3:GetObject', false],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
  ])('globMatch(%s, %s) = %s', (pattern, subject, expected) => {
    expect(globMatch(pattern, subject)).toBe(expected);
  });

  it('matches a hostile pattern without backtracking blow-up', () => {
    // Prepare: exponential matching would not finish within the test timeout.
    const pattern = `${'*a'.repeat(40)}b`;
    const subject = 'a'.repeat(5000);

    // Act
    const matched = globMatch(pattern, subject);

    // Assess
    expect(matched).toBe(false);
  });

  it('splits condition operators', () => {
    expect(parseConditionOperator('ForAnyValue:StringEqualsIfExists')).toEqual({
      base: 'stringequals',
      ifExists: true,
      qualifier: 'foranyvalue',
    });
    expect(parseConditionOperator('Bool')).toEqual({ base: 'bool', ifExists: false });
  });

  it('reads Statement as a list or a single object', () => {
    expect(policyStatements({ Statement: { Sid: 'A' } }).statements).toHaveLength(1);
    expect(
      policyStatements({ Statement: [{ Sid: 'A' }, { Sid: 'B' }] }).statements.map((s) => s.sid),
    ).toEqual(['A', 'B']);
  });
});

// ---------------------------------------------------------------- properties

const SEED = 20_250_601;
const RUNS = 400;

const interestingString = fc.constantFrom(
  '*',
  'Allow',
  'Deny',
  's3:*',
  's3:GetObject',
  'vpc-*',
  'vpc-1234',
  '0.0.0.0/0',
  '10.0.0.0/8',
  '::/0',
  '444455556666',
  'arn:aws:iam::444455556666:root',
  `\${aws:username}`,
  'AROAEXAMPLE:*',
  'constructor',
  '__proto__',
);
const scalar = fc.oneof(interestingString, fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
const valueOrList = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }));
const conditionKey = fc.constantFrom(
  'aws:SourceIp',
  'aws:SourceVpc',
  'aws:SourceAccount',
  'aws:userid',
  's3:DataAccessPointArn',
  'aws:PrincipalOrgID',
  'aws:SecureTransport',
  'constructor',
);
const conditionOperator = fc.constantFrom(
  'StringEquals',
  'StringLike',
  'StringNotEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnLike',
  'ForAnyValue:StringEquals',
  'StringEqualsIfExists',
  'Bool',
  'Null',
  '__proto__',
);
const condition = fc.oneof(
  fc.dictionary(conditionOperator, fc.dictionary(conditionKey, valueOrList, { maxKeys: 2 }), { maxKeys: 2 }),
  fc.jsonValue({ maxDepth: 3 }),
);
const principal = fc.oneof(
  fc.constant('*'),
  fc.record({ AWS: valueOrList }, { requiredKeys: [] }),
  fc.record(
    { Service: valueOrList, Federated: valueOrList, CanonicalUser: valueOrList },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 2 }),
);
const statement = fc.record(
  {
    Sid: scalar,
    Effect: fc.oneof(fc.constantFrom('Allow', 'Deny'), scalar),
    Principal: principal,
    NotPrincipal: principal,
    Action: valueOrList,
    NotAction: valueOrList,
    Resource: valueOrList,
    Condition: condition,
  },
  { requiredKeys: [] },
);
const policyLike = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ Version: scalar, Statement: fc.oneof(statement, fc.array(statement, { maxLength: 4 })) }),
  fc.record({ Statement: fc.array(fc.oneof(statement, fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }) }),
);

const UNCONDITIONED_PUBLIC_ALLOW = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' };

describe('isPolicyPublic properties', () => {
  it('never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(policyLike, fc.option(fc.string()), (document, account) => {
        const result = isPolicyPublic(document, account === null ? {} : { bucketAccountId: account });
        expect(result.public).toBe(result.statements.length > 0);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('stays public when an unconditioned Allow to "*" is added', () => {
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 4 }), (statements) => {
        const before = isPolicyPublic({ Statement: statements });
        const after = isPolicyPublic({ Statement: [...statements, UNCONDITIONED_PUBLIC_ALLOW] });
        if (before.public) expect(after.public).toBe(true);
        expect(after.public).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('gives the same verdict for a single-object Statement and a one-element list', () => {
    fc.assert(
      fc.property(statement, (single) => {
        expect(isPolicyPublic({ Statement: single }).public).toBe(
          isPolicyPublic({ Statement: [single] }).public,
        );
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('is never made public by adding Deny statements', () => {
    fc.assert(
      fc.property(
        fc.array(statement, { maxLength: 3 }),
        fc.array(statement, { maxLength: 3 }),
        (base, extra) => {
          const denies = extra.map((s) => ({ ...s, Effect: 'Deny' }));
          const before = isPolicyPublic({ Statement: base });
          const after = isPolicyPublic({ Statement: [...base, ...denies] });
          expect(after.public).toBe(before.public);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
