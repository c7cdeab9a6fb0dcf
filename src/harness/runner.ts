// Runs one paper: datasets → backend → cells → checker → CSVs and run.json (atomically).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend, type BackendChoice } from '../engine/backend.js';
import { check, overallStatus } from './checker.js';
import { DatasetMissingError, ReproError } from '../core/errors.js';
import { loadExpected } from './expected.js';
import { gitState, packageInfo, TFJS_VERSION, type CellRecord, type RunManifest } from './manifest.js';
import { silentProgress, type Progress } from '../core/progress.js';
import { runCellsInPool } from './pool.js';
import { checkpointsDir, resultsDir, tableCsv, writeFilesAtomically } from './results.js';
import type { CheckReport, MeasuredRow, PaperModule, Profile } from '../core/types.js';

export const DEFAULT_SEED = 20240601;

export interface RunOptions {
  profile: Profile;
  seed: number;
  backend: BackendChoice;
  /** Root of the results tree; files go to <outRoot>/<paper>/<profile>/. */
  outRoot: string;
  dataDir: string;
  progress?: Progress;
  /** Worker processes for independent cells (pool.ts); 1 or unset runs them here, one after another. */
  jobs?: number;
  /**
   * URL of a module exporting `PAPERS` (src/papers/index.ts): worker processes find the paper there by id.
   * Without it the cells run in this process whatever `jobs` says.
   */
  registryUrl?: string;
}

export interface PaperRun {
  report: CheckReport;
  manifest: RunManifest;
  dir: string;
}

/** Throws DatasetMissingError (exit 3) naming every missing dataset and how to get it. */
export function requireDatasets(paper: PaperModule, profile: Profile, dataDir: string): void {
  const missing = paper.datasets(profile, dataDir).filter((d) => !existsSync(d.path));
  if (missing.length === 0) return;
  const lines = missing.map((d) => `  ${d.name}: expected at ${d.path}\n    ${d.howToObtain}`);
  throw new DatasetMissingError(
    `repro ${paper.id} --profile ${profile} needs datasets that are not in the data directory ${dataDir}:\n` +
      `${lines.join('\n')}\nSet --data-dir or REPRO_DATA_DIR, or run a profile on embedded data (--profile quick).`,
  );
}

/** Runs a paper module: its cells, the checker, then the CSVs and run.json. */
export async function runPaper(paper: PaperModule, options: RunOptions): Promise<PaperRun> {
  const expected = loadExpected(paper.id);
  const progress = options.progress ?? silentProgress;
  requireDatasets(paper, options.profile, options.dataDir);
  const backend = await selectBackend(options.backend);
  progress.log(`${paper.id}: backend ${backend.name} (${backend.reason})`);

  const startedAt = new Date();
  const cells = paper.plan(options.profile, options.seed);
  const checkpointRoot = checkpointsDir(options.outRoot, paper.id, options.profile);
  const rows: MeasuredRow[] = [];
  const records: CellRecord[] = [];
  // Parallel cells (pool.ts): rows in plan order; failed or crashed cells recorded; a ReproError stops the run.
  // Workers find the paper by id in the registry they are handed; without one the cells run here.
  const pooled =
    (options.jobs ?? 1) > 1 && cells.length > 1 && options.registryUrl !== undefined
      ? await runCellsInPool({ paperId: paper.id, registryUrl: options.registryUrl, cells, jobs: options.jobs, backend: backend.name, profile: options.profile, dataDir: options.dataDir, checkpointRoot, progress })
      : [];
  for (const { cell, rows: cellRows, durationMs, error } of pooled) {
    rows.push(...cellRows);
    records.push(error ? { id: cell.id, seed: cell.seed, durationMs, error } : { id: cell.id, seed: cell.seed, durationMs });
  }
  for (const [i, cell] of (pooled.length > 0 ? [] : cells).entries()) {
    progress.log(`${paper.id}: cell ${i + 1}/${cells.length} ${cell.id}`);
    const t0 = performance.now();
    try {
      const checkpointDir = join(checkpointRoot, cell.id);
      rows.push(...(await paper.runCell(cell, { profile: options.profile, backend: backend.name, dataDir: options.dataDir, progress, checkpointDir })));
      records.push({ id: cell.id, seed: cell.seed, durationMs: Math.round(performance.now() - t0) });
    } catch (error) {
      progress.stop();
      if (error instanceof ReproError) throw error; // the user's input is wrong: stop, write nothing
      const message = error instanceof Error ? error.message : String(error);
      progress.log(`${paper.id}: cell ${cell.id} failed: ${message}`);
      records.push({ id: cell.id, seed: cell.seed, durationMs: Math.round(performance.now() - t0), error: message });
    }
  }
  progress.stop();

  const report = check(paper.id, options.profile, rows, expected);
  const failedCells = records.filter((r) => r.error);
  const status = failedCells.length > 0 ? 'fail' : overallStatus(report);
  const manifest: RunManifest = {
    paper: paper.id,
    profile: options.profile,
    seed: options.seed,
    package: packageInfo(),
    git: gitState(),
    node: process.version,
    tfjs: TFJS_VERSION,
    backend,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    cells: records,
    status,
    checks: {
      rows: report.rows.map((r) => ({ table: r.table, key: r.key, metric: r.metric, status: r.status })),
      claims: report.claims,
    },
  };
  const dir = resultsDir(options.outRoot, paper.id, options.profile);
  const files: Record<string, string> = {};
  for (const table of paper.tables) {
    const tableRows = report.rows.filter((r) => r.table === table.id);
    if (tableRows.length > 0) files[`${table.id}.csv`] = tableCsv(table, tableRows);
  }
  files['run.json'] = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFilesAtomically(dir, files);
  return { report, manifest, dir };
}
