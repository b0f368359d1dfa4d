import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import {
  cidrsOverlap,
  cidrsWithin,
  cidrVersion,
  holdsPublicAddresses,
  intersectCidrs,
  isAnywhere,
  isPublicAddress,
  NON_PUBLIC_SPACE,
  parseCidrBlock,
  publicOutside,
  publicPart,
  subtractCidrs,
  unionCidrs,
} from '../../../checks/lib/cidr.js';

const PROPERTY = { seed: 42, numRuns: 200 } as const;

/** Independent membership oracle: ipaddr.js's own `match`, not cidr-tools. */
function inCidr(address: string, cidr: string): boolean {
  const parsed = ipaddr.parse(address);
  const [network, bits] = ipaddr.parseCIDR(cidr);
  return parsed.kind() === network.kind() && parsed.match(network, bits);
}

function ipv4FromInt(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function ipv4ToInt(address: string): number {
  return ipaddr.IPv4.parse(address).octets.reduce((sum, octet) => sum * 256 + octet, 0);
}

/** An IPv4 CIDR from a random address and prefix length, normalized. */
const ipv4Cidr = (minPrefix: number, maxPrefix: number) =>
  fc
    .tuple(fc.ipV4(), fc.integer({ min: minPrefix, max: maxPrefix }))
    .map(([address, prefix]) => parseCidrBlock(`${address}/${prefix}`)?.cidr ?? '0.0.0.0/0');

describe('parseCidrBlock', () => {
  it.each([
    { text: '10.0.0.0/8', cidr: '10.0.0.0/8', version: 4, prefixLength: 8 },
    { text: '10.1.2.3/8', cidr: '10.0.0.0/8', version: 4, prefixLength: 8 },
    { text: '0.0.0.0/0', cidr: '0.0.0.0/0', version: 4, prefixLength: 0 },
    { text: '::/0', cidr: '::/0', version: 6, prefixLength: 0 },
    { text: '2001:DB8::1/32', cidr: '2001:db8::/32', version: 6, prefixLength: 32 },
    { text: '0:0:0:0:0:0:0:0/0', cidr: '::/0', version: 6, prefixLength: 0 },
  ])('reads $text as $cidr', ({ text, cidr, version, prefixLength }) => {
    // Act
    const block = parseCidrBlock(text);

    // Assess
    expect(block).toEqual({ cidr, version, prefixLength });
  });

  it.each([
    { text: '1.2.3.4', why: 'a bare address' },
    { text: '1.2.3.4/33', why: 'prefix too long' },
    { text: '10/8', why: 'short IPv4 form ipaddr.js reads as 0.0.0.10' },
    { text: '010.0.0.0/8', why: 'leading zero ipaddr.js reads as octal' },
    { text: 'fe80::1%eth0/64', why: 'a zone id' },
    { text: 'pl-0123456789abcdef0', why: 'a prefix-list id' },
    { text: '', why: 'empty' },
  ])('refuses $text ($why)', ({ text }) => {
    expect(parseCidrBlock(text)).toBeUndefined();
    expect(cidrVersion(text)).toBeUndefined();
  });
});

describe('isAnywhere (literal)', () => {
  it.each([
    { cidr: '0.0.0.0/0', anywhere: true },
    { cidr: '::/0', anywhere: true },
    { cidr: '0::0/0', anywhere: true },
    { cidr: '1.2.3.4/0', anywhere: true },
    { cidr: '0.0.0.0/1', anywhere: false },
    { cidr: '128.0.0.0/1', anywhere: false },
    { cidr: '::/1', anywhere: false },
    { cidr: '10.0.0.0/8', anywhere: false },
    { cidr: 'not-a-cidr', anywhere: false },
  ])('$cidr → $anywhere', ({ cidr, anywhere }) => {
    expect(isAnywhere(cidr)).toBe(anywhere);
  });
});

describe('public address space (IANA special-purpose ranges are not public)', () => {
  it.each([
    { cidr: '0.0.0.0/0', public: true },
    { cidr: '0.0.0.0/1', public: true },
    { cidr: '8.8.8.0/24', public: true },
    { cidr: '10.0.0.0/7', public: true, note: '11.0.0.0/8 is public' },
    { cidr: '10.0.0.0/8', public: false },
    { cidr: '172.16.0.0/12', public: false },
    { cidr: '192.168.0.0/16', public: false },
    { cidr: '100.64.0.0/10', public: false },
    { cidr: '127.0.0.0/8', public: false },
    { cidr: '169.254.0.0/16', public: false },
    { cidr: '192.0.2.0/24', public: false },
    { cidr: '198.51.100.0/24', public: false },
    { cidr: '203.0.113.0/24', public: false },
    { cidr: '198.18.0.0/15', public: false },
    { cidr: '224.0.0.0/4', public: false, note: 'multicast is never a unicast source' },
    { cidr: '240.0.0.0/4', public: false },
    { cidr: '192.31.196.0/24', public: true, note: 'AS112 is globally reachable' },
    { cidr: '::/0', public: true },
    { cidr: '2600::/16', public: true },
    { cidr: 'fc00::/7', public: false },
    { cidr: 'fe80::/10', public: false },
    { cidr: '2001:db8::/32', public: false },
    { cidr: '::ffff:0:0/96', public: false },
    { cidr: '::1/128', public: false },
    { cidr: '2001::/32', public: true, note: 'Teredo, inside the reserved 2001::/23, stays public' },
    { cidr: '2001:2::/48', public: false, note: 'benchmarking' },
  ])('$cidr holds public addresses: $public', ({ cidr, public: expected }) => {
    expect(holdsPublicAddresses(cidr)).toBe(expected);
  });

  it.each([
    { address: '8.8.8.8', public: true },
    { address: '10.1.2.3', public: false },
    { address: '100.64.0.1', public: false },
    { address: '203.0.113.9', public: false },
    { address: '2600:1f18::1', public: true },
    { address: 'fd00::1', public: false },
    { address: 'not-an-address', public: false },
    { address: '010.0.0.1', public: false },
  ])('isPublicAddress($address) = $public', ({ address, public: expected }) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('keeps the non-public space merged and in both families', () => {
    expect(NON_PUBLIC_SPACE).toContain('10.0.0.0/8');
    expect(NON_PUBLIC_SPACE).toContain('fc00::/7');
    expect(unionCidrs(NON_PUBLIC_SPACE)).toEqual([...NON_PUBLIC_SPACE]);
  });

  it('agrees with ipaddr.js range() for every IPv4 address (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        expect(publicPart([`${address}/32`]).length > 0).toBe(isPublicAddress(address));
      }),
      PROPERTY,
    );
  });

  it('agrees with ipaddr.js range() for every IPv6 address (property)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        const host = parseCidrBlock(`${address}/128`);
        if (host === undefined) return;
        expect(publicPart([host.cidr]).length > 0).toBe(isPublicAddress(address));
      }),
      PROPERTY,
    );
  });
});

describe('range arithmetic', () => {
  it.each([
    {
      name: 'union merges neighbours',
      act: () => unionCidrs(['10.0.0.0/25', '10.0.0.128/25']),
      out: ['10.0.0.0/24'],
    },
    { name: 'union of nothing', act: () => unionCidrs([]), out: [] },
    {
      name: 'subtract a hole',
      act: () => subtractCidrs(['10.0.0.0/24'], ['10.0.0.0/25']),
      out: ['10.0.0.128/25'],
    },
    { name: 'subtract from nothing', act: () => subtractCidrs([], ['10.0.0.0/8']), out: [] },
    {
      name: 'intersect overlapping',
      act: () => intersectCidrs(['10.0.0.0/8'], ['10.1.0.0/16', '11.0.0.0/8']),
      out: ['10.1.0.0/16'],
    },
    { name: 'intersect disjoint', act: () => intersectCidrs(['10.0.0.0/8'], ['11.0.0.0/8']), out: [] },
    { name: 'intersect across families', act: () => intersectCidrs(['10.0.0.0/8'], ['::/0']), out: [] },
  ])('$name', ({ act, out }) => {
    expect(act()).toEqual(out);
  });

  it.each([
    { a: ['10.0.0.0/8'], b: ['10.1.0.0/16'], overlap: true, within: false },
    { a: ['10.1.0.0/16'], b: ['10.0.0.0/8'], overlap: true, within: true },
    { a: ['10.0.0.0/8'], b: ['11.0.0.0/8'], overlap: false, within: false },
    { a: ['10.0.0.0/24'], b: ['10.0.0.0/25', '10.0.0.128/25'], overlap: true, within: true },
    { a: [], b: ['10.0.0.0/8'], overlap: false, within: true },
  ])('overlap($a, $b) = $overlap, within = $within', ({ a, b, overlap, within }) => {
    expect(cidrsOverlap(a, b)).toBe(overlap);
    expect(cidrsWithin(a, b)).toBe(within);
  });
});

describe('publicOutside (allowlist containment)', () => {
  it.each([
    { name: 'anywhere, anywhere allowed', cidrs: ['0.0.0.0/0'], allow: ['0.0.0.0/0'], out: [] },
    { name: 'a documentation range is not public', cidrs: ['203.0.113.0/24'], allow: [], out: [] },
    { name: 'private ranges need no approval', cidrs: ['10.0.0.0/8', 'fd00::/8'], allow: [], out: [] },
    { name: 'inside one allowed range', cidrs: ['8.8.8.0/24'], allow: ['8.8.0.0/16'], out: [] },
    {
      name: 'inside the union of two allowed ranges',
      cidrs: ['8.8.8.0/24'],
      allow: ['8.8.8.0/25', '8.8.8.128/25'],
      out: [],
    },
    { name: 'half outside', cidrs: ['8.8.8.0/24'], allow: ['8.8.8.0/25'], out: ['8.8.8.128/25'] },
    {
      name: 'IPv6 outside an IPv4 allowlist',
      cidrs: ['2600::/16'],
      allow: ['0.0.0.0/0'],
      out: ['2600::/16'],
    },
    {
      name: 'a private range mixed with public space',
      cidrs: ['10.0.0.0/7'],
      allow: [],
      out: ['11.0.0.0/8'],
    },
  ])('$name', ({ cidrs, allow, out }) => {
    expect(publicOutside(cidrs, allow)).toEqual(out);
  });

  it('0.0.0.0/1 counts as internet outside a narrow allowlist', () => {
    expect(publicOutside(['0.0.0.0/1'], ['8.8.8.0/24']).length).toBeGreaterThan(0);
  });

  it('a range is inside the allowlist iff every address in it is public-and-allowed or not public (property)', () => {
    let insideSeen = false;
    let outsideSeen = false;
    fc.assert(
      fc.property(
        ipv4Cidr(16, 32),
        fc.array(ipv4Cidr(8, 32), { minLength: 0, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: 2 ** 16 - 1 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 8, max: 20 }),
        fc.boolean(),
        (range, randomAllowlist, offsets, supernetPrefix, coverRange) => {
          // Prepare: half the runs also allow a supernet of the range, so both outcomes occur
          const supernet = parseCidrBlock(`${range.split('/')[0]}/${supernetPrefix}`)?.cidr;
          const allowlist =
            coverRange && supernet !== undefined ? [...randomAllowlist, supernet] : randomAllowlist;
          insideSeen ||= publicOutside([range], allowlist).length === 0;
          outsideSeen ||= publicOutside([range], allowlist).length > 0;

          // Act
          const outside = publicOutside([range], allowlist);

          // Assess
          const allowed = (address: string) =>
            !isPublicAddress(address) || allowlist.some((cidr) => inCidr(address, cidr));
          if (outside.length === 0) {
            const [network, bits] = range.split('/');
            const size = 2 ** (32 - Number(bits));
            for (const offset of offsets) {
              const address = ipv4FromInt(ipv4ToInt(network ?? '0.0.0.0') + (offset % size));
              expect(allowed(address)).toBe(true);
            }
          } else {
            const witness = (outside[0] ?? '').split('/')[0] ?? '';
            expect(inCidr(witness, range)).toBe(true);
            expect(allowed(witness)).toBe(false);
          }
        },
      ),
      PROPERTY,
    );
    expect(insideSeen && outsideSeen).toBe(true);
  });
});
