/** The report's stylesheet: system fonts only, light and dark themes, a print layout. */
export const STYLES = `
:root {
  color-scheme: light dark;
  --bg: #f4f5f7; --surface: #ffffff; --surface-2: #f8f9fb; --text: #1a1d23; --muted: #5b6270;
  --border: #d9dde3; --border-strong: #b8bfc9; --accent: #1d4ed8; --focus: #2563eb;
  --row-hover: #eef2f8; --row-open: #e8eefb;
  --critical: #9f1239; --high: #c2410c; --medium: #a16207; --low: #1d4ed8; --info: #475569;
  --chart-critical: #9f1239; --chart-high: #ea580c; --chart-medium: #d97706; --chart-low: #3b82f6; --chart-info: #94a3b8;
  --fail: #b91c1c; --error: #6d28d9; --pass: #15803d; --na: #64748b;
  --gap-bg: #fff7e6; --gap-border: #d97706; --gap-text: #7c2d12;
  --ok-bg: #ecfdf3; --ok-border: #15803d;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1115; --surface: #171a21; --surface-2: #1d212a; --text: #e6e8eb; --muted: #9aa3af;
    --border: #2a2f3a; --border-strong: #3b4250; --accent: #93b4ff; --focus: #93b4ff;
    --row-hover: #1f2430; --row-open: #222a3a;
    --chart-critical: #f43f5e; --chart-high: #fb923c; --chart-medium: #fbbf24; --chart-low: #60a5fa; --chart-info: #94a3b8;
    --gap-bg: #2a1f0a; --gap-border: #d97706; --gap-text: #fcd9a8;
    --ok-bg: #0c2416; --ok-border: #22c55e;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
a { color: var(--accent); }
code, pre, .mono { font-family: var(--mono); font-size: 12.5px; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
h2 { font-size: 18px; margin-bottom: 12px; }
h3 { font-size: 14px; margin-bottom: 8px; }
.muted { color: var(--muted); }
.wrap { max-width: 1320px; margin: 0 auto; padding: 0 24px; }
main.wrap { padding-bottom: 48px; }
button, select, input { font: inherit; color: inherit; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }

/* header */
.top { background: var(--surface); border-bottom: 1px solid var(--border); }
.top .wrap { padding-top: 18px; padding-bottom: 14px; }
.brand { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
.brand h1 { font-size: 22px; letter-spacing: -0.01em; }
.brand .product { font-weight: 700; }
.meta { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 6px 20px; margin: 12px 0 0; }
.meta div { min-width: 0; }
.meta dt { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
nav.sections { position: sticky; top: 0; z-index: 5; background: var(--surface); border-bottom: 1px solid var(--border); }
nav.sections .wrap { display: flex; gap: 4px; overflow-x: auto; }
nav.sections a { padding: 9px 12px; text-decoration: none; color: var(--muted); font-weight: 600; white-space: nowrap; border-bottom: 2px solid transparent; }
nav.sections a:hover { color: var(--text); border-bottom-color: var(--border-strong); }
section.block { margin-top: 28px; scroll-margin-top: 52px; }

/* headline cards */
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(128px, 1fr)); gap: 10px; }
.card { background: var(--surface); border: 1px solid var(--border); border-radius: 8px; padding: 10px 12px; text-align: left; min-width: 0; display: flex; flex-direction: column; justify-content: flex-start; gap: 2px; }
button.card { cursor: pointer; }
button.card:hover, a.card:hover { box-shadow: 0 0 0 1px var(--border-strong); }
.card .n { font-size: 26px; font-weight: 700; line-height: 1.1; font-variant-numeric: tabular-nums; }
.card .l { font-size: 12px; color: var(--muted); font-weight: 600; }
.card .s { font-size: 12px; color: var(--muted); }
.card.k-critical { border-top: 4px solid var(--chart-critical); }
.card.k-high { border-top: 4px solid var(--chart-high); }
.card.k-medium { border-top: 4px solid var(--chart-medium); }
.card.k-low { border-top: 4px solid var(--chart-low); }
.card.k-info { border-top: 4px solid var(--chart-info); }
.card.k-error { border-top: 4px solid var(--error); }
.card.k-gap { border-top: 4px solid var(--gap-border); }
.card.k-pass { border-top: 4px solid var(--pass); }
.card.k-new { border-top: 4px solid var(--fail); }
.card.k-neutral { border-top: 4px solid var(--border-strong); }
.group-label { font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 18px 0 8px; }

/* coverage panel */
.panel { border-radius: 8px; padding: 16px 18px; border: 1px solid; border-left-width: 6px; }
.panel.gaps { background: var(--gap-bg); border-color: var(--gap-border); }
.panel.gaps h2 { color: var(--gap-text); }
.panel.complete { background: var(--ok-bg); border-color: var(--ok-border); }
.panel.complete h2 { margin: 0; }
.panel .gap-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 14px 24px; }
.panel ul { margin: 0; padding-left: 18px; }
.panel li { margin: 3px 0; overflow-wrap: anywhere; }
.panel .reason { color: var(--muted); }
.panel.gaps .reason { color: inherit; opacity: .85; }
.linkish { background: none; border: 0; padding: 0; color: var(--accent); text-decoration: underline; cursor: pointer; }
details > summary { cursor: pointer; }

/* generic tables */
.card-box { background: var(--surface); border: 1px solid var(--border); border-radius: 8px; overflow: hidden; }
.card-box + .card-box { margin-top: 12px; }
a.card { color: inherit; text-decoration: none; }
.card-box > h3, .card-box > .box-head { padding: 12px 14px 0; }
details.change-list > summary { padding: 12px 14px; }
details.change-list[open] > summary { border-bottom: 1px solid var(--border); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--border); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 700; background: var(--surface-2); white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }

/* badges */
.badge { display: inline-block; padding: 1px 7px; border-radius: 4px; font-size: 11.5px; font-weight: 700; letter-spacing: .02em; color: #fff; white-space: nowrap; line-height: 18px; }
.b-critical { background: var(--critical); } .b-high { background: var(--high); } .b-medium { background: var(--medium); }
.b-low { background: var(--low); } .b-info { background: var(--info); }
.b-FAIL { background: var(--fail); } .b-ERROR { background: var(--error); } .b-PASS { background: var(--pass); }
.b-NOT_ASSESSED { background: transparent; color: var(--muted); border: 1px solid var(--border-strong); line-height: 16px; }
.b-SUPPRESSED { background: transparent; color: var(--muted); border: 1px dashed var(--border-strong); line-height: 16px; }
.tag { display: inline-block; font-size: 11px; font-weight: 700; padding: 0 5px; border-radius: 3px; border: 1px solid currentColor; margin-left: 4px; text-transform: uppercase; line-height: 16px; }
.t-new { color: var(--fail); } .t-regressed { color: var(--error); } .t-persisting { color: var(--muted); }

/* charts */
.filters label.grow { flex: 2.2 1 260px; }
.filters label.wide { flex-basis: 180px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; align-items: start; }
.chart-card { background: var(--surface); border: 1px solid var(--border); border-radius: 8px; padding: 12px 14px; min-width: 0; }
.chart { width: 100%; height: auto; display: block; }
.chart text { fill: var(--text); font-size: 12px; }
.chart .axis { fill: var(--muted); font-size: 11px; }
.chart .bar-value { fill: var(--muted); font-variant-numeric: tabular-nums; }
.chart .grid { stroke: var(--border); stroke-width: 1; }
.chart .bar-hit { fill: transparent; }
.chart .bar-link { cursor: pointer; }
.chart .bar-link:hover .bar-hit, .chart .bar-link:focus .bar-hit { fill: var(--row-hover); }
.chart .error-line { fill: none; stroke: var(--error); stroke-width: 2; stroke-dasharray: 5 3; }
.chart .error-dot { fill: var(--error); }
.chart .current { fill: var(--muted); }
.sev-critical { fill: var(--chart-critical); } .sev-high { fill: var(--chart-high); } .sev-medium { fill: var(--chart-medium); }
.sev-low { fill: var(--chart-low); } .sev-info { fill: var(--chart-info); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: var(--muted); margin-top: 6px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.legend i.l-critical { background: var(--chart-critical); } .legend i.l-high { background: var(--chart-high); }
.legend i.l-medium { background: var(--chart-medium); } .legend i.l-low { background: var(--chart-low); }
.legend i.l-info { background: var(--chart-info); }
.legend i.l-error { background: none; border-top: 2px dashed var(--error); height: 0; border-radius: 0; width: 16px; vertical-align: 3px; }

/* findings */
.filters { display: flex; flex-wrap: wrap; gap: 8px; padding: 12px 14px; border-bottom: 1px solid var(--border); }
.filters label { flex: 1 1 140px; display: flex; flex-direction: column; font-size: 11px; font-weight: 700; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; gap: 3px; min-width: 0; }
.filters input, .filters select { text-transform: none; letter-spacing: normal; font-weight: 400; font-size: 13.5px; padding: 6px 8px; border: 1px solid var(--border-strong); border-radius: 6px; background: var(--surface); min-width: 0; width: 100%; }
.toolbar { display: flex; align-items: center; justify-content: space-between; gap: 12px; padding: 8px 14px; flex-wrap: wrap; border-bottom: 1px solid var(--border); }
.toolbar .count { font-weight: 600; }
.pager { display: flex; align-items: center; gap: 6px; }
.pager button, .toolbar button { border: 1px solid var(--border-strong); background: var(--surface); border-radius: 6px; padding: 4px 10px; cursor: pointer; }
.pager button:disabled { opacity: .45; cursor: default; }
.pager select { border: 1px solid var(--border-strong); background: var(--surface); border-radius: 6px; padding: 3px 6px; }
table.findings { table-layout: fixed; }
table.findings th button { all: unset; cursor: pointer; display: inline-flex; gap: 4px; align-items: center; }
table.findings th button:focus-visible { outline: 2px solid var(--focus); }
table.findings th[aria-sort="ascending"] button::after { content: "▲"; font-size: 9px; }
table.findings th[aria-sort="descending"] button::after { content: "▼"; font-size: 9px; }
table.findings tbody tr.row { cursor: pointer; }
table.findings tbody tr.row:hover { background: var(--row-hover); }
table.findings tbody tr.row.open { background: var(--row-open); }
table.findings tbody tr.row.suppressed td { opacity: .7; }
table.findings td { overflow-wrap: anywhere; }
table.findings .check-id { font-family: var(--mono); font-size: 12px; }
table.findings .sub { display: block; color: var(--muted); font-size: 12px; }
table.findings .clamp { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 4; line-clamp: 4; overflow: hidden; }
table.findings tr.open .clamp { -webkit-line-clamp: unset; line-clamp: unset; }
table.findings td.check .sub { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
table.findings .res { font-family: var(--mono); font-size: 12px; }
table.findings { min-width: 1040px; }
col.c-sev { width: 88px; } col.c-status { width: 128px; } col.c-check { width: 21%; } col.c-account { width: 136px; }
col.c-region { width: 104px; } col.c-resource { width: 19%; }
tr.detail > td { background: var(--surface-2); padding: 14px 18px 18px; }
.detail-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 14px 28px; }
.detail-grid h4 { margin: 0 0 4px; font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.detail-grid p { margin: 0 0 4px; }
.detail-grid pre { margin: 0; padding: 8px 10px; background: var(--surface); border: 1px solid var(--border); border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 320px; overflow: auto; }
.detail-grid .full { grid-column: 1 / -1; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; overflow-wrap: anywhere; }
.empty td { text-align: center; padding: 28px; color: var(--muted); }

/* control matrix */
.tabs { display: flex; gap: 4px; flex-wrap: wrap; padding: 10px 14px 0; border-bottom: 1px solid var(--border); }
.tabs button { border: 1px solid transparent; border-bottom: 0; background: none; padding: 7px 12px; border-radius: 6px 6px 0 0; cursor: pointer; color: var(--muted); font-weight: 600; margin-bottom: -1px; }
.tabs button[aria-selected="true"] { background: var(--surface); color: var(--text); border-color: var(--border); }
.tabpanel { padding: 0; }
.tabpanel .box-head { padding: 12px 14px; display: flex; gap: 10px 18px; flex-wrap: wrap; align-items: baseline; }
.matrix td.control { font-family: var(--mono); font-size: 12.5px; white-space: nowrap; }
.matrix td.checks { font-family: var(--mono); font-size: 12px; color: var(--muted); }
.matrix tr.st-FAIL td:first-child { box-shadow: inset 4px 0 0 var(--fail); }
.matrix tr.st-ERROR td:first-child { box-shadow: inset 4px 0 0 var(--error); }
.matrix tr.st-PASS td:first-child { box-shadow: inset 4px 0 0 var(--pass); }
.matrix tr.st-NOT_ASSESSED td { color: var(--muted); }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }

@media (max-width: 760px) {
  .wrap { padding: 0 12px; }
  .detail-grid { grid-template-columns: 1fr; }
  .charts { grid-template-columns: 1fr; }
}
@media print {
  :root { color-scheme: light; --bg: #fff; --surface: #fff; --surface-2: #f4f4f4; --text: #000; --muted: #444; --border: #bbb; }
  body { font-size: 11px; }
  nav.sections, .filters, .pager, .toolbar button, .noprint { display: none !important; }
  section.block { margin-top: 16px; break-inside: auto; }
  .card, .chart-card, .panel, tr { break-inside: avoid; }
  .tabpanel[hidden] { display: block !important; }
  .tabs { display: none; }
  .badge { border: 1px solid #000; }
  a { color: inherit; text-decoration: none; }
  .charts { grid-template-columns: 1fr 1fr; }
  table.findings { min-width: 0; font-size: 10px; }
  table.findings .clamp { display: inline; }
  col.c-sev { width: 70px; } col.c-status { width: 100px; } col.c-account { width: 100px; } col.c-region { width: 80px; }
  .scroll { overflow: visible; }
}
`;
