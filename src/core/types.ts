// The shared vocabulary of the harness: profiles, cells, measured rows, expected numbers, checks.

export const PROFILES = ['smoke', 'quick', 'paper'] as const;
export type Profile = (typeof PROFILES)[number];

/** A key identifies a row inside a table, e.g. `{ optimizer: 'adam' }`. */
export type RowKey = Record<string, string | number>;

/** One measured number of a reproduction. */
export interface MeasuredRow {
  table: string;
  key: RowKey;
  metric: string;
  value: number | null;
  /** Why the value is what it is: reconstruction choices, failures, protocol. */
  note?: string;
}

/**
 * One experiment that fills part of a table; plain JSON so a worker process can run it. `kind` names
 * the paper's cell kind that plans and runs it (src/harness/define-paper.ts).
 */
export interface CellPlan {
  id: string;
  kind: string;
  params: unknown;
  seed: number;
}

export interface TableSpec {
  id: string;
  title: string;
  /** Columns that identify a row, in CSV order. */
  keyColumns: readonly string[];
  /** The metrics the table's rows may carry. */
  metrics: readonly string[];
}

/** A dataset a profile needs; missing ones stop the run with exit code 3. */
export interface DatasetRequirement {
  name: string;
  /** Absolute path that must exist. */
  path: string;
  howToObtain: string;
}

export interface CellContext {
  profile: Profile;
  backend: string;
  dataDir: string;
  progress: import('./progress.js').Progress;
  /**
   * A folder where a long cell keeps resumable training state (<out>/.checkpoints/<paper>/<profile>/<cell>):
   * a rerun of the same cell resumes there. The cell removes it when it has finished.
   */
  checkpointDir?: string;
  /**
   * Files the cell adds to its result set beside the CSVs (a PNG grid, curves/<cell>.csv): written with
   * the set, listed with their sha256 in run.json, and dropped if the cell fails.
   */
  files: CellFiles;
}

/** Where a cell writes the files of its result set; names are checked by `artifactNameProblem`. */
export interface CellFiles {
  write(name: string, content: string | Uint8Array): void;
}

/**
 * Why `name` cannot be the name of a cell's file, or null: lower-case letters, digits, '.', '_' and '-',
 * with at most one folder ('attention-grid.png', 'curves/ga-s1.csv'), never run.json or a table's CSV.
 */
export function artifactNameProblem(name: string, tables: readonly TableSpec[]): string | null {
  if (!/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)?$/.test(name) || name.includes('..')) {
    return `'${name}' is not a file name of lower-case letters, digits, '.', '_' and '-' (one folder at most)`;
  }
  if (name === 'run.json' || tables.some((t) => name === `${t.id}.csv`)) return `'${name}' is a name the result set uses itself`;
  return null;
}

/** What the harness runs; papers build one with definePaper (docs/DESIGN.md "Data flow of one command"). */
export interface PaperModule {
  id: string;
  title: string;
  citation: string;
  /** One line for `--help` and `repro list`. */
  summary: string;
  /** A paragraph for `--help`: what is reproduced and how. */
  description: string;
  /** Command lines for `--help`, with oclif's `<%= config.bin %>`. */
  examples: string[];
  tables: TableSpec[];
  /** Datasets needed at a profile (empty for embedded data). */
  datasets(profile: Profile, dataDir: string): DatasetRequirement[];
  /** The experiments of a profile, in table order. */
  plan(profile: Profile, seed: number): CellPlan[];
  /** Runs one experiment and returns its measured rows. */
  runCell(cell: CellPlan, ctx: CellContext): Promise<MeasuredRow[]>;
  /**
   * Rows derived from the rows of every cell once all have run, in this process (the mean and spread of
   * seed cells, seed stability, a picture of them); the harness adds them to the cells' rows.
   */
  summarise?(profile: Profile, rows: readonly MeasuredRow[], files: CellFiles): Promise<MeasuredRow[]>;
}

// ---- expected numbers (expected/<paper>.json, validated by expected/schema.json) ----

export type Provenance = `table:${string}` | 'abstract' | 'derived' | 'secondary' | 'unknown';

export type Tolerance = { abs: number } | { rel: number };

export interface ExpectedCell {
  key: RowKey;
  metric: string;
  expected: number | null;
  tolerance?: Tolerance;
  provenance: Provenance;
  profiles: Profile[];
  note?: string;
}

export interface ExpectedTable {
  title: string;
  cells: ExpectedCell[];
}

export interface CellRef {
  table: string;
  key: RowKey;
  metric: string;
}

export type ClaimOp = '<' | '<=' | '>' | '>=';

/** `left op scale * right + offset`, where right is a cell or a number. */
export interface Claim {
  id: string;
  description: string;
  provenance: Provenance;
  profiles: Profile[];
  left: CellRef;
  op: ClaimOp;
  right: CellRef | number;
  scale?: number;
  offset?: number;
}

export interface ExpectedFile {
  paper: string;
  title: string;
  source: string;
  tables: Record<string, ExpectedTable>;
  claims: Claim[];
}

// ---- checks ----

export type CellStatus = 'pass' | 'fail' | 'no-reference';

export interface CheckedRow extends MeasuredRow {
  expected: number | null;
  tolerance: string;
  provenance: Provenance | '';
  status: CellStatus;
}

export interface ClaimResult {
  id: string;
  description: string;
  provenance: Provenance;
  status: 'pass' | 'fail';
  left: number | null;
  right: number | null;
  detail: string;
}

export interface CheckReport {
  paper: string;
  profile: Profile;
  rows: CheckedRow[];
  claims: ClaimResult[];
}
