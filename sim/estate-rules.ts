/**
 * Estate rules that span fields: what a schema of one field cannot see. Each problem names
 * the field to change.
 */
import type { z } from 'zod';
import type { Estate, EstateAccount, EstateEc2 } from './estate.js';

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
    checkConfigAggregator(estate, report);
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

    checkRecorders(account, base, report);

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

type Report = (path: Path, message: string, input: unknown) => void;

/**
 * A recorder answers only where Config does, in an enabled region; and its recording group is
 * one AWS accepts: a list of types to record only when it does not record all of them, and
 * exclusions only from a recorder that records all of them.
 */
function checkRecorders(account: EstateAccount, base: Path, report: Report): void {
  for (const [region, recorder] of Object.entries(account.config?.recorders ?? {})) {
    const path = [...base, 'config', 'recorders', region];
    if (!Object.hasOwn(account.regions, region)) {
      report(
        path,
        `is a recorder in a region the account has not enabled: add ${JSON.stringify(region)} under "regions"`,
        recorder,
      );
    }
    if (recorder.allSupported && recorder.resourceTypes.length > 0) {
      report(
        [...path, 'resourceTypes'],
        'names types to record while allSupported is true (the default): set allSupported to false to record only these',
        recorder.resourceTypes,
      );
    }
    if (!recorder.allSupported && recorder.exclusions.length > 0) {
      report(
        [...path, 'exclusions'],
        'excludes types from a recorder that records only resourceTypes: exclusions apply when allSupported is true',
        recorder.exclusions,
      );
    }
  }
}

/** The aggregator lives in an account of the organization, in a region that account enables. */
function checkConfigAggregator(estate: Estate, report: Report): void {
  const organization = estate.organization;
  const aggregator = organization?.configAggregator;
  if (organization === undefined || aggregator === undefined) return;
  // A malformed id or region is already reported by its own schema.
  if (!/^\d{12}$/.test(aggregator.accountId) || !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(aggregator.region))
    return;
  const base: Path = ['organization', 'configAggregator'];
  const member =
    aggregator.accountId === organization.managementAccountId ||
    organization.accounts.some((account) => account.Id === aggregator.accountId);
  if (!member) {
    report(
      [...base, 'accountId'],
      'is neither the management account nor an account of the organization',
      aggregator.accountId,
    );
    return;
  }
  const account = estate.accounts[aggregator.accountId];
  if (account === undefined || !Object.hasOwn(account.regions, aggregator.region)) {
    report(
      [...base, 'region'],
      `is not an enabled region of account ${aggregator.accountId} (under its "regions"), where the aggregator lives`,
      aggregator.region,
    );
  }
}

function reportDuplicates(
  values: readonly unknown[],
  listPath: Path,
  field: string | undefined,
  report: Report,
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
