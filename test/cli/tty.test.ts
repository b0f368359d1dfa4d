import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../dist/cli/bin.js', import.meta.url).pathname;
const ESTATE = new URL('../../examples/demo-estate.json', import.meta.url).pathname;
const CONFIG = new URL('../../examples/demo.config.json', import.meta.url).pathname;

/**
 * Runs the built CLI on a pseudo-terminal through util-linux `script`, which records every byte
 * the program writes to the terminal, progress frames included.
 */
function onTerminal(
  args: readonly string[],
  env: Record<string, string> = {},
): { output: string; status: number | null } {
  const command = ['node', BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const result = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm-256color', ...env },
    timeout: 120_000,
  });
  if (result.error !== undefined) throw result.error;
  return { output: result.stdout, status: result.status };
}

describe('the scan on a terminal', () => {
  it('the built CLI and the pseudo-terminal tool are present', () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    expect(spawnSync('script', ['--version']).status).toBe(0);
  });

  it('shows live progress, then a summary coloured by severity', () => {
    // Act
    const out = join(mkdtempSync(join(tmpdir(), 'custos-tty-')), 'reports');
    const { output, status } = onTerminal(['scan', '--estate', ESTATE, '--config', CONFIG, '--out', out]);

    // Assess
    expect(status).toBe(0);
    expect(output).toMatch(/\d+\/9 targets \| (planning|\d{12} [a-z0-9-]+) \| \d+ API calls \| \d+s/);
    expect(output).toContain('\u001b[31m'); // red for FAIL and high
    expect(output).toMatch(/Findings: .*PASS.*FAIL/);
    expect(output).toMatch(/Top failing checks:/);
  });

  it('respects NO_COLOR', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'custos-tty-')), 'reports');
    const { output } = onTerminal(['scan', '--estate', ESTATE, '--config', CONFIG, '--out', out], {
      NO_COLOR: '1',
    });
    const summary = output.slice(output.indexOf('custos run'));
    expect(summary).toMatch(/Findings: \d+ PASS/);
    expect(summary).not.toContain('\u001b[3');
  });

  it('prints only the summary when stdout is not a terminal', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'custos-tty-')), 'reports');
    const result = spawnSync('node', [BIN, 'scan', '--estate', ESTATE, '--config', CONFIG, '--out', out], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('targets |');
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stdout.split('\n')[0]).toMatch(/^custos run \S+: 3 of 4 account\(s\) scanned/);
    expect(result.stderr).not.toContain('targets |');
  });
});
