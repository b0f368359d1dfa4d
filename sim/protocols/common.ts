/** What the protocol modules share: reading a call's paging errors and building answers. */
import { AwsError } from '../aws-error.js';
import { PagingError } from '../paging.js';
import type { HttpAnswer } from '../service.js';
import { stableJson } from '../stable-json.js';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function xmlAnswer(body: string, status = 200, headers: Record<string, string> = {}): HttpAnswer {
  return {
    status,
    headers: { 'content-type': 'text/xml;charset=UTF-8', ...headers },
    body: XML_DECLARATION + body,
  };
}

/**
 * XML protocols write timestamps as ISO-8601; estates may hold any precision or offset, so
 * answers carry the canonical form (text that is no date passes through unchanged).
 */
export function isoTime(text: string): string {
  const time = Date.parse(text);
  return Number.isNaN(time) ? text : new Date(time).toISOString();
}

/** The error codes a service answers paging mistakes with. */
export interface PagingCodes {
  readonly maxResults: string;
  readonly nextToken: string;
}

/** Runs a handler, turning a paging mistake into the service's own error. */
export function withPagingErrors<T>(codes: PagingCodes, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof PagingError)) throw error;
    const code = error.problem === 'max-results' ? codes.maxResults : codes.nextToken;
    throw new AwsError(code, error.message);
  }
}

/** Everything but the paging parameters, so a token continues only the query that issued it. */
export function queryKeyOf(
  accountId: string,
  region: string,
  operation: string,
  params: Readonly<Record<string, unknown>>,
  pagingParams: readonly string[],
): string {
  const rest = Object.fromEntries(Object.entries(params).filter(([key]) => !pagingParams.includes(key)));
  return `${accountId}|${region}|${operation}|${stableJson(rest)}`;
}
