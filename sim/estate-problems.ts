/**
 * Turns estate validation failures into field problems whose paths read the way the estate is
 * written: `accounts["222222222222"].regions["eu-west-1"].ec2.SecurityGroups[0]`.
 */
import { z } from 'zod';
import { type FieldProblem, formatPath } from '../core/errors.js';
import { describeValue, zodProblems } from '../core/validation.js';

export function estateProblems(error: z.ZodError, input: unknown, schema: z.ZodType): FieldProblem[] {
  const own: FieldProblem[] = [];
  const rest: z.core.$ZodIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'invalid_type' && issue.expected === 'number' && isIntegerAt(schema, issue.path)) {
      // zod reports a string given for an integer as "expected number"; the field wants more.
      own.push({
        path: formatPath(issue.path),
        message: `${describeValue(valueAt(input, issue.path))} is not an integer`,
      });
    } else if (issue.code === 'invalid_key') {
      // zod says "Invalid key in record"; the key's own check says what was expected.
      const key = issue.path.at(-1);
      const expected = issue.issues.map((inner) => inner.message).join('; ');
      own.push({
        path: formatPath(issue.path),
        message: `${describeValue(key)} is not a valid key: ${expected}`,
      });
    } else if (issue.code === 'custom' && isRuleIssue(issue)) {
      // Cross-field rules read as sentences about the value they name.
      const value = valueAt(input, issue.path);
      const message = issue.path.length === 0 ? issue.message : `${describeValue(value)} ${issue.message}`;
      own.push({ path: formatPath(issue.path), message });
    } else {
      rest.push(issue);
    }
  }
  const problems = [...own, ...(rest.length > 0 ? zodProblems(new z.ZodError(rest), input) : [])];
  return problems.map((problem) => ({ ...problem, path: readablePath(problem.path) }));
}

/** Issues raised by estate-rules carry no `params`; zod's own refinements may. */
function isRuleIssue(issue: z.core.$ZodIssueCustom): boolean {
  return issue.params?.rule === true;
}

/**
 * Map keys such as region names contain hyphens, which the shared formatter leaves dotted
 * (`regions.eu-west-1`); AWS field names never do, so a hyphenated segment is a key to quote.
 */
export function readablePath(path: string): string {
  const segment = /\[(?:"(?:[^"\\]|\\.)*"|\d+)\]|\.?[^.[]+/g;
  let out = '';
  for (const [token] of path.matchAll(segment)) {
    const name = token.startsWith('.') ? token.slice(1) : token;
    out += !token.startsWith('[') && name.includes('-') ? `[${JSON.stringify(name)}]` : token;
  }
  return out;
}

interface SchemaDef {
  readonly type: string;
  readonly format?: string;
  readonly innerType?: z.core.$ZodType;
  readonly in?: z.core.$ZodType;
  readonly shape?: Readonly<Record<string, z.core.$ZodType>>;
  readonly valueType?: z.core.$ZodType;
  readonly element?: z.core.$ZodType;
}

const INTEGER_FORMATS = new Set(['safeint', 'int32', 'uint32']);

/** Whether the schema expects an integer at `path`, following objects, records and arrays. */
function isIntegerAt(schema: z.core.$ZodType, path: ReadonlyArray<PropertyKey>): boolean {
  let current: z.core.$ZodType | undefined = schema;
  for (const segment of path) {
    if (current === undefined) return false;
    const def = unwrap(current);
    if (def.type === 'object') current = def.shape?.[String(segment)];
    else if (def.type === 'record') current = def.valueType;
    else if (def.type === 'array') current = def.element;
    else return false;
  }
  if (current === undefined) return false;
  const def = unwrap(current);
  return def.type === 'number' && def.format !== undefined && INTEGER_FORMATS.has(def.format);
}

/** Looks through optional, default, nullable and similar wrappers to the schema they hold. */
function unwrap(schema: z.core.$ZodType): SchemaDef {
  let def = schema._zod.def as unknown as SchemaDef;
  for (;;) {
    const inner = def.type === 'pipe' ? def.in : def.innerType;
    if (inner === undefined) return def;
    def = inner._zod.def as unknown as SchemaDef;
  }
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current: unknown = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
