import { describe, expect, it } from 'vitest';
import { sgUnauthorizedPortPublic } from '../../../checks/ec2/sg-unauthorized-port-public.js';
import type { IpPermission } from '../../../core/aws-shapes.js';
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

function one(rules: IpPermission[], settings: CheckSettings = SETTINGS) {
  const [result] = asCheck(sgUnauthorizedPortPublic).evaluate(
    {
      target: TARGET,
      data: {
        'ec2.securityGroups': [securityGroup('sg-1', rules)],
        'ec2.prefixLists': [prefixList('pl-00000000000000001', '0.0.0.0/0')],
      },
    },
    settings,
    AS_OF,
  );
  return result;
}

describe('ec2.sg.unauthorized-port-public', () => {
  it.each([
    {
      name: 'https and http from anywhere',
      rules: [tcp(443, 443, '0.0.0.0/0'), tcp(80, 80, '::/0')],
      status: 'PASS',
      outside: [],
    },
    {
      name: 'udp 443 (QUIC) from anywhere',
      rules: [udp(443, 443, '0.0.0.0/0')],
      status: 'PASS',
      outside: [],
    },
    {
      name: 'tcp 80-443 from anywhere',
      rules: [tcp(80, 443, '0.0.0.0/0')],
      status: 'FAIL',
      outside: ['81-442'],
    },
    { name: 'tcp 22 from anywhere', rules: [tcp(22, 22, '0.0.0.0/0')], status: 'FAIL', outside: ['22'] },
    {
      name: 'all traffic from ::/0',
      rules: [allTraffic('::/0')],
      status: 'FAIL',
      outside: ['0-79', '81-442', '444-65535'],
    },
    {
      name: '8080 through a prefix list holding 0.0.0.0/0',
      rules: [fromPrefixList('tcp', 8080, 8080, 'pl-00000000000000001')],
      status: 'FAIL',
      outside: ['8080'],
    },
    {
      name: 'icmp from anywhere opens no port',
      rules: [permission('icmp', 8, -1, ['0.0.0.0/0'])],
      status: 'PASS',
      outside: [],
    },
    { name: 'tcp 22 from a private range', rules: [tcp(22, 22, '10.0.0.0/8')], status: 'PASS', outside: [] },
    {
      name: 'tcp 22 from 0.0.0.0/1 (not literally anywhere)',
      rules: [tcp(22, 22, '0.0.0.0/1')],
      status: 'PASS',
      outside: [],
    },
    {
      name: 'a security-group reference',
      rules: [fromGroup('-1', undefined, undefined, 'sg-2')],
      status: 'PASS',
      outside: [],
    },
  ])('$name → $status', ({ rules, status, outside }) => {
    // Act
    const result = one(rules);

    // Assess
    expect(result?.status).toBe(status);
    const open = (result?.evidence.openRules as Array<{ unauthorizedPorts: string[] }> | undefined) ?? [];
    expect(open.flatMap((r) => r.unauthorizedPorts)).toEqual(outside);
  });

  it('lists each offending rule and the ports it opens beyond the public ports', () => {
    expect(one([tcp(80, 443, '0.0.0.0/0')])).toEqual({
      status: 'FAIL',
      resourceId: sgArn('sg-1'),
      message:
        'Security group sg-1 (group-sg-1) admits the internet (0.0.0.0/0 or ::/0) on ports outside the authorized public ports: 81-442.',
      evidence: {
        groupId: 'sg-1',
        vpcId: 'vpc-0a1b2c3d',
        publicPorts: [80, 443],
        openRules: [
          {
            protocol: 'tcp',
            fromPort: 80,
            toPort: 443,
            portRange: '80-443',
            unauthorizedPorts: ['81-442'],
            source: '0.0.0.0/0',
          },
        ],
      },
    });
  });

  it('follows network.publicPorts', () => {
    // Prepare
    const settings = settingsWith({ publicPorts: [8080] });

    // Act / Assess
    expect(one([tcp(8080, 8080, '0.0.0.0/0')], settings)?.status).toBe('PASS');
    expect(one([tcp(443, 443, '0.0.0.0/0')], settings)?.status).toBe('FAIL');
  });

  it.each([
    {
      name: 'on a non-public port',
      rules: [fromPrefixList('tcp', 22, 22, 'pl-0000000000000000f')],
      status: 'ERROR',
    },
    {
      name: 'on a public port only',
      rules: [fromPrefixList('tcp', 443, 443, 'pl-0000000000000000f')],
      status: 'PASS',
    },
  ])('an unreadable prefix list $name → $status', ({ rules, status }) => {
    expect(one(rules)?.status).toBe(status);
  });
});
