/**
 * Reading one per-bucket field of `S3BucketDetails` with its three states: a value (or `null`,
 * AWS answered "none"), a failed call (`errors[field]`), or not collected (`undefined`).
 * A failed call wins over any value, so a check never reads stale data as an answer.
 */
import type {
  BucketAcl,
  OwnershipControls,
  PolicyDocument,
  PublicAccessBlock,
} from '../../core/aws-shapes.js';
import type { CollectorError, S3BucketDetails, S3BucketSummary } from '../../core/types.js';

export type BucketFieldName = Exclude<keyof S3BucketDetails, keyof S3BucketSummary | 'errors'>;

export type BucketField<T> =
  | { readonly state: 'value'; readonly value: T | null }
  | { readonly state: 'error'; readonly error: CollectorError }
  | { readonly state: 'missing' };

export function bucketField<K extends BucketFieldName>(
  bucket: S3BucketDetails,
  field: K,
): BucketField<NonNullable<S3BucketDetails[K]>> {
  const error = bucket.errors?.[field];
  if (error !== undefined) return { state: 'error', error };
  const value = bucket[field];
  if (value === undefined) return { state: 'missing' };
  return { state: 'value', value: value as NonNullable<S3BucketDetails[K]> | null };
}

/** Why a field cannot be used, for ERROR evidence and messages. */
export interface UnavailableField {
  readonly field: BucketFieldName;
  readonly reason: string;
  readonly error?: CollectorError;
}

export function unavailableField(
  field: BucketFieldName,
  read: { readonly state: 'error'; readonly error: CollectorError } | { readonly state: 'missing' },
): UnavailableField {
  if (read.state === 'missing') return { field, reason: `${field} was not collected` };
  const { error } = read;
  const operation = error.operation === undefined ? `reading ${field}` : error.operation;
  return { field, reason: `${operation} failed (${error.code}: ${error.message})`, error };
}

/** One sentence naming every field that could not be read. */
export function describeUnavailable(fields: readonly UnavailableField[]): string {
  return fields.map((f) => f.reason).join('; ');
}

/** One bucket's answer from a per-facet collector: a value (`null`: none), or that call's error. */
export type BucketFacetAnswer<T> =
  | { readonly ok: true; readonly value: T | null }
  | { readonly ok: false; readonly error: CollectorError };

/** Per-bucket answers keyed by bucket name; a bucket is absent when its call was not made. */
export type BucketFacetAnswers<T> = Readonly<Record<string, BucketFacetAnswer<T>>>;

/**
 * Assembles `S3BucketDetails` from per-facet collector answers, so checks can read either
 * shape through `bucketField`: a facet's error lands in `errors[field]`, and a bucket the
 * facet skipped (no policy, so no policy status; ACLs disabled, so no ACL) leaves the field
 * `undefined`.
 */
export function bucketDetailsFromFacets(input: {
  readonly buckets: readonly S3BucketSummary[];
  readonly policies?: BucketFacetAnswers<PolicyDocument>;
  readonly policyStatus?: BucketFacetAnswers<{ readonly IsPublic?: boolean }>;
  readonly publicAccessBlock?: BucketFacetAnswers<PublicAccessBlock>;
  readonly ownershipControls?: BucketFacetAnswers<OwnershipControls>;
  readonly acls?: BucketFacetAnswers<BucketAcl>;
}): S3BucketDetails[] {
  const facets: ReadonlyArray<readonly [BucketFieldName, BucketFacetAnswers<unknown> | undefined]> = [
    ['Policy', input.policies],
    ['PolicyStatus', input.policyStatus],
    ['PublicAccessBlock', input.publicAccessBlock],
    ['OwnershipControls', input.ownershipControls],
    ['Acl', input.acls],
  ];
  return input.buckets.map((summary) => {
    const fields: Record<string, unknown> = {};
    const errors: Record<string, CollectorError> = {};
    for (const [field, answers] of facets) {
      // Own properties only: `constructor` is a valid bucket name.
      if (answers === undefined || !Object.hasOwn(answers, summary.Name)) continue;
      const answer = answers[summary.Name];
      if (answer === undefined) continue;
      if (answer.ok) fields[field] = answer.value;
      else errors[field] = answer.error;
    }
    const details: S3BucketDetails = { ...summary, ...fields };
    return Object.keys(errors).length > 0 ? { ...details, errors } : details;
  });
}
