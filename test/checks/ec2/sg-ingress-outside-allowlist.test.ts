import { describe, expect, it } from 'vitest';
import { sgIngressOutsideAllowlist } from '../../../checks/ec2/sg-ingress-outside-allowlist.js';
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
  TARGET,
  tcp,
} from './fixtures.js';

const OFFICE = 'pl-0000000000000000a';
const PARTNER = 'pl-0000000000000000b';
const UNREAD = 'pl-0000000000000000f';
const ALLOW = settingsWith({ allowlist: ['8.8.8.0/24', '2600:1f18::/32', OFFICE] });
const LISTS = [prefixList(OFFICE, '52.95.0.0/16'), prefixList(PARTNER, '0.0.0.0/0')];

function one(rules: IpPermission[], settings: CheckSettings = ALLOW) {
  const [result] = asCheck(sgIngressOutsideAllowlist).evaluate(
    {
      target: TARGET,
      data: { 'ec2.securityGroups': [securityGroup('sg-1', rules)], 'ec2.prefixLists': LISTS },
    },
    settings,
    AS_OF,
  );
  return result;
}

describe('ec2.sg.ingress-outside-allowlist', () => {
  it('does not run without an allowlist, and says why', () => {
    expect(sgIngressOutsideAllowlist.notApplicable?.(SETTINGS)).toBe(
      'network.allowlist is not configured, so there is no approved source list to compare rules against',
    );
    expect(sgIngressOutsideAllowlist.notApplicable?.(ALLOW)).toBeUndefined();
    expect(one([tcp(22, 22, '0.0.0.0/0')], SETTINGS)).toBeUndefined();
  });

  it.each([
    { name: 'SSH from inside an allowed CIDR', rules: [tcp(22, 22, '8.8.8.0/25')], status: 'PASS' },
    { name: 'SSH from an allowed IPv6 range', rules: [tcp(22, 22, '2600:1f18:aa::/48')], status: 'PASS' },
    {
      name: 'SSH from an entry of an allowlisted list',
      rules: [tcp(22, 22, '52.95.1.0/24')],
      status: 'PASS',
    },
    {
      name: 'SSH through the allowlisted list itself',
      rules: [fromPrefixList('tcp', 22, 22, OFFICE)],
      status: 'PASS',
    },
    { name: 'SSH from a private range', rules: [tcp(22, 22, '10.0.0.0/8', 'fd00::/8')], status: 'PASS' },
    { name: 'SSH from a documentation range', rules: [tcp(22, 22, '198.51.100.0/24')], status: 'PASS' },
    {
      name: 'HTTPS from anywhere (a public port)',
      rules: [tcp(443, 443, '0.0.0.0/0', '::/0')],
      status: 'PASS',
    },
    {
      name: 'ICMP from anywhere opens no port',
      rules: [permission('icmp', -1, -1, ['0.0.0.0/0'])],
      status: 'PASS',
    },
    {
      name: 'a security-group reference',
      rules: [fromGroup('-1', undefined, undefined, 'sg-2')],
      status: 'PASS',
    },
    { name: 'SSH from anywhere', rules: [tcp(22, 22, '0.0.0.0/0')], status: 'FAIL' },
    { name: 'SSH from 0.0.0.0/1', rules: [tcp(22, 22, '0.0.0.0/1')], status: 'FAIL' },
    { name: 'SSH from ::/0', rules: [tcp(22, 22, '::/0')], status: 'FAIL' },
    { name: 'SSH from a range half outside', rules: [tcp(22, 22, '8.8.8.0/23')], status: 'FAIL' },
    { name: 'all traffic from anywhere', rules: [allTraffic('0.0.0.0/0')], status: 'FAIL' },
    {
      name: 'a list that is not allowlisted, holding 0.0.0.0/0',
      rules: [fromPrefixList('tcp', 22, 22, PARTNER)],
      status: 'FAIL',
    },
    { name: 'a list that was not read', rules: [fromPrefixList('tcp', 22, 22, UNREAD)], status: 'ERROR' },
  ])('$name → $status', ({ rules, status }) => {
    expect(one(rules)?.status).toBe(status);
  });

  it('lists the offending rule, its non-public ports and the public ranges that escape', () => {
    // Act
    const result = one([tcp(22, 22, '8.8.8.0/23')]);

    // Assess
    expect(result?.message).toBe(
      'Security group sg-1 (group-sg-1) admits public sources outside the allowlist (8.8.8.0/23) on ports outside the public ports.',
    );
    expect(result?.evidence.outsideRules).toEqual([
      {
        protocol: 'tcp',
        fromPort: 22,
        toPort: 22,
        portRange: '22',
        portsOutsidePublicPorts: ['22'],
        source: '8.8.8.0/23',
        publicRangesOutsideAllowlist: ['8.8.9.0/24'],
        publicRangesOutsideAllowlistCount: 1,
      },
    ]);
  });

  it('caps the listed ranges and counts them all', () => {
    // Act
    const rules = (one([tcp(22, 22, '0.0.0.0/0')])?.evidence.outsideRules ?? []) as Array<
      Record<string, unknown>
    >;
    const [rule] = rules;

    // Assess
    expect(rule?.publicRangesOutsideAllowlist).toHaveLength(8);
    expect(rule?.publicRangesOutsideAllowlistCount).toBeGreaterThan(8);
  });

  it('fails a source outside the rest when an allowlisted list does not exist in the region', () => {
    // Prepare
    const settings = settingsWith({ allowlist: ['8.8.8.0/24', UNREAD] });

    // Act
    const outside = one([tcp(22, 22, '52.0.0.0/8')], settings);
    const inside = one([tcp(22, 22, '8.8.8.0/24')], settings);
    const byId = one([fromPrefixList('tcp', 22, 22, UNREAD)], settings);

    // Assess
    expect(outside?.status).toBe('FAIL');
    expect(inside?.status).toBe('PASS');
    expect(byId?.status).toBe('PASS');
  });

  it('follows network.publicPorts', () => {
    expect(one([tcp(22, 22, '0.0.0.0/0')], settingsWith({ allowlist: [], publicPorts: [22] }))?.status).toBe(
      'PASS',
    );
  });
});
