// repro ga: plans, datasets (exit 3 / exit 2), expected-file references, and a smoke run on wasm.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetMissingError, InputError } from '../../src/core/errors.js';
import { loadExpected } from '../../src/harness/expected.js';
import { runPaper } from '../../src/harness/runner.js';
import { getPaper } from '../../src/papers/index.js';
import { GA_METHODS, gaPaper, openPrivacyCommons, type GaCellParams } from '../../src/papers/ga.js';
import { valueOf } from './helpers.js';

const out = mkdtempSync(join(tmpdir(), 'repro-ga-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('ga paper module', () => {
  it('plans one cell per method group; every cell shares the run seed (same users, same δ₀)', () => {
    const quick = gaPaper.plan('quick', 5);
    expect(quick.map((c) => c.id)).toEqual(['none+opom-large', 'opom-small', 'ga', 'ga-fixed-inner']);
    expect(new Set(quick.map((c) => c.seed))).toEqual(new Set([5]));
    expect(gaPaper.plan('paper', 5).length).toBe(6);
  });

  it('every expected cell and claim names a declared table, metric and a planned method', () => {
    const expected = loadExpected('ga');
    const tables = new Map(gaPaper.tables.map((t) => [t.id, t]));
    const refs = [
      ...Object.entries(expected.tables).flatMap(([table, t]) => t.cells.map((c) => ({ table, key: c.key, metric: c.metric, profiles: c.profiles }))),
      ...expected.claims.flatMap((c) =>
        [c.left, c.right]
          .filter((r) => typeof r !== 'number')
          .map((r) => ({ ...(r as { table: string; key: Record<string, string | number>; metric: string }), profiles: c.profiles })),
      ),
    ];
    for (const ref of refs) {
      const table = tables.get(ref.table)!;
      expect(table, ref.table).toBeDefined();
      expect(table.metrics).toContain(ref.metric);
      expect(Object.keys(ref.key).sort()).toEqual([...table.keyColumns].sort());
      for (const profile of ref.profiles) {
        const methods = gaPaper.plan(profile, 1).flatMap((c) => (c.params as GaCellParams).methods);
        expect(methods, `${JSON.stringify(ref)} at ${profile}`).toContain(ref.key.method);
      }
    }
    expect(GA_METHODS).toContain('ga');
  });

  it('paper profile with an empty data dir exits 3 naming Privacy-Commons and its lists', async () => {
    const names = gaPaper.datasets('paper', '/data').map((d) => d.name);
    expect(names).toEqual([
      'privacy-commons',
      'privacy-commons/privacy_train_v3_10.lst',
      'privacy-commons/privacy_test_v3_5.lst',
      'privacy-commons/common_distractor.lst',
    ]);
    const run = runPaper(getPaper('ga'), { profile: 'paper', seed: 1, backend: 'wasm', outRoot: out, dataDir: join(out, 'empty') });
    await expect(run).rejects.toBeInstanceOf(DatasetMissingError);
    await expect(run).rejects.toThrow('privacy_train_v3_10.lst');
  });

  it('a malformed list is exit 2 naming the file and line, before any training', () => {
    const root = join(out, 'pc');
    mkdirSync(join(root, 'id1'), { recursive: true });
    writeFileSync(join(root, 'id1', 'a.jpg'), 'x');
    writeFileSync(join(root, 'privacy_train_v3_10.lst'), 'id1/a.jpg 0\n');
    writeFileSync(join(root, 'privacy_test_v3_5.lst'), 'id1/b.jpg 0\n');
    writeFileSync(join(root, 'common_distractor.lst'), 'd/1.jpg\n');
    expect(() => openPrivacyCommons(root, 500)).toThrow(InputError);
    expect(() => openPrivacyCommons(root, 500)).toThrow(`${join(root, 'privacy_test_v3_5.lst')}:1`);
    writeFileSync(join(root, 'privacy_test_v3_5.lst'), 'no image here\n');
    expect(() => openPrivacyCommons(root, 500)).toThrow('no image path');
  });

  it('smoke run: counts, ε, rates in range, mean of the replicates; same seed, byte-identical CSVs', async () => {
    const a = await runPaper(getPaper('ga'), { profile: 'smoke', seed: 3, backend: 'wasm', outRoot: join(out, 'a'), dataDir: '/nonexistent' });
    expect(a.manifest.cells.every((c) => !c.error)).toBe(true);
    const rows = a.report.rows;
    // smoke: N = 2, T = 1, b = 1, K = 1
    expect(valueOf(rows, 'budget', { method: 'opom-large' }, 'image_grads')).toBe(2);
    expect(valueOf(rows, 'budget', { method: 'opom-small' }, 'outer_signs')).toBe(2);
    expect(valueOf(rows, 'budget', { method: 'ga' }, 'outer_signs')).toBe(1);
    expect(valueOf(rows, 'budget', { method: 'ga' }, 'inner_signs')).toBe(2);
    for (const r of rows.filter((r) => r.table === 'quality' && r.metric === 'linf_255' && r.key.seed !== 'sd')) {
      expect(r.value!).toBeLessThanOrEqual(8 + 1e-5);
      expect(r.value!).toBe(r.key.method === 'none' ? 0 : r.value!);
    }
    for (const r of rows.filter((r) => r.table === 'protection' && r.metric.startsWith('top') && r.key.seed !== 'sd')) {
      expect(r.value!).toBeGreaterThanOrEqual(0);
      expect(r.value!).toBeLessThanOrEqual(100);
    }
    const key = (seed: string) => ({ target: 'faceres', method: 'ga', seed });
    const r0 = valueOf(rows, 'protection', key('r0'), 'mean_cos')!;
    const r1 = valueOf(rows, 'protection', key('r1'), 'mean_cos')!;
    expect(valueOf(rows, 'protection', key('mean'), 'mean_cos')).toBeCloseTo((r0 + r1) / 2, 12);
    expect(rows.find((r) => r.table === 'protection' && r.metric === 'top1' && r.key.seed === 'mean')!.note).toContain('[recon]');
    // The figure (clean | cloaked | amplified difference of 112 px renders), written by the cell holding GA.
    const png = readFileSync(join(a.dir, 'cloak.png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const meta = await sharp(png).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height, channels: meta.channels }).toEqual({
      format: 'png',
      width: 3 * 112,
      height: 112,
      channels: 3,
    });
    const b = await runPaper(getPaper('ga'), { profile: 'smoke', seed: 3, backend: 'wasm', outRoot: join(out, 'b'), dataDir: '/nonexistent' });
    for (const file of ['protection.csv', 'quality.csv', 'budget.csv'])
      expect(readFileSync(join(b.dir, file), 'utf8')).toBe(readFileSync(join(a.dir, file), 'utf8'));
    expect(readFileSync(join(b.dir, 'cloak.png')).equals(png)).toBe(true);
  }, 300_000);
});
