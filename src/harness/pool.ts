// Parallel cells (docs/DESIGN.md "Engine facts": one wasm process uses one core, so independent cells run in a
// pool of worker processes). Each worker is a fork of this very file: it imports the paper registry, selects
// the same backend as the parent, and runs `paper.runCell(cell, ctx)` for the cells it is handed, one at a
// time. Results come back in plan order whatever the number of workers, so a run's CSVs do not depend on
// --jobs. A worker that dies (signal, exit, out of memory) fails only the cell it was running; the pool
// starts a replacement and the run goes on. A ReproError in a cell (bad input) stops the run, as in-process.
//
// Workers run JavaScript: from dist/ this file is dist/harness/pool.js and forks itself. From TypeScript
// sources (vitest) a loader must be given in `execArgv` (test/engine/fixtures/register-ts.mjs does it).
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { DatasetMissingError, EXIT, InputError, ReproError } from '../core/errors.js';
import { cellsProgress, silentProgress, type CellsProgress, type Progress } from '../core/progress.js';
import type { CellPlan, MeasuredRow, PaperModule, Profile } from '../core/types.js';
import { collectCellFiles, type FileContents } from './cell-files.js';
import { estimateRemainingMs } from './history.js';
import { peakRssMiB } from './manifest.js';

export interface PoolOptions {
  paperId: string;
  cells: CellPlan[];
  /** Worker processes; default one per core. */
  jobs?: number;
  /** The backend name the parent selected ('wasm', 'cpu', 'tensorflow'); every worker selects the same. */
  backend: string;
  profile: Profile;
  dataDir: string;
  /** Each cell gets <checkpointRoot>/<cell id> as its checkpoint folder. */
  checkpointRoot?: string;
  progress?: Progress;
  /** Least time between two progress lines of one cell, except its tasks' first and last step (default 30 s). */
  progressIntervalMs?: number;
  /** Median durations of the cells in earlier runs (history.ts), for the time left in the progress lines. */
  cellDurationsMs?: ReadonlyMap<string, number>;
  /** URL of the module exporting `PAPERS: PaperModule[]` (src/papers/index.ts) where workers find the paper. */
  registryUrl: string;
  /** Node flags of the workers, e.g. a TypeScript loader when running from sources. */
  execArgv?: string[];
  /** The worker script; default this file. */
  workerScript?: string;
}

export interface CellOutcome {
  cell: CellPlan;
  rows: MeasuredRow[];
  /** The files the cell wrote (CellContext.files); none when it failed. */
  files: FileContents;
  durationMs: number;
  /** Peak RSS of the worker up to the cell's end (absent when the worker crashed). */
  peakRssMiB?: number;
  /** Set when the cell failed (an exception, a non-finite loss, or its worker crashed). */
  error?: string;
}

/** One worker per core (os.availableParallelism). */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

// ---- messages ----------------------------------------------------------------------------------------
interface InitMessage {
  type: 'init';
  registryUrl: string;
  paperId: string;
  backend: string;
  profile: Profile;
  dataDir: string;
  checkpointRoot?: string;
}
interface RunMessage {
  type: 'run';
  index: number;
  cell: CellPlan;
}
type ToWorker = InitMessage | RunMessage;

interface SerializedError {
  message: string;
  /** Set for ReproErrors: their class name and exit code. */
  repro?: { name: string; exitCode: number };
}
type FromWorker =
  | { type: 'ready' }
  | { type: 'init-failed'; error: SerializedError }
  | { type: 'log'; message: string }
  | { type: 'progress'; index: number; label: string; done: number; total: number; info: string }
  | { type: 'done'; index: number; rows: MeasuredRow[]; files: FileContents; durationMs: number; peakRssMiB: number }
  | { type: 'failed'; index: number; error: SerializedError; durationMs: number; peakRssMiB: number };

function serializeError(error: unknown): SerializedError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ReproError) return { message, repro: { name: error.name, exitCode: error.exitCode } };
  return { message };
}

function reviveReproError(error: SerializedError): ReproError {
  const repro = error.repro!;
  if (repro.name === 'DatasetMissingError' || repro.exitCode === EXIT.datasetMissing) return new DatasetMissingError(error.message);
  if (repro.name === 'InputError') return new InputError(error.message);
  return new ReproError(error.message, repro.exitCode);
}

// ---- parent side -------------------------------------------------------------------------------------
const THIS_FILE = fileURLToPath(import.meta.url);

/** Runs the cells in worker processes; resolves with one outcome per cell, in plan order. */
export async function runCellsInPool(options: PoolOptions): Promise<CellOutcome[]> {
  const cells = options.cells;
  if (cells.length === 0) return [];
  const jobs = Math.max(1, Math.min(options.jobs ?? defaultJobs(), cells.length));
  const workerScript = options.workerScript ?? THIS_FILE;
  if (workerScript.endsWith('.ts') && !options.execArgv?.length) {
    throw new Error(
      `parallel cells need compiled JavaScript: ${workerScript} is TypeScript. Run \`npm run build\` and use bin/run.js, ` +
        'or pass a TypeScript loader in execArgv.',
    );
  }
  return new Promise<CellOutcome[]>((resolve, reject) => {
    const pool = new Pool(options, jobs, workerScript, resolve, reject);
    for (let i = 0; i < jobs; i++) pool.startWorker();
  });
}

/** One worker process and the cell it is running (null between cells). */
interface PoolWorker {
  child: ChildProcess;
  current: number | null;
  /** performance.now() when the current cell was handed out. */
  started: number;
  /** The worker has loaded the registry and selected the backend. */
  ready: boolean;
}

/** The parent side of one pooled run: the next cell to hand out, the outcomes so far, the live workers. */
class Pool {
  private readonly cells: CellPlan[];
  private readonly progress: Progress;
  private readonly board: CellsProgress;
  private readonly init: InitMessage;
  private readonly outcomes: (CellOutcome | undefined)[];
  private readonly live = new Set<ChildProcess>();
  private next = 0;
  private finished = 0;
  private settled = false;

  constructor(
    private readonly options: PoolOptions,
    jobs: number,
    private readonly workerScript: string,
    private readonly resolve: (outcomes: CellOutcome[]) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.cells = options.cells;
    this.progress = options.progress ?? silentProgress;
    this.board = cellsProgress(this.progress, {
      paperId: options.paperId,
      cellIds: this.cells.map((c) => c.id),
      workers: jobs,
      estimateMs: (unfinished) => estimateRemainingMs(unfinished, options.cellDurationsMs ?? new Map(), jobs),
      intervalMs: options.progressIntervalMs,
    });
    this.init = {
      type: 'init',
      registryUrl: options.registryUrl,
      paperId: options.paperId,
      backend: options.backend,
      profile: options.profile,
      dataDir: options.dataDir,
      checkpointRoot: options.checkpointRoot,
    };
    this.outcomes = new Array(this.cells.length);
  }

  /** Ends the run once: kills the live workers, then resolves with the outcomes or rejects with `error`. */
  private settle(error?: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.board.stop();
    for (const child of this.live) child.kill('SIGKILL');
    if (error) this.reject(error);
    else this.resolve(this.outcomes as CellOutcome[]);
  }

  /** The first outcome of a cell counts; the run settles when every cell has one. */
  private record(index: number, outcome: Omit<CellOutcome, 'cell'>): void {
    if (this.outcomes[index]) return;
    const cells = this.cells;
    this.outcomes[index] = { cell: cells[index], ...outcome };
    this.finished++;
    this.board.ended(index, outcome.error);
    if (this.finished === cells.length) this.settle();
  }

  startWorker(): void {
    if (this.settled || this.next >= this.cells.length) return;
    const child = fork(this.workerScript, [], {
      execArgv: this.options.execArgv ?? [],
      env: { ...process.env, REPRO_POOL_WORKER: '1' },
      serialization: 'advanced', // structured clone: NaN and -0 survive, unlike JSON
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.live.add(child);
    child.stdout?.on('data', (chunk: Buffer) => this.passOutput(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.passOutput(chunk));
    const worker: PoolWorker = { child, current: null, started: 0, ready: false };
    child.on('message', (raw) => this.onMessage(worker, raw as FromWorker));
    child.on('error', (error) => {
      // fork itself failed or the IPC channel broke; the 'exit' handler reports the cell.
      this.progress.log(`${this.options.paperId}: worker error: ${error.message}`);
    });
    child.on('exit', (code, signal) => this.onExit(worker, code, signal));
    child.send(this.init satisfies ToWorker);
  }

  /**
   * A worker's own output goes to stderr so that --json output on stdout stays parseable; while bars are
   * drawn it goes above them as lines.
   */
  private passOutput(chunk: Buffer): void {
    if (this.progress.cells) this.progress.log(chunk.toString().replace(/\n$/, ''));
    else process.stderr.write(chunk);
  }

  /** Hands the worker the next cell, or lets it go when none is left. */
  private giveWork(worker: PoolWorker): void {
    if (this.settled) return;
    const cells = this.cells;
    if (this.next >= cells.length) {
      worker.current = null;
      worker.child.disconnect();
      return;
    }
    const current = this.next++;
    worker.current = current;
    worker.started = performance.now();
    this.board.started(current);
    worker.child.send({ type: 'run', index: current, cell: cells[current] } satisfies ToWorker);
  }

  private onMessage(worker: PoolWorker, message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        worker.ready = true;
        this.giveWork(worker);
        break;
      case 'init-failed':
        this.settle(message.error.repro ? reviveReproError(message.error) : new Error(`worker failed to start: ${message.error.message}`));
        break;
      case 'log':
        this.progress.log(message.message);
        break;
      case 'progress':
        this.board.step(message.index, message.label, message.done, message.total, message.info);
        break;
      case 'done':
        worker.current = null;
        this.record(message.index, { rows: message.rows, files: message.files, durationMs: message.durationMs, peakRssMiB: message.peakRssMiB });
        this.giveWork(worker);
        break;
      case 'failed':
        worker.current = null;
        if (message.error.repro) {
          this.settle(reviveReproError(message.error)); // the user's input is wrong: stop, as in-process
          return;
        }
        this.record(message.index, { rows: [], files: {}, durationMs: message.durationMs, peakRssMiB: message.peakRssMiB, error: message.error.message });
        this.giveWork(worker);
        break;
    }
  }

  /** A worker ended: the cell it was running fails, a replacement starts while cells are left. */
  private onExit(worker: PoolWorker, code: number | null, signal: NodeJS.Signals | null): void {
    this.live.delete(worker.child);
    if (this.settled) return;
    const cells = this.cells;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    if (worker.current !== null) {
      const cell = cells[worker.current];
      this.record(worker.current, {
        rows: [],
        files: {},
        durationMs: Math.round(performance.now() - worker.started),
        error: `worker process crashed (${how}) while running cell ${cell.id}`,
      });
      worker.current = null;
    } else if (!worker.ready) {
      this.settle(new Error(`worker process exited (${how}) before it was ready; nothing was run`));
      return;
    }
    if (this.next < cells.length) this.startWorker();
    else if (this.live.size === 0 && this.finished < cells.length) this.settle(new Error('worker pool ended with cells unaccounted for'));
  }
}

// ---- worker side -------------------------------------------------------------------------------------
async function workerMain(): Promise<void> {
  delete process.env.REPRO_POOL_WORKER; // cells that start their own pools start real parents
  const send = (message: FromWorker) => process.send!(message);
  let paper: PaperModule | null = null;
  let init: InitMessage | null = null;
  // The running cell's progress goes to the parent, at most every 250 ms besides a task's first and last step.
  let running = -1;
  const task = { label: '', total: 0, done: 0, sentAt: 0 };
  const sendProgress = (info: string, force: boolean) => {
    const now = performance.now();
    if (!force && now - task.sentAt < 250) return;
    task.sentAt = now;
    send({ type: 'progress', index: running, label: task.label, done: task.done, total: task.total, info });
  };
  const progress: Progress = {
    start(label, total) {
      Object.assign(task, { label, total, done: 0 });
      sendProgress('', true);
    },
    tick(info = '') {
      task.done++;
      sendProgress(info, task.done === task.total);
    },
    stop() {},
    log(message) {
      send({ type: 'log', message });
    },
  };
  process.on('message', (raw) => {
    const message = raw as ToWorker;
    if (message.type === 'init') {
      init = message;
      void (async () => {
        try {
          const { tf } = await import('../engine/tf.js');
          tf.env().set('PROD', true); // no per-worker "install tfjs-node" banner
          const { selectBackend } = await import('../engine/backend.js');
          const selection = await selectBackend(message.backend as never);
          if (selection.name !== message.backend) throw new Error(`worker got backend ${selection.name}, parent uses ${message.backend}`);
          const papers = (await import(message.registryUrl)) as { PAPERS: PaperModule[] };
          paper = papers.PAPERS.find((p) => p.id === message.paperId) ?? null;
          if (!paper) throw new InputError(`unknown paper '${message.paperId}' in ${message.registryUrl}`);
          send({ type: 'ready' });
        } catch (error) {
          send({ type: 'init-failed', error: serializeError(error) });
        }
      })();
      return;
    }
    if (message.type === 'run') {
      running = message.index;
      void (async () => {
        const t0 = performance.now();
        try {
          const checkpointDir = init!.checkpointRoot === undefined ? undefined : join(init!.checkpointRoot, message.cell.id);
          const { sink, files } = collectCellFiles(paper!.id, message.cell.id, paper!.tables);
          const ctx = { profile: init!.profile, backend: init!.backend, dataDir: init!.dataDir, progress, checkpointDir, files: sink };
          const rows = await paper!.runCell(message.cell, ctx);
          send({ type: 'done', index: message.index, rows, files, durationMs: Math.round(performance.now() - t0), peakRssMiB: peakRssMiB() });
        } catch (error) {
          const durationMs = Math.round(performance.now() - t0);
          send({ type: 'failed', index: message.index, error: serializeError(error), durationMs, peakRssMiB: peakRssMiB() });
        }
      })();
    }
  });
  process.on('disconnect', () => process.exit(0));
}

function isThisFileTheEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === pathToFileURL(realpathSync(THIS_FILE)).href;
  } catch {
    return false;
  }
}

if (process.env.REPRO_POOL_WORKER === '1' && process.send && isThisFileTheEntryPoint()) {
  void workerMain();
}
