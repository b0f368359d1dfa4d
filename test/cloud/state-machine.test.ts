/**
 * The compiled state machine, run on this machine by aws-local-stepfunctions, each Task bound to
 * the real handler, against the AWS simulator (the audited estate) and s3rver (the report bucket).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { historyChecks } from '../../checks/history/index.js';
import { main } from '../../cli/main.js';
import { evaluateGate } from '../../core/gate.js';
import type { Finding, Report, Target } from '../../core/types.js';
import type { ExportResult, FinalizeResult, PlanResult } from '../../functions/events.js';
import { BUCKET, DEMO_CONFIG, DEMO_ESTATE, type Harness, startHarness } from './lambda-harness.js';
import { packaged, stateMachineDefinition } from './packaged.js';

// aws-local-stepfunctions uses Promise.withResolvers (Node 22); Node 20 lacks it.
(Promise as unknown as { withResolvers?: unknown }).withResolvers ??= () => {
  let resolve: unknown;
  let reject: unknown;
  const promise = new Promise((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
};

/** What an execution reports as it runs (the package does not export the type by name). */
type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

let dir: string;
let harness: Harness;
let definition: StateMachineDefinition;
let cliReport: Report;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custos-cloud-'));
  const { template } = await packaged();
  definition = localDefinition(stateMachineDefinition(template, { ReportBucket: 'custos-reports-e2e' }));
  harness = await startHarness(dir);
  cliReport = await scanWithCli(join(dir, 'cli-reports'));
}, 180_000);

afterAll(async () => {
  await harness?.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * aws-local-stepfunctions has no ItemReader (nor ResultWriter): the Map state is given the items
 * that `plan` wrote to the bucket, which the Plan binding below reads back and hands over as
 * `items`. Its iterations run one at a time here, as one Lambda instance runs one invocation at a
 * time (the handlers share a module-level logger, as a Lambda instance does). Everything else in
 * the definition runs as compiled: Parameters, ItemSelector, Retry, Catch.
 */
function localDefinition(compiled: Record<string, unknown>): StateMachineDefinition {
  const states = compiled.States as Record<string, Record<string, unknown>>;
  const { ItemReader: _reader, ResultWriter: _writer, ...map } = states.ScanTargets!;
  return {
    ...compiled,
    States: { ...states, ScanTargets: { ...map, ItemsPath: '$.items', MaxConcurrency: 1 } },
  } as unknown as StateMachineDefinition;
}

interface Execution {
  readonly output: FinalizeResult;
  readonly events: EventLog[];
  readonly invocations: Record<string, number>;
}

/** Runs the state machine once; `scanTarget` may be wrapped to fail. */
async function execute(
  runId: string,
  scanTarget: (event: unknown) => Promise<unknown> = harness.handlers.scanTarget,
): Promise<Execution> {
  const invocations: Record<string, number> = { Plan: 0, ScanTarget: 0, Finalize: 0 };
  const count = (name: string) => {
    invocations[name] = (invocations[name] ?? 0) + 1;
  };
  const machine = new StateMachine(definition);
  const execution = machine.run(
    {},
    {
      context: {
        Execution: {
          Id: `arn:aws:states:us-east-1:111111111111:execution:custos-prod-audit:${runId}`,
          Name: runId,
          Input: {},
          StartTime: new Date().toISOString(),
        },
      },
      overrides: {
        taskResourceLocalHandlers: {
          Plan: async (input) => {
            count('Plan');
            const planned = (await harness.handlers.plan(input)) as PlanResult;
            const items = JSON.parse(
              (await harness.store.get(planned.targetsKey))!.toString('utf8'),
            ) as Target[];
            return { ...planned, items } as never;
          },
          ScanTarget: async (input) => {
            count('ScanTarget');
            return (await scanTarget(input)) as never;
          },
          Finalize: async (input) => {
            count('Finalize');
            return (await harness.handlers.finalize(input)) as never;
          },
          FinalizeIncomplete: async (input) => (await harness.handlers.finalize(input)) as never,
        },
        // The retry rule's own backoff, without its seconds of waiting.
        retryIntervalOverrides: { ScanTarget: 0 },
      },
    },
  );
  const events: EventLog[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) events.push(event);
  })();
  const output = (await execution.result) as unknown as FinalizeResult;
  await collecting;
  return { output, events, invocations };
}

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
  const latest = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as { reportKey: string };
  return JSON.parse(readFileSync(join(out, latest.reportKey), 'utf8')) as Report;
}

const verdicts = (findings: readonly Finding[]) =>
  findings.map((f) => [f.checkId, f.accountId, f.region, f.resourceId, f.status].join(' | ')).sort();

/** Without the history-derived checks, which assess only once a previous run is stored. */
const withoutHistory = (findings: readonly Finding[]) =>
  verdicts(findings.filter((f) => !historyChecks.some((c) => c.id === f.checkId)));

async function storedReport(key: string): Promise<Report> {
  return JSON.parse((await harness.store.get(key))!.toString('utf8')) as Report;
}

/** Captures what the functions print (Powertools logs and EMF metrics), one JSON object a line. */
function captureStdout(): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  // Powertools warns on stderr when an invocation has no metric to publish.
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    for (const line of String(chunk).split('\n')) {
      if (line.trim().startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    return true;
  });
  return lines;
}

describe('the state machine, run locally with the real handlers', () => {
  it('finds what custos scan finds on the same estate, and logs and counts as it goes', async () => {
    // Prepare
    const runId = '20261125T020000Z-0a1b2c';
    const printed = captureStdout();

    // Act
    const { output, invocations } = await execute(runId);

    // Assess
    expect(output).toMatchObject({
      runId,
      bucket: 'custos-reports-e2e',
      reportKey: `runs/${runId}/report.json`,
    });
    const report = await storedReport(output.reportKey);
    expect(report.runId).toBe(runId);
    expect(verdicts(report.findings)).toEqual(verdicts(cliReport.findings));
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.coverage.targets.map((t) => `${t.accountId}/${t.region}/${t.status}`)).toEqual(
      cliReport.coverage.targets.map((t) => `${t.accountId}/${t.region}/${t.status}`),
    );
    // One scanTarget per planned target, each writing its own shard.
    const planned = JSON.parse(
      (await harness.store.get(`runs/${runId}/targets.json`))!.toString('utf8'),
    ) as Target[];
    expect(invocations).toEqual({ Plan: 1, ScanTarget: planned.length, Finalize: 1 });
    const shards = await harness.store.list(`runs/${runId}/shards/`);
    expect(shards).toEqual(planned.map((t) => `runs/${runId}/shards/${t.accountId}-${t.region}.json`).sort());
    expect(JSON.parse((await harness.store.get('latest.json'))!.toString('utf8'))).toEqual({
      runId,
      reportKey: `runs/${runId}/report.json`,
    });

    // Structured logs: the run id on every line, the target on every scanTarget line.
    const logs = printed.filter((l) => typeof l.level === 'string');
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) expect(line.runId, JSON.stringify(line)).toBe(runId);
    const targetLines = logs.filter((l) => l.function_name === 'custos-test-scanTarget');
    expect(targetLines.length).toBeGreaterThanOrEqual(planned.length);
    for (const line of targetLines) expect(line.target).toMatch(/^\d{12}\/[a-z0-9-]+$/);
    // EMF metrics: the heartbeat, failing findings by severity, targets scanned, durations.
    const metricNames = printed.flatMap((l) =>
      l._aws === undefined
        ? []
        : (
            l._aws as { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> }
          ).CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => x.Name)),
    );
    expect(metricNames).toEqual(
      expect.arrayContaining([
        'RunFinished',
        'FailingFindings',
        'TargetsScanned',
        'TargetDuration',
        'AccountsErrored',
      ]),
    );
    const heartbeat = printed.find((l) => l.RunFinished !== undefined);
    expect(heartbeat).toMatchObject({ RunFinished: 1, service: 'custos' });
  });

  it('retries a scanTarget that fails once, by the definition’s own Retry rule', async () => {
    // Prepare
    captureStdout();
    const runId = '20261125T030000Z-0a1b2c';
    let failed: unknown;
    const flaky = async (event: unknown) => {
      if (failed === undefined) {
        failed = event;
        throw Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' });
      }
      return harness.handlers.scanTarget(event);
    };

    // Act
    const { output, events, invocations } = await execute(runId, flaky);

    // Assess
    const planned = JSON.parse(
      (await harness.store.get(`runs/${runId}/targets.json`))!.toString('utf8'),
    ) as Target[];
    expect(invocations.ScanTarget).toBe(planned.length + 1);
    const retried = events.filter((e) => e.type === 'StateRetried');
    expect(retried).toHaveLength(1);
    expect(retried[0]).toMatchObject({ state: { name: 'ScanTarget' }, retry: { attempt: 1 } });
    // The store now holds the first run: history-derived checks assess; everything else is as before.
    const report = await storedReport(output.reportKey);
    expect(withoutHistory(report.findings)).toEqual(withoutHistory(cliReport.findings));
    expect(output.missingTargets).toBe(0);
  });

  it('does not retry a bad event: it fails the target, named so that no Retry rule matches', async () => {
    captureStdout();
    await expect(
      harness.handlers.scanTarget({ runId: 'not-a-run', target: { accountId: '1', region: 'x' } }),
    ).rejects.toMatchObject({
      name: 'Custos.InvalidEvent',
    });
  });
});

describe('finalize', () => {
  it('reports a target whose shard is missing as ERROR, and the run still finishes', async () => {
    // Prepare: a run whose Map lost one target (a tolerated failure).
    captureStdout();
    const planned = (await harness.handlers.plan({
      executionName: '20261125T040000Z-0a1b2c',
      input: {},
    })) as PlanResult;
    const targets = JSON.parse((await harness.store.get(planned.targetsKey))!.toString('utf8')) as Target[];
    const lost = targets.find((t) => t.region !== 'global')!;
    for (const target of targets.filter((t) => t !== lost)) {
      await harness.handlers.scanTarget({ runId: planned.runId, target });
    }

    // Act
    const output = (await harness.handlers.finalize({ runId: planned.runId, request: {} })) as FinalizeResult;

    // Assess
    expect(output.missingTargets).toBe(1);
    const report = await storedReport(output.reportKey);
    const coverage = report.coverage.targets.find(
      (t) => t.accountId === lost.accountId && t.region === lost.region,
    );
    expect(coverage).toMatchObject({ status: 'error', error: { code: 'TargetScanFailed' } });
    const gaps = report.findings.filter((f) => f.accountId === lost.accountId && f.region === lost.region);
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.every((f) => f.status === 'ERROR')).toBe(true);
    expect(evaluateGate(report, { failOn: 'high' }).exitCode).toBe(3);
    expect(JSON.parse((await harness.store.get('latest.json'))!.toString('utf8')).runId).toBe(planned.runId);
  });

  it('finds a run already published when retried, and leaves it as it is', async () => {
    captureStdout();
    const runId = '20261125T040000Z-0a1b2c';
    const before = await harness.store.get(`runs/${runId}/report.json`);
    const output = (await harness.handlers.finalize({ runId })) as FinalizeResult;
    expect(output).toMatchObject({ runId, alreadyPublished: true, missingTargets: 0 });
    expect(await harness.store.get(`runs/${runId}/report.json`)).toEqual(before);
  });
});

describe('export', () => {
  it('writes an evidence bundle under exports/ and answers with a link to it that works for 15 minutes', async () => {
    // Prepare: the runs above are dated 2026-11-25.
    captureStdout();

    // Act
    const output = (await harness.handlers.export({
      framework: 'cis-aws-3.0',
      from: '2026-11-25',
      to: '2026-11-25',
    })) as ExportResult;

    // Assess
    expect(output.bucket).toBe(BUCKET);
    expect(output.key).toMatch(/^exports\/cis-aws-3\.0-.+\.zip$/);
    const stored = await harness.store.get(output.key);
    expect(stored?.byteLength).toBeGreaterThan(0);
    const link = new URL(output.url);
    expect(link.pathname).toBe(`/${BUCKET}/${output.key}`);
    expect(link.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(output.expiresInSeconds).toBe(900);
    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(stored!)).toBe(true);
  });

  it('refuses an unknown framework as a bad event', async () => {
    captureStdout();
    await expect(
      harness.handlers.export({ framework: 'sox', from: '2026-11-25', to: '2026-11-25' }),
    ).rejects.toMatchObject({
      name: 'Custos.InvalidEvent',
    });
  });
});
