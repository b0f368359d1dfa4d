/**
 * Damaged documents for the loader properties: a valid document with a few edits at random
 * places (a value replaced by any JSON, a key removed or added, a value wrapped in a list or
 * written as text), so validation fails deep inside as well as at the top.
 */
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type Path = ReadonlyArray<string | number>;

export type Edit =
  | { readonly op: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly op: 'delete'; readonly at: number }
  | { readonly op: 'add-key'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly op: 'wrap'; readonly at: number }
  | { readonly op: 'stringify'; readonly at: number };

/** Every path in the document, the document itself (`[]`) first. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const paths: Path[] = [prefix];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      paths.push(...pathsOf(item, [...prefix, i]));
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  }
  return paths;
}

function get(value: unknown, path: Path): unknown {
  let current = value;
  for (const segment of path) current = (current as Record<string | number, unknown>)[segment];
  return current;
}

function set(root: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next;
  const parent = get(root, path.slice(0, -1)) as Record<string | number, unknown>;
  Object.defineProperty(parent, path[path.length - 1] as string | number, {
    value: next,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return root;
}

function remove(root: unknown, path: Path): unknown {
  if (path.length === 0) return {};
  const parent = get(root, path.slice(0, -1));
  const last = path[path.length - 1] as string | number;
  if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete (parent as Record<string, unknown>)[last as string];
  return root;
}

/** Applies the edits to a deep copy; `at` picks a path modulo the paths there are. */
export function applyEdits(document: unknown, edits: readonly Edit[]): unknown {
  let root: unknown = structuredClone(document);
  for (const edit of edits) {
    const paths = pathsOf(root);
    const path = paths[edit.at % paths.length] ?? [];
    const current = get(root, path);
    switch (edit.op) {
      case 'replace':
        root = set(root, path, edit.value);
        break;
      case 'delete':
        root = remove(root, path);
        break;
      case 'add-key':
        if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
          root = set(root, [...path, edit.key], edit.value);
        } else {
          root = set(root, path, { [edit.key]: edit.value });
        }
        break;
      case 'wrap':
        root = set(root, path, [current]);
        break;
      case 'stringify':
        root = set(root, path, JSON.stringify(current) ?? 'undefined');
        break;
    }
  }
  return root;
}

const json: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;
const key = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('__proto__', 'constructor', 'toString', '', 'eu-west-1', '111122223333', '$schema'),
);

export const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: json }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('add-key' as const), at: fc.nat(), key, value: json }),
  fc.record({ op: fc.constant('wrap' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('stringify' as const), at: fc.nat() }),
);

/** A valid document with one to three edits, or any JSON value at all. */
export function damaged(document: unknown): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      arbitrary: fc
        .array(editArb, { minLength: 1, maxLength: 3 })
        .map((edits) => applyEdits(document, edits)),
      weight: 4,
    },
    { arbitrary: json, weight: 1 },
  );
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
