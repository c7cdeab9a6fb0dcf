// Shared by the paper-module tests: run a paper's cells in-process, and look a value up.
import { discardFiles } from '../../src/harness/cell-files.js';
import { silentProgress } from '../../src/core/progress.js';
import type { MeasuredRow, PaperModule, Profile, RowKey } from '../../src/core/types.js';
import { selectBackend } from '../../src/engine/backend.js';

/** Every cell except the MNIST training ones (those run through `repro <paper> --profile smoke`). */
export async function runAnalyticCells(paper: PaperModule, profile: Profile): Promise<MeasuredRow[]> {
  const rows: MeasuredRow[] = [];
  for (const cell of paper.plan(profile, 1).filter((c) => !c.id.startsWith('mnist-'))) {
    rows.push(...(await paper.runCell(cell, { profile, backend: 'cpu', dataDir: '/nonexistent', progress: silentProgress, files: discardFiles })));
  }
  return rows;
}

/**
 * The rows of every smoke cell, run here one after another on wasm (as the contract's smoke run,
 * test/papers/contract.test.ts, which also checks the CSVs and run.json): for a paper's own assertions.
 */
export async function runSmokeCells(paper: PaperModule, seed: number): Promise<MeasuredRow[]> {
  const backend = await selectBackend('wasm');
  const rows: MeasuredRow[] = [];
  for (const cell of paper.plan('smoke', seed)) {
    rows.push(
      ...(await paper.runCell(cell, { profile: 'smoke', backend: backend.name, dataDir: '/nonexistent', progress: silentProgress, files: discardFiles })),
    );
  }
  return rows;
}

/** The value of the row whose key contains `key`. */
export const valueOf = (rows: MeasuredRow[], table: string, key: RowKey, metric: string) =>
  rows.find((r) => r.table === table && r.metric === metric && Object.entries(key).every(([k, v]) => r.key[k] === v))?.value;
