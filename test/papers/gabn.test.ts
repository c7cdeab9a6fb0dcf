// repro gabn: plans, datasets (exit 3 / exit 2 before training), expected-file references, the smoke
// mechanism cells twice (seed-identical rows) with their summary and PNG grid, and the analytic RFW fixture.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetMissingError, InputError } from '../../src/core/errors.js';
import { silentProgress } from '../../src/core/progress.js';
import type { MeasuredRow } from '../../src/core/types.js';
import { selectBackend } from '../../src/engine/backend.js';
import { collectCellFiles, discardFiles, type FileContents } from '../../src/harness/cell-files.js';
import { loadPaperExpected } from '../../src/harness/expected.js';
import { runPaper } from '../../src/harness/runner.js';
import { gabnPaper } from '../../src/papers/gabn.js';
import { getPaper } from '../../src/papers/index.js';
import { valueOf } from './helpers.js';

const out = mkdtempSync(join(tmpdir(), 'repro-gabn-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('gabn paper module', () => {
  it('plans one mechanism cell per (method, seed), the premise and the RFW fixture; only paper needs data', () => {
    expect(gabnPaper.plan('smoke', 1).map((c) => c.id)).toEqual([
      'mechanism-baseline-s1',
      'mechanism-baseline-s2',
      'mechanism-gabn-s1',
      'mechanism-gabn-s2',
      'premise',
      'rfw-fixture',
    ]);
    expect(gabnPaper.plan('quick', 1).filter((c) => c.kind === 'mechanism')).toHaveLength(6);
    expect(gabnPaper.plan('paper', 1).filter((c) => c.kind === 'mechanism')).toHaveLength(12);
    // Every method trains at the same seeds on the same data.
    const cells = gabnPaper.plan('quick', 1).filter((c) => c.kind === 'mechanism');
    const seedsOf = (method: string) => cells.filter((c) => (c.params as { method: string }).method === method).map((c) => c.seed);
    expect(seedsOf('gabn')).toEqual(seedsOf('baseline'));
    expect(new Set(seedsOf('gabn')).size).toBe(3);
    expect(new Set(cells.map((c) => (c.params as { dataSeed: number }).dataSeed)).size).toBe(1);
    expect(gabnPaper.datasets('quick', '/data')).toEqual([]);
    expect(gabnPaper.datasets('paper', '/data').map((d) => d.name)).toEqual(['bupt-balancedface', 'rfw']);
    expect(gabnPaper.profiles.quick).toMatchObject({ kind: 'synth', mechanism: { seeds: 3, methods: ['baseline', 'gabn'] } });
    expect(gabnPaper.profiles.paper).toMatchObject({ kind: 'rfw', mechanism: { methods: ['baseline', 'adversarial', 'erasing', 'gabn'] } });
  });

  it('every expected cell and claim names a declared table, metric and key columns', () => {
    const expected = loadPaperExpected(gabnPaper); // throws naming the first reference outside the tables
    expect(expected.claims.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'gabn-std-below-baseline',
        'gabn-ser-below-baseline',
        'gabn-mean-acc-within-half-point',
        'gabn-probe-toward-chance',
        'gabn-worst-group-area-rises',
      ]),
    );
  });

  it('paper profile: an empty data dir exits 3 naming both datasets; a malformed BUPT folder exits 2 naming it before training', async () => {
    const missing = runPaper(getPaper('gabn'), { profile: 'paper', seed: 1, backend: 'wasm', outRoot: out, dataDir: join(out, 'empty') });
    await expect(missing).rejects.toBeInstanceOf(DatasetMissingError);
    await expect(missing).rejects.toThrow(/bupt-balancedface[\s\S]*rfw/);
    const data = join(out, 'data');
    mkdirSync(join(data, 'bupt-balancedface', 'misc'), { recursive: true });
    for (const g of ['African', 'Asian', 'Caucasian', 'Indian']) {
      mkdirSync(join(data, 'rfw', 'test', 'txts', g), { recursive: true });
      mkdirSync(join(data, 'rfw', 'test', 'data', g), { recursive: true });
      writeFileSync(join(data, 'rfw', 'test', 'txts', g, `${g}_pairs.txt`), 'm.0abc\t1\t2\n');
    }
    const cell = gabnPaper.plan('paper', 1)[0]!;
    const run = gabnPaper.runCell(cell, { profile: 'paper', backend: 'cpu', dataDir: data, progress: silentProgress, files: discardFiles });
    await expect(run).rejects.toBeInstanceOf(InputError);
    await expect(run).rejects.toThrow(/bupt-balancedface.*race_per_7000/);
    mkdirSync(join(data, 'bupt-balancedface', 'race_per_7000', 'African'), { recursive: true });
    for (const g of ['Asian', 'Caucasian', 'Indian']) mkdirSync(join(data, 'bupt-balancedface', 'race_per_7000', g), { recursive: true });
    await expect(gabnPaper.runCell(cell, { profile: 'paper', backend: 'cpu', dataDir: data, progress: silentProgress, files: discardFiles })).rejects.toThrow(
      /African_pairs\.txt:1: missing image/,
    );
  });

  it('the RFW fixture row of Microsoft gives the STD and SER of the card', async () => {
    const cell = gabnPaper.plan('smoke', 1).find((c) => c.id === 'rfw-fixture')!;
    const rows = await gabnPaper.runCell(cell, { profile: 'smoke', backend: 'cpu', dataDir: '/nonexistent', progress: silentProgress, files: discardFiles });
    expect(valueOf(rows, 'rfw_fixture', { api: 'Microsoft' }, 'std')!.toFixed(3)).toBe('4.315');
    expect(valueOf(rows, 'rfw_fixture', { api: 'Microsoft' }, 'ser')!.toFixed(2)).toBe('1.95');
    expect(valueOf(rows, 'rfw_fixture', { api: 'mean-of-apis' }, 'african')!.toFixed(2)).toBe('81.89');
  });

  it('smoke mechanism: seed cells, their summary over seeds, seed-identical rows, and the attention PNG grid (2 methods x 4 groups)', async () => {
    const backend = await selectBackend('wasm');
    const cells = gabnPaper.plan('smoke', 7).filter((c) => c.kind === 'mechanism');
    const run = async (files: FileContents) => {
      const rows: MeasuredRow[] = [];
      for (const cell of cells) {
        const sink = collectCellFiles('gabn', cell.id, gabnPaper.tables);
        rows.push(
          ...(await gabnPaper.runCell(cell, { profile: 'smoke', backend: backend.name, dataDir: '/nonexistent', progress: silentProgress, files: sink.sink })),
        );
        Object.assign(files, sink.files);
      }
      return [...rows, ...(await gabnPaper.summarise!('smoke', rows, { write: (name, content) => (files[name] = content) }))];
    };
    const files: FileContents = {};
    const rows = await run(files);
    expect(JSON.stringify(await run({}))).toBe(JSON.stringify(rows));
    for (const table of ['verification', 'fairness', 'attention', 'attention_map', 'discriminator', 'stability', 'training', 'protocol'])
      expect(
        rows.some((r) => r.table === table),
        table,
      ).toBe(true);
    expect(rows.filter((r) => r.table === 'protocol')).toHaveLength(4); // from the first cell only
    const means = rows.filter((r) => r.table === 'verification' && r.key.seed === 'mean');
    expect(means).toHaveLength(2 * 4);
    for (const r of means) {
      const perSeed = rows.filter(
        (s) => s.table === 'verification' && s.key.method === r.key.method && s.key.group === r.key.group && typeof s.key.seed === 'number',
      );
      expect(perSeed).toHaveLength(2);
      expect(r.value).toBeCloseTo((perSeed[0]!.value! + perSeed[1]!.value!) / 2, 10);
      expect(r.value! >= 0 && r.value! <= 100).toBe(true);
    }
    expect(new Set(rows.filter((r) => r.table === 'attention').map((r) => r.key.group))).toEqual(
      new Set(['group-a', 'group-b', 'group-c', 'group-d', 'worst']),
    );
    expect(rows.filter((r) => r.table === 'stability' && r.metric === 'seeds').every((r) => r.value === 2)).toBe(true);
    expect(Object.keys(files).sort()).toEqual(['attention-grid.png', ...cells.map((c) => `curves/${c.id}.csv`)].sort());
    const meta = await sharp(Buffer.from(files['attention-grid.png'] as Uint8Array)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 4 * 8 * 12 + 5 * 4, 2 * 8 * 12 + 3 * 4]);
  }, 120_000);
});
