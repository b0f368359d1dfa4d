import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlanEventSchema, parseEvent, ScanTargetEventSchema } from '../../functions/events.js';
import { runIdFor } from '../../functions/plan.js';
import {
  lambdaSettings,
  loadLambdaConfig,
  openLambdaEngine,
  openReportStore,
  openTicketSink,
} from '../../functions/runtime.js';

const ENV = {
  CUSTOS_REPORT_BUCKET: 'custos-prod-reportbucket-0123456789ab',
  CUSTOS_KMS_KEY_ARN: 'arn:aws:kms:eu-west-1:999988887777:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  AWS_REGION: 'eu-west-1',
};
const SCANNER = 'arn:aws:iam::999988887777:role/custos-prod-scanner-eu-west-1';
const READER = 'arn:aws:iam::111111111111:role/CustosOrganizationReader';

let dir: string;
const sts = mockClient(STSClient);

function configFile(config: unknown): string {
  const path = join(dir, 'custos.config.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

const ORGANIZATION = {
  accounts: { source: 'organizations' },
  assumeRole: { roleName: 'CustosAudit', externalId: 'x-123', sessionDurationSeconds: 7200 },
};

function credentials(accessKeyId: string) {
  return {
    Credentials: {
      AccessKeyId: accessKeyId,
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date(Date.now() + 3_600_000),
    },
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custos-runtime-'));
  sts.reset();
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('lambdaSettings', () => {
  it('reads the bucket, the key and the roles CloudFormation set', () => {
    expect(
      lambdaSettings({ ...ENV, CUSTOS_SCANNER_ROLE_ARN: SCANNER, CUSTOS_ORG_READER_ROLE_ARN: '' }),
    ).toEqual({
      bucket: ENV.CUSTOS_REPORT_BUCKET,
      kmsKeyArn: ENV.CUSTOS_KMS_KEY_ARN,
      region: 'eu-west-1',
      scannerRoleArn: SCANNER,
    });
  });

  it('says which setting is missing, and refuses a role that is not an ARN', () => {
    expect(() => lambdaSettings({ AWS_REGION: 'eu-west-1' })).toThrow(
      /CUSTOS_REPORT_BUCKET and CUSTOS_KMS_KEY_ARN not set/,
    );
    expect(() => lambdaSettings({ ...ENV, CUSTOS_SCANNER_ROLE_ARN: 'custos-scanner' })).toThrow(
      /CUSTOS_SCANNER_ROLE_ARN: 'custos-scanner' is not an IAM role ARN/,
    );
  });
});

describe('the bundled config', () => {
  it('is read from the task root, and a bad one fails with its field path', () => {
    configFile({ regions: ['Europe'] });
    expect(() => loadLambdaConfig({ env: { ...ENV, LAMBDA_TASK_ROOT: dir } })).toThrow(/regions\[0\]/);
  });

  it('evidence retention locks what the store writes once, in the stack bucket with the stack key', () => {
    const config = loadLambdaConfig({
      configPath: configFile({
        ...ORGANIZATION,
        output: { store: './elsewhere' },
        evidence: { retentionDays: 30 },
      }),
    });
    const store = openReportStore(config, { env: ENV });
    expect(store.locate('latest.json')).toBe(`s3://${ENV.CUSTOS_REPORT_BUCKET}/latest.json`);
  });
});

describe('the engine context', () => {
  it('becomes the scanner role, reads the organization through the reader, and assumes the audit role from the scanner', async () => {
    // Prepare
    sts.on(AssumeRoleCommand, { RoleArn: SCANNER }).resolves(credentials('ASIASCANNER'));
    sts.on(AssumeRoleCommand, { RoleArn: READER }).resolves(credentials('ASIAREADER'));
    sts
      .on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::222222222222:role/CustosAudit' })
      .resolves(credentials('ASIAAUDIT'));
    const config = loadLambdaConfig({ configPath: configFile(ORGANIZATION) });
    const engine = openLambdaEngine(config, '20261125T020000Z-0a1b2c', {
      env: { ...ENV, CUSTOS_SCANNER_ROLE_ARN: SCANNER, CUSTOS_ORG_READER_ROLE_ARN: READER },
      credentials: { accessKeyId: 'AKIAFUNCTION', secretAccessKey: 'x' },
    });

    try {
      // Act: resolve each client's credentials, as signing a request would.
      const caller = engine.ctx.sessions.caller;
      const scanner = await (caller.options.credentials as () => Promise<{ accessKeyId: string }>)();
      const reader = await caller.organizations().config.credentials();
      const ownIdentity = await caller.ec2('eu-west-1').config.credentials();
      await engine.ctx.sessions.open('222222222222');

      // Assess
      const assumed = sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input);
      expect(assumed).toEqual([
        expect.objectContaining({ RoleArn: SCANNER, RoleSessionName: 'custos-20261125T020000Z-0a1b2c' }),
        expect.objectContaining({ RoleArn: READER, ExternalId: 'x-123' }),
        // Role chaining caps the audit session at an hour, whatever the config asks.
        expect.objectContaining({
          RoleArn: 'arn:aws:iam::222222222222:role/CustosAudit',
          ExternalId: 'x-123',
          DurationSeconds: 3600,
        }),
      ]);
      const signedWith = async (call: ReturnType<typeof sts.commandCalls>[number]) => {
        const clientConfig = (call.thisValue as STSClient).config;
        return (await clientConfig.credentials()).accessKeyId;
      };
      const calls = sts.commandCalls(AssumeRoleCommand);
      expect(await signedWith(calls[0]!)).toBe('AKIAFUNCTION');
      expect(await signedWith(calls[1]!)).toBe('ASIASCANNER');
      expect(await signedWith(calls[2]!)).toBe('ASIASCANNER');
      expect(scanner.accessKeyId).toBe('ASIASCANNER');
      // Organizations goes through the reader; everything else the caller does, as the scanner.
      expect(reader.accessKeyId).toBe('ASIAREADER');
      expect(ownIdentity.accessKeyId).toBe('ASIASCANNER');
    } finally {
      engine.close();
    }
  });
});

describe('ticket tokens', () => {
  it('never come from an environment variable in a function', async () => {
    const config = loadLambdaConfig({
      configPath: configFile({
        ...ORGANIZATION,
        tickets: { github: { repo: 'acme/security', token: { env: 'GITHUB_TOKEN' } } },
      }),
    });
    const store = openReportStore(config, { env: ENV });
    await expect(openTicketSink(config, store, { env: { ...ENV, GITHUB_TOKEN: 'ghp_x' } })).rejects.toThrow(
      /an environment variable \(GITHUB_TOKEN\) is for CLI runs/,
    );
  });

  it('come from the SSM parameter the config names', async () => {
    const config = loadLambdaConfig({
      configPath: configFile({
        ...ORGANIZATION,
        tickets: { github: { repo: 'acme/security', token: { ssmParameter: '/custos/github-token' } } },
      }),
    });
    const store = openReportStore(config, { env: ENV });
    const asked: string[] = [];
    const sink = await openTicketSink(config, store, {
      env: ENV,
      tokens: {
        ssm: {
          getParameter: async ({ Name }) => {
            asked.push(Name);
            return { Parameter: { Value: 'ghp_from_ssm', Type: 'SecureString' } };
          },
        },
      },
    });
    expect(sink?.kind).toBe('github');
    expect(asked).toEqual(['/custos/github-token']);
  });
});

describe('events', () => {
  it('adopt a run id as the execution name, and make one for any other name', () => {
    const now = new Date('2026-11-25T02:00:00Z');
    expect(runIdFor('20261125T013000Z-0a1b2c', now)).toBe('20261125T013000Z-0a1b2c');
    expect(runIdFor('3f1c5a0e-2b7d-4c1e-9a8f-6d5e4c3b2a10', now)).toMatch(/^20261125T020000Z-[0-9a-f]{6}$/);
    expect(runIdFor(undefined, now)).toMatch(/^20261125T020000Z-[0-9a-f]{6}$/);
  });

  it('are refused with every problem named, as Custos.InvalidEvent', () => {
    expect(() => parseEvent(PlanEventSchema, { input: { accounts: ['12'] }, extra: 1 })).toThrow(
      expect.objectContaining({
        name: 'Custos.InvalidEvent',
        message: expect.stringMatching(/input\.accounts\.0: expected a 12-digit/),
      }),
    );
    expect(() =>
      parseEvent(ScanTargetEventSchema, {
        runId: '../../latest',
        target: { accountId: '222222222222', region: 'global' },
      }),
    ).toThrow(/runId: expected a custos run id/);
  });
});
