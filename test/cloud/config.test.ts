import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../core/config/load.js';
import { ConfigError } from '../../core/errors.js';
import {
  DEFAULT_CRON,
  deploySettings,
  parameterArnPart,
  secretArnPart,
} from '../../functions/deploy-settings.js';
import { oslsPackage, packaged } from './packaged.js';

const ORGANIZATION = {
  accounts: { source: 'organizations' },
  assumeRole: { roleName: 'CustosAudit', externalId: 'x-123' },
};

function problems(raw: unknown): Array<{ path: string; message: string }> {
  try {
    resolveConfig(raw, 'c');
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('the schedule and evidence keys', () => {
  it('resolve, with defaults for what is left out', () => {
    const config = resolveConfig(
      { ...ORGANIZATION, schedule: { cron: 'cron(30 1 * * ? *)' }, evidence: { retentionDays: 400 } },
      'c',
    );
    expect(config.schedule).toEqual({
      cron: 'cron(30 1 * * ? *)',
      maxConcurrency: 40,
      toleratedFailurePercentage: 5,
    });
    expect(config.evidence).toEqual({ retentionDays: 400, mode: 'GOVERNANCE' });
    expect(resolveConfig({}, 'c').schedule).toBeUndefined();
  });

  it.each([
    ['cron(0 2 * * *)', /6 fields .* found 5/],
    ['cron(0 2 1 * MON *)', /one of day-of-month and day-of-week must be "\?"/],
    ['rate(1 days)', /rate\(<n> <unit>\)/],
    ['rate(2 hour)', /rate\(<n> <unit>\)/],
    ['rate(0 days)', /rate\(<n> <unit>\)/],
  ])('refuse %s as EventBridge would, at schedule.cron', (cron, message) => {
    const found = problems({ schedule: { cron } });
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toBe('schedule.cron');
    expect(found[0]!.message).toMatch(message);
  });

  it.each(['cron(0 2 * * ? *)', 'cron(0/30 * ? * MON-FRI *)', 'rate(1 day)', 'rate(12 hours)'])(
    'accept %s',
    (cron) => {
      expect(problems({ schedule: { cron } })).toEqual([]);
    },
  );
});

describe('deploySettings', () => {
  it('takes the schedule, the evidence period and the audit role from the config', () => {
    const settings = deploySettings(
      JSON.stringify({
        ...ORGANIZATION,
        schedule: { cron: 'cron(0 3 * * ? *)', maxConcurrency: 100, toleratedFailurePercentage: 2.5 },
        evidence: { retentionDays: 2555, mode: 'COMPLIANCE' },
      }),
      'custos.config.json',
      'json',
    );
    expect(settings).toMatchObject({
      schedule: { cron: 'cron(0 3 * * ? *)', maxConcurrency: 100, toleratedFailurePercentage: 2.5 },
      evidence: { retentionDays: 2555, mode: 'COMPLIANCE' },
      auditRoleName: 'CustosAudit',
      ticketTokenParameter: '',
      ticketTokenSecret: '',
      configAggregatorName: '',
      organizationReaderActions: ['iam:ListOrganizationsFeatures', 'organizations:ListAccounts'],
    });
  });

  it('names the AWS Config aggregator the scanner role may query, when the config reads from one', () => {
    const settings = deploySettings(
      JSON.stringify({ ...ORGANIZATION, inventory: { source: 'config-aggregator', aggregatorName: 'org' } }),
      'c',
      'json',
    );
    expect(settings.configAggregatorName).toBe('org');
  });

  it('runs nightly at 02:00 UTC and keeps evidence a year when the config says nothing', () => {
    const settings = deploySettings(JSON.stringify(ORGANIZATION), 'c', 'json');
    expect(settings.schedule).toEqual({
      cron: DEFAULT_CRON,
      maxConcurrency: 40,
      toleratedFailurePercentage: 5,
    });
    expect(settings.evidence).toEqual({ retentionDays: 365, mode: 'GOVERNANCE' });
  });

  it('names the ticket token so that the finalize role may read that one and no other', () => {
    const jira = (token: unknown) =>
      deploySettings(
        JSON.stringify({
          ...ORGANIZATION,
          tickets: {
            jira: {
              baseUrl: 'https://example.atlassian.net',
              projectKey: 'SEC',
              email: 'a@example.com',
              token,
            },
          },
        }),
        'c',
        'json',
      );
    expect(jira({ ssmParameter: '/custos/jira-token' }).ticketTokenParameter).toBe(
      'parameter/custos/jira-token',
    );
    expect(jira({ secretsManager: 'custos/jira' }).ticketTokenSecret).toBe('secret:custos/jira-??????');
    expect(parameterArnPart('token')).toBe('parameter/token');
    expect(parameterArnPart('arn:aws:ssm:eu-west-1:111122223333:parameter/a/b')).toBe('parameter/a/b');
    expect(secretArnPart('arn:aws:secretsmanager:eu-west-1:111122223333:secret:jira-AbCdEf')).toBe(
      'secret:jira-AbCdEf',
    );
    expect(() => jira({ env: 'JIRA_TOKEN' })).toThrow(
      /tickets\.jira\.token: an environment variable \(JIRA_TOKEN\) is for CLI runs/,
    );
  });

  it('refuses a config the functions could not run with, naming the field', () => {
    expect(() => deploySettings('{}', 'c', 'json')).toThrow(
      /assumeRole: missing: the cloud deployment scans/,
    );
    expect(() => deploySettings('{"regions": ["Europe"]}', 'c', 'json')).toThrow(/regions\[0\]/);
    expect(() => deploySettings('schedule: {cron: "cron(0 2 * * *)"}\n', 'c.yaml', 'yaml')).toThrow(
      /schedule\.cron/,
    );
  });
});

describe('osls package with a bad config', () => {
  let dir: string;

  beforeAll(async () => {
    // After the shared package step: one osls at a time in the repository.
    await packaged();
    dir = mkdtempSync(join(tmpdir(), 'custos-bad-config-'));
  }, 180_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails, naming the file and the field path', async () => {
    const file = join(dir, 'custos.config.json');
    writeFileSync(
      file,
      JSON.stringify({ ...ORGANIZATION, schedule: { cron: 'cron(0 2 * * *)', maxConcurrency: 0 } }),
    );
    const failure = oslsPackage({ CUSTOS_CONFIG: file, CUSTOS_BUILD_DIR: join(dir, 'build') }).then(
      () => '',
      (error: Error) => error.message,
    );
    const message = await failure;
    expect(message).toMatch(/schedule\.maxConcurrency/);
    expect(message).toContain(file);
  }, 120_000);
});
