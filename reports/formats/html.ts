/**
 * `report.html`: one self-contained page for a security engineer. It loads nothing: styles and
 * script are inline (and allowed by hash in a Content-Security-Policy that forbids every fetch),
 * charts are inline SVG drawn here, and the findings are embedded once as compact JSON that the
 * page renders a page of rows at a time, so a run with 50,000 findings stays a few megabytes.
 *
 * Everything a finding carries is attacker-controlled (resource names, tags, messages that
 * quote them): server-rendered text is escaped, embedded data cannot end its script element,
 * and the page script builds nodes with DOM calls only (the CSP makes Chromium enforce that with
 * Trusted Types).
 */
import { createHash } from 'node:crypto';
import {
  type FailureState,
  type Finding,
  type NotAssessedFinding,
  type Report,
  type ResolvedFinding,
  SEVERITIES,
  SEVERITY_RANK,
  type Severity,
} from '../../core/types.js';
import { type BarRow, barChart, type TrendPoint, trendChart } from './html/charts.js';
import { CLIENT_SCRIPT } from './html/client.js';
import { type CoverageGaps, coverageGaps } from './html/coverage.js';
import { type EncodeStats, encodeFindings, FRAMEWORK_SHORT } from './html/data.js';
import { escapeHtml as e, formatCount, formatInstant } from './html/escape.js';
import { type ControlRow, ControlTally, type FrameworkMatrix } from './html/matrix.js';
import { STYLES } from './html/styles.js';

export { type CoverageGaps, coverageGaps } from './html/coverage.js';
export { type CompactData, type EncodeStats, encodeFindings } from './html/data.js';
export { escapeHtml, jsonForScript } from './html/escape.js';
export {
  type ControlCounts,
  type ControlRow,
  type ControlStatus,
  ControlTally,
  controlMatrix,
  controlStatus,
  type FrameworkMatrix,
} from './html/matrix.js';

export interface HtmlTrendPoint {
  readonly runId: string;
  readonly finishedAt: string;
  readonly failBySeverity: Record<Severity, number>;
  readonly error: number;
}

export interface HtmlOptions {
  /**
   * Runs for the trend chart, in any order, with or without this run (it is added when missing).
   * The chart is left out when there is none, or only this run.
   */
  readonly trend?: ReadonlyArray<HtmlTrendPoint>;
}

/**
 * The page aims to stay under this many bytes (it does for 50,000 findings and well beyond: see
 * encodeFindings); the findings data gets what the rest of the page leaves.
 */
export const HTML_SIZE_LIMIT = 4_800_000;
/** Rows listed in server-rendered lists (resolved, not assessed, gap details) before "and N more". */
const LIST_LIMIT = 200;
const CHART_ROWS = 15;
const TREND_RUNS = 30;

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

function badge(kind: string, text: string): string {
  return `<span class="badge b-${e(kind)}">${e(text)}</span>`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

function more(shown: number, total: number, where = 'report.json'): string {
  return total > shown ? `<p class="muted">… and ${formatCount(total - shown)} more in ${e(where)}.</p>` : '';
}

// ---------------------------------------------------------------- header and headline

function header(report: HtmlRun): string {
  const { summary, scope } = report;
  const regions =
    scope.regions === 'all'
      ? 'all enabled'
      : scope.regions.length > 8
        ? `${scope.regions.slice(0, 8).join(', ')} +${scope.regions.length - 8}`
        : scope.regions.join(', ') || 'none';
  const accountsDetail = [
    summary.accounts.errored > 0 ? `${formatCount(summary.accounts.errored)} could not be entered` : '',
    summary.accounts.notScanned > 0 ? `${formatCount(summary.accounts.notScanned)} not scanned` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const durationMs = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  const duration =
    Number.isFinite(durationMs) && durationMs >= 0
      ? ` (${durationMs < 120_000 ? `${Math.round(durationMs / 1000)} s` : `${Math.round(durationMs / 60_000)} min`})`
      : '';
  const item = (label: string, value: string, title?: string) =>
    `<div><dt>${e(label)}</dt><dd${title === undefined ? '' : ` title="${e(title)}"`}>${value}</dd></div>`;
  return `<header class="top"><div class="wrap">
<div class="brand"><h1><span class="product">custos</span> AWS configuration report</h1></div>
<dl class="meta">
${item('Run', `<span class="mono">${e(report.runId)}</span>`)}
${item('As of', e(formatInstant(report.asOf)), report.asOf)}
${item('Finished', `${e(formatInstant(report.finishedAt))}${e(duration)}`, report.finishedAt)}
${item('Accounts scanned', `${formatCount(summary.accounts.scanned)} of ${formatCount(summary.accounts.total)}${accountsDetail === '' ? '' : ` <span class="muted">(${e(accountsDetail)})</span>`}`)}
${item('Targets scanned', `${formatCount(summary.targets.scanned)} of ${formatCount(summary.targets.total)}${summary.targets.errored > 0 ? ` <span class="muted">(${formatCount(summary.targets.errored)} in error)</span>` : ''}`)}
${item('Scope', `${plural(scope.accounts.length, 'account')} · regions: ${e(regions)} · ${plural(scope.checks.length, 'check')}`, scope.regions === 'all' ? undefined : scope.regions.join(', '))}
${item('Tool', `custos ${e(report.toolVersion)}`)}
${item('Config digest', `<span class="mono">${e(report.configDigest.slice(0, 16))}</span>`, report.configDigest)}
</dl></div></header>`;
}

function card(options: {
  kind: string;
  value: number;
  label: string;
  sub?: string;
  filter?: string;
  href?: string;
}): string {
  const inner = `<div class="n">${formatCount(options.value)}</div><div class="l">${e(options.label)}</div>${
    options.sub === undefined ? '' : `<div class="s">${e(options.sub)}</div>`
  }`;
  if (options.filter !== undefined) {
    return `<button type="button" class="card k-${options.kind}" data-filter="${e(options.filter)}" title="Show these in the findings table">${inner}</button>`;
  }
  if (options.href !== undefined) {
    return `<a class="card k-${options.kind}" href="${e(options.href)}">${inner}</a>`;
  }
  return `<div class="card k-${options.kind}">${inner}</div>`;
}

function headline(report: HtmlRun, gaps: CoverageGaps): string {
  const { summary, changes } = report;
  const parts: string[] = ['<section id="summary" class="block" aria-label="Summary">'];
  if (changes !== undefined) {
    const since =
      changes.previousRunId === null
        ? 'First run: no earlier run to compare with'
        : `What changed since run ${changes.previousRunId}`;
    parts.push(`<div class="group-label">${e(since)}</div><div class="cards">`);
    parts.push(
      card({ kind: 'new', value: changes.new, label: 'New failures', filter: 'status:FAIL|change:new' }),
      card({
        kind: 'error',
        value: changes.regressed,
        label: 'Regressed',
        sub: 'fixed before, failing again',
        filter: 'status:FAIL|change:regressed',
      }),
      card({
        kind: 'neutral',
        value: changes.persisting,
        label: 'Persisting',
        filter: 'status:FAIL|change:persisting',
      }),
      card({ kind: 'pass', value: changes.resolved.length, label: 'Resolved', href: '#changes' }),
      card({
        kind: 'gap',
        value: changes.notAssessed.length,
        label: 'Not assessed since',
        href: '#not-assessed',
      }),
    );
    parts.push('</div>');
  }
  const failing = SEVERITIES.reduce((n, s) => n + summary.failBySeverity[s], 0);
  parts.push(
    `<div class="group-label">This run: ${e(plural(failing, 'failing finding'))}</div><div class="cards">`,
  );
  for (const severity of SEVERITIES) {
    parts.push(
      card({
        kind: severity,
        value: summary.failBySeverity[severity],
        label: `${severity[0]!.toUpperCase()}${severity.slice(1)}`,
        filter: `status:FAIL|sev:${severity}`,
      }),
    );
  }
  parts.push(
    card({
      kind: 'error',
      value: summary.findings.ERROR,
      label: 'Not assessed',
      sub: 'ERROR findings',
      filter: 'status:ERROR',
    }),
    card({
      kind: 'gap',
      value: gaps.total,
      label: 'Coverage gaps',
      href: '#coverage',
    }),
    card({ kind: 'pass', value: summary.findings.PASS, label: 'Passing', filter: 'status:PASS' }),
    card({ kind: 'neutral', value: summary.suppressed, label: 'Suppressed', filter: 'status:suppressed' }),
  );
  parts.push('</div></section>');
  return parts.join('\n');
}

// ---------------------------------------------------------------- coverage

function coveragePanel(gaps: CoverageGaps): string {
  if (gaps.total === 0 && gaps.errorFindings === 0) {
    return `<section id="coverage" class="block"><div class="panel complete" role="region" aria-labelledby="coverage-h">
<h2 id="coverage-h">Complete coverage</h2>
<p>Every selected account, region, collector and check was assessed; no finding is ERROR.</p>
</div></section>`;
  }
  const columns: string[] = [];
  if (gaps.accounts.length > 0) {
    const items = gaps.accounts.slice(0, LIST_LIMIT).map((a) => {
      const what = a.status === 'error' ? 'could not be entered' : 'not scanned';
      const name = a.name === undefined ? '' : ` ${e(a.name)}`;
      return `<li><strong class="mono">${e(a.accountId)}</strong>${name} ${e(what)}: <span class="reason">${e(a.reason)}</span></li>`;
    });
    columns.push(
      `<div><h3>Accounts not scanned (${formatCount(gaps.accounts.length)})</h3><ul>${items.join('')}</ul>${more(LIST_LIMIT, gaps.accounts.length)}</div>`,
    );
  }
  if (gaps.regions.length > 0) {
    const count = gaps.regions.reduce((n, g) => n + g.accountIds.length, 0);
    const items = gaps.regions.slice(0, LIST_LIMIT).map((g) => {
      const accounts = g.accountIds.slice(0, 50).join(', ') + (g.accountIds.length > 50 ? ', …' : '');
      const verb = g.status === 'error' ? 'failed' : 'not scanned';
      return `<li><strong class="mono">${e(g.region)}</strong> ${verb} in ${e(plural(g.accountIds.length, 'account'))}: <span class="reason">${e(g.reason)}</span><br><span class="mono reason">${e(accounts)}</span></li>`;
    });
    columns.push(
      `<div><h3>Regions not scanned or failed (${formatCount(count)} ${count === 1 ? 'target' : 'targets'})</h3><ul>${items.join('')}</ul>${more(LIST_LIMIT, gaps.regions.length)}</div>`,
    );
  }
  if (gaps.collectors.length > 0) {
    const count = gaps.collectors.reduce((n, g) => n + g.targets.length, 0);
    const items = gaps.collectors.slice(0, LIST_LIMIT).map((g) => {
      const targets =
        g.targets
          .slice(0, 30)
          .map((t) => `${t.accountId}/${t.region}`)
          .join(', ') + (g.targets.length > 30 ? ', …' : '');
      return `<li><code>${e(g.collector)}</code> ${e(g.reason)} in ${e(plural(g.targets.length, 'target'))}: <span class="reason">${e(g.message)}</span><br><span class="mono reason">${e(targets)}</span></li>`;
    });
    columns.push(
      `<div><h3>Collectors in error (${formatCount(count)} ${count === 1 ? 'target' : 'targets'})</h3><ul>${items.join('')}</ul>${more(LIST_LIMIT, gaps.collectors.length)}</div>`,
    );
  }
  if (gaps.checksNotRun.length > 0) {
    const items = gaps.checksNotRun
      .slice(0, LIST_LIMIT)
      .map((c) => `<li><code>${e(c.checkId)}</code>: <span class="reason">${e(c.reason)}</span></li>`);
    columns.push(
      `<div><h3>Checks not run (${formatCount(gaps.checksNotRun.length)})</h3><ul>${items.join('')}</ul>${more(LIST_LIMIT, gaps.checksNotRun.length)}</div>`,
    );
  }
  const errors =
    gaps.errorFindings > 0
      ? `<p><button type="button" class="linkish" data-filter="status:ERROR">Show the ${e(plural(gaps.errorFindings, 'ERROR finding'))}</button>: resources and scopes that could not be assessed.</p>`
      : '';
  const title =
    gaps.total > 0
      ? `Coverage gaps: ${plural(gaps.total, 'gap')}`
      : `Coverage gaps: ${plural(gaps.errorFindings, 'finding')} not assessed`;
  return `<section id="coverage" class="block"><div class="panel gaps" role="region" aria-labelledby="coverage-h">
<h2 id="coverage-h">${e(title)}</h2>
<p>Parts of the estate were not assessed. What custos could not see is neither passing nor failing: treat it as unknown.</p>
${columns.length > 0 ? `<div class="gap-grid">${columns.join('\n')}</div>` : ''}
${errors}
</div></section>`;
}

// ---------------------------------------------------------------- changes

function bySeverity<T extends { severity: Severity; checkId: string }>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.checkId.localeCompare(b.checkId),
  );
}

function changeRow(
  item: ResolvedFinding | NotAssessedFinding,
  extra: readonly string[],
  accountNames: ReadonlyMap<string, string>,
): string {
  const name = accountNames.get(item.accountId);
  return `<tr><td>${badge(item.severity, item.severity)}</td><td><span class="mono">${e(item.checkId)}</span><br><span class="muted">${e(item.title)}</span></td><td class="mono">${e(item.accountId)}${name === undefined ? '' : `<br><span class="muted">${e(name)}</span>`}</td><td>${e(item.region)}</td><td class="mono">${e(item.resourceId)}</td>${extra.map((x) => `<td>${x}</td>`).join('')}</tr>`;
}

function changesSection(report: HtmlRun, accountNames: ReadonlyMap<string, string>): string {
  const changes = report.changes;
  if (changes === undefined) return '';
  const head = (extra: readonly string[]) =>
    `<thead><tr><th>Severity</th><th>Check</th><th>Account</th><th>Region</th><th>Resource</th>${extra.map((x) => `<th>${e(x)}</th>`).join('')}</tr></thead>`;
  const resolved = bySeverity(changes.resolved);
  const notAssessed = bySeverity(changes.notAssessed);
  const stateLabel: Record<FailureState, string> = {
    new: 'new',
    persisting: 'persisting',
    regressed: 'regressed',
  };
  const resolvedTable =
    resolved.length === 0
      ? '<p class="muted">Nothing that failed before passes now.</p>'
      : `<div class="scroll"><table>${head(['First failed', 'How'])}<tbody>${resolved
          .slice(0, LIST_LIMIT)
          .map((r) =>
            changeRow(
              r,
              [
                e(formatInstant(r.firstSeen)),
                r.how === 'passes' ? 'passes now' : 'resource gone (scope fully assessed)',
              ],
              accountNames,
            ),
          )
          .join('')}</tbody></table></div>${more(LIST_LIMIT, resolved.length)}`;
  const notAssessedTable =
    notAssessed.length === 0
      ? '<p class="muted">Everything that failed before was assessed again.</p>'
      : `<div class="scroll"><table>${head(['Was', 'First failed', 'Last assessed'])}<tbody>${notAssessed
          .slice(0, LIST_LIMIT)
          .map((n) =>
            changeRow(
              n,
              [
                e(stateLabel[n.previousState]),
                e(formatInstant(n.firstSeen)),
                `<span class="mono">${e(formatInstant(n.notAssessedSince))}</span>`,
              ],
              accountNames,
            ),
          )
          .join('')}</tbody></table></div>${more(LIST_LIMIT, notAssessed.length)}`;
  const title =
    changes.previousRunId === null
      ? 'What changed (first run)'
      : `What changed since run ${changes.previousRunId}`;
  return `<section id="changes" class="block"><h2>${e(title)}</h2>
<div class="card-box">
<details class="change-list"${resolved.length > 0 && resolved.length <= 50 ? ' open' : ''}><summary class="box-head"><strong>Resolved (${formatCount(resolved.length)})</strong> <span class="muted">failed in an earlier run, pass or are gone now</span></summary>${resolvedTable}</details>
</div>
<div class="card-box" id="not-assessed">
<details class="change-list"${notAssessed.length > 0 ? ' open' : ''}><summary class="box-head"><strong>Not assessed since an earlier run (${formatCount(notAssessed.length)})</strong> <span class="muted">failed before and could not be assessed this run: not resolved</span></summary>${notAssessedTable}</details>
</div></section>`;
}

// ---------------------------------------------------------------- charts

function legend(withError: boolean): string {
  return `<div class="legend">${SEVERITIES.map((s) => `<span><i class="l-${s}"></i>${s}</span>`).join('')}${
    withError ? '<span><i class="l-error"></i>not assessed (ERROR)</span>' : ''
  }</div>`;
}

function chartsSection(
  report: HtmlRun,
  tally: FindingTally,
  options: HtmlOptions,
  accountNames: ReadonlyMap<string, string>,
) {
  const { byAccount, byCheck } = tally;
  const severityRows: BarRow[] = SEVERITIES.map((severity) => ({
    label: severity,
    filter: `status:FAIL|sev:${severity}`,
    segments: [{ severity, value: report.summary.failBySeverity[severity] }],
  }));
  const weight = (counts: Record<Severity, number>) =>
    SEVERITIES.reduce((n, s) => n + counts[s] * 1000 ** SEVERITY_RANK[s], 0);
  const total = (counts: Record<Severity, number>) => SEVERITIES.reduce((n, s) => n + counts[s], 0);
  const accounts = [...byAccount.entries()].sort(
    ([a, x], [b, y]) => total(y) - total(x) || weight(y) - weight(x) || a.localeCompare(b),
  );
  const accountRows: BarRow[] = accounts.slice(0, CHART_ROWS).map(([accountId, counts]) => {
    const name = accountNames.get(accountId);
    return {
      label: name === undefined ? accountId : `${name} · ${accountId}`,
      title: name === undefined ? accountId : `${name} (${accountId})`,
      filter: `status:FAIL|account:${accountId}`,
      segments: SEVERITIES.map((severity) => ({ severity, value: counts[severity] })),
    };
  });
  const checks = [...byCheck.entries()].sort(
    ([a, x], [b, y]) =>
      y.count - x.count || SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity] || a.localeCompare(b),
  );
  const checkRows: BarRow[] = checks.slice(0, CHART_ROWS).map(([checkId, c]) => ({
    label: checkId,
    filter: `status:FAIL|check:${checkId}`,
    segments: [{ severity: c.severity, value: c.count }],
  }));

  let trend = '';
  if (options.trend !== undefined && options.trend.length > 0) {
    const points: TrendPoint[] = [...options.trend]
      .sort((a, b) => a.finishedAt.localeCompare(b.finishedAt))
      .map((p) => ({ ...p, current: p.runId === report.runId }));
    if (!points.some((p) => p.current === true)) {
      points.push({
        runId: report.runId,
        finishedAt: report.finishedAt,
        failBySeverity: { ...report.summary.failBySeverity },
        error: report.summary.findings.ERROR,
        current: true,
      });
    }
    const shown = points.slice(-TREND_RUNS);
    // One run is not a trend: the card appears from the second run on.
    if (shown.length >= 2)
      trend = `<div class="chart-card"><h3>Trend over the last ${e(plural(shown.length, 'run'))}</h3>${trendChart(shown)}${legend(shown.some((p) => p.error > 0))}</div>`;
  }
  const accountNote =
    accounts.length > CHART_ROWS
      ? `<p class="muted">Top ${CHART_ROWS} of ${formatCount(accounts.length)} accounts with failures.</p>`
      : '';
  const checkNote =
    checks.length > CHART_ROWS
      ? `<p class="muted">Top ${CHART_ROWS} of ${formatCount(checks.length)} failing checks.</p>`
      : '';
  return `<section id="charts" class="block"><h2>Failing findings</h2>
<p class="muted noprint">Unsuppressed FAIL findings. Click a bar to list its findings.</p>
<div class="charts">
<div class="chart-card"><h3>By severity</h3>${barChart(severityRows, 'Failing findings by severity')}</div>
${trend}
<div class="chart-card"><h3>By account</h3>${barChart(accountRows, 'Failing findings by account')}${accountRows.length > 0 ? legend(false) : ''}${accountNote}</div>
<div class="chart-card"><h3>By check (top ${CHART_ROWS})</h3>${barChart(checkRows, 'Failing findings by check')}${checkNote}</div>
</div></section>`;
}

// ---------------------------------------------------------------- findings table

function findingsSection(report: HtmlRun, tally: FindingTally, embedded: number): string {
  const hasHistory = report.changes !== undefined || tally.hasHistory;
  const open = report.summary.findings.FAIL - tally.failingSuppressed + report.summary.findings.ERROR;
  const statusOptions: Array<[string, string]> = [
    ['open', 'Open: FAIL + ERROR'],
    ['FAIL', 'Failing'],
    ['ERROR', 'Not assessed (ERROR)'],
    ['PASS', 'Passing'],
    ['suppressed', 'Suppressed'],
    ['all', 'All findings'],
  ];
  const defaultStatus = open > 0 ? 'open' : 'all';
  const select = (id: string, label: string, options: Array<[string, string]>, selected = '') =>
    `<label${id === 'f-status' ? ' class="wide"' : ''}>${e(label)}<select id="${id}">${options
      .map(
        ([value, text]) =>
          `<option value="${e(value)}"${value === selected ? ' selected' : ''}>${e(text)}</option>`,
      )
      .join('')}</select></label>`;
  const sortable = (key: string, label: string) =>
    `<th scope="col" data-key="${key}"><button type="button">${e(label)}</button></th>`;
  return `<section id="findings" class="block"><h2>Findings</h2>
${embedded < tally.total ? capNote(tally.total, embedded) : ''}<div class="card-box">
<div class="filters" role="search">
<label class="grow">Search<input id="f-q" type="search" placeholder="Resource, account, check, message, fingerprint…" autocomplete="off" spellcheck="false"></label>
${select('f-status', 'Status', statusOptions, defaultStatus)}
${select('f-sev', 'Severity', [['', 'All severities'], ...SEVERITIES.map((s): [string, string] => [s, s])])}
${select('f-check', 'Check', [['', 'All checks']])}
${select('f-account', 'Account', [['', 'All accounts']])}
${select('f-region', 'Region', [['', 'All regions']])}
${
  hasHistory
    ? select('f-change', 'Change', [
        ['', 'Any'],
        ['new', 'New'],
        ['regressed', 'Regressed'],
        ['persisting', 'Persisting'],
      ])
    : ''
}
</div>
<div class="toolbar"><span id="count" class="count" aria-live="polite">${e(plural(tally.total, 'finding'))}</span>
<button type="button" id="reset">Reset</button>
<div class="pager"><label class="muted">Rows <select id="page-size"><option>25</option><option selected>50</option><option>100</option><option>250</option></select></label>
<button type="button" id="first" aria-label="First page">«</button><button type="button" id="prev">‹ Prev</button>
<span id="page-info" class="muted"></span>
<button type="button" id="next">Next ›</button><button type="button" id="last" aria-label="Last page">»</button></div></div>
<div class="scroll"><table class="findings">
<colgroup><col class="c-sev"><col class="c-status"><col class="c-check"><col class="c-account"><col class="c-region"><col class="c-resource"><col class="c-message"></colgroup>
<thead><tr>${sortable('sev', 'Severity')}${sortable('status', 'Status')}${sortable('check', 'Check')}${sortable('account', 'Account')}${sortable('region', 'Region')}${sortable('resource', 'Resource')}<th scope="col">Finding</th></tr></thead>
<tbody id="rows"><tr class="empty"><td colspan="7">Loading findings…</td></tr></tbody>
</table></div>
<noscript><p class="muted">The findings table needs JavaScript. report.json and findings.csv list every finding.</p></noscript>
</div></section>`;
}

/** What the page says when it holds only part of a very large run. */
function capNote(total: number, embedded: number): string {
  return `<p class="panel gaps" role="note"><strong>This run has ${e(plural(total, 'finding'))}; the page holds ${e(formatCount(embedded))} of them</strong> (at most ${e(formatCount(HTML_MAX_FINDINGS))}): the unsuppressed failures from the most severe down, then the ERROR findings, then the rest, each in report order. The counts, charts and control matrix cover every finding; report.json and findings.csv list them all.</p>
`;
}

// ---------------------------------------------------------------- control matrix

const STATUS_LABEL: Record<ControlRow['status'], string> = {
  FAIL: 'FAIL',
  ERROR: 'ERROR',
  PASS: 'PASS',
  NOT_ASSESSED: 'not assessed',
};

function matrixPanel(matrix: FrameworkMatrix): string {
  const { totals } = matrix;
  const rows = matrix.controls.map((c) => {
    const title = c.title === '' ? '<span class="muted">(not in the catalogue)</span>' : e(c.title);
    const cite = c.citation === undefined ? '' : ` title="${e(c.citation)}"`;
    const num = (n: number) =>
      `<td class="num">${n === 0 ? '<span class="muted">0</span>' : formatCount(n)}</td>`;
    return `<tr class="st-${c.status}"><td class="control"${cite}>${e(c.controlId)}</td><td>${title}</td><td>${badge(c.status, STATUS_LABEL[c.status])}</td>${num(c.counts.fail)}${num(c.counts.error)}${num(c.counts.pass)}${num(c.counts.suppressed)}<td class="checks">${c.checkIds.map((id) => e(id)).join('<br>')}</td></tr>`;
  });
  const summary = [
    `${plural(matrix.controls.length, 'control')}`,
    `${formatCount(totals.FAIL)} failing`,
    `${formatCount(totals.ERROR)} in error`,
    `${formatCount(totals.PASS)} passing`,
    `${formatCount(totals.NOT_ASSESSED)} not assessed`,
  ].join(' · ');
  const name = `${matrix.name}${matrix.version === undefined ? '' : ` v${matrix.version}`}`;
  return `<div class="tabpanel" role="tabpanel" id="panel-${e(matrix.frameworkId)}" aria-labelledby="tab-${e(matrix.frameworkId)}">
<div class="box-head"><strong>${e(name)}</strong><span class="muted">${e(summary)}</span></div>
${
  matrix.controls.length === 0
    ? '<p class="muted box-head">No custos check maps to this framework.</p>'
    : `<div class="scroll"><table class="matrix"><thead><tr><th>Control</th><th>Title</th><th>Status</th><th class="num">Fail</th><th class="num">Error</th><th class="num">Pass</th><th class="num">Suppressed</th><th>Checks</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
}
</div>`;
}

function controlsSection(matrices: readonly FrameworkMatrix[]): string {
  const tabs = matrices.map((m) => {
    const flag = m.totals.FAIL > 0 ? ` <span class="badge b-FAIL">${formatCount(m.totals.FAIL)}</span>` : '';
    return `<button type="button" role="tab" id="tab-${e(m.frameworkId)}" aria-controls="panel-${e(m.frameworkId)}" aria-selected="false">${e(FRAMEWORK_SHORT[m.frameworkId])}${flag}</button>`;
  });
  return `<section id="controls" class="block"><h2>Control matrix</h2>
<p class="muted">Each control that custos checks map to. FAIL when any unsuppressed finding fails, else ERROR when any could not be assessed, else PASS; not assessed when none of its checks produced a finding in this run. HIPAA, GDPR and FERPA mappings are custos's own reading of the cited clauses.</p>
<div class="card-box">
<div class="tabs" role="tablist" aria-label="Framework">${tabs.join('')}</div>
${matrices.map(matrixPanel).join('\n')}
</div></section>`;
}

// ---------------------------------------------------------------- page

export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const page = new HtmlPage(report, options, embedCounts(report.findings));
  for (const finding of report.findings) page.add(finding);
  return page.render();
}

/**
 * `renderHtml` as the findings come, batch by batch: the same page. The summary says how many
 * findings of each kind there are, which decides up front which ones a very large run embeds.
 */
export async function* htmlChunks(
  report: HtmlRun,
  findings: AsyncIterable<readonly Finding[]>,
  options: HtmlOptions = {},
): AsyncGenerator<string> {
  const page = new HtmlPage(report, options, embedCountsOf(report.summary));
  for await (const batch of findings) for (const finding of batch) page.add(finding);
  yield page.render();
}

/** The report without its findings: what the page needs beyond the findings themselves. */
export type HtmlRun = Omit<Report, 'findings'>;

/**
 * The most findings the page embeds. A run with more embeds the open ones first (unsuppressed
 * FAIL from critical down, then ERROR), then the rest, each kind in report order: the page stays
 * a few megabytes and the browser responsive. Counts, charts and the control matrix cover all.
 */
export const HTML_MAX_FINDINGS = 50_000;

/** The kinds of finding in the order a capped page embeds them. */
type EmbedKind = `fail-${Severity}` | 'error' | 'rest';
const EMBED_ORDER: readonly EmbedKind[] = [...SEVERITIES.map((s) => `fail-${s}` as const), 'error', 'rest'];

function embedKind(finding: Finding): EmbedKind {
  if (finding.status === 'FAIL' && finding.suppressed === undefined) return `fail-${finding.severity}`;
  return finding.status === 'ERROR' ? 'error' : 'rest';
}

function embedCounts(findings: readonly Finding[]): Record<EmbedKind, number> {
  const counts = Object.fromEntries(EMBED_ORDER.map((kind) => [kind, 0])) as Record<EmbedKind, number>;
  for (const finding of findings) counts[embedKind(finding)] += 1;
  return counts;
}

function embedCountsOf(summary: Report['summary']): Record<EmbedKind, number> {
  const total = summary.findings.PASS + summary.findings.FAIL + summary.findings.ERROR;
  const counts = Object.fromEntries(EMBED_ORDER.map((kind) => [kind, 0])) as Record<EmbedKind, number>;
  let open = 0;
  for (const severity of SEVERITIES) {
    counts[`fail-${severity}`] = summary.failBySeverity[severity];
    open += summary.failBySeverity[severity];
  }
  counts.error = summary.findings.ERROR;
  counts.rest = Math.max(0, total - open - summary.findings.ERROR);
  return counts;
}

/** What the page shows of every finding, counted as they come. */
class FindingTally {
  total = 0;
  hasHistory = false;
  failingSuppressed = 0;
  readonly byAccount = new Map<string, Record<Severity, number>>();
  readonly byCheck = new Map<string, { severity: Severity; count: number }>();
  readonly controls = new ControlTally();

  add(finding: Finding): void {
    this.total += 1;
    if (finding.history !== undefined) this.hasHistory = true;
    this.controls.add(finding);
    if (finding.status !== 'FAIL') return;
    if (finding.suppressed !== undefined) {
      this.failingSuppressed += 1;
      return;
    }
    const account = this.byAccount.get(finding.accountId) ?? {
      critical: 0,
      high: 0,
      medium: 0,
      low: 0,
      info: 0,
    };
    account[finding.severity] += 1;
    this.byAccount.set(finding.accountId, account);
    const check = this.byCheck.get(finding.checkId) ?? { severity: finding.severity, count: 0 };
    check.count += 1;
    this.byCheck.set(finding.checkId, check);
  }
}

/** The page, built from the report's header, a tally of every finding and the findings it embeds. */
class HtmlPage {
  private readonly tally = new FindingTally();
  private readonly embedded: Finding[] = [];
  /** How many of each kind the page embeds: all of them unless the run exceeds the cap. */
  private readonly quota: Record<EmbedKind, number>;

  constructor(
    private readonly report: HtmlRun,
    private readonly options: HtmlOptions,
    counts: Record<EmbedKind, number>,
  ) {
    const quota = { ...counts };
    const total = EMBED_ORDER.reduce((n, kind) => n + counts[kind], 0);
    let room = HTML_MAX_FINDINGS;
    for (const kind of EMBED_ORDER) {
      quota[kind] = total <= HTML_MAX_FINDINGS ? Number.POSITIVE_INFINITY : Math.min(counts[kind], room);
      room -= Math.min(counts[kind], room);
    }
    this.quota = quota;
  }

  add(finding: Finding): void {
    this.tally.add(finding);
    const kind = embedKind(finding);
    if (this.quota[kind] <= 0 || this.embedded.length >= HTML_MAX_FINDINGS) return;
    this.quota[kind] -= 1;
    this.embedded.push(finding);
  }

  render(): string {
    const { report, options, tally, embedded } = this;
    const capped = embedded.length < tally.total;
    const accountNames = new Map<string, string>();
    for (const account of report.coverage.accounts) {
      if (account.name !== undefined) accountNames.set(account.accountId, account.name);
    }
    const gaps = coverageGaps(report);
    const csp = [
      "default-src 'none'",
      `script-src 'sha256-${sha256Base64(CLIENT_SCRIPT)}'`,
      `style-src 'sha256-${sha256Base64(STYLES)}'`,
      "img-src 'none'",
      "connect-src 'none'",
      "font-src 'none'",
      "media-src 'none'",
      "object-src 'none'",
      "frame-src 'none'",
      "worker-src 'none'",
      "manifest-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "require-trusted-types-for 'script'",
      "trusted-types 'none'",
    ].join('; ');
    const before = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="custos ${e(report.toolVersion)}">
<title>custos report ${e(report.runId)}</title>
<style>${STYLES}</style>
</head>
<body>
${header(report)}
<nav class="sections" aria-label="Sections"><div class="wrap"><a href="#summary">Summary</a><a href="#coverage">Coverage</a>${report.changes === undefined ? '' : '<a href="#changes">Changes</a>'}<a href="#charts">Charts</a><a href="#findings">Findings</a><a href="#controls">Controls</a></div></nav>
<main class="wrap">
${headline(report, gaps)}
${coveragePanel(gaps)}
${changesSection(report, accountNames)}
${chartsSection(report, tally, options, accountNames)}
${findingsSection(report, tally, embedded.length)}
${controlsSection(tally.controls.matrices())}
`;
    const dataOpen = '<script type="application/json" id="custos-data">';
    const afterData = `</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
    const footerFor = (stats: Omit<EncodeStats, 'bytes'>) => {
      const notes = [
        `${plural(embedded.length - stats.passOmitted, 'finding')} embedded`,
        capped
          ? `${plural(tally.total - embedded.length, 'more finding')} not embedded: the page holds at most ${formatCount(HTML_MAX_FINDINGS)} (report.json and findings.csv list every finding)`
          : '',
        stats.passOmitted > 0
          ? `${plural(stats.passOmitted, 'PASS finding')} left out to stay under the size limit (report.json has them)`
          : '',
        stats.evidenceOmitted > 0
          ? `evidence kept for the ${formatCount(stats.evidenceKept)} most severe, left out for ${formatCount(stats.evidenceOmitted)} to stay under ${Math.floor(HTML_SIZE_LIMIT / 1_000_000)} MB (report.json has all of it)`
          : 'evidence included (long values cut)',
        stats.messageCap > 0 ? `messages cut to ${stats.messageCap} characters` : '',
      ].filter(Boolean);
      return `<footer><p>Generated by custos ${e(report.toolVersion)} for run <span class="mono">${e(report.runId)}</span>. This file is self-contained: it loads nothing from the network. ${e(notes.join('; '))}.</p></footer>
</main>
`;
    };
    // The footer's length barely depends on the numbers in it; reserve room for its longest form.
    const reserve =
      Buffer.byteLength(before + dataOpen + afterData, 'utf8') +
      Buffer.byteLength(
        footerFor({ evidenceKept: 1e9, evidenceOmitted: 1e9, passOmitted: 1e9, messageCap: 999 }),
        'utf8',
      );
    const { json, stats } = encodeFindings({ ...report, findings: embedded }, HTML_SIZE_LIMIT - reserve);
    return `${before}${footerFor(stats)}${dataOpen}${json}${afterData}`;
  }
}
