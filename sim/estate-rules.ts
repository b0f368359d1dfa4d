/**
 * Estate rules that span fields: what a schema of one field cannot see. Each problem names
 * the field to change.
 */
import type { z } from 'zod';
import type { Estate, EstateEc2 } from './estate.js';

type ListKey<T> = { [K in keyof T]: T[K] extends ReadonlyArray<unknown> ? K : never }[keyof T];

/** The field that identifies each EC2 resource in its list; AWS never repeats one in a region. */
export const EC2_ID_FIELDS = {
  SecurityGroups: 'GroupId',
  NetworkInterfaces: 'NetworkInterfaceId',
  NetworkAcls: 'NetworkAclId',
  RouteTables: 'RouteTableId',
  Subnets: 'SubnetId',
  Vpcs: 'VpcId',
  Instances: 'InstanceId',
  Volumes: 'VolumeId',
  Snapshots: 'SnapshotId',
  ManagedPrefixLists: 'PrefixListId',
  VpcBlockPublicAccessExclusions: 'ExclusionId',
} as const satisfies Record<ListKey<EstateEc2>, string>;

type Path = Array<string | number>;

export function checkEstateRules(estate: Estate, ctx: z.RefinementCtx): void {
  const report = (path: Path, message: string, input: unknown) =>
    ctx.addIssue({ code: 'custom', path, message, input, params: { rule: true } });

  const accountIds = Object.keys(estate.accounts);
  if (accountIds.length === 0 && estate.organization === undefined) {
    report([], 'the estate holds no account: add one under "accounts"', estate.accounts);
  }

  if (estate.organization !== undefined) {
    reportDuplicates(
      estate.organization.accounts.map((account) => account.Id),
      ['organization', 'accounts'],
      'Id',
      report,
    );
  }

  const bucketOwners = new Map<string, string>();
  for (const [id, account] of Object.entries(estate.accounts)) {
    const base: Path = ['accounts', id];
    account.disabledRegions.forEach((region, index) => {
      if (region in account.regions) {
        report(
          [...base, 'disabledRegions', index],
          `is also an enabled region (under "regions"); a region is one or the other`,
          region,
        );
      }
    });
    reportDuplicates(account.disabledRegions, [...base, 'disabledRegions'], undefined, report);

    for (const [region, { ec2 }] of Object.entries(account.regions)) {
      for (const [key, field] of Object.entries(EC2_ID_FIELDS) as Array<[ListKey<EstateEc2>, string]>) {
        const ids = ec2[key].map((item) => (item as Record<string, unknown>)[field]);
        reportDuplicates(ids, [...base, 'regions', region, 'ec2', key], field, report);
      }
    }

    account.s3.Buckets.forEach((bucket, index) => {
      const owner = bucketOwners.get(bucket.Name);
      if (owner !== undefined) {
        const where = owner === id ? 'earlier in this account' : `in account ${owner}`;
        report(
          [...base, 's3', 'Buckets', index, 'Name'],
          `is already a bucket ${where}; bucket names are unique across AWS`,
          bucket.Name,
        );
      }
      bucketOwners.set(bucket.Name, id);
    });
  }
}

function reportDuplicates(
  values: readonly unknown[],
  listPath: Path,
  field: string | undefined,
  report: (path: Path, message: string, input: unknown) => void,
): void {
  const seen = new Map<unknown, number>();
  values.forEach((value, index) => {
    if (value === undefined) return;
    const first = seen.get(value);
    if (first === undefined) {
      seen.set(value, index);
      return;
    }
    const path = field === undefined ? [...listPath, index] : [...listPath, index, field];
    report(path, `repeats item ${first} of the list; each must be unique`, value);
  });
}
