import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../cli/scan.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../cli/scan.js')>()),
  scanCommand: () => Promise.reject(new TypeError('cannot read properties of undefined')),
}));

const { main } = await import('../../cli/main.js');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('an unexpected internal error', () => {
  it('exits 4, never 1, which a pipeline would read as findings', async () => {
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
    expect(await main(['scan', '--estate', 'x.json'])).toBe(4);
    expect(stderr.join('')).toContain('internal error');
  });
});
