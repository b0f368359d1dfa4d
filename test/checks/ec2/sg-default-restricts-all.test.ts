import { describe, expect, it } from 'vitest';
import { sgDefaultRestrictsAll } from '../../../checks/ec2/sg-default-restricts-all.js';
import type { SecurityGroup } from '../../../core/aws-shapes.js';
import {
  AS_OF,
  allTraffic,
  asCheck,
  fromGroup,
  SETTINGS,
  securityGroup,
  sgArn,
  TARGET,
  tcp,
} from './fixtures.js';

function evaluate(groups: SecurityGroup[]) {
  return asCheck(sgDefaultRestrictsAll).evaluate(
    { target: TARGET, data: { 'ec2.securityGroups': groups } },
    SETTINGS,
    AS_OF,
  );
}

function defaultGroup(
  id: string,
  inbound: SecurityGroup['IpPermissions'],
  outbound: SecurityGroup['IpPermissionsEgress'],
) {
  return securityGroup(id, inbound, { GroupName: 'default', IpPermissionsEgress: outbound });
}

describe('ec2.sg.default-restricts-all', () => {
  it.each([
    {
      name: "AWS's default: self-reference in, everything out",
      group: defaultGroup(
        'sg-d',
        [fromGroup('-1', undefined, undefined, 'sg-d')],
        [allTraffic('0.0.0.0/0', '::/0')],
      ),
      status: 'FAIL',
      counts: [1, 1],
    },
    { name: 'no rules at all', group: defaultGroup('sg-d', [], []), status: 'PASS', counts: [0, 0] },
    {
      name: 'rules left unset',
      group: defaultGroup('sg-d', undefined, undefined),
      status: 'PASS',
      counts: [0, 0],
    },
    {
      name: 'outbound only',
      group: defaultGroup('sg-d', [], [allTraffic('0.0.0.0/0')]),
      status: 'FAIL',
      counts: [0, 1],
    },
    {
      name: 'a narrow inbound rule',
      group: defaultGroup('sg-d', [tcp(443, 443, '10.0.0.0/8')], []),
      status: 'FAIL',
      counts: [1, 0],
    },
  ])('$name → $status', ({ group, status, counts }) => {
    // Act
    const [result] = evaluate([group]);

    // Assess
    expect(result?.status).toBe(status);
    expect([result?.evidence.inboundRuleCount, result?.evidence.outboundRuleCount]).toEqual(counts);
  });

  it('judges only groups named default, one finding per VPC default group', () => {
    // Prepare
    const groups = [
      securityGroup('sg-web', [tcp(22, 22, '0.0.0.0/0')]),
      defaultGroup('sg-d1', [], []),
      { ...defaultGroup('sg-d2', [], [allTraffic('0.0.0.0/0')]), VpcId: 'vpc-2' },
    ];

    // Act
    const results = evaluate(groups);

    // Assess
    expect(results.map((r) => [r.resourceId, r.status])).toEqual([
      [sgArn('sg-d1'), 'PASS'],
      [sgArn('sg-d2'), 'FAIL'],
    ]);
  });

  it('shows each rule, including security-group references, as evidence', () => {
    // Act
    const [result] = evaluate([
      defaultGroup('sg-d', [fromGroup('-1', undefined, undefined, 'sg-d')], [allTraffic('0.0.0.0/0')]),
    ]);

    // Assess
    expect(result?.message).toBe(
      'Default security group sg-d (default) of vpc-0a1b2c3d has 1 inbound and 1 outbound rule(s).',
    );
    expect(result?.evidence.inboundRules).toEqual([
      {
        protocol: '-1',
        fromPort: null,
        toPort: null,
        portRange: 'all',
        securityGroups: ['111122223333/sg-d'],
      },
    ]);
    expect(result?.evidence.outboundRules).toEqual([
      { protocol: '-1', fromPort: null, toPort: null, portRange: 'all', ipRanges: ['0.0.0.0/0'] },
    ]);
  });
});
