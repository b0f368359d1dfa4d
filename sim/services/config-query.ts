/**
 * The part of AWS Config's advanced query language the simulator answers:
 *
 *   SELECT <field>[, <field>]* [WHERE <condition> [AND <condition>]*]
 *
 * A field is `*` (the item's top-level scalars) or a dotted path (`configuration.groupId`,
 * `supplementaryConfiguration.BucketPolicy`, `tags`); a condition is `<field> = '<value>'` or
 * `<field> IN ('<v1>', '<v2>')` on a top-level text field. Keywords are case-insensitive. What
 * lies outside (FROM, OR, LIKE, GROUP BY, COUNT(), comparisons) is refused with what was not
 * understood, never answered wrongly.
 */
import {
  type ConfigItem,
  DOCUMENT_FIELDS,
  type DocumentField,
  documentField,
  SCALAR_FIELDS,
} from './config-items.js';

/** A selected field: the name as the query wrote it, split at its dots. */
export interface SelectedField {
  readonly name: string;
  readonly top: DocumentField;
  readonly rest: readonly string[];
}

/** The text fields a condition may test. */
export const CONDITION_FIELDS = [
  'accountId',
  'awsRegion',
  'resourceType',
  'resourceId',
  'resourceName',
  'arn',
  'availabilityZone',
] as const satisfies readonly DocumentField[];
export type ConditionField = (typeof CONDITION_FIELDS)[number];

/** `field = 'a'` is `field IN ('a')`. */
export interface Condition {
  readonly field: ConditionField;
  readonly values: ReadonlySet<string>;
}

export interface Query {
  readonly fields: readonly SelectedField[];
  readonly conditions: readonly Condition[];
}

/** An expression outside the supported language; its message says what was not understood. */
export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

/** The fields that hold objects or lists, which a path may descend into. */
const NESTED: ReadonlySet<DocumentField> = new Set([
  'configuration',
  'supplementaryConfiguration',
  'tags',
  'relationships',
]);

/** Words of the full language that the simulator does not answer. */
const UNSUPPORTED = new Set([
  'FROM',
  'OR',
  'NOT',
  'LIKE',
  'BETWEEN',
  'GROUP',
  'ORDER',
  'BY',
  'LIMIT',
  'AS',
  'DISTINCT',
  'COUNT',
  'SUM',
  'MIN',
  'MAX',
  'AVG',
  'IS',
  'NULL',
]);

/** The words of the supported language, which name no field either. */
const KEYWORDS = new Set(['SELECT', 'WHERE', 'AND', 'IN']);

function isReserved(token: Token): boolean {
  const word = token.text.toUpperCase();
  return token.kind === 'word' && (KEYWORDS.has(word) || UNSUPPORTED.has(word));
}

interface Token {
  readonly kind: 'word' | 'text' | 'symbol' | 'end';
  readonly text: string;
  /** 1-based, as a person counts characters. */
  readonly at: number;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const SPACE = /\s+/y;

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    SPACE.lastIndex = i;
    if (SPACE.test(expression)) {
      i = SPACE.lastIndex;
      continue;
    }
    const char = expression.charAt(i);
    WORD.lastIndex = i;
    const word = WORD.exec(expression);
    if (word !== null) {
      tokens.push({ kind: 'word', text: word[0], at: i + 1 });
      i = WORD.lastIndex;
    } else if (char === "'") {
      const [text, next] = quoted(expression, i);
      tokens.push({ kind: 'text', text, at: i + 1 });
      i = next;
    } else if ('*,()='.includes(char)) {
      tokens.push({ kind: 'symbol', text: char, at: i + 1 });
      i += 1;
    } else {
      throw notUnderstood(expression.slice(i, i + 12), i + 1);
    }
  }
  tokens.push({ kind: 'end', text: '', at: expression.length + 1 });
  return tokens;
}

/** A single-quoted value, `''` standing for a quote inside it; returns it and where it ends. */
function quoted(expression: string, start: number): [string, number] {
  let text = '';
  let i = start + 1;
  while (i < expression.length) {
    const char = expression.charAt(i);
    if (char === "'") {
      if (expression.charAt(i + 1) !== "'") return [text, i + 1];
      text += "'";
      i += 2;
    } else {
      text += char;
      i += 1;
    }
  }
  throw new QueryError(`the value quoted at character ${start + 1} has no closing quote`);
}

function notUnderstood(what: string, at: number): QueryError {
  return new QueryError(`${JSON.stringify(what)} at character ${at} is not understood`);
}

function isKeyword(token: Token, keyword: string): boolean {
  return token.kind === 'word' && token.text.toUpperCase() === keyword;
}

class Parser {
  readonly #tokens: Token[];
  #next = 0;

  constructor(expression: string) {
    this.#tokens = tokenize(expression);
  }

  parse(): Query {
    if (!isKeyword(this.#peek(), 'SELECT')) throw this.#unexpected('SELECT at the start');
    this.#take();
    const fields = this.#fields();
    if (!isKeyword(this.#peek(), 'WHERE')) {
      if (this.#peek().kind !== 'end') throw this.#unexpected('",", WHERE or the end of the expression');
      return { fields, conditions: [] };
    }
    this.#take();
    const conditions = [this.#condition()];
    while (isKeyword(this.#peek(), 'AND')) {
      this.#take();
      conditions.push(this.#condition());
    }
    if (this.#peek().kind !== 'end') throw this.#unexpected('AND or the end of the expression');
    return { fields, conditions };
  }

  #fields(): SelectedField[] {
    const fields: SelectedField[] = [];
    for (;;) {
      const token = this.#take();
      if (token.kind === 'symbol' && token.text === '*') {
        for (const name of SCALAR_FIELDS) fields.push({ name, top: name, rest: [] });
      } else if (token.kind === 'word' && !isReserved(token)) {
        fields.push(selectedField(token));
      } else {
        throw this.#unexpected('a field to select', token);
      }
      if (this.#peek().kind !== 'symbol' || this.#peek().text !== ',') return fields;
      this.#take();
    }
  }

  #condition(): Condition {
    const token = this.#take();
    if (token.kind !== 'word' || isReserved(token)) {
      throw this.#unexpected('a field to compare', token);
    }
    const field = CONDITION_FIELDS.find((name) => name === token.text);
    if (field === undefined) {
      throw new QueryError(
        `a condition on ${JSON.stringify(token.text)} (character ${token.at}) is not supported: conditions may test ${CONDITION_FIELDS.join(', ')}`,
      );
    }
    const operator = this.#take();
    if (operator.kind === 'symbol' && operator.text === '=') {
      return { field, values: new Set([this.#value()]) };
    }
    if (!isKeyword(operator, 'IN')) throw this.#unexpected(`= or IN after ${field}`, operator);
    this.#expect('(');
    const values = new Set([this.#value()]);
    while (this.#peek().kind === 'symbol' && this.#peek().text === ',') {
      this.#take();
      values.add(this.#value());
    }
    this.#expect(')');
    return { field, values };
  }

  #value(): string {
    const token = this.#take();
    if (token.kind !== 'text') throw this.#unexpected("a quoted value such as 'AWS::EC2::VPC'", token);
    return token.text;
  }

  #expect(symbol: string): void {
    const token = this.#take();
    if (token.kind !== 'symbol' || token.text !== symbol) throw this.#unexpected(`"${symbol}"`, token);
  }

  #peek(): Token {
    return this.#tokens[this.#next] ?? { kind: 'end', text: '', at: 0 };
  }

  #take(): Token {
    const token = this.#peek();
    if (token.kind !== 'end') this.#next += 1;
    return token;
  }

  #unexpected(expected: string, token: Token = this.#peek()): QueryError {
    if (token.kind === 'end') return new QueryError(`the expression ends where ${expected} was expected`);
    const found = token.kind === 'text' ? `'${token.text}'` : token.text;
    const unsupported =
      token.kind === 'word' && UNSUPPORTED.has(token.text.toUpperCase())
        ? ` (${token.text.toUpperCase()} is not supported by the simulator)`
        : '';
    return new QueryError(
      `${JSON.stringify(found)} at character ${token.at} is not understood${unsupported}: expected ${expected}`,
    );
  }
}

function selectedField(token: Token): SelectedField {
  const [top, ...rest] = token.text.split('.');
  const field = DOCUMENT_FIELDS.find((name) => name === top);
  if (field === undefined) {
    throw new QueryError(
      `${JSON.stringify(top)} (character ${token.at}) is not a field of a configuration item: fields are ${DOCUMENT_FIELDS.join(', ')}`,
    );
  }
  if (rest.length > 0 && !NESTED.has(field)) {
    throw new QueryError(`${JSON.stringify(token.text)} (character ${token.at}): ${field} has no fields`);
  }
  return { name: token.text, top: field, rest };
}

export function parseQuery(expression: string): Query {
  return new Parser(expression).parse();
}

export function matchesConditions(item: ConfigItem, conditions: readonly Condition[]): boolean {
  return conditions.every(({ field, values }) => {
    const value = item[field];
    return value !== undefined && values.has(value);
  });
}

/** The selected fields of the item, nested as in the item; a field it lacks is left out. */
export function project(item: ConfigItem, fields: readonly SelectedField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const tops = new Map<DocumentField, unknown>();
  for (const { top, rest } of fields) {
    // A field is computed once per item, however many paths select from it.
    if (!tops.has(top)) tops.set(top, documentField(item, top));
    const picked = pick(tops.get(top), rest);
    if (picked !== undefined) out[top] = top in out ? merge(out[top], picked) : picked;
  }
  return out;
}

/** The part of `value` at `path`; through a list, the part of each element, in place. */
function pick(value: unknown, path: readonly string[]): unknown {
  if (value === undefined || path.length === 0) return value;
  if (Array.isArray(value)) {
    const picked = value.map((element) => pick(element, path));
    return picked.some((element) => element !== undefined)
      ? picked.map((element) => element ?? {})
      : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const [key = '', ...rest] = path;
  if (!Object.hasOwn(value, key)) return undefined;
  const inner = pick((value as Record<string, unknown>)[key], rest);
  return inner === undefined ? undefined : { [key]: inner };
}

/** Two picks of one field, combined: objects key by key, lists element by element. */
function merge(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => merge(a[i], b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [key, value] of Object.entries(b)) out[key] = key in out ? merge(out[key], value) : value;
    return out;
  }
  return b === undefined ? a : b;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
