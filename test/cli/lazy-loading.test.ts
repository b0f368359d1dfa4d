/**
 * What the built CLI loads, and when: a command loads its own implementation, a scan loads an AWS
 * service's SDK package only once a collector calls that service, and nothing loads a tracker's
 * client unless that tracker is configured. Checked on the modules a process actually loaded
 * (every ES module it resolved and every CommonJS module in its require cache), never on time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../dist/cli/bin.js', import.meta.url).pathname;
const ESTATE = new URL('../../examples/demo-estate.json', import.meta.url).pathname;
const CONFIG = new URL('../../examples/demo.config.json', import.meta.url).pathname;

/** Resolve hook, in the loader's own thread: appends each resolved URL to the record as it goes. */
const HOOKS = `
import { appendFileSync } from 'node:fs';
let record;
export function initialize(data) { record = data.record; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(record, resolved.url + '\\n');
  return resolved;
}
`;

/**
 * Loaded with --import: registers the hook, and appends the CommonJS modules loaded so far (the
 * AWS SDK packages are CommonJS) under a marker at the simulator's first request and at exit.
 */
const RECORDER = `
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { pathToFileURL } from 'node:url';
const record = process.env.CUSTOS_TEST_MODULE_RECORD;
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)}, { data: { record } });
const cache = createRequire(import.meta.url).cache;
const mark = (name) =>
  appendFileSync(record, '--- ' + name + '\\n' + Object.keys(cache).map((p) => pathToFileURL(p).href + '\\n').join(''));
const firstCall = () => { unsubscribe('http.server.request.start', firstCall); mark('first-call'); };
subscribe('http.server.request.start', firstCall);
process.on('exit', () => mark('exit'));
`;

interface Loaded {
  /** Packages loaded before the first AWS call (none when no call was made). */
  readonly beforeFirstCall: ReadonlySet<string> | undefined;
  /** Packages loaded by the time the process exited. */
  readonly atExit: ReadonlySet<string>;
  readonly status: number | null;
  readonly stderr: string;
}

/** `node_modules/@aws-sdk/client-ec2/dist-cjs/index.js` → `@aws-sdk/client-ec2`. */
function packageOf(url: string): string | undefined {
  return /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
}

function runCli(args: readonly string[]): Loaded {
  const dir = mkdtempSync(join(tmpdir(), 'custos-lazy-'));
  const recorder = join(dir, 'recorder.mjs');
  const record = join(dir, 'modules.txt');
  writeFileSync(recorder, RECORDER);
  writeFileSync(record, '');
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(recorder).href, BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CUSTOS_TEST_MODULE_RECORD: record },
    timeout: 120_000,
  });
  if (result.error !== undefined) throw result.error;
  let beforeFirstCall: Set<string> | undefined;
  const seen = new Set<string>();
  for (const line of readFileSync(record, 'utf8').split('\n')) {
    if (line === '--- first-call') beforeFirstCall = new Set(seen);
    const name = packageOf(line);
    if (name !== undefined) seen.add(name);
  }
  return { beforeFirstCall, atExit: seen, status: result.status, stderr: result.stderr };
}

const sdkClients = (loaded: ReadonlySet<string>) =>
  [...loaded].filter((name) => name.startsWith('@aws-sdk/client-')).sort();

const TRACKERS = ['jira.js', '@octokit/rest', '@octokit/core'];

describe('the CLI loads what a command needs, when it needs it', () => {
  it('the built CLI is present', () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
  });

  it('--help loads no AWS SDK, no tracker client and no checks', () => {
    // Act
    const loaded = runCli(['--help']);

    // Assess: commander, loaded, shows that the record works.
    expect(loaded.status).toBe(0);
    expect(loaded.atExit.has('commander')).toBe(true);
    expect(
      [...loaded.atExit].filter((name) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/')),
    ).toEqual([]);
    expect(TRACKERS.filter((name) => loaded.atExit.has(name))).toEqual([]);
    expect(loaded.atExit.has('cidr-tools')).toBe(false);
  });

  it('a scan makes its first AWS call with STS alone loaded, and loads the other services as it calls them', () => {
    // Act
    const loaded = runCli(['scan', '--estate', ESTATE, '--config', CONFIG, '--out', 'reports', '--quiet']);

    // Assess: the demo scan calls these six services, and no others.
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(loaded.beforeFirstCall, 'the scan made no AWS call').toBeDefined();
    expect(sdkClients(loaded.beforeFirstCall!)).toEqual(['@aws-sdk/client-sts']);
    expect(sdkClients(loaded.atExit)).toEqual([
      '@aws-sdk/client-ec2',
      '@aws-sdk/client-iam',
      '@aws-sdk/client-organizations',
      '@aws-sdk/client-s3',
      '@aws-sdk/client-s3-control',
      '@aws-sdk/client-sts',
    ]);
    // An estate scan with a local store and the local ticket sink needs no credentials chain, no
    // S3 uploads, no tracker client.
    for (const name of ['@aws-sdk/credential-providers', '@aws-sdk/lib-storage', ...TRACKERS]) {
      expect(loaded.atExit.has(name), name).toBe(false);
    }
  });
});
