/**
 * The short summary a scan prints: what failed, by severity; the checks that fail most; what
 * could not be assessed; where the report is.
 */
import pc from 'picocolors';
import type { Report, Severity } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';
import { describeKind } from '../inventory/errors.js';

type Colors = ReturnType<typeof pc.createColors>;

const LISTED = 10;

const DONE_WORDS: Readonly<Record<string, string>> = {
  create: 'created',
  update: 'updated',
  close: 'closed',
  reopen: 'reopened',
  'note-decision': "commented on a person's decision",
  relabel: 'relabelled',
};

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

function severityColor(c: Colors, severity: Severity): (text: string) => string {
  switch (severity) {
    case 'critical':
      return (t) => c.bold(c.magenta(t));
    case 'high':
      return c.red;
    case 'medium':
      return c.yellow;
    case 'low':
      return c.cyan;
    case 'info':
      return c.dim;
  }
}

export function formatSummary(report: Report, reportPath: string, color = false): string {
  const c = pc.createColors(color);
  const { summary, coverage } = report;
  const lines: string[] = [];
  lines.push(
    c.bold(`custos run ${report.runId}`) +
      `: ${summary.accounts.scanned} of ${summary.accounts.total} account(s) scanned, ` +
      `${summary.targets.scanned} of ${summary.targets.total} target(s) fully assessed`,
  );
  const changes = report.changes;
  if (changes !== undefined && changes.previousRunId !== null) {
    const parts = [
      c.red(`${changes.new} new`),
      c.red(`${changes.regressed} regressed`),
      `${changes.persisting} persisting`,
      c.green(`${changes.resolved.length} resolved`),
      ...(changes.notAssessed.length > 0
        ? [c.yellow(`${changes.notAssessed.length} not assessed this run`)]
        : []),
    ];
    lines.push(`Since ${changes.previousRunId}: ${parts.join(', ')}`);
  }
  const errors = summary.findings.ERROR > 0 ? c.yellow(`${summary.findings.ERROR} ERROR`) : '0 ERROR';
  const suppressed = summary.suppressed > 0 ? `, ${summary.suppressed} suppressed` : '';
  lines.push(
    `Findings: ${c.green(`${summary.findings.PASS} PASS`)}, ${c.red(`${summary.findings.FAIL} FAIL`)}, ${errors}${suppressed}`,
  );
  const bySeverity = SEVERITIES.map((s) => severityColor(c, s)(`${s} ${summary.failBySeverity[s]}`));
  lines.push(`Failing by severity: ${bySeverity.join(', ')}`);
  if (summary.topFailingChecks.length > 0) {
    lines.push('Top failing checks:');
    const width = Math.max(...summary.topFailingChecks.map((t) => t.checkId.length));
    for (const t of summary.topFailingChecks) {
      lines.push(
        `  ${severityColor(c, t.severity)(t.severity.padEnd(8))} ${t.checkId.padEnd(width)}  ${t.count}`,
      );
    }
  }
  const inventory = inventorySources(report);
  if (inventory !== undefined) {
    lines.push(inventory.line);
    listSection(lines, 'Read from the APIs instead of AWS Config', inventory.fallbacks);
  }
  listSection(lines, c.yellow('Not assessed'), coverageGaps(report));
  listSection(lines, 'Not scanned', [
    ...coverage.accounts
      .filter((a) => a.status === 'not-scanned')
      .map((a) => `${a.accountId}: ${a.reason ?? 'not scanned'}`),
    ...coverage.targets
      .filter((t) => t.status === 'not-scanned')
      .map((t) => `${t.accountId} ${t.region}: ${t.reason ?? 'not scanned'}`),
  ]);
  const unassumable = coverage.accounts.filter(
    (a) => a.status === 'error' && a.error?.operation === 'sts:AssumeRole',
  );
  if (unassumable.length > 0) {
    lines.push(
      c.yellow(
        `The audit role could not be assumed in ${unassumable.length} account(s). Deploy the audit role to every ` +
          'member account (deploy/member-role.yml as a StackSet) and check that its trust policy names the ' +
          'scanning principal and the configured ExternalId.',
      ),
    );
  }
  for (const n of coverage.checksNotRun) lines.push(`Check not run: ${n.checkId} (${n.reason})`);
  for (const e of report.suppressions?.expired ?? []) {
    lines.push(
      c.yellow(
        `Suppression ${e.index} expired on ${e.expires} ("${e.reason}"): ${e.failing} failing finding(s) it covered are open again`,
      ),
    );
  }
  const tickets = report.tickets;
  if (tickets !== undefined) {
    const done = Object.entries(tickets.done)
      .map(([action, count]) => `${count} ${DONE_WORDS[action] ?? action}`)
      .join(', ');
    const status =
      tickets.status === 'failed'
        ? c.yellow(`failed (${tickets.error ?? 'tracker unavailable'}); the next run catches up`)
        : `${done === '' ? 'nothing to do' : done}${tickets.notDone.length > 0 ? c.yellow(`, ${tickets.notDone.length} not done`) : ''}`;
    lines.push(`Tickets (${tickets.target}): ${status}`);
  }
  lines.push(`Report: ${reportPath}`);
  return lines.join('\n');
}

/** With AWS Config as the source: how much it answered, how old that was, and what it could not answer. */
function inventorySources(report: Report): { line: string; fallbacks: string[] } | undefined {
  let fromConfig = 0;
  let oldest: string | undefined;
  let sourceName: string | undefined;
  const fallbacks = new Map<string, number>();
  for (const target of report.coverage.targets) {
    for (const result of Object.values(target.collectors)) {
      const source = result?.source;
      if (source === undefined) continue;
      if (source.source === 'api') {
        const reason = source.fallback ?? 'read from the API';
        fallbacks.set(reason, (fallbacks.get(reason) ?? 0) + 1);
        continue;
      }
      sourceName = source.source;
      fromConfig += 1;
      if (source.oldestCapture !== undefined && (oldest === undefined || source.oldestCapture < oldest)) {
        oldest = source.oldestCapture;
      }
    }
  }
  if (sourceName === undefined && fallbacks.size === 0) return undefined;
  const age = oldest === undefined ? '' : `, oldest item captured ${oldest}`;
  return {
    line: `Inventory: AWS Config (${sourceName ?? 'not reachable'}) answered ${fromConfig} collector read(s)${age}`,
    fallbacks: [...fallbacks].map(([reason, count]) => `${reason} (${count})`),
  };
}

function listSection(lines: string[], heading: string, items: readonly string[]): void {
  if (items.length === 0) return;
  lines.push(`${heading} (${items.length}):`);
  for (const item of items.slice(0, LISTED)) lines.push(`  ${item}`);
  if (items.length > LISTED) lines.push(`  ... and ${items.length - LISTED} more in the report's coverage`);
}

function coverageGaps(report: Report): string[] {
  const gaps: string[] = [];
  for (const a of report.coverage.accounts) {
    if (a.status === 'error') gaps.push(`${a.accountId}: ${a.reason ?? 'error'}`);
  }
  for (const t of report.coverage.targets) {
    if (t.status !== 'error') continue;
    for (const [id, result] of Object.entries(t.collectors)) {
      if (result !== undefined && !result.ok) {
        gaps.push(
          `${t.accountId} ${t.region}: ${id}: ${describeKind(result.error.kind)} (${result.error.code})`,
        );
      }
    }
  }
  return gaps;
}
