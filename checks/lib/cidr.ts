/**
 * CIDR reasoning for the network checks: parsing, "anywhere", public address space and range
 * arithmetic. Parsing and address classification come from ipaddr.js; set arithmetic (union,
 * difference, intersection, containment) from cidr-tools. Nothing here does bit math by hand.
 *
 * Two notions of "the internet" coexist, on purpose:
 * - `isAnywhere` is literal: a prefix of length 0 (`0.0.0.0/0`, `::/0`). The CIS and FSBP checks
 *   (`ec2.sg.admin-ports-public`, `ec2.sg.high-risk-ports-public`, `ec2.sg.unauthorized-port-public`,
 *   `ec2.nacl.admin-ports-public`) keep the control's literal meaning, so `0.0.0.0/1` is NOT
 *   anywhere for them, as it is not for Security Hub or the CIS audit.
 * - `publicPart` / `holdsPublicAddresses` treat any range that holds a globally reachable address
 *   as internet. The allowlist check and the reachability check use this, so `0.0.0.0/1` (half the
 *   internet) counts there.
 *
 * "Public" means: not in a range that ipaddr.js classifies as special-purpose, except the few
 * special-purpose ranges the IANA registries mark as globally reachable (see
 * GLOBALLY_REACHABLE_RANGE_NAMES). Multicast counts as not public: it is never a unicast source.
 */
import { excludeCidr, mergeCidr, overlapCidr } from 'cidr-tools';
import ipaddr from 'ipaddr.js';

export type IpVersion = 4 | 6;

export interface CidrBlock {
  /** Normalized: network address (host bits cleared) and prefix, IPv6 in RFC 5952 form. */
  readonly cidr: string;
  readonly version: IpVersion;
  readonly prefixLength: number;
}

/**
 * Parses an IPv4 CIDR in four-part decimal (`10.0.0.0/8`) or an IPv6 CIDR (`2001:db8::/32`) and
 * returns it normalized so cidr-tools reads the same text: host bits cleared, IPv6 in RFC 5952
 * form. Refused: bare addresses, zone ids, and the lenient IPv4 forms ipaddr.js's `parseCIDR`
 * reads in surprising ways (`010.0.0.0/8` as octal 8.0.0.0/8, `10/8` as 0.0.0.10/8). AWS never
 * writes them.
 */
export function parseCidrBlock(text: string): CidrBlock | undefined {
  if (!text.includes('/') || text.includes('%')) return undefined;
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
    const [, prefixLength] = ipaddr.IPv4.parseCIDR(text);
    const network = ipaddr.IPv4.networkAddressFromCIDR(text).toString();
    return { cidr: `${network}/${prefixLength}`, version: 4, prefixLength };
  }
  if (ipaddr.IPv6.isValidCIDR(text)) {
    const [, prefixLength] = ipaddr.IPv6.parseCIDR(text);
    const network = ipaddr.IPv6.networkAddressFromCIDR(text).toString();
    return { cidr: `${network}/${prefixLength}`, version: 6, prefixLength };
  }
  return undefined;
}

/** The address family of a CIDR, or `undefined` when it does not parse. */
export function cidrVersion(text: string): IpVersion | undefined {
  return parseCidrBlock(text)?.version;
}

/** The whole address space of a family. */
export function anywhere(version: IpVersion): string {
  return version === 4 ? '0.0.0.0/0' : '::/0';
}

/**
 * Literal "anywhere": the whole IPv4 or IPv6 space (`0.0.0.0/0`, `::/0`, however spelled).
 * `0.0.0.0/1` is not anywhere here; use `holdsPublicAddresses` for "reaches the internet".
 */
export function isAnywhere(text: string): boolean {
  return parseCidrBlock(text)?.prefixLength === 0;
}

// ---------------------------------------------------------------- public address space

/**
 * Special-purpose ranges that ipaddr.js names and that the IANA special-purpose registries mark
 * as globally reachable (AS112, AMT, ORCHIDv2, DRIP) or as reachable through translation or
 * relays (6to4, Teredo, the NAT64 prefixes). Traffic from them can arrive from the internet, so
 * they count as public. Every other ipaddr.js special range, and any range a future ipaddr.js
 * adds, counts as not public.
 */
export const GLOBALLY_REACHABLE_RANGE_NAMES: ReadonlySet<string> = new Set([
  'as112',
  'amt',
  'as112v6',
  'orchid2',
  'droneRemoteIdProtocolEntityTags',
  '6to4',
  'teredo',
  'rfc6052',
]);

type SpecialRangeValue = [ipaddr.IPv4 | ipaddr.IPv6, number] | Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;

function isRangePair(value: unknown): value is [ipaddr.IPv4 | ipaddr.IPv6, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[1] === 'number' &&
    value[0] !== null &&
    typeof value[0] === 'object' &&
    typeof (value[0] as { toString?: unknown }).toString === 'function'
  );
}

/** ipaddr.js's own table of special ranges (`SpecialRanges`, the data behind `range()`). */
function specialRangeTable(prototype: object, kind: string): Array<{ name: string; cidrs: string[] }> {
  const table = (prototype as { SpecialRanges?: Record<string, SpecialRangeValue> }).SpecialRanges;
  if (table === undefined || typeof table !== 'object') {
    throw new Error(`ipaddr.js ${kind} has no SpecialRanges table; expected the table behind range()`);
  }
  return Object.entries(table).map(([name, value]) => {
    const pairs: unknown[] = isRangePair(value) ? [value] : Array.isArray(value) ? value : [];
    const cidrs = pairs.map((pair) => {
      if (!isRangePair(pair)) {
        throw new Error(`ipaddr.js ${kind} SpecialRanges.${name} is not a list of [address, prefix] pairs`);
      }
      return `${pair[0].toString()}/${pair[1]}`;
    });
    return { name, cidrs };
  });
}

/**
 * The non-public address space, mirroring `range()`: ipaddr.js returns the first named range that
 * matches, so a later (wider) range only claims what earlier ranges left over. Teredo
 * (2001::/32) therefore stays public although it sits inside the reserved 2001::/23.
 */
function buildNonPublicSpace(): string[] {
  const nonPublic: string[] = [];
  for (const [prototype, kind] of [
    [ipaddr.IPv4.prototype, 'IPv4'],
    [ipaddr.IPv6.prototype, 'IPv6'],
  ] as const) {
    const claimed: string[] = [];
    for (const { name, cidrs } of specialRangeTable(prototype, kind)) {
      if (cidrs.length === 0) continue;
      const own = claimed.length === 0 ? mergeCidr(cidrs) : excludeCidr(cidrs, claimed);
      if (!GLOBALLY_REACHABLE_RANGE_NAMES.has(name)) nonPublic.push(...own);
      claimed.push(...cidrs);
    }
  }
  return mergeCidr(nonPublic);
}

/** Every address that is not public, as merged CIDRs of both families. */
export const NON_PUBLIC_SPACE: readonly string[] = buildNonPublicSpace();

/** Whether one address (no prefix) is public, by ipaddr.js's classification. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(address)) return false;
  const range = parsed.range();
  return range === 'unicast' || GLOBALLY_REACHABLE_RANGE_NAMES.has(range);
}

// ---------------------------------------------------------------- range arithmetic
// Inputs are CIDRs that `parseCidrBlock` accepts; cidr-tools throws on anything else.

/** Merged union of CIDRs (both families). */
export function unionCidrs(cidrs: readonly string[]): string[] {
  return cidrs.length === 0 ? [] : mergeCidr([...cidrs]);
}

/** `base` minus `remove`, as merged CIDRs. */
export function subtractCidrs(base: readonly string[], remove: readonly string[]): string[] {
  if (base.length === 0) return [];
  return excludeCidr([...base], [...remove]);
}

/** `a` ∩ `b`, as merged CIDRs: a − (a − b). */
export function intersectCidrs(a: readonly string[], b: readonly string[]): string[] {
  if (a.length === 0 || b.length === 0) return [];
  return subtractCidrs(a, subtractCidrs(a, b));
}

/** Whether the two sets share at least one address. */
export function cidrsOverlap(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  return overlapCidr([...a], [...b]);
}

/** Whether every address of `inner` is in the union of `outer`. */
export function cidrsWithin(inner: readonly string[], outer: readonly string[]): boolean {
  return subtractCidrs(inner, outer).length === 0;
}

/** The public addresses of the given ranges, as merged CIDRs. */
export function publicPart(cidrs: readonly string[]): string[] {
  return subtractCidrs(cidrs, NON_PUBLIC_SPACE);
}

/** Whether the range holds at least one public address (`0.0.0.0/1` does; `10.0.0.0/8` does not). */
export function holdsPublicAddresses(cidr: string): boolean {
  return publicPart([cidr]).length > 0;
}

/**
 * The public addresses of `cidrs` that are not inside the union of `allowlist`: what a rule admits
 * from the internet beyond the approved ranges. Empty when the rule stays inside the allowlist or
 * admits only non-public addresses.
 */
export function publicOutside(cidrs: readonly string[], allowlist: readonly string[]): string[] {
  return subtractCidrs(cidrs, [...NON_PUBLIC_SPACE, ...allowlist]);
}
