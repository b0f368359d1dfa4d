/**
 * Reading Config's requests: the query expression, the page size, the aggregator's name and
 * BatchGet's key lists, each refused with the error AWS gives (ValidationException for what
 * breaks the API model's constraints, InvalidExpressionException and InvalidLimitException
 * for Config's own checks).
 */
import { AwsError } from '../aws-error.js';
import type { JsonInput } from '../protocols/aws-json.js';
import { parseQuery, type Query, QueryError } from './config-query.js';

/** AWS's API model: an expression of at most 4096 characters, at most 100 keys a BatchGet. */
const MAX_EXPRESSION = 4096;
const MAX_KEYS = 100;
/** Limit and MaxResults: 0 (or absent) is the default of 25 a page; at most 100. */
export const PAGE = { min: 1, max: 100, unrequested: 25 } as const;

/** The request body as sent: BatchGet's keys are lists, which JsonInput does not read. */
export type Body = Readonly<Record<string, unknown>>;

export function readQuery(input: JsonInput): Query {
  const expression = input.string('Expression');
  if (expression === undefined || expression === '') {
    throw validation("Value null at 'expression' failed to satisfy constraint: Member must not be null");
  }
  if (expression.length > MAX_EXPRESSION) {
    throw validation(
      `Value at 'expression' failed to satisfy constraint: Member must have length less than or equal to ${MAX_EXPRESSION}`,
    );
  }
  try {
    return parseQuery(expression);
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    throw new AwsError('InvalidExpressionException', `Invalid expression: ${error.message}.`);
  }
}

/**
 * The page size the caller asks for: each of Limit and MaxResults from 0 to 100, 0 meaning the
 * default; when both are sent, the smaller.
 */
export function readPageSize(input: JsonInput, params: readonly string[]): number | undefined {
  let size: number | undefined;
  for (const param of params) {
    const value = input.int(param);
    if (value === undefined) continue;
    if (value < 0 || value > PAGE.max) {
      throw new AwsError(
        'InvalidLimitException',
        `Value '${value}' at '${lowerFirst(param)}' failed to satisfy constraint: Member must have value between 0 and ${PAGE.max}`,
      );
    }
    if (value > 0) size = size === undefined ? value : Math.min(size, value);
  }
  return size;
}

export function aggregatorName(input: JsonInput): string {
  const name = input.string('ConfigurationAggregatorName');
  if (name === undefined || name === '') {
    throw validation(
      "Value null at 'configurationAggregatorName' failed to satisfy constraint: Member must not be null",
    );
  }
  return name;
}

/**
 * A BatchGet list: 1 to 100 objects, each with the required text members and perhaps the
 * optional ones. Other members are dropped.
 */
export function keyList(
  body: Body,
  member: string,
  required: readonly string[],
  optional: readonly string[],
): Array<Record<string, string>> {
  const list = body[member];
  const at = lowerFirst(member);
  if (list === undefined || list === null) {
    throw validation(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
  }
  if (!Array.isArray(list))
    throw validation(`Value at '${at}' failed to satisfy constraint: Member must be a list`);
  if (list.length < 1 || list.length > MAX_KEYS) {
    throw validation(
      `Value '${list.length}' at '${at}' failed to satisfy constraint: Member must have length between 1 and ${MAX_KEYS}`,
    );
  }
  return list.map((entry: unknown, index) => {
    const where = `${at}.${index + 1}`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw validation(`Value at '${where}' failed to satisfy constraint: Member must be a structure`);
    }
    const fields = entry as Record<string, unknown>;
    const key: Record<string, string> = {};
    for (const name of [...required, ...optional]) {
      const value = fields[name];
      if (value === undefined || value === null) {
        if (required.includes(name)) {
          throw validation(
            `Value null at '${where}.member.${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
          );
        }
        continue;
      }
      if (typeof value !== 'string') {
        throw validation(
          `Value at '${where}.member.${lowerFirst(name)}' failed to satisfy constraint: Member must be a string`,
        );
      }
      key[name] = value;
    }
    return key;
  });
}

function validation(detail: string): AwsError {
  return new AwsError('ValidationException', `1 validation error detected: ${detail}`);
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
