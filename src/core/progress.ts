// Progress of long work: cli-progress bars on a TTY, plain periodic lines otherwise, nothing with --json.
import cliProgress from 'cli-progress';

export interface Progress {
  /** Starts a task of `total` steps (cells, epochs, steps). */
  start(label: string, total: number): void;
  /** Advances the current task; `info` is a short status such as the loss. */
  tick(info?: string): void;
  stop(): void;
  /** A one-line message (e.g. which backend was chosen). */
  log(message: string): void;
  /** A view of a run's cells, several running at once; without it, cellsProgress() writes plain lines through log(). */
  cells?(spec: CellsSpec): CellsProgress;
}

/** The cells of one run, for cellsProgress(). */
export interface CellsSpec {
  paperId: string;
  cellIds: readonly string[];
  /** How many cells run at once. */
  workers: number;
  /** The time the `unfinished` cells still take, from earlier runs' durations; null where a cell has none. */
  estimateMs(unfinished: readonly string[]): number | null;
  /** Least time between two plain lines of one cell, except its tasks' first and last step (default 30 s). */
  intervalMs?: number;
}

/** Progress of a run's cells: each cell's start, the steps of its current task, and its end. */
export interface CellsProgress {
  started(index: number): void;
  step(index: number, label: string, done: number, total: number, info: string): void;
  ended(index: number, error?: string): void;
  /** Removes the bars (the run ended or stopped). */
  stop(): void;
}

export function cellsProgress(progress: Progress, spec: CellsSpec): CellsProgress {
  return progress.cells?.(spec) ?? lineCells(progress, spec);
}

/**
 * A Progress for the tasks of one cell that reports them to `cells` (the in-process runner; the pool's
 * workers send theirs over IPC instead).
 */
export function cellTaskProgress(cells: CellsProgress, index: number, log: (message: string) => void): Progress {
  let label = '';
  let total = 0;
  let done = 0;
  return {
    start(l, t) {
      [label, total, done] = [l, t, 0];
      cells.step(index, label, done, total, '');
    },
    tick(info = '') {
      done++;
      cells.step(index, label, done, total, info);
    },
    stop() {},
    log,
  };
}

/** A duration as a person reads it in a progress line: `40 s`, `12 min`, `2.5 h`. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/**
 * What is left of a run's cells: the unfinished cells' estimate from earlier runs less the time the running
 * ones have already had; without history, after 30 s, the mean time per finished cell so far.
 */
class CellClock {
  private readonly startedAt = new Map<number, number>();
  private readonly finished = new Set<number>();
  private readonly t0 = performance.now();

  constructor(private readonly spec: CellsSpec) {}

  start(index: number): void {
    this.startedAt.set(index, performance.now());
  }

  end(index: number): void {
    this.startedAt.delete(index);
    this.finished.add(index);
  }

  get done(): number {
    return this.finished.size;
  }

  leftMs(): number | null {
    const { cellIds, workers } = this.spec;
    const unfinished = cellIds.filter((_, i) => !this.finished.has(i));
    const now = performance.now();
    const estimate = this.spec.estimateMs(unfinished);
    if (estimate !== null) {
      const running = [...this.startedAt.values()].reduce((sum, t) => sum + (now - t), 0);
      return Math.max(0, estimate - running / Math.max(1, workers));
    }
    // Without history, extrapolate only after half a minute: the first cells to finish are often analytic ones.
    if (this.finished.size === 0 || now - this.t0 < 30_000) return null;
    return ((now - this.t0) / this.finished.size) * unfinished.length;
  }
}

/** Plain lines: a cell's start (with the time left), its failure, its tasks' first and last step and at most one step line per interval. */
function lineCells(progress: Progress, spec: CellsSpec): CellsProgress {
  const clock = new CellClock(spec);
  const lastLine = new Map<number, number>();
  const { paperId, cellIds } = spec;
  return {
    started(index) {
      clock.start(index);
      const left = clock.leftMs();
      progress.log(`${paperId}: cell ${index + 1}/${cellIds.length} ${cellIds[index]}${left === null ? '' : `, about ${formatDuration(left)} left`}`);
    },
    step(index, label, done, total, info) {
      const now = performance.now();
      const last = lastLine.get(index);
      const edge = done === 0 || done === total;
      if (!edge && last !== undefined && now - last < (spec.intervalMs ?? 30_000)) return;
      lastLine.set(index, now);
      progress.log(`${paperId}: ${cellIds[index]}: ${label} ${done}/${total}${info ? ` ${info}` : ''}`);
    },
    ended(index, error) {
      clock.end(index);
      if (error) progress.log(`${paperId}: cell ${cellIds[index]} failed: ${error}`);
    },
    stop() {},
  };
}

export type ProgressMode = 'bar' | 'lines' | 'silent';

export function progressMode(json: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressMode {
  if (json) return 'silent';
  return stream.isTTY ? 'bar' : 'lines';
}

export const silentProgress: Progress = { start() {}, tick() {}, stop() {}, log() {} };

export function createProgress(mode: ProgressMode, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (mode === 'silent') return silentProgress;
  if (mode === 'bar') return barProgress(stream);
  return lineProgress(stream);
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  let bar: cliProgress.SingleBar | null = null;
  let done = 0;
  // While a run's cells are drawn, messages go above their bars.
  let board: cliProgress.MultiBar | null = null;
  return {
    start(label, total) {
      bar?.stop();
      done = 0;
      bar = new cliProgress.SingleBar(
        { stream, format: `${label} [{bar}] {value}/{total} {info}`, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { info: '' });
    },
    tick(info = '') {
      done++;
      bar?.update(done, { info });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
    log(message) {
      if (board) board.log(`${message}\n`);
      else stream.write(`${message}\n`);
    },
    cells(spec) {
      const multi = new cliProgress.MultiBar(
        { stream, format: '{name} [{bar}] {value}/{total} {info}', hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      board = multi;
      const stopBoard = () => {
        if (board !== multi) return;
        multi.update(); // flushes the messages logged since the last redraw
        multi.stop();
        board = null;
      };
      return multiBarCells(multi, spec, stopBoard);
    },
  };
}

/** One bar for the run's cells with the time left, and one per running cell with its current task. */
function multiBarCells(multi: cliProgress.MultiBar, spec: CellsSpec, stop: () => void): CellsProgress {
  const { paperId, cellIds } = spec;
  const width = Math.max(paperId.length + 6, ...cellIds.map((id) => id.length + 2));
  const clock = new CellClock(spec);
  const overall = multi.create(cellIds.length, 0, { name: `${paperId} cells`.padEnd(width), info: '' });
  const bars = new Map<number, cliProgress.SingleBar>();
  const refresh = () => {
    const left = clock.leftMs();
    overall.update(clock.done, { info: left === null ? '' : `about ${formatDuration(left)} left` });
  };
  return {
    started(index) {
      clock.start(index);
      bars.set(index, multi.create(1, 0, { name: `  ${cellIds[index]}`.padEnd(width), info: 'starting' }));
      refresh();
    },
    step(index, label, done, total, info) {
      const bar = bars.get(index);
      if (!bar) return;
      bar.setTotal(Math.max(1, total));
      bar.update(done, { info: `${label}${info ? ` ${info}` : ''}` });
      refresh();
    },
    ended(index, error) {
      clock.end(index);
      if (error) multi.log(`${paperId}: cell ${cellIds[index]} failed: ${error}\n`);
      const bar = bars.get(index);
      if (bar) multi.remove(bar);
      bars.delete(index);
      refresh();
    },
    stop,
  };
}

/** Plain lines, at most one every `intervalMs`, plus the first and last step. */
function lineProgress(stream: NodeJS.WriteStream, intervalMs = 5000): Progress {
  let label = '';
  let total = 0;
  let done = 0;
  let last = 0;
  return {
    start(l, t) {
      label = l;
      total = t;
      done = 0;
      last = Date.now();
    },
    tick(info = '') {
      done++;
      const now = Date.now();
      if (done === total || now - last >= intervalMs) {
        last = now;
        stream.write(`${label}: ${done}/${total}${info ? ` ${info}` : ''}\n`);
      }
    },
    stop() {},
    log(message) {
      stream.write(`${message}\n`);
    },
  };
}
