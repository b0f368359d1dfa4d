/**
 * The CLI as it ships (package.json `bin`: the esbuild bundle `npm run build` writes) behaves as
 * the compiled modules do: same commands, same verdicts on the demo estate.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const BUNDLE = join(ROOT, 'dist', 'bundle', 'custos.mjs');
const MODULES = join(ROOT, 'dist', 'cli', 'bin.js');
const ESTATE = join(ROOT, 'examples', 'demo-estate.json');
const CONFIG = join(ROOT, 'examples', 'demo.config.json');

function run(bin: string, args: readonly string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function verdicts(out: string): string[] {
  const latest = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as { reportKey: string };
  const report = JSON.parse(readFileSync(join(out, latest.reportKey), 'utf8')) as {
    findings: Array<{
      checkId: string;
      accountId: string;
      region: string;
      resourceId: string;
      status: string;
    }>;
  };
  return report.findings
    .map((f) => `${f.checkId} ${f.accountId} ${f.region} ${f.resourceId} ${f.status}`)
    .sort();
}

describe('the bundled CLI', () => {
  it('is what package.json installs as `custos`', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(pkg.bin.custos).toBe('dist/bundle/custos.mjs');
    expect(readFileSync(BUNDLE, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('prints the same help, version and catalogue as the modules', () => {
    for (const args of [['--help'], ['--version'], ['checks', '--json'], ['permissions']]) {
      const bundled = run(BUNDLE, args);
      expect(bundled.code, args.join(' ')).toBe(0);
      expect(bundled.stdout).toBe(run(MODULES, args).stdout);
    }
  });

  it('scans the demo estate to the same verdicts, with the same exit code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'custos-bundle-'));
    const args = (out: string) => ['scan', '--estate', ESTATE, '--config', CONFIG, '--out', out, '--quiet'];

    const bundled = run(BUNDLE, args(join(dir, 'bundled')));
    const modules = run(MODULES, args(join(dir, 'modules')));

    expect(bundled.stderr).toBe('');
    expect(bundled.code).toBe(modules.code);
    expect(verdicts(join(dir, 'bundled'))).toEqual(verdicts(join(dir, 'modules')));
    expect(verdicts(join(dir, 'bundled')).length).toBeGreaterThan(100);
  });
});
