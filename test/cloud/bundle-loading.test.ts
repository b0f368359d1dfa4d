/**
 * What each function bundle loads when the runtime imports its handler, and that the code it
 * loads later (the chunks split from it) works: the bundled functions run a whole run against the
 * simulator, loading the engine and each AWS service's SDK from their chunks.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { historyChecks } from '../../checks/history/index.js';
import { main } from '../../cli/main.js';
import type { Finding, Report, Target } from '../../core/types.js';
import type { ExportResult, FinalizeResult, PlanResult } from '../../functions/events.js';
import type { RuntimeOptions } from '../../functions/runtime.js';
import { DEMO_CONFIG, DEMO_ESTATE, type Harness, lambdaContext, startHarness } from './lambda-harness.js';
import { FUNCTION_NAMES, packaged } from './packaged.js';

let buildDir: string;
let dir: string;
let harness: Harness;

beforeAll(async () => {
  buildDir = (await packaged()).buildDir;
  dir = mkdtempSync(join(tmpdir(), 'custos-bundle-run-'));
  harness = await startHarness(dir);
}, 180_000);

afterAll(async () => {
  await harness?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** Each function's work, which its handler imports on the first invocation. */
const WORK: Record<(typeof FUNCTION_NAMES)[number], string> = {
  plan: 'functions/work/plan.ts',
  scanTarget: 'functions/work/scan-target.ts',
  finalize: 'functions/work/finalize.ts',
  export: 'functions/work/export.ts',
};

describe('a function bundle', () => {
  it.each(FUNCTION_NAMES)(
    '%s loads its handler, the event schemas, middy and Powertools, no more',
    (name) => {
      const atStart = readJson<string[]>(join(buildDir, `${name}.start-inputs.json`));
      const all = readJson<string[]>(join(buildDir, `${name}.inputs.json`));

      expect(atStart).toContain('functions/lambda.ts');
      expect(atStart).toContain('functions/events.ts');
      // The plan handler names the run (core/engine/run-id.ts) before it loads the engine.
      const loadedLater = (path: string) =>
        (/^(functions\/work|core\/engine|inventory|reports|tickets|checks)\//.test(path) &&
          path !== 'core/engine/run-id.ts') ||
        /node_modules\/(@aws-sdk|@smithy|jira\.js|@octokit)\//.test(path);
      expect(atStart.filter(loadedLater)).toEqual([]);
      // What is loaded later is in the bundle all the same, in its chunks.
      expect(all).toContain(WORK[name]);
      expect(all.some((path) => path.startsWith('node_modules/@aws-sdk/client-s3/'))).toBe(true);
    },
  );

  it('scanTarget keeps each AWS service in chunks of its own, loaded by the first call to it', () => {
    const atStart = readJson<string[]>(join(buildDir, 'scanTarget.start-inputs.json'));
    const all = readJson<string[]>(join(buildDir, 'scanTarget.inputs.json'));
    for (const service of ['ec2', 'iam', 's3-control', 'sts', 'organizations']) {
      const inService = (path: string) => path.startsWith(`node_modules/@aws-sdk/client-${service}/`);
      expect(all.some(inService), service).toBe(true);
      expect(atStart.some(inService), service).toBe(false);
    }
  });
});

/**
 * Points the bundle's own S3 client for the report bucket at s3rver, through the SDK's
 * environment settings: a client from this process's copy of the SDK (the harness's) would fail
 * the bundled paginators' `instanceof` checks, as it never would in Lambda.
 */
function useS3rverForReports(endpoint: string): () => void {
  const names = ['AWS_ENDPOINT_URL_S3', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
  const saved = names.map((name) => [name, process.env[name]] as const);
  process.env.AWS_ENDPOINT_URL_S3 = endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

describe('the bundled functions', () => {
  it('run a whole run on the demo estate, find what custos scan finds, and export its evidence', async () => {
    // Prepare: each function's handler from its bundle, with the harness's estate and config.
    const { reportClient: _notTheBundlesSdk, ...options } = harness.options;
    const handlerOf = async (name: string) => {
      const bundle = pathToFileURL(join(buildDir, name, 'index.mjs')).href;
      const { makeHandler } = (await import(bundle)) as {
        makeHandler: (options: RuntimeOptions) => (event: unknown, context: Context) => Promise<unknown>;
      };
      const handler = makeHandler(options);
      return (event: unknown) => handler(event, lambdaContext(`custos-test-${name}`));
    };
    const plan = await handlerOf('plan');
    const scanTarget = await handlerOf('scanTarget');
    const finalize = await handlerOf('finalize');
    const exportEvidence = await handlerOf('export');
    const cliReport = await scanWithCli(join(dir, 'cli-reports'));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const restoreEnv = useS3rverForReports(harness.s3.endpoint);

    try {
      // Act
      const planned = (await plan({ executionName: '20261125T050000Z-0b1c2d', input: {} })) as PlanResult;
      const targets = JSON.parse((await harness.store.get(planned.targetsKey))!.toString('utf8')) as Target[];
      for (const target of targets) await scanTarget({ runId: planned.runId, target });
      const output = (await finalize({ runId: planned.runId, request: {} })) as FinalizeResult;
      const report = JSON.parse((await harness.store.get(output.reportKey))!.toString('utf8')) as Report;
      const day = report.startedAt.slice(0, 10);
      const exported = (await exportEvidence({
        framework: 'cis-aws-3.0',
        from: day,
        to: day,
      })) as ExportResult;

      // Assess
      expect(output.missingTargets).toBe(0);
      expect(withoutHistory(report.findings)).toEqual(withoutHistory(cliReport.findings));
      const bundle = await harness.store.get(exported.key);
      expect(bundle?.byteLength).toBeGreaterThan(0);
      const response = await fetch(exported.url);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(bundle!)).toBe(true);
    } finally {
      restoreEnv();
      vi.restoreAllMocks();
    }
  });
});

async function scanWithCli(out: string): Promise<Report> {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await main([
      'scan',
      '--estate',
      DEMO_ESTATE,
      '--config',
      DEMO_CONFIG,
      '--out',
      out,
      '--quiet',
    ]);
    expect(code).toBe(0);
  } finally {
    vi.restoreAllMocks();
  }
  const latest = readJson<{ reportKey: string }>(join(out, 'latest.json'));
  return readJson<Report>(join(out, latest.reportKey));
}

/** The verdicts, without the history-derived checks (they assess only once a run is stored). */
const withoutHistory = (findings: readonly Finding[]) =>
  findings
    .filter((f) => !historyChecks.some((c) => c.id === f.checkId))
    .map((f) => [f.checkId, f.accountId, f.region, f.resourceId, f.status].join(' | '))
    .sort();
