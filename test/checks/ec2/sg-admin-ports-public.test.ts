import { describe, expect, it } from 'vitest';
import { sgAdminPortsPublic } from '../../../checks/ec2/sg-admin-ports-public.js';
import type { IpPermission, SecurityGroup } from '../../../core/aws-shapes.js';
import type { CheckSettings } from '../../../core/types.js';
import {
  AS_OF,
  allTraffic,
  asCheck,
  fromGroup,
  fromPrefixList,
  permission,
  prefixList,
  SETTINGS,
  securityGroup,
  settingsWith,
  sgArn,
  TARGET,
  tcp,
  udp,
} from './fixtures.js';

const LISTS = [
  prefixList('pl-00000000000000001', '0.0.0.0/0'),
  prefixList('pl-00000000000000002', '10.0.0.0/8', '172.16.0.0/12'),
];

function evaluate(groups: SecurityGroup[], settings: CheckSettings = SETTINGS) {
  return asCheck(sgAdminPortsPublic).evaluate(
    { target: TARGET, data: { 'ec2.securityGroups': groups, 'ec2.prefixLists': LISTS } },
    settings,
    AS_OF,
  );
}

function one(rules: IpPermission[], settings?: CheckSettings) {
  const [result] = evaluate([securityGroup('sg-1', rules)], settings);
  return result;
}

describe('ec2.sg.admin-ports-public', () => {
  it.each([
    { name: 'no inbound rules', rules: [], status: 'PASS', ports: [] },
    { name: 'tcp 22 from 0.0.0.0/0', rules: [tcp(22, 22, '0.0.0.0/0')], status: 'FAIL', ports: [22] },
    { name: 'tcp 3389 from ::/0', rules: [tcp(3389, 3389, '::/0')], status: 'FAIL', ports: [3389] },
    { name: 'a range covering 22', rules: [tcp(0, 1024, '0.0.0.0/0')], status: 'FAIL', ports: [22] },
    { name: 'udp 3389', rules: [udp(3389, 3389, '0.0.0.0/0')], status: 'FAIL', ports: [3389] },
    { name: 'all traffic (-1)', rules: [allTraffic('0.0.0.0/0')], status: 'FAIL', ports: [22, 3389] },
    {
      name: 'protocol by number "6"',
      rules: [permission('6', 22, 22, ['0.0.0.0/0'])],
      status: 'FAIL',
      ports: [22],
    },
    {
      name: 'protocol 47 ignores its port range',
      rules: [permission('47', 80, 80, ['0.0.0.0/0'])],
      status: 'FAIL',
      ports: [22, 3389],
    },
    {
      name: 'tcp without ports',
      rules: [permission('tcp', undefined, undefined, ['::/0'])],
      status: 'FAIL',
      ports: [22, 3389],
    },
    {
      name: 'icmp type 22 is not port 22',
      rules: [permission('icmp', 22, 22, ['0.0.0.0/0'])],
      status: 'PASS',
      ports: [],
    },
    { name: 'tcp 22 from a private range', rules: [tcp(22, 22, '10.0.0.0/8')], status: 'PASS', ports: [] },
    {
      name: '0.0.0.0/1 is not literally anywhere',
      rules: [tcp(22, 22, '0.0.0.0/1')],
      status: 'PASS',
      ports: [],
    },
    {
      name: 'a security-group reference',
      rules: [fromGroup('-1', undefined, undefined, 'sg-2')],
      status: 'PASS',
      ports: [],
    },
    {
      name: 'a customer prefix list holding 0.0.0.0/0',
      rules: [fromPrefixList('tcp', 22, 22, 'pl-00000000000000001')],
      status: 'FAIL',
      ports: [22],
    },
    {
      name: 'a prefix list of private ranges',
      rules: [fromPrefixList('tcp', 22, 22, 'pl-00000000000000002')],
      status: 'PASS',
      ports: [],
    },
    {
      name: 'tcp 80 and 443 from anywhere',
      rules: [tcp(80, 80, '0.0.0.0/0'), tcp(443, 443, '::/0')],
      status: 'PASS',
      ports: [],
    },
  ])('$name → $status', ({ rules, status, ports }) => {
    // Act
    const result = one(rules);

    // Assess
    expect(result?.status).toBe(status);
    const open = (result?.evidence.openRules as Array<{ ports: number[] }> | undefined) ?? [];
    expect([...new Set(open.flatMap((r) => r.ports))].sort((a, b) => a - b)).toEqual(ports);
  });

  it('lists each offending rule with protocol, port range and source', () => {
    // Act
    const result = one([
      tcp(22, 22, '0.0.0.0/0', '::/0'),
      fromPrefixList('tcp', 3389, 3389, 'pl-00000000000000001'),
    ]);

    // Assess
    expect(result).toEqual({
      status: 'FAIL',
      resourceId: sgArn('sg-1'),
      message:
        'Security group sg-1 (group-sg-1) admits the internet (0.0.0.0/0 or ::/0) on administration port(s) 22, 3389.',
      evidence: {
        groupId: 'sg-1',
        vpcId: 'vpc-0a1b2c3d',
        watchedPorts: [22, 3389],
        openRules: [
          { protocol: 'tcp', fromPort: 22, toPort: 22, portRange: '22', ports: [22], source: '0.0.0.0/0' },
          { protocol: 'tcp', fromPort: 22, toPort: 22, portRange: '22', ports: [22], source: '::/0' },
          {
            protocol: 'tcp',
            fromPort: 3389,
            toPort: 3389,
            portRange: '3389',
            ports: [3389],
            prefixListId: 'pl-00000000000000001',
            prefixListEntry: '0.0.0.0/0',
          },
        ],
      },
    });
  });

  it('says ERROR, naming the list, when a rule on an admin port references a list that was not read', () => {
    // Act
    const result = one([fromPrefixList('tcp', 22, 22, 'pl-0000000000000000f')]);

    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.message).toBe(
      'Security group sg-1 (group-sg-1) cannot be assessed on administration ports: prefix list pl-0000000000000000f could not be read.',
    );
  });

  it('ignores an unreadable list on a port it does not watch', () => {
    expect(one([fromPrefixList('tcp', 443, 443, 'pl-0000000000000000f')])?.status).toBe('PASS');
  });

  it('fails on a definite open rule even when another rule could not be read', () => {
    // Act
    const result = one([tcp(22, 22, '0.0.0.0/0'), fromPrefixList('tcp', 3389, 3389, 'pl-0000000000000000f')]);

    // Assess
    expect(result?.status).toBe('FAIL');
    expect(result?.evidence.unassessable).toEqual(['prefix list pl-0000000000000000f could not be read']);
  });

  it('watches the configured administration ports', () => {
    // Prepare
    const settings = settingsWith({ adminPorts: [2222] });

    // Act
    const custom = one([tcp(2222, 2222, '0.0.0.0/0')], settings);
    const ssh = one([tcp(22, 22, '0.0.0.0/0')], settings);

    // Assess
    expect(custom?.status).toBe('FAIL');
    expect(ssh?.status).toBe('PASS');
  });

  it('emits one finding per group, with its tags', () => {
    // Prepare
    const groups = [
      securityGroup('sg-1', [tcp(22, 22, '0.0.0.0/0')], { Tags: [{ Key: 'team', Value: 'web' }] }),
      securityGroup('sg-2'),
    ];

    // Act
    const results = evaluate(groups);

    // Assess
    expect(results.map((r) => [r.resourceId, r.status, r.tags])).toEqual([
      [sgArn('sg-1'), 'FAIL', { team: 'web' }],
      [sgArn('sg-2'), 'PASS', undefined],
    ]);
    expect(results[1]?.message).toBe(
      'Security group sg-2 (group-sg-2) admits no traffic from 0.0.0.0/0 or ::/0 on administration ports 22, 3389.',
    );
  });

  it('states its metadata', () => {
    expect(sgAdminPortsPublic.severity).toBe('high');
    expect(sgAdminPortsPublic.frameworks['cis-aws-3.0']).toEqual(['5.2', '5.3']);
    expect(sgAdminPortsPublic.frameworks['cis-aws-5.0']).toEqual(['5.3', '5.4']);
    expect(sgAdminPortsPublic.frameworks.fsbp).toEqual(['EC2.53', 'EC2.54', 'EC2.13', 'EC2.14']);
  });
});
