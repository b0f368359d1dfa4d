/**
 * The `restXml` protocol (S3, S3 Control): the operation is the method and path, answers are
 * bare XML documents, errors are `<Error><Code>` documents.
 */
import type { AwsError } from '../aws-error.js';
import type { HttpAnswer } from '../service.js';
import { element, textElement } from '../xml.js';
import { xmlAnswer } from './common.js';

/** An XML document answer; S3 names the request in `x-amz-request-id`. */
export function restXmlAnswer(
  requestId: string,
  body: string,
  status = 200,
  headers: Record<string, string> = {},
): HttpAnswer {
  return xmlAnswer(body, status, { 'x-amz-request-id': requestId, ...headers });
}

export function restXmlError(error: AwsError, requestId: string): HttpAnswer {
  const detail =
    textElement('Code', error.code) +
    textElement('Message', error.message) +
    textElement('RequestId', requestId);
  return restXmlAnswer(requestId, element('Error', detail), error.status);
}
