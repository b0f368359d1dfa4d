/**
 * Classifies what AWS answered when a call failed. Narrowed by `error.name` (the SDK's
 * exception name, which for modelled errors differs from the wire code) and `$metadata`,
 * never by message text. Everything AWS does wrong becomes data; only programming errors
 * are rethrown.
 */
import type { CollectorError, ErrorKind } from '../core/types.js';

const KIND_BY_NAME: Readonly<Record<string, ErrorKind>> = {
  AccessDenied: 'access-denied',
  AccessDeniedException: 'access-denied',
  UnauthorizedOperation: 'access-denied',
  UnauthorizedAccess: 'access-denied',
  AuthorizationError: 'access-denied',
  Forbidden: 'access-denied',
  AllAccessDisabled: 'access-denied',
  RegionDisabledException: 'region-disabled',
  OptInRequired: 'opt-in-required',
  Blocked: 'opt-in-required',
  PendingVerification: 'opt-in-required',
  Throttling: 'throttled',
  ThrottlingException: 'throttled',
  ThrottledException: 'throttled',
  RequestLimitExceeded: 'throttled',
  RequestThrottled: 'throttled',
  RequestThrottledException: 'throttled',
  TooManyRequestsException: 'throttled',
  SlowDown: 'throttled',
  InternalError: 'unavailable',
  InternalFailure: 'unavailable',
  InternalServerError: 'unavailable',
  ServiceUnavailable: 'unavailable',
  ServiceUnavailableException: 'unavailable',
  ServiceFailure: 'unavailable',
  ServiceFailureException: 'unavailable',
  TimeoutError: 'unavailable',
  RequestTimeout: 'unavailable',
  RequestTimeoutException: 'unavailable',
  AuthFailure: 'invalid-credentials',
  InvalidClientTokenId: 'invalid-credentials',
  ExpiredToken: 'invalid-credentials',
  ExpiredTokenException: 'invalid-credentials',
  RequestExpired: 'invalid-credentials',
  SignatureDoesNotMatch: 'invalid-credentials',
  UnrecognizedClientException: 'invalid-credentials',
  InvalidAccessKeyId: 'invalid-credentials',
  CredentialsProviderError: 'invalid-credentials',
  NoSuchBucket: 'not-found',
};

/** Node socket errors: the network, not the request, failed. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

interface AwsLikeError {
  readonly name?: string;
  readonly code?: string;
  readonly Code?: string;
  readonly message?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
}

export class CollectorDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CollectorDataError';
  }
}

function isProgrammingError(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    error instanceof ReferenceError ||
    error instanceof RangeError ||
    error instanceof SyntaxError
  );
}

/**
 * The classified form of an error raised by an AWS call. Rethrows programming errors
 * (a TypeError in custos is a bug and must fail loud, not become a coverage gap).
 */
export function classifyAwsError(error: unknown, operation?: string): CollectorError {
  if (error instanceof CollectorDataError) {
    return withOperation({ kind: 'invalid-data', code: 'InvalidData', message: error.message }, operation);
  }
  if (isProgrammingError(error) && !hasAwsMetadata(error)) throw error;
  const e = (error ?? {}) as AwsLikeError;
  const name = e.name ?? 'Error';
  const code = e.Code ?? (name === 'Error' && e.code !== undefined ? e.code : name);
  const message = sanitizeMessage(e.message ?? String(error));
  const known = KIND_BY_NAME[name] ?? KIND_BY_NAME[code];
  if (known !== undefined) return withOperation({ kind: known, code, message }, operation);
  if (e.code !== undefined && NETWORK_CODES.has(e.code)) {
    return withOperation({ kind: 'unavailable', code: e.code, message }, operation);
  }
  const status = e.$metadata?.httpStatusCode;
  if (status === 403) return withOperation({ kind: 'access-denied', code, message }, operation);
  if (status === 429) return withOperation({ kind: 'throttled', code, message }, operation);
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) {
    return withOperation({ kind: 'unavailable', code, message }, operation);
  }
  if (hasAwsMetadata(error)) {
    // AWS rejected what custos sent: a custos bug, recorded loudly but kept to this collector.
    return withOperation({ kind: 'bug', code, message }, operation);
  }
  throw error;
}

function hasAwsMetadata(error: unknown): boolean {
  return typeof error === 'object' && error !== null && '$metadata' in error;
}

function withOperation(error: CollectorError, operation: string | undefined): CollectorError {
  return operation === undefined ? error : { ...error, operation };
}

/** Keeps messages short and free of anything that looks like a credential. */
function sanitizeMessage(message: string): string {
  const cleaned = message
    .replace(/(AKIA|ASIA)[A-Z0-9]{12,}/g, '<access-key-id>')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > 500 ? `${cleaned.slice(0, 497)}...` : cleaned;
}

/** Human wording of a kind, for coverage and ERROR findings. */
export function describeKind(kind: ErrorKind): string {
  switch (kind) {
    case 'access-denied':
      return 'access denied';
    case 'region-disabled':
      return 'region disabled';
    case 'opt-in-required':
      return 'service or region not opted in';
    case 'throttled':
      return 'throttled after retries';
    case 'unavailable':
      return 'AWS unavailable after retries';
    case 'invalid-credentials':
      return 'credentials not accepted';
    case 'not-found':
      return 'resource disappeared during the scan';
    case 'invalid-data':
      return 'AWS returned data custos could not read';
    case 'bug':
      return 'request rejected by AWS (a custos defect)';
  }
}
