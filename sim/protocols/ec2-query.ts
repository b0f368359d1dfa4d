/**
 * The `ec2` query protocol: form-encoded `Action=…&Version=…` requests, XML answers whose
 * lists are `<item>` elements, errors as `<Response><Errors><Error>`.
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
import { queryKeyOf, withPagingErrors, xmlAnswer } from './common.js';
import { FormInput } from './form.js';

/** Returns the answer's XML content, without the envelope. */
export type Ec2Handler = (input: FormInput, call: HandlerContext) => string;

export interface Ec2ServiceSpec {
  readonly name: string;
  readonly operations: Readonly<Record<string, Ec2Handler>>;
  /**
   * Operations answered in every region the account has not left disabled, not only in its
   * enabled ones: the discovery calls a scanner makes from a fixed home region.
   */
  readonly discoveryOperations?: readonly string[];
}

const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** EC2 has no AccessDenied or Throttling: it says UnauthorizedOperation and RequestLimitExceeded. */
export const EC2_DIALECT: FaultDialect = {
  AccessDenied: ['UnauthorizedOperation', 403],
  UnauthorizedOperation: ['UnauthorizedOperation', 403],
  AuthFailure: ['AuthFailure', 401],
  OptInRequired: ['OptInRequired', 401],
  Throttling: ['RequestLimitExceeded', 503],
  RequestLimitExceeded: ['RequestLimitExceeded', 503],
  InternalError: ['InternalError', 500],
  ServiceUnavailable: ['ServiceUnavailable', 503],
};

/** The `item` element EC2 puts around each list member. */
export const EC2_ITEM = 'item';

export function ec2QueryService(spec: Ec2ServiceSpec): ServiceModule {
  const discovery = new Set(spec.discoveryOperations ?? []);
  return {
    name: spec.name,
    regionRule: (operation: string): RegionRule => (discovery.has(operation) ? 'not-disabled' : 'enabled'),
    read(request: RawRequest): ReadCall {
      const input = FormInput.parse(request.body, 'InvalidParameterValue');
      const operation = input.string('Action') ?? '';
      const { Action: _action, Version: _version, ...params } = input.entries();
      return {
        operation,
        params,
        run(call) {
          const handler = Object.hasOwn(spec.operations, operation) ? spec.operations[operation] : undefined;
          if (handler === undefined) {
            throw new AwsError('InvalidAction', `The action ${operation} is not valid for this web service.`);
          }
          const queryKey = queryKeyOf(call.caller.accountId, call.region, operation, params, PAGING_PARAMS);
          const content = withPagingErrors(PAGING_CODES, () => handler(input, { ...call, queryKey }));
          return ec2Answer(operation, call.requestId, content);
        },
      };
    },
    faultError: (code: FaultCode, culprit: Culprit) => faultError(EC2_DIALECT, code, culprit),
    unknownCredentials: () =>
      new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401),
    renderError: ec2Error,
  };
}

const PAGING_PARAMS = ['MaxResults', 'NextToken'];
const PAGING_CODES = { maxResults: 'InvalidParameterValue', nextToken: 'InvalidPaginationToken' };

export function ec2Answer(operation: string, requestId: string, content: string): HttpAnswer {
  const body = `<${operation}Response xmlns="${XMLNS}">${textElement('requestId', requestId)}${content}</${operation}Response>`;
  return xmlAnswer(body);
}

export function ec2Error(error: AwsError, requestId: string): HttpAnswer {
  const detail = textElement('Code', error.code) + textElement('Message', error.message);
  const body = element(
    'Response',
    element('Errors', element('Error', detail)) + textElement('RequestID', requestId),
  );
  return xmlAnswer(body, error.status);
}
