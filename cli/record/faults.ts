/**
 * What could not be collected, as estate faults: the call a failed collector makes first, and
 * the AWS error code that makes the simulator fail it the same way, so a replay reports the
 * same ERROR instead of reading the gap as "no resources".
 */
import type { CollectorError, CollectorId, ErrorKind } from '../../core/types.js';
import { collectorFor } from '../../inventory/registry.js';
import { FAULT_CODES, FAULT_SERVICES, type FaultCode } from '../../sim/estate.js';

export type FaultService = (typeof FAULT_SERVICES)[number];

export interface RecordedFault {
  readonly service: FaultService;
  readonly region?: string;
  readonly operation: string;
  readonly error: FaultCode;
}

export interface CollectorCall {
  readonly service: FaultService;
  readonly operation: string;
}

/**
 * Collectors whose IAM action is not named like the API operation it allows (S3's actions
 * are not its operation names, and the account-level block is an S3 Control call). Every other
 * collector's first action is `<service>:<Operation>` of its first call.
 */
const CALL_OVERRIDES: { readonly [K in CollectorId]?: CollectorCall } = {
  's3.accountPublicAccessBlock': { service: 's3control', operation: 'GetPublicAccessBlock' },
  's3.bucketList': { service: 's3', operation: 'ListBuckets' },
  's3.bucketPolicies': { service: 's3', operation: 'GetBucketPolicy' },
  's3.bucketPolicyStatus': { service: 's3', operation: 'GetBucketPolicyStatus' },
  's3.bucketPublicAccessBlock': { service: 's3', operation: 'GetPublicAccessBlock' },
  's3.bucketOwnershipControls': { service: 's3', operation: 'GetBucketOwnershipControls' },
  's3.bucketAcls': { service: 's3', operation: 'GetBucketAcl' },
};

/**
 * The call that fails a collector when it is denied: its first call, which every run of the
 * collector makes (for `ec2.prefixLists`, every run that has a list to resolve).
 */
export function collectorCall(id: CollectorId): CollectorCall {
  const override = CALL_OVERRIDES[id];
  if (override !== undefined) return override;
  const action = collectorFor(id).actions[0];
  const [service, operation] = action?.split(':') ?? [];
  if (!isFaultService(service) || operation === undefined || operation === '') {
    throw new Error(`collector ${id}: cannot tell which AWS call its action ${String(action)} names`);
  }
  return { service, operation };
}

/** A discovery or session error carries its call as `service:Operation` (`ec2:DescribeRegions`). */
export function callOf(error: CollectorError): CollectorCall | undefined {
  const [service, operation] = error.operation?.split(':') ?? [];
  return isFaultService(service) && operation !== undefined && operation !== ''
    ? { service, operation }
    : undefined;
}

function isFaultService(value: string | undefined): value is FaultService {
  return (FAULT_SERVICES as readonly string[]).includes(value ?? '');
}

/**
 * The fault code that reproduces an error: its own code when the simulator knows it, else the
 * code of the same kind in the service's dialect. Errors no fault can reproduce (data custos
 * could not read, a bucket deleted mid-scan, a request AWS rejected) become `InternalError`, so
 * the replay still reports ERROR, with a different reason.
 */
export function faultCode(error: CollectorError, service: FaultService): FaultCode {
  if ((FAULT_CODES as readonly string[]).includes(error.code)) return error.code as FaultCode;
  return FAULT_CODE_BY_KIND[error.kind](service);
}

const FAULT_CODE_BY_KIND: Readonly<Record<ErrorKind, (service: FaultService) => FaultCode>> = {
  'access-denied': (service) => (service === 'ec2' ? 'UnauthorizedOperation' : 'AccessDenied'),
  'region-disabled': () => 'OptInRequired',
  'opt-in-required': () => 'OptInRequired',
  throttled: (service) => (service === 'ec2' ? 'RequestLimitExceeded' : 'Throttling'),
  unavailable: () => 'ServiceUnavailable',
  'invalid-credentials': () => 'AuthFailure',
  'not-found': () => 'InternalError',
  'invalid-data': () => 'InternalError',
  bug: () => 'InternalError',
};

/** True when the fault reproduces the kind of the error, not only its ERROR status. */
export function faithful(error: CollectorError): boolean {
  return !['not-found', 'invalid-data', 'bug'].includes(error.kind);
}
