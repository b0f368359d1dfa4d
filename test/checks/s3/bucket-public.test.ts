import { describe, expect, it } from 'vitest';
import { bucketPublicCheck } from '../../../checks/s3/bucket-public.js';
import type { PublicAccessBlock } from '../../../core/aws-shapes.js';
import type { S3BucketDetails } from '../../../core/types.js';
import {
  ALL_USERS,
  AUTHENTICATED_USERS,
  acl,
  BPA_ALL_ON,
  bpa,
  bucket,
  bucketFacets,
  denied,
  LOG_DELIVERY,
  legacyBucket,
  OWNER_ENFORCED,
  OWNER_PREFERRED,
  policy,
  publicReadStatement,
  TARGET,
} from './fixtures.js';

function run(buckets: S3BucketDetails[], account: PublicAccessBlock | null = null) {
  return bucketPublicCheck.evaluate({
    target: TARGET,
    data: { ...bucketFacets(buckets), 's3.accountPublicAccessBlock': account },
  });
}

function runOne(b: S3BucketDetails, account: PublicAccessBlock | null = null) {
  const [result] = run([b], account);
  if (result === undefined) throw new Error('expected one finding');
  return result;
}

const PUBLIC_POLICY = policy(publicReadStatement('b'));

describe('s3.bucket.public: verdicts', () => {
  it('emits one finding per bucket, keyed by the bucket ARN', () => {
    // Act
    const results = run([bucket('private'), legacyBucket('open', { Acl: acl([ALL_USERS, 'READ']) })]);

    // Assess
    expect(results.map((r) => [r.resourceId, r.status])).toEqual([
      ['arn:aws:s3:::private', 'PASS'],
      ['arn:aws:s3:::open', 'FAIL'],
    ]);
  });

  it.each<[string, S3BucketDetails, PublicAccessBlock | null, 'PASS' | 'FAIL']>([
    // Policies and BPA [§1.1]
    ['a public policy with no BPA', legacyBucket('b', { Policy: PUBLIC_POLICY }), null, 'FAIL'],
    [
      'a public policy with BlockPublicPolicy alone (does not neutralize)',
      legacyBucket('b', { Policy: PUBLIC_POLICY, PublicAccessBlock: bpa({ BlockPublicPolicy: true }) }),
      null,
      'FAIL',
    ],
    [
      'a public policy with RestrictPublicBuckets on the bucket',
      legacyBucket('b', { Policy: PUBLIC_POLICY, PublicAccessBlock: bpa({ RestrictPublicBuckets: true }) }),
      null,
      'PASS',
    ],
    [
      'a public policy with RestrictPublicBuckets on the account',
      legacyBucket('b', { Policy: PUBLIC_POLICY }),
      bpa({ RestrictPublicBuckets: true }),
      'PASS',
    ],
    [
      'a policy restricted by a fixed aws:SourceVpc',
      legacyBucket('b', {
        Policy: policy({
          ...publicReadStatement('b'),
          Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1234' } },
        }),
      }),
      null,
      'PASS',
    ],
    [
      'a policy with StringLike aws:SourceVpc vpc-*',
      legacyBucket('b', {
        Policy: policy({
          ...publicReadStatement('b'),
          Condition: { StringLike: { 'aws:SourceVpc': 'vpc-*' } },
        }),
      }),
      null,
      'FAIL',
    ],
    [
      'a Deny-only policy',
      legacyBucket('b', {
        Policy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }),
      }),
      null,
      'PASS',
    ],
    // ACLs [§1.4, §1.5]
    ['AllUsers READ', legacyBucket('b', { Acl: acl([ALL_USERS, 'READ']) }), null, 'FAIL'],
    [
      'AuthenticatedUsers READ (any AWS account)',
      legacyBucket('b', { Acl: acl([AUTHENTICATED_USERS, 'READ']) }),
      null,
      'FAIL',
    ],
    [
      'AllUsers READ_ACP (any permission counts)',
      legacyBucket('b', { Acl: acl([ALL_USERS, 'READ_ACP']) }),
      null,
      'FAIL',
    ],
    [
      'LogDelivery WRITE (not public)',
      legacyBucket('b', { Acl: acl([LOG_DELIVERY, 'WRITE']) }),
      null,
      'PASS',
    ],
    [
      'AllUsers READ with IgnorePublicAcls on the bucket',
      legacyBucket('b', {
        Acl: acl([ALL_USERS, 'READ']),
        PublicAccessBlock: bpa({ IgnorePublicAcls: true }),
      }),
      null,
      'PASS',
    ],
    [
      'AllUsers READ with IgnorePublicAcls on the account',
      legacyBucket('b', { Acl: acl([ALL_USERS, 'READ']) }),
      bpa({ IgnorePublicAcls: true }),
      'PASS',
    ],
    [
      'AllUsers READ with BlockPublicAcls alone (does not neutralize)',
      legacyBucket('b', { Acl: acl([ALL_USERS, 'READ']), PublicAccessBlock: bpa({ BlockPublicAcls: true }) }),
      null,
      'FAIL',
    ],
    [
      'AllUsers READ with BucketOwnerEnforced',
      legacyBucket('b', { Acl: acl([ALL_USERS, 'READ']), OwnershipControls: OWNER_ENFORCED }),
      null,
      'PASS',
    ],
    [
      'AllUsers READ with BucketOwnerPreferred (ACLs still apply)',
      legacyBucket('b', { Acl: acl([ALL_USERS, 'READ']), OwnershipControls: OWNER_PREFERRED }),
      null,
      'FAIL',
    ],
    [
      'BucketOwnerEnforced and no ACL read (collector skipped it)',
      legacyBucket('b', { Acl: undefined, OwnershipControls: OWNER_ENFORCED }),
      null,
      'PASS',
    ],
    ['a modern private bucket', bucket('b'), null, 'PASS'],
  ])('%s → %s', (_name, b, account, status) => {
    // Act
    const result = runOne(b, account);

    // Assess
    expect(result.status).toBe(status);
  });
});

describe('s3.bucket.public: evidence', () => {
  it('names the public statement and what it allows', () => {
    // Prepare
    const b = legacyBucket('b', {
      Policy: policy(
        {
          Sid: 'Partner',
          Effect: 'Allow',
          Principal: { AWS: '444455556666' },
          Action: 's3:*',
          Resource: '*',
        },
        { Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' },
      ),
    });

    // Act
    const result = runOne(b);

    // Assess
    expect(result.status).toBe('FAIL');
    expect(result.message).toBe(
      'Bucket b is public through its policy (statement 1: read, list); anyone can read, list.',
    );
    expect(result.evidence).toMatchObject({
      allows: ['read', 'list'],
      policy: {
        public: true,
        decidedBy: 'policy evaluator',
        statements: [
          { index: 1, effects: ['read', 'list'], reason: expect.stringContaining('Principal "*"') },
        ],
      },
    });
  });

  it('names the public grant and its permission', () => {
    // Act
    const result = runOne(legacyBucket('b', { Acl: acl([AUTHENTICATED_USERS, 'WRITE']) }));

    // Assess
    expect(result.message).toBe(
      'Bucket b is public through its ACL (AuthenticatedUsers WRITE); anyone can write.',
    );
    expect(result.evidence.acl).toMatchObject({
      aclsDisabled: false,
      publicGrants: [{ grantee: 'AuthenticatedUsers', permission: 'WRITE', access: ['write'] }],
    });
  });

  it('reports both routes when the policy and the ACL are public', () => {
    // Act
    const result = runOne(legacyBucket('b', { Policy: PUBLIC_POLICY, Acl: acl([ALL_USERS, 'READ']) }));

    // Assess
    expect(result.message).toContain('its policy (statement "PublicRead": read) and its ACL (AllUsers READ)');
    expect(result.evidence.allows).toEqual(['read', 'list']);
  });

  it('notes that BlockPublicPolicy did not neutralize an existing policy', () => {
    // Act
    const result = runOne(legacyBucket('b', { Policy: PUBLIC_POLICY }), bpa({ BlockPublicPolicy: true }));

    // Assess
    expect(result.evidence.notes).toEqual([
      'BlockPublicPolicy only refuses new public policies; RestrictPublicBuckets neutralizes this one',
    ]);
  });

  it('records a public policy that RestrictPublicBuckets neutralizes', () => {
    // Act
    const result = runOne(legacyBucket('b', { Policy: PUBLIC_POLICY }), bpa({ RestrictPublicBuckets: true }));

    // Assess
    expect(result.status).toBe('PASS');
    expect(result.evidence.policy).toMatchObject({ public: true, neutralizedBy: 'RestrictPublicBuckets' });
    expect(result.message).toContain('neutralized by RestrictPublicBuckets');
  });

  it('records public grants that IgnorePublicAcls neutralizes', () => {
    // Act
    const result = runOne(
      legacyBucket('b', { Acl: acl([ALL_USERS, 'FULL_CONTROL']) }),
      bpa({ IgnorePublicAcls: true }),
    );

    // Assess
    expect(result.status).toBe('PASS');
    expect(result.evidence.acl).toMatchObject({ neutralizedBy: ['IgnorePublicAcls'] });
    expect(result.evidence.objectAclsInForce).toBe(false);
  });

  it('says object ACLs are in force on a legacy bucket', () => {
    // Act
    const result = runOne(legacyBucket('b'));

    // Assess
    expect(result.status).toBe('PASS');
    expect(result.evidence.objectAclsInForce).toBe(true);
  });
});

describe('s3.bucket.public: GetBucketPolicyStatus as ground truth', () => {
  it('fails on AWS IsPublic true even when the evaluator finds nothing, and says they disagree', () => {
    // Prepare
    const b = legacyBucket('b', {
      Policy: policy({
        ...publicReadStatement('b'),
        Condition: { StringEquals: { 'aws:PrincipalAccount': '444455556666' } },
      }),
      PolicyStatus: { IsPublic: true },
    });

    // Act
    const result = runOne(b);

    // Assess
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('AWS reports it public');
    expect(result.evidence.policy).toMatchObject({
      decidedBy: 'GetBucketPolicyStatus',
      evaluatorDisagrees: true,
    });
  });

  it('passes on AWS IsPublic false and keeps the evaluator statements as evidence', () => {
    // Prepare
    const b = legacyBucket('b', { Policy: PUBLIC_POLICY, PolicyStatus: { IsPublic: false } });

    // Act
    const result = runOne(b);

    // Assess
    expect(result.status).toBe('PASS');
    expect(result.evidence.policy).toMatchObject({
      public: false,
      evaluatorDisagrees: true,
      statements: [{ sid: 'PublicRead' }],
    });
  });

  it('does not mark agreement as disagreement', () => {
    // Act
    const result = runOne(legacyBucket('b', { Policy: PUBLIC_POLICY, PolicyStatus: { IsPublic: true } }));

    // Assess
    expect(result.evidence.policy).not.toHaveProperty('evaluatorDisagrees');
  });

  it('decides from PolicyStatus when the policy document could not be read', () => {
    // Prepare
    const b = legacyBucket('b', {
      Policy: undefined,
      PolicyStatus: { IsPublic: true },
      errors: { Policy: denied('GetBucketPolicy') },
    });

    // Act
    const result = runOne(b);

    // Assess
    expect(result.status).toBe('FAIL');
  });
});

describe('s3.bucket.public: fields that could not be read', () => {
  it('reports ERROR, never PASS, when the policy and its status could not be read', () => {
    // Prepare
    const b = legacyBucket('b', {
      Policy: undefined,
      PolicyStatus: undefined,
      errors: { Policy: denied('GetBucketPolicy'), PolicyStatus: denied('GetBucketPolicyStatus') },
    });

    // Act
    const result = runOne(b);

    // Assess
    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('GetBucketPolicy failed (AccessDenied: Access Denied)');
  });

  it('reports ERROR when the ACL could not be read and ACLs are in force', () => {
    // Act
    const result = runOne(legacyBucket('b', { Acl: undefined, errors: { Acl: denied('GetBucketAcl') } }));

    // Assess
    expect(result.status).toBe('ERROR');
    expect(result.evidence.unavailable).toEqual([
      expect.objectContaining({ field: 'Acl', reason: 'GetBucketAcl failed (AccessDenied: Access Denied)' }),
    ]);
  });

  it('reports ERROR when the ACL was not collected and ACLs are in force', () => {
    // Act
    const result = runOne(legacyBucket('b', { Acl: undefined }));

    // Assess
    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('Acl was not collected');
  });

  it('does not need the ACL when IgnorePublicAcls is on for the account', () => {
    // Act
    const result = runOne(
      legacyBucket('b', { Acl: undefined, errors: { Acl: denied('GetBucketAcl') } }),
      BPA_ALL_ON,
    );

    // Assess
    expect(result.status).toBe('PASS');
  });

  it('reports ERROR when the bucket BPA could not be read and a public ACL depends on it', () => {
    // Prepare
    const b = legacyBucket('b', {
      Acl: acl([ALL_USERS, 'READ']),
      PublicAccessBlock: undefined,
      errors: { PublicAccessBlock: denied('GetPublicAccessBlock') },
    });

    // Act
    const result = runOne(b);

    // Assess
    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('GetPublicAccessBlock failed');
  });

  it('still fails a bucket that is public through one route when another could not be read', () => {
    // Prepare
    const b = legacyBucket('b', {
      Policy: PUBLIC_POLICY,
      Acl: undefined,
      errors: { Acl: denied('GetBucketAcl') },
    });

    // Act
    const result = runOne(b);

    // Assess
    expect(result.status).toBe('FAIL');
    expect(result.evidence.unavailable).toEqual([expect.objectContaining({ field: 'Acl' })]);
  });

  it('reports ERROR when OwnershipControls could not be read and the ACL is public', () => {
    // Prepare
    const b = legacyBucket('b', {
      Acl: acl([ALL_USERS, 'READ']),
      OwnershipControls: undefined,
      errors: { OwnershipControls: denied('GetBucketOwnershipControls') },
    });

    // Act
    const result = runOne(b);

    // Assess
    expect(result.status).toBe('ERROR');
  });

  it('falls back to the evaluator when only PolicyStatus failed, and says so', () => {
    // Prepare
    const b = legacyBucket('b', {
      Policy: PUBLIC_POLICY,
      PolicyStatus: undefined,
      errors: { PolicyStatus: denied('GetBucketPolicyStatus') },
    });

    // Act
    const result = runOne(b);

    // Assess
    expect(result.status).toBe('FAIL');
    expect(result.evidence.policy).toMatchObject({
      decidedBy: 'policy evaluator',
      policyStatusUnavailable: 'GetBucketPolicyStatus failed (AccessDenied: Access Denied)',
    });
  });
});

describe('s3.bucket.public: no policy', () => {
  it.each<[string, Partial<S3BucketDetails>]>([
    ['Policy null', { Policy: null }],
    [
      'PolicyStatus null (NoSuchBucketPolicy) and no document collected',
      { Policy: undefined, PolicyStatus: null },
    ],
  ])('passes with %s', (_name, overrides) => {
    // Act
    const result = runOne(legacyBucket('b', overrides));

    // Assess
    expect(result.status).toBe('PASS');
    expect(result.evidence.policy).toEqual({ present: false, public: false });
  });

  it('trusts the policy document over a contradictory NoSuchBucketPolicy status', () => {
    // Act
    const result = runOne(legacyBucket('b', { Policy: PUBLIC_POLICY, PolicyStatus: null }));

    // Assess
    expect(result.status).toBe('FAIL');
  });
});
