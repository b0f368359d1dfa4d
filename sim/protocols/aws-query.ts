/**
 * The `awsQuery` protocol (STS, IAM): form-encoded `Action=…&Version=…` requests, answers as
 * `<OpResponse><OpResult>…</OpResult><ResponseMetadata>` with `<member>` lists, errors as
 * `<ErrorResponse><Error>`.
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
import { FormInput } from './form.js';

/** Returns the content of the `<OpResult>` element. */
export type QueryHandler = (input: FormInput, call: HandlerContext) => string;

export interface QueryServiceSpec {
  readonly name: string;
  /** The answers' XML namespace, e.g. `https://sts.amazonaws.com/doc/2011-06-15/`. */
  readonly xmlns: string;
  readonly operations: Readonly<Record<string, QueryHandler>>;
  /** The parameters that page a list: `Marker` and `MaxItems` for IAM. */
  readonly pagingParams?: readonly string[];
  readonly pagingCodes?: PagingCodes;
  readonly dialect?: Partial<FaultDialect>;
  /** Where the service answers; default: anywhere. */
  readonly regions?: RegionRule;
}

export const QUERY_DIALECT: FaultDialect = {
  AccessDenied: ['AccessDenied', 403],
  UnauthorizedOperation: ['AccessDenied', 403],
  AuthFailure: ['InvalidClientTokenId', 403],
  OptInRequired: ['OptInRequired', 403],
  Throttling: ['Throttling', 400],
  RequestLimitExceeded: ['Throttling', 400],
  InternalError: ['InternalFailure', 500],
  ServiceUnavailable: ['ServiceUnavailable', 503],
};

/** The `member` element awsQuery puts around each list member. */
export const QUERY_ITEM = 'member';

export function awsQueryService(spec: QueryServiceSpec): ServiceModule {
  const dialect: FaultDialect = { ...QUERY_DIALECT, ...spec.dialect };
  const pagingParams = spec.pagingParams ?? ['Marker', 'MaxItems'];
  const pagingCodes = spec.pagingCodes ?? { maxResults: 'ValidationError', nextToken: 'ValidationError' };
  return {
    name: spec.name,
    regionRule: () => spec.regions ?? 'anywhere',
    read(request: RawRequest): ReadCall {
      const input = FormInput.parse(request.body, 'ValidationError');
      const operation = input.string('Action') ?? '';
      const version = input.string('Version') ?? '';
      const { Action: _action, Version: _version, ...params } = input.entries();
      return {
        operation,
        params,
        run(call) {
          const handler = Object.hasOwn(spec.operations, operation) ? spec.operations[operation] : undefined;
          if (handler === undefined) {
            throw new AwsError(
              'InvalidAction',
              `Could not find operation ${operation} for version ${version}`,
            );
          }
          const queryKey = queryKeyOf(call.caller.accountId, call.region, operation, params, pagingParams);
          const content = withPagingErrors(pagingCodes, () => handler(input, { ...call, queryKey }));
          return queryAnswer(spec.xmlns, operation, call.requestId, content);
        },
      };
    },
    faultError: (code: FaultCode, culprit: Culprit) => faultError(dialect, code, culprit),
    unknownCredentials: () =>
      new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
    renderError: (error, requestId) => queryError(spec.xmlns, error, requestId),
  };
}

export function queryAnswer(
  xmlns: string,
  operation: string,
  requestId: string,
  content: string,
): HttpAnswer {
  const metadata = element('ResponseMetadata', textElement('RequestId', requestId));
  const body = `<${operation}Response xmlns="${xmlns}">${element(`${operation}Result`, content)}${metadata}</${operation}Response>`;
  return xmlAnswer(body);
}

export function queryError(xmlns: string, error: AwsError, requestId: string): HttpAnswer {
  const detail =
    textElement('Type', error.status >= 500 ? 'Receiver' : 'Sender') +
    textElement('Code', error.code) +
    textElement('Message', error.message);
  const body = `<ErrorResponse xmlns="${xmlns}">${element('Error', detail)}${textElement('RequestId', requestId)}</ErrorResponse>`;
  return xmlAnswer(body, error.status);
}
