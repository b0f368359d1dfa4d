import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseConfigText, resolveConfig } from '../../../core/config/load.js';
import { ConfigError } from '../../../core/errors.js';

function problemsOf(raw: unknown): Array<{ path: string; message: string }> {
  try {
    resolveConfig(raw, 'custos.config.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConfig', () => {
  it('fills every default for an empty document', () => {
    // Act
    const config = resolveConfig({}, 'empty');

    // Assess
    expect(config.accounts).toEqual({ source: 'self', ids: [], exclude: [] });
    expect(config.regions).toBe('all');
    expect(config.assumeRole).toBeUndefined();
    expect(config.checks).toEqual({ include: ['*'], exclude: [] });
    expect(config.settings.network).toEqual({ adminPorts: [22, 3389], publicPorts: [80, 443] });
    expect(config.settings.iam).toEqual({
      rootUseDays: 30,
      unusedDays: 45,
      keyRotationDays: 90,
      dormantDays: 90,
    });
    expect(config.output).toEqual({
      store: DEFAULTS.store,
      formats: ['json', 'csv', 'ocsf', 'asff', 'junit', 'html'],
    });
    expect(config.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the path and the value of a bad allowlist entry', () => {
    // Act
    const problems = problemsOf({ network: { allowlist: ['203.0.113.0/24', '10.0.0.0/33'] } });

    // Assess
    expect(problems).toEqual([
      { path: 'network.allowlist[1]', message: '"10.0.0.0/33": is not an IPv4/IPv6 CIDR or prefix list id' },
    ]);
  });

  it.each(['010.0.0.0/8', '10/8', '10.0.0.0', '2001:db8::/129', 'pl-xyz'])(
    'refuses %s as an allowlist entry',
    (entry) => {
      expect(problemsOf({ network: { allowlist: [entry] } })).toEqual([
        {
          path: 'network.allowlist[0]',
          message: `${JSON.stringify(entry)}: is not an IPv4/IPv6 CIDR or prefix list id`,
        },
      ]);
    },
  );

  it('accepts IPv6 CIDRs and prefix list ids in the allowlist', () => {
    const config = resolveConfig({ network: { allowlist: ['2001:db8::/32', 'pl-0123456789abcdef0'] } }, 'c');
    expect(config.settings.network.allowlist).toEqual(['2001:db8::/32', 'pl-0123456789abcdef0']);
  });

  it.each([
    [{ regoins: 'all' }, 'regoins', 'unknown key'],
    [{ network: { adminPort: [22] } }, 'network.adminPort', 'unknown key'],
    [{ network: { adminPorts: ['22'] } }, 'network.adminPorts[0]', '"22" is not a number'],
    [{ network: { adminPorts: [70000] } }, 'network.adminPorts[0]', '70000 is above the maximum of 65535'],
    [
      { accounts: { source: 'org' } },
      'accounts.source',
      '"org" is not one of "self", "organizations", "list"',
    ],
    [
      { accounts: { source: 'list', ids: ['12345'] } },
      'accounts.ids[0]',
      '"12345": expected a 12-digit AWS account id',
    ],
    [{ iam: { unusedDays: 0 } }, 'iam.unusedDays', '0 is below the minimum of 1'],
    [
      { regions: ['eu-west-1', 'Europe'] },
      'regions[1]',
      '"Europe": expected an AWS region name such as "eu-west-1"',
    ],
  ])('rejects %j at %s', (raw, path, message) => {
    expect(problemsOf(raw)).toContainEqual({ path, message });
  });

  it.each([
    [
      { inventory: { source: 'config-aggregator' } },
      'inventory.aggregatorName',
      /missing: source "config-aggregator"/,
    ],
    [
      { inventory: { source: 'config', aggregatorName: 'org' } },
      'inventory.aggregatorName',
      /only used with source "config-aggregator" \(source is "config"\)/,
    ],
  ])('refuses %j at %s', (raw, path, message) => {
    const problems = problemsOf(raw);
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(problems[0]?.message).toMatch(message);
  });

  it.each([
    [{}, { source: 'api' }],
    [{ inventory: { source: 'config' } }, { source: 'config' }],
    [
      { inventory: { source: 'config-aggregator', aggregatorName: 'org' } },
      { source: 'config-aggregator', aggregatorName: 'org' },
    ],
  ])('resolves the inventory source of %j', (raw, expected) => {
    expect(resolveConfig(raw, 'c').inventory).toEqual(expected);
  });

  it('refuses a suppression that expires more than a year after the scan', () => {
    expect(() =>
      resolveConfig(
        { suppressions: [{ checks: ['s3.bucket.public'], reason: 'static site', expires: '2028-06-01' }] },
        'c',
        {},
        '2026-11-25T12:00:00Z',
      ),
    ).toThrow(/suppressions\[0\]\.expires/);
  });

  it('reads the gate and lets flags override it', () => {
    const config = resolveConfig({ gate: { failOn: 'critical' } }, 'c', {
      failOn: 'high',
      allowIncomplete: true,
    });
    expect(config.gate).toEqual({ failOn: 'high', allowIncomplete: true });
    expect(resolveConfig({}, 'c').gate).toEqual({});
  });

  it('still validates the shape of a not-yet-built feature', () => {
    expect(problemsOf({ gate: { failOn: 'urgent' } })).toContainEqual({
      path: 'gate.failOn',
      message: '"urgent" is not one of "critical", "high", "medium", "low", "info"',
    });
  });

  it('needs ids with source "list", and a role to scan an organization', () => {
    expect(problemsOf({ accounts: { source: 'list' } })).toEqual([
      { path: 'accounts.ids', message: 'missing: source "list" needs at least one account id' },
    ]);
    expect(problemsOf({ accounts: { source: 'organizations' } })).toEqual([
      {
        path: 'assumeRole',
        message: 'missing: scanning accounts from "organizations" needs a role to assume in each account',
      },
    ]);
    expect(problemsOf({ accounts: { source: 'self', ids: ['111122223333'] } })[0]?.path).toBe('accounts.ids');
  });

  it('applies command-line overrides over the file', () => {
    // Act
    const config = resolveConfig(
      { regions: 'all', assumeRole: { roleName: 'CustosAudit' }, checks: { include: ['s3.*'] } },
      'c',
      { accounts: ['111122223333'], regions: ['eu-west-1'], checks: ['ec2.sg.*'], store: '/tmp/out' },
    );

    // Assess
    expect(config.accounts).toEqual({ source: 'list', ids: ['111122223333'], exclude: [] });
    expect(config.regions).toEqual(['eu-west-1']);
    expect(config.checks.include).toEqual(['ec2.sg.*']);
    expect(config.output.store).toBe('/tmp/out');
    expect(config.assumeRole).toEqual({ roleName: 'CustosAudit', sessionDurationSeconds: 3600 });
  });

  it('gives the same digest whatever the key order', () => {
    const a = resolveConfig({ regions: ['eu-west-1'], iam: { unusedDays: 30, rootUseDays: 7 } }, 'a');
    const b = resolveConfig({ iam: { rootUseDays: 7, unusedDays: 30 }, regions: ['eu-west-1'] }, 'b');
    expect(a.digest).toBe(b.digest);
  });
});

describe('parseConfigText', () => {
  it('reads YAML', () => {
    const config = parseConfigText(
      'regions: [eu-west-1]\nnetwork:\n  publicPorts: [443]\n',
      'c.yaml',
      'yaml',
    );
    expect(config.regions).toEqual(['eu-west-1']);
    expect(config.settings.network.publicPorts).toEqual([443]);
  });

  it('reports a syntax error as a config error', () => {
    expect(() => parseConfigText('{ "regions": ', 'c.json', 'json')).toThrow(
      /c\.json is not valid:\n {2}is not valid JSON/,
    );
  });
});
