// GA / OPOM cloak mechanics: projection, hull distances, optimiser equivalences and counts, metrics.
import { describe, expect, it } from 'vitest';
import {
  affineHullCoefficients,
  affineHullDistance2,
  applyCloak,
  convexHullCoefficients,
  imageGradientBudget,
  lossTargets,
  meanCosineToIdentity,
  optimiseCloak,
  projectLinf,
  projectSimplex,
  protectionCounts,
  protectionRate,
  psnr,
  ssim,
  type CloakConfig,
  type GradientOracle,
} from '../../../src/methods/ga/index.js';

const rows = (data: number[], dim: number) => ({ data: Float64Array.from(data), n: data.length / dim, dim });

/** A deterministic non-linear fake oracle: depends on δ and on the batch, like a real surrogate. */
const fakeOracle: GradientOracle = (delta, indices) => {
  const g = new Float32Array(delta.length);
  for (let q = 0; q < delta.length; q++) for (const i of indices) g[q]! += Math.sin(37 * (i + 1) * delta[q]! + 0.7 * q + i) / indices.length;
  return g;
};

const base: CloakConfig = {
  optimizer: 'large-batch',
  epsilon: 8 / 255,
  step: 1 / 255,
  outerSteps: 6,
  batch: 2,
  innerFactor: 1,
  innerUpdate: true,
  momentum: 0,
  init: 'uniform',
};

describe('projection', () => {
  it('keeps ‖δ‖∞ ≤ ε and cloaked images in [0, 1]', async () => {
    const d = projectLinf(Float32Array.from([0.5, -0.5, 0.01, -0.02]), 0.03);
    expect(Array.from(d)).toEqual([0.03, -0.03, 0.01, -0.02].map(Math.fround));
    const img = Float32Array.from([0, 1, 0.5, 0.99, 0.02, 0.5, 0.5, 0.5]);
    expect(Array.from(applyCloak(img, 2, Float32Array.from([-0.03, 0.03, 0.03, 0.03])))).toEqual([0, 1, 0.53, 1, 0, 0.53, 0.53, 0.53].map(Math.fround));
    const { delta } = await optimiseCloak(fakeOracle, 4, 50, { ...base, optimizer: 'ga', outerSteps: 20, step: 3 / 255 }, 3);
    expect(Math.max(...Array.from(delta, Math.abs))).toBeLessThanOrEqual(Math.fround(8 / 255));
  });
});

describe('OPOM hull losses', () => {
  const A = rows([1, 0, 0, 0, 1, 0], 3);
  it('affine-hull distance equals the hand-computed value', () => {
    // hull = the line x + y = 1, z = 0; (0,0,1) projects to (½,½,0): d² = ¼ + ¼ + 1
    expect(Array.from(affineHullCoefficients(A, [0, 0, 1])).map((v) => +v.toFixed(9))).toEqual([0.5, 0.5]);
    expect(affineHullDistance2(A, [0, 0, 1])).toBeCloseTo(1.5, 9);
    expect(affineHullDistance2(A, [1, 1, 0])).toBeCloseTo(0.5, 9);
    // (2,−1,0) lies on the line (β = (2, −1)); the convex hull (the segment) ends at (1,0,0): β = (1, 0)
    expect(affineHullDistance2(A, [2, -1, 0])).toBeCloseTo(0, 9);
    const beta = convexHullCoefficients(A, [2, -1, 0]);
    expect(beta[0]).toBeCloseTo(1, 6);
    expect(beta[1]).toBeCloseTo(0, 6);
  });
  it('simplex projection and the targets of each loss', () => {
    // sorted 1, ½, ½: θ = (2 − 1)/3 = ⅓, so β = (⅙, ⅙, ⅔)
    Array.from(projectSimplex([0.5, 0.5, 1])).forEach((v, i) => expect(v).toBeCloseTo([1 / 6, 1 / 6, 2 / 3][i]!, 12));
    expect(Array.from(projectSimplex([0.2, 0.2]))).toEqual([0.5, 0.5]);
    const y = rows([0, 0, 1], 3);
    const own = rows([1, 0, 0], 3);
    expect(Array.from(lossTargets('fi-uap', y, own, A))).toEqual([1, 0, 0]);
    expect(Array.from(lossTargets('class-centre', y, own, A))).toEqual([0.5, 0.5, 0]);
    expect(Array.from(lossTargets('affine-hull', y, own, A)).map((v) => +v.toFixed(9))).toEqual([0.5, 0.5, 0]);
    expect(Array.from(lossTargets('convex-hull', rows([3, 0, 0], 3), own, A)).map((v) => +v.toFixed(6))).toEqual([1, 0, 0]);
  });
});

describe('optimisers at an equal budget', () => {
  it('GA with one inner step on the full batch equals large-batch OPOM exactly', async () => {
    const n = 4;
    const large = await optimiseCloak(fakeOracle, n, 64, base, 11);
    const ga = await optimiseCloak(fakeOracle, n, 64, { ...base, optimizer: 'ga', batch: n, innerFactor: 1 }, 11);
    expect(Array.from(ga.delta)).toEqual(Array.from(large.delta));
    expect(ga.counts.outerSigns).toBe(large.counts.outerSigns);
    expect(ga.counts.imageGradients).toBe(large.counts.imageGradients);
    // and it is not a check that cannot fail: b < N changes the cloak
    const ga2 = await optimiseCloak(fakeOracle, n, 64, { ...base, optimizer: 'ga', batch: 2 }, 11);
    expect(Array.from(ga2.delta)).not.toEqual(Array.from(large.delta));
  });

  it('counts image-gradients and sign operations', async () => {
    const n = 10,
      T = 3;
    const large = await optimiseCloak(fakeOracle, n, 8, { ...base, outerSteps: T }, 1);
    expect(large.counts).toEqual({ imageGradients: T * n, oracleCalls: T, outerSigns: T, innerSigns: 0, updates: T });
    const small = await optimiseCloak(fakeOracle, n, 8, { ...base, optimizer: 'small-batch', outerSteps: T, batch: 2 }, 1);
    expect(small.counts).toEqual({ imageGradients: T * n, oracleCalls: (T * n) / 2, outerSigns: (T * n) / 2, innerSigns: 0, updates: (T * n) / 2 });
    const ga = await optimiseCloak(fakeOracle, n, 8, { ...base, optimizer: 'ga', outerSteps: T, batch: 2, innerFactor: 1 }, 1);
    expect(ga.counts).toEqual({ imageGradients: T * n, oracleCalls: (T * n) / 2, outerSigns: T, innerSigns: (T * n) / 2, updates: T });
    const gaK = await optimiseCloak(fakeOracle, n, 8, { ...base, optimizer: 'ga', outerSteps: T, batch: 2, innerFactor: 4, innerUpdate: false }, 1);
    expect(gaK.counts).toEqual({ imageGradients: 4 * T * n, oracleCalls: (4 * T * n) / 2, outerSigns: T, innerSigns: 0, updates: T });
    for (const [c, r] of [
      [{ ...base, outerSteps: T }, large],
      [{ ...base, optimizer: 'ga' as const, outerSteps: T, batch: 2, innerFactor: 4 }, gaK],
    ] as const) {
      expect(imageGradientBudget(c, n)).toBe(r.counts.imageGradients);
    }
  });

  it('same seed, same cloak; another seed, another', async () => {
    const c: CloakConfig = { ...base, optimizer: 'small-batch' };
    const a = await optimiseCloak(fakeOracle, 6, 16, c, 5);
    const b = await optimiseCloak(fakeOracle, 6, 16, c, 5);
    const d = await optimiseCloak(fakeOracle, 6, 16, c, 6);
    expect(Array.from(a.delta)).toEqual(Array.from(b.delta));
    expect(Array.from(a.delta)).not.toEqual(Array.from(d.delta));
  });
});

describe('metrics', () => {
  it('protection rate on a hand-made gallery', () => {
    // 2-d embeddings. Person: 3 test images; cloaked queries q0..q2; distractors at 0°, 90°, 180°.
    const mates = [1, 0, 1, 0.1, 1, -0.1];
    const distractors = [0, 1, -1, 0, 0.7, 0.7];
    // q0 = clean mate direction (hits at k=1), q1 points at distractor (0,1), q2 at (−1, 0)
    const queries = [1, 0, 0, 1, -1, 0];
    const c = protectionCounts(queries, mates, 3, distractors, 3, 2, [1, 2, 5]);
    expect(c.queries).toBe(6);
    // q0: mates j=1,2 at cos 0.995 > all distractors → rank 1 (2 hits at every k).
    // q1=(0,1): cos to mate1 = 0.0995, mate2 = −0.0995; distractor sims 1, 0, 0.707 → ranks 3 and 4
    // q2=(−1,0): cos to mates ≈ −0.995; distractor sims 0, 1, −0.707 → ranks 4 and 4
    expect(c.hits.get(1)).toBe(2);
    expect(c.hits.get(2)).toBe(2);
    expect(c.hits.get(5)).toBe(6);
    expect(protectionRate([c], 1)).toBeCloseTo(1 - 2 / 6, 12);
    expect(protectionRate([c, c], 5)).toBe(0);
    expect(meanCosineToIdentity([1, 0, 2, 0], [1, 0, 0, 1], 2, 2)).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('PSNR and SSIM', () => {
    const a = new Float32Array(16 * 16 * 3).map((_, i) => (i % 7) / 7);
    const b = a.map((v) => v + 0.1);
    expect(psnr(a, b)).toBeCloseTo(20, 4);
    expect(ssim(a, a, 16, 16)).toBeCloseTo(1, 12);
    expect(ssim(a, b, 16, 16)).toBeLessThan(1);
  });
});
