import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initCommand, STARTER_CONFIG } from '../../cli/init.js';
import { parseConfigText } from '../../core/config/load.js';
import { UsageError } from '../../core/errors.js';

describe('custos init', () => {
  it('writes a starter config that validates as it stands and keeps the defaults', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'custos-init-'));

    // Act
    const path = initCommand({}, dir);

    // Assess
    const config = parseConfigText(readFileSync(path, 'utf8'), path, 'yaml');
    expect(config.accounts.source).toBe('self');
    expect(config.settings.network.adminPorts).toEqual([22, 3389]);
    expect(config.checks.include).toEqual(['*']);
  });

  it('refuses to overwrite unless forced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'custos-init-'));
    initCommand({}, dir);
    expect(() => initCommand({}, dir)).toThrow(UsageError);
    expect(initCommand({ force: true }, dir)).toBe(join(dir, 'custos.config.yaml'));
  });

  it('the commented-out role and allowlist validate once uncommented', () => {
    const uncommented = STARTER_CONFIG.replace(/^# (assumeRole:)$/m, '$1')
      .replace(/^# {3}(roleName|externalId|sessionDurationSeconds)/gm, '  $1')
      .replace(/^ {2}# (allowlist:)/m, '  $1');
    const config = parseConfigText(uncommented, 'uncommented', 'yaml');
    expect(config.assumeRole).toEqual({
      roleName: 'CustosAudit',
      externalId: 'replace-with-a-random-value',
      sessionDurationSeconds: 3600,
    });
    expect(config.settings.network.allowlist).toEqual(['203.0.113.0/24', 'pl-0123456789abcdef0']);
  });
});
