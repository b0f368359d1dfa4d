/**
 * Parses and resolves a config document: schema validation, cross-field rules, defaults and
 * command-line overrides. Reading the file is the caller's job; this module does no I/O.
 */
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { ConfigError, type FieldProblem } from '../errors.js';
import type { GateOptions } from '../gate.js';
import { type SuppressionEntry, validateSuppressions } from '../suppressions.js';
import type { CheckSettings, Severity } from '../types.js';
import { documentShapeProblem, zodProblems } from '../validation.js';
import { ConfigSchema, type ParsedConfig } from './schema.js';

export type AccountSource = 'self' | 'organizations' | 'list';

export type InventorySourceConfig =
  | { readonly source: 'api' }
  | { readonly source: 'config' }
  | { readonly source: 'config-aggregator'; readonly aggregatorName: string };

export interface ResolvedConfig {
  readonly accounts: {
    readonly source: AccountSource;
    readonly ids: readonly string[];
    readonly exclude: readonly string[];
  };
  readonly regions: 'all' | readonly string[];
  /** Where resource inventory comes from: the services' own APIs, or AWS Config. */
  readonly inventory: InventorySourceConfig;
  readonly assumeRole?: {
    readonly roleName: string;
    readonly externalId?: string;
    readonly sessionDurationSeconds: number;
  };
  readonly checks: { readonly include: readonly string[]; readonly exclude: readonly string[] };
  readonly settings: CheckSettings;
  readonly output: {
    readonly store: string;
    readonly formats: readonly string[];
    readonly kmsKeyId?: string;
  };
  /** Object Lock retention for run artifacts in an S3 store. */
  readonly evidence?: { readonly retentionDays: number; readonly mode: 'GOVERNANCE' | 'COMPLIANCE' };
  /** The cloud deployment's nightly run (serverless.yml): when, and how wide the Map state fans out. */
  readonly schedule?: {
    /** An EventBridge schedule expression: `cron(...)` or `rate(...)`. */
    readonly cron: string;
    /** How many targets the Map state scans at once. */
    readonly maxConcurrency: number;
    /** The share of targets (percent) whose scan may fail before the run is failed. */
    readonly toleratedFailurePercentage: number;
  };
  /** Empty: no gate, a finished scan exits 0. */
  readonly gate: GateOptions;
  /** The ticket sync; absent: the local sink under the report store. */
  readonly tickets?: NonNullable<ParsedConfig['tickets']>;
  readonly suppressions: readonly SuppressionEntry[];
  /** SHA-256 of the config as given (after overrides), for the report's metadata. */
  readonly digest: string;
}

/** Command-line flags that override the file. */
export interface ConfigOverrides {
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
  readonly checks?: readonly string[];
  readonly store?: string;
  readonly failOn?: Severity;
  readonly allowIncomplete?: boolean;
  readonly onlyNew?: boolean;
}

export const DEFAULTS = {
  adminPorts: [22, 3389],
  publicPorts: [80, 443],
  rootUseDays: 30,
  unusedDays: 45,
  keyRotationDays: 90,
  dormantDays: 90,
  sessionDurationSeconds: 3600,
  retentionDays: 365,
  maxConcurrency: 40,
  toleratedFailurePercentage: 5,
  store: './custos-reports',
  formats: ['json', 'csv', 'ocsf', 'asff', 'junit', 'html'],
} as const;

/** Parses config text (JSON, or YAML when `format` says so) into a document, syntax only. */
export function parseConfigDocument(text: string, source: string, format: 'json' | 'yaml'): unknown {
  try {
    return (format === 'yaml' ? parseYaml(text) : JSON.parse(text)) ?? {};
  } catch (error) {
    throw new ConfigError(
      source,
      [{ path: '', message: `is not valid ${format.toUpperCase()}: ${(error as Error).message}` }],
      {
        cause: error,
      },
    );
  }
}

export function parseConfigText(
  text: string,
  source: string,
  format: 'json' | 'yaml',
  overrides: ConfigOverrides = {},
  asOf?: string,
): ResolvedConfig {
  return resolveConfig(parseConfigDocument(text, source, format), source, overrides, asOf);
}

/**
 * Validates and resolves a config document. `asOf` is the instant suppression expiries are
 * judged against (the scan's own), passed in because this module reads no clock.
 */
export function resolveConfig(
  raw: unknown,
  source: string,
  overrides: ConfigOverrides = {},
  asOf?: string,
): ResolvedConfig {
  const shape = documentShapeProblem(raw);
  if (shape !== undefined) throw new ConfigError(source, [shape]);
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(source, zodProblems(parsed.error, raw));
  const config = applyOverrides(parsed.data, overrides);
  const problems = [
    ...crossFieldProblems(config),
    ...scheduleProblems(config),
    ...(asOf !== undefined ? validateSuppressions(config.suppressions ?? [], asOf) : []),
  ];
  if (problems.length > 0) throw new ConfigError(source, problems);

  const network = config.network ?? {};
  const iam = config.iam ?? {};
  return {
    accounts: {
      source: config.accounts?.source ?? 'self',
      ids: config.accounts?.ids ?? [],
      exclude: config.accounts?.exclude ?? [],
    },
    regions: config.regions ?? 'all',
    inventory:
      config.inventory?.source === 'config-aggregator' && config.inventory.aggregatorName !== undefined
        ? { source: 'config-aggregator', aggregatorName: config.inventory.aggregatorName }
        : { source: config.inventory?.source === 'config' ? 'config' : 'api' },
    ...(config.assumeRole && {
      assumeRole: {
        roleName: config.assumeRole.roleName,
        ...(config.assumeRole.externalId !== undefined && { externalId: config.assumeRole.externalId }),
        sessionDurationSeconds: config.assumeRole.sessionDurationSeconds ?? DEFAULTS.sessionDurationSeconds,
      },
    }),
    checks: { include: config.checks?.include ?? ['*'], exclude: config.checks?.exclude ?? [] },
    settings: {
      network: {
        adminPorts: network.adminPorts ?? DEFAULTS.adminPorts,
        publicPorts: network.publicPorts ?? DEFAULTS.publicPorts,
        ...(network.allowlist !== undefined && { allowlist: network.allowlist }),
      },
      iam: {
        rootUseDays: iam.rootUseDays ?? DEFAULTS.rootUseDays,
        unusedDays: iam.unusedDays ?? DEFAULTS.unusedDays,
        keyRotationDays: iam.keyRotationDays ?? DEFAULTS.keyRotationDays,
        dormantDays: iam.dormantDays ?? DEFAULTS.dormantDays,
      },
    },
    output: {
      store: config.output?.store ?? DEFAULTS.store,
      formats: config.output?.formats ?? DEFAULTS.formats,
      ...(config.output?.kmsKeyId !== undefined && { kmsKeyId: config.output.kmsKeyId }),
    },
    ...(config.evidence !== undefined && {
      evidence: {
        retentionDays: config.evidence.retentionDays ?? DEFAULTS.retentionDays,
        mode: config.evidence.mode ?? 'GOVERNANCE',
      },
    }),
    ...(config.schedule !== undefined && {
      schedule: {
        cron: config.schedule.cron,
        maxConcurrency: config.schedule.maxConcurrency ?? DEFAULTS.maxConcurrency,
        toleratedFailurePercentage:
          config.schedule.toleratedFailurePercentage ?? DEFAULTS.toleratedFailurePercentage,
      },
    }),
    gate: config.gate ?? {},
    ...(config.tickets !== undefined && { tickets: config.tickets }),
    suppressions: config.suppressions ?? [],
    digest: digestOf(config),
  };
}

function applyOverrides(config: ParsedConfig, overrides: ConfigOverrides): ParsedConfig {
  let next = config;
  if (overrides.accounts !== undefined) {
    next = { ...next, accounts: { ...next.accounts, source: 'list', ids: [...overrides.accounts] } };
  }
  if (overrides.regions !== undefined) next = { ...next, regions: [...overrides.regions] };
  if (overrides.checks !== undefined)
    next = { ...next, checks: { ...next.checks, include: [...overrides.checks] } };
  if (overrides.store !== undefined) next = { ...next, output: { ...next.output, store: overrides.store } };
  if (overrides.failOn !== undefined) next = { ...next, gate: { ...next.gate, failOn: overrides.failOn } };
  if (overrides.allowIncomplete === true) next = { ...next, gate: { ...next.gate, allowIncomplete: true } };
  if (overrides.onlyNew === true) next = { ...next, gate: { ...next.gate, onlyNew: true } };
  return next;
}

function crossFieldProblems(config: ParsedConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const source = config.accounts?.source ?? 'self';
  const ids = config.accounts?.ids;
  if (source === 'list' && (ids === undefined || ids.length === 0)) {
    problems.push({ path: 'accounts.ids', message: 'missing: source "list" needs at least one account id' });
  }
  if (source !== 'list' && ids !== undefined) {
    problems.push({
      path: 'accounts.ids',
      message: `is only used with source "list" (source is "${source}")`,
    });
  }
  if (source === 'organizations' && config.assumeRole === undefined) {
    problems.push({
      path: 'assumeRole',
      message: `missing: scanning accounts from "${source}" needs a role to assume in each account`,
    });
  }
  const inventorySource = config.inventory?.source ?? 'api';
  const aggregatorName = config.inventory?.aggregatorName;
  if (inventorySource === 'config-aggregator' && aggregatorName === undefined) {
    problems.push({
      path: 'inventory.aggregatorName',
      message: 'missing: source "config-aggregator" needs the name of the AWS Config aggregator to query',
    });
  }
  if (inventorySource !== 'config-aggregator' && aggregatorName !== undefined) {
    problems.push({
      path: 'inventory.aggregatorName',
      message: `is only used with source "config-aggregator" (source is "${inventorySource}")`,
    });
  }
  return problems;
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;

/** What EventBridge would refuse in `schedule.cron`, caught before a deployment. */
function scheduleProblems(config: ParsedConfig): FieldProblem[] {
  const expression = config.schedule?.cron;
  if (expression === undefined) return [];
  const shown = JSON.stringify(expression);
  if (expression.startsWith('rate(')) {
    const rate = RATE.exec(expression);
    // EventBridge wants the singular unit for 1 and the plural for more: rate(1 day), rate(2 days).
    const value = Number(rate?.[1] ?? 0);
    const singular = rate?.[2]?.endsWith('s') === false;
    if (rate === null || value < 1 || singular !== (value === 1)) {
      return [
        {
          path: 'schedule.cron',
          message: `${shown}: expected "rate(<n> <unit>)", such as "rate(1 day)" or "rate(12 hours)"`,
        },
      ];
    }
    return [];
  }
  const fields = expression.slice('cron('.length, -1).trim().split(/\s+/);
  if (fields.length !== 6) {
    return [
      {
        path: 'schedule.cron',
        message: `${shown}: an EventBridge cron has 6 fields (minutes hours day-of-month month day-of-week year), found ${fields.length}`,
      },
    ];
  }
  if (fields[2] !== '?' && fields[4] !== '?') {
    return [
      {
        path: 'schedule.cron',
        message: `${shown}: one of day-of-month and day-of-week must be "?", as in "cron(0 2 * * ? *)"`,
      },
    ];
  }
  return [];
}

function digestOf(config: ParsedConfig): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex');
}

/** JSON with object keys sorted, so the digest does not depend on key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
