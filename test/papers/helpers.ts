// Shared by the paper-module tests: run a paper's cells in-process, and look a value up.
import { collectCellFiles, discardFiles, type FileContents } from '../../src/harness/cell-files.js';
import { silentProgress } from '../../src/core/progress.js';
import type { CellPlan, MeasuredRow, PaperModule, Profile, RowKey } from '../../src/core/types.js';
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

/**
 * One planned cell of `profile`, run here on wasm with the files it writes collected (names checked as
 * the harness checks them); `patch` changes its params (e.g. more epochs than the profile has).
 */
export async function runCellWithFiles(
  paper: PaperModule,
  profile: Profile,
  cellId: string,
  seed: number,
  patch: Record<string, unknown> = {},
): Promise<{ cell: CellPlan; rows: MeasuredRow[]; files: FileContents }> {
  const planned = paper.plan(profile, seed).find((c) => c.id === cellId);
  if (!planned) throw new Error(`${paper.id} plans no cell '${cellId}' at ${profile}`);
  const cell = { ...planned, params: { ...(planned.params as Record<string, unknown>), ...patch } };
  const backend = await selectBackend('wasm');
  const { sink, files } = collectCellFiles(paper.id, cell.id, paper.tables);
  const rows = await paper.runCell(cell, { profile, backend: backend.name, dataDir: '/nonexistent', progress: silentProgress, files: sink });
  return { cell, rows, files };
}

/** The rows of a CSV file a cell wrote (header first), split naively: for files without quoted commas. */
export function csvRows(content: string | Uint8Array | undefined): string[][] {
  if (typeof content !== 'string') throw new Error('not a text file');
  return content
    .trimEnd()
    .split('\n')
    .map((line) => line.split(','));
}
