/**
 * An error the simulator answers with instead of a result: AWS's error code, its message and
 * the HTTP status AWS sends with it. Each protocol renders it in its own wire format.
 */
import type { FaultCode } from './estate.js';
import type { Culprit } from './service.js';

/** What some errors carry besides code and message: S3's redirect names the bucket's region. */
export interface AwsErrorExtras {
  /** Response headers, e.g. `x-amz-bucket-region`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Elements written after `<Message>` in XML error bodies, e.g. `<Endpoint>`, `<Bucket>`. */
  readonly fields?: Readonly<Record<string, string>>;
}

export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, string>>;

  constructor(code: string, message: string, status = 400, extras: AwsErrorExtras = {}) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = status;
    this.headers = extras.headers ?? {};
    this.fields = extras.fields ?? {};
  }
}

/** How a service says each fault code: its own error code and the HTTP status AWS sends. */
export type FaultDialect = Readonly<Record<FaultCode, readonly [code: string, status: number]>>;

export function faultError(dialect: FaultDialect, fault: FaultCode, culprit: Culprit): AwsError {
  const [code, status] = dialect[fault];
  return new AwsError(code, faultMessage(code, culprit), status);
}

function faultMessage(code: string, { callerArn, service, operation }: Culprit): string {
  const action = `${service}:${operation}`;
  switch (code) {
    case 'UnauthorizedOperation':
      return `You are not authorized to perform this operation. User: ${callerArn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
    case 'AccessDenied':
    case 'AccessDeniedException':
      return `User: ${callerArn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
    case 'AuthFailure':
      return 'AWS was not able to validate the provided access credentials';
    case 'InvalidClientTokenId':
    case 'UnrecognizedClientException':
      return 'The security token included in the request is invalid.';
    case 'OptInRequired':
      return 'You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.';
    case 'RequestLimitExceeded':
      return 'Request limit exceeded.';
    case 'ServiceUnavailable':
      return 'The service is unavailable. Please try again shortly.';
    case 'InternalError':
    case 'InternalFailure':
    case 'ServiceException':
    case 'ServiceFailure':
      return 'An internal error has occurred. Try again later.';
    case 'InvalidAccessKeyId':
      return 'The AWS Access Key Id you provided does not exist in our records.';
    case 'NotSignedUp':
      return 'Your account is not signed up for the S3 service. You must sign up before you can use S3.';
    case 'SlowDown':
      return 'Please reduce your request rate.';
    default:
      return 'Rate exceeded';
  }
}
