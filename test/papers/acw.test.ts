import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetMissingError } from '../../src/core/errors.js';
import { loadPaperExpected } from '../../src/harness/expected.js';
import { runPaper } from '../../src/harness/runner.js';
import { acwPaper } from '../../src/papers/acw.js';
import { getPaper } from '../../src/papers/index.js';

describe('acw paper module', () => {
  const out = mkdtempSync(join(tmpdir(), 'repro-acw-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('plans one cell per training seed: synthetic at smoke/quick, Lock3DFace at paper; the data seed is shared', () => {
    expect(acwPaper.plan('quick', 1).map((c) => c.id)).toEqual(['synth-rgbd-s1', 'synth-rgbd-s2', 'synth-rgbd-s3']);
    expect(acwPaper.plan('smoke', 1).map((c) => c.kind)).toEqual(['synth']);
    expect(acwPaper.plan('paper', 1).map((c) => c.id)).toEqual(['lock3dface-s1', 'lock3dface-s2', 'lock3dface-s3']);
    const quick = acwPaper.plan('quick', 1);
    expect(new Set(quick.map((c) => (c.params as { dataSeed: number }).dataSeed)).size).toBe(1);
    expect(new Set(quick.map((c) => c.seed)).size).toBe(3);
    expect(acwPaper.profiles.quick).toMatchObject({ seeds: 3 });
    expect(acwPaper.datasets('quick', '/data')).toEqual([]);
    expect(acwPaper.datasets('paper', '/data').map((d) => d.name)).toEqual(['lock3dface']);
  });

  it('every expected cell and claim names a declared table, metric and key columns', () => {
    const expected = loadPaperExpected(acwPaper); // throws naming the first reference outside the tables
    expect(expected.claims.length).toBeGreaterThanOrEqual(6);
  });

  it('paper profile with an empty data dir exits 3 naming Lock3DFace', async () => {
    const err = await runPaper(getPaper('acw'), { profile: 'paper', seed: 1, backend: 'cpu', outRoot: out, dataDir: join(out, 'no-data') }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DatasetMissingError);
    expect((err as Error).message).toMatch(/lock3dface/i);
  });

  it('smoke run writes every table with frozen backbones and seed-identical CSVs', async () => {
    const run1 = await runPaper(getPaper('acw'), { profile: 'smoke', seed: 3, backend: 'wasm', outRoot: join(out, 'a'), dataDir: join(out, 'no-data') });
    expect(run1.manifest.cells.every((c) => !c.error)).toBe(true);
    const rows = run1.report.rows;
    for (const t of acwPaper.tables)
      expect(
        rows.some((r) => r.table === t.id),
        t.id,
      ).toBe(true);
    const methods = new Set(rows.filter((r) => r.table === 'rank1').map((r) => r.key.method));
    expect([...methods].sort()).toEqual(['acw', 'depth-paired', 'depth-virtual', 'feature-fusion', 'mean-fusion', 'rgb']);
    const subsets = new Set(rows.filter((r) => r.table === 'rank1').map((r) => r.key.subset));
    expect([...subsets].sort()).toEqual(['FE', 'LQ', 'NU', 'OC', 'PS', 'TM', 'avg']);
    for (const r of rows.filter((r) => r.table === 'rank1' && r.metric === 'rank1')) expect(r.value! >= 0 && r.value! <= 100).toBe(true);
    for (const r of rows.filter((r) => r.table === 'weights' && r.metric === 'w_rgb')) expect(r.value! > 0 && r.value! < 1).toBe(true);
    const frozen = (metric: string) =>
      rows.find((r) => r.table === 'frozen' && r.key.backbone === 'depth-virtual' && r.key.seed === 'all' && r.metric === metric);
    expect(frozen('changed_values')?.value).toBe(0);
    expect(frozen('checked_values')?.value).toBeGreaterThan(1000);
    const run2 = await runPaper(getPaper('acw'), { profile: 'smoke', seed: 3, backend: 'wasm', outRoot: join(out, 'b'), dataDir: join(out, 'no-data') });
    for (const t of ['rank1', 'tar', 'weights'])
      expect(readFileSync(join(run2.dir, `${t}.csv`), 'utf8')).toBe(readFileSync(join(run1.dir, `${t}.csv`), 'utf8'));
  }, 300_000); // two smoke runs (FaceRes forward on 28 faces each); slow when the shared machine is busy
});
