/**
 * Routes one request: the SigV4 scope names the service, the region and the calling key; the
 * call is logged, the caller identified, the region and the estate's faults applied, and the
 * service's handler answers.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from './aws-error.js';
import type { CallLog } from './call-log.js';
import type { FaultInjector } from './faults.js';
import { expiredSessionError } from './identity.js';
import type { TokenBuckets } from './limits.js';
import { queryError } from './protocols/aws-query.js';
import type {
  Culprit,
  HttpAnswer,
  RawRequest,
  ReadCall,
  RegionRule,
  ServiceModule,
  SimState,
} from './service.js';
import { credentialScope } from './sigv4.js';

export type Dispatch = (request: RawRequest) => HttpAnswer;

export function createDispatch(
  state: SimState,
  services: ReadonlyArray<ServiceModule>,
  faults: FaultInjector,
  log: CallLog,
  buckets?: TokenBuckets,
): Dispatch {
  return function dispatch(request) {
    const requestId = randomUUID();
    const scope = credentialScope(request);
    if (scope === undefined) {
      log.record({ service: '', operation: '', accountId: '', region: '', params: {} });
      const error = new AwsError(
        'MissingAuthenticationToken',
        'Request is missing Authentication Token',
        403,
      );
      return queryError('', error, requestId);
    }
    const { accessKeyId, region, service: signingName } = scope;
    const service = services.find(
      (candidate) =>
        (candidate.signingName ?? candidate.name) === signingName &&
        (candidate.accepts === undefined || candidate.accepts(request)),
    );
    if (service === undefined) {
      log.record({ service: signingName, operation: '', accountId: '', region, params: {} });
      const error = new AwsError(
        'UnknownService',
        `The simulator does not serve the service '${signingName}'.`,
      );
      return queryError('', error, requestId);
    }
    const serviceName = service.name;

    let call: ReadCall;
    try {
      call = service.read(request);
    } catch (error) {
      log.record({ service: serviceName, operation: '', accountId: '', region, params: {} });
      return service.renderError(asAwsError(error, serviceName, ''), requestId);
    }

    const token =
      request.headers['x-amz-security-token'] ?? request.query.get('X-Amz-Security-Token') ?? undefined;
    const caller = state.identities.resolve(accessKeyId, typeof token === 'string' ? token : undefined);
    const accountId = typeof caller === 'string' ? '' : caller.accountId;
    log.record({ service: serviceName, operation: call.operation, accountId, region, params: call.params });
    if (caller === 'expired') return service.renderError(expiredSessionError(serviceName), requestId);
    if (typeof caller === 'string') return service.renderError(service.unknownCredentials(), requestId);

    const culprit: Culprit = { callerArn: caller.arn, service: serviceName, operation: call.operation };
    const rule = service.regionRule(call.operation);
    if (typeof rule === 'object' && rule.signedFor !== region) {
      // A global service's endpoint accepts signatures for its own region only.
      const error = new AwsError(
        'SignatureDoesNotMatch',
        `Credential should be scoped to a valid region, not '${region}'.`,
        403,
      );
      return service.renderError(error, requestId);
    }
    if (!answersIn(state, accountId, region, rule)) {
      // AWS answers a region the account has not enabled as if the credentials were wrong.
      return service.renderError(service.faultError('AuthFailure', culprit), requestId);
    }
    if (
      buckets !== undefined &&
      !buckets.admit({
        service: serviceName,
        operation: call.operation,
        accountId,
        region,
        params: call.params,
      })
    ) {
      // An empty token bucket: the service's own throttling error, as AWS answers it.
      return service.renderError(service.faultError('Throttling', culprit), requestId);
    }
    const fault = faults.pick({
      accountId,
      service: serviceName,
      region,
      operation: call.operation,
      params: call.params,
    });
    if (fault !== undefined) return service.renderError(service.faultError(fault, culprit), requestId);

    try {
      return call.run({
        service: serviceName,
        operation: call.operation,
        region,
        caller,
        sim: state,
        requestId,
      });
    } catch (error) {
      return service.renderError(asAwsError(error, serviceName, call.operation), requestId);
    }
  };
}

function answersIn(state: SimState, accountId: string, region: string, rule: RegionRule): boolean {
  if (rule === 'anywhere' || typeof rule === 'object') return true;
  const account = state.estate.accounts[accountId];
  if (rule === 'not-disabled') return account?.disabledRegions.includes(region) !== true;
  return account !== undefined && Object.hasOwn(account.regions, region);
}

/** AWS errors pass through; anything else is a simulator bug, answered as AWS's InternalError. */
function asAwsError(error: unknown, service: string, operation: string): AwsError {
  if (error instanceof AwsError) return error;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`custos simulator: unexpected error answering ${service}:${operation}\n${detail}`);
  return new AwsError(
    'InternalError',
    `The simulator failed: ${error instanceof Error ? error.message : detail}`,
    500,
  );
}
