// Shared helpers of the dataset loaders: errors that name the file and the place, whole-file reads
// (optionally gunzipped), line reading with line numbers.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DatasetMissingError, InputError } from '../core/errors.js';
import { quoted, stripBom } from '../core/text.js';

/** Where in a file a problem is: a byte offset or a 1-based line number. */
export type FilePlace = { offset: number; uncompressed?: boolean } | { line: number } | Record<string, never>;

function placeText(place: FilePlace): string {
  if ('offset' in place) return ` at byte offset ${place.offset}${place.uncompressed ? ' of the uncompressed data' : ''}`;
  if ('line' in place) return `:${place.line}`;
  return '';
}

/** A truncated or corrupted file: exit 2, with the file, the place, the problem and the fix. */
export function corruptFile(
  file: string,
  place: FilePlace,
  problem: string,
  fix = 'the file is truncated or corrupted; download or extract it again',
): InputError {
  return new InputError(`${file}${placeText(place)}: ${problem}. Fix: ${fix}.`);
}

/** The dataset root must exist; otherwise exit 3 with how to get it. */
export function requireDatasetDir(root: string, dataset: string): void {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new DatasetMissingError(`${dataset} not found at ${root}. Run 'repro data list' to see how to obtain it, then place it there (or pass --data-dir).`);
  }
}

/** A file a dataset needs: missing means the copy is incomplete (exit 2). */
export function requireFile(file: string, dataset: string): void {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new InputError(`${file}: missing file of ${dataset}. Fix: the copy is incomplete; extract or download it again (see 'repro data list').`);
  }
}

/** The bytes of a file; `.gz` files are gunzipped, and a broken gzip stream is reported as corrupted. */
export function readBytes(file: string, dataset: string): Buffer {
  requireFile(file, dataset);
  const raw = readFileSync(file);
  if (!file.endsWith('.gz')) return raw;
  try {
    return gunzipSync(raw);
  } catch (error) {
    throw corruptFile(file, {}, `not a complete gzip stream (${(error as Error).message})`);
  }
}

export interface NumberedLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

/** The non-empty lines of a text file, trimmed, with their line numbers; a binary file is refused naming the line. */
export function readLines(file: string, dataset: string): NumberedLine[] {
  const text = stripBom(readBytes(file, dataset).toString('utf8'));
  // NUL, not undecodable bytes: a list in Latin-1 is still text, a binary file almost always has a NUL.
  const binary = text.indexOf('\0');
  if (binary >= 0)
    throw corruptFile(file, { line: text.slice(0, binary).split('\n').length }, `not a text file (binary data where a ${dataset} list was expected)`);
  const out: NumberedLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const t = raw.trim();
    if (t) out.push({ line: i + 1, text: t });
  });
  return out;
}

/** Parses a non-negative integer field of a text line, or throws with file:line. */
export function parseCount(file: string, line: number, field: string, what: string): number {
  if (!/^\d+$/.test(field) || !Number.isSafeInteger(Number(field)))
    throw corruptFile(file, { line }, `expected ${what} (a non-negative integer), got '${quoted(field)}'`);
  return Number(field);
}

/**
 * A path a dataset's own list file names (annotations, image lists), relative to the dataset: an
 * absolute path, a '..' step or a NUL would reach outside it, so it is refused naming file:line.
 */
export function datasetRelativePath(file: string, line: number, path: string): string {
  const clean = normalize(path);
  if (isAbsolute(clean) || /^[a-zA-Z]:/.test(clean) || clean.split(/[\\/]/).includes('..') || path.includes('\0')) {
    throw corruptFile(file, { line }, `the path '${quoted(path)}' leads outside the dataset folder`, 'the list is not the published one; download it again');
  }
  return clean;
}

/** A folder name from a list file (an identity of a pairs file): one path segment, never '.' or '..'. */
export function datasetName(file: string, line: number, name: string): string {
  if (name === '.' || name === '..' || /[\\/\0]/.test(name)) {
    throw corruptFile(
      file,
      { line },
      `the name '${quoted(name)}' is not a single folder name (no '/', '\\', '.' or '..'): it would lead outside the dataset folder`,
      'the list is not the published one; download it again',
    );
  }
  return name;
}

/** Every file under `dir` (recursively), as paths. */
export function walkFiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) out.push(p);
    }
  }
  return out.sort();
}
