import { describe, expect, it } from 'vitest';
import {
  bucketAclFromItem,
  bucketPolicyFromItem,
  bucketPublicAccessBlockFromItem,
  EC2_FROM_CONFIG,
  prefixListsFromItems,
  recorderState,
  records,
  type SelectedItem,
} from '../../../inventory/config/items.js';

function item(resourceType: string, configuration: unknown): SelectedItem {
  return {
    accountId: '111111111111',
    awsRegion: 'eu-west-1',
    resourceType,
    resourceId: 'id-1',
    configuration,
  };
}

describe('AWS Config items in the shapes of the services’ APIs', () => {
  it('reads a security group rule’s IPv4 ranges from ipv4Ranges, not the bare ipRanges strings', () => {
    // Arrange
    const group = item('AWS::EC2::SecurityGroup', {
      groupId: 'sg-1',
      ipPermissions: [
        {
          ipProtocol: 'tcp',
          fromPort: 22,
          toPort: 22,
          ipRanges: ['0.0.0.0/0'],
          ipv4Ranges: [{ cidrIp: '0.0.0.0/0', description: 'ssh' }],
          ipv6Ranges: [{ cidrIpv6: '::/0' }],
          prefixListIds: [{ prefixListId: 'pl-1' }],
          userIdGroupPairs: [],
        },
      ],
      ipPermissionsEgress: [],
    });

    // Act
    const [converted] = EC2_FROM_CONFIG['ec2.securityGroups'].convert([group]);

    // Assess
    expect(converted?.IpPermissions?.[0]).toMatchObject({
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }],
      Ipv6Ranges: [{ CidrIpv6: '::/0' }],
      PrefixListIds: [{ PrefixListId: 'pl-1' }],
    });
  });

  it('falls back to the bare ipRanges strings when a rule has no ipv4Ranges', () => {
    const group = item('AWS::EC2::SecurityGroup', {
      groupId: 'sg-1',
      ipPermissions: [{ ipProtocol: '-1', ipRanges: ['10.0.0.0/8'] }],
    });
    const [converted] = EC2_FROM_CONFIG['ec2.securityGroups'].convert([group]);
    expect(converted?.IpPermissions?.[0]?.IpRanges).toEqual([{ CidrIp: '10.0.0.0/8' }]);
  });

  it('reads a volume’s state from state.value', () => {
    const volume = item('AWS::EC2::Volume', {
      volumeId: 'vol-1',
      encrypted: false,
      state: { value: 'in-use' },
      attachments: [{ instanceId: 'i-1', state: 'attached' }],
    });
    const [converted] = EC2_FROM_CONFIG['ec2.volumes'].convert([volume]);
    expect(converted).toMatchObject({ VolumeId: 'vol-1', Encrypted: false, State: 'in-use' });
  });

  it('refuses an item whose fields have the wrong type, naming it', () => {
    const volume = item('AWS::EC2::Volume', { volumeId: 'vol-1', encrypted: 'no' });
    expect(() => EC2_FROM_CONFIG['ec2.volumes'].convert([volume])).toThrow(/AWS::EC2::Volume id-1/);
  });

  it('keeps a prefix list’s CloudFormation-style fields and entries', () => {
    const list = item('AWS::EC2::PrefixList', {
      PrefixListId: 'pl-2',
      PrefixListName: 'office',
      AddressFamily: 'IPv4',
      MaxEntries: 5,
      Entries: [{ Cidr: '198.51.100.0/24', Description: 'hq' }],
    });
    expect(prefixListsFromItems([list])).toEqual([
      expect.objectContaining({
        PrefixListId: 'pl-2',
        Entries: [{ Cidr: '198.51.100.0/24', Description: 'hq' }],
      }),
    ]);
  });
});

describe('S3 supplementary configuration', () => {
  const acl = {
    grantSet: null,
    grantList: [
      { grantee: { id: 'owner-canonical-id', displayName: null }, permission: 'FullControl' },
      { grantee: 'AllUsers', permission: 'Read' },
      { grantee: 'LogDelivery', permission: 'Write' },
      { grantee: { emailAddress: 'someone@example.com' }, permission: 'ReadAcp' },
    ],
    owner: { id: 'owner-canonical-id', displayName: null },
    isRequesterCharged: false,
  };

  it('turns the recorded ACL into GetBucketAcl grants, whether encoded once or twice', () => {
    for (const text of [JSON.stringify(acl), JSON.stringify(JSON.stringify(acl))]) {
      // Act
      const converted = bucketAclFromItem({
        resourceId: 'b',
        supplementaryConfiguration: { AccessControlList: text },
      });

      // Assess
      expect(converted).toEqual({
        Owner: { ID: 'owner-canonical-id' },
        Grants: [
          { Grantee: { Type: 'CanonicalUser', ID: 'owner-canonical-id' }, Permission: 'FULL_CONTROL' },
          {
            Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
            Permission: 'READ',
          },
          {
            Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' },
            Permission: 'WRITE',
          },
          {
            Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: 'someone@example.com' },
            Permission: 'READ_ACP',
          },
        ],
      });
    }
  });

  it('treats a missing ACL as unreadable rather than as no grants', () => {
    expect(() => bucketAclFromItem({ resourceId: 'b', supplementaryConfiguration: {} })).toThrow(
      /no AccessControlList/,
    );
  });

  it('reads the policy text, and a null policy text as no policy', () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }],
    };
    const withPolicy = {
      resourceId: 'b',
      supplementaryConfiguration: { BucketPolicy: JSON.stringify({ policyText: JSON.stringify(policy) }) },
    };
    expect(bucketPolicyFromItem(withPolicy)).toEqual(policy);
    expect(
      bucketPolicyFromItem({
        resourceId: 'b',
        supplementaryConfiguration: { BucketPolicy: '{"policyText":null}' },
      }),
    ).toBeNull();
    expect(() =>
      bucketPolicyFromItem({
        resourceId: 'b',
        supplementaryConfiguration: { BucketPolicy: '{"policyText":"{"}' },
      }),
    ).toThrow(/not valid JSON/);
  });

  it('reads Block Public Access, and its absence as none', () => {
    const block = {
      blockPublicAcls: true,
      ignorePublicAcls: false,
      blockPublicPolicy: true,
      restrictPublicBuckets: false,
    };
    expect(
      bucketPublicAccessBlockFromItem({
        resourceId: 'b',
        supplementaryConfiguration: { PublicAccessBlockConfiguration: JSON.stringify(block) },
      }),
    ).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    });
    expect(bucketPublicAccessBlockFromItem({ resourceId: 'b', supplementaryConfiguration: {} })).toBeNull();
  });
});

describe('what a recorder records', () => {
  const recorder = (configuration: unknown) =>
    recorderState(item('AWS::Config::ConfigurationRecorder', configuration));

  it.each([
    ['all supported types', { Recording: true, RecordingGroup: { AllSupported: true } }, true],
    [
      'a list that names the type',
      { Recording: true, RecordingGroup: { ResourceTypes: ['AWS::EC2::Volume'] } },
      true,
    ],
    [
      'a list without the type',
      { Recording: true, RecordingGroup: { ResourceTypes: ['AWS::S3::Bucket'] } },
      false,
    ],
    [
      'all but an excluded type',
      {
        Recording: true,
        RecordingGroup: {
          AllSupported: true,
          ExclusionByResourceTypes: { ResourceTypes: ['AWS::EC2::Volume'] },
        },
      },
      false,
    ],
    ['a stopped recorder', { Recording: false, RecordingGroup: { AllSupported: true } }, false],
  ])('%s', (_name, configuration, expected) => {
    expect(records(recorder(configuration), 'AWS::EC2::Volume')).toBe(expected);
  });

  it('a region without a recorder records nothing', () => {
    expect(records(undefined, 'AWS::EC2::Volume')).toBe(false);
  });
});
