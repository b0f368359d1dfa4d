/**
 * The CIDR and port matchers on input AWS never sends but an estate, a recording or a damaged
 * answer can: text that is almost a CIDR, ports outside 0-65535, protocols in any spelling.
 * test/checks/lib holds the properties of well-formed input (public space, allowlist
 * containment, port ranges); these cover the rest: nothing throws, nothing is dropped silently,
 * and a rule that cannot be read never lets a security group PASS.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ec2Checks } from '../../checks/ec2/index.js';
import {
  cidrsWithin,
  cidrVersion,
  holdsPublicAddresses,
  isAnywhere,
  parseCidrBlock,
  publicOutside,
  publicPart,
} from '../../checks/lib/cidr.js';
import { formatPortRange, MAX_PORT, MIN_PORT } from '../../checks/lib/ports.js';
import {
  type PrefixListIndex,
  permissionAdmits,
  permissionPortRanges,
  permissionSources,
  portsAdmitted,
  portsOpenedOutside,
  sgProtocol,
} from '../../checks/lib/security-group-rules.js';
import type { IpPermission, SecurityGroup } from '../../core/aws-shapes.js';
import type { CheckSettings } from '../../core/types.js';
import { prefixList, SETTINGS, securityGroup, TARGET } from '../checks/ec2/fixtures.js';

const PROPERTY = { seed: 20_260_116, numRuns: 300 } as const;

// ---------------------------------------------------------------- generators

const octet = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map(String),
  fc.constantFrom('256', '999', '-1', '00', '010', '0x10', '1e2', ' 1', ''),
);
const prefix = fc.oneof(
  fc.integer({ min: 0, max: 128 }).map(String),
  fc.constantFrom('-1', '129', '33', '08', '', ' 8', '8 ', '1.5', '0x8'),
);
const ipv4ish = fc
  .tuple(fc.array(octet, { minLength: 1, maxLength: 5 }), fc.option(prefix))
  .map(([parts, bits]) => `${parts.join('.')}${bits === null ? '' : `/${bits}`}`);
const hextet = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16)),
  fc.constantFrom('', 'g', '10000', 'FFFF', '0000'),
);
const ipv6ish = fc
  .tuple(fc.array(hextet, { minLength: 1, maxLength: 9 }), fc.option(prefix), fc.boolean())
  .map(([parts, bits, zone]) => `${parts.join(':')}${zone ? '%eth0' : ''}${bits === null ? '' : `/${bits}`}`);
const wellFormed = fc.oneof(
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([address, bits]) => `${address}/${bits}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([address, bits]) => `${address}/${bits}`),
  fc.constantFrom('0.0.0.0/0', '::/0', '::ffff:0.0.0.0/96', '10.0.0.0/8', '2001:db8::/32'),
);
/** Text that is a CIDR, almost a CIDR, or nothing like one. */
const cidrText = fc.oneof(
  { arbitrary: wellFormed, weight: 3 },
  { arbitrary: ipv4ish, weight: 2 },
  { arbitrary: ipv6ish, weight: 2 },
  { arbitrary: fc.constantFrom('0/0', '::/', '1.2.3.4', '10.0.0.0/8 ', '::1%lo/128'), weight: 1 },
  { arbitrary: fc.string({ maxLength: 20 }), weight: 1 },
);
const validCidr = cidrText
  .map((text) => parseCidrBlock(text)?.cidr)
  .filter((cidr): cidr is string => cidr !== undefined);

const port = fc.oneof(
  fc.integer({ min: MIN_PORT, max: MAX_PORT }),
  fc.integer({ min: -70_000, max: 140_000 }),
  fc.constantFrom(-1, 0, 65535, 65536),
);
const protocolText = fc.oneof(
  fc.constantFrom(
    'tcp',
    'TCP',
    ' udp ',
    'icmp',
    'icmpv6',
    '-1',
    '6',
    '17',
    '1',
    '58',
    '006',
    'all',
    '50',
    '',
  ),
  fc.string({ maxLength: 5 }),
);

const prefixListId = fc.constantFrom('pl-0a1b2c3d', 'pl-1234abcd', 'pl-unknown');
/** Prefix lists as the collector hands them over; `pl-unknown` is never collected. */
const prefixLists = fc
  .tuple(fc.array(cidrText, { maxLength: 3 }), fc.array(cidrText, { maxLength: 3 }))
  .map(([a, b]) => [prefixList('pl-0a1b2c3d', ...a), prefixList('pl-1234abcd', ...b)]);

const permission: fc.Arbitrary<IpPermission> = fc
  .record(
    {
      IpProtocol: protocolText,
      FromPort: port,
      ToPort: port,
      IpRanges: fc.array(
        cidrText.map((CidrIp) => ({ CidrIp })),
        { maxLength: 3 },
      ),
      Ipv6Ranges: fc.array(
        cidrText.map((CidrIpv6) => ({ CidrIpv6 })),
        { maxLength: 2 },
      ),
      PrefixListIds: fc.array(
        prefixListId.map((PrefixListId) => ({ PrefixListId })),
        { maxLength: 2 },
      ),
      UserIdGroupPairs: fc.array(fc.constant({ GroupId: 'sg-peer', UserId: '111122223333' }), {
        maxLength: 1,
      }),
    },
    { requiredKeys: ['IpProtocol'] },
  )
  .map((p) => p as IpPermission);

function indexOf(
  lists: ReadonlyArray<{ PrefixListId: string; Entries: Array<{ Cidr: string }> }>,
): PrefixListIndex {
  return new Map(lists.map((list) => [list.PrefixListId, list.Entries.map((e) => e.Cidr)]));
}

// ---------------------------------------------------------------- CIDR text

describe('parseCidrBlock on any text', () => {
  it('never throws; what it accepts is normalized, stable and in range', () => {
    fc.assert(
      fc.property(cidrText, (text) => {
        // Act
        const block = parseCidrBlock(text);

        // Assess
        if (block === undefined) {
          expect(cidrVersion(text)).toBeUndefined();
          expect(isAnywhere(text)).toBe(false);
          return;
        }
        expect(parseCidrBlock(block.cidr)).toEqual(block);
        expect(block.version).toBe(block.cidr.includes(':') ? 6 : 4);
        expect(block.prefixLength).toBeGreaterThanOrEqual(0);
        expect(block.prefixLength).toBeLessThanOrEqual(block.version === 4 ? 32 : 128);
        expect(block.cidr.endsWith(`/${block.prefixLength}`)).toBe(true);
        expect(isAnywhere(text)).toBe(block.prefixLength === 0);
      }),
      PROPERTY,
    );
  });

  it('the public part of any range lies inside it, and nothing escapes an allowlist holding the range', () => {
    fc.assert(
      fc.property(validCidr, fc.array(validCidr, { maxLength: 3 }), (cidr, allowlist) => {
        // Act
        const outside = publicOutside([cidr], allowlist);
        const publicOnly = publicPart([cidr]);

        // Assess
        expect(cidrsWithin(outside, [cidr])).toBe(true);
        expect(cidrsWithin(outside, publicOnly)).toBe(true);
        expect(publicOutside([cidr], [cidr, ...allowlist])).toEqual([]);
        expect(holdsPublicAddresses(cidr)).toBe(publicOnly.length > 0);
      }),
      { ...PROPERTY, numRuns: 150 },
    );
  });
});

// ---------------------------------------------------------------- rules

describe('security-group rules with any protocol, ports and sources', () => {
  it('never throws, and every port a rule opens is a real port', () => {
    fc.assert(
      fc.property(permission, fc.array(port, { maxLength: 6 }), (rule, ports) => {
        // Act
        const ranges = permissionPortRanges(rule);
        const admitted = portsAdmitted(rule, ports);
        const outside = portsOpenedOutside(
          rule,
          ports.filter((p) => p >= MIN_PORT && p <= MAX_PORT),
        );

        // Assess
        for (const { range } of ranges) {
          expect(range.from).toBeGreaterThanOrEqual(MIN_PORT);
          expect(range.to).toBeLessThanOrEqual(MAX_PORT);
        }
        for (const p of admitted) {
          expect(ports).toContain(p);
          expect(permissionAdmits(rule, 'tcp', p) || permissionAdmits(rule, 'udp', p)).toBe(true);
        }
        for (const text of outside) {
          const [from, to = from] = text.split('-').map(Number);
          expect(from).toBeGreaterThanOrEqual(MIN_PORT);
          expect(to).toBeLessThanOrEqual(MAX_PORT);
          expect(formatPortRange({ from: from ?? -1, to: to ?? -1 })).toBe(text);
        }
        if (sgProtocol(rule.IpProtocol) === 'all') {
          expect(permissionAdmits(rule, 'tcp', MIN_PORT) && permissionAdmits(rule, 'udp', MAX_PORT)).toBe(
            true,
          );
        }
      }),
      PROPERTY,
    );
  });

  it('accounts for every source: each range is read or reported, none is dropped', () => {
    fc.assert(
      fc.property(permission, prefixLists, (rule, lists) => {
        // Prepare
        const index = indexOf(lists);
        const written = [
          ...(rule.IpRanges ?? []).map((r) => r.CidrIp),
          ...(rule.Ipv6Ranges ?? []).map((r) => r.CidrIpv6),
          ...(rule.PrefixListIds ?? []).flatMap((p) => index.get(p.PrefixListId) ?? []),
        ];
        const unreadableLists = (rule.PrefixListIds ?? []).filter((p) => !index.has(p.PrefixListId));

        // Act
        const { sources, unassessable } = permissionSources(rule, index);

        // Assess
        expect(sources.length + unassessable.length).toBe(written.length + unreadableLists.length);
        for (const source of sources) expect(parseCidrBlock(source.written)?.cidr).toBe(source.cidr);
        for (const problem of unassessable) {
          if (problem.reason === 'invalid-cidr') expect(parseCidrBlock(problem.value)).toBeUndefined();
          else expect(index.has(problem.value)).toBe(false);
        }
      }),
      PROPERTY,
    );
  });
});

// ---------------------------------------------------------------- checks

const SG_CHECKS = ec2Checks.filter((check) =>
  check.needs.every((need: string) => need === 'ec2.securityGroups' || need === 'ec2.prefixLists'),
);
/** The checks that judge inbound sources; the default-group check judges only that rules exist. */
const SOURCE_CHECKS = SG_CHECKS.filter((check) => check.id !== 'ec2.sg.default-restricts-all');
const WITH_ALLOWLIST: CheckSettings = {
  ...SETTINGS,
  network: { ...SETTINGS.network, allowlist: ['203.0.113.0/24', 'pl-0a1b2c3d'] },
};

/** A rule on every port whose one source cannot be read. */
const unreadableRule = fc.oneof(
  cidrText
    .filter((text) => parseCidrBlock(text) === undefined)
    .map((CidrIp): IpPermission => ({ IpProtocol: '-1', IpRanges: [{ CidrIp }] })),
  cidrText
    .filter((text) => parseCidrBlock(text) === undefined)
    .map(
      (CidrIpv6): IpPermission => ({
        IpProtocol: 'tcp',
        FromPort: 0,
        ToPort: 65535,
        Ipv6Ranges: [{ CidrIpv6 }],
      }),
    ),
  fc.constant<IpPermission>({ IpProtocol: '-1', PrefixListIds: [{ PrefixListId: 'pl-unknown' }] }),
);

describe('security-group checks on rules they cannot read', () => {
  it(`never PASS a group with an unreadable source on every port (${SOURCE_CHECKS.map((c) => c.id).join(', ')})`, () => {
    expect(SOURCE_CHECKS.length).toBeGreaterThanOrEqual(4);
    fc.assert(
      fc.property(
        fc.array(permission, { maxLength: 4 }),
        unreadableRule,
        prefixLists,
        (rules, bad, lists) => {
          // Prepare
          const group: SecurityGroup = securityGroup('sg-0a1b2c3d', [...rules, bad]);
          const data = { 'ec2.securityGroups': [group], 'ec2.prefixLists': lists };

          for (const check of SOURCE_CHECKS) {
            // Act
            const results = check.evaluate({ target: TARGET, data }, WITH_ALLOWLIST, '2025-06-01T00:00:00Z');

            // Assess
            expect(results).toHaveLength(1);
            expect(['FAIL', 'ERROR']).toContain(results[0]?.status);
          }
        },
      ),
      { ...PROPERTY, numRuns: 150 },
    );
  });

  it('never throw on any rules, and give one verdict per group', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(permission, { maxLength: 4 }), { maxLength: 3 }),
        prefixLists,
        (groups, lists) => {
          const data = {
            'ec2.securityGroups': groups.map((rules, i) => securityGroup(`sg-${i}`, rules)),
            'ec2.prefixLists': lists,
          };
          for (const check of SG_CHECKS) {
            const results = check.evaluate({ target: TARGET, data }, WITH_ALLOWLIST, '2025-06-01T00:00:00Z');
            expect(results.length).toBeLessThanOrEqual(groups.length);
            for (const result of results) expect(['PASS', 'FAIL', 'ERROR']).toContain(result.status);
          }
        },
      ),
      { ...PROPERTY, numRuns: 150 },
    );
  });
});
