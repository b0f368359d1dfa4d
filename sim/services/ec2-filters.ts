/**
 * EC2's `Filter.N.Name` / `Filter.N.Value.M` parameters: filters are ANDed, the values of one
 * filter are ORed, `*` and `?` are wildcards, `tag:<key>` and `tag-key` work on any tagged
 * resource. A filter name the operation does not know is refused, as EC2 refuses it, so a
 * collector's typo fails loudly instead of matching nothing.
 */
import { AwsError } from '../aws-error.js';
import type { FormInput } from '../protocols/form.js';

/** Filter name → the dotted path of the field it reads; lists along the path are searched. */
export type FilterTable = Readonly<Record<string, string>>;

export interface FilterOptions {
  readonly table: FilterTable;
  /** Where the resource keeps its tags, for `tag:<key>` and `tag-key`. */
  readonly tagsField?: string;
}

export function applyFilters<T extends object>(
  items: readonly T[],
  input: FormInput,
  options: FilterOptions,
): T[] {
  const filters = input.structs('Filter').map((filter) => {
    const name = filter.string('Name') ?? '';
    const patterns = filter.list('Value').map(wildcard);
    return { read: reader(name, options), patterns };
  });
  if (filters.length === 0) return [...items];
  return items.filter((item) =>
    filters.every(({ read, patterns }) => read(item).some((value) => patterns.some((p) => p.test(value)))),
  );
}

function reader(name: string, { table, tagsField }: FilterOptions): (item: object) => string[] {
  const path = Object.hasOwn(table, name) ? table[name] : undefined;
  if (path !== undefined) return (item) => valuesAt(item, path);
  if (tagsField !== undefined && name.startsWith('tag:')) {
    const key = name.slice('tag:'.length);
    return (item) => tags(item, tagsField).flatMap((tag) => (tag.Key === key ? [tag.Value] : []));
  }
  if (tagsField !== undefined && name === 'tag-key') {
    return (item) => tags(item, tagsField).map((tag) => tag.Key);
  }
  throw new AwsError('InvalidParameterValue', `The filter '${name}' is invalid`);
}

/** The scalar values at a dotted path, looking through lists on the way. */
export function valuesAt(value: unknown, path: string): string[] {
  let current: unknown[] = [value];
  for (const segment of path.split('.')) {
    current = current.flatMap((node) => {
      if (node === null || typeof node !== 'object') return [];
      const next = (node as Record<string, unknown>)[segment];
      return Array.isArray(next) ? next : [next];
    });
  }
  return current.flatMap((node) =>
    typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean' ? [String(node)] : [],
  );
}

function tags(item: object, field: string): Array<{ Key: string; Value: string }> {
  const value = (item as Record<string, unknown>)[field];
  return Array.isArray(value) ? (value as Array<{ Key: string; Value: string }>) : [];
}

function wildcard(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's');
}
