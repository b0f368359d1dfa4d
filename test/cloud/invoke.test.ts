import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type InvokeDependencies, invokeCommand } from '../../cli/invoke.js';
import { main } from '../../cli/main.js';
import type { Report } from '../../core/types.js';
import { criticalFinding, makeReport, passFinding } from '../reports/formats/fixture.js';

const ARN = 'arn:aws:states:eu-west-1:999988887777:stateMachine:custos-prod-audit';
const BUCKET = 'custos-prod-reportbucket-0123456789ab';
const NOW = new Date('2026-11-25T12:00:00Z');

const sfn = mockClient(SFNClient);
const ssm = mockClient(SSMClient);
const s3 = mockClient(S3Client);

let dir: string;
let stderr: string[];
let printed: string[];
let clock: number;
let regions: Record<string, string[]>;

function deps(): InvokeDependencies {
  const record = (service: string, region: string) => {
    regions[service] = [...(regions[service] ?? []), region];
  };
  return {
    sfn: (region) => {
      record('sfn', region);
      return new SFNClient({ region });
    },
    ssm: (region) => {
      record('ssm', region);
      return new SSMClient({ region });
    },
    s3: (region) => {
      record('s3', region);
      return new S3Client({ region });
    },
    now: () => new Date(clock),
    sleep: async (ms) => {
      clock += ms;
    },
    pollMs: 10_000,
  };
}

/** A config file without a gate of its own, so that only the flags decide. */
function config(): string {
  const path = join(dir, 'custos.config.json');
  writeFileSync(path, '{}');
  return path;
}

function storedReport(report: Report): void {
  s3.on(GetObjectCommand, { Bucket: BUCKET, Key: `runs/${report.runId}/report.json` }).resolves({
    Body: { transformToByteArray: async () => new TextEncoder().encode(JSON.stringify(report)) } as never,
  });
}

function finishedWith(
  runIdOf: () => string,
  status: 'SUCCEEDED' | 'FAILED',
  extra: Record<string, string> = {},
  runningPolls = 2,
) {
  let polls = 0;
  sfn.on(DescribeExecutionCommand).callsFake(() => {
    polls += 1;
    if (polls <= runningPolls) return { status: 'RUNNING' };
    const runId = runIdOf();
    return {
      status,
      ...(status === 'SUCCEEDED' && {
        output: JSON.stringify({ runId, bucket: BUCKET, reportKey: `runs/${runId}/report.json` }),
      }),
      ...extra,
    };
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custos-invoke-'));
  sfn.reset();
  ssm.reset();
  s3.reset();
  clock = NOW.getTime();
  regions = {};
  stderr = [];
  printed = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('custos invoke', () => {
  it('starts the deployed state machine, waits, reads the report and exits with the gate', async () => {
    // Prepare
    ssm
      .on(GetParameterCommand, { Name: '/custos/prod/state-machine-arn' })
      .resolves({ Parameter: { Value: ARN } });
    let started: { name?: string; input?: string } = {};
    sfn.on(StartExecutionCommand).callsFake((input: { name?: string; input?: string }) => {
      started = input;
      storedReport({ ...makeReport([passFinding, criticalFinding]), runId: input.name! });
      return {
        executionArn: `${ARN.replace(':stateMachine:', ':execution:')}:${input.name}`,
        startDate: NOW,
      };
    });
    finishedWith(() => started.name!, 'SUCCEEDED');

    // Act
    const outcome = await invokeCommand(
      { config: config(), accounts: '111122223333,444455556666', failOn: 'high', region: 'us-east-1' },
      (text) => printed.push(text),
      deps(),
    );

    // Assess
    expect(outcome.exitCode).toBe(1);
    expect(started.name).toMatch(/^20261125T120000Z-[0-9a-f]{6}$/);
    expect(JSON.parse(started.input!)).toEqual({ accounts: ['111122223333', '444455556666'] });
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.stateMachineArn).toBe(ARN);
    // Polled until done: two RUNNING answers, then SUCCEEDED.
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(3);
    // The parameter is read where the CLI points; the state machine and bucket where the ARN says.
    expect(regions).toEqual({ ssm: ['us-east-1'], sfn: ['eu-west-1'], s3: ['eu-west-1'] });
    expect(outcome.reportLocation).toBe(`s3://${BUCKET}/runs/${started.name}/report.json`);
    expect(printed.join('')).toContain(outcome.reportLocation);
    expect(stderr.join('')).toMatch(/1 high or critical finding is open: iam\.root\.access-keys ×1/);
  });

  it('exits 0 when the gate passes, with the state machine named on the command line', async () => {
    // Prepare
    let name = '';
    sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => {
      name = input.name;
      storedReport({ ...makeReport([passFinding]), runId: name });
      return { executionArn: `${ARN}:${name}`, startDate: NOW };
    });
    finishedWith(() => name, 'SUCCEEDED');

    // Act
    const outcome = await invokeCommand(
      { config: config(), stateMachineArn: ARN, failOn: 'high', quiet: true },
      (text) => printed.push(text),
      deps(),
    );

    // Assess
    expect(outcome.exitCode).toBe(0);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
    expect(JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!)).toEqual({});
    expect(printed).toEqual([]);
  });

  it('reports a failed execution with its error and cause, and exits 4', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:x`, startDate: NOW });
    // Through the command line, with its own clock: the first answer is the end.
    finishedWith(
      () => 'x',
      'FAILED',
      {
        error: 'Custos.TooManyTargetsFailed',
        cause: 'More targets failed than schedule.toleratedFailurePercentage allows',
      },
      0,
    );
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

    // Act
    const code = await mainWith([
      'invoke',
      '--config',
      config(),
      '--state-machine-arn',
      ARN,
      '--fail-on',
      'high',
    ]);

    // Assess
    expect(code).toBe(4);
    expect(stderr.join('')).toMatch(/failed \(Custos\.TooManyTargetsFailed: More targets failed/);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('gives up waiting after --timeout minutes, saying the run goes on, and exits 4', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:slow`, startDate: NOW });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });

    // Act
    const run = invokeCommand(
      { config: config(), stateMachineArn: ARN, timeout: '1' },
      () => undefined,
      deps(),
    );

    // Assess
    await expect(run).rejects.toMatchObject({
      exitCode: 4,
      message: expect.stringMatching(/still going after 1 minute\(s\); it goes on in AWS/),
    });
    // One minute of 10-second polls: the first answer and six more.
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(7);
    expect(clock - NOW.getTime()).toBe(60_000);
  });

  it('refuses a state machine it cannot find, before starting anything', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('not found'), { name: 'ParameterNotFound' }));
    await expect(
      invokeCommand({ config: config(), stage: 'dev' }, () => undefined, deps()),
    ).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/\/custos\/dev\/state-machine-arn \(ParameterNotFound\)/),
    });
    await expect(
      invokeCommand(
        { config: config(), stateMachineArn: 'arn:aws:states:eu-west-1:1:nope' },
        () => undefined,
        deps(),
      ),
    ).rejects.toMatchObject({ exitCode: 2 });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

/** `custos …` as the command line runs it, with the invoke command's clients mocked above. */
async function mainWith(argv: string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    return await main(argv);
  } finally {
    process.exitCode = undefined;
  }
}
