/**
 * No bucket is effectively public [AWS-SEMANTICS §1.3–§1.6]: public through a policy that
 * RestrictPublicBuckets does not neutralize, or through an ACL grant to AllUsers or
 * AuthenticatedUsers that neither IgnorePublicAcls nor BucketOwnerEnforced neutralizes.
 * BlockPublicPolicy and BlockPublicAcls never count: they only refuse new grants.
 *
 * "Is the policy public" is AWS's GetBucketPolicyStatus answer when the collector has it, else
 * the evaluator's; the evaluator's statements are the explanation either way. A verdict needs
 * only the fields that can change it: a failed ACL read does not matter when IgnorePublicAcls
 * is in effect, and a public policy with RestrictPublicBuckets off is FAIL even if the ACL could
 * not be read. A field that could change the verdict and could not be read makes it ERROR.
 */
import type { PublicAccessBlock } from '../../core/aws-shapes.js';
import type { Check, CheckResult, S3BucketDetails } from '../../core/types.js';
import { bucketArn } from '../lib/arn.js';
import { type AclAccess, type PublicAclGrant, publicAclGrants } from '../lib/s3-acl.js';
import {
  aclsDisabled,
  BLOCK_PUBLIC_ACCESS_FLAGS,
  type BlockPublicAccessFlag,
  blockPublicAccessFlags,
} from '../lib/s3-block-public-access.js';
import {
  type BucketFieldName,
  bucketDetailsFromFacets,
  bucketField,
  describeUnavailable,
  type UnavailableField,
  unavailableField,
} from '../lib/s3-bucket-fields.js';
import { isPolicyPublic, type PolicyAccess, type PolicyPublicity, statementLabel } from '../lib/s3-policy.js';

/** `undefined`: could not be told from what was collected. */
type Known = boolean | undefined;

type Access = 'read' | 'write' | 'list';

const ACL_TO_ACCESS: Readonly<Record<AclAccess, readonly Access[]>> = {
  read: ['read'],
  list: ['list'],
  write: ['write'],
  'full-control': ['list', 'write'],
  'read-acp': [],
  'write-acp': [],
  unknown: [],
};

function isAccess(effect: PolicyAccess): effect is Access {
  return effect !== 'other';
}

function known(value: Known): boolean | 'unknown' {
  return value === undefined ? 'unknown' : value;
}

interface PolicyVerdict {
  readonly exposed: Known;
  readonly blockers: readonly UnavailableField[];
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly access: readonly Access[];
  readonly summary: string;
}

interface AclVerdict extends PolicyVerdict {
  readonly aclsDisabled: Known;
}

function describeGrant(grant: PublicAclGrant): string {
  return `${grant.grantee} ${grant.permission || '(no permission)'}`;
}

function policyVerdict(
  bucket: S3BucketDetails,
  restrictPublicBuckets: Known,
  pabUnavailable: UnavailableField | undefined,
  accountId: string,
): PolicyVerdict {
  const policyRead = bucketField(bucket, 'Policy');
  const statusRead = bucketField(bucket, 'PolicyStatus');
  const evaluation: PolicyPublicity | null | undefined =
    policyRead.state !== 'value'
      ? undefined
      : policyRead.value === null
        ? null
        : isPolicyPublic(policyRead.value, { bucketAccountId: accountId });
  // NoSuchBucketPolicy from GetBucketPolicyStatus means "no policy": trusted only when the
  // policy document does not say otherwise.
  const awsIsPublic: Known =
    statusRead.state !== 'value'
      ? undefined
      : statusRead.value === null
        ? evaluation
          ? undefined
          : false
        : typeof statusRead.value.IsPublic === 'boolean'
          ? statusRead.value.IsPublic
          : undefined;
  const evaluatorIsPublic: Known = evaluation === undefined ? undefined : (evaluation?.public ?? false);
  const isPublic: Known = awsIsPublic ?? evaluatorIsPublic;

  const noPolicy =
    evaluation === null ||
    (evaluation === undefined && statusRead.state === 'value' && statusRead.value === null);
  const evidence: Record<string, unknown> = noPolicy
    ? { present: false, public: false }
    : {
        present: policyRead.state === 'value' ? true : 'unknown',
        public: known(isPublic),
        decidedBy: awsIsPublic !== undefined ? 'GetBucketPolicyStatus' : 'policy evaluator',
      };
  if (evaluation) {
    evidence.statements = evaluation.statements;
    if (evaluation.notes.length > 0) evidence.notes = evaluation.notes;
  }
  if (awsIsPublic !== undefined && evaluatorIsPublic !== undefined && awsIsPublic !== evaluatorIsPublic) {
    evidence.evaluatorDisagrees = true;
  }
  if (statusRead.state === 'error') {
    evidence.policyStatusUnavailable = unavailableField('PolicyStatus', statusRead).reason;
  }
  const access = evaluation
    ? [...new Set(evaluation.statements.flatMap((s) => s.effects))].filter(isAccess)
    : [];
  const statementSummary = evaluation?.statements.length
    ? evaluation.statements
        .map((s) => `${statementLabel(s)}: ${s.effects.join(', ') || 'no S3 access'}`)
        .join('; ')
    : 'AWS reports it public';

  if (isPublic === false) {
    const summary = noPolicy ? 'it has no bucket policy' : 'its policy is not public';
    return { exposed: false, blockers: [], evidence, access: [], summary };
  }
  if (restrictPublicBuckets === true) {
    evidence.neutralizedBy = 'RestrictPublicBuckets';
    const summary =
      isPublic === true
        ? `its public policy (${statementSummary}) is neutralized by RestrictPublicBuckets`
        : 'RestrictPublicBuckets neutralizes any public policy';
    return { exposed: false, blockers: [], evidence, access: [], summary };
  }
  const blockers: UnavailableField[] = [];
  if (isPublic === undefined) {
    if (policyRead.state !== 'value') blockers.push(unavailableField('Policy', policyRead));
    // PolicyStatus is optional ground truth: only its failure is worth naming.
    if (statusRead.state === 'error') blockers.push(unavailableField('PolicyStatus', statusRead));
  }
  if (restrictPublicBuckets === undefined && pabUnavailable !== undefined) blockers.push(pabUnavailable);
  if (isPublic === true && restrictPublicBuckets === false) {
    return { exposed: true, blockers: [], evidence, access, summary: `its policy (${statementSummary})` };
  }
  return { exposed: undefined, blockers, evidence, access, summary: 'its policy could not be assessed' };
}

function aclVerdict(
  bucket: S3BucketDetails,
  ignorePublicAcls: Known,
  pabUnavailable: UnavailableField | undefined,
): AclVerdict {
  const ownershipRead = bucketField(bucket, 'OwnershipControls');
  const disabled: Known = ownershipRead.state === 'value' ? aclsDisabled(ownershipRead.value) : undefined;
  const aclRead = bucketField(bucket, 'Acl');
  const grants = aclRead.state === 'value' ? publicAclGrants(aclRead.value) : undefined;
  const evidence: Record<string, unknown> = {
    aclsDisabled: known(disabled),
    publicGrants: grants ?? (aclRead.state === 'error' ? 'unavailable' : 'not collected'),
  };
  const access = [...new Set((grants ?? []).flatMap((g) => g.access.flatMap((a) => ACL_TO_ACCESS[a])))];
  const grantSummary = (grants ?? []).map(describeGrant).join(', ');

  const neutralizedBy = [
    ...(disabled === true ? ['BucketOwnerEnforced'] : []),
    ...(ignorePublicAcls === true ? ['IgnorePublicAcls'] : []),
  ];
  if (neutralizedBy.length > 0) {
    evidence.neutralizedBy = neutralizedBy;
    const summary =
      grants !== undefined && grants.length > 0
        ? `its public ACL grants (${grantSummary}) are neutralized by ${neutralizedBy.join(' and ')}`
        : disabled === true
          ? 'ACLs are disabled (BucketOwnerEnforced)'
          : 'IgnorePublicAcls neutralizes any public ACL';
    return { exposed: false, aclsDisabled: disabled, blockers: [], evidence, access: [], summary };
  }
  if (grants !== undefined && grants.length === 0) {
    const summary = 'its ACL grants nothing to the public';
    return { exposed: false, aclsDisabled: disabled, blockers: [], evidence, access: [], summary };
  }
  if (grants !== undefined && disabled === false && ignorePublicAcls === false) {
    const summary = `its ACL (${grantSummary})`;
    return { exposed: true, aclsDisabled: disabled, blockers: [], evidence, access, summary };
  }
  const blockers: UnavailableField[] = [];
  if (aclRead.state !== 'value') blockers.push(unavailableField('Acl', aclRead));
  if (ownershipRead.state !== 'value') blockers.push(unavailableField('OwnershipControls', ownershipRead));
  if (ignorePublicAcls === undefined && pabUnavailable !== undefined) blockers.push(pabUnavailable);
  const summary = 'its ACL could not be assessed';
  return { exposed: undefined, aclsDisabled: disabled, blockers, evidence, access, summary };
}

function uniqueByField(fields: readonly UnavailableField[]): UnavailableField[] {
  const byField = new Map<BucketFieldName, UnavailableField>();
  for (const field of fields) if (!byField.has(field.field)) byField.set(field.field, field);
  return [...byField.values()];
}

function evaluateBucket(
  bucket: S3BucketDetails,
  account: PublicAccessBlock | null,
  accountId: string,
): CheckResult {
  const resourceId = bucketArn(bucket.Name);
  const accountFlags = blockPublicAccessFlags(account);
  const pabRead = bucketField(bucket, 'PublicAccessBlock');
  const bucketFlags = pabRead.state === 'value' ? blockPublicAccessFlags(pabRead.value) : undefined;
  const pabUnavailable =
    pabRead.state === 'value' ? undefined : unavailableField('PublicAccessBlock', pabRead);
  const flag = (name: BlockPublicAccessFlag): Known => (accountFlags[name] ? true : bucketFlags?.[name]);
  const effective = Object.fromEntries(BLOCK_PUBLIC_ACCESS_FLAGS.map((name) => [name, known(flag(name))]));

  const policy = policyVerdict(bucket, flag('RestrictPublicBuckets'), pabUnavailable, accountId);
  const acl = aclVerdict(bucket, flag('IgnorePublicAcls'), pabUnavailable);
  const allows = (['read', 'write', 'list'] as const).filter(
    (a) =>
      (policy.exposed === true && policy.access.includes(a)) ||
      (acl.exposed === true && acl.access.includes(a)),
  );
  const notes: string[] = [];
  if (policy.exposed === true && flag('BlockPublicPolicy') === true) {
    notes.push(
      'BlockPublicPolicy only refuses new public policies; RestrictPublicBuckets neutralizes this one',
    );
  }
  if (acl.exposed === true && flag('BlockPublicAcls') === true) {
    notes.push('BlockPublicAcls only refuses new public ACLs; IgnorePublicAcls neutralizes these grants');
  }
  const ignorePublicAcls = flag('IgnorePublicAcls');
  // Object ACLs are not enumerated; they can grant public access whenever ACLs are in force.
  const objectAclsInForce: Known =
    acl.aclsDisabled === true || ignorePublicAcls === true
      ? false
      : acl.aclsDisabled === false && ignorePublicAcls === false
        ? true
        : undefined;
  const unavailable = uniqueByField([...policy.blockers, ...acl.blockers]);
  const evidence: Record<string, unknown> = {
    effectiveBlockPublicAccess: effective,
    accountBlockPublicAccess: accountFlags,
    bucketBlockPublicAccess:
      pabRead.state !== 'value' ? 'unavailable' : pabRead.value === null ? null : bucketFlags,
    policy: policy.evidence,
    acl: acl.evidence,
    allows,
    objectAclsInForce: known(objectAclsInForce),
  };
  if (notes.length > 0) evidence.notes = notes;
  if (unavailable.length > 0) evidence.unavailable = unavailable;

  if (policy.exposed === true || acl.exposed === true) {
    const through = [policy, acl].filter((v) => v.exposed === true).map((v) => v.summary);
    const what = allows.length > 0 ? `; anyone can ${allows.join(', ')}` : '';
    return {
      status: 'FAIL',
      resourceId,
      message: `Bucket ${bucket.Name} is public through ${through.join(' and ')}${what}.`,
      evidence,
    };
  }
  if (policy.exposed === undefined || acl.exposed === undefined) {
    return {
      status: 'ERROR',
      resourceId,
      message: `Could not tell whether bucket ${bucket.Name} is public: ${describeUnavailable(unavailable)}.`,
      evidence,
    };
  }
  return {
    status: 'PASS',
    resourceId,
    message: `Bucket ${bucket.Name} is not public: ${policy.summary}, and ${acl.summary}.`,
    evidence,
  };
}

export const bucketPublicCheck = {
  id: 's3.bucket.public',
  title: 'S3 buckets are not publicly accessible through their policy or ACL',
  severity: 'critical',
  resourceType: 'AwsS3Bucket',
  scope: 'global',
  needs: [
    's3.bucketList',
    's3.bucketPolicies',
    's3.bucketPolicyStatus',
    's3.bucketPublicAccessBlock',
    's3.bucketOwnershipControls',
    's3.bucketAcls',
    's3.accountPublicAccessBlock',
  ],
  frameworks: {
    fsbp: ['S3.2', 'S3.3'],
    hipaa: ['164.312(a)(1)', '164.312(c)(1)'],
    gdpr: ['Art.5(1)(f)', 'Art.32(1)(b)'],
    ferpa: ['99.30', '99.31(a)(1)(ii)'],
  },
  remediation: {
    text:
      'Remove the public statements from the bucket policy and the AllUsers and AuthenticatedUsers grants from ' +
      'the ACL, set Object Ownership to BucketOwnerEnforced, and turn on Block Public Access ' +
      '(RestrictPublicBuckets and IgnorePublicAcls neutralize what is already public). Serve public content ' +
      'through CloudFront with origin access control instead.',
    console:
      'Amazon S3 console > Buckets > <bucket> > Permissions (Block public access, Bucket policy, Object Ownership, ACL)',
    cli:
      'aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration ' +
      'BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
  },
  evaluate({ target, data }): CheckResult[] {
    const account = data['s3.accountPublicAccessBlock'];
    return bucketDetailsFromFacets({
      buckets: data['s3.bucketList'],
      policies: data['s3.bucketPolicies'],
      policyStatus: data['s3.bucketPolicyStatus'],
      publicAccessBlock: data['s3.bucketPublicAccessBlock'],
      ownershipControls: data['s3.bucketOwnershipControls'],
      acls: data['s3.bucketAcls'],
    }).map((bucket) => evaluateBucket(bucket, account, target.accountId));
  },
} satisfies Check<
  | 's3.bucketList'
  | 's3.bucketPolicies'
  | 's3.bucketPolicyStatus'
  | 's3.bucketPublicAccessBlock'
  | 's3.bucketOwnershipControls'
  | 's3.bucketAcls'
  | 's3.accountPublicAccessBlock'
>;
