/**
 * The approved source ranges of `network.allowlist`: CIDRs (IPv4, IPv6) and managed prefix-list
 * ids. A rule source is inside the allowlist when it references an allowlisted prefix list, or
 * when every public address it holds lies in the union of the allowlisted CIDRs and the entries
 * of the allowlisted prefix lists. Non-public addresses (RFC 1918, 100.64/10, link-local, the
 * documentation ranges, fc00::/7, ...) never need approval. Any public range counts, not only
 * `0.0.0.0/0`: `0.0.0.0/1` is outside an allowlist of `203.0.113.0/24`.
 */
import { parseCidrBlock, publicOutside } from './cidr.js';
import type { PrefixListIndex, RuleSource } from './security-group-rules.js';

export interface Allowlist {
  /** Allowlisted CIDRs, plus the entries of the allowlisted prefix lists present in the region. */
  readonly cidrs: readonly string[];
  readonly prefixListIds: ReadonlySet<string>;
}

export function isPrefixListId(value: string): boolean {
  return /^pl-[0-9a-f]+$/i.test(value);
}

/**
 * Reads the configured allowlist. Entries were validated with the config; an entry that is
 * neither a CIDR nor a prefix-list id is a programming error and throws. Prefix lists are
 * regional and the collector lists every one of the region, so an allowlisted id absent from
 * `prefixLists` does not exist here and approves no address here (a failed listing never
 * reaches a check: the check reports ERROR for the region instead).
 */
export function resolveAllowlist(entries: readonly string[], prefixLists: PrefixListIndex): Allowlist {
  const cidrs: string[] = [];
  const prefixListIds = new Set<string>();
  for (const entry of entries) {
    if (isPrefixListId(entry)) {
      prefixListIds.add(entry);
      for (const cidr of prefixLists.get(entry) ?? []) {
        const block = parseCidrBlock(cidr);
        if (block !== undefined) cidrs.push(block.cidr);
      }
      continue;
    }
    const block = parseCidrBlock(entry);
    if (block === undefined) {
      throw new Error(`network.allowlist entry "${entry}" is not an IPv4/IPv6 CIDR or prefix list id`);
    }
    cidrs.push(block.cidr);
  }
  return { cidrs, prefixListIds };
}

export type SourceVerdict =
  | { readonly inside: true; readonly because: 'allowlisted-prefix-list' | 'within-allowlist' }
  | { readonly inside: false; readonly outside: readonly string[] };

/** Whether a rule source stays inside the allowlist, and if not, which public addresses escape it. */
export function judgeSource(source: RuleSource, allowlist: Allowlist): SourceVerdict {
  if (source.prefixListId !== undefined && allowlist.prefixListIds.has(source.prefixListId)) {
    return { inside: true, because: 'allowlisted-prefix-list' };
  }
  const outside = publicOutside([source.cidr], allowlist.cidrs);
  if (outside.length === 0) return { inside: true, because: 'within-allowlist' };
  return { inside: false, outside };
}
