// Parallel cells (DESIGN.md "Engine facts": one wasm process uses one core, so independent cells run in a
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
import { silentProgress, type Progress } from '../core/progress.js';
import type { CellPlan, MeasuredRow, PaperModule, Profile } from '../core/types.js';

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
  durationMs: number;
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
  | { type: 'done'; index: number; rows: MeasuredRow[]; durationMs: number }
  | { type: 'failed'; index: number; error: SerializedError; durationMs: number };

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
  const progress = options.progress ?? silentProgress;
  const jobs = Math.max(1, Math.min(options.jobs ?? defaultJobs(), cells.length));
  const workerScript = options.workerScript ?? THIS_FILE;
  if (workerScript.endsWith('.ts') && !options.execArgv?.length) {
    throw new Error(
      `parallel cells need compiled JavaScript: ${workerScript} is TypeScript. Run \`npm run build\` and use bin/run.js, ` +
        'or pass a TypeScript loader in execArgv.',
    );
  }
  const init: InitMessage = {
    type: 'init',
    registryUrl: options.registryUrl,
    paperId: options.paperId,
    backend: options.backend,
    profile: options.profile,
    dataDir: options.dataDir,
    checkpointRoot: options.checkpointRoot,
  };
  const outcomes: (CellOutcome | undefined)[] = new Array(cells.length);
  let next = 0;
  let finished = 0;
  const live = new Set<ChildProcess>();

  return new Promise<CellOutcome[]>((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      for (const child of live) child.kill('SIGKILL');
      if (error) reject(error);
      else resolve(outcomes as CellOutcome[]);
    };
    const record = (index: number, outcome: Omit<CellOutcome, 'cell'>) => {
      if (outcomes[index]) return;
      outcomes[index] = { cell: cells[index], ...outcome };
      finished++;
      if (outcome.error) progress.log(`${options.paperId}: cell ${cells[index].id} failed: ${outcome.error}`);
      if (finished === cells.length) settle();
    };

    const startWorker = (): void => {
      if (settled || next >= cells.length) return;
      const child = fork(workerScript, [], {
        execArgv: options.execArgv ?? [],
        env: { ...process.env, REPRO_POOL_WORKER: '1' },
        serialization: 'advanced', // structured clone: NaN and -0 survive, unlike JSON
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      live.add(child);
      // A worker's own output goes to stderr so that --json output on stdout stays parseable.
      child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
      child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
      let current: number | null = null;
      let started = 0;
      let ready = false;
      const giveWork = () => {
        if (settled) return;
        if (next >= cells.length) {
          current = null;
          child.disconnect();
          return;
        }
        current = next++;
        started = performance.now();
        progress.log(`${options.paperId}: cell ${current + 1}/${cells.length} ${cells[current].id}`);
        child.send({ type: 'run', index: current, cell: cells[current] } satisfies ToWorker);
      };
      child.on('message', (raw) => {
        const message = raw as FromWorker;
        switch (message.type) {
          case 'ready':
            ready = true;
            giveWork();
            break;
          case 'init-failed':
            settle(message.error.repro ? reviveReproError(message.error) : new Error(`worker failed to start: ${message.error.message}`));
            break;
          case 'log':
            progress.log(message.message);
            break;
          case 'done':
            current = null;
            record(message.index, { rows: message.rows, durationMs: message.durationMs });
            giveWork();
            break;
          case 'failed':
            current = null;
            if (message.error.repro) {
              settle(reviveReproError(message.error)); // the user's input is wrong: stop, as in-process
              return;
            }
            record(message.index, { rows: [], durationMs: message.durationMs, error: message.error.message });
            giveWork();
            break;
        }
      });
      child.on('error', (error) => {
        // fork itself failed or the IPC channel broke; the 'exit' handler reports the cell.
        progress.log(`${options.paperId}: worker error: ${error.message}`);
      });
      child.on('exit', (code, signal) => {
        live.delete(child);
        if (settled) return;
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        if (current !== null) {
          const cell = cells[current];
          record(current, {
            rows: [],
            durationMs: Math.round(performance.now() - started),
            error: `worker process crashed (${how}) while running cell ${cell.id}`,
          });
          current = null;
        } else if (!ready) {
          settle(new Error(`worker process exited (${how}) before it was ready; nothing was run`));
          return;
        }
        if (next < cells.length) startWorker();
        else if (live.size === 0 && finished < cells.length) settle(new Error('worker pool ended with cells unaccounted for'));
      });
      child.send(init satisfies ToWorker);
    };

    for (let i = 0; i < jobs; i++) startWorker();
  });
}

// ---- worker side -------------------------------------------------------------------------------------
async function workerMain(): Promise<void> {
  delete process.env.REPRO_POOL_WORKER; // cells that start their own pools start real parents
  const send = (message: FromWorker) => process.send!(message);
  let paper: PaperModule | null = null;
  let init: InitMessage | null = null;
  const progress: Progress = {
    start() {},
    tick() {},
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
      void (async () => {
        const t0 = performance.now();
        try {
          const checkpointDir = init!.checkpointRoot === undefined ? undefined : join(init!.checkpointRoot, message.cell.id);
          const rows = await paper!.runCell(message.cell, { profile: init!.profile, backend: init!.backend, dataDir: init!.dataDir, progress, checkpointDir });
          send({ type: 'done', index: message.index, rows, durationMs: Math.round(performance.now() - t0) });
        } catch (error) {
          send({ type: 'failed', index: message.index, error: serializeError(error), durationMs: Math.round(performance.now() - t0) });
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
