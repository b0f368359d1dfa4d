import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

beforeEach(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The `npx custos …` commands of README's "Use in CI" section, with the exit code each documents. */
function documentedCommands(): Array<{ args: string[]; exitCode: number }> {
  const section = README.slice(README.indexOf('## Use in CI'), README.indexOf('## Estate files'));
  const block = section.slice(
    section.indexOf('```sh') + 5,
    section.indexOf('```', section.indexOf('```sh') + 5),
  );
  const commands: Array<{ args: string[]; exitCode: number }> = [];
  let pending: string[] | undefined;
  for (const line of block.replace(/\\\n\s*/g, ' ').split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('npx custos ')) pending = trimmed.slice('npx custos '.length).split(/\s+/);
    const echoed = /^echo \$\?\s+# (\d)/.exec(trimmed);
    if (echoed !== null && pending !== undefined) {
      commands.push({ args: pending, exitCode: Number(echoed[1]) });
      pending = undefined;
    }
  }
  return commands;
}

describe("README's Use in CI section", () => {
  it('documents at least the incomplete and the failing gate', () => {
    expect(documentedCommands().map((c) => c.exitCode)).toEqual([3, 1]);
  });

  it.each(documentedCommands())(
    'exits as documented: custos $args.0 … → $exitCode',
    async ({ args, exitCode }) => {
      const out = join(mkdtempSync(join(tmpdir(), 'custos-readme-')), 'ci-reports');
      const withStore = args.map((a) => (a === 'ci-reports' ? out : a));
      expect(await main(withStore)).toBe(exitCode);
    },
  );
});
