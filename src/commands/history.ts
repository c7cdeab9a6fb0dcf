import { join, resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { ReproCommand } from '../cli/command.js';
import { EXIT, InputError } from '../core/errors.js';
import { DEFAULT_RUNS_DIR } from '../core/paths.js';
import { PROFILES, type Profile } from '../core/types.js';
import { keyId } from '../harness/checker.js';
import { loadPaperExpected } from '../harness/expected.js';
import { cellDurations, HISTORY_FILE, historyTrend, readHistory, type CellTrend, type HistoryTrend } from '../harness/history.js';
import { formatNumber } from '../harness/results.js';
import { textTable } from '../harness/summary.js';
import { getPaper } from '../papers/index.js';

const DRIFT_FIRST = ['beyond-noise', 'only-b', 'only-a', 'within-noise', 'equal'];
const drifted = (c: CellTrend) => c.verdict === 'beyond-noise' || c.verdict === 'only-b';

export default class History extends ReproCommand {
  static override summary = "A paper's cells over its recorded runs, and whether the newest run drifted";
  static override description =
    'Every run appends one line per result set to the run history (runs/history.jsonl; <out>/history.jsonl for a run with --out; ' +
    '$REPRO_HISTORY_FILE overrides both). This shows each cell over the newest --last runs of a paper and profile, and holds ' +
    "the newest value against the median of the earlier ones with repro compare's noise rule (the seed spread the table records, " +
    'else the tolerance of the expected cell, else exact). Exit 1 when a cell drifted beyond noise or vanished, 2 when there is ' +
    'no run to show.';
  static override examples = [
    '<%= config.bin %> history cassod',
    '<%= config.bin %> history sface --table noise --last 5',
    '<%= config.bin %> history mda --drifted --json',
  ];
  static override args = { paper: Args.string({ description: 'paper id', required: true }) };
  static override flags = {
    profile: Flags.string({ options: [...PROFILES], default: 'quick', description: 'whose runs to show' }),
    table: Flags.string({ description: 'only this table' }),
    metric: Flags.string({ description: 'only this metric' }),
    last: Flags.integer({ description: 'the newest runs to consider', default: 10, min: 1 }),
    drifted: Flags.boolean({ description: 'only the cells that drifted beyond noise or vanished', default: false }),
    file: Flags.string({
      description: 'the history file (default: $REPRO_HISTORY_FILE, else runs/history.jsonl)',
    }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(History);
    const paper = getPaper(args.paper);
    const profile = flags.profile as Profile;
    if (flags.table !== undefined && !paper.tables.some((t) => t.id === flags.table))
      throw new InputError(`--table ${flags.table}: ${paper.id} has no such table. Fix: one of ${paper.tables.map((t) => t.id).join(', ')}.`);
    const metrics = [...new Set(paper.tables.filter((t) => flags.table === undefined || t.id === flags.table).flatMap((t) => t.metrics))];
    if (flags.metric !== undefined && !metrics.includes(flags.metric))
      throw new InputError(`--metric ${flags.metric}: no such metric here. Fix: one of ${metrics.join(', ')}.`);
    const file = resolve(flags.file ?? (process.env.REPRO_HISTORY_FILE || join(DEFAULT_RUNS_DIR, HISTORY_FILE)));
    const { records, warnings } = readHistory(file);
    for (const warning of warnings) this.logToStderr(`warning: ${warning}`);
    const trend = historyTrend(records, { paper: paper.id, profile, table: flags.table, metric: flags.metric, last: flags.last }, () => ({
      tables: paper.tables,
      expected: loadPaperExpected(paper),
    }));
    if (trend.runs.length === 0)
      throw new InputError(
        `${file}: no run of ${paper.id} --profile ${profile} recorded. Fix: run repro ${paper.id} --profile ${profile}, or give the history with --file.`,
      );
    const cells = trend.cells.filter((c) => !flags.drifted || drifted(c)).sort((x, y) => DRIFT_FIRST.indexOf(x.verdict) - DRIFT_FIRST.indexOf(y.verdict));
    const paperRuns = records.filter((r) => r.paper === paper.id && r.profile === profile).slice(-flags.last);
    if (!this.jsonEnabled()) this.log(historyText(file, trend, cells));
    if (trend.status === 'drift') process.exitCode = EXIT.regression;
    return { file, ...trend, cells, cellDurationsMs: Object.fromEntries(cellDurations(paperRuns)) };
  }
}

function historyText(file: string, trend: HistoryTrend, cells: CellTrend[]): string {
  const value = (x: number | null) => (x === null ? '-' : formatNumber(x));
  const lines = [`${trend.paper} --profile ${trend.profile}: ${trend.runs.length} run(s) in ${file}, oldest first`];
  lines.push(
    textTable(
      ['#', 'run', 'commit', 'status'],
      trend.runs.map((r, i) => [String(i + 1), r.runId, `${r.commit.slice(0, 10)}${r.dirty ? '+dirty' : ''}`, r.status]),
    ),
  );
  if (cells.length > 0)
    lines.push(
      textTable(
        ['table', 'key', 'metric', 'values (oldest first)', 'baseline', 'newest', 'noise', 'verdict'],
        cells.map((c) => [c.table, keyId(c.key), c.metric, c.values.map(value).join(' '), value(c.b), value(c.a), c.noise, c.verdict]),
      ),
    );
  lines.push(
    trend.status === 'one-run'
      ? 'one run recorded: nothing to hold the newest against yet'
      : trend.status === 'drift'
        ? `drift: ${trend.cells.filter(drifted).length} cell(s) of the newest run differ from the median of the earlier runs beyond noise, or vanished (exit 1)`
        : 'steady: every cell of the newest run is within noise of the median of the earlier runs',
  );
  return lines.join('\n');
}
