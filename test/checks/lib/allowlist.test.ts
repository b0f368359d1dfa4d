import { describe, expect, it } from 'vitest';
import { isPrefixListId, judgeSource, resolveAllowlist } from '../../../checks/lib/allowlist.js';
import { prefixListIndex, type RuleSource } from '../../../checks/lib/security-group-rules.js';
import { prefixList } from '../ec2/fixtures.js';

const OFFICE = 'pl-0000000000000000a';
const UNREAD = 'pl-0000000000000000f';
const lists = prefixListIndex([prefixList(OFFICE, '8.8.4.0/24', '2600:1f18::/32')]);

function source(cidr: string, prefixListId?: string): RuleSource {
  return {
    cidr,
    ipVersion: cidr.includes(':') ? 6 : 4,
    written: cidr,
    ...(prefixListId ? { prefixListId } : {}),
  };
}

describe('resolveAllowlist', () => {
  it('expands allowlisted prefix lists; one absent from the region approves nothing there', () => {
    // Act
    const allowlist = resolveAllowlist(['8.8.8.0/24', OFFICE, UNREAD], lists);

    // Assess
    expect(allowlist.cidrs).toEqual(['8.8.8.0/24', '8.8.4.0/24', '2600:1f18::/32']);
    expect([...allowlist.prefixListIds]).toEqual([OFFICE, UNREAD]);
  });

  it('throws on an entry the config schema should have refused', () => {
    expect(() => resolveAllowlist(['10.0.0.0/33'], lists)).toThrow(
      'network.allowlist entry "10.0.0.0/33" is not an IPv4/IPv6 CIDR or prefix list id',
    );
  });

  it.each([
    ['pl-0123456789abcdef0', true],
    ['pl-', false],
    ['10.0.0.0/8', false],
  ])('isPrefixListId(%s) = %s', (value, expected) => {
    expect(isPrefixListId(value)).toBe(expected);
  });
});

describe('judgeSource', () => {
  const allowlist = resolveAllowlist(['8.8.8.0/24', OFFICE], lists);

  it.each([
    { name: 'inside an allowed CIDR', src: source('8.8.8.128/25'), inside: true },
    { name: 'inside an allowlisted list entry', src: source('8.8.4.0/24'), inside: true },
    { name: 'IPv6 inside a list entry', src: source('2600:1f18:1::/48'), inside: true },
    { name: 'the allowlisted list itself, by id', src: source('0.0.0.0/0', OFFICE), inside: true },
    { name: 'private range', src: source('10.0.0.0/8'), inside: true },
    { name: 'documentation range', src: source('198.51.100.0/24'), inside: true },
    { name: 'anywhere', src: source('0.0.0.0/0'), inside: false },
    { name: '0.0.0.0/1 is internet too', src: source('0.0.0.0/1'), inside: false },
    {
      name: 'an entry of a list that is not allowlisted',
      src: source('52.0.0.0/8', 'pl-0000000000000000b'),
      inside: false,
    },
    { name: 'IPv6 anywhere', src: source('::/0'), inside: false },
  ])('$name → $inside', ({ src, inside }) => {
    expect(judgeSource(src, allowlist).inside).toBe(inside);
  });

  it('judges a source against the rest when an allowlisted list does not exist in the region', () => {
    // Prepare
    const partial = resolveAllowlist(['8.8.8.0/24', UNREAD], lists);

    // Act
    const verdict = judgeSource(source('52.0.0.0/8'), partial);

    // Assess
    expect(verdict).toEqual({ inside: false, outside: ['52.0.0.0/8'] });
  });

  it('lists the public addresses that escape', () => {
    expect(judgeSource(source('8.8.8.0/23'), allowlist)).toEqual({ inside: false, outside: ['8.8.9.0/24'] });
  });
});
