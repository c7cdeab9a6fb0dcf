// The run history: one JSON line per result set a run writes (runs/history.jsonl by default), so a
// maintainer who runs every paper nightly can see a cell's values over time and which cells drifted.
// JSON Lines because it is append-only (a run adds one line and never rewrites the others), readable
// and diffable as text, and a crash while appending damages at most the last line, which is skipped
// with a warning. Drift is judged with `repro compare`'s rule (compare.ts): the newest run against the
// median of the earlier ones, held against the seed spread, else the expected cell's tolerance, else exact.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../core/errors.js';
import type { CheckReport, MeasuredRow, Profile } from '../core/types.js';
import { keyId } from './checker.js';
import { compareRows, type CellComparison, type PaperLookup } from './compare.js';
import type { RunManifest } from './manifest.js';

/** The history's name beside the runs: runs/history.jsonl, or <out>/history.jsonl for a run with --out. */
export const HISTORY_FILE = 'history.jsonl';

/** One result set as the history keeps it: what ran, on what, how long each cell took, and every measured value. */
export interface HistoryRecord {
  runId: string;
  paper: string;
  profile: Profile;
  seed: number;
  startedAt: string;
  endedAt: string;
  git: { commit: string; dirty: boolean };
  backend: string;
  cores: number | null;
  status: 'pass' | 'fail';
  cells: { id: string; durationMs: number; error?: string }[];
  rows: MeasuredRow[];
}

export function historyRecord(manifest: RunManifest, report: CheckReport): HistoryRecord {
  return {
    runId: manifest.runId ?? manifest.startedAt,
    paper: manifest.paper,
    profile: manifest.profile,
    seed: manifest.seed,
    startedAt: manifest.startedAt,
    endedAt: manifest.endedAt,
    git: manifest.git,
    backend: manifest.backend.name,
    cores: manifest.machine?.cores ?? null,
    status: manifest.status,
    cells: manifest.cells.map(({ id, durationMs, error }) => (error ? { id, durationMs, error } : { id, durationMs })),
    rows: report.rows.map(({ table, key, metric, value }) => ({ table, key, metric, value })),
  };
}

/** Adds one line; the folder is made if missing. */
export function appendHistory(file: string, record: HistoryRecord): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}

/**
 * Every record of a history file, oldest first; no file is an empty history. A last line that does not
 * parse (a run killed while appending) is skipped with a warning; a damaged line before it is an
 * InputError naming file:line, since skipping it would hide a run.
 */
export function readHistory(file: string): { records: HistoryRecord[]; warnings: string[] } {
  if (!existsSync(file)) return { records: [], warnings: [] };
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const records: HistoryRecord[] = [];
  const warnings: string[] = [];
  for (const [i, line] of lines.entries()) {
    const problem = recordProblem(line);
    if (problem === null) {
      records.push(JSON.parse(line) as HistoryRecord);
    } else if (i === lines.length - 1) {
      warnings.push(`${file}:${i + 1}: skipped a damaged last line (${problem}); a run was probably stopped while writing it`);
    } else {
      throw new InputError(`${file}:${i + 1}: ${problem}. Fix: delete or mend that line (one JSON record per line).`);
    }
  }
  return { records, warnings };
}

function recordProblem(line: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  const r = value as Partial<HistoryRecord> | null;
  if (typeof r !== 'object' || r === null) return 'not a JSON object';
  for (const field of ['runId', 'paper', 'profile', 'startedAt'] as const) if (typeof r[field] !== 'string') return `no string "${field}"`;
  if (!Array.isArray(r.rows) || !Array.isArray(r.cells)) return 'no "rows" and "cells" arrays';
  return null;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Median wall time of each cell over the runs where it succeeded: what the next run of it will probably take. */
export function cellDurations(records: readonly HistoryRecord[]): Map<string, number> {
  const times = new Map<string, number[]>();
  for (const r of records) for (const c of r.cells) if (!c.error) times.set(c.id, [...(times.get(c.id) ?? []), c.durationMs]);
  return new Map([...times].map(([id, ms]) => [id, median(ms)]));
}

/**
 * About how long the cells `ids` still take on `workers` processes, from their median durations:
 * the larger of the even share and the longest cell. Null when a cell has no recorded duration.
 */
export function estimateRemainingMs(ids: readonly string[], durations: ReadonlyMap<string, number>, workers = 1): number | null {
  const known = ids.map((id) => durations.get(id));
  if (known.some((ms) => ms === undefined)) return null;
  const ms = known as number[];
  return ms.length === 0 ? 0 : Math.max(ms.reduce((a, b) => a + b, 0) / Math.max(1, workers), Math.max(...ms));
}

/** The cell durations of the newest runs of one paper and profile in a history file; empty when there is none. */
export function priorCellDurations(file: string, paper: string, profile: Profile, last = 5): Map<string, number> {
  const { records } = readHistory(file);
  return cellDurations(records.filter((r) => r.paper === paper && r.profile === profile).slice(-last));
}

export interface TrendQuery {
  paper: string;
  profile: Profile;
  table?: string;
  metric?: string;
  /** The newest runs to consider (default 10). */
  last?: number;
}

export interface CellTrend extends CellComparison {
  /** The cell's value in each run of HistoryTrend.runs, oldest first; null where that run lacked it. */
  values: (number | null)[];
}

export interface HistoryTrend {
  paper: string;
  profile: Profile;
  runs: { runId: string; startedAt: string; commit: string; dirty: boolean; status: 'pass' | 'fail' }[];
  /**
   * Every cell; `a` is the newest run's value, `b` the median of the earlier runs' (the baseline);
   * verdict only-a: new in the newest run (or the only run), only-b: the newest run lacks it.
   */
  cells: CellTrend[];
  /** drift: a cell of the newest run differs from the baseline beyond noise, or is missing from it. */
  status: 'drift' | 'steady' | 'one-run';
}

/** The chosen cells over the newest `last` runs of one paper and profile, and whether the newest drifted. */
export function historyTrend(records: readonly HistoryRecord[], query: TrendQuery, lookup: PaperLookup): HistoryTrend {
  const picked = (rows: MeasuredRow[]) =>
    rows.filter((r) => (query.table === undefined || r.table === query.table) && (query.metric === undefined || r.metric === query.metric));
  const runs = records.filter((r) => r.paper === query.paper && r.profile === query.profile).slice(-(query.last ?? 10));
  const { tables, expected } = lookup(query.paper);
  const newest = runs.at(-1);
  const earlier = runs.slice(0, -1);
  const byCell = new Map<string, { row: MeasuredRow; values: (number | null)[] }>();
  for (const [i, run] of runs.entries()) {
    for (const row of picked(run.rows)) {
      const id = `${row.table}|${keyId(row.key)}|${row.metric}`;
      const entry = byCell.get(id) ?? { row, values: runs.map(() => null) };
      entry.values[i] = row.value;
      byCell.set(id, entry);
    }
  }
  // The baseline: each cell's median over the earlier runs that measured a finite value.
  const baseline: MeasuredRow[] = [...byCell.values()].flatMap(({ row, values }) => {
    const before = values.slice(0, -1);
    const finite = before.filter((v): v is number => v !== null && Number.isFinite(v));
    return before.some((v) => v !== null) ? [{ ...row, value: finite.length > 0 ? median(finite) : null }] : [];
  });
  const newestRows = newest ? picked(newest.rows) : [];
  const set = (dir: string) => ({ paper: query.paper, profile: query.profile, dir });
  const cells: CellTrend[] = compareRows(set('newest'), set('baseline'), newestRows, baseline, tables, expected).map((cell) => ({
    ...cell,
    values: byCell.get(`${cell.table}|${keyId(cell.key)}|${cell.metric}`)!.values,
  }));
  const drifted = cells.some((c) => c.verdict === 'beyond-noise' || c.verdict === 'only-b');
  return {
    paper: query.paper,
    profile: query.profile,
    runs: runs.map((r) => ({ runId: r.runId, startedAt: r.startedAt, commit: r.git.commit, dirty: r.git.dirty, status: r.status })),
    cells,
    status: earlier.length === 0 ? 'one-run' : drifted ? 'drift' : 'steady',
  };
}
