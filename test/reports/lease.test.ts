import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEASE_KEY, LeaseUnavailableError, withFinalizeLease } from '../../reports/lease.js';
import { LocalReportStore } from '../../reports/local-store.js';

function store(): LocalReportStore {
  return new LocalReportStore(mkdtempSync(join(tmpdir(), 'custos-lease-')));
}

describe('the finalize lease', () => {
  it('lets one finalizer in at a time: the second waits until the first releases', async () => {
    // Prepare
    const s = store();
    const order: string[] = [];
    let release!: () => void;
    const firstHolds = new Promise<void>((resolve) => {
      release = resolve;
    });

    // Act
    const first = withFinalizeLease(s, { holder: 'run-a', pollMs: 5 }, async () => {
      order.push('a-start');
      await firstHolds;
      order.push('a-end');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = withFinalizeLease(s, { holder: 'run-b', pollMs: 5 }, async () => {
      order.push('b');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    order.push('released');
    release();
    await Promise.all([first, second]);

    // Assess
    expect(order).toEqual(['a-start', 'released', 'a-end', 'b']);
    expect(await s.get(LEASE_KEY)).toBeUndefined();
  });

  it('takes over a lease whose holder died', async () => {
    // Prepare
    const s = store();
    await s.put(LEASE_KEY, JSON.stringify({ holder: 'crashed', expiresAt: '2020-01-01T00:00:00.000Z' }));

    // Act
    const result = await withFinalizeLease(s, { holder: 'run-b' }, async () => 'done');

    // Assess
    expect(result).toBe('done');
  });

  it('gives up after waiting, naming the holder', async () => {
    // Prepare
    const s = store();
    await s.put(LEASE_KEY, JSON.stringify({ holder: 'nightly-run', expiresAt: '2999-01-01T00:00:00.000Z' }));
    let clock = 0;

    // Act
    const attempt = withFinalizeLease(
      s,
      {
        holder: 'on-demand',
        waitMs: 1000,
        now: () => clock,
        sleep: async (ms) => {
          clock += ms;
        },
      },
      async () => 'never',
    );

    // Assess
    await expect(attempt).rejects.toThrow(LeaseUnavailableError);
    await expect(attempt).rejects.toThrow(/nightly-run/);
  });

  it('releases the lease when the work fails', async () => {
    const s = store();
    await expect(
      withFinalizeLease(s, { holder: 'x' }, async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(await s.get(LEASE_KEY)).toBeUndefined();
  });
});
