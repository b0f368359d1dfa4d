/**
 * `npm run package:cloud` (osls package), run once per test run and shared by the cloud test
 * files: the first worker to get here packages, the others wait for it. It runs with every AWS
 * credential removed from its environment, so a test run also proves that packaging needs none.
 *
 * The bundles and the compiled template (`cloudformation-template-update-stack.json`, which osls
 * writes to `.serverless/` by default) go to a folder of this test run (`CUSTOS_BUILD_DIR` and
 * `--package`), so that test runs side by side never read each other's half-written files.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const REPO = new URL('../../', import.meta.url).pathname;
export const TEMPLATE_NAME = 'cloudformation-template-update-stack.json';
export const FUNCTION_NAMES = ['plan', 'scanTarget', 'finalize', 'export'] as const;

const PACKAGE_TIMEOUT_MS = 150_000;
const run = promisify(execFile);

/** A CloudFormation template, loosely typed: the tests walk it. */
export type Template = {
  readonly Resources: Record<
    string,
    { Type: string; Properties: Record<string, unknown>; [k: string]: unknown }
  >;
  readonly Conditions?: Record<string, unknown>;
  readonly Outputs?: Record<string, unknown>;
};

export interface Packaged {
  readonly template: Template;
  /** What osls printed, the bundle sizes among it. */
  readonly log: string;
  /** Where the bundles and zips are (`CUSTOS_BUILD_DIR`). */
  readonly buildDir: string;
}

/** The environment of a process that has no way to AWS credentials. */
export function credentialFreeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_SDK_LOAD_CONFIG: '0', ...extra };
  for (const name of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'AWS_DEFAULT_PROFILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
  ]) {
    delete env[name];
  }
  env.AWS_SHARED_CREDENTIALS_FILE = join(tmpdir(), 'custos-no-credentials');
  env.AWS_CONFIG_FILE = join(tmpdir(), 'custos-no-config');
  env.AWS_EC2_METADATA_DISABLED = 'true';
  return env;
}

/** Runs `osls package` in the repository; rejects with its output when it fails. */
export async function oslsPackage(
  extraEnv: Record<string, string> = {},
  args: string[] = [],
): Promise<string> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(REPO, 'node_modules/osls/bin/serverless.js'), 'package', ...args],
      {
        cwd: REPO,
        env: credentialFreeEnv(extraEnv),
        timeout: PACKAGE_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return `${stdout}${stderr}`;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`osls package failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

let shared: Promise<Packaged> | undefined;

export function packaged(): Promise<Packaged> {
  shared ??= packageOnce();
  return shared;
}

/** The vitest run this worker belongs to: its parent process, and when that process started. */
function runKey(): string {
  let started = '0';
  try {
    started = readFileSync(`/proc/${process.ppid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19] ?? '0';
  } catch {
    // Not Linux: the parent's id alone.
  }
  return `${process.ppid}-${started}`;
}

const RUN_FOLDER_PREFIX = 'custos-cloud-package-';
const STALE_MS = 60 * 60_000;

async function packageOnce(): Promise<Packaged> {
  const folder = join(tmpdir(), `${RUN_FOLDER_PREFIX}${runKey()}`);
  const done = join(folder, 'done.json');
  const buildDir = join(folder, 'build');
  let owner = false;
  try {
    mkdirSync(folder);
    owner = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (owner) {
    removeStaleRunFolders(folder);
    try {
      const log = await oslsPackage({ CUSTOS_BUILD_DIR: buildDir }, ['--package', join(folder, 'package')]);
      writeFileSync(done, JSON.stringify({ ok: true, log }));
    } catch (error) {
      writeFileSync(done, JSON.stringify({ ok: false, log: (error as Error).message }));
    }
  } else {
    const deadline = Date.now() + PACKAGE_TIMEOUT_MS + 10_000;
    while (!existsSync(done)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${done}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const result = JSON.parse(readFileSync(done, 'utf8')) as { ok: boolean; log: string };
  if (!result.ok) throw new Error(result.log);
  const template = JSON.parse(readFileSync(join(folder, 'package', TEMPLATE_NAME), 'utf8')) as Template;
  return { template, log: result.log, buildDir };
}

/** Folders of earlier test runs, an hour old or more. */
function removeStaleRunFolders(current: string): void {
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!name.startsWith(RUN_FOLDER_PREFIX) || path === current) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another run removed it first.
    }
  }
}

/** The state machine definition with its substitutions filled in as CloudFormation would. */
export function stateMachineDefinition(
  template: Template,
  names: Record<string, string> = {},
): Record<string, unknown> {
  const machine = template.Resources.AuditStateMachine!.Properties;
  const substitutions = machine.DefinitionSubstitutions as Record<string, unknown>;
  const text = JSON.stringify(machine.Definition).replace(/\$\{(\w+)\}/g, (whole, key: string) => {
    if (!(key in substitutions)) return whole;
    return names[key] ?? fakeValue(key);
  });
  return JSON.parse(text) as Record<string, unknown>;
}

function fakeValue(key: string): string {
  if (key === 'ReportBucket') return 'custos-prod-reportbucket-0123456789ab';
  return `arn:aws:lambda:us-east-1:123456789012:function:custos-prod-${key.replace(/FunctionArn$/, '')}`;
}
