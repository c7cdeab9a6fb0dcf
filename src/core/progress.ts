// Progress of long work: a cli-progress bar on a TTY, plain periodic lines otherwise, nothing with --json.
import cliProgress from 'cli-progress';

export interface Progress {
  /** Starts a task of `total` steps (cells, epochs, steps). */
  start(label: string, total: number): void;
  /** Advances the current task; `info` is a short status such as the loss. */
  tick(info?: string): void;
  stop(): void;
  /** A one-line message (e.g. which backend was chosen). */
  log(message: string): void;
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
      stream.write(`${message}\n`);
    },
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
