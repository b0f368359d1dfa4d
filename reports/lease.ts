/**
 * One finalizer at a time per report store: a nightly run and an on-demand run can overlap,
 * and history, `latest.json` and the ticket sync must not interleave. The lease is a key written
 * only if absent (S3 conditional write, or an exclusive file), naming its holder and expiry; an
 * expired lease (its holder died) is taken over.
 */
import { CustosError } from '../core/errors.js';
import { KeyExistsError, type ReportStore } from './store.js';

export const LEASE_KEY = 'locks/finalize.json';

export interface LeaseOptions {
  readonly holder: string;
  /** How long the lease holds without renewal; a finalize must finish within it. */
  readonly ttlMs?: number;
  /** How long to wait for another holder before giving up. */
  readonly waitMs?: number;
  readonly pollMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

interface LeaseRecord {
  readonly holder: string;
  readonly expiresAt: string;
}

const DEFAULT_TTL_MS = 15 * 60_000;
const DEFAULT_WAIT_MS = 15 * 60_000;
const DEFAULT_POLL_MS = 2_000;

export class LeaseUnavailableError extends CustosError {
  constructor(message: string) {
    super(message, { exitCode: 4 });
    this.name = 'LeaseUnavailableError';
  }
}

/** Runs `work` holding the store's finalize lease, and releases it afterwards. */
export async function withFinalizeLease<T>(
  store: ReportStore,
  options: LeaseOptions,
  work: () => Promise<T>,
): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
  const deadline = now() + (options.waitMs ?? DEFAULT_WAIT_MS);
  for (;;) {
    const record: LeaseRecord = { holder: options.holder, expiresAt: new Date(now() + ttl).toISOString() };
    if (await tryWrite(store, record)) break;
    const current = await readLease(store);
    if (current !== undefined && Date.parse(current.expiresAt) <= now()) {
      // The holder died without releasing: take the lease over.
      await store.delete(LEASE_KEY);
      continue;
    }
    if (now() >= deadline) {
      throw new LeaseUnavailableError(
        `another run (${current?.holder ?? 'unknown'}) is finalizing into ${store.locate('')} until ${current?.expiresAt ?? 'unknown'}; try again later`,
      );
    }
    await sleep(options.pollMs ?? DEFAULT_POLL_MS);
  }
  try {
    return await work();
  } finally {
    const current = await readLease(store);
    if (current?.holder === options.holder) await store.delete(LEASE_KEY);
  }
}

async function tryWrite(store: ReportStore, record: LeaseRecord): Promise<boolean> {
  try {
    await store.putOnce(LEASE_KEY, JSON.stringify(record));
    return true;
  } catch (error) {
    if (error instanceof KeyExistsError) return false;
    throw error;
  }
}

async function readLease(store: ReportStore): Promise<LeaseRecord | undefined> {
  const body = await store.get(LEASE_KEY);
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as LeaseRecord;
  } catch {
    // A torn lease file is treated as expired.
    return { holder: 'unknown', expiresAt: new Date(0).toISOString() };
  }
}
