// One run at a time per results folder: <out>/<paper>/<profile>.lock, beside the folder (the folder
// itself is swapped whole when a set is committed, results.ts). The lock is a file created
// exclusively ('wx') holding its owner (pid, host, start time, command). A second run into the same
// folder fails at once with exit 2 naming that owner; a lock whose process is gone (same host, pid
// not alive) is taken over with a warning.
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, relative, sep } from 'node:path';
import { InputError } from '../core/errors.js';
import { uniqueTag } from './results.js';

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
  /** Unique per acquisition: a release removes only its own lock. */
  token: string;
}

export interface FolderLock {
  file: string;
  owner: LockOwner;
  /** Removes the lock if it is still ours, and the folders its creation made if they are empty. */
  release(): void;
}

export function lockFileOf(dir: string): string {
  return `${dir}.lock`;
}

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' && typeof owner.token === 'string' ? owner : null;
  } catch {
    return null;
  }
}

/** Whether the owner may still be running: always true for another host, which cannot be asked. */
function mayBeAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

function describeOwner(owner: LockOwner): string {
  return `process ${owner.pid} on ${owner.host}, started ${owner.startedAt} (${owner.command})`;
}

function tryCreate(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Moves a dead owner's lock aside, checking that what was moved is still that dead lock (another
 * process may have taken it over in between; its lock is then put back).
 */
function removeStale(file: string, stale: LockOwner | null): void {
  const aside = `${file}.stale-${uniqueTag()}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else removed it
    throw error;
  }
  const moved = readOwner(aside);
  const isTheStaleOne = stale ? moved?.token === stale.token : moved === null;
  if (!isTheStaleOne) {
    try {
      linkSync(aside, file); // not ours to remove: put it back unless a newer lock is there
    } catch {
      // a newer lock is in place; the loop below meets it
    }
  }
  unlinkSync(aside);
}

/** A lock whose content could not be read is being written, or was left by a crash at creation. */
const UNREADABLE_GRACE_MS = 10_000;

/**
 * Takes the lock of results folder `dir` before any work. Throws InputError (exit 2) naming the
 * owner when another live process holds it. `warn` receives the take-over of a dead owner's lock.
 */
export function lockResultsFolder(dir: string, warn: (message: string) => void, command = process.argv.slice(1).join(' ')): FolderLock {
  const file = lockFileOf(dir);
  const parent = dirname(file);
  const created = mkdirSync(parent, { recursive: true });
  const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command: command || 'repro', token: uniqueTag() };
  const release = () => {
    if (readOwner(file)?.token === owner.token) unlinkSync(file);
    if (created) removeEmptyFolders(parent, created);
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(file, owner)) return { file, owner, release };
    const holder = readOwner(file);
    if (holder === null) {
      let age = 0;
      try {
        age = Date.now() - statSync(file).mtimeMs;
      } catch {
        continue; // gone meanwhile: try again
      }
      if (age < UNREADABLE_GRACE_MS) {
        throw new InputError(`${file}: another run is taking the lock of ${dir} right now. Fix: wait for it to finish, or give another --out.`);
      }
      warn(`${file}: taking over an unreadable lock left by a crashed run`);
      removeStale(file, null);
      continue;
    }
    if (holder.token === owner.token) return { file, owner, release };
    if (mayBeAlive(holder)) {
      throw new InputError(
        `${dir} is in use by ${describeOwner(holder)}: two runs into the same folder would mix their results. ` +
          `Fix: wait for that run to finish, or give another --out; if that process is gone, delete ${file}.`,
      );
    }
    warn(`${file}: taking over the lock of ${describeOwner(holder)}, which is no longer running`);
    removeStale(file, holder);
  }
  throw new InputError(`${file}: could not take the lock of ${dir} (other runs keep taking it). Fix: give another --out.`);
}

/** Removes `from` and its parents up to `top` (the first folder mkdir created) while they are empty. */
function removeEmptyFolders(from: string, top: string): void {
  if (relative(top, from).split(sep).includes('..')) return;
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return; // not empty: the run wrote something there
    }
    if (dir === top || dirname(dir) === dir) return;
  }
}
