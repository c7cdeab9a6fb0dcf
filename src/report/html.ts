// The report page: one static HTML file, everything inline (CSS, SVG plots, PNGs as data: URIs), no
// script and no URL, so it opens offline. The same inputs give the same bytes: no clock is read here,
// only the times run.json records.
import type { CheckedRow, ClaimResult, TableSpec } from '../core/types.js';
import { countStatuses, keyId, overallStatus } from '../harness/checker.js';
import { formatNumber } from '../harness/results.js';
import type { ReportSet } from './data.js';

/** A rendered plot: its title and SVG. */
export interface RenderedPlot {
  title: string;
  svg: string;
}

/** A result set with its plots rendered, as the page shows it. */
export interface PageSet {
  set: ReportSet;
  plots: RenderedPlot[];
}

export interface PageInput {
  /** The results root as the user named it (shown in the heading). */
  root: string;
  sets: PageSet[];
  /** History trends, rendered (see figures.ts "history trends"); absent or empty: no section. */
  history?: RenderedPlot[];
}

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;padding:0 24px 48px;max-width:1400px;color:#222;background:#fff}
h1{font-size:22px;margin:20px 0 4px}h2{font-size:19px;margin:36px 0 6px;border-bottom:2px solid #ccc;padding-bottom:4px}
h3{font-size:16px;margin:20px 0 6px}nav a{margin-right:12px}
table{border-collapse:collapse;margin:6px 0 12px;font-size:12.5px}th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.note{color:#555;max-width:520px}
tr.pass td.status,.badge.pass{background:#d4f4d4;color:#135c13}tr.fail td,.badge.fail{background:#fbd9d9}tr.fail td.status,.badge.fail{color:#8a1010;font-weight:600}
tr.no-reference td.status{color:#777}.badge{display:inline-block;padding:1px 8px;border-radius:9px;font-size:13px;font-weight:600}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}dl.facts dt{color:#555}dl.facts dd{margin:0}
.plots{display:flex;flex-wrap:wrap;gap:16px}.plot{border:1px solid #ddd;padding:6px}.plot h4{margin:0 0 4px;font-size:13px}
figure{margin:8px 0}figure img{max-width:100%;image-rendering:pixelated;border:1px solid #ddd}.warn{color:#8a5a00}
summary{cursor:pointer}`;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const e = escapeHtml;

function num(x: number | null): string {
  return e(formatNumber(x));
}

export function anchor(set: ReportSet): string {
  return `${set.paper.id}-${set.profile}`;
}

function badge(status: string): string {
  return `<span class="badge ${e(status)}">${e(status)}</span>`;
}

function minutes(ms: number): string {
  return ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;
}

function facts(set: ReportSet): string {
  const m = set.manifest;
  const total = Date.parse(m.endedAt) - Date.parse(m.startedAt);
  const rows: [string, string][] = [
    ['folder', `&lt;root&gt;/${e(set.paper.id)}/${e(set.profile)}`],
    ['run id', e(m.runId ?? 'not recorded (older set)')],
    ['command', e(m.command ? m.command.join(' ') : 'not recorded')],
    ['commit', `${e(m.git.commit)}${m.git.dirty ? ' (working tree dirty)' : ''}`],
    ['package', `${e(m.package.name)} ${e(m.package.version)}, Node ${e(m.node)}, tfjs ${e(m.tfjs)}`],
    [
      'machine',
      m.machine
        ? `${e(m.machine.cpu)}, ${m.machine.cores} cores, ${(m.machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, ${e(m.machine.platform)} ${e(m.machine.release)}`
        : 'not recorded',
    ],
    ['backend', `${e(m.backend.name)}: ${e(m.backend.reason)}`],
    ['seed', String(m.seed)],
    ['started, ended', `${e(m.startedAt)} – ${e(m.endedAt)}${Number.isFinite(total) ? ` (${minutes(total)})` : ''}`],
    [
      'files',
      set.verified
        ? 'every file matches the sha256 manifest of run.json'
        : '<span class="warn">run.json has no file manifest (older repro): the files could not be verified</span>',
    ],
  ];
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function cellTable(set: ReportSet): string {
  const cells = set.manifest.cells;
  const body = cells
    .map(
      (c) =>
        `<tr class="${c.error ? 'fail' : 'pass'}"><td>${e(c.id)}</td><td class="num">${c.seed}</td><td class="num">${minutes(c.durationMs)}</td><td class="num">${c.peakRssMiB ?? ''}</td><td>${c.error ? e(c.error) : ''}</td></tr>`,
    )
    .join('');
  const failed = cells.filter((c) => c.error).length;
  return `<details${failed ? ' open' : ''}><summary>${cells.length} cells${failed ? `, ${failed} failed` : ''}: durations and memory</summary><table><tr><th>cell</th><th>seed</th><th>duration</th><th>peak RSS (MiB)</th><th>error</th></tr>${body}</table></details>`;
}

function keyText(row: CheckedRow): string {
  return keyId(row.key);
}

function failedChecks(set: ReportSet): string {
  const rows = set.report.rows.filter((r) => r.status === 'fail');
  const claims = set.report.claims.filter((c) => c.status === 'fail');
  if (rows.length === 0 && claims.length === 0) return '<h3>Failed checks</h3><p>None.</p>';
  const rowLines = rows
    .map(
      (r) =>
        `<tr class="fail"><td>${e(r.table)}</td><td>${e(keyText(r))}</td><td>${e(r.metric)}</td><td class="num">${num(r.value)}</td><td class="num">${num(r.expected)}</td><td>${e(r.tolerance)}</td><td>${e(r.provenance)}</td><td class="status">fail</td><td class="note">${e(r.note ?? '')}</td></tr>`,
    )
    .join('');
  const rowTable = rows.length
    ? `<table class="failed-rows"><tr><th>table</th><th>key</th><th>metric</th><th>value</th><th>expected</th><th>tolerance</th><th>provenance</th><th>status</th><th>note</th></tr>${rowLines}</table>`
    : '';
  return `<h3>Failed checks (${rows.length} cells, ${claims.length} claims)</h3>${rowTable}${claims.length ? claimTable(claims, 'failed-claims') : ''}`;
}

function claimTable(claims: readonly ClaimResult[], cls: string): string {
  const body = claims
    .map(
      (c) =>
        `<tr class="${c.status}"><td>${e(c.id)}</td><td class="note">${e(c.description)}</td><td>${e(c.provenance)}</td><td class="num">${num(c.left)}</td><td class="num">${num(c.right)}</td><td class="status">${c.status}</td><td class="note">${e(c.detail)}</td></tr>`,
    )
    .join('');
  return `<table class="${cls}"><tr><th>claim</th><th>description</th><th>provenance</th><th>measured (left)</th><th>expected (right)</th><th>status</th><th>relation</th></tr>${body}</table>`;
}

function claims(set: ReportSet): string {
  const list = set.report.claims;
  return `<h3>Claims (${list.length})</h3>${list.length ? claimTable(list, 'claims') : '<p>No claim applies at this profile.</p>'}`;
}

function dataTable(set: ReportSet, table: TableSpec): string {
  const rows = set.report.rows.filter((r) => r.table === table.id);
  if (rows.length === 0) return '';
  const head = [...table.keyColumns, 'metric', 'value', 'expected', 'tolerance', 'provenance', 'status', 'note'].map((c) => `<th>${e(c)}</th>`).join('');
  const body = rows
    .map((r) => {
      const keys = table.keyColumns.map((k) => `<td>${e(r.key[k] === undefined ? '' : String(r.key[k]))}</td>`).join('');
      return `<tr class="${r.status}">${keys}<td>${e(r.metric)}</td><td class="num">${num(r.value)}</td><td class="num">${num(r.expected)}</td><td>${e(r.tolerance)}</td><td>${e(r.provenance)}</td><td class="status">${r.status}</td><td class="note">${e(r.note ?? '')}</td></tr>`;
    })
    .join('');
  const fails = rows.filter((r) => r.status === 'fail').length;
  const passes = rows.filter((r) => r.status === 'pass').length;
  return (
    `<details class="table" data-table="${e(table.id)}"${fails ? ' open' : ''}><summary><b>${e(table.id)}.csv</b>: ${e(table.title)} ` +
    `(${rows.length} rows: ${passes} pass, ${fails} fail, ${rows.length - passes - fails} without reference)</summary>` +
    `<table id="${e(anchor(set))}-${e(table.id)}"><tr>${head}</tr>${body}</table></details>`
  );
}

function plots(list: readonly RenderedPlot[]): string {
  return `<div class="plots">${list.map((p) => `<div class="plot"><h4>${e(p.title)}</h4>${p.svg}</div>`).join('')}</div>`;
}

function pictures(set: ReportSet): string {
  if (set.pictures.length === 0) return '';
  const figs = set.pictures.map((p) => `<figure><img src="${p.dataUri}" alt="${e(p.name)}"><figcaption>${e(p.name)}</figcaption></figure>`).join('');
  return `<h3>Pictures</h3>${figs}`;
}

function section(page: PageSet): string {
  const { set } = page;
  const status = overallStatus(set.report);
  const counts = countStatuses(set.report);
  return [
    `<section id="${e(anchor(set))}" class="set ${status}">`,
    `<h2>${e(set.paper.id)} · ${e(set.profile)} ${badge(status)}</h2>`,
    `<p>${e(set.paper.title)}. <i>${e(set.paper.citation)}</i><br>${counts.pass} pass, ${counts.fail} fail, ${counts['no-reference']} without reference (cells and claims, checked against expected/${e(set.paper.id)}.json now).</p>`,
    facts(set),
    cellTable(set),
    failedChecks(set),
    claims(set),
    page.plots.length ? `<h3>Plots</h3>${plots(page.plots)}` : '',
    pictures(set),
    `<h3>Tables</h3>`,
    ...set.paper.tables.map((t) => dataTable(set, t)),
    `</section>`,
  ].join('\n');
}

/** The whole page. */
export function renderPage(input: PageInput): string {
  const nav = input.sets.map(({ set }) => `<a href="#${e(anchor(set))}">${e(set.paper.id)} ${badge(overallStatus(set.report))}</a>`).join('');
  const history = input.history?.length ? `<section id="history"><h2>History trends</h2>${plots(input.history)}</section>` : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>repro report: ${e(input.root)}</title><style>${CSS}</style></head><body>`,
    `<h1>repro report</h1><p>Results root <code>${e(input.root)}</code>: ${input.sets.length} result sets, each verified against its run.json and re-checked against expected/.</p>`,
    `<nav>${nav}${history ? '<a href="#history">history</a>' : ''}</nav>`,
    ...input.sets.map(section),
    history,
    '</body></html>',
    '',
  ].join('\n');
}
