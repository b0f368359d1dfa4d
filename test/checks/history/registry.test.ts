import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { historyChecks } from '../../../checks/history/index.js';
import { ALL_CHECKS } from '../../../checks/registry.js';
import { unknownControls } from '../../../core/frameworks/index.js';

const HISTORY_DIR = new URL('../../../checks/history/', import.meta.url);

/** Every check file of checks/history (not its index or its types), as [file, module URL]. */
function historyCheckFiles(): Array<[file: string, url: string]> {
  return readdirSync(HISTORY_DIR)
    .filter((file) => file.endsWith('.ts') && file !== 'index.ts' && file !== 'types.ts')
    .map((file): [string, string] => [file, new URL(file, HISTORY_DIR).href]);
}

function isHistoryCheck(value: unknown): value is { id: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    typeof (value as { evaluateHistory?: unknown }).evaluateHistory === 'function'
  );
}

describe('history check registry', () => {
  it('registers each history check once, under an id no ordinary check uses', () => {
    // Prepare
    const ids = historyChecks.map((check) => check.id);
    const ordinary = new Set(ALL_CHECKS.map((check) => check.id));

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z0-9]+(\.[a-z0-9-]+)+$/);
      expect(ordinary.has(id), id).toBe(false);
    }
  });

  it.each(historyCheckFiles())(
    'registers the history check exported by checks/history/%s',
    async (_file, url) => {
      // Act
      const module: Record<string, unknown> = await import(url);
      const exported = Object.values(module).filter(isHistoryCheck);

      // Assess
      expect(exported.length).toBeGreaterThan(0);
      for (const check of exported) expect(historyChecks, check.id).toContain(check);
    },
  );

  it('maps only to framework controls the catalogues know', () => {
    // Assess
    expect(unknownControls(historyChecks)).toEqual([]);
  });
});
