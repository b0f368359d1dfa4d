/**
 * `custos invoke`: run the deployed audit on demand (a release gate in CI). Starts an execution
 * of the stack's state machine, waits for it with a bound, reads the run's report from the
 * report bucket, prints the summary and exits with the gate's code, as `custos scan` does.
 */
import { S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { newRunId } from '../core/engine/plan.js';
import { CustosError, UsageError } from '../core/errors.js';
import { evaluateGate } from '../core/gate.js';
import type { Report, Severity } from '../core/types.js';
import { S3ReportStore } from '../reports/s3-store.js';
import { loadConfig } from './config-file.js';
import { liveCredentials } from './engine-context.js';
import { overridesFrom } from './scan.js';
import { formatSummary, useColor } from './summary.js';

export interface InvokeOptions {
  readonly stateMachineArn?: string;
  readonly stage?: string;
  readonly config?: string;
  readonly accounts?: string;
  readonly regions?: string;
  readonly checks?: string;
  readonly failOn?: Severity;
  readonly allowIncomplete?: boolean;
  readonly onlyNew?: boolean;
  /** Minutes to wait for the run. */
  readonly timeout?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
}

/** The AWS clients and the clock; tests pass their own. */
export interface InvokeDependencies {
  readonly sfn?: (region: string) => SFNClient;
  readonly ssm?: (region: string) => SSMClient;
  readonly s3?: (region: string) => S3Client;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  /** How often the execution is described; default every 10 seconds. */
  readonly pollMs?: number;
}

export interface InvokeOutcome {
  readonly executionArn: string;
  readonly report: Report;
  readonly reportLocation: string;
  readonly exitCode: number;
}

/** What the state machine's finalize step returns (functions/events.ts FinalizeResult). */
interface ExecutionOutput {
  readonly runId?: unknown;
  readonly bucket?: unknown;
  readonly reportKey?: unknown;
}

const DEFAULT_STAGE = 'prod';
const DEFAULT_TIMEOUT_MINUTES = 60;
const DEFAULT_POLL_MS = 10_000;
const EXIT_FAILED = 4;
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):\d{12}:stateMachine:[\w-]{1,80}$/;
const STAGE = /^[a-zA-Z0-9-]+$/;

/** Where the stack publishes its state machine's ARN (serverless.yml StateMachineArnParameter). */
export function stateMachineParameter(stage: string): string {
  return `/custos/${stage}/state-machine-arn`;
}

export async function invokeCommand(
  options: InvokeOptions,
  write: (text: string) => void,
  deps: InvokeDependencies = {},
): Promise<InvokeOutcome> {
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const overrides = overridesFrom(options);
  // The gate comes from the config file and the flags, as for `custos scan`.
  const config = loadConfig(options.config, overrides, now().toISOString());
  const timeoutMs = minutes(options.timeout) * 60_000;
  const homeRegion = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const credentials = liveCredentials(options);
  const sfnFor = deps.sfn ?? ((region) => new SFNClient({ region, credentials }));
  const ssmFor = deps.ssm ?? ((region) => new SSMClient({ region, credentials }));
  const s3For = deps.s3 ?? ((region) => new S3Client({ region, credentials }));

  const stateMachineArn = await resolveStateMachine(options, ssmFor(homeRegion));
  const region = STATE_MACHINE_ARN.exec(stateMachineArn)![1]!;
  const sfn = sfnFor(region);
  const request = {
    ...(overrides.accounts !== undefined && { accounts: overrides.accounts }),
    ...(overrides.regions !== undefined && { regions: overrides.regions }),
    ...(overrides.checks !== undefined && { checks: overrides.checks }),
  };
  // The execution's name is the run's id: the run is easy to find in the console and the bucket.
  const runId = newRunId(now());
  const started = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, name: runId, input: JSON.stringify(request) }),
  );
  const executionArn = started.executionArn;
  if (executionArn === undefined) throw new CustosError('StartExecution returned no execution ARN');
  const quiet = options.quiet === true || options.json === true;
  if (!quiet) process.stderr.write(`custos: started run ${runId} (${executionArn}); waiting for it\n`);

  const execution = await waitFor(sfn, executionArn, {
    now,
    sleep,
    timeoutMs,
    pollMs: deps.pollMs ?? DEFAULT_POLL_MS,
  });
  if (execution.status !== 'SUCCEEDED') {
    const why = [execution.error, execution.cause].filter((s) => s !== undefined && s !== '').join(': ');
    throw new CustosError(
      `run ${runId} ${describeStatus(execution.status)}${why === '' ? '' : ` (${why})`}: ${executionArn}`,
      { exitCode: EXIT_FAILED },
    );
  }
  const output = parseOutput(execution.output, executionArn);
  const store = new S3ReportStore({ client: s3For(region), bucket: output.bucket });
  const body = await store.get(output.reportKey);
  if (body === undefined) {
    throw new CustosError(`run ${runId} finished but ${store.locate(output.reportKey)} is missing`, {
      exitCode: EXIT_FAILED,
    });
  }
  const report = JSON.parse(body.toString('utf8')) as Report;
  const reportLocation = store.locate(output.reportKey);
  if (options.json === true) write(JSON.stringify(report, null, 2));
  else if (options.quiet !== true) write(formatSummary(report, reportLocation, useColor(process.stdout)));
  const gate = evaluateGate(report, config.gate);
  if (config.gate.failOn !== undefined || gate.exitCode !== 0) {
    for (const reason of gate.reasons) process.stderr.write(`custos: ${reason}\n`);
  }
  return { executionArn, report, reportLocation, exitCode: gate.exitCode };
}

async function resolveStateMachine(options: InvokeOptions, ssm: SSMClient): Promise<string> {
  if (options.stateMachineArn !== undefined) {
    if (!STATE_MACHINE_ARN.test(options.stateMachineArn)) {
      throw new UsageError(
        `--state-machine-arn: ${JSON.stringify(options.stateMachineArn)}: expected arn:aws:states:<region>:<account>:stateMachine:<name>`,
      );
    }
    return options.stateMachineArn;
  }
  const stage = options.stage ?? DEFAULT_STAGE;
  if (!STAGE.test(stage))
    throw new UsageError(`--stage: ${JSON.stringify(stage)}: expected letters, digits and '-'`);
  const name = stateMachineParameter(stage);
  let value: string | undefined;
  try {
    value = (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch (error) {
    const code = error instanceof Error ? error.name : 'Error';
    throw new UsageError(
      `cannot read SSM parameter ${name} (${code}): is custos deployed with stage "${stage}" in this region? ` +
        'Pass --stage, --region or --state-machine-arn',
    );
  }
  if (value === undefined || !STATE_MACHINE_ARN.test(value)) {
    throw new UsageError(`SSM parameter ${name} does not hold a state machine ARN`);
  }
  return value;
}

async function waitFor(
  sfn: SFNClient,
  executionArn: string,
  timing: {
    readonly now: () => Date;
    readonly sleep: (ms: number) => Promise<void>;
    readonly timeoutMs: number;
    readonly pollMs: number;
  },
): Promise<DescribeExecutionCommandOutput> {
  const deadline = timing.now().getTime() + timing.timeoutMs;
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING' && execution.status !== 'PENDING_REDRIVE') return execution;
    const left = deadline - timing.now().getTime();
    if (left <= 0) {
      throw new CustosError(
        `the run is still going after ${Math.round(timing.timeoutMs / 60_000)} minute(s); it goes on in AWS ` +
          `and writes its report when it finishes. Raise --timeout to wait longer: ${executionArn}`,
        { exitCode: EXIT_FAILED },
      );
    }
    await timing.sleep(Math.min(timing.pollMs, left));
  }
}

function parseOutput(text: string | undefined, executionArn: string): { bucket: string; reportKey: string } {
  let output: ExecutionOutput | undefined;
  try {
    output = JSON.parse(text ?? 'null') as ExecutionOutput | undefined;
  } catch {
    output = undefined;
  }
  if (typeof output?.bucket !== 'string' || typeof output.reportKey !== 'string') {
    throw new CustosError(`the run's output names no report (bucket and reportKey): ${executionArn}`, {
      exitCode: EXIT_FAILED,
    });
  }
  return { bucket: output.bucket, reportKey: output.reportKey };
}

function describeStatus(status: string | undefined): string {
  switch (status) {
    case 'FAILED':
      return 'failed';
    case 'TIMED_OUT':
      return 'timed out';
    case 'ABORTED':
      return 'was stopped';
    default:
      return `ended as ${status ?? 'unknown'}`;
  }
}

function minutes(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MINUTES;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--timeout: ${JSON.stringify(value)}: expected minutes, a positive number`);
  return n;
}
