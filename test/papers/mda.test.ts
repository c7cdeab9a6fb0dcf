import { getPaper } from '../../src/papers/index.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/engine/tf.js';
import { mda, MDA_PROFILES } from '../../src/papers/mda.js';
import { runPaper } from '../../src/harness/runner.js';
import { silentProgress } from '../../src/core/progress.js';
import { loadExpected } from '../../src/harness/expected.js';
import type { CellContext } from '../../src/core/types.js';

const ctx: CellContext = { profile: 'smoke', backend: 'cpu', dataDir: '/nonexistent', progress: silentProgress };

describe('mda paper module', () => {
  const out = mkdtempSync(join(tmpdir(), 'repro-mda-'));
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('plans the quick profile: 3 noise settings x (noise cell + 4 methods) + the no-flip ablation at 80 %', () => {
    const cells = mda.plan('quick', 1);
    expect(cells).toHaveLength(16);
    const settings = new Set(cells.map((c) => `${c.params.noiseType}-${c.params.noisePercent}`));
    expect([...settings].sort()).toEqual(['pairflip-45', 'symmetric-50', 'symmetric-80']);
    const sym80 = cells.filter((c) => c.kind === 'train' && c.params.noisePercent === 80);
    expect(new Set(sym80.map((c) => c.seed)).size).toBe(1);
    expect(sym80.map((c) => c.params.row)).toEqual(['standard', 'coteaching', 'jocor', 'mda', 'mda-noflip']);
    const ablation = sym80[4]!.params.config as { flipSelection: boolean; method: string };
    expect(ablation.flipSelection).toBe(false);
    expect(ablation.method).toBe('mda');
    expect(MDA_PROFILES.quick.report).toBe('mean-last-3');
  });

  it('paper profile needs CIFAR-10 and CIFAR-100 and plans 4 noise settings per dataset', () => {
    expect(mda.datasets('paper', '/data').map((d) => d.path)).toEqual(['/data/cifar-10-batches-bin', '/data/cifar-100-binary']);
    expect(mda.datasets('quick', '/data')).toEqual([]);
    expect(mda.plan('paper', 1)).toHaveLength(2 * 4 * 5 + 2);
  });

  it('every expected cell and claim of quick refers to a row the plan produces', () => {
    const expected = loadExpected('mda');
    const keys = new Set(
      mda.plan('quick', 1).map((c) => `${c.params.dataset}|${c.params.noiseType}-${c.params.noisePercent}|${c.params.method ?? ''}`),
    );
    for (const claim of expected.claims.filter((c) => c.profiles.includes('quick'))) {
      const k = claim.left.key;
      expect(keys.has(`${k.dataset}|${k.noise}|${k.method}`)).toBe(true);
      expect(k.report).toBe(MDA_PROFILES.quick.report);
    }
  });

  it('a smoke cell is deterministic', async () => {
    const cell = mda.plan('smoke', 3).find((c) => c.params.method === 'mda')!;
    const a = await mda.runCell(cell, ctx);
    const b = await mda.runCell(cell, ctx);
    expect(a).toEqual(b);
    const metrics = a.map((r) => r.metric);
    expect(metrics).toEqual(['test_acc', 'test_acc_ensemble', 'label_precision', 'label_precision_original_images']);
    for (const r of a) {
      expect(r.value).not.toBeNull();
      expect(Number.isFinite(r.value!)).toBe(true);
    }
    expect(a[0]!.key).toEqual({ dataset: 'mnist-embedded', noise: 'symmetric-80', method: 'mda', report: 'last' });
  });

  it('runPaper --profile smoke writes both tables and checks the noise rate', async () => {
    const run = await runPaper(getPaper('mda'), { profile: 'smoke', seed: 7, backend: 'cpu', outRoot: out, dataDir: '/nonexistent' });
    expect(run.manifest.cells.every((c) => !c.error)).toBe(true);
    const noise = run.report.rows.find((r) => r.table === 'noise')!;
    expect(noise.status).toBe('pass');
    expect(Math.abs(noise.value! - 80)).toBeLessThan(5);
    const csv = readFileSync(join(run.dir, 'accuracy.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('dataset,noise,method,report,metric,value,expected,tolerance,provenance,status,note');
    for (const method of ['standard', 'coteaching', 'jocor', 'mda']) expect(csv).toContain(`mnist-embedded,symmetric-80,${method},last,test_acc,`);
    expect(run.manifest.status).toBe('pass');
  });
});
