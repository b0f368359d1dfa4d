/** The part of a sync result a run's report keeps. */
import type { TicketSyncSummary } from '../core/types.js';
import type { SyncResult } from './sync.js';

export function summarizeSync(result: SyncResult): TicketSyncSummary {
  const done: Record<string, number> = {};
  for (const action of result.done) done[action.action] = (done[action.action] ?? 0) + 1;
  return {
    sink: result.sink,
    target: result.target,
    status: result.status,
    ...(result.error !== undefined && { error: result.error }),
    done,
    notDone: result.notDone.map((n) => ({
      action: n.action,
      fingerprint: n.fingerprint,
      ...(n.key !== undefined && { key: n.key }),
      reason: n.reason,
    })),
    overflowHeld: result.overflow.held,
  };
}
