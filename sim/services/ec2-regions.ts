/**
 * DescribeRegions: exactly the regions the estate names for the caller's account, the enabled
 * ones (`regions`) always and the disabled ones (`disabledRegions`, not opted in) only with
 * `AllRegions=true`.
 */
import { AwsError } from '../aws-error.js';
import { EC2_ITEM, type Ec2Handler } from '../protocols/ec2-query.js';
import { listToXml } from '../xml.js';
import { applyFilters } from './ec2-filters.js';
import { REGION } from './ec2-xml.js';

/** Regions launched after March 2019 are off until an account opts in. */
export const OPT_IN_REGIONS: ReadonlySet<string> = new Set([
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
]);

interface RegionInfo {
  readonly RegionName: string;
  readonly Endpoint: string;
  readonly OptInStatus: 'opt-in-not-required' | 'opted-in' | 'not-opted-in';
}

export const describeRegions: Ec2Handler = (input, call) => {
  const account = call.sim.estate.accounts[call.caller.accountId];
  const enabled = Object.keys(account?.regions ?? {}).map((name) =>
    info(name, OPT_IN_REGIONS.has(name) ? 'opted-in' : 'opt-in-not-required'),
  );
  const disabled = (account?.disabledRegions ?? []).map((name) => info(name, 'not-opted-in'));
  const known = [...enabled, ...disabled];
  let regions = input.bool('AllRegions') === true ? known : enabled;

  const names = input.list('RegionName');
  if (names.length > 0) {
    const unknown = names.find((name) => !known.some((region) => region.RegionName === name));
    if (unknown !== undefined) throw new AwsError('InvalidParameterValue', `Invalid region name: ${unknown}`);
    regions = regions.filter((region) => names.includes(region.RegionName));
  }
  regions = applyFilters(regions, input, {
    table: { 'region-name': 'RegionName', endpoint: 'Endpoint', 'opt-in-status': 'OptInStatus' },
  });
  return listToXml('regionInfo', regions, REGION, EC2_ITEM);
};

function info(name: string, status: RegionInfo['OptInStatus']): RegionInfo {
  return { RegionName: name, Endpoint: `ec2.${name}.amazonaws.com`, OptInStatus: status };
}
