// definePaper: rows typed by the declared tables (the @ts-expect-error lines below are checked by
// `tsc -p tsconfig.test.json`, part of `npm test`: an error that stops happening fails the build), and
// the module it builds: plan order, dispatch by kind, run-time rejection of undeclared rows, oneCell.
import { discardFiles } from '../../src/harness/cell-files.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { silentProgress } from '../../src/core/progress.js';
import type { CellContext, CellPlan, MeasuredRow, Profile } from '../../src/core/types.js';
import { definePaper, oneCell, type RowOf } from '../../src/harness/define-paper.js';

const TABLES = {
  speed: { title: 'Throughput', keyColumns: ['net', 'batch'], metrics: ['img_per_s', 'ms'] },
  size: { title: 'Model size', keyColumns: ['net'], metrics: ['weights'] },
} as const;
type Row = RowOf<typeof TABLES>;

describe('RowOf<typeof TABLES> (type level)', () => {
  it('is a row of one declared table: its id, exactly its key columns, one of its metrics', () => {
    const rows: Row[] = [
      { table: 'speed', key: { net: 'a', batch: 8 }, metric: 'ms', value: 1.5 },
      { table: 'size', key: { net: 'a' }, metric: 'weights', value: null, note: 'not counted' },
    ];
    expect(rows).toHaveLength(2);
    expectTypeOf<Row['table']>().toEqualTypeOf<'speed' | 'size'>();
    expectTypeOf<Extract<Row, { table: 'speed' }>['metric']>().toEqualTypeOf<'img_per_s' | 'ms'>();
    expectTypeOf<keyof Extract<Row, { table: 'speed' }>['key']>().toEqualTypeOf<'net' | 'batch'>();
    expectTypeOf<Row>().toExtend<MeasuredRow>();
  });

  it('rejects an undeclared table id', () => {
    // @ts-expect-error 'latency' is not a declared table
    const row: Row = { table: 'latency', key: { net: 'a' }, metric: 'ms', value: 1 };
    expect(row.table).toBe('latency');
  });

  it('rejects an undeclared key column, and a key without one of the declared columns', () => {
    // @ts-expect-error 'device' is not a key column of table speed
    const extra: Row = { table: 'speed', key: { net: 'a', batch: 8, device: 'cpu' }, metric: 'ms', value: 1 };
    // @ts-expect-error table speed's key needs 'batch'
    const missing: Row = { table: 'speed', key: { net: 'a' }, metric: 'ms', value: 1 };
    expect([extra, missing]).toHaveLength(2);
  });

  it("rejects an undeclared metric, and another table's metric", () => {
    // @ts-expect-error 'fps' is not a metric of any table
    const unknown: Row = { table: 'speed', key: { net: 'a', batch: 8 }, metric: 'fps', value: 1 };
    // @ts-expect-error 'weights' is table size's metric, not speed's
    const other: Row = { table: 'speed', key: { net: 'a', batch: 8 }, metric: 'weights', value: 1 };
    expect([unknown, other]).toHaveLength(2);
  });
});

// ---- the module definePaper builds ----

interface Size {
  nets: string[];
}
interface SpeedParams {
  net: string;
}
const calls: { params: SpeedParams; cell: CellPlan; ctx: CellContext }[] = [];

function speedRows(params: SpeedParams, cell: CellPlan, ctx: CellContext): Row[] {
  calls.push({ params, cell, ctx });
  return [{ table: 'speed', key: { net: params.net, batch: 8 }, metric: 'ms', value: cell.seed }];
}

/** A kind that returns whatever row it is handed, as rows from a worker's JSON would escape the types. */
let escaped: MeasuredRow[] = [];

const paper = definePaper({
  id: 'toy',
  title: 'A toy paper',
  citation: 'nobody',
  summary: 'toy summary',
  description: 'toy description',
  examples: ['<%= config.bin %> toy --profile paper'],
  tables: TABLES,
  profiles: { smoke: { nets: ['a'] }, quick: { nets: ['a', 'b'] }, paper: { nets: ['a', 'b', 'c'] } } satisfies Record<Profile, Size>,
  datasets: (size, dataDir, profile) => (profile === 'paper' ? size.nets.map((net) => ({ name: net, path: `${dataDir}/${net}`, howToObtain: 'make it' })) : []),
  cells: {
    speed: {
      plan: (size, seed) => size.nets.map((net) => ({ id: `speed-${net}`, params: { net }, seed: seed + net.charCodeAt(0) })),
      run: speedRows,
    },
    size: oneCell('size', (): Row[] => [{ table: 'size', key: { net: 'a' }, metric: 'weights', value: 42 }]),
    escape: { plan: () => [], run: () => escaped as Row[] },
  },
});

const ctx: CellContext = { profile: 'quick', backend: 'cpu', dataDir: '/nonexistent', progress: silentProgress, files: discardFiles };

describe('definePaper', () => {
  it('lists the tables and the examples', () => {
    expect(paper.tables).toEqual([
      { id: 'speed', title: 'Throughput', keyColumns: ['net', 'batch'], metrics: ['img_per_s', 'ms'] },
      { id: 'size', title: 'Model size', keyColumns: ['net'], metrics: ['weights'] },
    ]);
    expect(paper.examples).toEqual(['<%= config.bin %> toy', '<%= config.bin %> toy --profile smoke --json', '<%= config.bin %> toy --profile paper']);
  });

  it("plans the kinds' cells in declaration order, each with its kind, from the profile's size", () => {
    expect(paper.plan('quick', 100)).toEqual([
      { id: 'speed-a', kind: 'speed', params: { net: 'a' }, seed: 197 },
      { id: 'speed-b', kind: 'speed', params: { net: 'b' }, seed: 198 },
      { id: 'size', kind: 'size', params: {}, seed: 100 },
    ]);
    expect(paper.plan('smoke', 1).map((c) => c.id)).toEqual(['speed-a', 'size']);
    expect(paper.plan('paper', 1).map((c) => c.kind)).toEqual(['speed', 'speed', 'speed', 'size']);
  });

  it("hands the profile's size to datasets (default: none)", () => {
    expect(paper.datasets('quick', '/d')).toEqual([]);
    expect(paper.datasets('paper', '/d').map((d) => d.path)).toEqual(['/d/a', '/d/b', '/d/c']);
    const noData = definePaper({ ...minimal(), cells: {} });
    expect(noData.datasets('paper', '/d')).toEqual([]);
  });

  it('runs a cell by its kind, with its params, the cell and the context', async () => {
    calls.length = 0;
    const [cell] = paper.plan('quick', 100);
    expect(await paper.runCell(cell!, ctx)).toEqual([{ table: 'speed', key: { net: 'a', batch: 8 }, metric: 'ms', value: 197 }]);
    expect(calls).toEqual([{ params: { net: 'a' }, cell, ctx }]);
    expect(await paper.runCell({ id: 'size', kind: 'size', params: {}, seed: 1 }, ctx)).toEqual([
      { table: 'size', key: { net: 'a' }, metric: 'weights', value: 42 },
    ]);
  });

  it('refuses a cell of a kind the paper does not define, naming it', async () => {
    await expect(paper.runCell({ id: 'x1', kind: 'nosuch', params: {}, seed: 1 }, ctx)).rejects.toThrow(
      "toy: cell 'x1' has kind 'nosuch', which the paper does not define",
    );
  });

  it('rejects at run time a row outside the declarations (table, metric, key columns)', async () => {
    const run = (row: MeasuredRow) => {
      escaped = [row];
      return paper.runCell({ id: 'e', kind: 'escape', params: {}, seed: 1 }, ctx);
    };
    await expect(run({ table: 'latency', key: { net: 'a' }, metric: 'ms', value: 1 })).rejects.toThrow("toy: row latency.ms: table 'latency' is not declared");
    await expect(run({ table: 'speed', key: { net: 'a', batch: 1 }, metric: 'weights', value: 1 })).rejects.toThrow(
      "metric 'weights' is not declared for table 'speed'",
    );
    await expect(run({ table: 'speed', key: { net: 'a' }, metric: 'ms', value: 1 })).rejects.toThrow('key columns [net] differ from the declared [net, batch]');
    await expect(run({ table: 'size', key: { net: 'a', batch: 1 }, metric: 'weights', value: 1 })).rejects.toThrow(
      'key columns [net, batch] differ from the declared [net]',
    );
    // Declared rows pass, whatever the key's order.
    expect(await run({ table: 'speed', key: { batch: 1, net: 'a' }, metric: 'img_per_s', value: null })).toHaveLength(1);
  });

  it('refuses a definition without a size for every profile', () => {
    const profiles = { smoke: {}, quick: {} } as unknown as Record<Profile, object>;
    expect(() => definePaper({ ...minimal(), profiles, cells: {} })).toThrow("toy: profile 'paper' has no size");
  });
});

describe('oneCell', () => {
  it('plans one cell with no params and the run seed, the same at every profile', async () => {
    const kind = oneCell('weights', () => [{ table: 'size', key: { net: 'x' }, metric: 'weights', value: 3 }]);
    expect(kind.plan({ anything: true }, 7)).toEqual([{ id: 'weights', params: {}, seed: 7 }]);
    expect(kind.plan(null, 8)).toEqual([{ id: 'weights', params: {}, seed: 8 }]);
    expect(await kind.run()).toEqual([{ table: 'size', key: { net: 'x' }, metric: 'weights', value: 3 }]);
  });
});

function minimal() {
  return {
    id: 'toy',
    title: 't',
    citation: 'c',
    summary: 's',
    description: 'd',
    tables: TABLES,
    profiles: { smoke: {}, quick: {}, paper: {} },
  };
}
