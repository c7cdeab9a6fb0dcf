// Writes results/<paper>/<profile>/<table>.csv and run.json atomically, and reads CSVs back.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { InputError } from '../core/errors.js';
import type { CheckedRow, MeasuredRow, RowKey, TableSpec } from '../core/types.js';

export const VALUE_COLUMNS = ['metric', 'value', 'expected', 'tolerance', 'provenance', 'status', 'note'] as const;

/** Six significant digits: enough for every table, and stable across platforms. */
export function formatNumber(x: number | null): string {
  if (x === null || Number.isNaN(x)) return '';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return String(Number(x.toPrecision(6)));
}

export function tableCsv(table: TableSpec, rows: CheckedRow[]): string {
  const header = [...table.keyColumns, ...VALUE_COLUMNS];
  const records = rows.map((r) => [
    ...table.keyColumns.map((k) => (r.key[k] === undefined ? '' : String(r.key[k]))),
    r.metric,
    formatNumber(r.value),
    formatNumber(r.expected),
    r.tolerance,
    r.provenance,
    r.status,
    r.note ?? '',
  ]);
  return stringify([header, ...records]);
}

export function resultsDir(root: string, paper: string, profile: string): string {
  return join(root, paper, profile);
}

/** Where the cells of a run keep resumable training state: beside the results, never inside them. */
export function checkpointsDir(root: string, paper: string, profile: string): string {
  return join(root, '.checkpoints', paper, profile);
}

/**
 * Writes all files of one run or none: each goes to a temporary name first and is renamed only
 * when every file has been written.
 */
export function writeFilesAtomically(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  const tag = randomBytes(4).toString('hex');
  const temps: [string, string][] = [];
  try {
    for (const [name, content] of Object.entries(files)) {
      const temp = join(dir, `.${name}.${tag}.tmp`);
      writeFileSync(temp, content);
      temps.push([temp, join(dir, name)]);
    }
  } catch (error) {
    for (const [temp] of temps) rmSync(temp, { force: true });
    throw error;
  }
  for (const [temp, final] of temps) renameSync(temp, final);
}

/** Reads the measured rows of every table CSV in a results folder (for `repro check`). */
export function readMeasuredRows(dir: string, tables: TableSpec[]): MeasuredRow[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.csv'));
  } catch {
    throw new InputError(`${dir}: no results here. Run the paper first (repro <paper> --out ...).`);
  }
  const rows: MeasuredRow[] = [];
  for (const name of names.sort()) {
    const file = join(dir, name);
    const table = tables.find((t) => t.id === basename(name, '.csv'));
    if (!table) throw new InputError(`${file}: no table of this name in the paper. Remove the file or rerun the paper.`);
    let records: Record<string, string>[];
    try {
      records = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true });
    } catch (error) {
      throw new InputError(`${file}: not a readable CSV (${(error as Error).message}). Rerun the paper to rewrite it.`);
    }
    records.forEach((record, i) => {
      for (const column of [...table.keyColumns, 'metric', 'value']) {
        if (!(column in record)) {
          throw new InputError(`${file}: line ${i + 2} has no '${column}' column. Rerun the paper to rewrite it.`);
        }
      }
      const key: RowKey = {};
      for (const k of table.keyColumns) if (record[k] !== '') key[k] = parseKeyValue(record[k]!);
      const value = parseValue(record.value!, file, i + 2);
      rows.push({ table: table.id, key, metric: record.metric!, value, note: record.note || undefined });
    });
  }
  return rows;
}

function parseKeyValue(text: string): string | number {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

function parseValue(text: string, file: string, line: number): number | null {
  if (text === '') return null;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  const n = Number(text);
  if (Number.isNaN(n)) throw new InputError(`${file}: line ${line}: value '${text}' is not a number. Rerun the paper.`);
  return n;
}
