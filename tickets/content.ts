/**
 * What custos writes into tickets, and how it is rendered for each tracker.
 *
 * A description is written once: what is wrong, why it matters, remediation, the report path.
 * Never raw evidence: no policy documents, no IP addresses, no finding messages (they quote
 * rules and sources). A ticket is read by more people than the report, and findings are an
 * attacker's map: a ticket names the resources and points to the report for the detail.
 */
import { FRAMEWORKS } from '../core/frameworks/index.js';
import type { FrameworkId, FrameworkRefs, Remediation, Severity } from '../core/types.js';
import type { Block, Inline, TicketDoc } from './types.js';

/** At most this many items in one list; the rest are counted and left to the report. */
export const MAX_LISTED = 50;

/** One thing a ticket covers: a resource, a coverage gap, or a problem held back by the storm guard. */
export interface TicketItem {
  /** Stable identity: the finding's fingerprint, a gap's scope, a held-back ticket's fingerprint. */
  readonly key: string;
  /** For people, when there is no resource id. */
  readonly text: string;
  readonly checkId?: string;
  readonly accountId?: string;
  readonly region?: string;
  readonly resourceId?: string;
  /** On items leaving a ticket: the finding still fails but is suppressed (an accepted risk). */
  readonly suppressed?: boolean;
}

export interface RunRef {
  readonly runId: string;
  /** Where the run's report is (a path or an s3:// URL). */
  readonly reportPath?: string;
}

/** The problem a finding ticket is about: one check in one account (or one finding). */
export interface ProblemSummary {
  readonly checkId: string;
  readonly accountId: string;
  readonly severity: Severity;
  /** The check's title: the desired state. */
  readonly checkTitle: string;
  readonly remediation: Remediation;
  readonly frameworks: FrameworkRefs;
}

const WHY: Readonly<Record<Severity, string>> = {
  critical:
    'custos rates this CRITICAL: weaknesses like this are found and used first, often within hours of appearing. Fix it before anything else.',
  high: 'custos rates this HIGH: it opens a direct path to exposure or takeover. Fix it within days.',
  medium: 'custos rates this MEDIUM: it weakens a defence the rest of the account relies on.',
  low: 'custos rates this LOW: it is hygiene that makes other problems harder to exploit and easier to notice.',
  info: 'custos reports this for information.',
};

// ---------------------------------------------------------------- problem tickets

export function problemDescription(
  problem: ProblemSummary,
  items: readonly TicketItem[],
  run: RunRef,
): TicketDoc {
  const n = items.length;
  const blocks: Block[] = [
    { type: 'heading', text: 'What is wrong' },
    {
      type: 'paragraph',
      content: [
        `${n} ${plural(n, 'resource')} in account ${problem.accountId} ${n === 1 ? 'fails' : 'fail'} the check `,
        { code: problem.checkId },
        `: ${problem.checkTitle}.`,
      ],
    },
    ...itemList(items),
    { type: 'heading', text: 'Why it matters' },
    { type: 'paragraph', content: [WHY[problem.severity]] },
  ];
  const controls = frameworkLines(problem.frameworks);
  if (controls.length > 0) {
    blocks.push({ type: 'paragraph', content: ['Controls this check maps to:'] });
    blocks.push({ type: 'list', items: controls.map((line) => [line]) });
  }
  blocks.push({ type: 'heading', text: 'How to fix it' }, ...remediationBlocks(problem.remediation));
  blocks.push(
    { type: 'heading', text: 'Where to look' },
    { type: 'paragraph', content: reportLine(run) },
    {
      type: 'paragraph',
      content: [
        'custos writes this description once and reports later changes as comments; edit the title, assignee and labels freely. ' +
          'custos closes this ticket when a run assessed every resource and none fails. ' +
          'To accept the risk, record a suppression (with a reason and an expiry) in the custos config rather than closing the ticket.',
      ],
    },
  );
  return blocks;
}

export function resourcesChangedComment(
  run: RunRef,
  change: {
    readonly added: readonly TicketItem[];
    readonly removed: readonly TicketItem[];
    readonly failing: number;
    readonly notAssessed: number;
  },
): TicketDoc {
  const blocks: Block[] = [
    { type: 'paragraph', content: [`custos run ${run.runId}: the resources of this ticket changed.`] },
  ];
  if (change.added.length > 0) {
    blocks.push(
      { type: 'paragraph', content: [`Now failing (${change.added.length}):`] },
      ...itemList(change.added),
    );
  }
  if (change.removed.length > 0) {
    blocks.push(
      { type: 'paragraph', content: [`No longer failing (${change.removed.length}):`] },
      ...itemList(change.removed),
    );
  }
  const tail = [
    `${change.failing} ${plural(change.failing, 'resource')} still ${change.failing === 1 ? 'fails' : 'fail'}.`,
  ];
  if (change.notAssessed > 0) {
    tail.push(
      ` ${change.notAssessed} ${plural(change.notAssessed, 'resource')} could not be assessed in this run and ${change.notAssessed === 1 ? 'stays' : 'stay'} on the ticket.`,
    );
  }
  blocks.push({ type: 'paragraph', content: tail }, { type: 'paragraph', content: reportLine(run) });
  return blocks;
}

export function closeComment(run: RunRef, resolved: readonly TicketItem[]): TicketDoc {
  return [
    {
      type: 'paragraph',
      content: [
        `custos run ${run.runId} assessed every resource of this ticket and none fails any more${resolved.some((i) => i.suppressed === true) ? ' (or its failure is suppressed as an accepted risk)' : ''}: closing it.`,
      ],
    },
    ...(resolved.length > 0
      ? [
          { type: 'paragraph', content: [`No longer failing (${resolved.length}):`] } as const,
          ...itemList(resolved),
        ]
      : []),
    { type: 'paragraph', content: reportLine(run) },
  ];
}

export function reopenComment(
  run: RunRef,
  failing: readonly TicketItem[],
  why: 'regressed' | 'closed-while-failing',
): TicketDoc {
  const lead =
    why === 'regressed'
      ? `custos run ${run.runId}: this problem fails again, so custos reopens the ticket it had closed.`
      : `custos run ${run.runId}: this ticket was closed as done, but the check still fails, so custos reopens it. ` +
        'If the risk is accepted, record a suppression (with a reason and an expiry) in the custos config instead of closing the ticket.';
  return [
    { type: 'paragraph', content: [lead] },
    { type: 'paragraph', content: [`Failing (${failing.length}):`] },
    ...itemList(failing),
    { type: 'paragraph', content: reportLine(run) },
  ];
}

export function decisionComment(run: RunRef, resolution: string | undefined, failing: number): TicketDoc {
  const how = resolution === undefined ? 'without a resolution' : `as "${resolution}"`;
  return [
    {
      type: 'paragraph',
      content: [
        `custos run ${run.runId}: this ticket was closed ${how}. custos respects that decision: it will not reopen this ticket or open another for the same problem. ` +
          `The check still fails for ${failing} ${plural(failing, 'resource')}. ` +
          'To record the exception where reports and release gates see it, add a suppression (with a reason and an expiry) to the custos config.',
      ],
    },
    { type: 'paragraph', content: reportLine(run) },
  ];
}

// ---------------------------------------------------------------- standing tickets

export function coverageDescription(items: readonly TicketItem[], run: RunRef): TicketDoc {
  return [
    { type: 'heading', text: 'What could not be assessed' },
    {
      type: 'paragraph',
      content: [
        `custos run ${run.runId} could not assess ${items.length} ${plural(items.length, 'scope')} (account, region, check). ` +
          'Problems there are neither reported nor closed until a run assesses them again: an error is not a pass.',
      ],
    },
    ...itemList(items),
    { type: 'heading', text: 'How to fix it' },
    {
      type: 'paragraph',
      content: [
        'Give the audit role the permissions that ',
        { code: 'custos permissions' },
        ' prints, enable the region or lift the SCP that denies it, and check that each account can be entered. ' +
          'custos updates this ticket in place and closes it when a run has no gaps.',
      ],
    },
    { type: 'heading', text: 'Where to look' },
    { type: 'paragraph', content: reportLine(run) },
  ];
}

export function overflowDescription(items: readonly TicketItem[], max: number, run: RunRef): TicketDoc {
  return [
    { type: 'heading', text: 'What is waiting' },
    {
      type: 'paragraph',
      content: [
        `custos run ${run.runId} found more new problems than it opens tickets for in one run (maxNewPerRun = ${max}). ` +
          `These ${items.length} ${plural(items.length, 'problem')} have no ticket yet; the next runs open them, most severe first.`,
      ],
    },
    ...itemList(items),
    { type: 'heading', text: 'Where to look' },
    { type: 'paragraph', content: reportLine(run) },
  ];
}

export function standingChangedComment(
  run: RunRef,
  what: 'coverage' | 'overflow',
  added: readonly TicketItem[],
  removed: readonly TicketItem[],
  total: number,
): TicketDoc {
  const noun = what === 'coverage' ? 'coverage gaps' : 'problems waiting for a ticket';
  const blocks: Block[] = [{ type: 'paragraph', content: [`custos run ${run.runId}: the ${noun} changed.`] }];
  if (added.length > 0)
    blocks.push({ type: 'paragraph', content: [`New (${added.length}):`] }, ...itemList(added));
  if (removed.length > 0) {
    blocks.push({ type: 'paragraph', content: [`Gone (${removed.length}):`] }, ...itemList(removed));
  }
  blocks.push(
    { type: 'paragraph', content: [`${total} in all.`] },
    { type: 'paragraph', content: reportLine(run) },
  );
  return blocks;
}

export function standingReopenComment(
  run: RunRef,
  what: 'coverage' | 'overflow',
  items: readonly TicketItem[],
): TicketDoc {
  const text =
    what === 'coverage'
      ? `custos run ${run.runId} could not assess everything again: reopening.`
      : `custos run ${run.runId} holds back new problems again (storm guard): reopening.`;
  return [
    { type: 'paragraph', content: [text] },
    ...itemList(items),
    { type: 'paragraph', content: reportLine(run) },
  ];
}

export function standingCloseComment(run: RunRef, what: 'coverage' | 'overflow'): TicketDoc {
  const text =
    what === 'coverage'
      ? `custos run ${run.runId} assessed everything it set out to: no coverage gaps remain, closing.`
      : `custos run ${run.runId}: every problem held back by the storm guard has its own ticket now or no longer fails; closing.`;
  return [
    { type: 'paragraph', content: [text] },
    { type: 'paragraph', content: reportLine(run) },
  ];
}

// ---------------------------------------------------------------- pieces

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

function reportLine(run: RunRef): Inline[] {
  return run.reportPath === undefined
    ? [`Run ${run.runId}.`]
    : ['Report of run ', run.runId, ': ', { code: run.reportPath }];
}

export function itemInline(item: TicketItem): Inline[] {
  const note = item.suppressed === true ? ' — suppressed (an accepted risk, see the config)' : '';
  if (item.resourceId === undefined) return [`${item.text}${note}`];
  return item.region === undefined
    ? [{ code: item.resourceId }, note]
    : [{ code: item.resourceId }, ` (${item.region})${note}`];
}

function itemList(items: readonly TicketItem[]): Block[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, MAX_LISTED).map(itemInline);
  const blocks: Block[] = [{ type: 'list', items: shown }];
  if (items.length > MAX_LISTED) {
    blocks.push({ type: 'paragraph', content: [`… and ${items.length - MAX_LISTED} more: see the report.`] });
  }
  return blocks;
}

function frameworkLines(frameworks: FrameworkRefs): string[] {
  const lines: string[] = [];
  for (const [id, controls] of Object.entries(frameworks) as Array<
    [FrameworkId, readonly string[] | undefined]
  >) {
    if (controls === undefined || controls.length === 0) continue;
    const framework = FRAMEWORKS[id];
    const name =
      framework === undefined ? id : `${framework.name}${framework.version ? ` ${framework.version}` : ''}`;
    lines.push(`${name}: ${controls.join(', ')}`);
  }
  return lines;
}

function remediationBlocks(remediation: Remediation): Block[] {
  const blocks: Block[] = [{ type: 'paragraph', content: [remediation.text] }];
  if (remediation.console !== undefined) {
    blocks.push({ type: 'paragraph', content: [`In the console: ${remediation.console}`] });
  }
  if (remediation.cli !== undefined) blocks.push({ type: 'code', text: remediation.cli });
  return blocks;
}

// ---------------------------------------------------------------- rendering

/** Atlassian Document Format, as Jira Cloud's REST API v3 takes descriptions and comments. */
export interface AdfDocument {
  readonly type: 'doc';
  readonly version: 1;
  readonly content: readonly AdfNode[];
}

export interface AdfNode {
  readonly type: string;
  readonly attrs?: Readonly<Record<string, unknown>>;
  readonly content?: readonly AdfNode[];
  readonly text?: string;
  readonly marks?: ReadonlyArray<{ readonly type: string }>;
}

function adfInline(content: readonly Inline[]): AdfNode[] {
  const nodes: AdfNode[] = [];
  for (const part of content) {
    if (typeof part === 'string') {
      if (part !== '') nodes.push({ type: 'text', text: part });
    } else if (part.code !== '') {
      nodes.push({ type: 'text', text: part.code, marks: [{ type: 'code' }] });
    }
  }
  return nodes;
}

function adfBlock(block: Block): AdfNode {
  switch (block.type) {
    case 'heading':
      return { type: 'heading', attrs: { level: 3 }, content: adfInline([block.text]) };
    case 'paragraph':
      return { type: 'paragraph', content: adfInline(block.content) };
    case 'list':
      return {
        type: 'bulletList',
        content: block.items.map((item) => ({
          type: 'listItem',
          content: [{ type: 'paragraph', content: adfInline(item) }],
        })),
      };
    case 'code':
      return { type: 'codeBlock', attrs: {}, content: adfInline([block.text]) };
  }
}

export function toAdf(doc: TicketDoc): AdfDocument {
  return { type: 'doc', version: 1, content: doc.map(adfBlock) };
}

/** The plain text of an ADF document (what a person reads), for tests and the local sink. */
export function adfText(node: AdfNode | AdfDocument): string {
  if ('text' in node && typeof node.text === 'string') return node.text;
  const parts = (node.content ?? []).map((child) => adfText(child));
  return parts.join(node.type === 'doc' || node.type === 'bulletList' ? '\n' : '');
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]<>#|~])/g, '\\$1').replace(/@(?=\w)/g, '@\u200b');
}

function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function markdownInline(content: readonly Inline[]): string {
  return content
    .map((part) => (typeof part === 'string' ? escapeMarkdown(part) : codeSpan(part.code)))
    .join('');
}

function markdownBlock(block: Block): string {
  switch (block.type) {
    case 'heading':
      return `### ${escapeMarkdown(block.text)}`;
    case 'paragraph':
      return markdownInline(block.content);
    case 'list':
      return block.items.map((item) => `- ${markdownInline(item)}`).join('\n');
    case 'code': {
      const longest = Math.max(2, ...(block.text.match(/`+/g) ?? []).map((run) => run.length));
      const fence = '`'.repeat(longest + 1);
      return `${fence}sh\n${block.text}\n${fence}`;
    }
  }
}

/** GitHub-flavoured Markdown. */
export function toMarkdown(doc: TicketDoc): string {
  return doc.map(markdownBlock).join('\n\n');
}
