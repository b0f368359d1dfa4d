/**
 * A finding's fingerprint: stable across runs for the same problem on the same resource.
 * Tickets, run diffs and suppressions key on it.
 */
import { createHash } from 'node:crypto';

export interface FingerprintInput {
  readonly checkId: string;
  readonly accountId: string;
  readonly region: string;
  readonly resourceId: string;
}

export function fingerprint(input: FingerprintInput): string {
  // A separator that cannot occur in ids keeps ("a|b", "c") and ("a", "b|c") apart.
  const text = [input.checkId, input.accountId, input.region, input.resourceId].join('\u001f');
  return createHash('sha256').update(text).digest('hex');
}
