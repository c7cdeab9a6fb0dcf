// Result sets: results/<paper>/<profile>/<table>.csv and run.json, committed as one unit, and read
// back (for `repro check` and `repro list`) only when the files are the set run.json describes.
//
// Commit: every file is written into a fresh sibling folder <dir>.tmp-<pid>-<random>, then the old
// folder is renamed away and the new one renamed in, so a reader sees the old set or the new one,
// never a mixture. A crash between the two renames leaves no <dir> and the complete old set in
// <dir>.old-<pid>-<random>; the next run (holding the folder's lock, lock.ts) puts it back first.
// run.json lists the sha256 of every other file of the set: a file changed, cut or swapped later is
// reported with exit 2 naming it.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { InputError } from '../core/errors.js';
import { quoted, stripBom } from '../core/text.js';
import { PROFILES, type CheckedRow, type MeasuredRow, type RowKey, type TableSpec } from '../core/types.js';
import type { RunManifest } from './manifest.js';

export const VALUE_COLUMNS = ['metric', 'value', 'expected', 'tolerance', 'provenance', 'status', 'note'] as const;
export const RUN_FILE = 'run.json';

/**
 * The shortest text that reads back as exactly `x` (JavaScript's String), so that `repro check` on
 * a CSV reaches the verdict of the run that wrote it; integers are written in full. Null and NaN are
 * empty, infinities 'inf' and '-inf'.
 */
export function formatNumber(x: number | null): string {
  if (x === null || Number.isNaN(x)) return '';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

/** A checked row's metric, measured and expected values, tolerance, provenance and status, as text. */
export function checkedCells(r: CheckedRow): string[] {
  return [r.metric, formatNumber(r.value), formatNumber(r.expected), r.tolerance, r.provenance, r.status];
}

export function tableCsv(table: TableSpec, rows: CheckedRow[]): string {
  const header = [...table.keyColumns, ...VALUE_COLUMNS];
  const records = rows.map((r) => [...table.keyColumns.map((k) => (r.key[k] === undefined ? '' : String(r.key[k]))), ...checkedCells(r), r.note ?? '']);
  return stringify([header, ...records]);
}

// ---- where a run writes ----------------------------------------------------------------------------
// A plain run writes to runs/<run-id>/<paper>/<profile>/ (git-ignored), so the committed reference in
// results/ changes only when asked (--update-reference) and stays there to compare with (compare.ts).

/** A run id: sortable UTC time to the second, then a random tag so two runs in one second differ. */
export const RUN_ID_PATTERN = /^\d{8}T\d{6}Z-[0-9a-f]{4}$/;

export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export interface ResultsRootChoice {
  /** --out: an explicit results root, used as given. */
  out?: string;
  /** --update-reference: write the committed reference. */
  updateReference?: boolean;
  runId: string;
  runsRoot: string;
  referenceRoot: string;
}

/**
 * The results root of a run and where its checkpoints live. Checkpoints of plain runs sit in
 * <runsRoot>/.checkpoints, not inside the run folder: every run has a new id, and rerunning the same
 * command must still resume (docs/DESIGN.md "Data flow of one command").
 */
export function resultsRootFor(choice: ResultsRootChoice): { outRoot: string; checkpointRoot: string } {
  if (choice.out !== undefined && choice.updateReference) {
    throw new InputError(`--out ${choice.out} and --update-reference: the reference is always ${choice.referenceRoot}. Fix: drop one of the two flags.`);
  }
  if (choice.out !== undefined) return { outRoot: choice.out, checkpointRoot: choice.out };
  if (choice.updateReference) return { outRoot: choice.referenceRoot, checkpointRoot: choice.referenceRoot };
  return { outRoot: join(choice.runsRoot, choice.runId), checkpointRoot: choice.runsRoot };
}

/** The newest run folder under `runsRoot` (by run id, which sorts by time), or null when there is none. */
export function latestRun(runsRoot: string): string | null {
  let entries: string[];
  try {
    entries = readdirSync(runsRoot).filter((e) => RUN_ID_PATTERN.test(e) && statSync(join(runsRoot, e)).isDirectory());
  } catch {
    return null;
  }
  const last = entries.sort().at(-1);
  return last === undefined ? null : join(runsRoot, last);
}

export function resultsDir(root: string, paper: string, profile: string): string {
  return join(root, paper, profile);
}

/** Where the cells of a run keep resumable training state: beside the results, never inside them. */
export function checkpointsDir(root: string, paper: string, profile: string): string {
  return join(root, '.checkpoints', paper, profile);
}

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** A unique suffix per process and call, so that two processes never share a temporary name. */
export function uniqueTag(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`;
}

function writeDurably(file: string, content: string | Uint8Array): void {
  const fd = openSync(file, 'wx');
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems cannot fsync a folder; the renames are still atomic there.
  }
}

/** Leftovers of interrupted commits beside `dir`: <name>.tmp-<pid>-<hex> and <name>.old-<pid>-<hex>. */
function commitLeftovers(dir: string): { temps: string[]; olds: string[] } {
  const parent = dirname(dir);
  const name = basename(dir);
  const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-\\d+-[0-9a-f]+$`);
  const temps: string[] = [];
  const olds: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(parent);
  } catch {
    return { temps, olds };
  }
  for (const entry of entries.filter((e) => pattern.test(e)).sort()) (entry.includes('.old-') ? olds : temps).push(join(parent, entry));
  return { temps, olds };
}

/**
 * Repairs what an interrupted commit left beside `dir`: a set renamed away but never replaced is put
 * back, and temporary folders are removed. Call it only while holding the folder's lock (lock.ts).
 * Returns what it did, for the run's log.
 */
export function recoverResultSet(dir: string): string[] {
  const { temps, olds } = commitLeftovers(dir);
  const done: string[] = [];
  if (!existsSync(dir) && olds.length > 0) {
    renameSync(olds.pop()!, dir);
    done.push(`restored the previous result set in ${dir} (an earlier run stopped while replacing it)`);
  }
  for (const leftover of [...temps, ...olds]) {
    rmSync(leftover, { recursive: true, force: true });
    done.push(`removed ${leftover}, left by an interrupted run`);
  }
  return done;
}

/**
 * Writes the files of one result set as one unit into `dir` (see the head of this file). The files
 * must be the whole set: whatever else `dir` held is replaced with it.
 */
export function commitResultSet(dir: string, files: Record<string, string | Uint8Array>): void {
  mkdirSync(dirname(dir), { recursive: true });
  const tag = uniqueTag();
  const staging = `${dir}.tmp-${tag}`;
  mkdirSync(staging);
  try {
    for (const [name, content] of Object.entries(files)) {
      const file = join(staging, name);
      if (name.includes('/')) mkdirSync(dirname(file), { recursive: true });
      writeDurably(file, content);
    }
    for (const sub of new Set(
      Object.keys(files)
        .filter((n) => n.includes('/'))
        .map((n) => dirname(join(staging, n))),
    ))
      fsyncDir(sub);
    fsyncDir(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const old = `${dir}.old-${tag}`;
  const hadOld = existsSync(dir);
  if (hadOld) renameSync(dir, old);
  try {
    renameSync(staging, dir);
  } catch (error) {
    if (hadOld) renameSync(old, dir);
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  fsyncDir(dirname(dir));
  if (hadOld) rmSync(old, { recursive: true, force: true });
}

/**
 * Writes files into a folder that may hold other files (`repro hw --out`): each file is written to
 * a name unique to this process, then renamed over its target once all are written, so no file is
 * ever half-written. Unlike a result set, the files are replaced one by one.
 */
export function writeFilesAtomically(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  const tag = uniqueTag();
  const temps: [string, string][] = [];
  try {
    for (const [name, content] of Object.entries(files)) {
      const temp = join(dir, `.${name}.${tag}.tmp`);
      writeDurably(temp, content);
      temps.push([temp, join(dir, name)]);
    }
  } catch (error) {
    for (const [temp] of temps) rmSync(temp, { force: true });
    throw error;
  }
  for (const [temp, final] of temps) renameSync(temp, final);
}

// ---- reading a set back ------------------------------------------------------------------------------

const RERUN = 'Fix: rerun the paper to write a complete set';

/** run.json of a result folder, checked for shape; InputError (exit 2) naming the file otherwise. */
export function readRunManifest(dir: string): RunManifest {
  const file = join(dir, RUN_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${file}: missing, so ${dir} is not a complete result set. ${RERUN}.`);
    throw new InputError(`${file}: cannot read (${code}). Fix: check the path and its permissions.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(stripBom(text));
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message}); the file is cut or damaged. ${RERUN}.`);
  }
  const m = data as Partial<RunManifest> | null;
  const problem =
    typeof m !== 'object' || m === null || Array.isArray(m)
      ? 'is not a JSON object'
      : typeof m.paper !== 'string'
        ? 'has no "paper"'
        : !PROFILES.includes(m.profile as never)
          ? 'has no valid "profile"'
          : m.status !== 'pass' && m.status !== 'fail'
            ? 'has no valid "status"'
            : typeof m.endedAt !== 'string'
              ? 'has no "endedAt"'
              : m.files !== undefined &&
                  (typeof m.files !== 'object' || m.files === null || Object.values(m.files).some((h) => typeof h !== 'string' || !/^[0-9a-f]{64}$/.test(h)))
                ? 'has a "files" manifest that is not {name: sha256}'
                : null;
  if (problem) throw new InputError(`${file}: ${problem}; it is not a run.json written by repro. ${RERUN}.`);
  return m as RunManifest;
}

export interface ResultSetCheck {
  manifest: RunManifest;
  /** False for a set written before run.json carried a file manifest: its files could not be checked. */
  verified: boolean;
}

/**
 * Checks that `dir` holds exactly the files its run.json lists, each with its sha256, and that
 * run.json belongs to this paper and profile. Throws InputError (exit 2) naming the first file that
 * does not belong to the set.
 */
export function verifyResultSet(dir: string, paper: string, profile: string): ResultSetCheck {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    const { olds } = commitLeftovers(dir);
    const hint = olds.length ? ` (${olds[olds.length - 1]} holds a set an interrupted run was replacing; rerun the paper to restore or replace it)` : '';
    throw new InputError(`${dir}: no results here${hint}. Fix: run the paper first (repro ${paper} --profile ${profile} --out ...).`);
  }
  const manifest = readRunManifest(dir);
  const runFile = join(dir, RUN_FILE);
  if (manifest.paper !== paper || manifest.profile !== profile) {
    throw new InputError(`${runFile}: describes ${manifest.paper} at ${manifest.profile}, but the folder holds ${paper} at ${profile}. ${RERUN}.`);
  }
  if (!manifest.files) return { manifest, verified: false };
  const present = filesUnder(dir).filter((n) => n !== RUN_FILE);
  for (const name of present) {
    if (!(name in manifest.files))
      throw new InputError(
        `${join(dir, name)}: not part of the result set listed in ${runFile} (left by another run or copied in). ${RERUN}, or remove the file.`,
      );
  }
  for (const [name, hash] of Object.entries(manifest.files)) {
    const file = join(dir, name);
    if (!present.includes(name)) throw new InputError(`${file}: missing, but ${runFile} lists it. ${RERUN}.`);
    if (sha256(readFileSync(file)) !== hash) {
      throw new InputError(`${file}: its content does not match the sha256 in ${runFile}: the file was changed, cut, or comes from another run. ${RERUN}.`);
    }
  }
  return { manifest, verified: true };
}

/** The files under `dir`, as paths relative to it with '/' (one folder level: a cell's files). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? readdirSync(join(dir, e.name)).map((n) => `${e.name}/${n}`) : [e.name]));
}

export interface ResultSet extends ResultSetCheck {
  rows: MeasuredRow[];
}

/** Verifies the set (verifyResultSet), then reads the measured rows of every table CSV in it. */
export function readResultSet(dir: string, paper: string, profile: string, tables: TableSpec[]): ResultSet {
  const check = verifyResultSet(dir, paper, profile);
  return { ...check, rows: readMeasuredRows(dir, tables) };
}

/**
 * Reads the measured rows of every table CSV in a results folder. A damaged CSV (empty, cut in the
 * middle of a row, a wrong header, a row repeated, a value that is not a number) is an InputError
 * naming the file and line.
 */
export function readMeasuredRows(dir: string, tables: TableSpec[]): MeasuredRow[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.csv'));
  } catch {
    throw new InputError(`${dir}: no results here. Fix: run the paper first (repro <paper> --out ...).`);
  }
  const rows: MeasuredRow[] = [];
  for (const name of names.sort()) {
    const file = join(dir, name);
    const table = tables.find((t) => t.id === basename(name, '.csv'));
    if (!table) throw new InputError(`${file}: no table of this name in the paper. Fix: remove the file or rerun the paper.`);
    rows.push(...readTableCsv(file, table));
  }
  return rows;
}

function readTableCsv(file: string, table: TableSpec): MeasuredRow[] {
  const damaged = (where: string, problem: string): InputError => new InputError(`${file}${where}: ${problem}. ${RERUN}.`);
  const text = stripBom(readFileSync(file, 'utf8'));
  if (text.length === 0) throw damaged('', 'empty file (0 bytes)');
  if (!text.endsWith('\n')) throw damaged('', 'the last row has no line end: the file was cut in the middle of a row');
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true });
  } catch (error) {
    throw damaged('', `not a readable CSV (${quoted((error as Error).message, 160)})`);
  }
  const expectedHeader = [...table.keyColumns, ...VALUE_COLUMNS];
  const header = records[0] ?? [];
  if (header.join(',') !== expectedHeader.join(',')) {
    const missing = expectedHeader.filter((c) => !header.includes(c));
    const detail = missing.length
      ? `missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `'${c}'`).join(', ')}`
      : `columns in another order or extra columns`;
    throw damaged(':1', `header '${quoted(header.join(','), 120)}' is not '${expectedHeader.join(',')}' (${detail})`);
  }
  const column = (c: string) => expectedHeader.indexOf(c);
  const seen = new Map<string, number>();
  const rows: MeasuredRow[] = [];
  records.slice(1).forEach((record, i) => {
    const line = i + 2;
    const key: RowKey = {};
    for (const k of table.keyColumns) if (record[column(k)] !== '') key[k] = parseKeyValue(record[column(k)]!);
    const metric = record[column('metric')]!;
    if (!table.metrics.includes(metric))
      throw damaged(`:${line}`, `metric '${quoted(metric)}' is not one of table ${table.id}'s (${table.metrics.join(', ')})`);
    const status = record[column('status')]!;
    if (!['pass', 'fail', 'no-reference'].includes(status)) throw damaged(`:${line}`, `status '${quoted(status)}' is not pass, fail or no-reference`);
    const id = `${JSON.stringify(table.keyColumns.map((k) => record[column(k)]))}|${metric}`;
    const first = seen.get(id);
    if (first !== undefined) throw damaged(`:${line}`, `repeats the row of line ${first} (same key and metric): rows were duplicated`);
    seen.set(id, line);
    const value = parseValue(record[column('value')]!, (problem) => damaged(`:${line}`, problem));
    const note = record[column('note')];
    rows.push({ table: table.id, key, metric, value, note: note || undefined });
  });
  return rows;
}

function parseKeyValue(text: string): string | number {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

const NUMBER_TEXT = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function parseValue(text: string, fail: (problem: string) => InputError): number | null {
  if (text === '') return null;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  if (!NUMBER_TEXT.test(text)) throw fail(`value '${quoted(text)}' is not a number`);
  const n = Number(text);
  if (!Number.isFinite(n)) throw fail(`value '${quoted(text)}' is beyond the range of a double (write 'inf' for infinity)`);
  return n;
}
