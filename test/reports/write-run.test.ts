import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalReportStore } from '../../reports/local-store.js';
import type { LatestPointer } from '../../reports/store.js';
import { writeRun } from '../../reports/write-run.js';

function store(): LocalReportStore {
  return new LocalReportStore(mkdtempSync(join(tmpdir(), 'custos-write-run-')));
}

async function latest(s: LocalReportStore): Promise<LatestPointer | undefined> {
  const body = await s.get('latest.json');
  return body === undefined ? undefined : (JSON.parse(body.toString('utf8')) as LatestPointer);
}

const run = (text: string) => [
  { path: 'report.json', body: `{"v":"${text}"}` },
  { path: 'findings.csv', body: `a,b\n${text},1\n` },
];

describe('writing a run that crashed part-way', () => {
  it('keeps latest.json on the previous run until the retry commits, then converges', async () => {
    // Prepare: run r1 is committed; r2's first attempt died after one artifact.
    const s = store();
    await writeRun(s, 'r1', run('one'));
    await s.putOnce('runs/r2/report.json', '{"v":"half"}');

    // Assess: nobody sees the half run.
    expect((await latest(s))?.runId).toBe('r1');

    // Act: the retry renders the run again (its finish time differs) and writes it.
    await writeRun(s, 'r2', run('two'));

    // Assess
    expect((await latest(s))?.runId).toBe('r2');
    expect((await s.get('runs/r2/report.json'))?.toString('utf8')).toBe('{"v":"two"}');
    expect(await s.list('runs/r2/')).toEqual([
      'runs/r2/findings.csv',
      'runs/r2/manifest.json',
      'runs/r2/report.json',
    ]);
  });

  it('finishes a commit whose latest.json the crash did not get to, and rewrites nothing', async () => {
    // Prepare: r2 committed, but latest.json still names r1.
    const s = store();
    await writeRun(s, 'r1', run('one'));
    await writeRun(s, 'r2', run('two'));
    await s.put('latest.json', JSON.stringify({ runId: 'r1', reportKey: 'runs/r1/report.json' }));
    const manifest = (await s.get('runs/r2/manifest.json'))?.toString('utf8');

    // Act
    await writeRun(s, 'r2', run('two, rendered again'));

    // Assess
    expect((await latest(s))?.runId).toBe('r2');
    expect((await s.get('runs/r2/report.json'))?.toString('utf8')).toBe('{"v":"two"}');
    expect((await s.get('runs/r2/manifest.json'))?.toString('utf8')).toBe(manifest);
  });
});
