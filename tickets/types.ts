/**
 * The ticketing sinks' common shape: what custos needs from Jira, GitHub Issues or the local
 * store, and nothing more. custos writes only what it owns and never undoes a person's decision
 * (TICKETS.md); the sinks give it the facts to tell the two apart.
 */
import type { Severity } from '../core/types.js';

export type SinkKind = 'jira' | 'github' | 'local';

export type TicketState = 'open' | 'closed';

/**
 * How a closed ticket was closed. `done`: Jira resolution Done or Fixed, GitHub `state_reason:
 * completed`. `decision`: any other resolution (Won't Fix, Won't Do, Duplicate, not planned):
 * a person's decision, never undone. `unspecified`: closed with no resolution at all; it counts
 * as done only when custos closed it itself.
 */
export type CloseKind = 'done' | 'decision' | 'unspecified';

/** A ticket as the tracker shows it now. */
export interface SinkTicket {
  /** Jira issue key (`SEC-12`), GitHub issue number (`42`), local ticket id. */
  readonly key: string;
  /** Jira's numeric issue id (for `reconcileIssues`); the key elsewhere. */
  readonly id: string;
  /** Where a person opens it. */
  readonly url?: string;
  readonly title: string;
  readonly labels: readonly string[];
  /** The full fingerprint stored on the ticket (issue property, body marker), when still there. */
  readonly fingerprint?: string;
  readonly state: TicketState;
  /** The status as the tracker names it (for messages only: never judged by name). */
  readonly status?: string;
  /** On closed tickets. */
  readonly closeKind?: CloseKind;
  /** The resolution or `state_reason` as the tracker names it, on closed tickets. */
  readonly resolution?: string;
}

// ---------------------------------------------------------------- ticket text

/** Inline text: plain, or code (resource ids, commands). */
export type Inline = string | { readonly code: string };

/** A small document model, rendered as Jira ADF, GitHub Markdown or local Markdown. */
export type Block =
  | { readonly type: 'heading'; readonly text: string }
  | { readonly type: 'paragraph'; readonly content: readonly Inline[] }
  | { readonly type: 'list'; readonly items: ReadonlyArray<readonly Inline[]> }
  | { readonly type: 'code'; readonly text: string };

export type TicketDoc = readonly Block[];

export interface NewTicket {
  readonly fingerprint: string;
  readonly title: string;
  readonly labels: readonly string[];
  /** Written once, at creation. */
  readonly description: TicketDoc;
  /** For a priority mapping (Jira `priorities`). */
  readonly severity?: Severity;
  /** Stored with the fingerprint (the Jira issue property). */
  readonly checkId?: string;
  readonly accountId?: string;
}

/** A transition the workflow may not offer: then it is reported, not forced. */
export type TransitionOutcome = { readonly done: true } | { readonly done: false; readonly reason: string };

/**
 * One tracker. Every method that talks HTTP throws `TicketSinkError` on a failure that survived
 * the retries, never anything that carries the token.
 */
export interface TicketSink {
  readonly kind: SinkKind;
  /** Identifies the tracker for the record (`jira:https://x.atlassian.net/SEC`, `github:o/r`). */
  readonly id: string;
  /** For people: `Jira project SEC at https://x.atlassian.net`. */
  readonly describe: string;
  /**
   * Every ticket carrying the `custos` label, every page. `knownIds` are the ids the record
   * knows, so that tickets created moments ago are seen despite a search index's lag.
   */
  list(knownIds: readonly string[]): Promise<SinkTicket[]>;
  /** One ticket by key (the record's lookup), or undefined when it no longer exists. */
  get(key: string): Promise<SinkTicket | undefined>;
  create(ticket: NewTicket): Promise<SinkTicket>;
  comment(ticket: SinkTicket, body: TicketDoc): Promise<void>;
  /** Closes as done (Jira: a transition to the `done` category; GitHub: `completed`) with a comment. */
  close(ticket: SinkTicket, comment: TicketDoc): Promise<TransitionOutcome>;
  /** Reopens (Jira: a transition to `new` or `indeterminate`) with a comment. */
  reopen(ticket: SinkTicket, comment: TicketDoc): Promise<TransitionOutcome>;
  /** Adds labels without touching the others (a removed fingerprint label is put back). */
  addLabels(ticket: SinkTicket, labels: readonly string[]): Promise<void>;
  /** Who closed a closed ticket (Jira accountId, GitHub login), when the tracker says. */
  closedBy(ticket: SinkTicket): Promise<string | undefined>;
  /** custos's own user (Jira `/myself` accountId, GitHub `/user` login), when the token may ask. */
  whoami(): Promise<string | undefined>;
  /** Checks credentials and the target; throws `TicketPreflightError` naming the problem. */
  preflight(): Promise<void>;
}
