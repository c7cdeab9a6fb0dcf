// Where the package's own files are, wherever it is run from; and the checks of folders given by flags.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, realpathSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from './errors.js';

/** The package root (the folder holding package.json), from src/ or dist/. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const EXPECTED_DIR = join(PACKAGE_ROOT, 'expected');

/** Default results folder: `results/` of the package (the committed reference results). */
export const DEFAULT_RESULTS_DIR = join(PACKAGE_ROOT, 'results');

/** Default root of plain runs: `runs/<run-id>/` of the package, git-ignored, so a run leaves `results/` alone. */
export const DEFAULT_RUNS_DIR = join(PACKAGE_ROOT, 'runs');

/** Data directory: --data-dir, then REPRO_DATA_DIR, then ~/.cache/repro/data. */
export function resolveDataDir(flag?: string): string {
  if (flag) return resolve(flag);
  if (process.env.REPRO_DATA_DIR) return resolve(process.env.REPRO_DATA_DIR);
  return join(homedir(), '.cache', 'repro', 'data');
}

// ---- folders named by flags, checked before any work ----------------------------------------------

/** Pseudo file systems: writing there hangs (recursive mkdir on procfs) or means nothing. */
const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];
/** Real tmpfs folders under /dev that people do use. */
const SPECIAL_EXCEPTIONS = ['/dev/shm'];

function under(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}${sep}`);
}

function isSpecial(path: string): boolean {
  return SPECIAL_ROOTS.some((r) => under(path, r)) && !SPECIAL_EXCEPTIONS.some((r) => under(path, r));
}

/** The nearest existing ancestor of `path` (itself if it exists), never creating anything. */
function nearestExisting(path: string, flag: string): { path: string; stats: Stats } {
  let p = path;
  for (;;) {
    try {
      return { path: p, stats: statSync(p) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a file in the middle of the path; it is found (and refused) one level up.
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        throw new InputError(`${flag} ${path}: cannot look at ${p} (${code}). Fix: check the path and its permissions.`);
    }
    const up = dirname(p);
    if (up === p) throw new InputError(`${flag} ${path}: no existing folder above it. Fix: give a path on a mounted disk.`);
    p = up;
  }
}

function refuseSpecial(flag: string, given: string, path: string): void {
  if (isSpecial(path)) {
    throw new InputError(
      `${flag} ${given}: ${path} is on a pseudo file system (/proc, /sys, /dev), not a folder for data. Fix: give ${flag} a folder on a disk.`,
    );
  }
}

/**
 * A folder a command will write into (`--out`, `--data-dir` of fetch): returns it absolute, or throws
 * InputError (exit 2) naming the flag and the fix when it, or a folder above it, is a file, lies on
 * /proc, /sys or /dev, or cannot be written. Nothing is created: writability is probed with a file
 * created and removed in the nearest existing folder.
 */
export function validateOutDir(given: string, flag = '--out'): string {
  const path = resolve(given);
  refuseSpecial(flag, given, path);
  const existing = nearestExisting(path, flag);
  const real = realpathSync(existing.path);
  refuseSpecial(flag, given, real);
  if (!existing.stats.isDirectory()) {
    const what = existing.path === path ? 'is a file, not a folder' : `cannot be created: ${existing.path} is a file, not a folder`;
    throw new InputError(`${flag} ${given} ${what}. Fix: give a folder path (existing or new) for ${flag}.`);
  }
  const probe = join(existing.path, `.repro-write-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${flag} ${given}: cannot write in ${existing.path} (${code}). Fix: give a folder you can write to.`);
  }
  return path;
}

/**
 * A folder a command only reads (`--out` of check and list, `--data-dir`): returns it absolute, or
 * throws InputError when it is a file or lies on /proc or /sys. A missing folder is left to the
 * caller (no results, exit 2; a missing dataset, exit 3).
 */
export function validateInputDir(given: string, flag: string): string {
  const path = resolve(given);
  refuseSpecial(flag, given, path);
  const existing = nearestExisting(path, flag);
  refuseSpecial(flag, given, realpathSync(existing.path));
  if (!existing.stats.isDirectory()) {
    throw new InputError(`${flag} ${given}: ${existing.path} is a file, not a folder. Fix: give the folder for ${flag}.`);
  }
  return path;
}

/**
 * The data directory (--data-dir, else $REPRO_DATA_DIR, else the default), checked as validateInputDir
 * does, or as validateOutDir does when the command writes there (`repro data fetch`).
 */
export function checkedDataDir(flag: string | undefined, forWriting = false): string {
  const dir = resolveDataDir(flag);
  const name = flag !== undefined ? '--data-dir' : process.env.REPRO_DATA_DIR ? 'REPRO_DATA_DIR' : 'the data directory';
  return forWriting ? validateOutDir(dir, name) : validateInputDir(dir, name);
}
