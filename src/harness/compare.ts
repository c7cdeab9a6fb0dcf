// `repro compare A B`: every cell (table, key, metric) of two result folders side by side, and whether
// the difference exceeds the noise. A and B are each a run folder (runs/<id>/ or results/, holding
// <paper>/<profile>/ sets) or one set folder; sets are paired by paper and profile.
//
// Noise of a cell, first that applies:
//  1. the seed spread: a table that declares a `std` metric records, at a key, the spread of its
//     first metric (its headline: rank1, accuracy, ...) at that key; or, for a row at seed 'mean', the
//     same metric at seed 'sd' (harness/seeds.ts); the larger of A's and B's is used;
//  2. the tolerance of the expected cell for this profile (expected/<paper>.json), taken around B;
//  3. none: the two values must be equal.
// A difference beyond noise, or a cell of B that A lacks, is a regression (exit 1). Direction is not
// judged: which way is better differs per metric, and a drift either way needs a look.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { PROFILES, type ExpectedFile, type MeasuredRow, type RowKey, type TableSpec, type Tolerance } from '../core/types.js';
import { formatTolerance, keyId, withinTolerance } from './checker.js';
import { formatNumber, latestRun, readMeasuredRows, readRunManifest, RUN_FILE, verifyResultSet } from './results.js';
import { textTable } from './summary.js';

export interface SetRef {
  paper: string;
  profile: string;
  dir: string;
}

export type CellVerdict = 'equal' | 'within-noise' | 'beyond-noise' | 'only-a' | 'only-b';

export interface CellComparison {
  paper: string;
  profile: string;
  table: string;
  key: RowKey;
  metric: string;
  a: number | null;
  b: number | null;
  /** a − b, null where either is missing or not finite. */
  difference: number | null;
  /** What the difference was held against: `spread 0.5`, a tolerance such as `±0.01`, or `exact`. */
  noise: string;
  verdict: CellVerdict;
}

export interface SetComparison {
  paper: string;
  profile: string;
  a: string;
  b: string;
  cells: CellComparison[];
}

export interface Comparison {
  status: 'pass' | 'regression';
  a: string;
  b: string;
  sets: SetComparison[];
  counts: Record<CellVerdict, number>;
  /** Sets present on one side only: not compared, not a regression. */
  unmatched: { onlyA: SetRef[]; onlyB: SetRef[] };
  /** Sets written before run.json carried a file manifest: read, but their files could not be verified. */
  warnings: string[];
}

/** What compare needs of a paper: its tables (to read the CSVs) and its expected file (tolerances). */
export type PaperLookup = (id: string) => { tables: readonly TableSpec[]; expected: ExpectedFile };

/**
 * The folders of `repro compare [A] [B]`: A defaults to the newest run under `runsRoot`, B to the
 * committed reference. InputError (exit 2) when A is not given and there is no run yet.
 */
export function compareFolders(a: string | undefined, b: string | undefined, runsRoot: string, referenceRoot: string): { a: string; b: string } {
  const latest = a ?? latestRun(runsRoot);
  if (latest === null) {
    throw new InputError(`A: no run under ${runsRoot} yet. Fix: run a paper first (repro <paper>), or name the folders: repro compare A B.`);
  }
  return { a: latest, b: b ?? referenceRoot };
}

const LEFTOVER = /\.(tmp|old)-\d+-[0-9a-f]+$|\.lock$/;

/**
 * The result sets of a folder: the folder itself when it holds run.json, else its <paper>/<profile>/
 * sets. `what` names the argument in messages (InputError, exit 2, when the folder is missing or empty).
 */
export function findResultSets(folder: string, what: string): { sets: SetRef[]; single: boolean } {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new InputError(`${what} ${folder}: no such folder. Fix: give a run folder (runs/<run-id>), results/, or one <paper>/<profile> set.`);
  }
  if (existsSync(join(folder, RUN_FILE))) {
    const manifest = readRunManifest(folder);
    return { sets: [{ paper: manifest.paper, profile: manifest.profile, dir: folder }], single: true };
  }
  const subdirs = (dir: string) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !LEFTOVER.test(e.name))
      .map((e) => e.name)
      .sort();
  const sets = subdirs(folder).flatMap((paper) =>
    subdirs(join(folder, paper))
      .filter((profile) => PROFILES.includes(profile as never))
      .map((profile) => ({ paper, profile, dir: join(folder, paper, profile) })),
  );
  if (sets.length === 0) {
    throw new InputError(
      `${what} ${folder}: holds no result set (<paper>/<profile>/run.json). Fix: give a run folder (runs/<run-id>), results/, or one set folder.`,
    );
  }
  return { sets, single: false };
}

function pairSets(a: { sets: SetRef[]; single: boolean }, b: { sets: SetRef[]; single: boolean }): [SetRef, SetRef][] {
  // Two single sets are compared whatever their folder names: a copied set keeps its run.json.
  if (a.single && b.single) {
    if (a.sets[0]!.paper !== b.sets[0]!.paper) {
      throw new InputError(`${a.sets[0]!.dir} holds ${a.sets[0]!.paper} but ${b.sets[0]!.dir} holds ${b.sets[0]!.paper}. Fix: compare sets of one paper.`);
    }
    return [[a.sets[0]!, b.sets[0]!]];
  }
  return a.sets.flatMap((sa) => {
    const sb = b.sets.find((s) => s.paper === sa.paper && s.profile === sa.profile);
    return sb ? [[sa, sb] as [SetRef, SetRef]] : [];
  });
}

const setName = (s: SetRef) => `${s.paper}/${s.profile}`;

type Noise = { kind: 'spread'; amount: number } | { kind: 'tolerance'; tolerance: Tolerance } | { kind: 'exact' };

function rowIndex(rows: MeasuredRow[]): Map<string, MeasuredRow> {
  return new Map(rows.map((r) => [`${r.table}|${keyId(r.key)}|${r.metric}`, r]));
}

function noiseOf(
  table: TableSpec | undefined,
  key: RowKey,
  metric: string,
  profile: string,
  spreads: Map<string, MeasuredRow>[],
  expected: ExpectedFile,
): Noise {
  if (table && table.metrics.includes('std') && metric === table.metrics[0] && metric !== 'std') {
    const values = spreads
      .map((index) => index.get(`${table.id}|${keyId(key)}|std`)?.value)
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (values.length > 0) return { kind: 'spread', amount: Math.max(...values) };
  }
  // The other convention (harness/seeds.ts seedSummaryRows, ga's replicates): the spread of a seed 'mean' row
  // is the same metric at seed 'sd'.
  if (table?.keyColumns.includes('seed') && key.seed === 'mean') {
    const values = spreads
      .map((index) => index.get(`${table.id}|${keyId({ ...key, seed: 'sd' })}|${metric}`)?.value)
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (values.length > 0) return { kind: 'spread', amount: Math.max(...values) };
  }
  const cell = expected.tables[table?.id ?? '']?.cells.find(
    (c) => c.metric === metric && keyId(c.key) === keyId(key) && c.profiles.includes(profile as never) && c.tolerance,
  );
  return cell?.tolerance ? { kind: 'tolerance', tolerance: cell.tolerance } : { kind: 'exact' };
}

function verdictOf(a: number | null, b: number | null, noise: Noise): CellVerdict {
  if (a === b) return 'equal';
  // A missing or infinite value on one side only has no size to hold against the noise.
  if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b)) return 'beyond-noise';
  const within =
    noise.kind === 'spread'
      ? Math.abs(a - b) <= noise.amount + 1e-12 * Math.max(1, Math.abs(b))
      : noise.kind === 'tolerance'
        ? withinTolerance(a, b, noise.tolerance)
        : false;
  return within ? 'within-noise' : 'beyond-noise';
}

function noiseText(noise: Noise): string {
  return noise.kind === 'spread' ? `spread ${formatNumber(noise.amount)}` : noise.kind === 'tolerance' ? formatTolerance(noise.tolerance) : 'exact';
}

/** The cells of two sets' rows, B's order first (compareResults; history.ts holds a run against its baseline). */
export function compareRows(
  sa: SetRef,
  sb: SetRef,
  rowsA: MeasuredRow[],
  rowsB: MeasuredRow[],
  tables: readonly TableSpec[],
  expected: ExpectedFile,
): CellComparison[] {
  const indexA = rowIndex(rowsA);
  const indexB = rowIndex(rowsB);
  const cells: CellComparison[] = [];
  // B's order first (the reference), then the cells only A has.
  const ids = [...indexB.keys(), ...[...indexA.keys()].filter((id) => !indexB.has(id))];
  for (const id of ids) {
    const ra = indexA.get(id);
    const rb = indexB.get(id);
    const row = (rb ?? ra)!;
    const noise = noiseOf(
      tables.find((t) => t.id === row.table),
      row.key,
      row.metric,
      sb.profile,
      [indexA, indexB],
      expected,
    );
    const a = ra?.value ?? null;
    const b = rb?.value ?? null;
    const verdict: CellVerdict = !ra ? 'only-b' : !rb ? 'only-a' : verdictOf(a, b, noise);
    const finite = a !== null && b !== null && Number.isFinite(a) && Number.isFinite(b);
    cells.push({
      paper: sa.paper,
      profile: sa.profile === sb.profile ? sa.profile : `${sa.profile}|${sb.profile}`,
      table: row.table,
      key: row.key,
      metric: row.metric,
      a,
      b,
      difference: finite ? a - b : null,
      noise: noiseText(noise),
      verdict,
    });
  }
  return cells;
}

/**
 * Compares the result sets of folder `a` with those of folder `b` (see the head of this file). Every
 * set compared is verified first (verifyResultSet: InputError, exit 2, naming a damaged file).
 */
export function compareResults(a: string, b: string, papers: PaperLookup, names = { a: 'A', b: 'B' }): Comparison {
  const foundA = findResultSets(a, names.a);
  const foundB = findResultSets(b, names.b);
  const pairs = pairSets(foundA, foundB);
  if (pairs.length === 0) {
    throw new InputError(
      `${names.a} ${a} (${foundA.sets.map(setName).join(', ')}) and ${names.b} ${b} (${foundB.sets.map(setName).join(', ')}) have no ` +
        `<paper>/<profile> set in common. Fix: compare runs of the same papers and profile (the committed reference is --profile quick).`,
    );
  }
  const warnings: string[] = [];
  const sets = pairs.map(([sa, sb]) => {
    const { tables, expected } = papers(sa.paper);
    const rows = [sa, sb].map((s) => {
      const check = verifyResultSet(s.dir, s.paper, s.profile);
      if (!check.verified) warnings.push(`${join(s.dir, RUN_FILE)} has no file manifest (written by an older repro): its files could not be verified.`);
      return readMeasuredRows(s.dir, [...tables]);
    });
    return { paper: sa.paper, profile: sa.profile, a: sa.dir, b: sb.dir, cells: compareRows(sa, sb, rows[0]!, rows[1]!, tables, expected) };
  });
  const counts: Record<CellVerdict, number> = { equal: 0, 'within-noise': 0, 'beyond-noise': 0, 'only-a': 0, 'only-b': 0 };
  for (const cell of sets.flatMap((s) => s.cells)) counts[cell.verdict] += 1;
  const paired = new Set(pairs.flatMap(([sa, sb]) => [sa.dir, sb.dir]));
  return {
    status: counts['beyond-noise'] + counts['only-b'] > 0 ? 'regression' : 'pass',
    a,
    b,
    sets,
    counts,
    unmatched: { onlyA: foundA.sets.filter((s) => !paired.has(s.dir)), onlyB: foundB.sets.filter((s) => !paired.has(s.dir)) },
    warnings,
  };
}

const VERDICT_ORDER: CellVerdict[] = ['beyond-noise', 'only-b', 'only-a', 'within-noise'];

/** The readable form: the differing cells, regressions first, then the counts. */
export function comparisonText(c: Comparison): string {
  const value = (x: number | null) => (x === null ? '-' : formatNumber(x));
  const differing = c.sets
    .flatMap((s) => s.cells)
    .filter((cell) => cell.verdict !== 'equal')
    .sort((x, y) => VERDICT_ORDER.indexOf(x.verdict) - VERDICT_ORDER.indexOf(y.verdict));
  const lines = [`A: ${c.a}`, `B: ${c.b}`];
  if (differing.length > 0) {
    lines.push(
      textTable(
        ['paper', 'profile', 'table', 'key', 'metric', 'A', 'B', 'A-B', 'noise', 'verdict'],
        differing.map((cell) => [
          cell.paper,
          cell.profile,
          cell.table,
          keyId(cell.key),
          cell.metric,
          value(cell.a),
          value(cell.b),
          value(cell.difference),
          cell.noise,
          cell.verdict,
        ]),
      ),
    );
  }
  const n = c.counts;
  lines.push(
    `${c.sets.length} set(s) compared: ${n.equal} cells equal, ${n['within-noise']} within noise, ${n['beyond-noise']} beyond noise, ` +
      `${n['only-b']} only in B (missing from A), ${n['only-a']} only in A`,
  );
  if (c.unmatched.onlyA.length > 0) lines.push(`not compared, no counterpart in B: ${c.unmatched.onlyA.map(setName).join(', ')}`);
  if (c.unmatched.onlyB.length > 0) lines.push(`not compared, no counterpart in A: ${c.unmatched.onlyB.length} set(s) of B`);
  lines.push(c.status === 'regression' ? 'regression: cells differ beyond noise or are missing from A (exit 1)' : 'no regression beyond noise');
  return lines.join('\n');
}
