/**
 * The estate's AWS Config keys: recorders per account and region, and the organization's
 * aggregator, validated like the rest of the estate (unknown keys and wrong types named by
 * their path; recorders and aggregators AWS would refuse, refused).
 */
import { describe, expect, it } from 'vitest';
import { EstateError } from '../../core/errors.js';
import { parseEstate } from '../../sim/estate.js';
import { configEstateDocument } from './config-fixtures.js';
import { MANAGEMENT, PROD } from './fixtures.js';

function problemsOf(raw: unknown): Array<{ path: string; message: string }> {
  try {
    parseEstate(raw, 'estate.json');
  } catch (error) {
    expect(error).toBeInstanceOf(EstateError);
    return [...(error as EstateError).problems];
  }
  throw new Error('the estate was accepted');
}

const withRecorder = (recorder: Record<string, unknown>, region = 'eu-west-1') => ({
  accounts: {
    [PROD]: { regions: { 'eu-west-1': {} }, config: { recorders: { [region]: recorder } } },
  },
});

const recorderPath = `accounts["${PROD}"].config.recorders["eu-west-1"]`;

describe('the config keys of an estate', () => {
  it('are optional, and fill in a recorder’s defaults', () => {
    const plain = parseEstate({ accounts: { [PROD]: {} } }, 'plain');
    const recording = parseEstate(withRecorder({ capturedAt: '2026-06-14T22:00:00Z' }), 'recording');

    expect(plain.accounts[PROD]?.config).toBeUndefined();
    expect(plain.organization).toBeUndefined();
    expect(recording.accounts[PROD]?.config?.recorders['eu-west-1']).toEqual({
      recording: true,
      allSupported: true,
      resourceTypes: [],
      exclusions: [],
      frequency: 'CONTINUOUS',
      capturedAt: '2026-06-14T22:00:00Z',
    });
  });

  it('accept the full form', () => {
    const estate = parseEstate(configEstateDocument(), 'config');

    expect(estate.organization?.configAggregator).toEqual({
      name: 'org-aggregator',
      accountId: MANAGEMENT,
      region: 'us-east-1',
    });
    expect(Object.keys(estate.accounts[PROD]?.config?.recorders ?? {})).toEqual([
      'eu-west-1',
      'us-east-1',
      'ap-southeast-3',
    ]);
  });

  it('name unknown keys by their path', () => {
    const problems = problemsOf({
      accounts: {
        [PROD]: {
          regions: { 'eu-west-1': {} },
          config: {
            recorder: {},
            recorders: { 'eu-west-1': { capturedAt: '2026-06-14T22:00:00Z', recordingGroup: {} } },
          },
        },
      },
    });

    expect(problems).toHaveLength(2);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: `accounts["${PROD}"].config.recorder`, message: 'unknown key' },
        { path: `${recorderPath}.recordingGroup`, message: 'unknown key' },
      ]),
    );
  });

  it('require capturedAt, and name wrong types by their path', () => {
    const problems = problemsOf(
      withRecorder({
        recording: 'yes',
        resourceTypes: ['EC2 security groups'],
        frequency: 'HOURLY',
        exclusions: 'AWS::EC2::VPC',
      }),
    );

    expect(problems.map((problem) => problem.path).sort()).toEqual(
      [
        `${recorderPath}.capturedAt`,
        `${recorderPath}.exclusions`,
        `${recorderPath}.frequency`,
        `${recorderPath}.recording`,
        `${recorderPath}.resourceTypes[0]`,
      ].sort(),
    );
    expect(problems).toContainEqual({
      path: `${recorderPath}.capturedAt`,
      message: 'missing, expected string',
    });
  });

  it('refuse a capturedAt that is no timestamp', () => {
    const problems = problemsOf(withRecorder({ capturedAt: 'last night' }));

    expect(problems).toEqual([
      { path: `${recorderPath}.capturedAt`, message: '"last night": expected an ISO-8601 timestamp' },
    ]);
  });

  it('refuse a recorder in a region the account has not enabled', () => {
    const problems = problemsOf(withRecorder({ capturedAt: '2026-06-14T22:00:00Z' }, 'us-west-2'));

    expect(problems).toEqual([
      {
        path: `accounts["${PROD}"].config.recorders["us-west-2"]`,
        message:
          'an object is a recorder in a region the account has not enabled: add "us-west-2" under "regions"',
      },
    ]);
  });

  it('refuse recording groups AWS refuses: types besides allSupported, exclusions without it', () => {
    const listed = problemsOf(
      withRecorder({ capturedAt: '2026-06-14T22:00:00Z', resourceTypes: ['AWS::S3::Bucket'] }),
    );
    const excluded = problemsOf(
      withRecorder({
        capturedAt: '2026-06-14T22:00:00Z',
        allSupported: false,
        exclusions: ['AWS::S3::Bucket'],
      }),
    );

    expect(listed.map((problem) => problem.path)).toEqual([`${recorderPath}.resourceTypes`]);
    expect(listed[0]?.message).toContain('set allSupported to false');
    expect(excluded.map((problem) => problem.path)).toEqual([`${recorderPath}.exclusions`]);
  });

  it('check the aggregator: its keys, its account and its region', () => {
    const organization = (configAggregator: Record<string, unknown>) => ({
      organization: { managementAccountId: MANAGEMENT, accounts: [{ Id: PROD }], configAggregator },
      accounts: { [MANAGEMENT]: { regions: { 'us-east-1': {} } } },
    });

    const wrongTypes = problemsOf(
      organization({ name: 'org aggregator!', accountId: '12', region: 'east', x: 1 }),
    );
    const outsider = problemsOf(
      organization({ name: 'org', accountId: '999999999999', region: 'us-east-1' }),
    );
    const disabled = problemsOf(organization({ name: 'org', accountId: MANAGEMENT, region: 'eu-west-1' }));
    const absent = problemsOf(organization({ name: 'org', accountId: PROD, region: 'us-east-1' }));

    expect(wrongTypes.map((problem) => problem.path).sort()).toEqual([
      'organization.configAggregator.accountId',
      'organization.configAggregator.name',
      'organization.configAggregator.region',
      'organization.configAggregator.x',
    ]);
    expect(outsider).toEqual([
      {
        path: 'organization.configAggregator.accountId',
        message: '"999999999999" is neither the management account nor an account of the organization',
      },
    ]);
    expect(disabled.map((problem) => problem.path)).toEqual(['organization.configAggregator.region']);
    expect(absent[0]?.message).toBe(
      `"us-east-1" is not an enabled region of account ${PROD} (under its "regions"), where the aggregator lives`,
    );
  });

  it('accept config as a fault service', () => {
    const estate = parseEstate(
      {
        accounts: {
          [PROD]: {
            faults: [{ service: 'config', operation: 'SelectResourceConfig', error: 'AccessDenied' }],
          },
        },
      },
      'faults',
    );

    expect(estate.accounts[PROD]?.faults[0]?.service).toBe('config');
  });
});
