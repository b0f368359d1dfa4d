import {
  DescribeInstancesCommand,
  DescribeManagedPrefixListsCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeVpcBlockPublicAccessExclusionsCommand,
  DescribeVpcBlockPublicAccessOptionsCommand,
  EC2Client,
  GetEbsEncryptionByDefaultCommand,
  GetManagedPrefixListEntriesCommand,
  GetSnapshotBlockPublicAccessStateCommand,
  paginateDescribeInstances,
  paginateDescribeManagedPrefixLists,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSnapshots,
  paginateDescribeSubnets,
  paginateDescribeVolumes,
  paginateDescribeVpcs,
  paginateGetManagedPrefixListEntries,
} from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InstanceSchema,
  ManagedPrefixListSchema,
  NetworkAclSchema,
  NetworkInterfaceSchema,
  PrefixListEntrySchema,
  RouteTableSchema,
  SecurityGroupSchema,
  SnapshotSchema,
  SubnetSchema,
  VolumeSchema,
  VpcBlockPublicAccessExclusionSchema,
  VpcSchema,
} from '../../core/aws-shapes.js';
import type { Estate } from '../../sim/estate.js';
import { type Simulator, startSimulator } from '../../sim/server.js';
import { OPEN, PROD, richEstate, sdkConfig } from './fixtures.js';

let estate: Estate;
let sim: Simulator;
let ec2: EC2Client;

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** Credentials for PROD, whose trust policy names a role and an external id. */
async function prodCredentials(simulator: Simulator) {
  const sts = new STSClient(sdkConfig(simulator, 'us-east-1'));
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${PROD}:role/CustosAudit`,
      RoleSessionName: 'ec2-tests',
      ExternalId: 'x-123',
    }),
  );
  return {
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretAccessKey!,
    sessionToken: Credentials!.SessionToken!,
  };
}

beforeAll(async () => {
  estate = richEstate();
  sim = await startSimulator(estate, { maxPageSize: 2 });
  ec2 = new EC2Client(sdkConfig(sim, 'eu-west-1', await prodCredentials(sim)));
});

afterAll(async () => {
  ec2.destroy();
  await sim.close();
});

const prodEc2 = () => estate.accounts[PROD]!.regions['eu-west-1']!.ec2;

describe('EC2 Describe calls, through the SDK paginators', () => {
  it('DescribeSecurityGroups answers every group, field for field, over several pages', async () => {
    // Prepare
    sim.resetCalls();

    // Act
    const pages = await collect(paginateDescribeSecurityGroups({ client: ec2 }, { MaxResults: 5 }));

    // Assess
    expect(pages).toHaveLength(3);
    expect(pages.every((page) => (page.SecurityGroups ?? []).length <= 2)).toBe(true);
    const groups = pages.flatMap((page) => page.SecurityGroups ?? []);
    expect(groups.map((group) => SecurityGroupSchema.parse(group))).toEqual(prodEc2().SecurityGroups);
    expect(groups[0]?.Description).toBe('Group <1> & "friends"');
    expect(sim.callCounts()).toEqual({ 'ec2:DescribeSecurityGroups': 3 });
    expect(sim.calls().every((call) => call.accountId === PROD && call.region === 'eu-west-1')).toBe(true);
  });

  it('DescribeNetworkInterfaces', async () => {
    const pages = await collect(paginateDescribeNetworkInterfaces({ client: ec2 }, {}));

    expect(pages).toHaveLength(3);
    const items = pages.flatMap((page) => page.NetworkInterfaces ?? []);
    expect(items.map((item) => NetworkInterfaceSchema.parse(item))).toEqual(prodEc2().NetworkInterfaces);
  });

  it('DescribeNetworkAcls', async () => {
    const pages = await collect(paginateDescribeNetworkAcls({ client: ec2 }, { MaxResults: 50 }));

    expect(pages).toHaveLength(3);
    const items = pages.flatMap((page) => page.NetworkAcls ?? []);
    expect(items.map((item) => NetworkAclSchema.parse(item))).toEqual(prodEc2().NetworkAcls);
  });

  it('DescribeRouteTables', async () => {
    const pages = await collect(paginateDescribeRouteTables({ client: ec2 }, { MaxResults: 100 }));

    expect(pages).toHaveLength(3);
    const items = pages.flatMap((page) => page.RouteTables ?? []);
    expect(items.map((item) => RouteTableSchema.parse(item))).toEqual(prodEc2().RouteTables);
  });

  it('DescribeSubnets', async () => {
    const pages = await collect(paginateDescribeSubnets({ client: ec2 }, { MaxResults: 1000 }));

    expect(pages).toHaveLength(3);
    const items = pages.flatMap((page) => page.Subnets ?? []);
    expect(items.map((item) => SubnetSchema.parse(item))).toEqual(prodEc2().Subnets);
  });

  it('DescribeVpcs', async () => {
    const pages = await collect(paginateDescribeVpcs({ client: ec2 }, {}));

    expect(pages).toHaveLength(3);
    const items = pages.flatMap((page) => page.Vpcs ?? []);
    expect(items.map((item) => VpcSchema.parse(item))).toEqual(prodEc2().Vpcs);
  });

  it('DescribeInstances wraps the flat instances into reservations', async () => {
    const pages = await collect(paginateDescribeInstances({ client: ec2 }, { MaxResults: 5 }));

    expect(pages).toHaveLength(3);
    const reservations = pages.flatMap((page) => page.Reservations ?? []);
    expect(reservations.every((reservation) => reservation.OwnerId === PROD)).toBe(true);
    expect(
      reservations.every((reservation) => /^r-[0-9a-f]{17}$/.test(reservation.ReservationId ?? '')),
    ).toBe(true);
    const instances = reservations.flatMap((reservation) => reservation.Instances ?? []);
    expect(instances.map((item) => InstanceSchema.parse(item))).toEqual(prodEc2().Instances);
  });

  it('DescribeVolumes', async () => {
    const pages = await collect(paginateDescribeVolumes({ client: ec2 }, { MaxResults: 500 }));

    expect(pages).toHaveLength(3);
    const items = pages.flatMap((page) => page.Volumes ?? []);
    expect(items.map((item) => VolumeSchema.parse(item))).toEqual(prodEc2().Volumes);
  });

  it('DescribeManagedPrefixLists, and PrefixListId.N narrows it', async () => {
    const pages = await collect(paginateDescribeManagedPrefixLists({ client: ec2 }, {}));
    const one = await ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: ['pl-00000003'] }));

    expect(pages).toHaveLength(2);
    const items = pages.flatMap((page) => page.PrefixLists ?? []);
    expect(items.map((item) => ManagedPrefixListSchema.parse(item))).toEqual(
      prodEc2().ManagedPrefixLists.map((list) => ManagedPrefixListSchema.parse(list)),
    );
    expect(one.PrefixLists?.map((list) => list.PrefixListId)).toEqual(['pl-00000003']);
  });

  it('GetManagedPrefixListEntries pages the entries; an empty list has none', async () => {
    const pages = await collect(
      paginateGetManagedPrefixListEntries({ client: ec2 }, { PrefixListId: 'pl-00000001' }),
    );
    const empty = await ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: 'pl-00000002' }));

    expect(pages).toHaveLength(3);
    const entries = pages.flatMap((page) => page.Entries ?? []);
    expect(entries.map((entry) => PrefixListEntrySchema.parse(entry))).toEqual(
      prodEc2().ManagedPrefixLists[0]?.Entries,
    );
    expect(empty.Entries).toEqual([]);
  });

  it('GetManagedPrefixListEntries on an unknown list is InvalidPrefixListID.NotFound', async () => {
    const error = await ec2
      .send(new GetManagedPrefixListEntriesCommand({ PrefixListId: 'pl-nope' }))
      .catch((e) => e);

    expect(error.name).toBe('InvalidPrefixListID.NotFound');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('DescribeVpcBlockPublicAccessExclusions pages with NextToken', async () => {
    const exclusions = [];
    let token: string | undefined;
    let calls = 0;
    do {
      const page = await ec2.send(new DescribeVpcBlockPublicAccessExclusionsCommand({ NextToken: token }));
      exclusions.push(...(page.VpcBlockPublicAccessExclusions ?? []));
      token = page.NextToken;
      calls++;
    } while (token !== undefined);

    expect(calls).toBe(3);
    expect(exclusions.map((item) => VpcBlockPublicAccessExclusionSchema.parse(item))).toEqual(
      prodEc2().VpcBlockPublicAccessExclusions,
    );
  });
});

describe('EC2 ids, filters and paging rules', () => {
  it('GroupId.N answers those groups; an unknown one is InvalidGroup.NotFound', async () => {
    const some = await ec2.send(
      new DescribeSecurityGroupsCommand({ GroupIds: ['sg-00000004', 'sg-00000002'] }),
    );
    const error = await ec2
      .send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-missing'] }))
      .catch((e) => e);

    expect(some.SecurityGroups?.map((group) => group.GroupId)).toEqual(['sg-00000002', 'sg-00000004']);
    expect(error.name).toBe('InvalidGroup.NotFound');
    expect(error.message).toBe("The security group 'sg-missing' does not exist");
  });

  it('filters AND across names, OR across values, with wildcards and tags', async () => {
    const result = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'group-name', Values: ['group-1', 'group-3*'] },
          { Name: 'tag:team', Values: ['plat?orm'] },
        ],
      }),
    );
    const stopped = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }] }),
    );

    expect(result.SecurityGroups?.map((group) => group.GroupName)).toEqual(['group-1', 'group-3']);
    expect(stopped.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).toEqual([
      'i-00000000000000003',
    ]);
  });

  it('refuses a filter the operation does not know', async () => {
    const error = await ec2
      .send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'no-such-filter', Values: ['x'] }] }))
      .catch((e) => e);

    expect(error.name).toBe('InvalidParameterValue');
  });

  it('refuses MaxResults outside the range AWS accepts', async () => {
    const tooSmall = await ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 2 })).catch((e) => e);
    const tooBig = await ec2
      .send(new DescribeManagedPrefixListsCommand({ MaxResults: 1000 }))
      .catch((e) => e);

    expect(tooSmall.name).toBe('InvalidParameterValue');
    expect(tooBig.name).toBe('InvalidParameterValue');
  });

  it('refuses a NextToken from another query', async () => {
    const first = await ec2.send(new DescribeSecurityGroupsCommand({}));
    const error = await ec2
      .send(
        new DescribeSecurityGroupsCommand({
          NextToken: first.NextToken,
          Filters: [{ Name: 'vpc-id', Values: ['vpc-00000001'] }],
        }),
      )
      .catch((e) => e);

    expect(first.NextToken).toBeDefined();
    expect(error.name).toBe('InvalidPaginationToken');
  });

  it('DescribeInstances refuses MaxResults together with instance ids', async () => {
    const error = await ec2
      .send(new DescribeInstancesCommand({ InstanceIds: ['i-00000000000000001'], MaxResults: 5 }))
      .catch((e) => e);

    expect(error.name).toBe('InvalidParameterCombination');
  });
});

describe('EC2 snapshots', () => {
  it('OwnerIds=self answers the own snapshots over several pages', async () => {
    const pages = await collect(
      paginateDescribeSnapshots({ client: ec2 }, { OwnerIds: ['self'], MaxResults: 1000 }),
    );

    expect(pages).toHaveLength(3);
    const items = pages.flatMap((page) => page.Snapshots ?? []);
    expect(items.map((item) => SnapshotSchema.parse(item))).toEqual(
      prodEc2().Snapshots.map((item) => SnapshotSchema.parse(item)),
    );
  });

  it('RestorableByUserIds=all with OwnerIds=self answers only the public ones', async () => {
    const pages = await collect(
      paginateDescribeSnapshots({ client: ec2 }, { OwnerIds: ['self'], RestorableByUserIds: ['all'] }),
    );

    const ids = pages.flatMap((page) => page.Snapshots ?? []).map((item) => item.SnapshotId);
    expect(ids).toEqual(['snap-00000000000000001', 'snap-00000000000000004', 'snap-00000000000000006']);
  });

  it('without an owner, another account sees the public and shared snapshots too', async () => {
    // Prepare: the OPEN account owns snap-7 and has snap-3 and snap-4 shared with it.
    const openEc2 = new EC2Client(sdkConfig(sim, 'eu-west-1', await assumeInto(OPEN)));

    // Act
    const everything = await collect(paginateDescribeSnapshots({ client: openEc2 }, {}));
    const own = await collect(paginateDescribeSnapshots({ client: openEc2 }, { OwnerIds: ['self'] }));

    // Assess
    const ids = everything.flatMap((page) => page.Snapshots ?? []).map((item) => item.SnapshotId);
    expect(ids).toEqual([
      'snap-00000000000000007',
      'snap-00000000000000001',
      'snap-00000000000000003',
      'snap-00000000000000004',
      'snap-00000000000000006',
    ]);
    expect(own.flatMap((page) => page.Snapshots ?? []).map((item) => item.SnapshotId)).toEqual([
      'snap-00000000000000007',
    ]);
    openEc2.destroy();
  });

  it('SnapshotId.N answers those snapshots; an unknown one is InvalidSnapshot.NotFound', async () => {
    const some = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: ['snap-00000000000000002'] }));
    const error = await ec2
      .send(new DescribeSnapshotsCommand({ SnapshotIds: ['snap-nope'] }))
      .catch((e) => e);

    expect(some.Snapshots?.map((item) => item.SnapshotId)).toEqual(['snap-00000000000000002']);
    expect(error.name).toBe('InvalidSnapshot.NotFound');
  });

  it('DescribeSnapshotAttribute answers the createVolumePermission list', async () => {
    const shared = await ec2.send(
      new DescribeSnapshotAttributeCommand({
        SnapshotId: 'snap-00000000000000004',
        Attribute: 'createVolumePermission',
      }),
    );
    const privateOne = await ec2.send(
      new DescribeSnapshotAttributeCommand({
        SnapshotId: 'snap-00000000000000002',
        Attribute: 'createVolumePermission',
      }),
    );

    expect(shared.SnapshotId).toBe('snap-00000000000000004');
    expect(shared.CreateVolumePermissions).toEqual([{ Group: 'all' }, { UserId: OPEN }]);
    expect(privateOne.CreateVolumePermissions).toEqual([]);
  });
});

describe('EC2 account and region settings', () => {
  it('GetEbsEncryptionByDefault and GetSnapshotBlockPublicAccessState answer the region settings', async () => {
    const encryption = await ec2.send(new GetEbsEncryptionByDefaultCommand({}));
    const blocking = await ec2.send(new GetSnapshotBlockPublicAccessStateCommand({}));

    expect(encryption.EbsEncryptionByDefault).toBe(true);
    expect(blocking.State).toBe('block-new-sharing');
  });

  it('DescribeVpcBlockPublicAccessOptions answers the estate, or mode off when it is null', async () => {
    const configured = await ec2.send(new DescribeVpcBlockPublicAccessOptionsCommand({}));
    const usEast = new EC2Client(sdkConfig(sim, 'us-east-1', await prodCredentials(sim)));
    const unset = await usEast.send(new DescribeVpcBlockPublicAccessOptionsCommand({}));
    const defaults = await usEast.send(new GetEbsEncryptionByDefaultCommand({}));

    expect(configured.VpcBlockPublicAccessOptions).toEqual(prodEc2().VpcBlockPublicAccessOptions);
    expect(unset.VpcBlockPublicAccessOptions).toMatchObject({
      InternetGatewayBlockMode: 'off',
      AwsAccountId: PROD,
      AwsRegion: 'us-east-1',
    });
    expect(defaults.EbsEncryptionByDefault).toBe(false);
    usEast.destroy();
  });

  it('DescribeRegions lists the enabled regions, and with AllRegions the disabled ones too', async () => {
    const enabled = await ec2.send(new DescribeRegionsCommand({}));
    const all = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    const optedIn = await ec2.send(
      new DescribeRegionsCommand({
        AllRegions: true,
        Filters: [{ Name: 'opt-in-status', Values: ['not-opted-in'] }],
      }),
    );

    expect(enabled.Regions).toEqual([
      {
        RegionName: 'eu-west-1',
        Endpoint: 'ec2.eu-west-1.amazonaws.com',
        OptInStatus: 'opt-in-not-required',
      },
      { RegionName: 'ap-southeast-3', Endpoint: 'ec2.ap-southeast-3.amazonaws.com', OptInStatus: 'opted-in' },
      {
        RegionName: 'us-east-1',
        Endpoint: 'ec2.us-east-1.amazonaws.com',
        OptInStatus: 'opt-in-not-required',
      },
    ]);
    expect(all.Regions?.map((region) => [region.RegionName, region.OptInStatus])).toEqual([
      ['eu-west-1', 'opt-in-not-required'],
      ['ap-southeast-3', 'opted-in'],
      ['us-east-1', 'opt-in-not-required'],
      ['ap-east-1', 'not-opted-in'],
      ['me-south-1', 'not-opted-in'],
    ]);
    expect(optedIn.Regions?.map((region) => region.RegionName)).toEqual(['ap-east-1', 'me-south-1']);
  });

  it('an empty region answers empty lists', async () => {
    const client = new EC2Client(sdkConfig(sim, 'ap-southeast-3', await prodCredentials(sim)));

    const groups = await collect(paginateDescribeSecurityGroups({ client }, {}));

    expect(groups).toHaveLength(1);
    expect(groups[0]?.SecurityGroups).toEqual([]);
    expect(groups[0]?.NextToken).toBeUndefined();
    client.destroy();
  });
});

async function assumeInto(accountId: string) {
  const sts = new STSClient(sdkConfig(sim, 'us-east-1'));
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/Any`, RoleSessionName: 'tests' }),
  );
  sts.destroy();
  return {
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretAccessKey!,
    sessionToken: Credentials!.SessionToken!,
  };
}
