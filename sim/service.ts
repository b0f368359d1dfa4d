/**
 * What every simulated service provides to the server, whatever its wire protocol. A service
 * is a protocol plus a table from operation name to handler; adding one (Config, say) is one
 * more module built with its protocol's factory (`ec2QueryService`, `awsQueryService`,
 * `awsJsonService`, `restXmlService`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AwsError } from './aws-error.js';
import type { Estate, FaultCode } from './estate.js';
import type { Identities, Principal } from './identity.js';

export interface RawRequest {
  readonly method: string;
  /** The URL path, percent-decoded segments left as sent. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased names, as node gives them. */
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What lives as long as the simulator: the estate, the issued credentials, the options. */
export interface SimState {
  readonly estate: Estate;
  readonly identities: Identities;
  readonly maxPageSize: number | undefined;
  /**
   * When each account's credential report was generated. AWS keeps one report per account;
   * the first GenerateCredentialReport starts it, GetCredentialReport fails until then.
   */
  readonly credentialReports: Map<string, Date>;
}

export interface CallContext {
  readonly service: string;
  readonly operation: string;
  /** The region from the request's credential scope. */
  readonly region: string;
  readonly caller: Principal;
  readonly sim: SimState;
  readonly requestId: string;
}

/** What an operation handler sees: the call, plus what its protocol read from the request. */
export interface HandlerContext extends CallContext {
  /** The request apart from its paging parameters; binds NextToken to the query that issued it. */
  readonly queryKey: string;
}

/** A request the service has read but not yet answered. */
export interface ReadCall {
  readonly operation: string;
  /** The parameters as sent, for the call log and the fault generator. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Answers the call; throws AwsError for anything AWS would refuse. */
  run(call: CallContext): HttpAnswer;
}

/** Whose call a fault or a refusal is about, for AWS's message wording. */
export interface Culprit {
  readonly callerArn: string;
  readonly service: string;
  readonly operation: string;
}

/**
 * Where a service answers, by the region a request is signed for: `anywhere`; `not-disabled`,
 * every region except those the calling account has not opted in to (`disabledRegions`);
 * `enabled`, only the regions the account has enabled (`regions`); or `{ signedFor }`, a
 * global service whose requests must be signed for that one region.
 */
export type RegionRule = 'anywhere' | 'not-disabled' | 'enabled' | { readonly signedFor: string };

export interface ServiceModule {
  /** The service's own name, for the call log and faults: `ec2`, `s3`, `s3control`. */
  readonly name: string;
  /**
   * The service name in the SigV4 credential scope, when it is not `name`: S3 Control signs
   * as `s3`.
   */
  readonly signingName?: string;
  /**
   * Among services that share a signing name, whether this one serves the request (S3 Control
   * serves the `/v20180820/` paths); the first that accepts answers. Absent: every request.
   */
  accepts?(request: RawRequest): boolean;
  /**
   * Where the operation is answered. Outside its regions the caller gets the service's
   * AuthFailure; a request signed for another region than a global service's, SignatureDoesNotMatch.
   */
  regionRule(operation: string): RegionRule;
  /** Reads the operation and its parameters; throws AwsError when the request is unreadable. */
  read(request: RawRequest): ReadCall;
  /** A fault code as this service says it, with AWS's status for it. */
  faultError(code: FaultCode, culprit: Culprit): AwsError;
  /** The answer to an access key the simulator never issued. */
  unknownCredentials(): AwsError;
  renderError(error: AwsError, requestId: string): HttpAnswer;
}
