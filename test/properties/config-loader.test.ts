/**
 * The config loader on any document: the result is a resolved config or a ConfigError whose
 * every problem names the field (or is about the document as a whole), never another exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { parseConfigText, type ResolvedConfig, resolveConfig } from '../../core/config/load.js';
import { ConfigError } from '../../core/errors.js';
import { damaged, isPlainObject } from './mutate.js';

const PROPERTY = { seed: 20_260_118, numRuns: 400 } as const;
const AS_OF = '2025-06-01T00:00:00Z';
const SOURCE = 'custos.config.json';

/** A config that sets every key this version builds. */
const FULL_CONFIG = {
  $schema: './node_modules/custos/schema/custos.config.schema.json',
  accounts: { source: 'list', ids: ['111122223333'], exclude: ['444455556666'] },
  regions: ['eu-west-1', 'us-east-1'],
  assumeRole: { roleName: 'CustosAudit', externalId: 'x-123', sessionDurationSeconds: 3600 },
  checks: { include: ['ec2.*', 's3.bucket.public'], exclude: ['ec2.ebs.*'] },
  network: { adminPorts: [22, 3389], publicPorts: [80, 443], allowlist: ['203.0.113.0/24', 'pl-0a1b2c3d'] },
  iam: { rootUseDays: 30, unusedDays: 45, keyRotationDays: 90, dormantDays: 90 },
  output: { store: './custos-reports', formats: ['json', 'csv'] },
  gate: { failOn: 'high', allowIncomplete: false, onlyNew: true },
  suppressions: [
    {
      checks: ['ec2.sg.*'],
      accounts: ['111122223333'],
      regions: ['eu-west-1', 'global'],
      resources: ['arn:aws:ec2:*:111122223333:security-group/sg-*'],
      tags: { team: 'web' },
      reason: 'the web tier is public by design',
      expires: '2025-12-31',
    },
  ],
  tickets: { sink: 'local', minSeverity: 'high', maxNewPerRun: 10, grouping: 'check-account' },
  evidence: { retentionDays: 365, mode: 'GOVERNANCE' },
};

type Outcome =
  | { readonly ok: true; readonly config: ResolvedConfig }
  | { readonly ok: false; readonly error: unknown };

function attempt(load: () => ResolvedConfig): Outcome {
  try {
    return { ok: true, config: load() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** What every outcome must satisfy, whatever the document was. */
function assessOutcome(outcome: Outcome, document: unknown): void {
  if (outcome.ok) {
    const { config } = outcome;
    expect(config.digest).toMatch(/^[0-9a-f]{64}$/);
    for (const port of [...config.settings.network.adminPorts, ...config.settings.network.publicPorts]) {
      expect(Number.isInteger(port) && port >= 0 && port <= 65535).toBe(true);
    }
    expect(config.checks.include.length).toBeGreaterThan(0);
    return;
  }
  const { error } = outcome;
  expect(error).toBeInstanceOf(ConfigError);
  const configError = error as ConfigError;
  expect(configError.exitCode).toBe(2);
  expect(configError.problems.length).toBeGreaterThan(0);
  for (const problem of configError.problems) {
    expect(problem.message.trim()).not.toBe('');
    // An empty path is about the document itself: it is not an object, or not valid text.
    if (problem.path === '') expect(isPlainObject(document)).toBe(false);
    else expect(configError.message).toContain(`${problem.path}: `);
  }
}

describe('resolveConfig on any JSON document', () => {
  it('the full config resolves (the base the damaged documents start from)', () => {
    expect(resolveConfig(FULL_CONFIG, SOURCE, {}, AS_OF).accounts.ids).toEqual(['111122223333']);
  });

  it('resolves it or names every problem with its path, and throws nothing else', () => {
    fc.assert(
      fc.property(damaged(FULL_CONFIG), (document) => {
        assessOutcome(
          attempt(() => resolveConfig(document, SOURCE, {}, AS_OF)),
          document,
        );
      }),
      PROPERTY,
    );
  });

  it('gives the same answer twice: the digest depends on the document, not on the run', () => {
    fc.assert(
      fc.property(damaged(FULL_CONFIG), (document) => {
        const first = attempt(() => resolveConfig(document, SOURCE, {}, AS_OF));
        const second = attempt(() => resolveConfig(structuredClone(document), SOURCE, {}, AS_OF));
        expect(second.ok).toBe(first.ok);
        if (first.ok && second.ok) expect(second.config.digest).toBe(first.config.digest);
      }),
      { ...PROPERTY, numRuns: 100 },
    );
  });
});

describe('parseConfigText on any text', () => {
  const text = fc.oneof(
    damaged(FULL_CONFIG).map((document) => JSON.stringify(document) ?? ''),
    fc.string({ maxLength: 60 }),
    fc.constantFrom(
      '',
      'null',
      '[]',
      '{',
      '{"regions": "all",}',
      '\uFEFF{}',
      '{"__proto__": {"regions": 1}}',
    ),
  );

  it('JSON: a resolved config or a ConfigError, never another exception', () => {
    fc.assert(
      fc.property(text, (source) => {
        const outcome = attempt(() => parseConfigText(source, SOURCE, 'json', {}, AS_OF));
        if (!outcome.ok) expect(outcome.error).toBeInstanceOf(ConfigError);
      }),
      PROPERTY,
    );
  });

  it('YAML: a resolved config or a ConfigError, never another exception', () => {
    const yamlText = fc.oneof(
      damaged(FULL_CONFIG).map((document) => toYaml(document)),
      // A leading % is a YAML directive: unknown ones only print a warning, which is noise here.
      fc.string({ maxLength: 60 }).filter((t) => !t.trimStart().startsWith('%')),
      fc.constantFrom('a: [', '- 1\n- 2', 'regions: !!binary aGk=', 'x: &a 1\ny: *a', 'regions: *nowhere'),
    );
    fc.assert(
      fc.property(yamlText, (source) => {
        const outcome = attempt(() => parseConfigText(source, 'custos.config.yaml', 'yaml', {}, AS_OF));
        if (!outcome.ok) expect(outcome.error).toBeInstanceOf(ConfigError);
      }),
      PROPERTY,
    );
  });
});

describe('config documents too deep or cyclic to validate', () => {
  it('a value nested 10,000 lists deep is a ConfigError', () => {
    const deep = JSON.parse(`${'['.repeat(10_000)}1${']'.repeat(10_000)}`);
    expect(() => resolveConfig({ regions: deep }, SOURCE)).toThrow(ConfigError);
  });

  it('a YAML alias to the node that holds it is a ConfigError', () => {
    expect(() => parseConfigText('regions: &loop [ *loop ]', 'custos.config.yaml', 'yaml')).toThrow(
      ConfigError,
    );
  });
});
