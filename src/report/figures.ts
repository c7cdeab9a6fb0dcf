// Which plots a result set gets, and from which data: the training curves and verification ROCs its
// cells wrote (curves/<cell>.csv, roc/<cell>.csv), and the figures of TABLE_FIGURES drawn from its checked table rows. Nothing
// is drawn that the set does not hold: a table or file a figure needs that is absent gives no plot.
import type { CheckedRow, RowKey } from '../core/types.js';
import { keyId } from '../harness/checker.js';
import type { HistoryRecord } from '../harness/history.js';
import type { ReportSet } from './data.js';
import { chartSpec, type Plot, type PlotPoint } from './plots.js';

/** Columns of a curves CSV that tell trained networks apart rather than being plotted. */
const SERIES_COLUMNS = new Set(['seed', 'replicate', 'fold', 'network', 'method']);

/**
 * Training curves of a set: one plot per measured column (loss first, then accuracies and the rest),
 * epoch on x, a line per cell (and per seed where the CSV has a seed column).
 */
export function curvePlots(set: ReportSet): Plot[] {
  const columns: string[] = [];
  for (const curve of set.curves) for (const c of curve.columns) if (c !== 'epoch' && !SERIES_COLUMNS.has(c) && !columns.includes(c)) columns.push(c);
  columns.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
  const plots: Plot[] = [];
  for (const column of columns) {
    const points: PlotPoint[] = [];
    for (const curve of set.curves) {
      const seriesColumns = curve.columns.filter((c) => SERIES_COLUMNS.has(c));
      for (const row of curve.rows) {
        const epoch = row.epoch;
        const y = row[column];
        if (typeof epoch !== 'number' || typeof y !== 'number') continue;
        const series = [curve.cell, ...seriesColumns.map((c) => `${c} ${row[c]}`)].join(' ');
        points.push({ x: epoch, y, series });
      }
    }
    const plot = chartSpec(points, { title: `Training curves: ${column} per epoch`, xTitle: 'epoch', yTitle: column, kind: 'line' });
    if (plot) plots.push(plot);
  }
  return plots;
}

/**
 * Verification ROCs of a set: TAR against FAR on a log axis, a line per cell; where a cell measured
 * several curves (lrfr: one per probe resolution r), a panel per value of the columns telling them apart.
 */
export function rocPlots(set: ReportSet): Plot[] {
  const points: PlotPoint[] = [];
  for (const roc of set.rocs) {
    const panelColumns = roc.columns.filter((c) => !['far', 'achieved_far', 'tar', 'threshold'].includes(c));
    for (const row of roc.rows) {
      if (typeof row.far !== 'number' || typeof row.tar !== 'number') continue;
      const facet = panelColumns.map((c) => `${c} ${row[c]}`).join(', ');
      points.push({ x: row.far, y: row.tar, series: roc.cell, ...(facet ? { facet } : {}) });
    }
  }
  const faceted = points.some((p) => p.facet !== undefined);
  // Panels in numeric order (r 8, r 12, ..., r 112): the facet follows the data's order.
  if (faceted) points.sort((a, b) => (a.facet ?? '').localeCompare(b.facet ?? '', 'en', { numeric: true }));
  const plot = chartSpec(points, {
    title: 'Verification ROC: TAR against FAR',
    xTitle: 'false accept rate (log)',
    yTitle: 'true accept rate',
    kind: 'line',
    xLog: true,
    width: faceted ? 160 : 300,
  });
  return plot ? [plot] : [];
}

/** A figure drawn from one table of one paper: the rows of `metrics`, placed by their key. */
export interface TableFigure {
  paper: string;
  table: string;
  title: string;
  metrics: readonly string[];
  kind: 'line' | 'bar';
  xTitle: string;
  yTitle: string;
  yLog?: boolean;
  /** The x of a row (undefined: the row is left out). */
  x(key: RowKey): number | string | undefined;
  series(key: RowKey, metric: string): string;
  facet?(key: RowKey): string;
}

const text = (v: string | number | undefined): string => (v === undefined ? '' : String(v));
/** The rate at the end of a noise label such as symmetric-50 or pairflip-45. */
const noiseRate = (key: RowKey): number | undefined => {
  const m = /(\d+(?:\.\d+)?)$/.exec(text(key.noise));
  return m ? Number(m[1]) : undefined;
};
const numeric = (v: string | number | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

export const TABLE_FIGURES: readonly TableFigure[] = [
  {
    paper: 'mda',
    table: 'accuracy',
    title: 'Test accuracy against noise rate',
    metrics: ['test_acc'],
    kind: 'line',
    xTitle: 'noise rate (%)',
    yTitle: 'test accuracy (%, mean over seeds)',
    x: (key) => (key.seed === 'mean' ? noiseRate(key) : undefined),
    series: (key) => text(key.method),
    facet: (key) => `${text(key.noise).replace(/-?\d+(\.\d+)?$/, '')} noise, ${text(key.dataset)} (${text(key.report)})`,
  },
  {
    paper: 'sface',
    table: 'noise',
    title: 'Verification accuracy against label-noise rate',
    metrics: ['accuracy'],
    kind: 'line',
    xTitle: 'identity label noise (%)',
    yTitle: '10-fold verification accuracy (%)',
    x: (key) => numeric(key.noise),
    series: (key) => text(key.head),
  },
  {
    paper: 'lrfr',
    table: 'resolution',
    title: 'Verification accuracy against probe resolution',
    metrics: ['accuracy'],
    kind: 'line',
    xTitle: 'probe resolution r (px)',
    yTitle: 'verification accuracy (%)',
    x: (key) => numeric(key.r),
    series: (key) => text(key.variant),
  },
  {
    paper: 'cassod',
    table: 'context_cycles',
    title: 'Cycles per context layer (log scale)',
    metrics: ['cycles_traditional', 'cycles_proposed_dilated', 'cycles_proposed_cassod'],
    kind: 'bar',
    xTitle: 'layer',
    yTitle: 'cycles',
    yLog: true,
    x: (key) => (text(key.layer).includes('total') ? undefined : text(key.layer)),
    series: (_key, metric) => metric,
  },
  {
    paper: 'cassod',
    table: 'speedup',
    title: 'Speed-up over traditional hardware against dilation rate',
    metrics: ['speedup'],
    kind: 'line',
    xTitle: 'dilation rate',
    yTitle: 'speed-up (x)',
    x: (key) => numeric(key.rate),
    series: (key) => `filter ${text(key.filter)}`,
  },
  {
    paper: 'ddc',
    table: 'cost',
    title: 'Reductions against the original network, per DDC placement',
    metrics: ['weights_reduction_percent', 'macs_reduction_percent', 'cycles_reduction_percent', 'cycles_reduction_percent_broadcast'],
    kind: 'bar',
    xTitle: 'variant',
    yTitle: 'reduction (%)',
    x: (key) => text(key.variant),
    series: (_key, metric) => metric,
  },
  {
    paper: 'condensation',
    table: 'bandwidth',
    title: 'DRAM traffic per setting',
    metrics: ['traffic_materialised_bytes', 'traffic_virtual_bytes', 'traffic_tinyyolo_bytes'],
    kind: 'bar',
    xTitle: 'setting',
    yTitle: 'bytes',
    x: (key) => text(key.setting),
    series: (_key, metric) => metric,
  },
];

function figurePoints(figure: TableFigure, rows: readonly CheckedRow[]): PlotPoint[] {
  const points: PlotPoint[] = [];
  for (const row of rows) {
    if (row.table !== figure.table || !figure.metrics.includes(row.metric) || row.value === null) continue;
    const x = figure.x(row.key);
    if (x === undefined) continue;
    points.push({ x, y: row.value, series: figure.series(row.key, row.metric), ...(figure.facet ? { facet: figure.facet(row.key) } : {}) });
  }
  return points;
}

/** The TABLE_FIGURES of the set's paper that its rows can draw. */
export function tablePlots(set: ReportSet, figures: readonly TableFigure[] = TABLE_FIGURES): Plot[] {
  return figures
    .filter((f) => f.paper === set.paper.id)
    .map((f) =>
      chartSpec(figurePoints(f, set.report.rows), {
        title: f.title,
        xTitle: f.xTitle,
        yTitle: f.yTitle,
        kind: f.kind,
        yLog: f.yLog,
        width: f.kind === 'line' ? 300 : undefined,
      }),
    )
    .filter((p): p is Plot => p !== null);
}

// ---- history trends -----------------------------------------------------------------------------------
// From the run history (src/harness/history.ts, `repro report --history FILE`): the checked cells of each
// reported set over its recorded runs.

/** One trend: a value per run, in run order (oldest first); series of one `title` share a plot. */
export interface TrendSeries {
  /** The plot it belongs to, e.g. 'mda quick: accuracy[noise=symmetric-80,method=mda].test_acc'. */
  title: string;
  /** The line's name in the legend, e.g. a paper or a cell. */
  series: string;
  yTitle?: string;
  points: readonly { run: string; value: number }[];
}

/** One line plot per trend title, run on an ordinal x (run ids sort by time). */
export function historyPlots(history: readonly TrendSeries[]): Plot[] {
  const titles = [...new Set(history.map((h) => h.title))];
  return titles
    .map((title) => {
      const group = history.filter((h) => h.title === title);
      const points = group.flatMap((h) => h.points.map((p) => ({ x: p.run, y: p.value, series: h.series })));
      return chartSpec(points, { title, xTitle: 'run', yTitle: group[0]?.yTitle ?? 'value', kind: 'line', xOrdinal: true });
    })
    .filter((p): p is Plot => p !== null);
}

/**
 * The trends of the reported sets: for each cell with an expected number, its value over the newest
 * `last` recorded runs of the set's paper and profile; one plot per table and metric, a line per key.
 * A plot needs two runs to show a trend, so a history of one run gives none.
 */
export function historyTrendSeries(records: readonly HistoryRecord[], sets: readonly ReportSet[], last = 10): TrendSeries[] {
  return sets.flatMap((set) => {
    const runs = records.filter((r) => r.paper === set.paper.id && r.profile === set.profile).slice(-last);
    if (runs.length < 2) return [];
    return set.report.rows
      .filter((row) => row.expected !== null)
      .map((row) => ({
        title: `${set.paper.id} ${set.profile}: ${row.table}.${row.metric}`,
        series: keyId(row.key),
        yTitle: row.metric,
        points: runs.flatMap((run) => {
          const value = run.rows.find((r) => r.table === row.table && r.metric === row.metric && keyId(r.key) === keyId(row.key))?.value;
          return typeof value === 'number' && Number.isFinite(value) ? [{ run: run.runId, value }] : [];
        }),
      }))
      .filter((trend) => trend.points.length > 0);
  });
}
