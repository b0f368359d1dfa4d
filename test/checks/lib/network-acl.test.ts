import { describe, expect, it } from 'vitest';
import {
  aclDecisionForAddress,
  aclEntryMatchesTraffic,
  aclProtocol,
  describeAclEntry,
  evaluateAcl,
  networkAclForSubnet,
  orderedEntries,
  PROTOCOL_ICMP,
  PROTOCOL_TCP,
  PROTOCOL_UDP,
} from '../../../checks/lib/network-acl.js';
import { aclIn, aclOut, defaultAcl, networkAcl, SUBNET_ID, VPC_ID } from '../ec2/fixtures.js';

const SSH = { protocol: PROTOCOL_TCP, port: 22 };

describe('aclProtocol', () => {
  it.each([
    ['-1', 'all'],
    ['6', 6],
    ['17', 17],
    ['1', 1],
    ['58', 58],
    ['47', 47],
    ['tcp', 6],
    ['all', 'all'],
    ['bogus', undefined],
  ])('%s → %s', (written, read) => {
    expect(aclProtocol(written)).toBe(read);
  });
});

describe('aclEntryMatchesTraffic', () => {
  it.each([
    {
      name: '6 with 22-22, tcp 22',
      entry: aclIn(100, 'allow', '0.0.0.0/0', '6', { From: 22, To: 22 }),
      traffic: SSH,
      match: true,
    },
    {
      name: '6 with 22-22, tcp 23',
      entry: aclIn(100, 'allow', '0.0.0.0/0', '6', { From: 22, To: 22 }),
      traffic: { protocol: PROTOCOL_TCP, port: 23 },
      match: false,
    },
    {
      name: '6 with 22-22, udp 22',
      entry: aclIn(100, 'allow', '0.0.0.0/0', '6', { From: 22, To: 22 }),
      traffic: { protocol: PROTOCOL_UDP, port: 22 },
      match: false,
    },
    {
      name: '6 with a range',
      entry: aclIn(100, 'allow', '0.0.0.0/0', '6', { From: 1, To: 1024 }),
      traffic: SSH,
      match: true,
    },
    {
      name: '6 without PortRange = all ports',
      entry: aclIn(100, 'allow', '0.0.0.0/0', '6'),
      traffic: { protocol: PROTOCOL_TCP, port: 9300 },
      match: true,
    },
    {
      name: '-1 ignores a port range',
      entry: aclIn(100, 'allow', '0.0.0.0/0', '-1', { From: 80, To: 80 }),
      traffic: SSH,
      match: true,
    },
    {
      name: '17 with 3389',
      entry: aclIn(100, 'allow', '0.0.0.0/0', '17', { From: 3389, To: 3389 }),
      traffic: { protocol: PROTOCOL_UDP, port: 3389 },
      match: true,
    },
    {
      name: 'icmp entry, icmp traffic',
      entry: aclIn(100, 'allow', '0.0.0.0/0', '1'),
      traffic: { protocol: PROTOCOL_ICMP },
      match: true,
    },
    {
      name: 'icmp entry, tcp traffic',
      entry: aclIn(100, 'allow', '0.0.0.0/0', '1'),
      traffic: SSH,
      match: false,
    },
    {
      name: 'protocol 47 entry ignores ports',
      entry: aclIn(100, 'allow', '0.0.0.0/0', '47', { From: 1, To: 1 }),
      traffic: { protocol: 47, port: 22 },
      match: true,
    },
    {
      name: 'unreadable protocol never matches',
      entry: aclIn(100, 'allow', '0.0.0.0/0', 'bogus'),
      traffic: SSH,
      match: false,
    },
  ])('$name → $match', ({ entry, traffic, match }) => {
    expect(aclEntryMatchesTraffic(entry, traffic)).toBe(match);
  });
});

describe('first match', () => {
  it.each([
    {
      name: 'a narrower deny before a broad allow denies the narrow part',
      entries: [
        aclIn(100, 'deny', '1.2.3.0/24', '6', { From: 22, To: 22 }),
        aclIn(200, 'allow', '0.0.0.0/0'),
      ],
      address: '1.2.3.4',
      action: 'deny',
      rule: 100,
    },
    {
      name: '... and allows the rest',
      entries: [
        aclIn(100, 'deny', '1.2.3.0/24', '6', { From: 22, To: 22 }),
        aclIn(200, 'allow', '0.0.0.0/0'),
      ],
      address: '8.8.8.8',
      action: 'allow',
      rule: 200,
    },
    {
      name: 'a broad allow before a narrower deny wins',
      entries: [aclIn(100, 'allow', '0.0.0.0/0'), aclIn(200, 'deny', '1.2.3.0/24')],
      address: '1.2.3.4',
      action: 'allow',
      rule: 100,
    },
    {
      name: 'order is by rule number, not by list position',
      entries: [aclIn(200, 'allow', '0.0.0.0/0'), aclIn(100, 'deny', '0.0.0.0/0', '6', { From: 22, To: 22 })],
      address: '8.8.8.8',
      action: 'deny',
      rule: 100,
    },
    {
      name: 'an entry for another port is passed over',
      entries: [
        aclIn(100, 'deny', '0.0.0.0/0', '6', { From: 80, To: 80 }),
        aclIn(200, 'allow', '0.0.0.0/0', '6', { From: 22, To: 22 }),
      ],
      address: '8.8.8.8',
      action: 'allow',
      rule: 200,
    },
    {
      name: 'IPv4 entries never match IPv6 traffic',
      entries: [aclIn(100, 'allow', '0.0.0.0/0')],
      address: '2600::1',
      action: 'deny',
      rule: 32768,
    },
    {
      name: 'IPv6 entries decide IPv6 traffic',
      entries: [aclIn(100, 'allow', '::/0', '6', { From: 22, To: 22 })],
      address: '2600::1',
      action: 'allow',
      rule: 100,
    },
    {
      name: 'egress entries never decide ingress',
      entries: [aclOut(100, 'allow', '0.0.0.0/0')],
      address: '8.8.8.8',
      action: 'deny',
      rule: 32767,
    },
  ])('$name', ({ entries, address, action, rule }) => {
    // Prepare
    const acl = networkAcl('acl-1', entries);

    // Act
    const decision = aclDecisionForAddress(acl, 'ingress', address, SSH);

    // Assess
    expect(decision.action).toBe(action);
    expect(decision.entry?.RuleNumber).toBe(rule);
  });

  it('denies by the implicit final rule when the ACL lists no catch-all', () => {
    // Prepare
    const acl = { NetworkAclId: 'acl-empty', Entries: [] };

    // Act
    const decision = aclDecisionForAddress(acl, 'ingress', '8.8.8.8', SSH);

    // Assess
    expect(decision).toEqual({ action: 'deny' });
  });

  it('splits a set of sources into the part each entry decides', () => {
    // Prepare
    const acl = networkAcl('acl-1', [
      aclIn(100, 'deny', '0.0.0.0/1', '6', { From: 22, To: 22 }),
      aclIn(200, 'allow', '0.0.0.0/0'),
    ]);

    // Act
    const decisions = evaluateAcl(acl, 'ingress', 4, SSH, ['0.0.0.0/0']);

    // Assess
    expect(decisions.map((d) => [d.action, d.entry?.RuleNumber, d.cidrs])).toEqual([
      ['deny', 100, ['0.0.0.0/1']],
      ['allow', 200, ['128.0.0.0/1']],
    ]);
  });

  it('leaves what no entry matches to the implicit deny', () => {
    // Prepare
    const acl = { NetworkAclId: 'acl-1', Entries: [aclIn(100, 'allow', '10.0.0.0/8')] };

    // Act
    const decisions = evaluateAcl(acl, 'ingress', 4, SSH, ['10.0.0.0/7']);

    // Assess
    expect(decisions).toEqual([
      { action: 'allow', entry: aclIn(100, 'allow', '10.0.0.0/8'), cidrs: ['10.0.0.0/8'] },
      { action: 'deny', cidrs: ['11.0.0.0/8'] },
    ]);
  });

  it('orders entries per direction and family', () => {
    // Prepare
    const acl = networkAcl('acl-1', [
      aclIn(300, 'allow', '::/0'),
      aclIn(200, 'allow', '0.0.0.0/0'),
      aclIn(100, 'deny', '10.0.0.0/8'),
    ]);

    // Act
    const ipv4 = orderedEntries(acl, 'ingress', 4).map((e) => e.RuleNumber);
    const ipv6 = orderedEntries(acl, 'ingress', 6).map((e) => e.RuleNumber);

    // Assess
    expect(ipv4).toEqual([100, 200, 32767]);
    expect(ipv6).toEqual([300, 32768]);
  });

  it('describes an entry for evidence', () => {
    expect(describeAclEntry(aclIn(100, 'allow', '0.0.0.0/0', '6', { From: 22, To: 22 }))).toEqual({
      ruleNumber: 100,
      action: 'allow',
      protocol: '6',
      cidr: '0.0.0.0/0',
      portRange: '22-22',
    });
    expect(describeAclEntry(aclIn(100, 'deny', '::/0')).portRange).toBe('all');
  });
});

describe('networkAclForSubnet', () => {
  const custom = networkAcl('acl-custom', [], {
    Associations: [{ NetworkAclId: 'acl-custom', SubnetId: SUBNET_ID }],
  });
  const ownDefault = defaultAcl('acl-default', []);
  const otherDefault = { ...defaultAcl('acl-other', []), VpcId: 'vpc-other' };

  it.each([
    { name: 'the associated ACL', acls: [ownDefault, custom], id: 'acl-custom' },
    { name: "else the VPC's default ACL", acls: [otherDefault, ownDefault], id: 'acl-default' },
    { name: "never another VPC's default", acls: [otherDefault], id: undefined },
  ])('$name', ({ acls, id }) => {
    expect(networkAclForSubnet(acls, SUBNET_ID, VPC_ID)?.NetworkAclId).toBe(id);
  });
});
