/**
 * Bucket ACL analysis [AWS-SEMANTICS §1.4]: a grant is public when its grantee is the AllUsers
 * group (anyone) or the AuthenticatedUsers group (any AWS account in the world), whatever the
 * permission, READ_ACP included. The LogDelivery group and named accounts are not public.
 */
import type { BucketAcl } from '../../core/aws-shapes.js';

export const ALL_USERS_URI = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS_URI = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

export type PublicGroup = 'AllUsers' | 'AuthenticatedUsers';

/** What a grant allows. `unknown` is a permission AWS does not define (still public). */
export type AclAccess = 'read' | 'write' | 'list' | 'read-acp' | 'write-acp' | 'full-control' | 'unknown';

export interface PublicAclGrant {
  /** Position in the ACL's `Grants`. */
  readonly index: number;
  readonly grantee: PublicGroup;
  readonly uri: string;
  /** The permission as AWS wrote it (`READ`, `WRITE`, `READ_ACP`, `WRITE_ACP`, `FULL_CONTROL`). */
  readonly permission: string;
  readonly access: readonly AclAccess[];
}

/** Which group a grantee URI names; scheme and case are not significant. */
export function publicGroupOf(uri: string | undefined): PublicGroup | undefined {
  if (uri === undefined) return undefined;
  const path = uri
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  if (path === 'acs.amazonaws.com/groups/global/allusers') return 'AllUsers';
  if (path === 'acs.amazonaws.com/groups/global/authenticatedusers') return 'AuthenticatedUsers';
  return undefined;
}

/**
 * What an ACL permission allows. On a bucket, READ lists the objects and WRITE creates,
 * overwrites and deletes them [S3-ACL]; on an object, READ reads its data and WRITE is not
 * applicable. FULL_CONTROL is every permission.
 */
export function aclPermissionAccess(permission: string, on: 'bucket' | 'object' = 'bucket'): AclAccess[] {
  switch (permission.toUpperCase()) {
    case 'READ':
      return [on === 'bucket' ? 'list' : 'read'];
    case 'WRITE':
      return ['write'];
    case 'READ_ACP':
      return ['read-acp'];
    case 'WRITE_ACP':
      return ['write-acp'];
    case 'FULL_CONTROL':
      return on === 'bucket'
        ? ['full-control', 'list', 'write', 'read-acp', 'write-acp']
        : ['full-control', 'read', 'read-acp', 'write-acp'];
    default:
      return ['unknown'];
  }
}

/** The grants of an ACL that give the public access, with what each allows. */
export function publicAclGrants(
  acl: BucketAcl | null | undefined,
  on: 'bucket' | 'object' = 'bucket',
): PublicAclGrant[] {
  const grants: PublicAclGrant[] = [];
  (acl?.Grants ?? []).forEach((grant, index) => {
    const uri = grant.Grantee?.URI;
    const grantee = publicGroupOf(uri);
    if (grantee === undefined || uri === undefined) return;
    const permission = grant.Permission ?? '';
    grants.push({ index, grantee, uri, permission, access: aclPermissionAccess(permission, on) });
  });
  return grants;
}
