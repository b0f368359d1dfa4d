/**
 * Turns schema validation failures into field problems a person can act on: the path, the
 * value received and what was expected.
 */
import type { z } from 'zod';
import { type FieldProblem, formatPath } from './errors.js';

const MAX_PROBLEMS = 20;

export function zodProblems(error: z.ZodError, input: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({ path: formatPath([...issue.path, key]), message: 'unknown key' });
      }
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest: its issues say more than "invalid input".
      const best = issue.errors.reduce((a, b) => (deepestPath(b) > deepestPath(a) ? b : a));
      const inner = best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
      if (deepestPath(inner) > issue.path.length) {
        problems.push(...zodProblems({ issues: inner } as unknown as z.ZodError, input));
        continue;
      }
    }
    problems.push({
      path: formatPath(issue.path),
      message: describeIssue(issue, valueAt(input, issue.path)),
    });
  }
  return dedupe(problems).slice(0, MAX_PROBLEMS);
}

function deepestPath(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey> }>): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

function describeIssue(issue: z.core.$ZodIssue, received: unknown): string {
  const got = describeValue(received);
  switch (issue.code) {
    case 'invalid_type':
      return received === undefined
        ? `missing, expected ${issue.expected}`
        : `${got} is not ${article(issue.expected)}`;
    case 'invalid_value':
      return `${got} is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint'
        ? `${got} is below the minimum of ${String(issue.minimum)}`
        : `${got} is too short (at least ${String(issue.minimum)})`;
    case 'too_big':
      return issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint'
        ? `${got} is above the maximum of ${String(issue.maximum)}`
        : `${got} is too long (at most ${String(issue.maximum)})`;
    case 'invalid_format':
    case 'custom':
      return `${got}: ${issue.message}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer';
  if (expected === 'array') return 'a list';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `a list of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** How deep a config or estate document may nest; real ones stay under 20 levels. */
export const MAX_DOCUMENT_DEPTH = 64;

/**
 * Why a parsed document cannot be validated at all, or undefined: a YAML alias that contains
 * itself (a cycle) or nesting deeper than any real document, which would otherwise exhaust the
 * stack instead of producing a field error.
 */
export function documentShapeProblem(value: unknown): FieldProblem | undefined {
  const onPath = new Set<object>();
  const visit = (node: unknown, path: PropertyKey[]): FieldProblem | undefined => {
    if (node === null || typeof node !== 'object') return undefined;
    if (onPath.has(node))
      return { path: formatPath(path), message: 'refers to itself (a YAML alias inside its own anchor)' };
    if (path.length >= MAX_DOCUMENT_DEPTH) {
      return {
        path: formatPath(path.slice(0, 8)),
        message: `nests deeper than ${MAX_DOCUMENT_DEPTH} levels`,
      };
    }
    onPath.add(node);
    const entries: Array<[PropertyKey, unknown]> = Array.isArray(node)
      ? node.map((v, i) => [i, v] as [number, unknown])
      : Object.entries(node);
    for (const [key, child] of entries) {
      const problem = visit(child, [...path, key]);
      if (problem !== undefined) return problem;
    }
    onPath.delete(node);
    return undefined;
  };
  return visit(value, []);
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current: unknown = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function dedupe(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
