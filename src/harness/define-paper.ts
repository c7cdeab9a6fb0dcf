// definePaper: the one shape of a paper module (docs/DESIGN.md "A paper module").
//
//   const TABLES = { weights: { title: '...', keyColumns: ['scope'], metrics: ['ratio_percent'] } } as const;
//   export const cassod = definePaper({
//     id: 'cassod', ..., tables: TABLES,
//     profiles: { smoke: {...}, quick: {...}, paper: {...} },          // Record<Profile, Size>
//     cells: {                                                          // one entry per cell kind
//       weights: { plan: (size, seed) => [{ id: 'weights', params: {}, seed }], run: () => weightRows() },
//       mnist:   { plan: (size, seed) => ..., run: (params, cell, ctx) => ... },
//     },
//   });
//
// A cell's `kind` is the key of its entry in `cells`, and the harness dispatches on it. Rows are typed
// by the declared tables: an undeclared table id, key column or metric fails `tsc`, and the same rule
// is checked at run time for rows that escape the types (JSON from a worker, casts).
import {
  PROFILES,
  type CellContext,
  type CellFiles,
  type CellPlan,
  type DatasetRequirement,
  type MeasuredRow,
  type PaperModule,
  type Profile,
  type TableSpec,
} from '../core/types.js';

/** A table as a paper declares it. */
export interface TableDecl {
  readonly title: string;
  /** Columns that identify a row, in CSV order. */
  readonly keyColumns: readonly string[];
  /** The metrics its rows carry. */
  readonly metrics: readonly string[];
}

export type TableDecls = { readonly [id: string]: TableDecl };

/** A measured row of one of the declared tables, with exactly its key columns and one of its metrics. */
export type RowOf<T extends TableDecls> = {
  [Id in keyof T & string]: {
    table: Id;
    key: { [C in T[Id]['keyColumns'][number]]: string | number };
    metric: T[Id]['metrics'][number];
    value: number | null;
    note?: string;
  };
}[keyof T & string];

/** A cell as a kind plans it; the harness adds the kind. */
export interface PlannedCell<P> {
  id: string;
  params: P;
  seed: number;
}

/** One kind of cell: how a profile's size plans its cells, and how one runs. */
export interface CellKind<P, Size, T extends TableDecls> {
  plan(size: Size, seed: number, profile: Profile): PlannedCell<P>[];
  run(params: P, cell: CellPlan, ctx: CellContext): Promise<RowOf<T>[]> | RowOf<T>[];
}

export interface PaperDefinition<T extends TableDecls, Size, Kinds extends Record<string, unknown>> {
  id: string;
  title: string;
  citation: string;
  summary: string;
  description: string;
  /** Extra `--help` examples; `repro <id>` and a smoke run are always listed. */
  examples?: string[];
  tables: T;
  profiles: Record<Profile, Size>;
  /** Datasets a profile needs (default: none, embedded data). */
  datasets?(size: Size, dataDir: string, profile: Profile): DatasetRequirement[];
  /** The cell kinds; a profile's plan is their plans in this order. */
  cells: { [K in keyof Kinds]: CellKind<Kinds[K], Size, T> };
  /** Rows derived from all cells' rows after they have run (PaperModule.summarise). */
  summarise?(rows: readonly RowOf<T>[], ctx: SummaryContext<Size>): RowOf<T>[] | Promise<RowOf<T>[]>;
}

export interface SummaryContext<Size> {
  profile: Profile;
  size: Size;
  /** Files of the result set, as a cell writes them (a picture of the summary). */
  files: CellFiles;
}

/** A paper module that also keeps its profiles' sizes (tests). */
export interface DefinedPaper<Size> extends PaperModule {
  profiles: Record<Profile, Size>;
}

export function definePaper<const T extends TableDecls, Size, Kinds extends Record<string, unknown>>(def: PaperDefinition<T, Size, Kinds>): DefinedPaper<Size> {
  const tables: TableSpec[] = Object.entries(def.tables).map(([id, t]) => ({ id, title: t.title, keyColumns: t.keyColumns, metrics: t.metrics }));
  const kinds = def.cells as Record<string, CellKind<unknown, Size, T>>;
  for (const profile of PROFILES) {
    if (!(profile in def.profiles)) throw new Error(`${def.id}: profile '${profile}' has no size`);
  }
  return {
    id: def.id,
    title: def.title,
    citation: def.citation,
    summary: def.summary,
    description: def.description,
    examples: [`<%= config.bin %> ${def.id}`, `<%= config.bin %> ${def.id} --profile smoke --json`, ...(def.examples ?? [])],
    tables,
    profiles: def.profiles,
    datasets: (profile, dataDir) => def.datasets?.(def.profiles[profile], dataDir, profile) ?? [],
    plan: (profile, seed) =>
      Object.entries(kinds).flatMap(([kind, k]) =>
        k.plan(def.profiles[profile], seed, profile).map((c) => ({ id: c.id, kind, params: c.params, seed: c.seed })),
      ),
    async runCell(cell, ctx) {
      const kind = kinds[cell.kind];
      if (!kind) throw new Error(`${def.id}: cell '${cell.id}' has kind '${cell.kind}', which the paper does not define`);
      const rows: MeasuredRow[] = await kind.run(cell.params, cell, ctx);
      for (const row of rows) assertDeclared(def.id, tables, row);
      return rows;
    },
    ...(def.summarise && {
      async summarise(profile: Profile, rows: readonly MeasuredRow[], files: CellFiles) {
        const derived: MeasuredRow[] = await def.summarise!(rows as RowOf<T>[], { profile, size: def.profiles[profile], files });
        for (const row of derived) assertDeclared(def.id, tables, row);
        return derived;
      },
    }),
  };
}

/** A row outside the declarations is a bug of the paper module, not a measurement. */
function assertDeclared(paper: string, tables: TableSpec[], row: MeasuredRow): void {
  const table = tables.find((t) => t.id === row.table);
  const where = `${paper}: row ${row.table}.${row.metric}`;
  if (!table) throw new Error(`${where}: table '${row.table}' is not declared`);
  if (!table.metrics.includes(row.metric)) throw new Error(`${where}: metric '${row.metric}' is not declared for table '${table.id}'`);
  const columns = Object.keys(row.key);
  const same = columns.length === table.keyColumns.length && table.keyColumns.every((c) => columns.includes(c));
  if (!same) throw new Error(`${where}: key columns [${columns.join(', ')}] differ from the declared [${table.keyColumns.join(', ')}]`);
}

/** A kind with one cell, the same at every profile: an analytic table (no training, milliseconds). */
export function oneCell<Row extends MeasuredRow>(id: string, run: () => Row[] | Promise<Row[]>) {
  return { plan: (_size: unknown, seed: number): PlannedCell<Record<string, never>>[] => [{ id, params: {}, seed }], run };
}
