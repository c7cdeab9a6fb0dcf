// Mean and spread over seed cells: a paper that trains one cell per seed (so that workers run seeds in
// parallel) derives its `seed = mean` and `seed = sd` rows from theirs in `summarise` (define-paper.ts).
import type { MeasuredRow } from '../core/types.js';

/** Sample mean and standard deviation (n − 1); sd is null for fewer than two values. */
export function sampleMeanSd(values: readonly number[]): { mean: number; sd: number | null } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length < 2) return { mean, sd: null };
  return { mean, sd: Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)) };
}

/**
 * The rows at numeric seeds grouped by (table, key without `seedColumn`, metric), in the order the groups
 * first appear and, within a group, in the order of `rows`.
 */
export function seedGroups<Row extends MeasuredRow>(rows: readonly Row[], include: (row: Row) => boolean = () => true, seedColumn = 'seed'): Row[][] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    if (typeof row.key[seedColumn] !== 'number' || !include(row)) continue;
    const { [seedColumn]: _seed, ...rest } = row.key;
    const id = JSON.stringify([row.table, rest, row.metric]);
    groups.set(id, [...(groups.get(id) ?? []), row]);
  }
  return [...groups.values()];
}

/** How a claimed relation fared over the seeds, for the notes of the stability tables. */
export function seedStabilityVerdict(holding: number, seeds: number): string {
  return holding === seeds ? 'stable: holds on every seed' : holding === 0 ? 'stable: fails on every seed' : 'unstable: flips between seeds';
}

/**
 * For every (table, key without `seedColumn`, metric) with rows at numeric seeds: a row at seed 'mean' and
 * one at seed 'sd' over the finite values, in the order the groups first appear. `planned` is how many seeds
 * the profile planned, so that a mean over fewer (a seed cell failed) says so; `include` picks the metrics.
 */
export function seedSummaryRows<Row extends MeasuredRow>(
  rows: readonly Row[],
  planned: number,
  include: (row: Row) => boolean = () => true,
  seedColumn = 'seed',
): Row[] {
  const out: Row[] = [];
  for (const group of seedGroups(rows, include, seedColumn)) {
    const first = group[0]!;
    const values = group.map((r) => r.value).filter((v): v is number => v !== null && Number.isFinite(v));
    const { mean, sd } = values.length > 0 ? sampleMeanSd(values) : { mean: null, sd: null };
    const at = (seed: string) => ({ ...first.key, [seedColumn]: seed });
    out.push(
      { ...first, key: at('mean'), value: mean, note: `mean over ${values.length} of ${planned} seeds` },
      { ...first, key: at('sd'), value: sd, note: values.length > 1 ? `sample sd (n - 1) over ${values.length} seeds` : 'fewer than two seeds: no spread' },
    );
  }
  return out;
}
