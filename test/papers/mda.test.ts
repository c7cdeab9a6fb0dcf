// repro mda: plans, datasets and what the smoke cells measure (the contract of every paper, smoke run
// and exit 3 included: contract.test.ts).
import { discardFiles } from '../../src/harness/cell-files.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/engine/backend.js';
import { mdaPaper as mda, MDA_PROFILES, type MdaSettingParams, type MdaTrainParams } from '../../src/papers/mda.js';
import { silentProgress } from '../../src/core/progress.js';
import { check, overallStatus } from '../../src/harness/checker.js';
import { loadExpected } from '../../src/harness/expected.js';
import type { CellContext, CellPlan } from '../../src/core/types.js';
import { runSmokeCells, valueOf } from './helpers.js';

const ctx: CellContext = { profile: 'smoke', backend: 'wasm', dataDir: '/nonexistent', progress: silentProgress, files: discardFiles };
/** A cell's params: a `noise` cell has the setting's, a `train` cell adds the method's. */
const paramsOf = (cell: CellPlan) => cell.params as MdaSettingParams & Partial<MdaTrainParams>;

describe('mda paper module', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('plans quick on Fashion-MNIST (4 methods at 50 % and 80 %, the no-flip ablation at 80 %) with MNIST as the flip-variant control, 3 seeds each', () => {
    const cells = mda.plan('quick', 1);
    const setting = (c: CellPlan) => `${paramsOf(c).dataset} ${paramsOf(c).noiseType}-${paramsOf(c).noisePercent}`;
    expect(cells.filter((c) => c.kind === 'noise').map(setting)).toEqual([
      'fashion-mnist-embedded symmetric-50',
      'fashion-mnist-embedded symmetric-80',
      'mnist-embedded symmetric-80',
    ]);
    const train = cells.filter((c) => c.kind === 'train');
    expect(train).toHaveLength(3 * (4 + 5 + 2));
    const sym80 = train.filter((c) => setting(c) === 'fashion-mnist-embedded symmetric-80');
    expect(sym80.filter((c) => paramsOf(c).seedIndex === 1).map((c) => paramsOf(c).row)).toEqual(['standard', 'coteaching', 'jocor', 'mda', 'mda-noflip']);
    // The methods of a setting share each seed's initialisation; the three seeds differ.
    for (const k of [1, 2, 3]) expect(new Set(sym80.filter((c) => paramsOf(c).seedIndex === k).map((c) => c.seed)).size).toBe(1);
    expect(new Set(sym80.map((c) => c.seed)).size).toBe(3);
    const control = train.filter((c) => paramsOf(c).dataset === 'mnist-embedded');
    expect([...new Set(control.map((c) => paramsOf(c).row))]).toEqual(['jocor', 'mda']);
    const ablation = paramsOf(sym80.find((c) => paramsOf(c).row === 'mda-noflip')!).config as { flipSelection: boolean; method: string };
    expect(ablation.flipSelection).toBe(false);
    expect(ablation.method).toBe('mda');
    expect(MDA_PROFILES.quick.report).toBe('mean-last-3');
  });

  it('paper profile needs CIFAR-10 and CIFAR-100 and plans 4 noise settings per dataset', () => {
    expect(mda.datasets('paper', '/data').map((d) => d.path)).toEqual(['/data/cifar-10-batches-bin', '/data/cifar-100-binary']);
    expect(mda.plan('paper', 1)).toHaveLength(2 * 4 + 3 * (2 * 4 * 4 + 2));
  });

  it('every expected cell and claim of quick refers to a row the plan produces', () => {
    const expected = loadExpected('mda');
    const keys = new Set(
      mda.plan('quick', 1).map((c) => `${paramsOf(c).dataset}|${paramsOf(c).noiseType}-${paramsOf(c).noisePercent}|${paramsOf(c).method ?? ''}`),
    );
    for (const claim of expected.claims.filter((c) => c.profiles.includes('quick'))) {
      const k = claim.left.key;
      expect(keys.has(`${k.dataset}|${k.noise}|${k.method}`)).toBe(true);
      expect(k.report).toBe(MDA_PROFILES.quick.report);
    }
  });

  it('a smoke cell is deterministic', async () => {
    const cell = mda.plan('smoke', 3).find((c) => paramsOf(c).method === 'mda')!;
    const a = await mda.runCell(cell, ctx);
    const b = await mda.runCell(cell, ctx);
    expect(a).toEqual(b);
    const metrics = a.map((r) => r.metric);
    expect(metrics).toEqual(['test_acc', 'test_acc_ensemble', 'label_precision', 'label_precision_original_images']);
    for (const r of a) {
      expect(r.value).not.toBeNull();
      expect(Number.isFinite(r.value!)).toBe(true);
    }
    expect(a[0]!.key).toEqual({ dataset: 'fashion-mnist-embedded', noise: 'symmetric-80', method: 'mda', report: 'last', seed: 1 });
  });

  it('smoke measures every method, and the noise rate passes its expected cell', async () => {
    const rows = await runSmokeCells(mda, 7);
    const report = check('mda', 'smoke', rows, loadExpected('mda'));
    const noise = report.rows.find((r) => r.table === 'noise')!;
    expect(noise.status).toBe('pass');
    expect(Math.abs(noise.value! - 80)).toBeLessThan(5);
    for (const method of ['standard', 'coteaching', 'jocor', 'mda']) {
      const value = valueOf(rows, 'accuracy', { dataset: 'fashion-mnist-embedded', noise: 'symmetric-80', method, report: 'last', seed: 1 }, 'test_acc');
      expect(value, method).toBeTypeOf('number');
    }
    expect(overallStatus(report)).toBe('pass');
  });
});
