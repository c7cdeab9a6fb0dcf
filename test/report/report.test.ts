// `repro report` (issue #19): every plot renders an SVG with marks, the page holds every table of a
// committed set with the verdict's colours, names no URL, is the same bytes for the same inputs, and the
// command validates its flags and refuses a damaged set. Reads the committed results/ and never writes there.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RESULTS_DIR, DEFAULT_RUNS_DIR } from '../../src/core/paths.js';
import { keyId } from '../../src/harness/checker.js';
import { loadPaperExpected } from '../../src/harness/expected.js';
import { appendHistory, historyRecord } from '../../src/harness/history.js';
import { verifyResultSet } from '../../src/harness/results.js';
import { getPaper, listPapers } from '../../src/papers/index.js';
import {
  buildReport,
  chartSpec,
  countMarks,
  curvePlots,
  rocPlots,
  historyPlots,
  historyTrendSeries,
  readReportSet,
  renderSvg,
  tablePlots,
  type BuiltReport,
} from '../../src/report/index.js';
import { defaultReportFile } from '../../src/commands/report.js';
import { runRepro } from '../commands/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'repro-report-'));
mkdirSync(join(tmp, 'folder.html'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let built: BuiltReport;
beforeAll(async () => {
  built = await buildReport({ root: DEFAULT_RESULTS_DIR, rootLabel: 'results', papers: listPapers(), profile: 'quick' });
}, 120_000);

/** The rows of the HTML table of `paper`'s `table`, as [class, text] pairs. */
function tableRows(html: string, paper: string, table: string): [string, string][] {
  const m = new RegExp(`<table id="${paper}-quick-${table}">(.*?)</table>`, 's').exec(html);
  if (!m) return [];
  return [...m[1]!.matchAll(/<tr class="([^"]+)">(.*?)<\/tr>/gs)].map((r) => [r[1]!, r[2]!.replace(/<[^>]+>/g, '|')]);
}

describe('report plots', () => {
  it('every plot of every committed set renders an SVG with marks', async () => {
    let plots = 0;
    for (const paper of listPapers()) {
      let set;
      try {
        set = readReportSet(DEFAULT_RESULTS_DIR, paper, 'quick', loadPaperExpected(paper));
      } catch {
        continue; // no committed set of this paper (yet)
      }
      for (const plot of [...curvePlots(set), ...rocPlots(set), ...tablePlots(set)]) {
        const svg = await renderSvg(plot.spec);
        expect(countMarks(svg), `${paper.id}: ${plot.title}`).toBeGreaterThan(0);
        plots++;
      }
    }
    expect(plots).toBeGreaterThanOrEqual(15);
  });

  it('the expected figures exist: curves per trained paper, verification ROCs, noise rate, per-layer cycles, traffic', () => {
    const titles = (paper: string) => built.plots.find((p) => p.paper === paper)?.titles ?? [];
    for (const paper of ['bamsprod', 'cassod', 'ddc', 'mda', 'sface', 'lrfr']) expect(titles(paper)).toContain('Training curves: loss per epoch');
    for (const paper of ['sface', 'lrfr']) expect(titles(paper)).toContain('Verification ROC: TAR against FAR');
    expect(titles('mda')).toContain('Test accuracy against noise rate');
    expect(titles('mda')).toContain('Training curves: test_acc per epoch');
    expect(titles('cassod')).toContain('Cycles per context layer (log scale)');
    expect(titles('condensation')).toContain('DRAM traffic per setting');
  });

  it('countMarks sees an empty plot: bars of zero height are no marks', async () => {
    const flat = chartSpec([{ x: 'a', y: 0, series: 's' }], { title: 't', xTitle: 'x', yTitle: 'y', kind: 'bar' })!;
    expect(countMarks(await renderSvg(flat.spec))).toBe(0);
    expect(chartSpec([{ x: 1, y: Number.NaN, series: 's' }], { title: 't', xTitle: 'x', yTitle: 'y', kind: 'line' })).toBeNull();
  });

  it('history trends (hook): one line plot per title, with marks', async () => {
    const plots = historyPlots([
      {
        title: 'mda test_acc',
        series: 'mda',
        points: [
          { run: '20261201T000000Z-aaaa', value: 30 },
          { run: '20261202T000000Z-bbbb', value: 32 },
        ],
      },
      { title: 'mda test_acc', series: 'jocor', points: [{ run: '20261201T000000Z-aaaa', value: 59 }] },
    ]);
    expect(plots).toHaveLength(1);
    expect(countMarks(await renderSvg(plots[0]!.spec))).toBeGreaterThan(0);
  });
});

describe('report history trends', () => {
  // Two recorded runs of the committed cassod set, the second with one checked value moved by 1.
  const set = readReportSet(DEFAULT_RESULTS_DIR, getPaper('cassod'), 'quick', loadPaperExpected(getPaper('cassod')));
  const first = { ...historyRecord(set.manifest, set.report), runId: '20261201T000000Z-aaaa' };
  const moved = set.report.rows.find((r) => r.expected !== null && typeof r.value === 'number')!;
  const second = {
    ...first,
    runId: '20261202T000000Z-bbbb',
    rows: first.rows.map((r) => (r.table === moved.table && r.metric === moved.metric && r.key === moved.key ? { ...r, value: moved.value! + 1 } : r)),
  };

  it('a line per checked cell over the recorded runs, none from a single run', () => {
    expect(historyTrendSeries([first], [set])).toEqual([]);
    const trends = historyTrendSeries([first, second, { ...second, paper: 'ddc' }], [set]);
    expect(trends).toHaveLength(set.report.rows.filter((r) => r.expected !== null && r.value !== null).length);
    const trend = trends.find((t) => t.title === `cassod quick: ${moved.table}.${moved.metric}` && t.series === keyId(moved.key))!;
    expect(trend.points).toEqual([
      { run: '20261201T000000Z-aaaa', value: moved.value },
      { run: '20261202T000000Z-bbbb', value: moved.value! + 1 },
    ]);
  });

  it('repro report --history draws them in a history section; a missing file exits 2 naming the flag', async () => {
    const file = join(tmp, 'history.jsonl');
    appendHistory(file, first);
    appendHistory(file, second);
    const page = join(tmp, 'trends.html');
    const ok = await runRepro(['report', 'cassod', '--out', DEFAULT_RESULTS_DIR, '--file', page, '--history', file]);
    expect(ok.code).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('<section id="history"><h2>History trends</h2>');
    expect(html).toContain(`cassod quick: ${moved.table}.${moved.metric}`);
    const missing = await runRepro(['report', 'cassod', '--out', DEFAULT_RESULTS_DIR, '--file', page, '--history', join(tmp, 'none.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--history');
    expect(missing.stderr).toContain('no such file. Fix: give a run history');
  }, 120_000);
});

describe('report page', () => {
  it('holds every table of every committed set, one HTML row per checked row', () => {
    for (const set of built.sets) {
      for (const table of set.paper.tables) {
        const rows = set.report.rows.filter((r) => r.table === table.id);
        if (rows.length === 0) continue;
        expect(built.html, `${set.paper.id}/${table.id}`).toContain(`data-table="${table.id}"`);
        const html = tableRows(built.html, set.paper.id, table.id);
        expect(html.map(([cls]) => cls)).toEqual(rows.map((r) => r.status));
      }
    }
    expect(built.sets.map((s) => s.paper.id)).toEqual(expect.arrayContaining(['mda', 'cassod', 'ddc', 'condensation', 'ga']));
  });

  it("colours a known failing cell fail and a passing one pass, as repro check's verdict", () => {
    const overhead = tableRows(built.html, 'condensation', 'overhead').find(([, text]) => text.includes('|memory|') && text.includes('|extra_percent|'));
    expect(overhead?.[0]).toBe('fail');
    const ratio = tableRows(built.html, 'cassod', 'weights').find(([, text]) => text.includes('|context-dilated|') && text.includes('|ratio_percent|'));
    expect(ratio?.[0]).toBe('pass');
    // The failed checks come first in a set's section: the failing claim is in its failed-claims table.
    const bamsprod = /<section id="bamsprod-quick".*?<\/section>/s.exec(built.html)![0];
    expect(bamsprod.indexOf('failed-claims')).toBeLessThan(bamsprod.indexOf('<table class="claims"'));
    expect(/<table class="failed-claims">.*?bamsprod-more-accurate-than-bop/s.test(bamsprod)).toBe(true);
  });

  it('embeds the pictures as data: URIs and names no http(s) URL', () => {
    expect(built.html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="cloak.png">/);
    expect(built.html).not.toMatch(/https?:\/\//i);
    expect(built.html).not.toMatch(/<script|<link /i);
  });

  it('is deterministic: the same inputs give the same bytes', async () => {
    const papers = ['cassod', 'mda'].map(getPaper);
    const a = await buildReport({ root: DEFAULT_RESULTS_DIR, rootLabel: 'results', papers, profile: 'quick' });
    const b = await buildReport({ root: DEFAULT_RESULTS_DIR, rootLabel: 'results', papers, profile: 'quick' });
    expect(a.html).toBe(b.html);
  });
});

describe('repro report', () => {
  it('writes the page where --file says and leaves the committed sets verified', async () => {
    const file = join(tmp, 'out', 'report.html');
    const { code, stdout, result } = await runRepro<{ file: string; sets: unknown[] }>(['report', 'cassod', 'ga', '--file', file]);
    expect(code).toBe(0);
    expect(stdout).toContain(file);
    expect(result?.sets).toHaveLength(2);
    expect(readFileSync(file, 'utf8')).toContain('<section id="ga-quick"');
    for (const paper of ['cassod', 'ga']) expect(verifyResultSet(join(DEFAULT_RESULTS_DIR, paper, 'quick'), paper, 'quick').verified).toBe(true);
  });

  it('defaults to runs/report.html for the committed results/, <out>/report.html otherwise', () => {
    expect(defaultReportFile(DEFAULT_RESULTS_DIR)).toBe(join(DEFAULT_RUNS_DIR, 'report.html'));
    expect(defaultReportFile(join(tmp, 'run'))).toBe(join(tmp, 'run', 'report.html'));
  });

  it.each([
    [['--file', join(tmp, 'x.txt')], 'not an .html file name'],
    [['--file', join(tmp, 'folder.html')], 'is a folder'],
    [['cassod', '--file', join(DEFAULT_RESULTS_DIR, 'cassod', 'quick', 'r.html')], 'inside the result set'],
    [['--out', join(tmp, 'empty'), '--file', join(tmp, 'e.html')], '--out'],
    [['nosuch', '--file', join(tmp, 'n.html')], "unknown paper 'nosuch'"],
  ])('bad input %j exits 2 naming it', async (args, message) => {
    const { code, stderr } = await runRepro(['report', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('refuses a set whose curves file changed after the run (exit 2 naming the file), writing nothing', async () => {
    const root = join(tmp, 'damaged');
    cpSync(join(DEFAULT_RESULTS_DIR, 'ddc'), join(root, 'ddc'), { recursive: true });
    const curves = join(root, 'ddc', 'quick', 'curves', 'mnist-dw3.csv');
    writeFileSync(curves, `${readFileSync(curves, 'utf8')}9,0.1\n`);
    const { code, stderr } = await runRepro(['report', 'ddc', '--out', root]);
    expect(code).toBe(2);
    expect(stderr).toContain(curves);
    expect(() => readFileSync(join(root, 'report.html'))).toThrow();
  });
});
