/**
 * Which checks a run executes: config `checks.include` / `checks.exclude` patterns (ids, or
 * family prefixes ending in `.*`, or `*`), matched against the registry.
 */
import { ConfigError, type FieldProblem } from '../errors.js';
import type { CheckSettings } from '../types.js';

/** What selection reads of a check; ordinary and history-derived checks both have it. */
export interface SelectableCheck {
  readonly id: string;
  notApplicable?(settings: CheckSettings): string | undefined;
}

export function matchesPattern(checkId: string, pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return checkId.startsWith(pattern.slice(0, -1));
  return checkId === pattern;
}

export interface CheckSelection<T extends SelectableCheck> {
  /** Checks that run. */
  readonly checks: readonly T[];
  /** Selected checks that do not run with these settings, and why. */
  readonly notRun: ReadonlyArray<{ readonly checkId: string; readonly reason: string }>;
}

/**
 * Resolves patterns against the registry. A pattern that matches no check is a config error:
 * a typo must not silently turn a check off.
 */
export function selectChecks<T extends SelectableCheck>(
  registry: readonly T[],
  patterns: { readonly include: readonly string[]; readonly exclude: readonly string[] },
  settings: CheckSettings,
  source = 'checks',
): CheckSelection<T> {
  const problems: FieldProblem[] = [];
  for (const [key, list] of [
    ['include', patterns.include],
    ['exclude', patterns.exclude],
  ] as const) {
    list.forEach((pattern, index) => {
      if (!registry.some((c) => matchesPattern(c.id, pattern))) {
        problems.push({
          path: `checks.${key}[${index}]`,
          message: `"${pattern}" matches no check (see \`custos checks\`)`,
        });
      }
    });
  }
  if (problems.length > 0) throw new ConfigError(source, problems);

  const selected = registry.filter(
    (c) =>
      patterns.include.some((p) => matchesPattern(c.id, p)) &&
      !patterns.exclude.some((p) => matchesPattern(c.id, p)),
  );
  const checks: T[] = [];
  const notRun: Array<{ checkId: string; reason: string }> = [];
  for (const check of selected) {
    const reason = check.notApplicable?.(settings);
    if (reason === undefined) checks.push(check);
    else notRun.push({ checkId: check.id, reason });
  }
  return { checks, notRun };
}
