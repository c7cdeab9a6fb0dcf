// Shared by the paper-module tests: run a paper's analytic cells in-process, and look a value up.
import { silentProgress } from '../../src/core/progress.js';
import type { MeasuredRow, PaperModule, Profile, RowKey } from '../../src/core/types.js';

/** Every cell except the MNIST training ones (those run through `repro <paper> --profile smoke`). */
export async function runAnalyticCells(paper: PaperModule, profile: Profile): Promise<MeasuredRow[]> {
  const rows: MeasuredRow[] = [];
  for (const cell of paper.plan(profile, 1).filter((c) => !c.id.startsWith('mnist-'))) {
    rows.push(...(await paper.runCell(cell, { profile, backend: 'cpu', dataDir: '/nonexistent', progress: silentProgress })));
  }
  return rows;
}

/** The value of the row whose key contains `key`. */
export const valueOf = (rows: MeasuredRow[], table: string, key: RowKey, metric: string) =>
  rows.find((r) => r.table === table && r.metric === metric && Object.entries(key).every(([k, v]) => r.key[k] === v))?.value;
