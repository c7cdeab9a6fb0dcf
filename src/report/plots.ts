// The report's plots (issue #19): Vega-Lite specs of a few chart kinds, rendered to SVG in Node by
// Vega's headless view (renderer 'none': no canvas, no browser, no script in the page). The same
// points give the same SVG, so the report is deterministic.
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One plotted value: `x` on the x axis, `series` its colour (a line or a bar of a group), `facet` a panel. */
export interface PlotPoint {
  x: number | string;
  y: number;
  series: string;
  facet?: string;
}

export interface ChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  /** line: a line with a point per value over a numeric x; bar: grouped bars over a named x. */
  kind: 'line' | 'bar';
  /** Ordinal x for a line over labels (history: run ids). Default: quantitative for lines. */
  xOrdinal?: boolean;
  xLog?: boolean;
  yLog?: boolean;
  width?: number;
  height?: number;
}

/** A plot of the report: its spec and the title shown above it. */
export interface Plot {
  title: string;
  spec: TopLevelSpec;
}

/** Keeps the points a chart can draw: finite y (a log axis also needs its values > 0). */
function drawable(points: readonly PlotPoint[], yLog: boolean, xLog: boolean): PlotPoint[] {
  return points.filter((p) => Number.isFinite(p.y) && (!yLog || p.y > 0) && (!xLog || (typeof p.x === 'number' && p.x > 0)));
}

/** A Vega-Lite spec of `points` (see ChartOptions); null when nothing is drawable. */
export function chartSpec(points: readonly PlotPoint[], o: ChartOptions): Plot | null {
  const values = drawable(points, o.yLog ?? false, o.xLog ?? false);
  if (values.length === 0) return null;
  const faceted = values.some((p) => p.facet !== undefined);
  const seriesCount = new Set(values.map((p) => p.series)).size;
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: { scheme: seriesCount > 10 ? 'tableau20' : 'tableau10' },
    legend: { labelLimit: 320, orient: 'right' as const },
  };
  // No stacking: grouped bars sit side by side, and a bar on a log axis then starts at the axis floor, not at 0.
  const y = { field: 'y', type: 'quantitative' as const, title: o.yTitle, stack: null, scale: o.yLog ? { type: 'log' as const } : { zero: o.kind === 'bar' } };
  const encoding =
    o.kind === 'bar'
      ? {
          x: { field: 'x', type: 'nominal' as const, title: o.xTitle, sort: null, axis: { labelAngle: -30, labelLimit: 180 } },
          xOffset: { field: 'series' },
          y,
          color,
        }
      : {
          x: o.xOrdinal
            ? { field: 'x', type: 'ordinal' as const, title: o.xTitle, sort: null }
            : { field: 'x', type: 'quantitative' as const, title: o.xTitle, scale: o.xLog ? { type: 'log' as const } : { zero: false, padding: 8 } },
          y,
          color,
        };
  const spec = {
    width: o.width ?? (o.kind === 'bar' ? { step: 14 } : 300),
    height: o.height ?? 200,
    data: { values: values.map((p) => ({ ...p })) },
    mark: o.kind === 'bar' ? { type: 'bar' as const } : { type: 'line' as const, point: true, strokeWidth: 1.5 },
    // Panels in the order of the points (Vega-Lite would sort them as text: r 112 before r 12).
    encoding: faceted
      ? { ...encoding, column: { field: 'facet', type: 'nominal' as const, title: null, sort: [...new Set(values.map((p) => p.facet ?? ''))] } }
      : encoding,
    // Panels of other noise types have other x ranges (pairflip 45 %, symmetric 50-80 %).
    ...(faceted ? { resolve: { scale: { x: 'independent' } } } : {}),
    config: { font: 'sans-serif', background: 'white', view: { stroke: '#ddd' } },
  } as TopLevelSpec;
  return { title: o.title, spec };
}

/**
 * The SVG of a Vega-Lite spec, rendered by Vega in Node. The namespace attributes are dropped: an
 * SVG inside HTML needs none, and the page then names no URL at all.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none', logLevel: 0 });
  try {
    const svg = await view.toSVG();
    return svg.replace(/ xmlns(:xlink)?="[^"]*"/g, '');
  } finally {
    view.finalize();
  }
}

/**
 * How many drawn marks an SVG of renderSvg holds: the paths of Vega's mark groups (lines, bars,
 * symbols) with a shape, leaving out empty ones and bars of zero height or width. 0: an empty plot.
 */
export function countMarks(svg: string): number {
  let count = 0;
  for (const m of svg.matchAll(/<g class="mark-(?!group|text|rule)[a-z]+ role-mark[^"]*"[^>]*>(.*?)<\/g>/gs)) {
    for (const d of m[1]!.matchAll(/<path\b[^>]*\sd="([^"]*)"/g)) if (drawn(d[1]!)) count++;
  }
  return count;
}

/** A path with a shape: not empty, not a rectangle of zero height or width (M x,y h w v 0 h -w Z). */
function drawn(d: string): boolean {
  if (d.trim() === '') return false;
  const rect = /^M[-\d.e]+,[-\d.e]+h([-\d.e]+)v([-\d.e]+)h[-\d.e]+Z$/.exec(d);
  return !rect || (Number(rect[1]) !== 0 && Number(rect[2]) !== 0);
}
