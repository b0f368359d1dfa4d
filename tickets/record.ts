/**
 * The record: `tickets/index.json` in the report store. A cache, not the truth (the label on the
 * ticket is): fingerprint → ticket key, what the ticket covers as custos last wrote it, and what
 * custos last did to it and when. Losing it costs nothing but a lookup by label and, at worst,
 * one repeated comment; a stale entry is corrected by the tracker.
 */
import { z } from 'zod';
import type { ReportStore } from '../reports/store.js';
import type { TicketItem } from './content.js';
import type { TicketKind } from './identity.js';

export const TICKET_INDEX_KEY = 'tickets/index.json';
export const TICKET_INDEX_SCHEMA_VERSION = 1;

export type RecordedAction =
  | 'created'
  | 'updated'
  | 'closed'
  | 'reopened'
  | 'commented'
  | 'labelled'
  | 'found';

export interface TicketIndexEntry {
  readonly key: string;
  /** Jira's numeric id (for `reconcileIssues`); the key elsewhere. */
  readonly id: string;
  readonly url?: string;
  readonly kind: TicketKind;
  readonly checkId?: string;
  readonly accountId?: string;
  /** What the ticket covers as custos last wrote it; absent when custos does not know. */
  readonly items?: readonly TicketItem[];
  readonly lastAction: RecordedAction;
  readonly lastActionAt: string;
  readonly lastRunId: string;
  /** custos closed it, and nobody reopened it since. */
  readonly closedByCustos: boolean;
  /** custos commented on a person's decision (Won't Fix, not planned): it does so once. */
  readonly decisionNoted: boolean;
}

export interface TicketIndex {
  readonly schemaVersion: typeof TICKET_INDEX_SCHEMA_VERSION;
  /** The tracker the entries belong to (`TicketSink.id`). */
  sink: string;
  updatedAt?: string;
  /** By ticket fingerprint. `syncTickets` updates this in place. */
  tickets: Record<string, TicketIndexEntry>;
}

export function emptyTicketIndex(sinkId: string): TicketIndex {
  return { schemaVersion: TICKET_INDEX_SCHEMA_VERSION, sink: sinkId, tickets: {} };
}

const ItemSchema = z.object({
  key: z.string(),
  text: z.string(),
  checkId: z.string().optional(),
  accountId: z.string().optional(),
  region: z.string().optional(),
  resourceId: z.string().optional(),
});

const EntrySchema = z.object({
  key: z.string().min(1),
  id: z.string().min(1),
  url: z.string().optional(),
  kind: z.enum(['finding', 'coverage', 'overflow']),
  checkId: z.string().optional(),
  accountId: z.string().optional(),
  items: z.array(ItemSchema).optional(),
  lastAction: z.enum(['created', 'updated', 'closed', 'reopened', 'commented', 'labelled', 'found']),
  lastActionAt: z.string(),
  lastRunId: z.string(),
  closedByCustos: z.boolean(),
  decisionNoted: z.boolean(),
});

const IndexSchema = z.object({
  schemaVersion: z.literal(TICKET_INDEX_SCHEMA_VERSION),
  sink: z.string(),
  updatedAt: z.string().optional(),
  tickets: z.record(z.string().regex(/^[0-9a-f]{64}$/), EntrySchema),
});

/**
 * Reads the record for `sinkId`. A missing, unreadable or other tracker's record reads as empty:
 * it is a cache, and the tracker's labels rebuild it.
 */
export async function loadTicketIndex(store: ReportStore, sinkId: string): Promise<TicketIndex> {
  const body = await store.get(TICKET_INDEX_KEY);
  if (body === undefined) return emptyTicketIndex(sinkId);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return emptyTicketIndex(sinkId);
  }
  const result = IndexSchema.safeParse(parsed);
  if (!result.success || result.data.sink !== sinkId) return emptyTicketIndex(sinkId);
  return result.data as TicketIndex;
}

/** Rewrites `tickets/index.json` in place. */
export async function saveTicketIndex(store: ReportStore, index: TicketIndex): Promise<void> {
  const sorted = Object.fromEntries(Object.entries(index.tickets).sort(([a], [b]) => a.localeCompare(b)));
  await store.put(TICKET_INDEX_KEY, `${JSON.stringify({ ...index, tickets: sorted }, null, 2)}\n`);
}
