/**
 * custos's own error classes. Each names what happened, the value received and what was
 * expected; `exitCode` is what the CLI exits with when the error reaches it.
 */

export interface FieldProblem {
  /** Field path in the input, e.g. `network.allowlist[0]`; empty for the document itself. */
  readonly path: string;
  /** What was wrong and what was expected. */
  readonly message: string;
}

export class CustosError extends Error {
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CustosError';
    this.exitCode = options.exitCode ?? 4;
  }
}

/** Bad input from a user (config, estate, flags): exit 2, nothing written. */
export class InputError extends CustosError {
  readonly source: string;
  readonly problems: readonly FieldProblem[];

  constructor(source: string, problems: readonly FieldProblem[], options: { cause?: unknown } = {}) {
    super(formatProblems(source, problems), { exitCode: 2, cause: options.cause });
    this.name = 'InputError';
    this.source = source;
    this.problems = problems;
  }
}

export class ConfigError extends InputError {
  constructor(source: string, problems: readonly FieldProblem[], options: { cause?: unknown } = {}) {
    super(source, problems, options);
    this.name = 'ConfigError';
  }
}

export class EstateError extends InputError {
  constructor(source: string, problems: readonly FieldProblem[], options: { cause?: unknown } = {}) {
    super(source, problems, options);
    this.name = 'EstateError';
  }
}

/** Wrong command-line usage: exit 2. */
export class UsageError extends CustosError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** The scan could not start at all (no credentials, no organization access): exit 2. */
export class ScanSetupError extends CustosError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { exitCode: 2, cause: options.cause });
    this.name = 'ScanSetupError';
  }
}

function formatProblems(source: string, problems: readonly FieldProblem[]): string {
  const lines = problems.map((p) => (p.path === '' ? `  ${p.message}` : `  ${p.path}: ${p.message}`));
  return `${source} is not valid:\n${lines.join('\n')}`;
}

/** Formats a field path from its segments: `['a', 0, 'b']` → `a[0].b`. */
export function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$]*$/.test(segment)) {
      out += out === '' ? segment : `.${segment}`;
    } else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}
