import { describe, expect, it } from 'vitest';
import {
  ALL_USERS_URI,
  AUTHENTICATED_USERS_URI,
  aclPermissionAccess,
  publicAclGrants,
  publicGroupOf,
} from '../../../checks/lib/s3-acl.js';
import type { BucketAcl } from '../../../core/aws-shapes.js';

const LOG_DELIVERY_URI = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
const OWNER_ID = 'a'.repeat(64);

function acl(...grants: Array<{ uri?: string; id?: string; permission?: string }>): BucketAcl {
  return {
    Owner: { ID: OWNER_ID },
    Grants: grants.map((g) => ({
      Grantee:
        g.uri === undefined ? { Type: 'CanonicalUser', ID: g.id ?? OWNER_ID } : { Type: 'Group', URI: g.uri },
      ...(g.permission === undefined ? {} : { Permission: g.permission }),
    })),
  };
}

describe('publicAclGrants', () => {
  it.each<[string, { uri: string; permission?: string }, string, string[]]>([
    ['AllUsers READ (public-read)', { uri: ALL_USERS_URI, permission: 'READ' }, 'AllUsers', ['list']],
    ['AllUsers WRITE', { uri: ALL_USERS_URI, permission: 'WRITE' }, 'AllUsers', ['write']],
    ['AllUsers READ_ACP', { uri: ALL_USERS_URI, permission: 'READ_ACP' }, 'AllUsers', ['read-acp']],
    ['AllUsers WRITE_ACP', { uri: ALL_USERS_URI, permission: 'WRITE_ACP' }, 'AllUsers', ['write-acp']],
    [
      'AuthenticatedUsers FULL_CONTROL',
      { uri: AUTHENTICATED_USERS_URI, permission: 'FULL_CONTROL' },
      'AuthenticatedUsers',
      ['full-control', 'list', 'write', 'read-acp', 'write-acp'],
    ],
    [
      'AuthenticatedUsers READ (authenticated-read)',
      { uri: AUTHENTICATED_USERS_URI, permission: 'READ' },
      'AuthenticatedUsers',
      ['list'],
    ],
    ['AllUsers with no permission', { uri: ALL_USERS_URI }, 'AllUsers', ['unknown']],
  ])('%s is a public grant', (_name, grant, grantee, access) => {
    // Act
    const grants = publicAclGrants(acl({ id: OWNER_ID, permission: 'FULL_CONTROL' }, grant));

    // Assess
    expect(grants).toEqual([
      { index: 1, grantee, uri: grant.uri, permission: grant.permission ?? '', access },
    ]);
  });

  it.each([
    ['the LogDelivery group', { uri: LOG_DELIVERY_URI, permission: 'WRITE' }],
    ['the owner', { id: OWNER_ID, permission: 'FULL_CONTROL' }],
    ['another account', { id: 'b'.repeat(64), permission: 'READ' }],
  ])('%s is not public', (_name, grant) => {
    // Act
    const grants = publicAclGrants(acl(grant));

    // Assess
    expect(grants).toEqual([]);
  });

  it('reads no grants from a missing ACL', () => {
    expect(publicAclGrants(null)).toEqual([]);
    expect(publicAclGrants(undefined)).toEqual([]);
    expect(publicAclGrants({})).toEqual([]);
  });

  it('maps READ on an object to read', () => {
    expect(aclPermissionAccess('READ', 'object')).toEqual(['read']);
    expect(aclPermissionAccess('READ', 'bucket')).toEqual(['list']);
  });

  it.each([
    ['https://acs.amazonaws.com/groups/global/AllUsers', 'AllUsers'],
    ['http://acs.amazonaws.com/groups/global/allusers/', 'AllUsers'],
    ['http://acs.amazonaws.com/groups/global/AuthenticatedUsers', 'AuthenticatedUsers'],
    [LOG_DELIVERY_URI, undefined],
    [undefined, undefined],
  ])('publicGroupOf(%s) = %s', (uri, expected) => {
    expect(publicGroupOf(uri)).toBe(expected);
  });
});
