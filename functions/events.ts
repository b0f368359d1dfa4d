/**
 * What each function receives and returns. Events come from the state machine (or from a person
 * with `aws lambda invoke`), so every one is validated before anything runs; a bad event is an
 * `InvalidEventError`, which the state machine does not retry.
 */
import { z } from 'zod';
import type { ConfigOverrides } from '../core/config/load.js';
import type { Summary, Target } from '../core/types.js';
import { GLOBAL_REGION } from '../core/types.js';

/** A custos run id as `newRunId` makes them: `20261125T020000Z-a1b2c3`. */
export const RUN_ID = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const CHECK_PATTERN = /^(\*|[a-z0-9]+(\.[a-z0-9-]+)*(\.\*)?)$/;

const runId = z.string().regex(RUN_ID, 'expected a custos run id such as "20261125T020000Z-a1b2c3"');

/** What an on-demand run may narrow (`custos invoke --accounts ...`); the nightly run sends `{}`. */
export const RunRequestSchema = z.strictObject({
  accounts: z.array(z.string().regex(ACCOUNT_ID, 'expected a 12-digit AWS account id')).min(1).optional(),
  regions: z.array(z.string().regex(REGION, 'expected an AWS region name')).min(1).optional(),
  checks: z
    .array(z.string().regex(CHECK_PATTERN, 'expected a check id or a prefix ending in ".*"'))
    .min(1)
    .optional(),
});
export type RunRequest = z.infer<typeof RunRequestSchema>;

export const PlanEventSchema = z.strictObject({
  /** `$$.Execution.Name`: adopted as the run id when it is one (as `custos invoke` names executions). */
  executionName: z.string().min(1).max(80).optional(),
  input: RunRequestSchema.optional(),
});
export type PlanEvent = z.infer<typeof PlanEventSchema>;

export interface PlanResult {
  readonly runId: string;
  /** The Map state's items (one per target), read by its ItemReader. */
  readonly targetsKey: string;
  readonly targets: number;
  /** The request, passed on so that finalize resolves the same config. */
  readonly request: RunRequest;
}

export const TargetSchema = z.strictObject({
  accountId: z.string().regex(ACCOUNT_ID, 'expected a 12-digit AWS account id'),
  region: z.union([z.literal(GLOBAL_REGION), z.string().regex(REGION, 'expected an AWS region name')]),
});

export const ScanTargetEventSchema = z.strictObject({ runId, target: TargetSchema });
export type ScanTargetEvent = z.infer<typeof ScanTargetEventSchema>;

export interface ScanTargetResult {
  readonly shardKey: string;
  readonly status: 'scanned' | 'not-scanned' | 'error';
  readonly findings: number;
}

export const FinalizeEventSchema = z.strictObject({
  runId,
  request: RunRequestSchema.optional(),
  /** Present when the Map state failed beyond its tolerated failures (its Catch). */
  mapFailure: z.unknown().optional(),
});
export type FinalizeEvent = z.infer<typeof FinalizeEventSchema>;

/** The execution's output: what `custos invoke` reads to find the report. */
export interface FinalizeResult {
  readonly runId: string;
  readonly bucket: string;
  readonly reportKey: string;
  readonly summary: Summary;
  /** Targets whose scan never wrote a shard, reported as ERROR. */
  readonly missingTargets: number;
  /** True when this invocation found the run already published (a retried finalize). */
  readonly alreadyPublished: boolean;
}

export const ExportEventSchema = z.strictObject({
  framework: z.string().min(1),
  from: z.string().min(1),
  to: z.string().min(1),
});
export type ExportEvent = z.infer<typeof ExportEventSchema>;

export interface ExportResult {
  readonly bucket: string;
  readonly key: string;
  /** A presigned GET of the bundle, valid for `expiresInSeconds`. */
  readonly url: string;
  readonly expiresInSeconds: number;
  readonly sha256: string;
  readonly intact: boolean;
}

/** An event that does not have the expected shape. Named so that no Retry rule matches it. */
export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Custos.InvalidEvent';
  }
}

export function parseEvent<T>(schema: z.ZodType<T>, event: unknown): T {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return `${path === '' ? 'event' : path}: ${issue.message}`;
  });
  throw new InvalidEventError(`invalid event: ${problems.join('; ')}`);
}

/** The config overrides a run request stands for, as the CLI's flags would give them. */
export function overridesOf(request: RunRequest | undefined): ConfigOverrides {
  return {
    ...(request?.accounts !== undefined && { accounts: request.accounts }),
    ...(request?.regions !== undefined && { regions: request.regions }),
    ...(request?.checks !== undefined && { checks: request.checks }),
  };
}

/** The report store keys of a run's working files (the run's own artifacts are written by finalize). */
export const runKeys = {
  plan: (id: string) => `runs/${id}/plan.json`,
  targets: (id: string) => `runs/${id}/targets.json`,
  shards: (id: string) => `runs/${id}/shards/`,
  shard: (id: string, target: Target) => `runs/${id}/shards/${target.accountId}-${target.region}.json`,
  manifest: (id: string) => `runs/${id}/manifest.json`,
  report: (id: string) => `runs/${id}/report.json`,
} as const;
