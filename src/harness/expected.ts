// Loads expected/<paper>.json and validates it against expected/schema.json (ajv).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { InputError } from '../core/errors.js';
import { EXPECTED_DIR } from '../core/paths.js';
import { stripBom } from '../core/text.js';
import type { ExpectedFile, PaperModule, TableSpec } from '../core/types.js';
import { keyId } from './checker.js';

let validator: ReturnType<Ajv['compile']> | null = null;

function validate(data: unknown): ErrorObject[] {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(EXPECTED_DIR, 'schema.json'), 'utf8'));
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validator(data) ? [] : (validator.errors ?? []);
}

function describe(error: ErrorObject): string {
  const path = error.instancePath || '/';
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${(error.params as { additionalProperty: string }).additionalProperty})`
      : error.keyword === 'enum'
        ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`
        : '';
  return `${path}: ${error.message}${extra}`;
}

/** JSON paths of numbers JSON.parse read as ±Infinity (1e999): a schema's "number" accepts them. */
function nonFinitePaths(value: unknown, path = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path || '/'];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => nonFinitePaths(v, `${path}/${k}`));
}

/** A cell or claim that says the same thing twice: the second would silently replace the first. */
function duplicates(data: ExpectedFile): string[] {
  const problems: string[] = [];
  for (const [table, spec] of Object.entries(data.tables)) {
    const first = new Map<string, number>();
    spec.cells.forEach((cell, i) => {
      for (const profile of cell.profiles) {
        const id = `${keyId(cell.key)}|${cell.metric}|${profile}`;
        const j = first.get(id);
        if (j !== undefined) problems.push(`/tables/${table}/cells/${i}: same key, metric and profile '${profile}' as /tables/${table}/cells/${j}`);
        else first.set(id, i);
      }
    });
  }
  const ids = new Map<string, number>();
  data.claims.forEach((claim, i) => {
    const j = ids.get(claim.id);
    if (j !== undefined) problems.push(`/claims/${i}/id: '${claim.id}' is also the id of /claims/${j}`);
    else ids.set(claim.id, i);
  });
  return [...new Set(problems)];
}

/** Parses and validates expected numbers; `file` is only used in messages. A UTF-8 BOM is ignored. */
export function parseExpected(text: string, file: string): ExpectedFile {
  let data: unknown;
  try {
    data = JSON.parse(stripBom(text));
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message}). Fix the syntax and rerun.`);
  }
  const errors = validate(data);
  if (errors.length > 0) {
    // `if/then` reports twice; keep the specific messages.
    const lines = [...new Set(errors.filter((e) => e.keyword !== 'if').map(describe))];
    throw new InputError(`${file}: does not match expected/schema.json:\n  ${lines.join('\n  ')}\nFix these JSON paths and rerun.`);
  }
  const problems = [
    ...nonFinitePaths(data).map((p) => `${p}: a number too large for a double (read as infinity); write a finite number`),
    ...duplicates(data as ExpectedFile),
  ];
  if (problems.length > 0) throw new InputError(`${file}:\n  ${problems.join('\n  ')}\nFix these JSON paths and rerun.`);
  return data as ExpectedFile;
}

/**
 * Checks that every cell and claim of `expected` names a table the paper declares, one of its
 * metrics and exactly its key columns: otherwise the cell could never be measured, and the run
 * would report a failed measurement (exit 1) for what is a typo in the expected file (exit 2).
 */
export function checkAgainstTables(expected: ExpectedFile, tables: readonly TableSpec[], file: string): void {
  const problems: string[] = [];
  const known = tables.map((t) => t.id).join(', ');
  const checkRef = (where: string, ref: { table: string; key: Record<string, unknown>; metric: string }) => {
    const table = tables.find((t) => t.id === ref.table);
    if (!table) return void problems.push(`${where}: table '${ref.table}' does not exist in paper '${expected.paper}' (tables: ${known})`);
    if (!table.metrics.includes(ref.metric))
      problems.push(`${where}/metric: '${ref.metric}' is not a metric of table '${table.id}' (${table.metrics.join(', ')})`);
    const columns = Object.keys(ref.key).sort();
    if (columns.join(',') !== [...table.keyColumns].sort().join(',')) {
      problems.push(`${where}/key: columns [${columns.join(', ')}] are not table '${table.id}''s key columns [${table.keyColumns.join(', ')}]`);
    }
  };
  for (const [table, spec] of Object.entries(expected.tables)) spec.cells.forEach((cell, i) => checkRef(`/tables/${table}/cells/${i}`, { ...cell, table }));
  expected.claims.forEach((claim, i) => {
    checkRef(`/claims/${i}/left`, claim.left);
    if (typeof claim.right !== 'number') checkRef(`/claims/${i}/right`, claim.right);
  });
  if (problems.length > 0) throw new InputError(`${file}: names cells the paper does not have:\n  ${problems.join('\n  ')}\nFix these JSON paths and rerun.`);
}

/** The expected file of a paper module, checked against the paper's tables (before any work). */
export function loadPaperExpected(paper: Pick<PaperModule, 'id' | 'tables'>, dir = EXPECTED_DIR): ExpectedFile {
  const expected = loadExpected(paper.id, dir);
  checkAgainstTables(expected, paper.tables, expectedPath(paper.id, dir));
  return expected;
}

export function expectedPath(paper: string, dir = EXPECTED_DIR): string {
  return join(dir, `${paper}.json`);
}

export function loadExpected(paper: string, dir = EXPECTED_DIR): ExpectedFile {
  const file = expectedPath(paper, dir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`${file}: cannot read the expected numbers of '${paper}'. Restore the file from git.`);
  }
  const expected = parseExpected(text, file);
  if (expected.paper !== paper) {
    throw new InputError(`${file}: /paper is '${expected.paper}' but the file belongs to '${paper}'. Fix /paper.`);
  }
  return expected;
}
