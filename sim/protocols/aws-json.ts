/**
 * The `awsJson1_1` protocol (Organizations, Config): a JSON body, the operation in the
 * `X-Amz-Target` header (`AWSOrganizationsV20161128.ListAccounts`), errors as JSON with
 * `__type`.
 */
import { AwsError, type FaultDialect, faultError } from '../aws-error.js';
import type { FaultCode } from '../estate.js';
import type { Culprit, HandlerContext, HttpAnswer, RawRequest, ReadCall, ServiceModule } from '../service.js';
import { type PagingCodes, queryKeyOf, withPagingErrors } from './common.js';

/** Returns the answer's JSON object. */
export type JsonHandler = (input: JsonInput, call: HandlerContext) => Record<string, unknown>;

export interface JsonServiceSpec {
  readonly name: string;
  /** The part of `X-Amz-Target` before the operation: `AWSOrganizationsV20161128`. */
  readonly targetPrefix: string;
  readonly operations: Readonly<Record<string, JsonHandler>>;
  /** The error code for a malformed parameter: `InvalidInputException` for Organizations. */
  readonly invalidCode: string;
  /** Regional services (Config) answer only in the caller's enabled regions; default: global. */
  readonly regional?: boolean;
  readonly pagingParams?: readonly string[];
  readonly pagingCodes?: PagingCodes;
  /** Where the service names an error its own way, e.g. Organizations' TooManyRequestsException. */
  readonly dialect?: Partial<FaultDialect>;
}

export const JSON_DIALECT: FaultDialect = {
  AccessDenied: ['AccessDeniedException', 403],
  UnauthorizedOperation: ['AccessDeniedException', 403],
  AuthFailure: ['UnrecognizedClientException', 400],
  OptInRequired: ['OptInRequired', 403],
  Throttling: ['ThrottlingException', 400],
  RequestLimitExceeded: ['ThrottlingException', 400],
  InternalError: ['InternalFailure', 500],
  ServiceUnavailable: ['ServiceUnavailable', 503],
};

export function awsJsonService(spec: JsonServiceSpec): ServiceModule {
  const dialect: FaultDialect = { ...JSON_DIALECT, ...spec.dialect };
  const pagingParams = spec.pagingParams ?? ['MaxResults', 'NextToken'];
  const pagingCodes = spec.pagingCodes ?? { maxResults: spec.invalidCode, nextToken: spec.invalidCode };
  return {
    name: spec.name,
    regionRule: () => (spec.regional === true ? 'enabled' : 'anywhere'),
    read(request: RawRequest): ReadCall {
      const target = String(request.headers['x-amz-target'] ?? '');
      const dot = target.lastIndexOf('.');
      const operation = target.slice(dot + 1);
      const body = parseBody(request.body, spec.invalidCode);
      const input = new JsonInput(body, spec.invalidCode);
      return {
        operation,
        params: body,
        run(call) {
          const handler =
            target.slice(0, dot) === spec.targetPrefix && Object.hasOwn(spec.operations, operation)
              ? spec.operations[operation]
              : undefined;
          if (handler === undefined) {
            throw new AwsError('UnknownOperationException', `Unknown operation ${target}`);
          }
          const queryKey = queryKeyOf(call.caller.accountId, call.region, operation, body, pagingParams);
          return jsonAnswer(
            call.requestId,
            withPagingErrors(pagingCodes, () => handler(input, { ...call, queryKey })),
          );
        },
      };
    },
    faultError: (code: FaultCode, culprit: Culprit) => faultError(dialect, code, culprit),
    unknownCredentials: () =>
      new AwsError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        400,
      ),
    renderError: jsonError,
  };
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

export function jsonAnswer(requestId: string, content: Record<string, unknown>): HttpAnswer {
  return {
    status: 200,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
    body: JSON.stringify(content),
  };
}

export function jsonError(error: AwsError, requestId: string): HttpAnswer {
  return {
    status: error.status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
    body: JSON.stringify({ __type: error.code, Message: error.message }),
  };
}

/** JSON protocols send timestamps as epoch seconds. */
export function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

function parseBody(text: string, invalidCode: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsError(invalidCode, 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

export class JsonInput {
  readonly #body: Readonly<Record<string, unknown>>;
  readonly #invalid: string;

  constructor(body: Readonly<Record<string, unknown>>, invalidCode: string) {
    this.#body = body;
    this.#invalid = invalidCode;
  }

  string(name: string): string | undefined {
    const value = this.#body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new AwsError(this.#invalid, `${name} must be a string.`);
    return value;
  }

  int(name: string): number | undefined {
    const value = this.#body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new AwsError(this.#invalid, `${name} must be an integer.`);
    }
    return value;
  }
}
