// Where the package's own files are, wherever it is run from.
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (the folder holding package.json), from src/ or dist/. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const EXPECTED_DIR = join(PACKAGE_ROOT, 'expected');

/** Default results folder: `results/` of the package (the committed reference results). */
export const DEFAULT_RESULTS_DIR = join(PACKAGE_ROOT, 'results');

/** Data directory: --data-dir, then REPRO_DATA_DIR, then ~/.cache/repro/data. */
export function resolveDataDir(flag?: string): string {
  if (flag) return resolve(flag);
  if (process.env.REPRO_DATA_DIR) return resolve(process.env.REPRO_DATA_DIR);
  return join(homedir(), '.cache', 'repro', 'data');
}
