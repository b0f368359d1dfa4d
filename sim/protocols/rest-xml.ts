/**
 * The `restXml` protocol (S3, S3 Control): the operation is the method and path (and, for S3,
 * the subresource in the query: `GET /bucket?acl`), answers are bare XML documents, errors are
 * `<Error><Code>` documents (S3 Control wraps them in `<ErrorResponse>`).
 */
import { AwsError, type FaultDialect, faultError } from '../aws-error.js';
import type { FaultCode } from '../estate.js';
import type {
  Culprit,
  HandlerContext,
  HttpAnswer,
  RawRequest,
  ReadCall,
  RegionRule,
  ServiceModule,
} from '../service.js';
import { element, textElement } from '../xml.js';
import { type PagingCodes, queryKeyOf, withPagingErrors, xmlAnswer } from './common.js';

/** A body that is not XML: GetBucketPolicy answers the policy's JSON as it is. */
export interface RawBody {
  readonly body: string;
  readonly contentType: string;
}

/** Returns the answer's XML document (without the declaration), or a raw body. */
export type RestHandler = (call: HandlerContext) => string | RawBody;

/** The operation a request names, read from its method, path and query. */
export interface RestRoute {
  readonly operation: string;
  /** The request's parameters by their SDK member names, for the call log, faults and paging. */
  readonly params: Readonly<Record<string, string>>;
  readonly handler: RestHandler;
}

export interface RestXmlServiceSpec {
  readonly name: string;
  /** The SigV4 service name when it is not `name`: S3 Control signs as `s3`. */
  readonly signingName?: string;
  /** Whether this service serves a request signed with a signing name it shares. */
  readonly accepts?: (request: RawRequest) => boolean;
  /** The operation the request names; throws AwsError for a request the simulator does not serve. */
  readonly route: (request: RawRequest) => RestRoute;
  readonly pagingParams?: readonly string[];
  readonly pagingCodes: PagingCodes;
  readonly dialect: FaultDialect;
  readonly unknownCredentials: () => AwsError;
  /** S3 Control wraps `<Error>` in `<ErrorResponse>`; S3 does not. */
  readonly wrapErrors?: boolean;
  /** Where the service answers; default: anywhere. */
  readonly regions?: RegionRule;
}

export function restXmlService(spec: RestXmlServiceSpec): ServiceModule {
  const pagingParams = spec.pagingParams ?? [];
  const renderError = (error: AwsError, requestId: string) =>
    restXmlError(error, requestId, spec.wrapErrors === true);
  return {
    name: spec.name,
    ...(spec.signingName === undefined ? {} : { signingName: spec.signingName }),
    ...(spec.accepts === undefined ? {} : { accepts: spec.accepts }),
    regionRule: () => spec.regions ?? 'anywhere',
    read(request: RawRequest): ReadCall {
      const { operation, params, handler } = spec.route(request);
      return {
        operation,
        params,
        run(call) {
          const queryKey = queryKeyOf(call.caller.accountId, call.region, operation, params, pagingParams);
          const answer = withPagingErrors(spec.pagingCodes, () => handler({ ...call, queryKey }));
          if (typeof answer === 'string') return restXmlAnswer(call.requestId, answer);
          return {
            status: 200,
            headers: { 'content-type': answer.contentType, 'x-amz-request-id': call.requestId },
            body: answer.body,
          };
        },
      };
    },
    faultError: (code: FaultCode, culprit: Culprit) => faultError(spec.dialect, code, culprit),
    unknownCredentials: spec.unknownCredentials,
    renderError,
  };
}

/** An XML document answer; S3 names the request in `x-amz-request-id`. */
export function restXmlAnswer(
  requestId: string,
  body: string,
  status = 200,
  headers: Record<string, string> = {},
): HttpAnswer {
  return xmlAnswer(body, status, { 'x-amz-request-id': requestId, ...headers });
}

export function restXmlError(error: AwsError, requestId: string, wrap = false): HttpAnswer {
  let detail = textElement('Code', error.code) + textElement('Message', error.message);
  for (const [name, value] of Object.entries(error.fields)) detail += textElement(name, value);
  const body = wrap
    ? element('ErrorResponse', element('Error', detail) + textElement('RequestId', requestId))
    : element('Error', detail + textElement('RequestId', requestId));
  return restXmlAnswer(requestId, body, error.status, { ...error.headers });
}

/** Reads an integer query parameter; `invalidCode` answers text that is not one. */
export function queryInt(query: URLSearchParams, name: string, invalidCode: string): number | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  if (!/^-?\d+$/.test(text)) {
    throw new AwsError(invalidCode, `Provided ${name} not an integer or within integer range`);
  }
  return Number(text);
}
