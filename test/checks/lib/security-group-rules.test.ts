import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describePermission,
  describePermissionTargets,
  describeUnassessable,
  inboundSources,
  type PortProtocol,
  permissionAdmits,
  permissionPortRange,
  permissionSources,
  portsAdmitted,
  portsOpenedOutside,
  prefixListIndex,
  sgProtocol,
} from '../../../checks/lib/security-group-rules.js';
import {
  allTraffic,
  fromGroup,
  fromPrefixList,
  permission,
  prefixList,
  securityGroup,
  tcp,
  udp,
} from '../ec2/fixtures.js';

const PROPERTY = { seed: 42, numRuns: 200 } as const;
const portArb = fc.integer({ min: 0, max: 65535 });
const protocolArb = fc.constantFrom<PortProtocol>('tcp', 'udp');

describe('sgProtocol', () => {
  it.each([
    ['tcp', 'tcp'],
    ['TCP', 'tcp'],
    ['6', 'tcp'],
    ['udp', 'udp'],
    ['17', 'udp'],
    ['icmp', 'icmp'],
    ['1', 'icmp'],
    ['icmpv6', 'icmpv6'],
    ['58', 'icmpv6'],
    ['-1', 'all'],
    ['47', 'all'],
    ['50', 'all'],
    ['0', 'all'],
    ['132', 'all'],
    ['sctp', 'all'],
  ])('%s → %s', (written, read) => {
    expect(sgProtocol(written)).toBe(read);
  });
});

describe('permissionPortRange', () => {
  it.each([
    { name: 'tcp 22', rule: tcp(22, 22), range: { from: 22, to: 22 } },
    { name: 'tcp 0-1024', rule: tcp(0, 1024), range: { from: 0, to: 1024 } },
    {
      name: 'tcp without ports',
      rule: permission('tcp', undefined, undefined, []),
      range: { from: 0, to: 65535 },
    },
    { name: 'tcp -1/-1', rule: permission('tcp', -1, -1, []), range: { from: 0, to: 65535 } },
    { name: 'tcp with only ToPort', rule: permission('6', undefined, 25, []), range: { from: 0, to: 25 } },
    { name: '-1 ignores its port range', rule: permission('-1', 22, 22, []), range: { from: 0, to: 65535 } },
    {
      name: 'protocol 47 ignores its port range',
      rule: permission('47', 22, 22, []),
      range: { from: 0, to: 65535 },
    },
    { name: 'icmp type/code are not ports', rule: permission('icmp', 8, -1, []), range: undefined },
    { name: 'icmp 22/22 is type 22, not port 22', rule: permission('1', 22, 22, []), range: undefined },
    { name: 'icmpv6 without type/code', rule: permission('58', undefined, undefined, []), range: undefined },
  ])('$name', ({ rule, range }) => {
    expect(permissionPortRange(rule)).toEqual(range);
  });
});

describe('permissionAdmits', () => {
  it.each([
    { name: 'tcp range covering 22', rule: tcp(0, 1024), protocol: 'tcp', port: 22, admits: true },
    { name: 'tcp range not covering 3389', rule: tcp(0, 1024), protocol: 'tcp', port: 3389, admits: false },
    { name: 'tcp rule, udp traffic', rule: tcp(0, 1024), protocol: 'udp', port: 22, admits: false },
    { name: 'udp 3389', rule: udp(3389, 3389), protocol: 'udp', port: 3389, admits: true },
    { name: '"6" by number', rule: permission('6', 20, 25, []), protocol: 'tcp', port: 22, admits: true },
    { name: '"17" by number', rule: permission('17', 53, 53, []), protocol: 'udp', port: 53, admits: true },
    { name: '-1 on tcp', rule: allTraffic(), protocol: 'tcp', port: 3389, admits: true },
    { name: '-1 on udp', rule: allTraffic(), protocol: 'udp', port: 22, admits: true },
    {
      name: 'protocol 50 opens udp 500',
      rule: permission('50', 0, 0, []),
      protocol: 'udp',
      port: 500,
      admits: true,
    },
    {
      name: 'icmp type 22 is not port 22',
      rule: permission('icmp', 22, 22, []),
      protocol: 'tcp',
      port: 22,
      admits: false,
    },
    {
      name: 'icmpv6 never opens a port',
      rule: permission('58', -1, -1, []),
      protocol: 'tcp',
      port: 22,
      admits: false,
    },
    {
      name: 'tcp missing ports = all',
      rule: permission('tcp', undefined, undefined, []),
      protocol: 'tcp',
      port: 9200,
      admits: true,
    },
  ] as const)('$name → $admits', ({ rule, protocol, port, admits }) => {
    expect(permissionAdmits(rule, protocol, port)).toBe(admits);
  });

  it('a port inside [from, to] always matches, one outside never does (property)', () => {
    fc.assert(
      fc.property(portArb, portArb, portArb, protocolArb, (a, b, port, protocol) => {
        const [from, to] = [Math.min(a, b), Math.max(a, b)];
        const rule = permission(protocol, from, to, []);
        expect(permissionAdmits(rule, protocol, port)).toBe(from <= port && port <= to);
        expect(permissionAdmits(rule, protocol === 'tcp' ? 'udp' : 'tcp', port)).toBe(false);
      }),
      PROPERTY,
    );
  });

  it('-1 matches every port of both protocols, whatever its range says (property)', () => {
    fc.assert(
      fc.property(
        fc.option(portArb),
        fc.option(portArb),
        portArb,
        protocolArb,
        (from, to, port, protocol) => {
          const rule = permission('-1', from ?? undefined, to ?? undefined, []);
          expect(permissionAdmits(rule, protocol, port)).toBe(true);
        },
      ),
      PROPERTY,
    );
  });

  it('any numeric protocol other than 1, 6, 17 and 58 matches every port (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }).filter((n) => ![1, 6, 17, 58].includes(n)),
        portArb,
        protocolArb,
        (number, port, protocol) => {
          expect(permissionAdmits(permission(String(number), 22, 22, []), protocol, port)).toBe(true);
        },
      ),
      PROPERTY,
    );
  });
});

describe('portsAdmitted and portsOpenedOutside', () => {
  it.each([
    { name: 'tcp 0-1024 on admin ports', rule: tcp(0, 1024), ports: [22, 3389], admitted: [22] },
    { name: '-1 on admin ports', rule: allTraffic(), ports: [3389, 22], admitted: [22, 3389] },
    { name: 'icmp on admin ports', rule: permission('icmp', -1, -1, []), ports: [22, 3389], admitted: [] },
  ])('$name', ({ rule, ports, admitted }) => {
    expect(portsAdmitted(rule, ports)).toEqual(admitted);
  });

  it.each([
    { name: 'tcp 80 only', rule: tcp(80, 80), outside: [] },
    { name: 'tcp 80-443', rule: tcp(80, 443), outside: ['81-442'] },
    { name: 'tcp all', rule: tcp(0, 65535), outside: ['0-79', '81-442', '444-65535'] },
    { name: '-1 (tcp and udp, listed once)', rule: allTraffic(), outside: ['0-79', '81-442', '444-65535'] },
    { name: 'udp 443', rule: udp(443, 443), outside: [] },
    { name: 'icmp opens no port', rule: permission('icmp', 8, 0, []), outside: [] },
  ])('$name → $outside', ({ rule, outside }) => {
    expect(portsOpenedOutside(rule, [80, 443])).toEqual(outside);
  });
});

describe('permissionSources', () => {
  const lists = prefixListIndex([
    prefixList('pl-0000000000000000a', '0.0.0.0/0'),
    prefixList('pl-0000000000000000b', '198.51.100.0/24', '2001:db8::/32'),
    prefixList('pl-0000000000000000c', 'garbage'),
  ]);

  it.each([
    {
      name: 'IPv4 and IPv6 ranges',
      rule: tcp(22, 22, '0.0.0.0/0', '::/0'),
      sources: [
        { cidr: '0.0.0.0/0', ipVersion: 4, written: '0.0.0.0/0' },
        { cidr: '::/0', ipVersion: 6, written: '::/0' },
      ],
      unassessable: [],
    },
    {
      name: 'a customer prefix list holding 0.0.0.0/0',
      rule: fromPrefixList('tcp', 22, 22, 'pl-0000000000000000a'),
      sources: [
        { cidr: '0.0.0.0/0', ipVersion: 4, written: '0.0.0.0/0', prefixListId: 'pl-0000000000000000a' },
      ],
      unassessable: [],
    },
    {
      name: 'a prefix list with both families',
      rule: fromPrefixList('tcp', 22, 22, 'pl-0000000000000000b'),
      sources: [
        {
          cidr: '198.51.100.0/24',
          ipVersion: 4,
          written: '198.51.100.0/24',
          prefixListId: 'pl-0000000000000000b',
        },
        {
          cidr: '2001:db8::/32',
          ipVersion: 6,
          written: '2001:db8::/32',
          prefixListId: 'pl-0000000000000000b',
        },
      ],
      unassessable: [],
    },
    {
      name: 'a prefix list that was not collected',
      rule: fromPrefixList('tcp', 22, 22, 'pl-0000000000000000f'),
      sources: [],
      unassessable: [
        {
          reason: 'prefix-list-unreadable',
          value: 'pl-0000000000000000f',
          prefixListId: 'pl-0000000000000000f',
        },
      ],
    },
    {
      name: 'a security-group reference is never an address range',
      rule: fromGroup('-1', undefined, undefined, 'sg-other'),
      sources: [],
      unassessable: [],
    },
    {
      name: 'an entry that does not parse',
      rule: fromPrefixList('tcp', 22, 22, 'pl-0000000000000000c'),
      sources: [],
      unassessable: [{ reason: 'invalid-cidr', value: 'garbage', prefixListId: 'pl-0000000000000000c' }],
    },
  ])('$name', ({ rule, sources, unassessable }) => {
    // Act
    const read = permissionSources(rule, lists);

    // Assess
    expect(read.sources).toEqual(sources);
    expect(read.unassessable).toEqual(unassessable);
  });

  it('collects every inbound source of a group with its rule', () => {
    // Prepare
    const ssh = tcp(22, 22, '0.0.0.0/0');
    const list = fromPrefixList('tcp', 443, 443, 'pl-0000000000000000f');
    const group = securityGroup('sg-1', [ssh, list]);

    // Act
    const read = inboundSources(group, lists);

    // Assess
    expect(read.sources).toEqual([
      { permission: ssh, source: { cidr: '0.0.0.0/0', ipVersion: 4, written: '0.0.0.0/0' } },
    ]);
    expect(read.unassessable.map((u) => describeUnassessable(u.problem))).toEqual([
      'prefix list pl-0000000000000000f could not be read',
    ]);
  });
});

describe('evidence descriptions', () => {
  it.each([
    { rule: tcp(22, 22), portRange: '22' },
    { rule: tcp(0, 1024), portRange: '0-1024' },
    { rule: allTraffic(), portRange: 'all' },
    { rule: permission('icmp', 8, -1, []), portRange: 'icmp type 8 code all' },
    { rule: permission('icmpv6', undefined, undefined, []), portRange: 'icmpv6 type all code all' },
  ])('$rule.IpProtocol $rule.FromPort-$rule.ToPort reads "$portRange"', ({ rule, portRange }) => {
    expect(describePermission(rule).portRange).toBe(portRange);
  });

  it('names security-group references among a rule targets', () => {
    expect(describePermissionTargets(fromGroup('-1', undefined, undefined, 'sg-self'))).toEqual({
      protocol: '-1',
      fromPort: null,
      toPort: null,
      portRange: 'all',
      securityGroups: ['111122223333/sg-self'],
    });
  });

  it.each([
    { problem: { reason: 'invalid-cidr', value: 'x' } as const, text: 'CIDR "x" does not parse' },
    {
      problem: { reason: 'invalid-cidr', value: 'x', prefixListId: 'pl-1' } as const,
      text: 'entry "x" of prefix list pl-1 does not parse',
    },
  ])('$text', ({ problem, text }) => {
    expect(describeUnassessable(problem)).toBe(text);
  });
});
