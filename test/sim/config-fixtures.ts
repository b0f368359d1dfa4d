/**
 * An estate with AWS Config set up, for the Config tests: the management account records two
 * regions (one excluding security groups) and holds enough security groups for several pages;
 * the production account records everything in eu-west-1, only buckets in us-east-1 and
 * nothing in ap-southeast-3, where its recorder is stopped; a suspended account records too,
 * and must stay out of the aggregator.
 */
import { type Estate, parseEstate } from '../../sim/estate.js';
import {
  MANAGEMENT,
  networkAcl,
  networkInterface,
  OPEN,
  PROD,
  prefixList,
  prodS3,
  routeTable,
  SUSPENDED,
  securityGroup,
  subnet,
  instance as testInstance,
  volume,
  vpc,
} from './fixtures.js';

export const AGGREGATOR = 'org-aggregator';
export const CAPTURED_AT = '2026-06-14T22:00:00Z';
export const MANY_GROUPS = 250;

const range = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

const recorder = (extra: Record<string, unknown> = {}) => ({
  recording: true,
  allSupported: true,
  frequency: 'CONTINUOUS',
  capturedAt: CAPTURED_AT,
  ...extra,
});

/** An AWS-managed list, as DescribeManagedPrefixLists answers it: never recorded by Config. */
const awsManagedList = {
  PrefixListId: 'pl-6da54004',
  PrefixListName: 'com.amazonaws.eu-west-1.s3',
  AddressFamily: 'IPv4',
  OwnerId: 'AWS',
  State: 'create-complete',
  MaxEntries: 0,
  Entries: [{ Cidr: '52.218.0.0/17' }],
};

export function configEstateDocument() {
  return {
    organization: {
      managementAccountId: MANAGEMENT,
      accounts: [
        { Id: MANAGEMENT, State: 'ACTIVE' },
        { Id: PROD, State: 'ACTIVE' },
        { Id: SUSPENDED, State: 'SUSPENDED' },
        { Id: OPEN, State: 'ACTIVE' },
      ],
      configAggregator: { name: AGGREGATOR, accountId: MANAGEMENT, region: 'us-east-1' },
    },
    accounts: {
      [MANAGEMENT]: {
        regions: {
          'us-east-1': { ec2: { SecurityGroups: [securityGroup(900)], Vpcs: [vpc(9)] } },
          'eu-west-1': { ec2: { SecurityGroups: range(MANY_GROUPS).map(securityGroup) } },
        },
        s3: { Buckets: [{ Name: 'management-trail', BucketRegion: 'us-east-1' }] },
        config: {
          recorders: {
            'us-east-1': recorder({ exclusions: ['AWS::EC2::SecurityGroup'], frequency: 'DAILY' }),
            'eu-west-1': recorder(),
          },
        },
      },
      [PROD]: {
        assumeRole: { roleName: 'CustosAudit', externalId: 'x-123' },
        regions: {
          'eu-west-1': {
            ec2: {
              SecurityGroups: range(3).map(securityGroup),
              NetworkInterfaces: range(2).map(networkInterface),
              NetworkAcls: range(2).map(networkAcl),
              RouteTables: range(2).map(routeTable),
              Subnets: range(2).map(subnet),
              Vpcs: range(2).map(vpc),
              Instances: range(2).map(testInstance),
              Volumes: range(2).map(volume),
              Snapshots: [
                {
                  SnapshotId: 'snap-00000000000000001',
                  Encrypted: false,
                  CreateVolumePermissions: [{ Group: 'all' }],
                },
              ],
              ManagedPrefixLists: [prefixList(1, 2), awsManagedList],
            },
          },
          'us-east-1': { ec2: { SecurityGroups: [securityGroup(100)] } },
          'ap-southeast-3': { ec2: { SecurityGroups: [securityGroup(300)] } },
        },
        s3: prodS3(),
        config: {
          recorders: {
            'eu-west-1': recorder(),
            'us-east-1': recorder({ allSupported: false, resourceTypes: ['AWS::S3::Bucket'] }),
            'ap-southeast-3': recorder({ recording: false }),
          },
        },
      },
      [SUSPENDED]: {
        regions: { 'eu-west-1': { ec2: { SecurityGroups: [securityGroup(500)] } } },
        config: { recorders: { 'eu-west-1': recorder() } },
      },
      // Active, but without Config: not a source of the aggregator.
      [OPEN]: { regions: { 'eu-west-1': { ec2: { SecurityGroups: [securityGroup(400)] } } } },
    },
  };
}

export function configEstate(): Estate {
  return parseEstate(configEstateDocument(), 'config estate');
}
