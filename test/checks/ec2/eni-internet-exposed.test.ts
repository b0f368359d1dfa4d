import { describe, expect, it } from 'vitest';
import { eniInternetExposed } from '../../../checks/ec2/eni-internet-exposed.js';
import type {
  NetworkAcl,
  NetworkInterface,
  RouteTable,
  SecurityGroup,
  VpcBlockPublicAccessExclusion,
  VpcBlockPublicAccessOptions,
} from '../../../core/aws-shapes.js';
import type { CheckSettings } from '../../../core/types.js';
import {
  ACCOUNT_ID,
  AS_OF,
  aclIn,
  allTraffic,
  asCheck,
  defaultAcl,
  fromPrefixList,
  IGW,
  LOCAL_V4,
  networkAcl,
  networkInterface,
  prefixList,
  publicMainTable,
  REGION,
  route,
  routeTable,
  SETTINGS,
  SUBNET_ID,
  securityGroup,
  settingsWith,
  TARGET,
  tcp,
} from './fixtures.js';

const ENI_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:network-interface/eni-1`;

interface Estate {
  enis?: NetworkInterface[];
  groups?: SecurityGroup[];
  acls?: NetworkAcl[];
  tables?: RouteTable[];
  bpa?: { options: VpcBlockPublicAccessOptions | null; exclusions: VpcBlockPublicAccessExclusion[] };
  settings?: CheckSettings;
}

function evaluate(estate: Estate = {}) {
  return asCheck(eniInternetExposed).evaluate(
    {
      target: TARGET,
      data: {
        'ec2.networkInterfaces': estate.enis ?? [networkInterface('eni-1')],
        'ec2.securityGroups': estate.groups ?? [securityGroup('sg-web', [tcp(22, 22, '0.0.0.0/0')])],
        'ec2.networkAcls': estate.acls ?? [defaultAcl()],
        'ec2.routeTables': estate.tables ?? [publicMainTable()],
        'ec2.vpcBlockPublicAccess': estate.bpa ?? { options: null, exclusions: [] },
        'ec2.prefixLists': [prefixList('pl-00000000000000001', '0.0.0.0/0')],
      },
    },
    estate.settings ?? SETTINGS,
    AS_OF,
  );
}

function one(estate: Estate = {}) {
  return evaluate(estate)[0];
}

const web = (...rules: NonNullable<SecurityGroup['IpPermissions']>) => [securityGroup('sg-web', rules)];
const blockIngress = (exclusions: VpcBlockPublicAccessExclusion[] = []) => ({
  options: { InternetGatewayBlockMode: 'block-ingress', State: 'update-complete' },
  exclusions,
});

describe('ec2.eni.internet-exposed', () => {
  it.each<{ name: string; estate: Estate; status: string }>([
    { name: 'public IP, IGW route, default ACL, SSH open to the world', estate: {}, status: 'FAIL' },
    {
      name: 'no public address',
      estate: { enis: [networkInterface('eni-1', { Association: undefined })] },
      status: 'PASS',
    },
    {
      name: 'private subnet (explicit table routes to a NAT gateway)',
      estate: {
        tables: [
          publicMainTable(),
          routeTable('rtb-p', [LOCAL_V4, route('0.0.0.0/0', { NatGatewayId: 'nat-1' })], {
            subnetId: SUBNET_ID,
          }),
        ],
      },
      status: 'PASS',
    },
    {
      name: 'blackhole IGW route',
      estate: {
        tables: [
          routeTable('rtb-main', [route('0.0.0.0/0', { GatewayId: IGW }, 'blackhole')], { main: true }),
        ],
      },
      status: 'PASS',
    },
    {
      name: 'the ACL denies SSH first',
      estate: {
        acls: [
          networkAcl(
            'acl-1',
            [aclIn(100, 'deny', '0.0.0.0/0', '6', { From: 22, To: 22 }), aclIn(200, 'allow', '0.0.0.0/0')],
            { Associations: [{ SubnetId: SUBNET_ID }] },
          ),
        ],
      },
      status: 'PASS',
    },
    {
      name: 'a rule open to a private range only',
      estate: { groups: web(tcp(22, 22, '10.0.0.0/8')) },
      status: 'PASS',
    },
    { name: 'a rule open to 0.0.0.0/1', estate: { groups: web(tcp(22, 22, '0.0.0.0/1')) }, status: 'FAIL' },
    { name: 'only web ports open', estate: { groups: web(tcp(443, 443, '0.0.0.0/0')) }, status: 'PASS' },
    { name: 'a high-risk port open', estate: { groups: web(tcp(5432, 5432, '0.0.0.0/0')) }, status: 'FAIL' },
    {
      name: 'IPv6 address exposed through ::/0',
      estate: {
        enis: [
          networkInterface('eni-1', {
            Association: undefined,
            Ipv6Addresses: [{ Ipv6Address: '2600:1f18::10' }],
          }),
        ],
        groups: web(tcp(3389, 3389, '::/0')),
      },
      status: 'FAIL',
    },
    { name: 'VPC BPA block-ingress', estate: { bpa: blockIngress() }, status: 'PASS' },
    {
      name: 'VPC BPA block-ingress, subnet excluded allow-bidirectional',
      estate: {
        bpa: blockIngress([
          {
            ResourceArn: `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:subnet/${SUBNET_ID}`,
            InternetGatewayExclusionMode: 'allow-bidirectional',
            State: 'create-complete',
          },
        ]),
      },
      status: 'FAIL',
    },
    {
      name: 'VPC BPA block-ingress, subnet excluded allow-egress only',
      estate: {
        bpa: blockIngress([
          {
            ResourceArn: `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:subnet/${SUBNET_ID}`,
            InternetGatewayExclusionMode: 'allow-egress',
            State: 'create-complete',
          },
        ]),
      },
      status: 'PASS',
    },
    {
      name: 'a rule prefix list that was not read',
      estate: { groups: web(fromPrefixList('tcp', 22, 22, 'pl-0000000000000000f')) },
      status: 'ERROR',
    },
    {
      name: 'a customer prefix list holding 0.0.0.0/0',
      estate: { groups: web(fromPrefixList('tcp', 22, 22, 'pl-00000000000000001')) },
      status: 'FAIL',
    },
    {
      name: 'a configured admin port',
      estate: { groups: web(tcp(2222, 2222, '0.0.0.0/0')), settings: settingsWith({ adminPorts: [2222] }) },
      status: 'FAIL',
    },
  ])('$name → $status', ({ estate, status }) => {
    expect(one(estate)?.status).toBe(status);
  });

  it('names the instance, the port, and the rule, ACL entry and route that admit it', () => {
    // Act
    const result = one({ groups: web(tcp(22, 22, '0.0.0.0/0'), allTraffic('0.0.0.0/1')) });

    // Assess
    expect(result?.resourceId).toBe(ENI_ARN);
    expect(result?.message).toBe(
      'Network interface eni-1 (instance i-0123456789abcdef0) is reachable from the internet on TCP 20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300; UDP 20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300.',
    );
    expect(result?.evidence).toMatchObject({
      instanceId: 'i-0123456789abcdef0',
      routeTableId: 'rtb-main',
      networkAclId: 'acl-default',
    });
    const exposures = result?.evidence.exposures as Array<Record<string, unknown>>;
    expect(
      exposures.map((e) => [e.protocol, (e.securityGroupRule as { protocol: string }).protocol, e.ports]),
    ).toEqual([
      [
        'tcp',
        '-1',
        [
          20, 21, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601,
          8080, 8088, 8888, 9200, 9300,
        ],
      ],
      ['tcp', 'tcp', [22]],
      [
        'udp',
        '-1',
        [
          20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601,
          8080, 8088, 8888, 9200, 9300,
        ],
      ],
    ]);
    expect(exposures[1]).toEqual({
      protocol: 'tcp',
      ipVersion: 4,
      ports: [22],
      addresses: ['54.0.0.10'],
      securityGroupId: 'sg-web',
      securityGroupRule: { protocol: 'tcp', fromPort: 22, toPort: 22, portRange: '22', source: '0.0.0.0/0' },
      networkAclId: 'acl-default',
      networkAclEntry: {
        ruleNumber: 100,
        action: 'allow',
        protocol: '-1',
        cidr: '0.0.0.0/0',
        portRange: 'all',
      },
      routeTableId: 'rtb-main',
      internetGatewayRoutes: [{ destination: '0.0.0.0/0', target: IGW, state: 'active' }],
    });
  });

  it('keeps the exposure VPC BPA holds back as latent evidence', () => {
    // Act
    const result = one({ bpa: blockIngress() });

    // Assess
    expect(result?.status).toBe('PASS');
    expect(result?.message).toBe(
      'Network interface eni-1 (instance i-0123456789abcdef0) would be reachable from the internet on TCP 22, but VPC Block Public Access (block-ingress) blocks inbound internet traffic.',
    );
    expect(result?.evidence.latentExposures).toHaveLength(1);
  });

  it('does not count sources the allowlist approves as the internet', () => {
    // Prepare
    const settings = settingsWith({ allowlist: ['81.2.69.0/24'] });
    // The fixture's list holds 0.0.0.0/0: allowlisting it by id approves what it admits.
    const listSettings = settingsWith({ allowlist: ['pl-00000000000000001'] });

    // Act
    const fromVpn = one({ groups: web(tcp(22, 22, '81.2.69.0/24')), settings });
    const fromVpnList = one({
      groups: web(fromPrefixList('tcp', 22, 22, 'pl-00000000000000001')),
      settings: listSettings,
    });
    const wider = one({ groups: web(tcp(22, 22, '81.2.68.0/23')), settings });

    // Assess
    expect(fromVpn?.status).toBe('PASS');
    expect(fromVpnList?.status).toBe('PASS');
    expect(wider?.status).toBe('FAIL');
  });

  it('says which list could not be read', () => {
    expect(one({ groups: web(fromPrefixList('tcp', 22, 22, 'pl-0000000000000000f')) })?.message).toBe(
      'Network interface eni-1 (instance i-0123456789abcdef0) cannot be assessed: security group sg-web: prefix list pl-0000000000000000f could not be read.',
    );
  });

  it('evaluates in-use or attached interfaces only, with their tags', () => {
    // Prepare
    const enis = [
      networkInterface('eni-1', { TagSet: [{ Key: 'app', Value: 'api' }] }),
      networkInterface('eni-2', { Status: 'available', Attachment: undefined }),
      networkInterface('eni-3', {
        Status: 'available',
        Attachment: { Status: 'attached', InstanceId: 'i-3' },
      }),
    ];

    // Act
    const results = evaluate({ enis });

    // Assess
    expect(results.map((r) => [r.resourceId.split('/')[1], r.status, r.tags])).toEqual([
      ['eni-1', 'FAIL', { app: 'api' }],
      ['eni-3', 'FAIL', undefined],
    ]);
  });

  it('says why an interface is not reachable', () => {
    // Act
    const result = one({
      enis: [networkInterface('eni-1', { Association: undefined, Attachment: undefined })],
    });

    // Assess
    expect(result?.message).toBe(
      'Network interface eni-1 is not reachable from the internet on administration or high-risk ports.',
    );
    expect(result?.evidence.families).toEqual([
      { ipVersion: 4, addresses: [], blockedBy: 'no public IPv4 address' },
      { ipVersion: 6, addresses: [], blockedBy: 'no IPv6 address' },
    ]);
  });
});
