// Training curves of a cell (issue #19): one row per trained epoch, written as curves/<cell-id>.csv into
// the cell's result set (ctx.files). Values only observe training: the records come from the loss and
// accuracy a training loop computes anyway, so no table value changes when curves are written.
//
//   const curves = trainingCurves(['seed', 'epoch', 'loss']);
//   ... onEpoch: (epoch, loss) => curves.add({ seed: i, epoch, loss }) ...
//   curves.write(ctx.files, cell.id);
import { stringify } from 'csv-stringify/sync';
import type { CellFiles } from '../core/types.js';
import { formatNumber } from './results.js';

export type CurveValue = string | number | null;

export interface TrainingCurves<C extends string> {
  readonly columns: readonly C[];
  /** Rows added so far. */
  readonly rows: readonly Readonly<Record<C, CurveValue>>[];
  /** One epoch of one trained network; every column must be given (null for a value not measured). */
  add(row: Record<C, CurveValue>): void;
  /** Rows from per-epoch losses (epoch 1..n), with the other columns from `fixed` (null where absent). */
  addLosses(losses: readonly number[], fixed?: Partial<Record<C, CurveValue>>): void;
  /** The CSV: a header, then one line per row; numbers as the tables write them (formatNumber). */
  csv(): string;
  /** Writes the CSV as curves/<cell-id>.csv (curvesFileName). */
  write(files: CellFiles, cellId: string): void;
}

/** <folder>/<cell-id>.csv, the id lower-cased and every run of characters a file name cannot hold made '-'. */
export function curvesFileName(cellId: string, folder: 'curves' | 'roc' = 'curves'): string {
  const stem = cellId
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^a-z0-9]+/, '');
  return `${folder}/${stem || 'cell'}.csv`;
}

/** Curves with `columns` in CSV order; they must include 'epoch' and 'loss'. */
export function trainingCurves<const C extends string>(columns: readonly C[]): TrainingCurves<C> {
  for (const required of ['epoch', 'loss'])
    if (!(columns as readonly string[]).includes(required)) throw new Error(`training curves need an '${required}' column (got ${columns.join(', ')})`);
  if (new Set(columns).size !== columns.length) throw new Error(`training curves: a column is repeated in ${columns.join(', ')}`);
  const rows: Record<C, CurveValue>[] = [];
  const curves: TrainingCurves<C> = {
    columns,
    rows,
    add(row) {
      for (const c of columns) if (!(c in row)) throw new Error(`training curves: row without column '${c}'`);
      for (const c of Object.keys(row)) if (!(columns as readonly string[]).includes(c)) throw new Error(`training curves: undeclared column '${c}'`);
      rows.push(Object.fromEntries(columns.map((c) => [c, row[c]])) as Record<C, CurveValue>);
    },
    addLosses(losses, fixed = {}) {
      losses.forEach((loss, i) => {
        const row = Object.fromEntries(columns.map((c) => [c, fixed[c] ?? null])) as Record<C, CurveValue>;
        curves.add({ ...row, epoch: i + 1, loss });
      });
    },
    csv() {
      return stringify([[...columns], ...rows.map((r) => columns.map((c) => curveCell(r[c])))]);
    },
    write(files, cellId) {
      files.write(curvesFileName(cellId), curves.csv());
    },
  };
  return curves;
}

/** A value as the curve files write it: numbers as the tables do (formatNumber), text as it is. */
const curveCell = (v: CurveValue | undefined): string => (typeof v === 'number' || v === null ? formatNumber(v) : (v ?? ''));

/**
 * curves/<cell-id>.csv with columns epoch,loss from a loop's per-epoch mean losses (for loops that
 * measure no accuracy while they train, e.g. the face recognisers' epochLosses, resumed epochs included).
 */
export function writeLossCurves(files: CellFiles, cellId: string, epochLosses: readonly number[]): void {
  const curves = trainingCurves(['epoch', 'loss']);
  curves.addLosses(epochLosses);
  curves.write(files, cellId);
}

/** One point of a verification ROC (the shape of eval's TarAtFar). */
export interface RocPoint {
  far: number;
  achievedFar: number;
  tar: number;
  threshold: number;
}

/**
 * roc/<cell-id>.csv: the verification ROCs a cell measured, one row per point, with the columns that
 * tell its curves apart first (e.g. the probe resolution r), then far, achieved_far, tar and threshold.
 */
export function writeRocCurves(
  files: CellFiles,
  cellId: string,
  curves: readonly { series: Readonly<Record<string, string | number>>; points: readonly RocPoint[] }[],
): void {
  const seriesColumns = [...new Set(curves.flatMap((c) => Object.keys(c.series)))];
  const rows = curves.flatMap((c) =>
    c.points.map((p) => [...seriesColumns.map((k) => curveCell(c.series[k])), ...[p.far, p.achievedFar, p.tar, p.threshold].map(curveCell)]),
  );
  files.write(curvesFileName(cellId, 'roc'), stringify([[...seriesColumns, 'far', 'achieved_far', 'tar', 'threshold'], ...rows]));
}
