/**
 * The local sink, the default tracker: one file per ticket, `tickets/<fingerprint>.json`, in the
 * report store, rewritten in place; `tickets/index.json` next to them is the record that every
 * sink keeps (see record.ts). People may edit a ticket file (close it with a resolution, change
 * the title or labels); custos reads it back as it would a Jira issue.
 */
import type { ReportStore } from '../reports/store.js';
import { toMarkdown } from './content.js';
import { TicketSinkError } from './errors.js';
import { CUSTOS_LABEL } from './identity.js';
import type { CloseKind, NewTicket, SinkTicket, TicketDoc, TicketSink, TransitionOutcome } from './types.js';

export const LOCAL_USER = 'custos';

export interface LocalTicketComment {
  readonly at: string;
  readonly author: string;
  readonly body: string;
}

/** The file a local ticket lives in. */
export interface LocalTicketFile {
  readonly schemaVersion: 1;
  readonly key: string;
  readonly fingerprint: string;
  readonly title: string;
  readonly labels: readonly string[];
  readonly state: 'open' | 'closed';
  /** On closed tickets: `Done`, or a person's `Won't Fix`, `Duplicate`, ... */
  readonly resolution: string | null;
  readonly closedBy: string | null;
  readonly closedAt: string | null;
  readonly checkId: string | null;
  readonly accountId: string | null;
  readonly severity: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Markdown, written once. */
  readonly description: string;
  readonly comments: readonly LocalTicketComment[];
}

export interface LocalTicketSinkOptions {
  readonly now?: () => Date;
}

const TICKET_FILE = /^tickets\/([0-9a-f]{64})\.json$/;

export function localTicketKey(fingerprint: string): string {
  return `tickets/${fingerprint}.json`;
}

export function closeKindOf(resolution: string | null | undefined): CloseKind {
  if (resolution === null || resolution === undefined || resolution.trim() === '') return 'unspecified';
  return /^(done|fixed|completed)$/i.test(resolution.trim()) ? 'done' : 'decision';
}

export class LocalTicketSink implements TicketSink {
  readonly kind = 'local' as const;
  readonly id = 'local';
  readonly describe: string;
  private readonly now: () => Date;

  constructor(
    private readonly store: ReportStore,
    options: LocalTicketSinkOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.describe = `local tickets in ${store.locate('tickets')}`;
  }

  /** Every ticket file: the folder holds custos's tickets only, labelled or not. */
  async list(): Promise<SinkTicket[]> {
    const tickets: SinkTicket[] = [];
    for (const path of await this.store.list('tickets/')) {
      if (!TICKET_FILE.test(path)) continue;
      const file = await this.read(path);
      if (file !== undefined) tickets.push(this.toTicket(file));
    }
    return tickets;
  }

  async get(key: string): Promise<SinkTicket | undefined> {
    if (!/^[0-9a-f]{64}$/.test(key)) return undefined;
    const file = await this.read(localTicketKey(key));
    return file === undefined ? undefined : this.toTicket(file);
  }

  async create(ticket: NewTicket): Promise<SinkTicket> {
    const at = this.now().toISOString();
    const file: LocalTicketFile = {
      schemaVersion: 1,
      key: ticket.fingerprint,
      fingerprint: ticket.fingerprint,
      title: ticket.title,
      labels: [...ticket.labels],
      state: 'open',
      resolution: null,
      closedBy: null,
      closedAt: null,
      checkId: ticket.checkId ?? null,
      accountId: ticket.accountId ?? null,
      severity: ticket.severity ?? null,
      createdAt: at,
      updatedAt: at,
      description: toMarkdown(ticket.description),
      comments: [],
    };
    await this.write(file);
    return this.toTicket(file);
  }

  async comment(ticket: SinkTicket, body: TicketDoc): Promise<void> {
    await this.update(ticket.key, (file, at) => ({
      ...file,
      comments: [...file.comments, { at, author: LOCAL_USER, body: toMarkdown(body) }],
    }));
  }

  async close(ticket: SinkTicket, comment: TicketDoc): Promise<TransitionOutcome> {
    await this.update(ticket.key, (file, at) => ({
      ...file,
      state: 'closed',
      resolution: 'Done',
      closedBy: LOCAL_USER,
      closedAt: at,
      comments: [...file.comments, { at, author: LOCAL_USER, body: toMarkdown(comment) }],
    }));
    return { done: true };
  }

  async reopen(ticket: SinkTicket, comment: TicketDoc): Promise<TransitionOutcome> {
    await this.update(ticket.key, (file, at) => ({
      ...file,
      state: 'open',
      resolution: null,
      closedBy: null,
      closedAt: null,
      comments: [...file.comments, { at, author: LOCAL_USER, body: toMarkdown(comment) }],
    }));
    return { done: true };
  }

  async addLabels(ticket: SinkTicket, labels: readonly string[]): Promise<void> {
    await this.update(ticket.key, (file) => ({
      ...file,
      labels: [...file.labels, ...labels.filter((l) => !file.labels.includes(l))],
    }));
  }

  async closedBy(ticket: SinkTicket): Promise<string | undefined> {
    const file = await this.read(localTicketKey(ticket.key));
    return file?.closedBy ?? undefined;
  }

  async whoami(): Promise<string> {
    return LOCAL_USER;
  }

  async preflight(): Promise<void> {
    await this.store.list('tickets/');
  }

  private toTicket(file: LocalTicketFile): SinkTicket {
    const closed = file.state === 'closed';
    return {
      key: file.key,
      id: file.key,
      url: this.store.locate(localTicketKey(file.key)),
      title: file.title,
      labels: file.labels,
      fingerprint: file.fingerprint,
      state: closed ? 'closed' : 'open',
      status: file.state,
      ...(closed && { closeKind: closeKindOf(file.resolution) }),
      ...(closed && file.resolution !== null && { resolution: file.resolution }),
    };
  }

  private async read(path: string): Promise<LocalTicketFile | undefined> {
    const body = await this.store.get(path);
    if (body === undefined) return undefined;
    let file: LocalTicketFile;
    try {
      file = JSON.parse(body.toString('utf8')) as LocalTicketFile;
    } catch {
      throw new TicketSinkError(`${this.store.locate(path)} is not valid JSON: repair it or delete it`, {
        unavailable: false,
      });
    }
    const match = TICKET_FILE.exec(path);
    // The file name is the fingerprint: a person's edit of the fields cannot move a ticket.
    return match === null
      ? file
      : { ...file, key: match[1]!, fingerprint: match[1]!, labels: file.labels ?? [CUSTOS_LABEL] };
  }

  private async write(file: LocalTicketFile): Promise<void> {
    await this.store.put(localTicketKey(file.key), `${JSON.stringify(file, null, 2)}\n`);
  }

  private async update(
    key: string,
    change: (file: LocalTicketFile, at: string) => LocalTicketFile,
  ): Promise<void> {
    const file = await this.read(localTicketKey(key));
    if (file === undefined) throw new Error(`local ticket ${key} does not exist`);
    const at = this.now().toISOString();
    await this.write({ ...change(file, at), updatedAt: at });
  }
}
