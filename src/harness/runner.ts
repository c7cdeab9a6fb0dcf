// Runs one paper: inputs checked → folder locked → datasets → backend → cells → checker → CSVs and
// run.json, committed as one set (results.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend, type BackendChoice } from '../engine/backend.js';
import { check, overallStatus } from './checker.js';
import { DatasetMissingError, InputError, ReproError } from '../core/errors.js';
import { validateInputDir, validateOutDir } from '../core/paths.js';
import { assertSeed } from '../core/rng.js';
import { loadPaperExpected } from './expected.js';
import { lockResultsFolder } from './lock.js';
import { gitState, machineInfo, packageInfo, peakRssMiB, TFJS_VERSION, type CellRecord, type RunManifest } from './manifest.js';
import { cellsProgress, cellTaskProgress, silentProgress, type Progress } from '../core/progress.js';
import { runCellsInPool, type CellOutcome } from './pool.js';
import { collectCellFiles, mergeCellFiles, type FileContents } from './cell-files.js';
import { appendHistory, estimateRemainingMs, historyRecord, priorCellDurations } from './history.js';
import { checkpointsDir, commitResultSet, newRunId, recoverResultSet, resultsDir, RUN_FILE, sha256, tableCsv } from './results.js';
import type { CellContext, CellPlan, CheckReport, MeasuredRow, PaperModule, Profile } from '../core/types.js';

export const DEFAULT_SEED = 20240601;

/** The id under which run.json records PaperModule.summarise, beside the cells. */
export const SUMMARY_ID = 'summary';

/** Most worker processes a run may start (`--jobs`); more than cores only adds memory. */
export const MAX_JOBS = 256;

export interface RunOptions {
  profile: Profile;
  seed: number;
  backend: BackendChoice;
  /** Root of the results tree; files go to <outRoot>/<paper>/<profile>/ (resultsRootFor in results.ts picks it). */
  outRoot: string;
  /** Root of resumable training state, <checkpointRoot>/.checkpoints/...; default outRoot. */
  checkpointRoot?: string;
  /** Recorded in run.json; one id for every paper of one invocation. Default: a new one per paper. */
  runId?: string;
  /** The command line recorded in run.json; default process.argv after the node binary. */
  command?: string[];
  dataDir: string;
  progress?: Progress;
  /** Worker processes for independent cells (pool.ts); 1 or unset runs them here, one after another. */
  jobs?: number;
  /**
   * URL of a module exporting `PAPERS` (src/papers/index.ts): worker processes find the paper there by id.
   * Without it the cells run in this process whatever `jobs` says.
   */
  registryUrl?: string;
  /** The run history (history.ts) this set's record is appended to after the set is written; unset: none. */
  historyFile?: string;
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

/**
 * Checks every option that can be wrong before any work (exit 2 naming the flag and the fix):
 * seed, jobs, the results root and the data directory. Returns the folders made absolute.
 */
export function validateRunOptions(options: RunOptions): { outRoot: string; dataDir: string; checkpointRoot?: string } {
  assertSeed(options.seed);
  if (options.jobs !== undefined && !(Number.isInteger(options.jobs) && options.jobs >= 1 && options.jobs <= MAX_JOBS)) {
    throw new InputError(
      `--jobs ${options.jobs} is not a whole number from 1 to ${MAX_JOBS}. Fix: give the number of worker processes (1 runs the cells in this process).`,
    );
  }
  const checked = { outRoot: validateOutDir(options.outRoot, '--out'), dataDir: validateInputDir(options.dataDir, '--data-dir') };
  return options.checkpointRoot === undefined ? checked : { ...checked, checkpointRoot: validateOutDir(options.checkpointRoot, '--out') };
}

/** Runs a paper module: its cells, the checker, then the CSVs and run.json. */
export async function runPaper(paper: PaperModule, runOptions: RunOptions): Promise<PaperRun> {
  const options = { ...runOptions, ...validateRunOptions(runOptions) };
  const expected = loadPaperExpected(paper);
  const progress = options.progress ?? silentProgress;
  requireDatasets(paper, options.profile, options.dataDir);
  const dir = resultsDir(options.outRoot, paper.id, options.profile);
  const lock = lockResultsFolder(dir, (message) => progress.log(`warning: ${message}`));
  try {
    for (const message of recoverResultSet(dir)) progress.log(`${paper.id}: ${message}`);
    return await runLocked(paper, options, expected, dir, progress);
  } finally {
    progress.stop();
    lock.release();
  }
}

async function runLocked(
  paper: PaperModule,
  options: RunOptions,
  expected: ReturnType<typeof loadPaperExpected>,
  dir: string,
  progress: Progress,
): Promise<PaperRun> {
  const backend = await selectBackend(options.backend);
  progress.log(`${paper.id}: backend ${backend.name} (${backend.reason})`);

  const startedAt = new Date();
  const cells = paper.plan(options.profile, options.seed);
  const checkpointRoot = checkpointsDir(options.checkpointRoot ?? options.outRoot, paper.id, options.profile);
  const rows: MeasuredRow[] = [];
  const records: CellRecord[] = [];
  const cellFiles: FileContents = {};
  const durations = options.historyFile ? priorDurations(options.historyFile, paper.id, options.profile, progress) : new Map<string, number>();
  // Parallel cells (pool.ts): rows in plan order; failed or crashed cells recorded; a ReproError stops the run.
  // Workers find the paper by id in the registry they are handed; without one the cells run here.
  const base = { profile: options.profile, backend: backend.name, dataDir: options.dataDir };
  const outcomes =
    (options.jobs ?? 1) > 1 && cells.length > 1 && options.registryUrl !== undefined
      ? await runCellsInPool({
          ...base,
          paperId: paper.id,
          registryUrl: options.registryUrl,
          cells,
          jobs: options.jobs,
          checkpointRoot,
          progress,
          cellDurationsMs: durations,
        })
      : await runCellsHere(paper, cells, { ...base, checkpointRoot, progress, durations });
  for (const { cell, rows: cellRows, files, durationMs, peakRssMiB: rss, error } of outcomes) {
    let problem = error;
    try {
      mergeCellFiles(cellFiles, cell.id, files);
    } catch (mergeError) {
      problem ??= (mergeError as Error).message;
    }
    if (!problem) rows.push(...cellRows);
    const memory = rss === undefined ? {} : { peakRssMiB: rss };
    records.push({ id: cell.id, seed: cell.seed, durationMs, ...memory, ...(problem ? { error: problem } : {}) });
  }
  progress.stop();
  if (paper.summarise) await summariseCells(paper, options, rows, records, cellFiles, progress);

  const report = check(paper.id, options.profile, rows, expected);
  const failedCells = records.filter((r) => r.error);
  const status = failedCells.length > 0 ? 'fail' : overallStatus(report);
  const manifest: RunManifest = {
    paper: paper.id,
    runId: options.runId ?? newRunId(startedAt),
    command: options.command ?? process.argv.slice(1),
    profile: options.profile,
    seed: options.seed,
    package: packageInfo(),
    git: gitState(),
    node: process.version,
    tfjs: TFJS_VERSION,
    machine: machineInfo(),
    backend,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    cells: records,
    status,
    checks: {
      rows: report.rows.map((r) => ({ table: r.table, key: r.key, metric: r.metric, status: r.status })),
      claims: report.claims,
    },
    files: {},
  };
  const files: FileContents = { ...cellFiles };
  for (const table of paper.tables) {
    const tableRows = report.rows.filter((r) => r.table === table.id);
    if (tableRows.length > 0) files[`${table.id}.csv`] = tableCsv(table, tableRows);
  }
  for (const [name, content] of Object.entries(files)) manifest.files![name] = sha256(content);
  files[RUN_FILE] = `${JSON.stringify(manifest, null, 2)}\n`;
  commitResultSet(dir, files);
  if (options.historyFile) {
    // The results are written whatever happens here: a history that cannot be appended to costs a warning only.
    try {
      appendHistory(options.historyFile, historyRecord(manifest, report));
    } catch (error) {
      progress.log(`warning: could not append to the run history ${options.historyFile}: ${(error as Error).message}`);
    }
  }
  return { report, manifest, dir };
}

/** The cells one after another in this process, with the same outcomes as the pool's; a ReproError stops the run. */
async function runCellsHere(
  paper: PaperModule,
  cells: readonly CellPlan[],
  options: Omit<CellContext, 'progress' | 'checkpointDir' | 'files'> & { checkpointRoot: string; progress: Progress; durations: ReadonlyMap<string, number> },
): Promise<CellOutcome[]> {
  const { checkpointRoot, progress, durations, ...base } = options;
  const board = cellsProgress(progress, {
    paperId: paper.id,
    cellIds: cells.map((c) => c.id),
    workers: 1,
    estimateMs: (unfinished) => estimateRemainingMs(unfinished, durations, 1),
  });
  const outcomes: CellOutcome[] = [];
  try {
    for (const [i, cell] of cells.entries()) {
      board.started(i);
      const t0 = performance.now();
      const { sink, files } = collectCellFiles(paper.id, cell.id, paper.tables);
      const ctx = { ...base, progress: cellTaskProgress(board, i, (m) => progress.log(m)), checkpointDir: join(checkpointRoot, cell.id), files: sink };
      try {
        const rows = await paper.runCell(cell, ctx);
        outcomes.push({ cell, rows, files, durationMs: Math.round(performance.now() - t0), peakRssMiB: peakRssMiB() });
        board.ended(i);
      } catch (error) {
        if (error instanceof ReproError) throw error; // the user's input is wrong: stop, write nothing
        const message = error instanceof Error ? error.message : String(error);
        outcomes.push({ cell, rows: [], files: {}, durationMs: Math.round(performance.now() - t0), peakRssMiB: peakRssMiB(), error: message });
        board.ended(i, message);
      }
    }
  } finally {
    board.stop();
  }
  return outcomes;
}

/** The earlier runs' cell durations for the ETA of the progress lines; a damaged history costs a warning only. */
function priorDurations(file: string, paper: string, profile: Profile, progress: Progress): Map<string, number> {
  try {
    return priorCellDurations(file, paper, profile);
  } catch (error) {
    progress.log(`warning: no time estimates: ${(error as Error).message}`);
    return new Map();
  }
}

/**
 * The paper's rows derived from every cell's (PaperModule.summarise), added to `rows`; a failure is recorded
 * as a failed 'summary' entry among the cells, like a failed cell, and leaves no derived row or file.
 */
async function summariseCells(
  paper: PaperModule,
  { profile, seed }: RunOptions,
  rows: MeasuredRow[],
  records: CellRecord[],
  cellFiles: FileContents,
  progress: Progress,
): Promise<void> {
  const t0 = performance.now();
  try {
    const { sink, files } = collectCellFiles(paper.id, SUMMARY_ID, paper.tables);
    const derived = await paper.summarise!(profile, rows, sink);
    mergeCellFiles(cellFiles, SUMMARY_ID, files);
    rows.push(...derived);
    records.push({ id: SUMMARY_ID, seed, durationMs: Math.round(performance.now() - t0), peakRssMiB: peakRssMiB() });
  } catch (error) {
    if (error instanceof ReproError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    progress.log(`${paper.id}: the summary of the cells failed: ${message}`);
    records.push({ id: SUMMARY_ID, seed, durationMs: Math.round(performance.now() - t0), error: message });
  }
}
