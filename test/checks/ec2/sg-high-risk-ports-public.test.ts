import { describe, expect, it } from 'vitest';
import { sgHighRiskPortsPublic } from '../../../checks/ec2/sg-high-risk-ports-public.js';
import type { IpPermission } from '../../../core/aws-shapes.js';
import type { CheckSettings } from '../../../core/types.js';
import {
  AS_OF,
  allTraffic,
  asCheck,
  fromPrefixList,
  prefixList,
  SETTINGS,
  securityGroup,
  settingsWith,
  TARGET,
  tcp,
  udp,
} from './fixtures.js';

function one(rules: IpPermission[], settings: CheckSettings = SETTINGS) {
  const [result] = asCheck(sgHighRiskPortsPublic).evaluate(
    {
      target: TARGET,
      data: {
        'ec2.securityGroups': [securityGroup('sg-1', rules)],
        'ec2.prefixLists': [prefixList('pl-00000000000000001', '::/0')],
      },
    },
    settings,
    AS_OF,
  );
  return result;
}

function openPorts(rules: IpPermission[], settings?: CheckSettings): number[] {
  const open = (one(rules, settings)?.evidence.openRules as Array<{ ports: number[] }> | undefined) ?? [];
  return [...new Set(open.flatMap((r) => r.ports))].sort((a, b) => a - b);
}

describe('ec2.sg.high-risk-ports-public', () => {
  it.each([
    { name: 'MySQL from anywhere', rules: [tcp(3306, 3306, '0.0.0.0/0')], status: 'FAIL', ports: [3306] },
    { name: 'CIFS over udp', rules: [udp(445, 445, '0.0.0.0/0')], status: 'FAIL', ports: [445] },
    {
      name: 'OpenSearch over IPv6 via a prefix list',
      rules: [fromPrefixList('tcp', 9200, 9300, 'pl-00000000000000001')],
      status: 'FAIL',
      ports: [9200, 9300],
    },
    {
      name: 'a range covering 5432 and 5500',
      rules: [tcp(5400, 5500, '::/0')],
      status: 'FAIL',
      ports: [5432, 5500],
    },
    {
      name: 'SSH is left to the admin-ports check',
      rules: [tcp(22, 22, '0.0.0.0/0')],
      status: 'PASS',
      ports: [],
    },
    { name: 'MySQL from a private range', rules: [tcp(3306, 3306, '10.0.0.0/8')], status: 'PASS', ports: [] },
    { name: 'HTTPS from anywhere', rules: [tcp(443, 443, '0.0.0.0/0')], status: 'PASS', ports: [] },
  ])('$name → $status', ({ rules, status, ports }) => {
    expect(one(rules)?.status).toBe(status);
    expect(openPorts(rules)).toEqual(ports);
  });

  it('an all-traffic rule opens every high-risk port but the admin ones', () => {
    expect(openPorts([allTraffic('0.0.0.0/0')])).toEqual([
      20, 21, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 4333, 5000, 5432, 5500, 5601, 8080, 8088,
      8888, 9200, 9300,
    ]);
  });

  it('takes over RDP when it is not a configured admin port', () => {
    expect(openPorts([tcp(3389, 3389, '0.0.0.0/0')], settingsWith({ adminPorts: [22] }))).toEqual([3389]);
  });

  it('names the kind of ports in its message', () => {
    expect(one([tcp(3306, 3306, '0.0.0.0/0')])?.message).toBe(
      'Security group sg-1 (group-sg-1) admits the internet (0.0.0.0/0 or ::/0) on high-risk port(s) 3306.',
    );
  });

  it('says ERROR when a rule on a high-risk port references a list that was not read', () => {
    expect(one([fromPrefixList('tcp', 3306, 3306, 'pl-0000000000000000f')])?.status).toBe('ERROR');
  });
});
