/**
 * S3's answers as XML, and what S3 and S3 Control share: how they say each fault, and the
 * canonical user id that names an account in ACLs. Element names and nesting follow the SDK's
 * own schemas (`@aws-sdk/client-s3` schemas_0), and the tests read every answer back through
 * the real SDK.
 */
import { createHash } from 'node:crypto';
import type { BucketAcl, Grant, PublicAccessBlock } from '../../core/aws-shapes.js';
import { AwsError, type FaultDialect } from '../aws-error.js';
import type { EstateBucket } from '../estate.js';
import { element, escapeXml, list, shapeToXml, struct, textElement, type XmlShape } from '../xml.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** S3 says throttling `SlowDown` (503) and an unsubscribed account `NotSignedUp`. */
export const S3_DIALECT: FaultDialect = {
  AccessDenied: ['AccessDenied', 403],
  UnauthorizedOperation: ['AccessDenied', 403],
  AuthFailure: ['InvalidAccessKeyId', 403],
  OptInRequired: ['NotSignedUp', 403],
  Throttling: ['SlowDown', 503],
  RequestLimitExceeded: ['SlowDown', 503],
  InternalError: ['InternalError', 500],
  ServiceUnavailable: ['ServiceUnavailable', 503],
};

export const S3_PAGING_CODES = { maxResults: 'InvalidArgument', nextToken: 'InvalidArgument' } as const;

export function unknownS3Credentials(): AwsError {
  return new AwsError(
    'InvalidAccessKeyId',
    'The AWS Access Key Id you provided does not exist in our records.',
    403,
  );
}

/** 64 hex digits derived from the account, so every answer names the owner the same way. */
export function canonicalUserId(accountId: string): string {
  return createHash('sha256').update(`canonical-user:${accountId}`).digest('hex');
}

/** A document element in S3's namespace. */
export function s3Document(name: string, content: string, xmlns = S3_XMLNS): string {
  return content === '' ? `<${name} xmlns="${xmlns}"/>` : `<${name} xmlns="${xmlns}">${content}</${name}>`;
}

const LISTED_BUCKET: XmlShape = { Name: 'Name', CreationDate: 'CreationDate', BucketRegion: 'BucketRegion' };

export function bucketsXml(buckets: ReadonlyArray<Record<string, string | undefined>>): string {
  return shapeToXml({ Buckets: buckets }, { Buckets: list('Buckets', LISTED_BUCKET, 'Bucket') }, 'Bucket');
}

export function ownerXml(owner: {
  readonly ID?: string | undefined;
  readonly DisplayName?: string | undefined;
}): string {
  return element('Owner', shapeToXml(owner, { DisplayName: 'DisplayName', ID: 'ID' }, 'Owner'));
}

/** An absent ACL is a new bucket's: its owner alone, with FULL_CONTROL. */
export function effectiveAcl(bucket: EstateBucket, ownerAccountId: string): BucketAcl {
  if (bucket.Acl !== undefined) return bucket.Acl;
  const owner = canonicalUserId(ownerAccountId);
  return {
    Owner: { ID: owner },
    Grants: [{ Grantee: { Type: 'CanonicalUser', ID: owner }, Permission: 'FULL_CONTROL' }],
  };
}

export function aclXml(acl: BucketAcl, ownerAccountId: string): string {
  const owner = acl.Owner ?? { ID: canonicalUserId(ownerAccountId) };
  const grants = (acl.Grants ?? []).map(grantXml).join('');
  return s3Document('AccessControlPolicy', ownerXml(owner) + element('AccessControlList', grants));
}

/**
 * `<Grantee xsi:type="Group">`: the grantee's type travels as an XML attribute, which the SDK
 * reads back as `Grantee.Type`. A grantee without a Type gets the one its fields imply.
 */
function grantXml(grant: Grant): string {
  let out = '';
  if (grant.Grantee !== undefined) {
    const { Type, ...fields } = grant.Grantee;
    const type = Type ?? granteeType(grant.Grantee);
    const content = shapeToXml(
      fields,
      { ID: 'ID', DisplayName: 'DisplayName', EmailAddress: 'EmailAddress', URI: 'URI' },
      'Grantee',
    );
    const typeAttribute = type === undefined ? '' : ` xsi:type="${escapeXml(type)}"`;
    out += `<Grantee xmlns:xsi="${XSI}"${typeAttribute}>${content}</Grantee>`;
  }
  if (grant.Permission !== undefined) out += textElement('Permission', grant.Permission);
  return element('Grant', out);
}

function granteeType(grantee: NonNullable<Grant['Grantee']>): string | undefined {
  if (grantee.URI !== undefined) return 'Group';
  if (grantee.ID !== undefined) return 'CanonicalUser';
  if (grantee.EmailAddress !== undefined) return 'AmazonCustomerByEmail';
  return undefined;
}

/** AWS writes all four settings; one the estate leaves out is off. */
export function publicAccessBlockXml(config: PublicAccessBlock, xmlns = S3_XMLNS): string {
  const content =
    textElement('BlockPublicAcls', config.BlockPublicAcls ?? false) +
    textElement('IgnorePublicAcls', config.IgnorePublicAcls ?? false) +
    textElement('BlockPublicPolicy', config.BlockPublicPolicy ?? false) +
    textElement('RestrictPublicBuckets', config.RestrictPublicBuckets ?? false);
  return s3Document('PublicAccessBlockConfiguration', content, xmlns);
}

const ENCRYPTION_RULE: XmlShape = {
  ApplyServerSideEncryptionByDefault: struct('ApplyServerSideEncryptionByDefault', {
    SSEAlgorithm: 'SSEAlgorithm',
    KMSMasterKeyID: 'KMSMasterKeyID',
  }),
  BucketKeyEnabled: 'BucketKeyEnabled',
};

/** OwnershipControls and ServerSideEncryptionConfiguration list their rules flat: `<Rule>` after `<Rule>`. */
export function flatRulesXml(name: string, rules: readonly object[], rule: XmlShape): string {
  return s3Document(name, rules.map((item) => element('Rule', shapeToXml(item, rule, 'Rule'))).join(''));
}

export const ownershipControlsXml = (rules: readonly object[]) =>
  flatRulesXml('OwnershipControls', rules, { ObjectOwnership: 'ObjectOwnership' });

export const encryptionXml = (rules: readonly object[]) =>
  flatRulesXml('ServerSideEncryptionConfiguration', rules, ENCRYPTION_RULE);

/** `MFADelete` is written `<MfaDelete>`; a bucket that never had versioning answers an empty document. */
export function versioningXml(versioning: EstateBucket['Versioning']): string {
  const content =
    versioning === null ? '' : shapeToXml(versioning, { Status: 'Status', MFADelete: 'MfaDelete' }, 'item');
  return s3Document('VersioningConfiguration', content);
}
