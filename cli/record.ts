/**
 * `custos record`: scan as `custos scan` does (same config, same account and region discovery),
 * write no report, and save what was collected as an estate file (ESTATE.md), so that
 * `custos scan --estate FILE` reproduces the scan's verdicts offline, or a user can share a
 * minimal reproduction. What could not be collected is recorded as a fault, so the replay shows
 * the same ERROR. Identifiers are minimised unless `--keep-identifiers` (see record/minimise.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ALL_CHECKS } from '../checks/registry.js';
import type { OrganizationAccount } from '../core/aws-shapes.js';
import { runScan } from '../core/engine/run.js';
import { selectChecks } from '../core/engine/select.js';
import { CustosError, EstateError, UsageError } from '../core/errors.js';
import type { AwsClients } from '../inventory/clients.js';
import { organizationAccounts } from '../inventory/discovery.js';
import { classifyAwsError } from '../inventory/errors.js';
import { parseEstate } from '../sim/estate.js';
import { loadConfig } from './config-file.js';
import { openEngine } from './engine-context.js';
import { buildEstate, type RecordCounts, type RecordedEstate } from './record/estate-builder.js';
import { overridesFrom } from './scan.js';

export interface RecordOptions {
  readonly out: string;
  readonly estate?: string;
  readonly config?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly accounts?: string;
  readonly regions?: string;
  readonly checks?: string;
  readonly keepIdentifiers?: boolean;
  readonly quiet?: boolean;
}

export interface RecordOutcome {
  /** The estate file written, as an absolute path. */
  readonly path: string;
  readonly counts: RecordCounts;
  /** Where the recording cannot reproduce the scan exactly. */
  readonly warnings: readonly string[];
  readonly exitCode: number;
}

export async function recordCommand(
  options: RecordOptions,
  write: (text: string) => void,
  warn: (text: string) => void = (text) => process.stderr.write(`${text}\n`),
): Promise<RecordOutcome> {
  const path = checkOutPath(options.out);
  const overrides = overridesFrom({
    ...(options.accounts !== undefined && { accounts: options.accounts }),
    ...(options.regions !== undefined && { regions: options.regions }),
    ...(options.checks !== undefined && { checks: options.checks }),
  });
  // Every check unless --checks narrows it: the recording then holds what any scan would read.
  const config = loadConfig(options.config, { ...overrides, checks: overrides.checks ?? ['*'] });
  selectChecks(ALL_CHECKS, config.checks, config.settings, options.config ?? 'config');

  const keepIdentifiers = options.keepIdentifiers === true;
  const engine = await openEngine(config, options, {
    interactive: options.quiet !== true,
    now: () => new Date(),
  });
  const notes: string[] = [];
  let recorded: ReturnType<typeof buildEstate>;
  try {
    const run = await runScan(engine.ctx, engine.runId).finally(() => engine.stopProgress());
    // The plan keeps each account's Id, Name and State; emails and ARNs come from ListAccounts.
    const listed =
      keepIdentifiers && config.accounts.source === 'organizations'
        ? await listAccounts(engine.ctx.sessions.caller, notes)
        : undefined;
    recorded = buildEstate({
      plan: run.plan,
      shards: run.shards,
      accountSource: config.accounts.source,
      keepIdentifiers,
      ...(listed !== undefined && { organizationAccounts: listed }),
    });
  } finally {
    await engine.close();
  }

  const text = serialise(recorded.estate, path);
  validate(text, path);
  writeAtomically(path, text);

  const warnings = [...notes, ...recorded.warnings];
  for (const warning of warnings) warn(`custos: warning: ${warning}`);
  if (options.quiet !== true) {
    const { counts } = recorded;
    write(
      `Recorded ${plural(counts.accounts, 'account')}, ${plural(counts.regions, 'region')}, ` +
        `${plural(counts.resources, 'resource')} and ${plural(counts.faults, 'fault')} to ${path}`,
    );
    if (!keepIdentifiers) {
      write(
        'Tags, emails, account names and IAM user names were left out or replaced (--keep-identifiers keeps them).',
      );
    }
  }
  return { path, counts: recorded.counts, warnings, exitCode: 0 };
}

/** Refuses an --out that cannot be an estate file before any AWS call is made. */
function checkOutPath(out: string | undefined): string {
  if (out === undefined || out.trim() === '')
    throw new UsageError('--out: missing: the estate file to write');
  const path = resolve(out);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UsageError(`--out: ${JSON.stringify(out)} is a folder; expected the estate file to write`);
  }
  return path;
}

async function listAccounts(caller: AwsClients, notes: string[]): Promise<OrganizationAccount[] | undefined> {
  try {
    return await organizationAccounts(caller);
  } catch (error) {
    const e = classifyAwsError(error, 'organizations:ListAccounts');
    notes.push(`account emails and ARNs are not recorded: ListAccounts failed (${e.code}: ${e.message})`);
    return undefined;
  }
}

function isYaml(path: string): boolean {
  return ['.yaml', '.yml'].includes(extname(path).toLowerCase());
}

function serialise(estate: RecordedEstate, path: string): string {
  return isYaml(path) ? stringifyYaml(estate) : `${JSON.stringify(estate, null, 2)}\n`;
}

/** A recorded estate must load: read back exactly the text about to be written. */
function validate(text: string, path: string): void {
  try {
    parseEstate(isYaml(path) ? parseYaml(text) : JSON.parse(text), path);
  } catch (error) {
    if (!(error instanceof EstateError)) throw error;
    throw new CustosError(
      `the recorded estate would not load, so nothing was written (a custos defect). ${error.message}`,
      {
        cause: error,
      },
    );
  }
}

/** Writes a temporary file next to the target and renames it over, so no reader sees half a file. */
function writeAtomically(path: string, text: string): void {
  const folder = dirname(path);
  const temp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(temp, text, { encoding: 'utf8', flag: 'wx' });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new CustosError(`cannot write ${path}: ${(error as Error).message}`, { exitCode: 2, cause: error });
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
