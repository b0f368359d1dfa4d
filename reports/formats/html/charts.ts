/**
 * The report's charts as inline SVG, drawn here: no chart library, nothing fetched. Colours
 * come from CSS classes (`sev-critical`, ...), so the page's light and dark themes apply.
 */
import { SEVERITIES, type Severity } from '../../../core/types.js';
import { escapeHtml, formatCount } from './escape.js';

export interface BarRow {
  readonly label: string;
  /** A longer description for the tooltip (defaults to the label). */
  readonly title?: string;
  /** `key:value` for the page script: a click filters the findings table. */
  readonly filter?: string;
  readonly segments: ReadonlyArray<{ readonly severity: Severity; readonly value: number }>;
}

const WIDTH = 560;
const LABEL_WIDTH = 220;
const VALUE_WIDTH = 56;
const ROW_HEIGHT = 24;
const BAR_HEIGHT = 16;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** Horizontal bars, each split by severity; rows with a `filter` are clickable. */
export function barChart(rows: readonly BarRow[], ariaLabel: string): string {
  if (rows.length === 0) return '<p class="muted chart-empty">Nothing failing.</p>';
  const max = Math.max(1, ...rows.map((row) => row.segments.reduce((n, s) => n + s.value, 0)));
  const barArea = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = rows.length * ROW_HEIGHT + 4;
  const parts: string[] = [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(ariaLabel)}">`,
  ];
  rows.forEach((row, i) => {
    const y = i * ROW_HEIGHT + 2;
    const total = row.segments.reduce((n, s) => n + s.value, 0);
    const tooltip = [
      row.title ?? row.label,
      ...row.segments.filter((s) => s.value > 0).map((s) => `${s.severity}: ${formatCount(s.value)}`),
    ].join('\n');
    const attributes =
      row.filter === undefined
        ? ''
        : ` class="bar-link" data-filter="${escapeHtml(row.filter)}" tabindex="0" role="button"`;
    parts.push(`<g${attributes}><title>${escapeHtml(tooltip)}</title>`);
    parts.push(
      `<rect class="bar-hit" x="0" y="${y}" width="${WIDTH}" height="${ROW_HEIGHT - 2}" rx="3"></rect>`,
    );
    parts.push(
      `<text class="bar-label" x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT - 3}" text-anchor="end">${escapeHtml(clip(row.label, 31))}</text>`,
    );
    let x = LABEL_WIDTH;
    for (const severity of SEVERITIES) {
      const value = row.segments.filter((s) => s.severity === severity).reduce((n, s) => n + s.value, 0);
      if (value === 0) continue;
      const width = Math.max(1.5, (value / max) * barArea);
      parts.push(
        `<rect class="sev-${severity}" x="${round(x)}" y="${y + 1}" width="${round(width)}" height="${BAR_HEIGHT}"></rect>`,
      );
      x += width;
    }
    parts.push(
      `<text class="bar-value" x="${round(x + 6)}" y="${y + BAR_HEIGHT - 3}">${formatCount(total)}</text></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface TrendPoint {
  readonly runId: string;
  readonly finishedAt: string;
  readonly failBySeverity: Readonly<Record<Severity, number>>;
  readonly error: number;
  readonly current?: boolean;
}

/** Niceish axis maximum and tick step for `max`. */
function axis(max: number): { top: number; step: number } {
  if (max <= 4) return { top: Math.max(1, max), step: 1 };
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  return { top: Math.ceil(max / step) * step, step };
}

/**
 * Stacked columns of failing findings by severity per run, oldest first, with the ERROR count
 * as a line. Empty string when there are no points.
 */
export function trendChart(points: readonly TrendPoint[]): string {
  if (points.length === 0) return '';
  const height = 210;
  const left = 44;
  const right = 12;
  const top = 10;
  const bottom = 34;
  const plotWidth = WIDTH - left - right;
  const plotHeight = height - top - bottom;
  const totals = points.map((p) => SEVERITIES.reduce((n, s) => n + (p.failBySeverity[s] ?? 0), 0));
  const { top: axisTop, step } = axis(Math.max(1, ...totals, ...points.map((p) => p.error)));
  const slot = plotWidth / points.length;
  const barWidth = Math.min(36, slot * 0.7);
  const yOf = (value: number) => top + plotHeight - (value / axisTop) * plotHeight;
  const parts: string[] = [
    `<svg class="chart trend" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Failing findings by severity over the last ${points.length} runs">`,
  ];
  for (let tick = 0; tick <= axisTop + 1e-9; tick += step) {
    const y = round(yOf(tick));
    parts.push(`<line class="grid" x1="${left}" x2="${WIDTH - right}" y1="${y}" y2="${y}"></line>`);
    parts.push(
      `<text class="axis" x="${left - 6}" y="${round(yOf(tick) + 4)}" text-anchor="end">${formatCount(Math.round(tick))}</text>`,
    );
  }
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  const errorPoints: string[] = [];
  points.forEach((point, i) => {
    const cx = left + slot * i + slot / 2;
    const x = cx - barWidth / 2;
    const tooltip = [
      `${point.runId}${point.current === true ? ' (this run)' : ''}`,
      point.finishedAt,
      ...SEVERITIES.map((s) => `${s}: ${formatCount(point.failBySeverity[s] ?? 0)}`),
      `not assessed (ERROR): ${formatCount(point.error)}`,
    ].join('\n');
    parts.push(`<g><title>${escapeHtml(tooltip)}</title>`);
    parts.push(
      `<rect class="bar-hit" x="${round(cx - slot / 2)}" y="${top}" width="${round(slot)}" height="${plotHeight}"></rect>`,
    );
    let base = 0;
    for (const severity of SEVERITIES) {
      const value = point.failBySeverity[severity] ?? 0;
      if (value === 0) continue;
      const y0 = yOf(base);
      const y1 = yOf(base + value);
      parts.push(
        `<rect class="sev-${severity}" x="${round(x)}" y="${round(y1)}" width="${round(barWidth)}" height="${round(Math.max(1, y0 - y1))}"></rect>`,
      );
      base += value;
    }
    parts.push('</g>');
    if (point.current === true) {
      parts.push(
        `<text class="axis current" x="${round(cx)}" y="${round(yOf(totals[i] ?? 0) - 4)}" text-anchor="middle">▼</text>`,
      );
    }
    if (i % labelEvery === 0 || i === points.length - 1) {
      parts.push(
        `<text class="axis" x="${round(cx)}" y="${height - bottom + 16}" text-anchor="middle">${escapeHtml(point.finishedAt.slice(5, 10))}</text>`,
      );
    }
    errorPoints.push(`${round(cx)},${round(yOf(point.error))}`);
    if (point.error > 0) {
      parts.push(
        `<circle class="error-dot" cx="${round(cx)}" cy="${round(yOf(point.error))}" r="3"></circle>`,
      );
    }
  });
  if (points.some((p) => p.error > 0)) {
    parts.push(`<polyline class="error-line" points="${errorPoints.join(' ')}"></polyline>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
