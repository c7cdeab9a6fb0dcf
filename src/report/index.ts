// `repro report` as a library (issue #19): one static HTML page of the result sets under a results
// root, each verified against its run.json and re-checked against expected/ first, with plots drawn
// as SVG in Node (plots.ts), the cells' pictures inline, and an optional history-trends section.
import { existsSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { ExpectedFile, PaperModule, Profile } from '../core/types.js';
import { loadPaperExpected } from '../harness/expected.js';
import { resultsDir } from '../harness/results.js';
import { readReportSet, type ReportSet } from './data.js';
import type { HistoryRecord } from '../harness/history.js';
import { curvePlots, historyPlots, historyTrendSeries, rocPlots, tablePlots } from './figures.js';
import { renderPage, type PageSet, type RenderedPlot } from './html.js';
import { renderSvg, type Plot } from './plots.js';

export { readReportSet, type ReportSet, type CurveFile, type Picture } from './data.js';
export { curvePlots, rocPlots, tablePlots, historyPlots, historyTrendSeries, TABLE_FIGURES, type TableFigure, type TrendSeries } from './figures.js';
export { chartSpec, renderSvg, countMarks, type Plot, type PlotPoint, type ChartOptions } from './plots.js';
export { renderPage, escapeHtml } from './html.js';

export interface BuildReportOptions {
  /** The results root holding <paper>/<profile>/ (results/, or a run: runs/<run-id>). */
  root: string;
  /** The root as shown in the page (default: `root`); a relative name keeps the page free of local paths. */
  rootLabel?: string;
  /** Papers to report; those without a set at `profile` are left out unless named in `require`. */
  papers: readonly PaperModule[];
  profile: Profile;
  /** Papers whose set must exist (the ones a user named): a missing one is an InputError (exit 2). */
  require?: readonly string[];
  /** expected/<paper>.json, loaded and checked (default loadPaperExpected). */
  expected?: (paper: PaperModule) => ExpectedFile;
  /** The run history (src/harness/history.ts): the checked cells of each set over its recorded runs. */
  history?: readonly HistoryRecord[];
}

export interface BuiltReport {
  html: string;
  sets: ReportSet[];
  /** How many plots the page holds, and their titles per set (for --json). */
  plots: { paper: string; profile: Profile; titles: string[] }[];
}

async function render(plots: readonly Plot[]): Promise<RenderedPlot[]> {
  const out: RenderedPlot[] = [];
  for (const p of plots) out.push({ title: p.title, svg: await renderSvg(p.spec) });
  return out;
}

/** The report page of the sets under `options.root` (see BuildReportOptions). */
export async function buildReport(options: BuildReportOptions): Promise<BuiltReport> {
  const required = new Set(options.require ?? []);
  const chosen = options.papers.filter((p) => required.has(p.id) || existsSync(resultsDir(options.root, p.id, options.profile)));
  if (chosen.length === 0)
    throw new InputError(`${options.root}: no result sets of profile ${options.profile} here. Fix: run a paper first, or give the results root with --out.`);
  const expected = options.expected ?? loadPaperExpected;
  // Every set is read and verified before anything is drawn: a damaged set stops the report (exit 2).
  const sets = chosen.map((paper) => readReportSet(options.root, paper, options.profile, expected(paper)));
  const pages: PageSet[] = [];
  for (const set of sets) pages.push({ set, plots: await render([...curvePlots(set), ...rocPlots(set), ...tablePlots(set)]) });
  const trends = historyTrendSeries(options.history ?? [], sets);
  const history = trends.length > 0 ? await render(historyPlots(trends)) : undefined;
  const html = renderPage({ root: options.rootLabel ?? options.root, sets: pages, history });
  return { html, sets, plots: pages.map((p) => ({ paper: p.set.paper.id, profile: p.set.profile, titles: p.plots.map((x) => x.title) })) };
}
