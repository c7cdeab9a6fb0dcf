// What the report reads of one result set: verified first (readResultSet, as `repro check` does), then
// re-checked against expected/ (so the colours are the verdict `repro check` gives), plus the files a
// cell wrote: curves/<cell>.csv, roc/<cell>.csv and PNG pictures.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InputError } from '../core/errors.js';
import { stripBom } from '../core/text.js';
import type { CheckReport, ExpectedFile, PaperModule, Profile } from '../core/types.js';
import { check } from '../harness/checker.js';
import type { RunManifest } from '../harness/manifest.js';
import { readResultSet, resultsDir } from '../harness/results.js';

/** One curves/<cell>.csv or roc/<cell>.csv: its columns and rows (numbers where the text is one, else text). */
export interface CurveFile {
  /** The file's stem: the cell id as curvesFileName wrote it. */
  cell: string;
  columns: string[];
  rows: Record<string, number | string | null>[];
}

/** A picture a cell wrote (cloak.png, attention-grid.png), as a data: URI. */
export interface Picture {
  name: string;
  dataUri: string;
}

export interface ReportSet {
  paper: PaperModule;
  profile: Profile;
  dir: string;
  manifest: RunManifest;
  /** False for a set written before run.json listed its files (they could not be checked). */
  verified: boolean;
  report: CheckReport;
  curves: CurveFile[];
  /** Verification ROCs (roc/<cell>.csv: far, tar and the columns that tell a cell's curves apart). */
  rocs: CurveFile[];
  pictures: Picture[];
}

/** Reads, verifies and re-checks the set of `paper` at `profile` under `root`; InputError (exit 2) names a damaged file. */
export function readReportSet(root: string, paper: PaperModule, profile: Profile, expected: ExpectedFile): ReportSet {
  const dir = resultsDir(root, paper.id, profile);
  const set = readResultSet(dir, paper.id, profile, paper.tables);
  const names = set.manifest.files ? Object.keys(set.manifest.files).sort() : listFiles(dir);
  return {
    paper,
    profile,
    dir,
    manifest: set.manifest,
    verified: set.verified,
    report: check(paper.id, profile, set.rows, expected),
    curves: names.filter((n) => /^curves\/[^/]+\.csv$/.test(n)).map((n) => readCurves(join(dir, n), n)),
    rocs: names.filter((n) => /^roc\/[^/]+\.csv$/.test(n)).map((n) => readCurves(join(dir, n), n)),
    pictures: names.filter((n) => n.toLowerCase().endsWith('.png')).map((n) => ({ name: n, dataUri: pngDataUri(join(dir, n)) })),
  };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? readdirSync(join(dir, e.name)).map((n) => `${e.name}/${n}`) : [e.name]))
    .sort();
}

function readCurves(file: string, name: string): CurveFile {
  let records: string[][];
  try {
    records = parse(stripBom(readFileSync(file, 'utf8')), { skip_empty_lines: true });
  } catch (error) {
    throw new InputError(`${file}: not a readable curves CSV (${(error as Error).message}). Fix: rerun the paper to write a complete set.`);
  }
  const [columns = [], ...body] = records;
  const rows = body.map((r) => Object.fromEntries(columns.map((c, i) => [c, cellValue(r[i] ?? '')])));
  return { cell: name.replace(/^[^/]+\//, '').replace(/\.csv$/, ''), columns, rows };
}

function cellValue(text: string): number | string | null {
  if (text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngDataUri(file: string): string {
  const bytes = readFileSync(file);
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new InputError(`${file}: not a PNG file. Fix: rerun the paper to write a complete set.`);
  return `data:image/png;base64,${bytes.toString('base64')}`;
}
