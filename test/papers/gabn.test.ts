// repro gabn: plans, datasets (exit 3 / exit 2 before training), expected-file references, the smoke
// mechanism cell twice (seed-identical rows) with its PNG grid, and the analytic RFW fixture.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetMissingError, InputError } from '../../src/core/errors.js';
import { silentProgress } from '../../src/core/progress.js';
import type { CellPlan, MeasuredRow } from '../../src/core/types.js';
import { selectBackend } from '../../src/engine/backend.js';
import { discardFiles } from '../../src/harness/cell-files.js';
import { loadPaperExpected } from '../../src/harness/expected.js';
import { runPaper } from '../../src/harness/runner.js';
import { gabnPaper } from '../../src/papers/gabn.js';
import { getPaper } from '../../src/papers/index.js';
import { valueOf } from './helpers.js';

const out = mkdtempSync(join(tmpdir(), 'repro-gabn-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('gabn paper module', () => {
  it('plans the mechanism, the premise and the RFW fixture at every profile; only paper needs data', () => {
    for (const profile of ['smoke', 'quick', 'paper'] as const)
      expect(gabnPaper.plan(profile, 1).map((c) => c.id)).toEqual(['mechanism', 'premise', 'rfw-fixture']);
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

  it('smoke mechanism: every table row, seed-identical rows, and the attention PNG grid (2 methods x 4 groups)', async () => {
    const backend = await selectBackend('wasm');
    const plan = gabnPaper.plan('smoke', 7).find((c) => c.id === 'mechanism')!;
    const cell: CellPlan = { ...plan, params: { ...(plan.params as object), pictures: true } };
    const files: Record<string, string | Uint8Array> = {};
    const run = (sink = discardFiles) =>
      gabnPaper.runCell(cell, { profile: 'smoke', backend: backend.name, dataDir: '/nonexistent', progress: silentProgress, files: sink });
    const rows: MeasuredRow[] = await run({ write: (name, content) => (files[name] = content) });
    expect(JSON.stringify(await run())).toBe(JSON.stringify(rows));
    for (const table of ['verification', 'fairness', 'attention', 'discriminator', 'stability', 'training', 'protocol'])
      expect(
        rows.some((r) => r.table === table),
        table,
      ).toBe(true);
    for (const r of rows.filter((r) => r.table === 'verification' && r.key.seed === 'mean')) expect(r.value! >= 0 && r.value! <= 100).toBe(true);
    expect(new Set(rows.filter((r) => r.table === 'attention').map((r) => r.key.group))).toEqual(
      new Set(['group-a', 'group-b', 'group-c', 'group-d', 'worst']),
    );
    expect(rows.filter((r) => r.table === 'stability' && r.metric === 'seeds').every((r) => r.value === 2)).toBe(true);
    expect(Object.keys(files)).toEqual(['attention-grid.png']);
    const meta = await sharp(Buffer.from(files['attention-grid.png'] as Uint8Array)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 4 * 8 * 12 + 5 * 4, 2 * 8 * 12 + 3 * 4]);
  }, 120_000);
});
