/**
 * EC2 collectors: a fixed number of paginated calls per account and region, at the largest
 * page size AWS allows (paginated calls also draw on EC2's larger token bucket), and nothing
 * per resource except one entries call per prefix list that a rule references.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { z } from 'zod';
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
  VpcBlockPublicAccessOptionsSchema,
  VpcSchema,
} from '../core/aws-shapes.js';
import type { CollectorDataMap } from '../core/types.js';
import { type AwsSdk, loadService } from './clients.js';
import { type CollectContext, type Collector, drain, parseAws } from './collector.js';

/** AWS's largest page sizes (MaxResults) per API. */
const PAGE = {
  securityGroups: 1000,
  networkInterfaces: 1000,
  networkAcls: 100,
  routeTables: 100,
  subnets: 1000,
  vpcs: 1000,
  instances: 1000,
  volumes: 500,
  snapshots: 1000,
  prefixLists: 100,
  prefixListEntries: 100,
  vpcBpaExclusions: 100,
} as const;

/** The EC2 package (loaded on first use) and the client of the target's region. */
async function ec2(
  ctx: CollectContext,
): Promise<{ readonly sdk: AwsSdk['ec2']; readonly client: EC2Client }> {
  const sdk = await loadService('ec2');
  return { sdk, client: ctx.clients.ec2(ctx.target.region) };
}

export const securityGroups: Collector<'ec2.securityGroups'> = {
  id: 'ec2.securityGroups',
  scope: 'regional',
  actions: ['ec2:DescribeSecurityGroups'],
  async collect(ctx) {
    const { sdk, client } = await ec2(ctx);
    const pages = sdk.paginateDescribeSecurityGroups({ client, pageSize: PAGE.securityGroups }, {});
    const items = await drain(pages, (p) => p.SecurityGroups);
    return parseAws(z.array(SecurityGroupSchema), items, 'DescribeSecurityGroups');
  },
};

export const networkInterfaces: Collector<'ec2.networkInterfaces'> = {
  id: 'ec2.networkInterfaces',
  scope: 'regional',
  actions: ['ec2:DescribeNetworkInterfaces'],
  async collect(ctx) {
    const { sdk, client } = await ec2(ctx);
    const pages = sdk.paginateDescribeNetworkInterfaces({ client, pageSize: PAGE.networkInterfaces }, {});
    const items = await drain(pages, (p) => p.NetworkInterfaces);
    return parseAws(z.array(NetworkInterfaceSchema), items, 'DescribeNetworkInterfaces');
  },
};

export const networkAcls: Collector<'ec2.networkAcls'> = {
  id: 'ec2.networkAcls',
  scope: 'regional',
  actions: ['ec2:DescribeNetworkAcls'],
  async collect(ctx) {
    const { sdk, client } = await ec2(ctx);
    const pages = sdk.paginateDescribeNetworkAcls({ client, pageSize: PAGE.networkAcls }, {});
    const items = await drain(pages, (p) => p.NetworkAcls);
    return parseAws(z.array(NetworkAclSchema), items, 'DescribeNetworkAcls');
  },
};

export const routeTables: Collector<'ec2.routeTables'> = {
  id: 'ec2.routeTables',
  scope: 'regional',
  actions: ['ec2:DescribeRouteTables'],
  async collect(ctx) {
    const { sdk, client } = await ec2(ctx);
    const pages = sdk.paginateDescribeRouteTables({ client, pageSize: PAGE.routeTables }, {});
    const items = await drain(pages, (p) => p.RouteTables);
    return parseAws(z.array(RouteTableSchema), items, 'DescribeRouteTables');
  },
};

export const subnets: Collector<'ec2.subnets'> = {
  id: 'ec2.subnets',
  scope: 'regional',
  actions: ['ec2:DescribeSubnets'],
  async collect(ctx) {
    const { sdk, client } = await ec2(ctx);
    const pages = sdk.paginateDescribeSubnets({ client, pageSize: PAGE.subnets }, {});
    const items = await drain(pages, (p) => p.Subnets);
    return parseAws(z.array(SubnetSchema), items, 'DescribeSubnets');
  },
};

export const vpcs: Collector<'ec2.vpcs'> = {
  id: 'ec2.vpcs',
  scope: 'regional',
  actions: ['ec2:DescribeVpcs'],
  async collect(ctx) {
    const { sdk, client } = await ec2(ctx);
    const pages = sdk.paginateDescribeVpcs({ client, pageSize: PAGE.vpcs }, {});
    const items = await drain(pages, (p) => p.Vpcs);
    return parseAws(z.array(VpcSchema), items, 'DescribeVpcs');
  },
};

export const instances: Collector<'ec2.instances'> = {
  id: 'ec2.instances',
  scope: 'regional',
  actions: ['ec2:DescribeInstances'],
  async collect(ctx) {
    const { sdk, client } = await ec2(ctx);
    const pages = sdk.paginateDescribeInstances({ client, pageSize: PAGE.instances }, {});
    const items = await drain(pages, (p) => p.Reservations?.flatMap((r) => r.Instances ?? []));
    return parseAws(z.array(InstanceSchema), items, 'DescribeInstances');
  },
};

export const volumes: Collector<'ec2.volumes'> = {
  id: 'ec2.volumes',
  scope: 'regional',
  actions: ['ec2:DescribeVolumes'],
  async collect(ctx) {
    const { sdk, client } = await ec2(ctx);
    const pages = sdk.paginateDescribeVolumes({ client, pageSize: PAGE.volumes }, {});
    const items = await drain(pages, (p) => p.Volumes);
    return parseAws(z.array(VolumeSchema), items, 'DescribeVolumes');
  },
};

export const snapshots: Collector<'ec2.snapshots'> = {
  id: 'ec2.snapshots',
  scope: 'regional',
  actions: ['ec2:DescribeSnapshots'],
  async collect(ctx) {
    // Without OwnerIds=self, DescribeSnapshots also returns everyone else's public snapshots.
    const { sdk, client } = await ec2(ctx);
    const pages = sdk.paginateDescribeSnapshots({ client, pageSize: PAGE.snapshots }, { OwnerIds: ['self'] });
    const items = await drain(pages, (p) => p.Snapshots);
    return parseAws(z.array(SnapshotSchema), items, 'DescribeSnapshots');
  },
};

export const publicSnapshotIds: Collector<'ec2.publicSnapshotIds'> = {
  id: 'ec2.publicSnapshotIds',
  scope: 'regional',
  actions: ['ec2:DescribeSnapshots'],
  async collect(ctx) {
    // One filtered list call answers "which own snapshots are public" for all of them, instead
    // of one DescribeSnapshotAttribute call per snapshot.
    const { sdk, client } = await ec2(ctx);
    const pages = sdk.paginateDescribeSnapshots(
      { client, pageSize: PAGE.snapshots },
      { OwnerIds: ['self'], RestorableByUserIds: ['all'] },
    );
    const items = await drain(pages, (p) => p.Snapshots);
    return parseAws(z.array(SnapshotSchema), items, 'DescribeSnapshots(RestorableByUserIds=all)').map(
      (s) => s.SnapshotId,
    );
  },
};

export const ebsEncryptionByDefault: Collector<'ec2.ebsEncryptionByDefault'> = {
  id: 'ec2.ebsEncryptionByDefault',
  scope: 'regional',
  actions: ['ec2:GetEbsEncryptionByDefault'],
  async collect(ctx) {
    const { sdk, client } = await ec2(ctx);
    const answer = await client.send(new sdk.GetEbsEncryptionByDefaultCommand({}));
    return parseAws(
      z.boolean(),
      answer.EbsEncryptionByDefault,
      'GetEbsEncryptionByDefault.EbsEncryptionByDefault',
    );
  },
};

export const snapshotBlockPublicAccess: Collector<'ec2.snapshotBlockPublicAccess'> = {
  id: 'ec2.snapshotBlockPublicAccess',
  scope: 'regional',
  actions: ['ec2:GetSnapshotBlockPublicAccessState'],
  async collect(ctx) {
    const { sdk, client } = await ec2(ctx);
    const answer = await client.send(new sdk.GetSnapshotBlockPublicAccessStateCommand({}));
    return parseAws(z.string(), answer.State, 'GetSnapshotBlockPublicAccessState.State');
  },
};

export const vpcBlockPublicAccess: Collector<'ec2.vpcBlockPublicAccess'> = {
  id: 'ec2.vpcBlockPublicAccess',
  scope: 'regional',
  actions: ['ec2:DescribeVpcBlockPublicAccessOptions', 'ec2:DescribeVpcBlockPublicAccessExclusions'],
  async collect(ctx) {
    const { sdk, client } = await ec2(ctx);
    const answer = await client.send(new sdk.DescribeVpcBlockPublicAccessOptionsCommand({}));
    const options = parseAws(
      VpcBlockPublicAccessOptionsSchema.nullable(),
      answer.VpcBlockPublicAccessOptions ?? null,
      'DescribeVpcBlockPublicAccessOptions',
    );
    // Exclusions only carve holes in a block that is on; with the block off they change nothing.
    if (options === null || (options.InternetGatewayBlockMode ?? 'off') === 'off') {
      return { options, exclusions: [] };
    }
    const exclusions: unknown[] = [];
    // The SDK ships no paginator for this operation.
    let token: string | undefined;
    do {
      const page = await client.send(
        new sdk.DescribeVpcBlockPublicAccessExclusionsCommand({
          MaxResults: PAGE.vpcBpaExclusions,
          NextToken: token,
        }),
      );
      exclusions.push(...(page.VpcBlockPublicAccessExclusions ?? []));
      token = page.NextToken;
    } while (token !== undefined && token !== '');
    return {
      options,
      exclusions: parseAws(
        z.array(VpcBlockPublicAccessExclusionSchema),
        exclusions,
        'DescribeVpcBlockPublicAccessExclusions',
      ),
    };
  },
};

export const prefixLists: Collector<'ec2.prefixLists'> = {
  id: 'ec2.prefixLists',
  scope: 'regional',
  actions: ['ec2:DescribeManagedPrefixLists', 'ec2:GetManagedPrefixListEntries'],
  dependsOn: ['ec2.securityGroups', 'ec2.routeTables'],
  async collect(ctx) {
    const groups = ctx.prior['ec2.securityGroups'];
    // Without the groups there is nothing to resolve; the checks that need both report ERROR.
    if (groups === undefined || !groups.ok) return [];
    const tables = ctx.prior['ec2.routeTables'];
    const referenced = referencedPrefixListIds(
      groups.data,
      tables?.ok === true ? tables.data : [],
      ctx.settings.network.allowlist ?? [],
    );
    return readPrefixLists(ctx, referenced);
  },
};

/** The named managed prefix lists of the target's region, with their entries. */
export async function readPrefixLists(
  ctx: CollectContext,
  ids: readonly string[],
): Promise<CollectorDataMap['ec2.prefixLists']> {
  if (ids.length === 0) return [];
  const { sdk, client } = await ec2(ctx);
  // One unfiltered listing: a filter naming an id this region lacks (an allowlisted list from
  // another region) would fail the whole call with InvalidPrefixListID.NotFound.
  const listed = await drain(
    sdk.paginateDescribeManagedPrefixLists({ client, pageSize: PAGE.prefixLists }, {}),
    (p) => p.PrefixLists,
  );
  const wanted = new Set(ids);
  const described = parseAws(z.array(ManagedPrefixListSchema), listed, 'DescribeManagedPrefixLists').filter(
    (l) => wanted.has(l.PrefixListId),
  );
  const lists: CollectorDataMap['ec2.prefixLists'] = [];
  for (const list of described) {
    const pages = sdk.paginateGetManagedPrefixListEntries(
      { client, pageSize: PAGE.prefixListEntries },
      { PrefixListId: list.PrefixListId },
    );
    const entries = await drain(pages, (p) => p.Entries);
    lists.push({
      ...list,
      Entries: parseAws(z.array(PrefixListEntrySchema), entries, 'GetManagedPrefixListEntries'),
    });
  }
  return lists;
}

/**
 * Lists that inbound rules, routes or the allowlist name: the only ones worth reading. With
 * `routes: 'internet'` only routes to an internet gateway count: a list behind any other route
 * only narrows what an internet route covers, so leaving it unread can overstate exposure but
 * never hide it.
 */
export function referencedPrefixListIds(
  groups: CollectorDataMap['ec2.securityGroups'],
  tables: CollectorDataMap['ec2.routeTables'],
  allowlist: readonly string[],
  routes: 'all' | 'internet' = 'all',
): string[] {
  const ids = new Set<string>(allowlist.filter((entry) => entry.startsWith('pl-')));
  for (const table of tables) {
    for (const route of table.Routes ?? []) {
      if (route.DestinationPrefixListId === undefined) continue;
      if (routes === 'internet' && route.GatewayId?.startsWith('igw-') !== true) continue;
      ids.add(route.DestinationPrefixListId);
    }
  }
  for (const group of groups) {
    // Only inbound rules decide exposure; egress references are never resolved.
    for (const permission of group.IpPermissions ?? []) {
      for (const ref of permission.PrefixListIds ?? []) ids.add(ref.PrefixListId);
    }
  }
  return [...ids].sort();
}

export const ec2Collectors = [
  securityGroups,
  networkInterfaces,
  networkAcls,
  routeTables,
  subnets,
  vpcs,
  instances,
  volumes,
  snapshots,
  publicSnapshotIds,
  ebsEncryptionByDefault,
  snapshotBlockPublicAccess,
  vpcBlockPublicAccess,
  prefixLists,
] as const;
