/**
 * Pages a list the way AWS does: a page never holds more than the API's maximum (nor the
 * simulator's `maxPageSize`, which tests set low so that every multi-page path runs), and a
 * token continues only the query that issued it.
 */
import { createHash } from 'node:crypto';

export interface PageRule {
  /** The smallest and largest MaxResults the API accepts. */
  readonly min: number;
  readonly max: number;
  /** Page size when the caller sends no MaxResults: AWS's default, or every item. */
  readonly unrequested: number | 'all';
}

export interface PageRequest {
  readonly maxResults?: number | undefined;
  readonly nextToken?: string | undefined;
}

export interface PageContext {
  /** The request apart from its paging parameters: a token is valid only for the same query. */
  readonly queryKey: string;
  readonly maxPageSize?: number | undefined;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

export type PagingProblem = 'max-results' | 'next-token';

export class PagingError extends Error {
  readonly problem: PagingProblem;

  constructor(problem: PagingProblem, message: string) {
    super(message);
    this.name = 'PagingError';
    this.problem = problem;
  }
}

export function takePage<T>(
  items: readonly T[],
  request: PageRequest,
  rule: PageRule,
  context: PageContext,
): Page<T> {
  const { maxResults, nextToken } = request;
  if (maxResults !== undefined && (maxResults < rule.min || maxResults > rule.max)) {
    throw new PagingError(
      'max-results',
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between ${rule.min} and ${rule.max}.`,
    );
  }
  const query = digest(context.queryKey);
  const start = nextToken === undefined ? 0 : readToken(nextToken, query, items.length);
  const limits = [maxResults ?? (rule.unrequested === 'all' ? items.length : rule.unrequested)];
  if (context.maxPageSize !== undefined) limits.push(context.maxPageSize);
  // A page of zero would never advance.
  const size = Math.max(1, Math.min(...limits));
  const end = Math.min(items.length, start + size);
  const page = items.slice(start, end);
  return end < items.length ? { items: page, nextToken: writeToken(query, end) } : { items: page };
}

function writeToken(query: string, offset: number): string {
  return Buffer.from(JSON.stringify({ q: query, o: offset })).toString('base64url');
}

function readToken(token: string, query: string, length: number): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const { q, o } = (parsed ?? {}) as { q?: unknown; o?: unknown };
  if (q !== query || typeof o !== 'number' || !Number.isInteger(o) || o < 0 || o > length) {
    throw new PagingError('next-token', 'The specified pagination token is not valid or is expired.');
  }
  return o;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}
