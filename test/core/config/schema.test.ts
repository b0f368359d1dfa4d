import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../../core/config/schema.js';

describe('the shipped config JSON Schema', () => {
  it('is the one generated from the config definition', () => {
    // Prepare
    const shipped = JSON.parse(
      readFileSync(new URL('../../../schema/custos.config.schema.json', import.meta.url), 'utf8'),
    );

    // Assess
    expect(shipped).toEqual(configJsonSchema());
  });

  it('refuses unknown keys and covers every section of the config page', () => {
    const schema = configJsonSchema() as {
      additionalProperties?: boolean;
      properties: Record<string, unknown>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual(
      [
        '$schema',
        'accounts',
        'assumeRole',
        'checks',
        'evidence',
        'gate',
        'iam',
        'inventory',
        'network',
        'output',
        'regions',
        'schedule',
        'suppressions',
        'tickets',
      ].sort(),
    );
  });
});
